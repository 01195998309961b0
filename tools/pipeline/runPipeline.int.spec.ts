import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { useLocalStack, type LocalStack } from '@shardline/local-stack';
import { consumerNames as APPS } from '@shardline/contract';
import type { AdEvent } from '@shardline/schema';
import { generateEvents } from '@shardline/schema/testing';
import { exportSinks } from './exportSinks';
import type { InputRecord } from './readInputFile';
import { runPipeline } from './runPipeline';
import { expectEveryOutputChecked } from './test-helpers/expectOutputs';
import { hasApp, ingestBundleOf } from './ingestFunctions';

// End to end on the real local stack and the real bundles: a small run, the same with chaos, and a run whose input
// holds a record too large for the quarantine queue.
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

  const run = (chaos: number, namePrefix: string, input?: InputRecord[]) =>
    runPipeline({
      root: ROOT,
      stack,
      ...(input ? { input } : {}),
      events: 300,
      rate: 1000,
      seed: 3,
      chaos,
      // The bundles are built once when missing; afterwards the ones in dist are used.
      build: !bundlesBuilt,
      namePrefix,
      logDir: join(tmpdir(), `pipeline-logs-${process.pid}`),
    });

  it('writes every output the contract declares exactly as it must and quarantines the rest', async () => {
    // Act
    const { summary, sinks } = await run(0, `e2e${process.pid}a-`);

    // Assess
    expect(summary).toMatchObject({ produced: 300, lost: 0, duplicated: 0, ok: true });
    expect(summary.valid).toBeGreaterThan(0);
    expect(summary.valid + summary.quarantined).toBe(300);
    expectEveryOutputChecked(summary);
    expect(summary.consumers.enrichment.invocations).toBeGreaterThan(0);
    for (const app of APPS) {
      const { delivery } = summary.consumers[app];
      expect(delivery.streamRecords).toBeGreaterThan(0);
      expect(delivery).toMatchObject({ acknowledged: delivery.streamRecords, missing: 0, repeated: 0 });
    }
    // The invocation traces count each consumer's calls: the archiver's writes are PutObjects.
    expect(summary.consumers['s3-archiver'].calls['s3 PutObject']).toBeGreaterThan(0);
    // Mean record sizes of both streams, for the capacity lines: an enriched event carries more than its raw one.
    const records = sinks.outputs.flatMap((o) => (o.format === 'json-records' ? o.contents.records : []));
    const enrichedBytes = records.reduce((n, record) => n + Buffer.byteLength(record), 0);
    expect(summary.recordBytes.enriched).toBe(Math.round(enrichedBytes / records.length));
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
    expectEveryOutputChecked(summary);
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
    expectEveryOutputChecked(summary);
    for (const app of APPS)
      expect(summary.consumers[app].delivery).toMatchObject({ missing: 0, repeated: 0 });
  }, 240_000);

  it('counts a record too large for the quarantine queue as quarantined, and exports it whole', async () => {
    // Prepare: valid events, and one of 300 KiB (over the 256 KiB record limit, and over SQS's message limit).
    const valid = generateEvents({ count: 20, seed: 11, invalidRatio: 0, startTime: new Date() });
    const first = valid[0]!.event as AdEvent;
    const oversized = Buffer.from(
      JSON.stringify({
        ...first,
        id: 'oversized-1',
        data: { ...first.data, attributes: { padding: 'x'.repeat(300 * 1024) } },
      }),
    );
    const input: InputRecord[] = [
      ...valid.map((g) => ({ data: Buffer.from(JSON.stringify(g.event)), partitionKey: g.partitionKey })),
      { data: oversized, partitionKey: 'oversized' },
    ];
    const exportDir = mkdtempSync(join(tmpdir(), 'pipeline-export-'));

    // Act
    const { summary, sinks } = await run(0, `e2e${process.pid}d-`, input);
    const files = exportSinks(exportDir, sinks);

    // Assess
    expect(summary).toMatchObject({ produced: 21, valid: 20, quarantined: 1, lost: 0, ok: true });
    expectEveryOutputChecked(summary);
    const quarantine = summary.verification.outputs.find((v) => v.output.format === 'quarantine-messages');
    expect(quarantine?.notes).toMatchObject({ 'from overflow': 1, 'unreadable overflow': 0 });
    const exported = readFileSync(join(exportDir, 'quarantine.ndjson'), 'utf8').trim().split('\n');
    expect(exported).toHaveLength(1);
    expect(JSON.parse(exported[0]!)).toMatchObject({
      consumer: 'enrichment',
      data: oversized.toString('base64'),
    });
    expect(files.sort()).toEqual(
      readdirSync(exportDir)
        .map((f) => join(exportDir, f))
        .sort(),
    );
  }, 180_000);

  it('keeps the whole pipeline running with keepRunning: an event sent to the ingest API afterwards reaches the index', async () => {
    // Prepare: a small checked run, left running.
    const pipeline = await runPipeline({
      root: ROOT,
      stack,
      events: 40,
      rate: 1000,
      seed: 5,
      chaos: 0,
      build: !bundlesBuilt || !ingestBuilt,
      namePrefix: `e2e${process.pid}e-`,
      logDir: join(tmpdir(), `pipeline-logs-${process.pid}`),
      ...(ingestBundles ? { ingestBundles } : {}),
      keepRunning: true,
    });
    const later = {
      ...(generateEvents({ count: 1, seed: 77 })[0]!.event as AdEvent),
      id: `later-${process.pid}`,
      time: new Date().toISOString(),
    };
    const pattern = `${Object.values(pipeline.topology.indexPrefixes)[0]!}-*`;
    const os = stack.endpoints.opensearch!;
    const indexed = async () => {
      await fetch(`${os}/${pattern}/_refresh`, { method: 'POST' });
      const response = await fetch(`${os}/${pattern}/_count?allow_no_indices=true`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: { term: { id: later.id } } }),
      });
      return ((await response.json()) as { count: number }).count;
    };

    try {
      // Act: what `curl` does with the printed URL and dev token.
      const answer = await fetch(pipeline.ingest!.apis[0]!.eventsUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${pipeline.ingest!.token}`,
          'content-type': 'application/x-ndjson',
        },
        body: `${JSON.stringify(later)}\n`,
      });
      let count = 0;
      for (let i = 0; i < 240 && count === 0; i++) {
        count = await indexed();
        if (count === 0) await new Promise((r) => setTimeout(r, 250));
      }

      // Assess
      expect(pipeline.summary.ok).toBe(true);
      expect(answer.status).toBe(200);
      expect(count).toBe(1);
    } finally {
      await pipeline.running!.stop();
    }
  }, 240_000);
});
