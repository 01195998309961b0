import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { consumerNames as APPS } from '@shardline/contract';
import { useLocalStack, type LocalStack } from '@shardline/local-stack';
import { inboxImporters } from './inboxImporters';
import { connect } from './localResources';
import { localTopology } from './localTopology';
import { expectEveryOutputChecked } from './test-helpers/expectOutputs';
import { runPipeline } from './runPipeline';

// The producer sends files: NDJSON (gzip) dropped in the inbox, an S3 notification per file, the importer invoked
// asynchronously, then the whole pipeline to every sink. The importer is the fixture in test-helpers (a minimal
// one, without checkpoints); `npm start -- --via s3` runs the contract's own.
const ROOT = resolve(__dirname, '..', '..');
const bundlesBuilt = APPS.every((app) => existsSync(join(ROOT, 'dist', 'apps', app, 'index.js')));
const FIXTURE_IMPORTER = join(__dirname, 'test-helpers', 'importFiles.cjs');

describe('runPipeline --via s3 on the local stack', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await useLocalStack(['kinesis', 'dynamodb', 's3', 'sqs', 'opensearch']);
  }, 240_000);
  afterAll(() => stack?.stop());

  it('imports the events from gzip NDJSON files and archives, indexes and aggregates each valid one once', async () => {
    // Prepare
    const namePrefix = `e2e${process.pid}s-`;
    const importers = inboxImporters(localTopology({ root: ROOT, namePrefix }));
    expect(importers.length).toBeGreaterThan(0);

    // Act
    const { summary } = await runPipeline({
      root: ROOT,
      stack,
      events: 300,
      rate: 1000,
      seed: 4,
      chaos: 0,
      build: !bundlesBuilt,
      namePrefix,
      logDir: join(tmpdir(), `pipeline-logs-${process.pid}`),
      via: 's3',
      fileEvents: 70,
      ingestBundles: Object.fromEntries(importers.map((i) => [i.name, FIXTURE_IMPORTER])),
    });

    // Assess
    expect(summary).toMatchObject({ via: 's3', produced: 300, lost: 0, duplicated: 0, ok: true });
    expectEveryOutputChecked(summary);
    expect(summary.valid + summary.quarantined).toBe(300);
    for (const importer of importers) {
      // 300 events in files of 70: 5 files, 5 notifications, each imported by one successful invocation.
      expect(summary.inbox![importer.name]).toMatchObject({
        notifications: 5,
        succeeded: 5,
        discarded: { RetriesExhausted: 0, EventAgeExceeded: 0 },
      });
    }
    for (const app of APPS)
      expect(summary.consumers[app].delivery).toMatchObject({ missing: 0, repeated: 0 });
    const clients = connect(stack);
    try {
      const { QueueUrl } = await clients.sqs.send(
        new GetQueueUrlCommand({ QueueName: importers[0]!.onFailureQueue }),
      );
      const failures = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
      expect(failures.Messages ?? []).toEqual([]);
    } finally {
      for (const c of Object.values(clients)) c.destroy();
    }
  }, 300_000);
});
