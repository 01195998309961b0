import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { WindowPointer } from './identityWindow';
import type { KeyRange } from './ledgerRanges';

/**
 * What enrichment remembers about one raw shard: ranges of records already handled, and the records it was about
 * to publish when it last started a PutRecords (`pending`), so that a crash in between can be resolved exactly.
 */
export interface LedgerState {
  ranges: KeyRange[];
  pending?: { ranges: KeyRange[]; since: number };
  /** Where the shard's window of recent event identities stands (see RepeatFilter). */
  dedup?: WindowPointer;
}

/** Where enrichment keeps its {@link LedgerState} per shard. */
export interface PublishLedger {
  /** The shard's state; empty ranges when it has none. Throws on failure. */
  load(shard: string, signal?: AbortSignal): Promise<LedgerState>;
  /** Replaces the shard's state. Throws on failure. */
  save(shard: string, state: LedgerState, signal?: AbortSignal): Promise<void>;
}

/** Ledger entries outlive the longest a record can be retried (the stream's retention); 8 days covers 7. */
const TTL_SECONDS = 8 * 24 * 3600;

/**
 * The publish ledger in a DynamoDB table with partition key `shard` (S): one small item per shard of the raw
 * stream (`<eventSourceARN>#<shardId>`).
 */
export function dynamoDbPublishLedger(dynamodb: DynamoDBClient, tableName: string): PublishLedger {
  return {
    async load(shard, signal) {
      const out = await dynamodb.send(
        new GetItemCommand({ TableName: tableName, Key: { shard: { S: shard } }, ConsistentRead: true }),
        { abortSignal: signal },
      );
      const item = out.Item;
      const state: LedgerState = { ranges: item?.ranges?.S ? (JSON.parse(item.ranges.S) as KeyRange[]) : [] };
      if (item?.pending?.S && item.pendingSince?.N) {
        state.pending = {
          ranges: JSON.parse(item.pending.S) as KeyRange[],
          since: Number(item.pendingSince.N),
        };
      }
      if (item?.dedup?.S) state.dedup = JSON.parse(item.dedup.S) as WindowPointer;
      return state;
    },
    async save(shard, state, signal) {
      await dynamodb.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            shard: { S: shard },
            ranges: { S: JSON.stringify(state.ranges) },
            ...(state.pending
              ? {
                  pending: { S: JSON.stringify(state.pending.ranges) },
                  pendingSince: { N: String(state.pending.since) },
                }
              : {}),
            ...(state.dedup ? { dedup: { S: JSON.stringify(state.dedup) } } : {}),
            expiresAt: { N: String(Math.floor(Date.now() / 1000) + TTL_SECONDS) },
          },
        }),
        { abortSignal: signal },
      );
    },
  };
}
