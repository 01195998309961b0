// The local stack: kinesalite, DynamoDB Local, fauxqs (S3 + SQS) and OpenSearch on loopback ports.
export { startLocalStack } from './startLocalStack';
export { useLocalStack, readLocalStackState } from './useLocalStack';
export { localStackEnv, ENDPOINT_VARIABLES } from './localStackEnv';
export { ensureOpenSearch, openSearchHome, cacheDirectory } from './openSearchDistribution';
export { waitFor } from './waitFor';
export type { WaitForOptions } from './waitFor';
export { SERVICE_NAMES, LOCAL_REGION, OPENSEARCH_VERSION } from './constants';
export { LocalStackError, ServiceStartError, ArtefactError, LocalStackStateError } from './errors';
export type { ServiceName, LocalStack, StartLocalStackOptions, LocalStackState, LogLine } from './types';
