import { randomUUID } from 'node:crypto';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordsCommand,
  type PutRecordsResultEntry,
} from '@aws-sdk/client-kinesis';
import { createClient } from '@shardline/aws';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startLocalStack, useLocalStack } from '@shardline/local-stack';

/** Kinesis of the local stack (kinesalite, in this process) and a client for it. */
export interface LocalKinesis {
  endpoint: string;
  kinesis: KinesisClient;
  stop(): Promise<void>;
}

/** Starts the local stack's Kinesis alone, with a client built by the workspace's one client factory. */
export async function startLocalKinesis(): Promise<LocalKinesis> {
  const stack = await startLocalStack({ services: ['kinesis'] });
  const endpoint = stack.endpoints.kinesis!;
  const kinesis = createClient(KinesisClient, {
    endpoint,
    region: stack.region,
    extra: { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
  });
  return {
    endpoint,
    kinesis,
    stop: async () => {
      kinesis.destroy();
      await stack.stop();
    },
  };
}

/** For a describe block: something started before its tests and stopped after them, read inside tests. */
function useStarted<T extends { stop(): Promise<void> }>(what: string, start: () => Promise<T>): () => T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  }, 60_000);
  afterAll(async () => {
    await started?.stop();
  });
  return () => {
    if (!started) throw new Error(`${what} is not started yet (use it inside tests)`);
    return started;
  };
}

/** For a describe block: the local stack's Kinesis, started before its tests and stopped after them. */
export function useLocalKinesis(): () => LocalKinesis {
  return useStarted('useLocalKinesis: the local Kinesis', startLocalKinesis);
}

/** Kinesis and SQS of the local stack (the shared one when SHARDLINE_LOCAL_STACK is set), with clients. */
export interface LocalKinesisAndSqs {
  region: string;
  kinesis: KinesisClient;
  sqs: SQSClient;
  stop(): Promise<void>;
}

/**
 * For a describe block: the local stack's Kinesis and SQS, started (or joined) before its tests and stopped
 * after them. On a shared stack, delete what a test creates.
 */
export function useLocalKinesisAndSqs(): () => LocalKinesisAndSqs {
  return useStarted('useLocalKinesisAndSqs: the local stack', async () => {
    const stack = await useLocalStack(['kinesis', 'sqs']);
    const extra = { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const kinesis = createClient(KinesisClient, {
      endpoint: stack.endpoints.kinesis!,
      region: stack.region,
      extra,
    });
    const sqs = createClient(SQSClient, { endpoint: stack.endpoints.sqs!, region: stack.region, extra });
    return {
      region: stack.region,
      kinesis,
      sqs,
      stop: async () => {
        kinesis.destroy();
        sqs.destroy();
        await stack.stop();
      },
    };
  });
}

let streamCounter = 0;
/** Jest loads this module afresh for every test file, in the same process: the suffix keeps files apart on a shared stack. */
const moduleSuffix = randomUUID().slice(0, 8);

/** Creates a stream with a unique name and waits until it is ACTIVE. */
export async function createStream(kinesis: KinesisClient, shardCount = 1): Promise<string> {
  streamCounter += 1;
  const name = `stream-${process.pid}-${moduleSuffix}-${streamCounter}`;
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }));
  for (;;) {
    const out = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (out.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return name;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A record to put: JSON-serialisable data or raw bytes. */
export interface TestRecord {
  data: unknown;
  partitionKey?: string;
}

/** Puts records in order (one PutRecords call per 500) and returns their sequence numbers and shards. */
export async function putRecords(
  kinesis: KinesisClient,
  streamName: string,
  records: TestRecord[],
): Promise<PutRecordsResultEntry[]> {
  const results: PutRecordsResultEntry[] = [];
  for (let i = 0; i < records.length; i += 500) {
    const chunk = records.slice(i, i + 500);
    const out = await kinesis.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: chunk.map((record, j) => ({
          Data:
            record.data instanceof Uint8Array
              ? record.data
              : Buffer.from(JSON.stringify(record.data), 'utf8'),
          PartitionKey: record.partitionKey ?? `pk-${i + j}`,
        })),
      }),
    );
    if (out.FailedRecordCount) throw new Error(`${out.FailedRecordCount} records failed to put`);
    results.push(...(out.Records ?? []));
  }
  return results;
}

/** Decodes the JSON data of a Lambda Kinesis record. */
export function decodeData(record: { kinesis: { data: string } }): unknown {
  return JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
}
