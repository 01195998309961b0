import { LOCAL_ACCESS_KEY_ID, LOCAL_SECRET_ACCESS_KEY } from './constants';
import type { ServiceName } from './types';

/** The environment variable that carries each service's endpoint. */
export const ENDPOINT_VARIABLES: Readonly<Record<ServiceName, string>> = {
  kinesis: 'AWS_ENDPOINT_URL_KINESIS',
  dynamodb: 'AWS_ENDPOINT_URL_DYNAMODB',
  s3: 'AWS_ENDPOINT_URL_S3',
  sqs: 'AWS_ENDPOINT_URL_SQS',
  opensearch: 'OPENSEARCH_ENDPOINT',
};

/**
 * Environment variables that point the AWS SDK v3 (which reads AWS_ENDPOINT_URL_<SERVICE>) and the handlers
 * at the given endpoints.
 *
 * @example
 * const env = localStackEnv({ kinesis: 'http://127.0.0.1:4567' }, 'us-east-1');
 * // env.AWS_ENDPOINT_URL_KINESIS === 'http://127.0.0.1:4567'
 */
export function localStackEnv(
  endpoints: Partial<Record<ServiceName, string>>,
  region: string,
): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: LOCAL_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: LOCAL_SECRET_ACCESS_KEY,
  };
  for (const [service, endpoint] of Object.entries(endpoints) as [ServiceName, string][]) {
    env[ENDPOINT_VARIABLES[service]] = endpoint;
  }
  return env;
}
