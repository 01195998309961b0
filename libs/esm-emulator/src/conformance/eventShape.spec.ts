import type { Context } from 'aws-lambda';
import { createStream, decodeData, putRecords, useLocalKinesis } from '../test-helpers/localKinesis';
import { mappingFor, recordingHandler } from '../test-helpers/harness';
import type { EsmKinesisEvent } from '../types';

// Source: https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html (example event) and AWS-FACTS.md.
describe('the Lambda Kinesis event', () => {
  const local = useLocalKinesis();

  it('carries every field of the AWS example event, with eventID <shardId>:<sequenceNumber> and arrival in seconds', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    const [put] = await putRecords(local().kinesis, stream, [
      { data: { hello: 'world' }, partitionKey: 'user-1' },
    ]);
    const handler = recordingHandler();
    const mapping = mappingFor(
      local().kinesis,
      stream,
      handler,
      {},
      {
        eventSourceArn: `arn:aws:kinesis:eu-west-1:123456789012:stream/${stream}`,
        executionRoleArn: 'arn:aws:iam::123456789012:role/lambda-role',
      },
    );

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    const record = handler.events[0]?.Records[0];
    expect(record).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'user-1',
        sequenceNumber: put?.SequenceNumber,
        data: Buffer.from(JSON.stringify({ hello: 'world' })).toString('base64'),
        approximateArrivalTimestamp: expect.any(Number),
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${put?.SequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
      awsRegion: 'eu-west-1',
      eventSourceARN: `arn:aws:kinesis:eu-west-1:123456789012:stream/${stream}`,
    });
    expect(Object.keys(handler.events[0] ?? {})).toEqual(['Records']);
    expect(decodeData(record as never)).toEqual({ hello: 'world' });
    expect(record?.eventID).toMatch(/^shardId-\d{12}:\d+$/);
  });

  it('gives approximateArrivalTimestamp as epoch seconds with millisecond precision, not milliseconds', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    const before = Date.now();
    await putRecords(local().kinesis, stream, [{ data: 1 }]);
    const after = Date.now();
    const handler = recordingHandler();
    const mapping = mappingFor(local().kinesis, stream, handler, {});

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    const seconds = handler.events[0]?.Records[0]?.kinesis.approximateArrivalTimestamp ?? 0;
    expect(seconds * 1000).toBeGreaterThanOrEqual(before - 1000);
    expect(seconds * 1000).toBeLessThanOrEqual(after + 1000);
    expect(Math.round(seconds * 1000) / 1000).toBe(seconds);
  });

  it('delivers one shard per invocation, in sequence order', async () => {
    // Prepare
    const stream = await createStream(local().kinesis, 3);
    const records = Array.from({ length: 60 }, (_, i) => ({ data: { i }, partitionKey: `key-${i % 7}` }));
    await putRecords(local().kinesis, stream, records);
    const handler = recordingHandler();
    const mapping = mappingFor(local().kinesis, stream, handler, { batch_size: 10 });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    const perShard = new Map<string, bigint[]>();
    for (const event of handler.events) {
      const shards = new Set(event.Records.map((r) => r.eventID.split(':')[0]));
      expect(shards.size).toBe(1);
      for (const r of event.Records) {
        const shard = r.eventID.split(':')[0] as string;
        perShard.set(shard, [...(perShard.get(shard) ?? []), BigInt(r.kinesis.sequenceNumber)]);
      }
    }
    for (const sequence of perShard.values()) {
      expect(sequence).toEqual([...sequence].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    expect([...perShard.values()].flat()).toHaveLength(60);
  });

  it('hands the function a context with its name, ARN, memory, request id and remaining time', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(local().kinesis, stream, [{ data: 1 }]);
    const contexts: { context: Context; remaining: number }[] = [];
    const handler = async (_event: EsmKinesisEvent, context: Context): Promise<void> => {
      contexts.push({ context, remaining: context.getRemainingTimeInMillis() });
    };
    const mapping = mappingFor(
      local().kinesis,
      stream,
      handler,
      {},
      {
        functionName: 'enrichment',
        functionTimeoutSeconds: 30,
        memoryLimitInMB: 512,
        eventSourceArn: `arn:aws:kinesis:us-east-1:123456789012:stream/${stream}`,
      },
    );

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    const seen = contexts[0];
    expect(seen?.context.functionName).toBe('enrichment');
    expect(seen?.context.invokedFunctionArn).toBe(
      'arn:aws:lambda:us-east-1:123456789012:function:enrichment',
    );
    expect(seen?.context.memoryLimitInMB).toBe('512');
    expect(seen?.context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen?.remaining).toBeGreaterThan(0);
    expect(seen?.remaining).toBeLessThanOrEqual(30_000);
  });
});
