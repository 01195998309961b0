import { int, loadConfig, optionalStr, str, url, type ConfigOf } from '@shardline/aws';
import { variablesOf, type IngestName } from '@shardline/contract';
import { BUCKET_NAME } from './constants';

/** This app's name in the pipeline contract (libs/contract/pipeline.json). */
export const FUNCTION = 's3-import' satisfies IngestName;
const v = variablesOf(FUNCTION);

/** What the importer reads from its environment: the contract's variables for it. */
export const configSpec = {
  streamName: str(v.RAW_STREAM_NAME, { pattern: /^[a-zA-Z0-9_.-]{1,128}$/ }),
  quarantineQueueUrl: url(v.QUARANTINE_QUEUE_URL),
  quarantineOverflowBucket: optionalStr(v.QUARANTINE_OVERFLOW_BUCKET, { pattern: BUCKET_NAME }),
  inboxBucket: str(v.INBOX_BUCKET, { pattern: BUCKET_NAME }),
  inboxPrefix: str(v.INBOX_PREFIX, { pattern: /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/ }),
  checkpointTable: str(v.CHECKPOINT_TABLE_NAME, { pattern: /^[a-zA-Z0-9_.-]{3,255}$/ }),
  handOffMarginMs: int(v.IMPORT_HANDOFF_MARGIN_MS, { default: 60_000, min: 10_000, max: 600_000 }),
  checkpointTtlDays: int(v.IMPORT_CHECKPOINT_TTL_DAYS, { default: 30, min: 1, max: 3_650 }),
  putRecordsMaxAttempts: int(v.PUT_RECORDS_MAX_ATTEMPTS, { default: 5, min: 1, max: 20 }),
};

/** The importer's validated configuration. */
export type ImportConfig = ConfigOf<typeof configSpec>;

/**
 * Reads and checks the configuration at cold start.
 * @throws {ConfigError} naming every missing or malformed variable.
 */
export const loadImportConfig = (env: Record<string, string | undefined> = process.env): ImportConfig =>
  loadConfig(configSpec, env);
