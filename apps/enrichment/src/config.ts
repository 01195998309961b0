import { int, loadConfig, optionalStr, str, url } from '@shardline/aws';

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The enrichment function's environment, validated at cold start. */
export function loadEnrichmentConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(
    {
      enrichedStreamName: str('ENRICHED_STREAM_NAME', { pattern: STREAM_NAME }),
      referenceTableName: str('REFERENCE_TABLE_NAME', { pattern: TABLE_NAME }),
      ledgerTableName: str('ENRICHMENT_LEDGER_TABLE_NAME', { pattern: TABLE_NAME }),
      quarantineQueueUrl: url('QUARANTINE_QUEUE_URL'),
      quarantineOverflowBucket: optionalStr('QUARANTINE_OVERFLOW_BUCKET', { pattern: BUCKET_NAME }),
      campaignCacheTtlSeconds: int('CAMPAIGN_CACHE_TTL_SECONDS', { default: 300, min: 0, max: 86_400 }),
      timeoutGuardMs: int('TIMEOUT_GUARD_MS', { default: 1_000, min: 1, max: 60_000 }),
      putMaxAttempts: int('PUT_RECORDS_MAX_ATTEMPTS', { default: 5, min: 1, max: 20 }),
    },
    env,
  );
}

export type EnrichmentConfig = ReturnType<typeof loadEnrichmentConfig>;
