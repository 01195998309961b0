import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { APPS, optionalDefaults, readDevTopology } from './readDevTopology';

const ROOT = resolve(__dirname, '..', '..');

/** The `consumers = {...}` lines of the dev root, read as plain text: an oracle independent of the HCL parser. */
function consumerSizingFromText(): Record<string, Record<string, number>> {
  const text = readFileSync(resolve(ROOT, 'terraform/environments/dev/main.tf'), 'utf8');
  const sizing: Record<string, Record<string, number>> = {};
  for (const [, app, body] of text.matchAll(
    /^[ \t]*([a-z0-9-]+)[ \t]*=[ \t]*\{([^}\n]*batch_size[^}\n]*)\}/gm,
  )) {
    sizing[app!] = Object.fromEntries(
      [...body!.matchAll(/(\w+)\s*=\s*(\d+)/g)].map((m) => [m[1], Number(m[2])]),
    );
  }
  return sizing;
}

describe('readDevTopology (terraform/environments/dev, read with the HCL parser)', () => {
  it('resolves stream names and shard counts', async () => {
    // Act
    const topology = await readDevTopology(ROOT);

    // Assess
    expect(topology.streams).toEqual({
      raw: { name: 'shardline-dev-raw', shardCount: 1, mode: 'PROVISIONED', retentionHours: 24 },
      enriched: { name: 'shardline-dev-enriched', shardCount: 1, mode: 'PROVISIONED', retentionHours: 24 },
    });
  });

  it('resolves table, bucket, queue and index names, substituting the local account id', async () => {
    // Act
    const topology = await readDevTopology(ROOT);

    // Assess
    expect(topology).toMatchObject({
      referenceTable: 'shardline-dev-campaigns',
      aggregatesTable: 'shardline-dev-aggregates',
      archiveBucket: 'shardline-dev-archive-000000000000',
      archivePrefix: 'events',
      quarantineQueue: 'shardline-dev-quarantine',
      indexPrefix: 'events',
    });
    expect(topology.notes.join('\n')).toMatch(/account_id -> 000000000000/);
  });

  it("mirrors each consumer's mapping settings, timeout and size", async () => {
    // Act
    const { consumers } = await readDevTopology(ROOT);

    // Assess
    expect(consumers['s3-archiver']).toMatchObject({
      stream: 'enriched',
      onFailureQueue: 'shardline-dev-s3-archiver-failures',
      settings: {
        starting_position: 'TRIM_HORIZON',
        maximum_batching_window_in_seconds: 1,
        bisect_batch_on_function_error: true,
        maximum_retry_attempts: 10,
        maximum_record_age_in_seconds: 3600,
        parallelization_factor: 1,
        function_response_types: ['ReportBatchItemFailures'],
      },
    });
    expect(consumers.enrichment.stream).toBe('raw');
  });

  it('takes every sizing the dev root sets, and the module defaults for the rest', async () => {
    // Prepare
    const sizing = consumerSizingFromText();

    // Act
    const { consumers } = await readDevTopology(ROOT);

    // Assess
    expect(Object.keys(sizing).sort()).toEqual([...APPS].sort());
    for (const app of APPS) {
      expect(consumers[app].settings.batch_size).toBe(sizing[app]!.batch_size);
      expect(consumers[app].timeoutSeconds).toBe(sizing[app]!.timeout_seconds ?? 60);
      expect(consumers[app].memorySize).toBe(sizing[app]!.memory_size ?? 512);
      expect(consumers[app].settings.parallelization_factor).toBe(sizing[app]!.parallelization_factor ?? 1);
      expect(consumers[app].settings.maximum_batching_window_in_seconds).toBe(
        sizing[app]!.maximum_batching_window_in_seconds ?? 1,
      );
    }
  });

  it('gives each function the environment Terraform wires, names resolved', async () => {
    // Act
    const { consumers } = await readDevTopology(ROOT);

    // Assess
    expect(consumers.enrichment.environment).toMatchObject({
      ENRICHED_STREAM_NAME: 'shardline-dev-enriched',
      REFERENCE_TABLE_NAME: 'shardline-dev-campaigns',
      CAMPAIGN_CACHE_TTL_SECONDS: '300',
      POWERTOOLS_SERVICE_NAME: 'enrichment',
    });
    expect(consumers['dynamodb-aggregator'].environment).toMatchObject({
      AGGREGATES_TABLE_NAME: 'shardline-dev-aggregates',
      AGGREGATE_TTL_DAYS: '7',
    });
    expect(consumers['s3-archiver'].environment.ARCHIVE_KMS_KEY_ID).toBeUndefined();
  });
});

describe('readDevTopology with a tuning file', () => {
  it('applies tuning.auto.tfvars.json over the declared settings, as Terraform does', async () => {
    // Prepare: a copy of terraform/ with the file npm run tune writes
    const root = mkdtempSync(join(tmpdir(), 'tuned-'));
    cpSync(resolve(ROOT, 'terraform'), join(root, 'terraform'), {
      recursive: true,
      filter: (path) => !path.endsWith('tuning.auto.tfvars.json'),
    });
    writeFileSync(
      join(root, 'terraform/environments/dev/tuning.auto.tfvars.json'),
      JSON.stringify({
        tuning: {
          streams: { enriched: { shard_count: 3 } },
          consumers: {
            enrichment: { memory_size: 1024, batch_size: 400 },
            'opensearch-indexer': { parallelization_factor: 2 },
          },
        },
      }),
    );

    try {
      // Act
      const topology = await readDevTopology(root);

      // Assess
      expect(topology.streams.enriched.shardCount).toBe(3);
      expect(topology.streams.raw.shardCount).toBe(1);
      expect(topology.consumers.enrichment.memorySize).toBe(1024);
      expect(topology.consumers.enrichment.settings.batch_size).toBe(400);
      expect(topology.consumers['opensearch-indexer'].settings.parallelization_factor).toBe(2);
      expect(topology.consumers['s3-archiver'].memorySize).toBe(512);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('optionalDefaults', () => {
  it('reads the defaults of optional() attributes of an object type', () => {
    // Prepare
    const type =
      '${object({\n  a = optional(number, 500)\n  b = optional(string, "X")\n  c = optional(number)\n  d = optional(list(string), [])\n})}';

    // Act
    const defaults = optionalDefaults(type);

    // Assess
    expect(defaults).toEqual({ a: 500, b: 'X', d: [] });
  });
});
