import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { consumerNames, consumerSettings, contract, streamSettings, variablesOf } from '@shardline/contract';
import { TopologyError } from './errors';
import { consumerEnvironment, localResources, localTopology, readTuning } from './localTopology';

const ROOT = resolve(__dirname, '..', '..');

const endpoints = {
  region: 'eu-west-1',
  queueUrl: (name: string) => `http://127.0.0.1:9324/000000000000/${name}`,
  opensearchEndpoint: 'http://127.0.0.1:9200',
};

/** A workspace root holding only a dev tuning file. */
function rootWithTuning(tuning: unknown): string {
  const root = mkdtempSync(join(tmpdir(), 'local-topology-'));
  mkdirSync(join(root, 'terraform', 'environments', 'dev'), { recursive: true });
  writeFileSync(
    join(root, 'terraform', 'environments', 'dev', 'tuning.auto.tfvars.json'),
    JSON.stringify(tuning),
  );
  return root;
}

describe('localTopology (the contract in the dev environment)', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('names every resource as Terraform names it in dev', () => {
    // Act
    const topology = localTopology({ root: ROOT });

    // Assess
    expect(topology.streams).toEqual({
      raw: { name: 'shardline-dev-raw', shardCount: 1 },
      enriched: { name: 'shardline-dev-enriched', shardCount: 1 },
    });
    expect(topology).toMatchObject({
      tables: {
        campaigns: 'shardline-dev-campaigns',
        aggregates: 'shardline-dev-aggregates',
        'enrichment-ledger': 'shardline-dev-enrichment-ledger',
      },
      buckets: { archive: 'shardline-dev-archive-000000000000' },
      queues: { quarantine: 'shardline-dev-quarantine' },
      indexPrefixes: { events: 'events' },
    });
    expect(topology.consumers['s3-archiver'].onFailureQueue).toBe('shardline-dev-s3-archiver-failures');
  });

  it("names and sizes the resources of another environment when asked, with that environment's settings", () => {
    // Act
    const topology = localTopology({ root: ROOT, environment: 'prod' });

    // Assess
    expect(topology.environment).toBe('prod');
    expect(topology.streams.raw).toEqual({
      name: 'shardline-prod-raw',
      shardCount: streamSettings('raw', 'prod').shard_count,
    });
    expect(topology.consumers['dynamodb-aggregator']).toMatchObject({
      memorySize: consumerSettings('dynamodb-aggregator', 'prod').memory_size,
      settings: { batch_size: consumerSettings('dynamodb-aggregator', 'prod').batch_size },
    });
    expect(topology.consumers['dynamodb-aggregator'].settings.batch_size).not.toBe(
      localTopology({ root: ROOT }).consumers['dynamodb-aggregator'].settings.batch_size,
    );
  });

  it("mirrors each consumer's dev sizing and the common mapping", () => {
    // Act
    const { consumers } = localTopology({ root: ROOT });

    // Assess
    expect(Object.keys(consumers)).toEqual(consumerNames);
    expect(consumers['dynamodb-aggregator']).toMatchObject({
      stream: 'enriched',
      memorySize: 512,
      timeoutSeconds: 60,
      settings: {
        starting_position: 'TRIM_HORIZON',
        batch_size: 1000,
        maximum_batching_window_in_seconds: 5,
        bisect_batch_on_function_error: true,
        maximum_retry_attempts: 10,
        maximum_record_age_in_seconds: 3600,
        parallelization_factor: 1,
        function_response_types: ['ReportBatchItemFailures'],
      },
    });
    expect(consumers.enrichment).toMatchObject({ stream: 'raw', settings: { batch_size: 100 } });
    expect(consumers['s3-archiver'].timeoutSeconds).toBe(120);
  });

  it('prefixes every name and sets every stream’s shards when asked', () => {
    // Act
    const topology = localTopology({ root: ROOT, namePrefix: 'run1-', shards: 3 });

    // Assess
    expect(topology.streams.enriched).toEqual({ name: 'run1-shardline-dev-enriched', shardCount: 3 });
    expect(topology.tables.campaigns).toBe('run1-shardline-dev-campaigns');
    expect(topology.indexPrefixes.events).toBe('run1-events');
    expect(topology.consumers.enrichment.onFailureQueue).toBe('run1-shardline-dev-enrichment-failures');
  });

  it('applies the dev tuning file over the contract', () => {
    // Prepare
    const root = rootWithTuning({
      tuning: {
        streams: { raw: { shard_count: 2 } },
        consumers: { 'opensearch-indexer': { memory_size: 1024, batch_size: 300 } },
      },
    });
    roots.push(root);

    // Act
    const topology = localTopology({ root });

    // Assess
    expect(topology.streams.raw.shardCount).toBe(2);
    expect(topology.consumers['opensearch-indexer']).toMatchObject({
      memorySize: 1024,
      settings: { batch_size: 300 },
    });
    expect(topology.notes.join('\n')).toContain('tuning.auto.tfvars.json applied');
  });

  it('refuses a tuning outside the contract limits, naming the consumer and the reason', () => {
    // Prepare
    const root = rootWithTuning({ tuning: { consumers: { 's3-archiver': { parallelization_factor: 3 } } } });
    roots.push(root);

    // Act
    const act = () => localTopology({ root });

    // Assess
    expect(act).toThrow(TopologyError);
    expect(act).toThrow(/s3-archiver parallelization_factor \(dev\) is 3, must be 1: its object keys/);
  });

  it('refuses a tuning file of the wrong shape, naming the file and the field', () => {
    // Prepare
    const root = rootWithTuning({ tuning: { consumers: { enrichment: { batchSize: 100 } } } });
    roots.push(root);

    // Act
    const act = () => readTuning(root, 'dev');

    // Assess
    expect(act).toThrow(/tuning\.auto\.tfvars\.json is not a valid tuning: tuning\.consumers\.enrichment/);
  });
});

describe('consumerEnvironment', () => {
  it.each(consumerNames)('gives %s every variable the contract declares for the local stack', (app) => {
    // Prepare
    const topology = localTopology({ root: ROOT });
    const declared = Object.entries({
      ...contract.consumers[app].environment,
      ...contract.common.environment,
    })
      .filter(([, v]) => (v as { only?: string }).only !== 'aws')
      .map(([name]) => name);

    // Act
    const environment = consumerEnvironment(app, topology, localResources(topology, endpoints));

    // Assess
    expect(Object.keys(environment).sort()).toEqual(
      [...declared, 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_LOG_LEVEL'].sort(),
    );
    expect(environment.QUARANTINE_QUEUE_URL).toBe(
      'http://127.0.0.1:9324/000000000000/shardline-dev-quarantine',
    );
  });

  it('resolves names and dev parameters, and points the indexer at the local endpoint instead of a domain', () => {
    // Prepare
    const topology = localTopology({ root: ROOT, namePrefix: 'run1-' });
    const resources = localResources(topology, endpoints);
    const v = variablesOf('opensearch-indexer');

    // Act
    const enrichment = consumerEnvironment('enrichment', topology, resources);
    const aggregator = consumerEnvironment('dynamodb-aggregator', topology, resources);
    const indexer = consumerEnvironment('opensearch-indexer', topology, resources);

    // Assess
    expect(enrichment).toMatchObject({
      ENRICHED_STREAM_NAME: 'run1-shardline-dev-enriched',
      ENRICHMENT_LEDGER_TABLE_NAME: 'run1-shardline-dev-enrichment-ledger',
      QUARANTINE_OVERFLOW_BUCKET: 'run1-shardline-dev-archive-000000000000',
      CAMPAIGN_CACHE_TTL_SECONDS: '300',
      POWERTOOLS_SERVICE_NAME: 'enrichment',
    });
    expect(aggregator.AGGREGATE_TTL_DAYS).toBe('7');
    expect(indexer[v.OPENSEARCH_ENDPOINT]).toBe('http://127.0.0.1:9200');
    expect(indexer[v.OPENSEARCH_INDEX_PREFIX]).toBe('run1-events');
    expect(indexer).not.toHaveProperty(v.OPENSEARCH_DOMAIN_NAME);
  });
});
