import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
      raw: { name: 'shardline-dev-raw', shardCount: 1 },
      enriched: { name: 'shardline-dev-enriched', shardCount: 1 },
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
