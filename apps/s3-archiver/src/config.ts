import { int, loadConfig, optionalStr, str, url, type ConfigOf } from '@shardline/aws';
import { variablesOf, type ConsumerName } from '@shardline/contract';
import { DEFAULT_ARCHIVE_PREFIX, DEFAULT_MAX_OBJECT_BYTES, MIN_MAX_OBJECT_BYTES } from './constants';

/** This app's name in the pipeline contract (libs/contract/pipeline.json). */
export const CONSUMER = 's3-archiver' satisfies ConsumerName;
const v = variablesOf(CONSUMER);

/** What the archiver reads from its environment: the contract's variables for it. */
export const configSpec = {
  bucket: str(v.ARCHIVE_BUCKET, { pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/ }),
  // Plain path segments only: the prefix becomes the Athena table LOCATION and partition projection template.
  prefix: str(v.ARCHIVE_PREFIX, {
    default: DEFAULT_ARCHIVE_PREFIX,
    pattern: /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/,
  }),
  kmsKeyId: optionalStr(v.ARCHIVE_KMS_KEY_ID),
  maxObjectBytes: int(v.ARCHIVE_MAX_OBJECT_BYTES, {
    default: DEFAULT_MAX_OBJECT_BYTES,
    min: MIN_MAX_OBJECT_BYTES,
    // One PutObject carries at most 5 GiB; the object is also built in memory.
    max: 1024 * 1024 * 1024,
  }),
  quarantineQueueUrl: url(v.QUARANTINE_QUEUE_URL),
};

/** The archiver's configuration, read from the environment Terraform sets. */
export type ArchiverConfig = ConfigOf<typeof configSpec>;

/**
 * Reads and checks ARCHIVE_BUCKET, ARCHIVE_PREFIX (default `events`), ARCHIVE_KMS_KEY_ID (optional),
 * ARCHIVE_MAX_OBJECT_BYTES (default 64 MiB) and QUARANTINE_QUEUE_URL at cold start.
 *
 * @example
 * ```ts
 * const config = loadArchiverConfig(); // throws ConfigError naming every bad variable
 * ```
 */
export function loadArchiverConfig(env: Record<string, string | undefined> = process.env): ArchiverConfig {
  return loadConfig(configSpec, env);
}
