/** Limits and defaults of a Kinesis event source mapping, as the Lambda developer guide states them. */
export const LIMITS = {
  batchSize: { min: 1, max: 10_000, default: 100 },
  maximumBatchingWindowInSeconds: { min: 0, max: 300, default: 0 },
  maximumRetryAttempts: { min: -1, max: 10_000, default: -1 },
  /** -1 (infinite) or 60..604,800. */
  maximumRecordAgeInSeconds: { min: 60, max: 604_800, default: -1 },
  parallelizationFactor: { min: 1, max: 10, default: 1 },
  tumblingWindowInSeconds: { min: 0, max: 900, default: 0 },
  filters: { max: 5, patternMaxLength: 4096 },
} as const;

/** Synchronous invocation payload limit (6 MB) that caps a batch. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Tumbling-window state above this size terminates the window early. */
export const MAX_WINDOW_STATE_BYTES = 1024 * 1024;

/** GetRecords returns at most this many records per call. */
export const GET_RECORDS_LIMIT = 10_000;

/** Records buffered per shard before polling pauses (back pressure). */
export const MAX_BUFFERED_RECORDS_PER_SHARD = 10_000;

/** The only function response type Kinesis mappings accept. */
export const REPORT_BATCH_ITEM_FAILURES = 'ReportBatchItemFailures';

/** Defaults of the emulated function and of the emulator's own pacing. */
export const DEFAULTS = {
  region: 'us-east-1',
  accountId: '000000000000',
  functionTimeoutSeconds: 3,
  memoryLimitInMB: 128,
  idlePollIntervalMs: 1000,
  retryInitialBackoffMs: 1000,
  retryMaxBackoffMs: 30_000,
  shardDiscoveryIntervalMs: 10_000,
  drainIdleMs: 200,
} as const;
