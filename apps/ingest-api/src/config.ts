import { int, loadConfig, str, type ConfigOf } from '@shardline/aws';
import { variablesOf, type IngestName } from '@shardline/contract';

/** This app's name in the pipeline contract (libs/contract/pipeline.json). */
export const FUNCTION = 'ingest-api' satisfies IngestName;
const v = variablesOf(FUNCTION);

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

/**
 * What ingest-api reads from its environment: the contract's variables for it. The bounds repeat the contract's
 * parameter limits, so a value set by hand outside Terraform is refused at cold start too.
 */
export const configSpec = {
  rawStreamName: str(v.RAW_STREAM_NAME, { pattern: STREAM_NAME }),
  maxBodyBytes: int(v.INGEST_MAX_BODY_BYTES, { default: 4_194_304, min: 1_024, max: 4_500_000 }),
  maxInflatedBytes: int(v.INGEST_MAX_INFLATED_BYTES, { default: 16_777_216, min: 1_024, max: 67_108_864 }),
  maxEvents: int(v.INGEST_MAX_EVENTS, { default: 500, min: 1, max: 500 }),
  maxEventBytes: int(v.INGEST_MAX_EVENT_BYTES, { default: 262_144, min: 1_024, max: 262_144 }),
  putMaxAttempts: int(v.INGEST_PUT_MAX_ATTEMPTS, { default: 3, min: 1, max: 10 }),
};

/** The ingest-api function's configuration. */
export type IngestApiConfig = ConfigOf<typeof configSpec>;

/**
 * Reads and checks the ingest-api function's environment at cold start.
 * @throws {ConfigError} naming every missing or malformed variable.
 */
export function loadIngestApiConfig(env: Record<string, string | undefined> = process.env): IngestApiConfig {
  return loadConfig(configSpec, env);
}
