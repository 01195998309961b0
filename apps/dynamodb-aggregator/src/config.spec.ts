import { ConfigError } from '@shardline/aws';
import { unreadVariables } from '@shardline/contract';
import { configSpec, CONSUMER, loadAggregatorConfig } from './config';

const QUEUE = 'http://127.0.0.1:4566/000000000000/shardline-dev-quarantine';

describe('loadAggregatorConfig', () => {
  it('reads every variable the pipeline contract declares for the aggregator', () => {
    // Assess
    expect(unreadVariables(CONSUMER, configSpec)).toEqual([]);
  });

  it('reads the table, the TTL and the quarantine queue', () => {
    // Act
    const config = loadAggregatorConfig({
      AGGREGATES_TABLE_NAME: 'shardline-dev-aggregates',
      AGGREGATE_TTL_DAYS: '7',
      QUARANTINE_QUEUE_URL: QUEUE,
    });

    // Assess
    expect(config).toEqual({ tableName: 'shardline-dev-aggregates', ttlDays: 7, quarantineQueueUrl: QUEUE });
  });

  it('refuses a TTL beyond ten years, naming the variable', () => {
    // Act
    const act = () =>
      loadAggregatorConfig({
        AGGREGATES_TABLE_NAME: 't',
        AGGREGATE_TTL_DAYS: '4000',
        QUARANTINE_QUEUE_URL: QUEUE,
      });

    // Assess
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(/AGGREGATE_TTL_DAYS/);
  });
});
