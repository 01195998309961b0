import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createClient } from '@shardline/aws';
import { useLocalStack, type LocalStack } from '@shardline/local-stack';
import type { KinesisBatchResponse, QuarantineMessage } from '@shardline/middleware';
import { captureMetrics, declaredMetrics, METRICS_AS_DEPLOYED } from '@shardline/middleware/testing';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { CONSUMER } from './config';
import type * as HandlerModule from './handler';
import { enrichedEvents, shardEvent, sliceEvent } from './test-helpers/enrichedEvents';
import { archivedIdentities, readArchive, type ArchivedObject } from './test-helpers/readArchive';
import { injectS3Faults, type AttemptAction } from './test-helpers/s3Faults';

const BUCKET = 'shardline-archive-test';
const HOUR_START = 1704070800; // 2024-01-01T01:00:00Z
// 300 events arriving over an hour boundary (one every 50 ms from 00:59:52), so batches span two partitions.
const events = enrichedEvents(300, 7);
const event = shardEvent(events, { arrival: (i) => HOUR_START - 8 + i * 0.05 });
// Small objects, so that one delivery writes a dozen of them.
const MAX_OBJECT_BYTES = 320 * 1024;

let stack: LocalStack;
let s3: S3Client;
let sqs: SQSClient;
let queueUrl: string;
const loaded: S3Client[] = [];

beforeAll(async () => {
  stack = await useLocalStack(['s3', 'sqs']);
  s3 = createClient(S3Client, { endpoint: stack.endpoints.s3, region: stack.region, extra: credentials() });
  sqs = createClient(SQSClient, {
    endpoint: stack.endpoints.sqs,
    region: stack.region,
    extra: credentials(),
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 's3-archiver-quarantine' })))
    .QueueUrl as string;
}, 120_000);

afterAll(async () => {
  for (const client of loaded) client.destroy();
  s3?.destroy();
  sqs?.destroy();
  await stack?.stop();
});

function credentials(): Record<string, unknown> {
  return { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
}

/**
 * The archiver as deployed: `handler.ts` loaded with its own cold start and the environment Terraform would set,
 * writing under its own prefix; faults are injected into the handler's own S3 client.
 */
function archiver(
  prefix: string,
  decide: (key: string, attempt: number) => AttemptAction = () => 'pass',
  kmsKeyId?: string,
  env: Readonly<Record<string, string>> = {},
) {
  Object.assign(
    process.env,
    stack.env(),
    {
      ARCHIVE_BUCKET: BUCKET,
      ARCHIVE_PREFIX: prefix,
      ARCHIVE_MAX_OBJECT_BYTES: String(MAX_OBJECT_BYTES),
      QUARANTINE_QUEUE_URL: queueUrl,
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    env,
  );
  if (kmsKeyId === undefined) delete process.env.ARCHIVE_KMS_KEY_ID;
  else process.env.ARCHIVE_KMS_KEY_ID = kmsKeyId;
  let module: typeof HandlerModule | undefined;
  jest.isolateModules(() => {
    module = require('./handler') as typeof HandlerModule;
  });
  const { handler, clients } = module!;
  loaded.push(clients.s3);
  const wire = injectS3Faults(clients.s3, decide);
  const invoke = (e: KinesisStreamEvent): Promise<KinesisBatchResponse> =>
    handler(e, lambdaContext()) as Promise<KinesisBatchResponse>;
  return { invoke, wire };
}

function lambdaContext(): Context {
  return {
    functionName: 's3-archiver',
    awsRequestId: 'req-1',
    getRemainingTimeInMillis: () => 60_000,
  } as unknown as Context;
}

/** Delivers an event as the event source mapping would: resume at the lowest reported failure until none is left. */
async function deliver(
  invoke: (e: KinesisStreamEvent) => Promise<KinesisBatchResponse>,
  e: KinesisStreamEvent,
) {
  let records = e.Records;
  for (let round = 0; records.length > 0; round++) {
    if (round > 20) throw new Error('the batch never succeeded');
    const { batchItemFailures } = await invoke({ Records: records });
    const first = batchItemFailures[0]?.itemIdentifier;
    records =
      first === undefined ? [] : records.slice(records.findIndex((r) => r.kinesis.sequenceNumber === first));
  }
}

/** Multiset of (shard, sequence number) of the archived lines, found by matching each line to its input record. */
function archivedSequenceNumbers(objects: readonly ArchivedObject[]): string[] {
  const bySequence = new Map(
    event.Records.map((r) => [Buffer.from(r.kinesis.data, 'base64').toString('utf8'), `${r.eventID}`]),
  );
  return objects
    .flatMap((o) => o.lines.map((line) => bySequence.get(line) ?? `unknown line ${line.slice(0, 40)}`))
    .sort();
}

describe('s3-archiver against fauxqs', () => {
  let clean: ArchivedObject[];

  beforeAll(async () => {
    const { invoke } = archiver('clean');
    const response = await invoke(event);
    expect(response.batchItemFailures).toEqual([]);
    clean = await readArchive(s3, BUCKET, 'clean');
  }, 60_000);

  it('archives one clean delivery as capped gzip NDJSON objects in hour partitions, with metadata', () => {
    // Assess
    expect(archivedSequenceNumbers(clean)).toEqual(event.Records.map((r) => r.eventID).sort());
    expect(new Set(clean.map((o) => o.key.split('/').slice(0, 3).join('/')))).toEqual(
      new Set(['clean/dt=2024-01-01/hour=00', 'clean/dt=2024-01-01/hour=01']),
    );
    expect(clean.length).toBeGreaterThan(2);
    for (const o of clean) {
      const first = event.Records.find(
        (r) => r.kinesis.sequenceNumber === o.metadata['first-sequence-number'],
      );
      expect(o.key).toBe(
        `${o.key.split('/').slice(0, 3).join('/')}/shardId-000000000000-${first?.kinesis.sequenceNumber}.ndjson.gz`,
      );
      expect(Number(o.metadata['record-count'])).toBe(o.lines.length);
      expect(o.metadata['last-sequence-number']).toBeDefined();
      expect(o.contentLength).toBeLessThanOrEqual(MAX_OBJECT_BYTES);
    }
  });

  it('keeps server-side encryption and the default CRC32 checksum on every PUT', async () => {
    // Prepare
    const plain = archiver('sse-s3');
    const kms = archiver('sse-kms', () => 'pass', 'alias/shardline-archive');

    // Act
    await plain.invoke(sliceEvent(event, 0, 5));
    await kms.invoke(sliceEvent(event, 0, 5));

    // Assess
    for (const a of plain.wire.attempts) {
      expect(a.headers['x-amz-server-side-encryption']).toBe('AES256');
      expect(a.headers['x-amz-checksum-crc32']).toMatch(/^[A-Za-z0-9+/]{6}==$/);
    }
    for (const a of kms.wire.attempts) {
      expect(a.headers['x-amz-server-side-encryption']).toBe('aws:kms');
      expect(a.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBe('alias/shardline-archive');
    }
    expect(plain.wire.attempts.length).toBeGreaterThan(0);
    expect(kms.wire.attempts.length).toBeGreaterThan(0);
  });

  it('ends with the same archived records when a batch is delivered twice', async () => {
    // Prepare
    const { invoke } = archiver('twice');

    // Act
    await deliver(invoke, event);
    await deliver(invoke, event);

    // Assess
    const twice = await readArchive(s3, BUCKET, 'twice');
    expect(archivedSequenceNumbers(twice)).toEqual(archivedSequenceNumbers(clean));
    expect(archivedIdentities(twice)).toEqual(archivedIdentities(clean));
  }, 60_000);

  it('ends with the same archived records when a batch is re-cut into two after a partial success', async () => {
    // Prepare: the fourth object is written but its response is lost on all three SDK attempts, so the batch
    // partly fails
    const order: string[] = [];
    const { invoke } = archiver('recut', (key, attempt) => {
      if (attempt === 0) order.push(key);
      return order.indexOf(key) === 3 && attempt < 3 ? 'store-then-fail' : 'pass';
    });
    const first = await invoke(event);
    const resumeAt = event.Records.findIndex(
      (r) => r.kinesis.sequenceNumber === first.batchItemFailures[0]?.itemIdentifier,
    );
    const middle = resumeAt + Math.floor((event.Records.length - resumeAt) / 3) + 1;

    // Act: the mapping resumes at the first failure with two smaller batches, the first ending mid-object
    const a = await invoke(sliceEvent(event, resumeAt, middle));
    const b = await invoke(sliceEvent(event, middle));

    // Assess
    expect(resumeAt).toBeGreaterThan(0);
    expect([a.batchItemFailures, b.batchItemFailures]).toEqual([[], []]);
    const recut = await readArchive(s3, BUCKET, 'recut');
    expect(archivedSequenceNumbers(recut)).toEqual(archivedSequenceNumbers(clean));
    expect(archivedIdentities(recut)).toEqual(archivedIdentities(clean));
  }, 60_000);

  it('ends with the same archived records after transient S3 failures', async () => {
    // Prepare: of every three objects, one is throttled four times (more than the SDK's three attempts per call),
    // one is stored but answered with 500 three times, one gets through
    let objects = 0;
    const chosen = new Map<string, number>();
    const { invoke, wire } = archiver('faults', (key, attempt) => {
      if (!chosen.has(key)) chosen.set(key, objects++);
      const index = chosen.get(key) as number;
      if (index % 3 === 0 && attempt < 4) return 'throttle';
      if (index % 3 === 1 && attempt < 3) return 'store-then-fail';
      return 'pass';
    });

    // Act
    await deliver(invoke, event);

    // Assess
    expect(wire.attempts.length).toBeGreaterThan(clean.length * 2);
    const faults = await readArchive(s3, BUCKET, 'faults');
    expect(archivedSequenceNumbers(faults)).toEqual(archivedSequenceNumbers(clean));
    expect(archivedIdentities(faults)).toEqual(archivedIdentities(clean));
  }, 120_000);

  it('quarantines a poison record and archives the rest of the batch', async () => {
    // Prepare: record 10 is not JSON, record 20 breaks the enriched-event contract
    const { invoke } = archiver('poison');
    const poisoned: KinesisStreamEvent = {
      Records: event.Records.slice(0, 40).map((r, i) => {
        if (i === 10)
          return { ...r, kinesis: { ...r.kinesis, data: Buffer.from('{"id": oops').toString('base64') } };
        if (i === 20)
          return { ...r, kinesis: { ...r.kinesis, data: Buffer.from('{"id":"x"}').toString('base64') } };
        return r;
      }),
    };

    // Act
    const response = await invoke(poisoned);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    const messages = (received.Messages ?? []).map((m) => JSON.parse(m.Body as string) as QuarantineMessage);
    expect(messages.map((m) => [m.consumer, m.reason, m.sequenceNumber]).sort()).toEqual(
      [
        ['s3-archiver', 'JSON_INVALID', event.Records[10]?.kinesis.sequenceNumber],
        ['s3-archiver', 'SCHEMA_INVALID', event.Records[20]?.kinesis.sequenceNumber],
      ].sort(),
    );
    const archived = await readArchive(s3, BUCKET, 'poison');
    const expected = event.Records.slice(0, 40)
      .filter((_, i) => i !== 10 && i !== 20)
      .map((r) => r.eventID)
      .sort();
    expect(archivedSequenceNumbers(archived)).toEqual(expected);
  }, 60_000);
  it('emits every metric the contract declares for it, with its dimensions, and no other', async () => {
    // Prepare: metrics on, as deployed; a batch with a poison record and an event that is not a Kinesis batch (an
    // unexpected error: BatchErrors). Runs last: its poison record stays in the queue.
    const { invoke } = archiver('metrics', () => 'pass', undefined, METRICS_AS_DEPLOYED);
    const poisoned = sliceEvent(event, 0, 10);
    poisoned.Records[3] = {
      ...poisoned.Records[3]!,
      kinesis: { ...poisoned.Records[3]!.kinesis, data: Buffer.from('{"id": oops').toString('base64') },
    };

    // Act
    const emitted = await captureMetrics(async () => {
      await invoke(poisoned);
      await expect(invoke({} as KinesisStreamEvent)).rejects.toThrow('no Records array');
    });

    // Assess
    expect(emitted).toEqual(declaredMetrics(CONSUMER));
  }, 60_000);
});
