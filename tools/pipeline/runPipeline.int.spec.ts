import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { useLocalStack, type LocalStack } from '@shardline/local-stack';
import { consumerNames as APPS } from '@shardline/contract';
import { runPipeline } from './runPipeline';
import { hasApp, ingestBundleOf } from './ingestFunctions';

// End to end on the real local stack and the real bundles: a small run, then the same with chaos.
const ROOT = resolve(__dirname, '..', '..');
const bundlesBuilt = APPS.every((app) => existsSync(join(ROOT, 'dist', 'apps', app, 'index.js')));
// The ingest API's own bundle once the workspace has the app; until then a stand-in with its request and answer
// shapes (test-helpers/ingestNdjson.cjs).
const realIngestApi = hasApp(ROOT, 'ingest-api');
const ingestBundles = realIngestApi
  ? undefined
  : { 'ingest-api': join(__dirname, 'test-helpers', 'ingestNdjson.cjs') };
const ingestBuilt = !realIngestApi || existsSync(ingestBundleOf(ROOT, 'ingest-api'));

describe('runPipeline on the local stack', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await useLocalStack(['kinesis', 'dynamodb', 's3', 'sqs', 'opensearch']);
  }, 240_000);
  afterAll(() => stack?.stop());

  const run = (chaos: number, namePrefix: string) =>
    runPipeline({
      root: ROOT,
      stack,
      events: 300,
      rate: 1000,
      seed: 3,
      chaos,
      // The bundles are built once when missing; afterwards the ones in dist are used.
      build: !bundlesBuilt,
      namePrefix,
      logDir: join(tmpdir(), `pipeline-logs-${process.pid}`),
    });

  it('archives, indexes and aggregates every valid event exactly once and quarantines the rest', async () => {
    // Act
    const { summary, sinks } = await run(0, `e2e${process.pid}a-`);

    // Assess
    expect(summary).toMatchObject({ produced: 300, lost: 0, duplicated: 0, ok: true });
    expect(summary.valid).toBeGreaterThan(0);
    expect(summary.valid + summary.quarantined).toBe(300);
    expect(summary.archived).toBe(summary.valid);
    expect(summary.indexed).toBe(summary.valid);
    expect(summary.aggregatedEvents).toBe(summary.valid);
    expect(summary.consumers.enrichment.invocations).toBeGreaterThan(0);
    for (const app of APPS) {
      const { delivery } = summary.consumers[app];
      expect(delivery.streamRecords).toBeGreaterThan(0);
      expect(delivery).toMatchObject({ acknowledged: delivery.streamRecords, missing: 0, repeated: 0 });
    }
    // Mean record sizes of both streams, for the capacity lines: an enriched event carries more than its raw one.
    const archivedBytes = sinks.archiveLines.reduce((n, line) => n + Buffer.byteLength(line), 0);
    expect(summary.recordBytes.enriched).toBe(Math.round(archivedBytes / sinks.archiveLines.length));
    expect(summary.recordBytes.raw).toBeGreaterThan(100);
    expect(summary.recordBytes.enriched).toBeGreaterThan(summary.recordBytes.raw);
  }, 180_000);

  // Through the HTTP API emulator in front of the ingest API; events without an id are refused at the door.
  it('carries the load through the ingest API: refused events accounted for, the rest in every sink once', async () => {
    // Act
    const { summary } = await runPipeline({
      root: ROOT,
      stack,
      events: 300,
      rate: 1000,
      seed: 4,
      chaos: 0,
      build: !bundlesBuilt || !ingestBuilt,
      namePrefix: `e2e${process.pid}c-`,
      logDir: join(tmpdir(), `pipeline-logs-${process.pid}`),
      via: 'http',
      requestEvents: 40,
      ...(ingestBundles ? { ingestBundles } : {}),
      invalidRatio: 0.2,
    });

    // Assess
    const ingest = summary.ingest!;
    const refused = Object.values(ingest.refused).reduce((a, b) => a + b, 0);
    expect(ingest.requests).toBeGreaterThanOrEqual(Math.ceil(300 / 40));
    expect(ingest.gzip).toBe(true);
    expect(refused).toBeGreaterThan(0);
    expect(ingest.refused.MISSING_ATTRIBUTE).toBeGreaterThan(0);
    expect(ingest.refusedValid).toBe(0);
    expect(ingest.accepted + refused).toBe(300);
    expect(summary).toMatchObject({ produced: 300, lost: 0, duplicated: 0, ok: true });
    expect(summary.valid + summary.quarantined).toBe(ingest.accepted);
    expect(summary.archived).toBe(summary.valid);
    expect(summary.indexed).toBe(summary.valid);
    expect(summary.aggregatedEvents).toBe(summary.valid);
    for (const app of APPS) {
      const { delivery } = summary.consumers[app];
      expect(delivery).toMatchObject({ acknowledged: delivery.streamRecords, missing: 0, repeated: 0 });
    }
    expect(summary.consumers.enrichment.delivery.streamRecords).toBe(ingest.accepted);
  }, 180_000);

  it('ends with nothing lost or duplicated under sink faults and function crashes', async () => {
    // Act
    const { summary } = await run(0.3, `e2e${process.pid}b-`);

    // Assess
    const injected = APPS.reduce(
      (n, app) => n + summary.consumers[app].injected.sinkFaults + summary.consumers[app].injected.crashes,
      0,
    );
    expect(injected).toBeGreaterThan(0);
    expect(summary).toMatchObject({ produced: 300, lost: 0, duplicated: 0, ok: true });
    expect(summary.archived).toBe(summary.valid);
    expect(summary.indexed).toBe(summary.valid);
    expect(summary.aggregatedEvents).toBe(summary.valid);
    for (const app of APPS)
      expect(summary.consumers[app].delivery).toMatchObject({ missing: 0, repeated: 0 });
  }, 240_000);
});
