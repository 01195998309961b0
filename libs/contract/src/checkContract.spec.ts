import { checkContract, ContractError } from './checkContract';
import { contract } from './contract';

/** A deep copy of the contract with one edit, as a hand edit of pipeline.json would make. */
function edited(edit: (c: Record<string, any>) => void): unknown {
  const copy = structuredClone(contract) as Record<string, any>;
  edit(copy);
  return copy;
}

function problemsOf(value: unknown): string[] {
  try {
    checkContract(value);
    return [];
  } catch (error) {
    if (error instanceof ContractError) return error.problems;
    throw error;
  }
}

describe('checkContract', () => {
  it('accepts pipeline.json as committed', () => {
    // Act
    const checked = checkContract(contract);

    // Assess
    expect(Object.keys(checked.consumers)).toEqual(Object.keys(contract.consumers));
  });

  it.each([
    [
      'a reference to an undeclared table',
      (c: any) => (c.consumers.enrichment.environment.REFERENCE_TABLE_NAME.table = 'campaign'),
      "consumers.enrichment.environment.REFERENCE_TABLE_NAME: no table 'campaign' is declared",
    ],
    [
      'an attribute the kind lacks',
      (c: any) => (c.consumers['dynamodb-aggregator'].environment.AGGREGATES_TABLE_NAME.attribute = 'url'),
      "a table has no attribute 'url'",
    ],
    [
      'an undeclared parameter',
      (c: any) => (c.consumers['dynamodb-aggregator'].environment.AGGREGATE_TTL_DAYS.parameter = 'ttl'),
      "no parameter 'ttl'",
    ],
    [
      'a stream that does not exist',
      (c: any) => (c.consumers['s3-archiver'].stream = 'clean'),
      "consumers.s3-archiver.stream: no stream 'clean'",
    ],
    [
      'an action of another service than the resource',
      (c: any) => c.consumers['dynamodb-aggregator'].access[0].actions.push('s3:GetObject'),
      's3:GetObject on a table (dynamodb:* actions only)',
    ],
    [
      'a wildcard action',
      (c: any) => (c.consumers['dynamodb-aggregator'].access[0].actions = ['dynamodb:*']),
      'dynamodb:*: name each action',
    ],
    [
      'settings for an undeclared environment',
      (c: any) => (c.consumers.enrichment.settings.staging = { batch_size: 200 }),
      'consumers.enrichment.settings.staging: not an environment (dev, prod)',
    ],
    [
      'a parallelization factor the consumer forbids',
      (c: any) => (c.consumers['s3-archiver'].settings.prod.parallelization_factor = 2),
      's3-archiver parallelization_factor in prod is 2: its object keys and checkpoints are per shard',
    ],
    [
      'aggregator batches under 1,000',
      (c: any) => (c.consumers['dynamodb-aggregator'].settings.dev = { batch_size: 500 }),
      'dynamodb-aggregator batch_size in dev is 500',
    ],
    [
      'a batch over the mapping maximum',
      (c: any) => (c.consumers.enrichment.settings.prod.batch_size = 20000),
      "enrichment batch_size in prod is 20000: smaller wastes invocations, 10000 is the mapping's maximum",
    ],
    [
      'a parameter outside its bounds',
      (c: any) => (c.parameters.aggregate_ttl_days.value.dev = 0),
      'parameters.aggregate_ttl_days.value.dev is 0, outside 1 to 3650',
    ],
    [
      'a prefix under another of the same bucket',
      (c: any) => (c.resources.archive.prefix = 'quarantine-overflow/events'),
      "resources.archive: its prefix lies under quarantine-overflow's",
    ],
    [
      'a consumer limit looser than the contract',
      (c: any) => (c.consumers.enrichment.limits.parallelization_factor.maximum = 20),
      'consumers.enrichment.limits.parallelization_factor: may only tighten',
    ],
    [
      'a metric that is already common',
      (c: any) => (c.consumers.enrichment.metrics.RecordsIn = { stat: 'Sum' }),
      'consumers.enrichment.metrics.RecordsIn: a common metric',
    ],
    [
      'an unknown setting',
      (c: any) => (c.consumers.enrichment.settings.default.batchSize = 100),
      'consumers.enrichment.settings.default',
    ],
    [
      'a lower-case variable name',
      (c: any) => (c.consumers.enrichment.environment.tableName = { table: 'campaigns', attribute: 'name' }),
      'consumers.enrichment.environment.tableName',
    ],
    [
      'an ingest function named like a consumer',
      (c: any) => (c.ingest.enrichment = structuredClone(c.ingest['ingest-api'])),
      'ingest.enrichment: a consumer has this name already',
    ],
    [
      'an ingest function writing an undeclared stream',
      (c: any) => (c.ingest['ingest-api'].stream = 'clean'),
      "ingest.ingest-api.stream: no stream 'clean'",
    ],
    [
      'an ingest function with an unknown trigger',
      (c: any) => (c.ingest['ingest-api'].trigger = 'sqs'),
      'ingest.ingest-api.trigger',
    ],
    [
      'an ingest timeout Lambda refuses',
      (c: any) => (c.ingest['s3-import'].settings.prod = { timeout_seconds: 901 }),
      'ingest.s3-import timeout_seconds in prod is 901: what Lambda accepts',
    ],
    [
      'an ingest access on another service than the resource',
      (c: any) => c.ingest['ingest-api'].access[0].actions.push('sqs:SendMessage'),
      'ingest.ingest-api.access[0]: sqs:SendMessage on a stream (kinesis:* actions only)',
    ],
    [
      'an ingest reference to an undeclared queue',
      (c: any) => (c.ingest['s3-import'].environment.QUARANTINE_QUEUE_URL.queue = 'dead-letters'),
      "ingest.s3-import.environment.QUARANTINE_QUEUE_URL: no queue 'dead-letters' is declared",
    ],
  ])('refuses %s, naming it', (_, edit, message) => {
    // Act
    const problems = problemsOf(edited(edit));

    // Assess
    expect(problems.join('\n')).toContain(message);
  });

  it('reports every problem of an edit at once', () => {
    // Act
    const problems = problemsOf(
      edited((c) => {
        c.consumers.enrichment.stream = 'nowhere';
        c.consumers['dynamodb-aggregator'].environment.AGGREGATES_TABLE_NAME.table = 'nothing';
      }),
    );

    // Assess
    expect(problems).toHaveLength(2);
  });
});
