import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProjectGraphAsync, type ProjectGraph } from '@nx/devkit';
import {
  commonMetrics,
  consumerNames,
  consumerSettings,
  contract,
  domainSettings,
  mappingSettings,
  RUNTIME_VARIABLES,
  environmentNames,
  ingestNames,
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

/** The Nx projects that deploy as consumer functions: the apps (tagged type:app) of the workspace. */
function consumerApps(graph: ProjectGraph): Record<string, { root: string; tags: string[] }> {
  return Object.fromEntries(
    Object.values(graph.nodes)
      .filter((node) => node.data.tags?.includes('type:app'))
      .map((node) => [node.name, { root: node.data.root, tags: node.data.tags ?? [] }]),
  );
}

describe('the contract and the workspace', () => {
  let graph: ProjectGraph;

  beforeAll(async () => {
    graph = await createProjectGraphAsync({ exitOnError: false });
  }, 120_000);

  it('declares one consumer per app of the workspace, and nothing else deploys as a consumer', () => {
    // Act: the apps, less those the contract declares as ingest functions.
    const apps = Object.keys(consumerApps(graph)).filter((app) => !(ingestNames as string[]).includes(app));

    // Assess
    expect(apps.sort()).toEqual([...consumerNames].sort());
  });

  it.each(consumerNames)('finds consumer %s under apps/ with its own scope tag', (consumer) => {
    // Act
    const app = consumerApps(graph)[consumer];

    // Assess
    expect(app).toEqual({ root: `apps/${consumer}`, tags: expect.arrayContaining([`scope:${consumer}`]) });
  });
});

describe('the contract accessors', () => {
  it('lists the consumers and environments in the order pipeline.json declares them', () => {
    // Prepare: the file as written, not as imported.
    const written = JSON.parse(readFileSync(join(__dirname, '..', 'pipeline.json'), 'utf8'));

    // Assess
    expect(consumerNames).toEqual(Object.keys(written.consumers));
    expect(consumerNames.length).toBeGreaterThan(0);
    expect(environmentNames).toEqual(Object.keys(written.environments));
  });

  it.each(consumerNames)(
    'names each variable %s reads by itself, with the common and runtime ones, and its own metrics',
    (consumer) => {
      // Act
      const v = variablesOf(consumer) as Record<string, string>;
      const m = metricsOf(consumer) as Record<string, string>;

      // Assess
      const own = Object.keys(contract.consumers[consumer].environment);
      expect(Object.keys(v).sort()).toEqual(
        [...own, ...Object.keys(contract.common.environment), ...RUNTIME_VARIABLES].sort(),
      );
      for (const [key, name] of Object.entries(v)) expect(name).toBe(key);
      expect(Object.keys(m)).toEqual(Object.keys(contract.consumers[consumer].metrics));
      for (const [key, name] of Object.entries(m)) expect(name).toBe(key);
      expect(Object.keys(m).filter((metric) => metric in commonMetrics)).toEqual([]);
    },
  );

  it('names the variables of a consumer: the aggregator, for one', () => {
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

  it('sizes the OpenSearch domain per environment over a complete default', () => {
    // Assess
    expect(domainSettings('events', 'dev')).toEqual({
      instance_type: 't3.small.search',
      instance_count: 1,
      dedicated_master_type: 'm6g.large.search',
      dedicated_master_count: 0,
      volume_size_gb: 10,
    });
    expect(domainSettings('events', 'prod')).toEqual({
      instance_type: 'r6g.large.search',
      instance_count: 3,
      dedicated_master_type: 'm6g.large.search',
      dedicated_master_count: 3,
      volume_size_gb: 200,
    });
    expect(() => domainSettings('campaigns', 'dev')).toThrow("the contract declares no domain 'campaigns'");
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
