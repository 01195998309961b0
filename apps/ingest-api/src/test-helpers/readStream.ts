import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';

/** A record read back from a stream. */
export interface StoredRecord {
  shardId: string;
  partitionKey: string;
  event: { id: string; source: string; [key: string]: unknown };
}

/** Every record of a (local) stream, shard by shard from its trim horizon. */
export async function readStream(kinesis: KinesisClient, streamName: string): Promise<StoredRecord[]> {
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  const records: StoredRecord[] = [];
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shard.ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (iterator) {
      const out = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const r of out.Records ?? []) {
        records.push({
          shardId: shard.ShardId!,
          partitionKey: r.PartitionKey!,
          event: JSON.parse(Buffer.from(r.Data!).toString('utf8')) as StoredRecord['event'],
        });
      }
      if ((out.Records ?? []).length === 0 || out.MillisBehindLatest === 0) break;
      iterator = out.NextShardIterator;
    }
  }
  return records;
}
