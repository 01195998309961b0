/** Width of a tumbling window, in milliseconds (one minute of event time). */
export const WINDOW_MS = 60_000;

/** Seconds in a day, for the TTL attribute. */
export const SECONDS_PER_DAY = 86_400;

/** Prefix of the per-shard high-water-mark attribute: `hwm:<shardId>`. */
export const HIGH_WATER_MARK_PREFIX = 'hwm:';

/** Attribute names of an aggregate item; the key and TTL names are promised to the Terraform side. */
export const ATTRIBUTES = {
  partitionKey: 'pk',
  sortKey: 'windowStart',
  expiresAt: 'expiresAt',
  campaignId: 'campaignId',
  eventType: 'eventType',
  count: 'eventCount',
  revenueMicros: 'revenueMicros',
  firstSeen: 'firstSeen',
  lastSeen: 'lastSeen',
} as const;

/** Reason code of records whose aggregate would leave DynamoDB's 38-digit number range. */
export const AGGREGATE_OVERFLOW = 'AGGREGATE_OVERFLOW';

/** Reason code of a record whose `data.revenueMicros` is not a non-negative safe integer. */
export const REVENUE_INVALID = 'REVENUE_INVALID';

/** Reason code of a record whose event time cannot be placed in a window. */
export const EVENT_TIME_INVALID = 'EVENT_TIME_INVALID';

/** Largest magnitude a DynamoDB number holds exactly: 38 significant digits. */
export const MAX_DYNAMODB_INTEGER = 10n ** 38n - 1n;

/** Defaults of the write loop; the handler may override them. */
export const WRITE_DEFAULTS = {
  /** Keys written at the same time. */
  concurrency: 16,
  /** Attempts per key for transient errors (throttling, 5xx, network). */
  maxTransientAttempts: 8,
  /** Conditional-check conflicts tolerated per key before it is reported as a transient failure. */
  maxConflicts: 6,
  /** First backoff, in milliseconds; doubles per attempt with full jitter. */
  baseBackoffMs: 50,
  /** Largest backoff, in milliseconds. */
  maxBackoffMs: 2_000,
  /** Time kept in reserve: no retry starts when less than this (plus the backoff) is left. */
  reserveMs: 500,
} as const;
