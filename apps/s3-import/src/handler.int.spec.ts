import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createClient } from '@shardline/aws';
import { useLocalStack, type LocalStack } from '@shardline/local-stack';
import { captureMetrics, declaredMetrics, METRICS_AS_DEPLOYED } from '@shardline/middleware/testing';
import { makeLambdaContext } from '@shardline/records/testing';
import { generateEvents } from '@shardline/schema/testing';
import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import type { InvocationSummary } from './handleImportEvent';
import type { LineQuarantineMessage } from './importObject';
import { startDynamoFaultProxy, startInvokeRecorder, type InvokeRecorder } from './test-helpers/localServers';

type Handler = (event: unknown, context: Context) => Promise<InvocationSummary>;

jest.setTimeout(180_000);

const suffix = randomUUID().slice(0, 8);
const names = {
  inbox: `inbox-${suffix}`,
  overflow: `overflow-${suffix}`,
  table: `checkpoints-${suffix}`,
  queue: `import-quarantine-${suffix}`,
};
const PREFIX = 'incoming';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:shardline-test-s3-import';

let stack: LocalStack;
let kinesis: KinesisClient;
let s3: S3Client;
let sqs: SQSClient;
let dynamodb: DynamoDBClient;
let queueUrl: string;
let recorder: InvokeRecorder;
const saved = { ...process.env };

/** `count` ad events as NDJSON lines (the generator's own ids), in file order. */
const eventLines = (count: number, seed: number) =>
  generateEvents({ count, seed }).map((f) => JSON.stringify(f.event));

async function createStream(name: string, shards: number): Promise<void> {
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  for (;;) {
    const out = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (out.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await sleep(20);
  }
}

/** Every record of the stream, shard by shard in sequence order: the event ids with their partition keys. */
async function readStream(
  stream: string,
): Promise<Array<{ shard: string; partitionKey: string; id: string }>> {
  const out: Array<{ shard: string; partitionKey: string; id: string }> = [];
  for (const shard of (await kinesis.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? []) {
    let { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: stream,
        ShardId: shard.ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    for (;;) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
      for (const r of page.Records ?? []) {
        const event = JSON.parse(Buffer.from(r.Data!).toString()) as { id: string };
        out.push({ shard: shard.ShardId!, partitionKey: r.PartitionKey!, id: event.id });
      }
      if (!page.Records?.length || page.MillisBehindLatest === 0) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  return out;
}

async function drainQuarantine(): Promise<LineQuarantineMessage[]> {
  const out: LineQuarantineMessage[] = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (!Messages?.length) return out;
    out.push(...Messages.map((m) => JSON.parse(m.Body!) as LineQuarantineMessage));
  }
}

/** Drops a file in the inbox and returns the S3 notification Lambda would be invoked with. */
async function drop(key: string, body: Buffer) {
  const put = await s3.send(new PutObjectCommand({ Bucket: names.inbox, Key: key, Body: body }));
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: names.inbox, arn: `arn:aws:s3:::${names.inbox}` },
          object: {
            key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'),
            size: body.length,
            eTag: put.ETag!.replace(/"/g, ''),
            sequencer: '0055AED6DCD90281E5',
          },
        },
      },
    ],
  };
}

/** A fresh cold start of the handler, writing to `stream`, with these environment overrides. */
function loadHandler(stream: string, env: Record<string, string> = {}): Handler {
  Object.assign(process.env, stack.env(), {
    RAW_STREAM_NAME: stream,
    QUARANTINE_QUEUE_URL: queueUrl,
    QUARANTINE_OVERFLOW_BUCKET: names.overflow,
    INBOX_BUCKET: names.inbox,
    INBOX_PREFIX: PREFIX,
    CHECKPOINT_TABLE_NAME: names.table,
    IMPORT_HANDOFF_MARGIN_MS: '60000',
    AWS_ENDPOINT_URL_LAMBDA: recorder.url,
    ...env,
  });
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    handler = (require('./handler') as { handler: Handler }).handler;
  });
  return handler!;
}

const context = (): Context => ({ ...makeLambdaContext(900_000), invokedFunctionArn: FUNCTION_ARN });

/** A context with less than the hand-off margin left: the importer puts one chunk, then hands off. */
const shortContext = (): Context => ({ ...context(), getRemainingTimeInMillis: () => 30_000 });

const countBy = (ids: string[]) => {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
};

beforeAll(async () => {
  stack = await useLocalStack(['kinesis', 'dynamodb', 's3', 'sqs']);
  Object.assign(process.env, stack.env());
  kinesis = createClient(KinesisClient);
  s3 = createClient(S3Client);
  sqs = createClient(SQSClient);
  dynamodb = createClient(DynamoDBClient);
  recorder = await startInvokeRecorder();
  await s3.send(new CreateBucketCommand({ Bucket: names.inbox }));
  await s3.send(new CreateBucketCommand({ Bucket: names.overflow }));
  await dynamodb.send(
    new CreateTableCommand({
      TableName: names.table,
      AttributeDefinitions: [{ AttributeName: 'objectId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'objectId', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: names.queue }))).QueueUrl!;
});

afterAll(async () => {
  process.env = { ...saved };
  await recorder?.stop();
  await stack?.stop();
});

describe('s3-import on the local stack (fauxqs S3 and SQS, kinesalite, DynamoDB Local)', () => {
  it('imports a multi-chunk gzip file in order, quarantines malformed lines with their place, and skips it the second time', async () => {
    // Prepare: 2,400 events (five PutRecords chunks), a line that is not JSON and one over 256 KiB.
    const stream = `raw-gzip-${suffix}`;
    await createStream(stream, 2);
    const lines = eventLines(2_400, 31);
    lines.splice(1_233, 0, '{"id": "cut off');
    lines.splice(
      2_000,
      0,
      JSON.stringify({ id: 'huge', source: '/s', type: 't', data: { pad: 'x'.repeat(300_000) } }),
    );
    const event = await drop(`${PREFIX}/day 1/events.ndjson.gz`, gzipSync(lines.join('\n') + '\n'));
    const handler = loadHandler(stream);

    // Act
    const first = await handler(event, context());
    const again = await handler(event, context());

    // Assess
    expect(first.results).toEqual([
      expect.objectContaining({
        key: `${PREFIX}/day 1/events.ndjson.gz`,
        status: 'done',
        imported: 2_400,
        malformed: 2,
        putCalls: 5,
      }),
    ]);
    expect(again.results).toEqual([expect.objectContaining({ status: 'skipped', imported: 0 })]);
    const records = await readStream(stream);
    const ids = lines
      .filter((_, i) => i !== 1_233 && i !== 2_000)
      .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(records.map((r) => r.id).sort()).toEqual([...ids].sort());
    // In file order within each shard.
    for (const shard of new Set(records.map((r) => r.shard))) {
      const inShard = records.filter((r) => r.shard === shard).map((r) => r.id);
      expect(inShard).toEqual(ids.filter((id) => inShard.includes(id)));
    }
    const quarantined = await drainQuarantine();
    expect(quarantined.map((m) => [m.reason, m.file.line, m.file.key])).toEqual([
      ['JSON_INVALID', 1_234, `${PREFIX}/day 1/events.ndjson.gz`],
      ['LINE_TOO_LARGE', 2_001, `${PREFIX}/day 1/events.ndjson.gz`],
    ]);
    expect(Buffer.from(quarantined[0]!.data!, 'base64').toString()).toBe('{"id": "cut off');
    expect(quarantined[1]!.dataLocation).toMatch(
      new RegExp(`^s3://${names.overflow}/quarantine-overflow/s3-import/file-`),
    );
  });

  it('hands the rest of a gzip file to a fresh invocation of itself when time runs short, which finishes it', async () => {
    // Prepare
    const stream = `raw-handoff-${suffix}`;
    await createStream(stream, 1);
    const lines = eventLines(1_800, 32);
    // gzip, so the continuation inflates from the start and drops what the checkpoint covers.
    const event = await drop(`${PREFIX}/handoff.ndjson.gz`, gzipSync(lines.join('\n')));
    const handler = loadHandler(stream);
    const before = recorder.invocations.length;

    // Act
    const first = await handler(event, shortContext());
    const continuation = recorder.invocations.slice(before);
    const second = await handler(continuation[0]!.payload, context());

    // Assess
    expect(first.results).toEqual([expect.objectContaining({ status: 'handed-off', imported: 500 })]);
    expect(continuation).toEqual([
      {
        functionName: FUNCTION_ARN,
        invocationType: 'Event',
        payload: {
          source: 'shardline.s3-import',
          continuation: expect.objectContaining({
            bucket: names.inbox,
            key: `${PREFIX}/handoff.ndjson.gz`,
            hop: 1,
            checkpoint: {
              lines: 500,
              bytes: Buffer.byteLength(lines.slice(0, 500).join('\n')) + 1,
              done: false,
            },
          }),
        },
      },
    ]);
    expect(second.results).toEqual([
      expect.objectContaining({ status: 'done', resumed: true, imported: 1_300 }),
    ]);
    const records = await readStream(stream);
    expect(records.map((r) => r.id)).toEqual(lines.map((l) => (JSON.parse(l) as { id: string }).id));
  });

  it('resumes from the checkpoint after a crash mid-file, re-sending at most the one chunk it had not recorded', async () => {
    // Prepare: the checkpoint writes fail from the third on, as if the process died after that PutRecords.
    const stream = `raw-crash-${suffix}`;
    await createStream(stream, 2);
    const lines = eventLines(2_200, 33);
    const key = `${PREFIX}/crash.ndjson`;
    const event = await drop(key, Buffer.from(lines.join('\n') + '\n'));
    const proxy = await startDynamoFaultProxy(stack.env().AWS_ENDPOINT_URL_DYNAMODB!);
    proxy.fail = { operation: 'PutItem', after: 2 };
    const crashing = loadHandler(stream, { AWS_ENDPOINT_URL_DYNAMODB: proxy.url });

    try {
      // Act
      await expect(crashing(event, context())).rejects.toThrow();
      const stored = await dynamodb.send(
        new GetItemCommand({
          TableName: names.table,
          Key: { objectId: { S: `${names.inbox}/${key}#${event.Records[0]!.s3.object.eTag}` } },
        }),
      );
      const retry = await loadHandler(stream)(event, context());

      // Assess
      expect(stored.Item?.lines?.N).toBe('1000');
      expect(retry.results).toEqual([
        expect.objectContaining({ status: 'done', resumed: true, imported: 1_200 }),
      ]);
      const counts = countBy((await readStream(stream)).map((r) => r.id));
      const ids = lines.map((l) => (JSON.parse(l) as { id: string }).id);
      expect([...counts.keys()].sort()).toEqual([...ids].sort());
      // Lines 1,001 to 1,500 (the third chunk) went out twice; no other line did.
      expect(new Set([...counts].filter(([, c]) => c > 1).map(([id]) => id))).toEqual(
        new Set(ids.slice(1_000, 1_500)),
      );
    } finally {
      await proxy.stop();
    }
  });

  it('emits every metric the contract declares for it, with its dimensions, and no other', async () => {
    // Prepare: metrics on, as deployed; a small file with a malformed line.
    const stream = `raw-metrics-${suffix}`;
    await createStream(stream, 1);
    const lines = eventLines(20, 41);
    lines.splice(3, 0, 'not json');
    const event = await drop(`${PREFIX}/metrics.ndjson`, Buffer.from(lines.join('\n') + '\n'));
    const handler = loadHandler(stream, { ...METRICS_AS_DEPLOYED });

    // Act
    const emitted = await captureMetrics(async () => {
      expect((await handler(event, context())).results).toEqual([
        expect.objectContaining({ status: 'done', imported: 20, malformed: 1 }),
      ]);
    });

    // Assess
    expect(emitted).toEqual(declaredMetrics('s3-import'));
    await drainQuarantine();
  });
});
