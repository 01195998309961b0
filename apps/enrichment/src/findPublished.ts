import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { inRanges, recordKey, type KeyRange } from './ledgerRanges';

/** Records written this long before `since` are read too: clocks of two hosts may disagree a little. */
const CLOCK_SLACK_MS = 5_000;

/**
 * Finds which of the records a crashed invocation was publishing actually reached the enriched stream: reads every
 * shard of the enriched stream from the moment publishing started and collects the raw-record keys found in
 * `enrichment.origin`. Kinesis itself is the record of what was written, so the answer is exact.
 *
 * Runs only on the rare retry after a crash between PutRecords and the ledger write. Returns `undefined` when the
 * stream cannot be read completely within `budgetMs`; the caller then republishes (at least once).
 */
export async function findPublished(
  kinesis: KinesisClient,
  streamName: string,
  rawShardId: string,
  pending: { ranges: readonly KeyRange[]; since: number },
  options: { budgetMs: number; signal?: AbortSignal },
): Promise<Set<string> | undefined> {
  const deadline = Date.now() + options.budgetMs;
  const needle = Buffer.from(`"shardId":"${rawShardId}"`);
  const found = new Set<string>();
  try {
    for (const shard of await listShards(kinesis, streamName, options.signal)) {
      let iterator = (
        await kinesis.send(
          new GetShardIteratorCommand({
            StreamName: streamName,
            ShardId: shard.ShardId!,
            ShardIteratorType: 'AT_TIMESTAMP',
            Timestamp: new Date(pending.since - CLOCK_SLACK_MS),
          }),
          { abortSignal: options.signal },
        )
      ).ShardIterator;
      while (iterator) {
        if (Date.now() > deadline) return undefined;
        const out = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }), {
          abortSignal: options.signal,
        });
        for (const r of out.Records ?? []) {
          const data = Buffer.from(r.Data!);
          if (data.indexOf(needle) === -1) continue;
          const origin = (JSON.parse(data.toString('utf8')) as { enrichment?: { origin?: Origin } })
            .enrichment?.origin;
          if (origin?.shardId !== rawShardId) continue;
          const key = recordKey(origin.sequenceNumber, origin.subSequenceNumber);
          if (inRanges(pending.ranges, key)) found.add(key);
        }
        // Caught up with the shard's tip: nothing written since can belong to the crashed invocation.
        if ((out.Records ?? []).length === 0 && !out.MillisBehindLatest) break;
        iterator = out.NextShardIterator;
      }
    }
  } catch {
    return undefined;
  }
  return found;
}

interface Origin {
  shardId: string;
  sequenceNumber: string;
  subSequenceNumber?: number;
}

async function listShards(
  kinesis: KinesisClient,
  streamName: string,
  signal?: AbortSignal,
): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    const out = await kinesis.send(
      new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }),
      { abortSignal: signal },
    );
    shards.push(...(out.Shards ?? []));
    nextToken = out.NextToken;
  } while (nextToken);
  return shards;
}
