import { int, loadConfig, optionalStr, str, url, type ConfigOf } from '@shardline/aws';
import { variablesOf, type ConsumerName } from '@shardline/contract';

/** This app's name in the pipeline contract (libs/contract/pipeline.json). */
export const CONSUMER = 'enrichment' satisfies ConsumerName;
const v = variablesOf(CONSUMER);

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** What enrichment reads from its environment: the contract's variables for it. */
export const configSpec = {
  enrichedStreamName: str(v.ENRICHED_STREAM_NAME, { pattern: STREAM_NAME }),
  referenceTableName: str(v.REFERENCE_TABLE_NAME, { pattern: TABLE_NAME }),
  ledgerTableName: str(v.ENRICHMENT_LEDGER_TABLE_NAME, { pattern: TABLE_NAME }),
  quarantineQueueUrl: url(v.QUARANTINE_QUEUE_URL),
  quarantineOverflowBucket: optionalStr(v.QUARANTINE_OVERFLOW_BUCKET, { pattern: BUCKET_NAME }),
  campaignCacheTtlSeconds: int(v.CAMPAIGN_CACHE_TTL_SECONDS, { default: 300, min: 0, max: 86_400 }),
  timeoutGuardMs: int(v.TIMEOUT_GUARD_MS, { default: 1_000, min: 1, max: 60_000 }),
  putMaxAttempts: int(v.PUT_RECORDS_MAX_ATTEMPTS, { default: 5, min: 1, max: 20 }),
  dedupWindowSeconds: int(v.DEDUP_WINDOW_SECONDS, { default: 600, min: 0, max: 3_600 }),
};

/** The enrichment function's configuration. */
export type EnrichmentConfig = ConfigOf<typeof configSpec>;

/**
 * Reads and checks the enrichment function's environment at cold start.
 * @throws {ConfigError} naming every missing or malformed variable.
 */
export function loadEnrichmentConfig(
  env: Record<string, string | undefined> = process.env,
): EnrichmentConfig {
  return loadConfig(configSpec, env);
}
