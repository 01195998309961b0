import { gzipSync } from 'node:zlib';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
} from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createClient } from '@shardline/aws';
import { useLocalStack, type LocalStack } from '@shardline/local-stack';
import { replayArchive } from './replayArchive';

describe('replayArchive on the local stack', () => {
  let stack: LocalStack;
  let s3: S3Client;
  let kinesis: KinesisClient;
  beforeAll(async () => {
    stack = await useLocalStack(['kinesis', 's3']);
    const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
    s3 = createClient(S3Client, {
      endpoint: stack.endpoints.s3!,
      region: stack.region,
      extra: { credentials, forcePathStyle: true },
    });
    kinesis = createClient(KinesisClient, {
      endpoint: stack.endpoints.kinesis!,
      region: stack.region,
      extra: { credentials },
    });
  }, 120_000);
  afterAll(async () => {
    s3?.destroy();
    kinesis?.destroy();
    await stack?.stop();
  });

  it('republishes the archived events of the range, and only those', async () => {
    // Prepare
    const bucket = `replay-${process.pid}`;
    const stream = `replay-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
    const event = (id: string, time: string) =>
      JSON.stringify({ id, source: 'test', time, data: { userId: `u-${id}` } });
    const put = (key: string, lines: string[]) =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync(`${lines.join('\n')}\n`) }));
    await put('events/dt=2026-11-26/hour=10/shardId-000000000000-1.ndjson.gz', [
      event('early', '2026-11-26T09:59:59.000Z'),
      event('a', '2026-11-26T10:05:00.000Z'),
    ]);
    // Arrived in the next hour, happened in range: found through the lag margin.
    await put('events/dt=2026-11-26/hour=11/shardId-000000000000-9.ndjson.gz', [
      event('late', '2026-11-26T10:59:00.000Z'),
      event('after', '2026-11-26T11:00:00.000Z'),
    ]);
    await put('events/dt=2026-11-26/hour=13/shardId-000000000000-20.ndjson.gz', [
      event('far', '2026-11-26T10:30:00.000Z'),
    ]);
    let status = '';
    while (status !== 'ACTIVE') {
      const d = await kinesis.send(new DescribeStreamCommand({ StreamName: stream }));
      status = d.StreamDescription?.StreamStatus ?? '';
    }

    // Act
    const result = await replayArchive({
      s3,
      kinesis,
      bucket,
      prefix: 'events',
      from: new Date('2026-11-26T10:00:00Z'),
      to: new Date('2026-11-26T11:00:00Z'),
      stream,
      rate: 1000,
      lagHours: 1,
      keepEnrichment: false,
    });

    // Assess
    expect(result).toMatchObject({ objects: 2, matched: 2, published: 2, failed: 0 });
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: stream,
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    const ids = (Records ?? []).map(
      (r) => (JSON.parse(Buffer.from(r.Data!).toString('utf8')) as { id: string }).id,
    );
    expect(ids).toEqual(['a', 'late']);
    expect(Records![0]!.PartitionKey).toBe('u-a');
  }, 60_000);
});
