import { ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';

/**
 * The stream's open shards (those without an ending sequence number), which set how fast it takes writes.
 * Closed parents of a reshard are listed too until they expire, and take no writes.
 */
export async function countOpenShards(kinesis: KinesisClient, streamName: string): Promise<number> {
  let open = 0;
  let nextToken: string | undefined;
  do {
    const page = await kinesis.send(
      new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }),
    );
    open += (page.Shards ?? []).filter(
      (s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined,
    ).length;
    nextToken = page.NextToken;
  } while (nextToken);
  return Math.max(1, open);
}
