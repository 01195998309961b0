import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KeyRange } from './ledgerRanges';

/** Where enrichment remembers which records of a shard it has already published. */
export interface PublishLedger {
  /** Ranges already handled on this shard; empty when the shard has no entry. Throws on failure. */
  load(shard: string, signal?: AbortSignal): Promise<KeyRange[]>;
  /** Replaces the shard's ranges. Throws on failure. */
  save(shard: string, ranges: readonly KeyRange[], signal?: AbortSignal): Promise<void>;
}

/** Ledger entries outlive the longest a record can be retried (the stream's retention); 8 days covers 7. */
const TTL_SECONDS = 8 * 24 * 3600;

/**
 * The publish ledger in a DynamoDB table with partition key `shard` (S): one small item per shard of the raw
 * stream (`<eventSourceARN>#<shardId>`), read once and written once per invocation.
 */
export function dynamoDbPublishLedger(dynamodb: DynamoDBClient, tableName: string): PublishLedger {
  return {
    async load(shard, signal) {
      const out = await dynamodb.send(
        new GetItemCommand({ TableName: tableName, Key: { shard: { S: shard } }, ConsistentRead: true }),
        { abortSignal: signal },
      );
      const ranges = out.Item?.ranges?.S;
      return ranges ? (JSON.parse(ranges) as KeyRange[]) : [];
    },
    async save(shard, ranges, signal) {
      await dynamodb.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            shard: { S: shard },
            ranges: { S: JSON.stringify(ranges) },
            expiresAt: { N: String(Math.floor(Date.now() / 1000) + TTL_SECONDS) },
          },
        }),
        { abortSignal: signal },
      );
    },
  };
}
