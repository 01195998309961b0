import { MergeShardsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { mappingFor, recordingHandler } from '../test-helpers/harness';
import { createStream, decodeData, putRecords, useLocalKinesis } from '../test-helpers/localKinesis';

// Source: https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html (Lambda reads a parent shard to its end
// before its children) and https://docs.aws.amazon.com/streams/latest/dev/kinesis-using-sdk-java-after-resharding.html
describe('closed shards and resharding', () => {
  const local = useLocalKinesis();

  it('reads a split parent to its end, then its children, keeping each key in order', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(
      local().kinesis,
      stream,
      Array.from({ length: 10 }, (_, i) => ({ data: { n: i }, partitionKey: 'same' })),
    );
    await local().kinesis.send(
      new SplitShardCommand({
        StreamName: stream,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (2n ** 127n).toString(),
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await putRecords(
      local().kinesis,
      stream,
      Array.from({ length: 10 }, (_, i) => ({ data: { n: 10 + i }, partitionKey: 'same' })),
    );
    const handler = recordingHandler();
    const ended: string[] = [];
    const mapping = mappingFor(local().kinesis, stream, handler, {}, { shardDiscoveryIntervalMs: 50 });
    mapping.on('shardEnded', ({ shardId }) => ended.push(shardId));

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(ended).toEqual(['shardId-000000000000']);
    expect(handler.events.flatMap((e) => e.Records.map((r) => (decodeData(r) as { n: number }).n))).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
  });

  it('starts a merged child only after both parents are read', async () => {
    // Prepare
    const stream = await createStream(local().kinesis, 2);
    await putRecords(
      local().kinesis,
      stream,
      Array.from({ length: 6 }, (_, i) => ({ data: { n: i }, partitionKey: `k${i}` })),
    );
    await local().kinesis.send(
      new MergeShardsCommand({
        StreamName: stream,
        ShardToMerge: 'shardId-000000000000',
        AdjacentShardToMerge: 'shardId-000000000001',
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await putRecords(
      local().kinesis,
      stream,
      Array.from({ length: 6 }, (_, i) => ({ data: { n: 6 + i }, partitionKey: `k${i}` })),
    );
    const handler = recordingHandler();
    const mapping = mappingFor(local().kinesis, stream, handler, {}, { shardDiscoveryIntervalMs: 50 });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    const order = handler.events.flatMap((e) => e.Records.map((r) => (decodeData(r) as { n: number }).n));
    expect(order.slice(0, 6).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(order.slice(6)).toEqual([6, 7, 8, 9, 10, 11]);
  });
});
