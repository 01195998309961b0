import { ConfigError } from '@shardline/aws';
import { unreadVariables } from '@shardline/contract';
import { configSpec, CONSUMER, loadEnrichmentConfig } from './config';

const env = {
  ENRICHED_STREAM_NAME: 'shardline-dev-enriched',
  REFERENCE_TABLE_NAME: 'shardline-dev-campaigns',
  ENRICHMENT_LEDGER_TABLE_NAME: 'shardline-dev-enrichment-ledger',
  QUARANTINE_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/shardline-dev-quarantine',
};

describe('loadEnrichmentConfig', () => {
  it('reads every variable the pipeline contract declares for enrichment', () => {
    // Assess
    expect(unreadVariables(CONSUMER, configSpec)).toEqual([]);
  });

  it('defaults the cache TTL, the timeout guard, the publish attempts and the window of repeats', () => {
    // Act
    const config = loadEnrichmentConfig(env);

    // Assess
    expect(config).toMatchObject({
      campaignCacheTtlSeconds: 300,
      timeoutGuardMs: 1_000,
      putMaxAttempts: 5,
      dedupWindowSeconds: 600,
      quarantineOverflowBucket: undefined,
    });
  });

  it('names every malformed variable at once', () => {
    // Act
    const act = () =>
      loadEnrichmentConfig({ ...env, ENRICHED_STREAM_NAME: 'a stream', PUT_RECORDS_MAX_ATTEMPTS: '0' });

    // Assess
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(/ENRICHED_STREAM_NAME[\s\S]*PUT_RECORDS_MAX_ATTEMPTS/);
  });
});
