import {
  consumerNames,
  consumerSettings,
  mappingSettings,
  environmentNames,
  metricsOf,
  parameterValue,
  settingViolations,
  streamSettings,
  unreadVariables,
  variablesOf,
} from './contract';
import { ContractReferenceError, resolveEnvironment, type ResourceMap } from './resolve';

const resources: ResourceMap = {
  stream: { raw: { name: 'p-raw', arn: 'arn:raw' }, enriched: { name: 'p-enriched', arn: 'arn:enriched' } },
  table: {
    campaigns: { name: 'p-campaigns', arn: 'arn:campaigns' },
    aggregates: { name: 'p-aggregates', arn: 'arn:aggregates' },
    'enrichment-ledger': { name: 'p-enrichment-ledger', arn: 'arn:ledger' },
  },
  'bucket-prefix': {
    archive: { bucket: 'p-archive', prefix: 'events', arn: 'arn:p-archive/events/*' },
    'quarantine-overflow': {
      bucket: 'p-archive',
      prefix: 'quarantine-overflow',
      arn: 'arn:p-archive/q/*',
    },
  },
  queue: { quarantine: { name: 'p-quarantine', arn: 'arn:q', url: 'http://sqs/p-quarantine' } },
  domain: {
    events: {
      name: 'p-events',
      arn: 'arn:d',
      paths: 'arn:d/*',
      endpoint: 'http://os',
      'index-prefix': 'p-events',
    },
  },
  key: { pipeline: { arn: 'arn:key' } },
};

describe('the contract accessors', () => {
  it('lists the consumers in the order pipeline.json declares them', () => {
    // Assess
    expect(consumerNames).toEqual(['enrichment', 's3-archiver', 'dynamodb-aggregator', 'opensearch-indexer']);
    expect(environmentNames).toEqual(['dev', 'prod']);
  });

  it('names each variable a consumer reads by itself, with the common and runtime ones', () => {
    // Act
    const v = variablesOf('dynamodb-aggregator');

    // Assess
    expect(v.AGGREGATES_TABLE_NAME).toBe('AGGREGATES_TABLE_NAME');
    expect(Object.keys(v).sort()).toEqual(
      [
        'AGGREGATES_TABLE_NAME',
        'AGGREGATE_TTL_DAYS',
        'AWS_DEFAULT_REGION',
        'AWS_REGION',
        'QUARANTINE_QUEUE_URL',
      ].sort(),
    );
    expect(metricsOf('enrichment')).toEqual({
      DuplicateEvents: 'DuplicateEvents',
      LedgerErrors: 'LedgerErrors',
    });
  });

  it('layers common defaults, the consumer default, the environment and the tuning override', () => {
    // Act
    const dev = consumerSettings('dynamodb-aggregator', 'dev');
    const prod = consumerSettings('dynamodb-aggregator', 'prod');
    const tuned = consumerSettings('dynamodb-aggregator', 'prod', {
      consumers: { 'dynamodb-aggregator': { memory_size: 2048, batch_size: undefined } },
    });

    // Assess
    expect(dev).toEqual({
      memory_size: 512,
      timeout_seconds: 60,
      batch_size: 1000,
      maximum_batching_window_in_seconds: 5,
      parallelization_factor: 1,
      enhanced_fan_out: false,
      reserved_concurrency: null,
    });
    expect(prod).toMatchObject({ memory_size: 1024, batch_size: 10000, enhanced_fan_out: true });
    expect(tuned).toMatchObject({ memory_size: 2048, batch_size: 10000 });
  });

  it('sizes streams and parameters per environment', () => {
    // Assess
    expect(streamSettings('enriched', 'prod')).toEqual({
      mode: 'PROVISIONED',
      shard_count: 8,
      retention_hours: 168,
    });
    expect(streamSettings('raw', 'dev', { streams: { raw: { shard_count: 2 } } }).shard_count).toBe(2);
    expect(parameterValue('aggregate_ttl_days', 'dev')).toBe(7);
    expect(parameterValue('aggregate_ttl_days', 'example')).toBe(30);
  });

  it.each(environmentNames)('keeps every setting of %s within its limits', (environment) => {
    // Assess
    expect(settingViolations(environment)).toEqual([]);
  });

  it('refuses a tuning that breaks a consumer limit, naming the consumer and the reason', () => {
    // Act
    const problems = settingViolations('prod', {
      consumers: { enrichment: { parallelization_factor: 4 }, 'dynamodb-aggregator': { batch_size: 200 } },
    });

    // Assess
    expect(problems).toEqual([
      expect.stringMatching(
        /^enrichment parallelization_factor \(prod\) is 4, must be 1: its publish ledger is per shard/,
      ),
      expect.stringMatching(
        /^dynamodb-aggregator batch_size \(prod\) is 200, must be 1000 to 10000: its writes/,
      ),
    ]);
  });
});

describe('resolveEnvironment', () => {
  it('resolves resource attributes and parameters, and skips what is for the other target', () => {
    // Act
    const local = resolveEnvironment('opensearch-indexer', 'local', 'dev', resources);
    const aws = resolveEnvironment('opensearch-indexer', 'aws', 'dev', resources);

    // Assess
    expect(local).toEqual({
      OPENSEARCH_ENDPOINT: 'http://os',
      OPENSEARCH_INDEX_PREFIX: 'p-events',
      OPENSEARCH_BULK_MAX_BYTES: '5242880',
      TIMEOUT_GUARD_MS: '1000',
      QUARANTINE_QUEUE_URL: 'http://sqs/p-quarantine',
    });
    expect(aws).toMatchObject({ OPENSEARCH_DOMAIN_NAME: 'p-events' });
    expect(aws).not.toHaveProperty('OPENSEARCH_ENDPOINT');
  });

  it('takes environment-specific parameter values', () => {
    // Act
    const prod = resolveEnvironment('dynamodb-aggregator', 'aws', 'prod', resources);

    // Assess
    expect(prod).toEqual({
      AGGREGATES_TABLE_NAME: 'p-aggregates',
      AGGREGATE_TTL_DAYS: '90',
      QUARANTINE_QUEUE_URL: 'http://sqs/p-quarantine',
    });
  });

  it('names the variable whose resource the deployment lacks', () => {
    // Prepare
    const partial: ResourceMap = { ...resources, table: {} };

    // Act
    const act = () => resolveEnvironment('dynamodb-aggregator', 'local', 'dev', partial);

    // Assess
    expect(act).toThrow(ContractReferenceError);
    expect(act).toThrow(
      "dynamodb-aggregator AGGREGATES_TABLE_NAME: no table 'aggregates' in this deployment",
    );
  });
});

describe('unreadVariables', () => {
  it('names the declared variables a config spec leaves unread', () => {
    // Prepare
    const spec = { tableName: { variable: 'AGGREGATES_TABLE_NAME' }, region: { variable: 'AWS_REGION' } };

    // Act
    const unread = unreadVariables('dynamodb-aggregator', spec);

    // Assess
    expect(unread).toEqual(['AGGREGATE_TTL_DAYS', 'QUARANTINE_QUEUE_URL']);
  });
});

describe('mappingSettings', () => {
  it('keeps records an hour in dev and a day in prod before they go to the on-failure queue', () => {
    // Assess
    expect(mappingSettings('dev')).toEqual({
      starting_position: 'TRIM_HORIZON',
      bisect_batch_on_function_error: true,
      maximum_retry_attempts: 10,
      maximum_record_age_in_seconds: 3600,
    });
    expect(mappingSettings('prod').maximum_record_age_in_seconds).toBe(86400);
  });
});
