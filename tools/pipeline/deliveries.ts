import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';

/** One consumer's deliveries against its stream: what every consumer, sink or none, must satisfy. */
export interface DeliveryCheck {
  /** Records on the stream the consumer reads. */
  streamRecords: number;
  /** Stream records the consumer acknowledged (returned without them, or before them, in batchItemFailures). */
  acknowledged: number;
  /** Stream records it never acknowledged. */
  missing: number;
  /** Acknowledgements beyond the first of a record: the mapping delivered a record it had already checkpointed. */
  repeated: number;
}

/** A stream record's key, as Lambda's `eventID`: `<shardId>:<sequenceNumber>`. */
export type RecordKey = string;

/**
 * Counts, per record key, the records a handler's response acknowledged: every record before the first one its
 * `batchItemFailures` names (the mapping checkpoints there and delivers the rest again).
 *
 * @example
 * ```ts
 * noteAcknowledged(acks, event.Records, response); // acks.get('shardId-000000000000:4959...') === 1
 * ```
 */
export function noteAcknowledged(
  acks: Map<RecordKey, number>,
  records: ReadonlyArray<{ eventID: string; kinesis: { sequenceNumber: string } }>,
  response: unknown,
): void {
  const failures = (response as { batchItemFailures?: Array<{ itemIdentifier?: string }> } | null)
    ?.batchItemFailures;
  const failed = new Set((failures ?? []).map((f) => f.itemIdentifier));
  // A record delivered twice in one batch (KPL sub-records share one sequence number) is acknowledged once.
  const seen = new Set<RecordKey>();
  for (const record of records) {
    if (failed.has(record.kinesis.sequenceNumber)) break;
    if (seen.has(record.eventID)) continue;
    seen.add(record.eventID);
    acks.set(record.eventID, (acks.get(record.eventID) ?? 0) + 1);
  }
}

/** Compares a consumer's acknowledgements with the records of its stream: each must be acknowledged exactly once. */
export function checkDeliveries(
  streamKeys: ReadonlySet<RecordKey>,
  acks: ReadonlyMap<RecordKey, number>,
): DeliveryCheck {
  let acknowledged = 0;
  let repeated = 0;
  for (const key of streamKeys) {
    const n = acks.get(key) ?? 0;
    if (n > 0) acknowledged += 1;
    if (n > 1) repeated += n - 1;
  }
  return { streamRecords: streamKeys.size, acknowledged, missing: streamKeys.size - acknowledged, repeated };
}

/** One record of a stream, as read back at the end of a run. */
export interface StreamRecord {
  key: RecordKey;
  data: Uint8Array;
}

/** Every record of a stream, read from the start of each shard to its end. */
export async function readStream(kinesis: KinesisClient, streamName: string): Promise<StreamRecord[]> {
  const records: StreamRecord[] = [];
  const shards = [];
  let nextToken: string | undefined;
  do {
    const page = await kinesis.send(
      new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }),
    );
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  for (const shard of shards) {
    let iterator = (
      await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shard.ShardId!,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (iterator) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const record of page.Records ?? []) {
        records.push({
          key: `${shard.ShardId}:${record.SequenceNumber}`,
          data: record.Data ?? new Uint8Array(),
        });
      }
      // The end of an open shard: nothing returned and nothing behind.
      if ((page.Records ?? []).length === 0 && (page.MillisBehindLatest ?? 0) === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return records;
}
