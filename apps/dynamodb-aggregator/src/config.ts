import { int, loadConfig, str, url, type ConfigOf } from '@shardline/aws';
import { variablesOf, type ConsumerName } from '@shardline/contract';

/** This app's name in the pipeline contract (libs/contract/pipeline.json). */
export const CONSUMER = 'dynamodb-aggregator' satisfies ConsumerName;
const v = variablesOf(CONSUMER);

/** What the aggregator reads from its environment: the contract's variables for it. */
export const configSpec = {
  tableName: str(v.AGGREGATES_TABLE_NAME),
  ttlDays: int(v.AGGREGATE_TTL_DAYS, { min: 1, max: 3_650 }),
  quarantineQueueUrl: url(v.QUARANTINE_QUEUE_URL),
};

/** The aggregator's configuration. */
export type AggregatorConfig = ConfigOf<typeof configSpec>;

/**
 * Reads and checks the aggregator's environment at cold start.
 * @throws {ConfigError} naming every missing or malformed variable.
 */
export function loadAggregatorConfig(
  env: Record<string, string | undefined> = process.env,
): AggregatorConfig {
  return loadConfig(configSpec, env);
}
