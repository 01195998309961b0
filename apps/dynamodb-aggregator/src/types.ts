import type { DecodedRecord } from '@shardline/records';

/** One record's share of an aggregate. */
export interface Contribution<T> {
  /** Ordered position of the record in its shard, see `recordPosition`. */
  position: string;
  /** Event time, epoch milliseconds. */
  timeMs: number;
  /** `data.revenueMicros`, a non-negative safe integer. */
  revenueMicros: number;
  record: DecodedRecord<T>;
}

/**
 * The records of one batch that fall on one item (campaign, event type, minute) from one shard, in shard order
 * without duplicates. One item gets exactly one UpdateItem per batch (more only on conflicts).
 */
export interface KeyAggregate<T> {
  /** Identity inside the batch: pk, windowStart and shardId. */
  id: string;
  /** `<campaignId>#<eventType>`. */
  pk: string;
  /** ISO minute, e.g. `2026-11-26T13:05:00Z`. */
  windowStart: string;
  campaignId: string;
  eventType: string;
  shardId: string;
  /** TTL of the item, epoch seconds. */
  expiresAt: number;
  contributions: Contribution<T>[];
}

/** What a set of contributions adds to an item. */
export interface AggregateTotals {
  count: number;
  /** Exact decimal sum; may exceed Number.MAX_SAFE_INTEGER. */
  revenueMicros: string;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Position of the first contribution counted. */
  firstPosition: string;
  /** Position of the last contribution counted: the new high-water mark. */
  lastPosition: string;
}

/** A record the aggregator refuses for good, with the quarantine reason. */
export interface RefusedRecord<T> {
  record: DecodedRecord<T>;
  reason: string;
  message: string;
}

/** Output of `combineBatch`. */
export interface CombinedBatch<T> {
  aggregates: KeyAggregate<T>[];
  /** Records whose fields cannot be aggregated. */
  refused: RefusedRecord<T>[];
  /** Records whose window's TTL has already passed: writing them would only recreate an item due for deletion. */
  expired: DecodedRecord<T>[];
}

/** What the write step knows about an item, from a failed conditional write's ALL_OLD image. */
export interface ItemState {
  /** Stored high-water mark of this shard; `undefined` when the shard never wrote the item. */
  highWaterMark?: string;
  /** Stored firstSeen, ISO; `undefined` when absent. */
  firstSeen?: string;
  /** Stored lastSeen, ISO; `undefined` when absent. */
  lastSeen?: string;
}
