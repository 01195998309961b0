/** Default index prefix: daily indices are `events-YYYY.MM.DD`. */
export const DEFAULT_INDEX_PREFIX = 'events';

/**
 * Default cap of one bulk request body. Amazon OpenSearch Service accepts 10 MiB on its smaller instance types
 * (100 MiB on large ones); 5 MiB keeps a request well under that and under a Lambda invocation's 6 MB payload.
 */
export const DEFAULT_BULK_MAX_BYTES = 5 * 1024 * 1024;

/** Bounds of OPENSEARCH_BULK_MAX_BYTES: one 256 KiB record must fit, and no service accepts more than 100 MiB. */
export const MIN_BULK_MAX_BYTES = 512 * 1024;
export const MAX_BULK_MAX_BYTES = 100 * 1024 * 1024;

/**
 * Longest accepted prefix: `<prefix>-YYYY.MM.DD` must stay within OpenSearch's 255-byte index name limit with
 * room to spare for rollover or reindex suffixes.
 */
export const MAX_INDEX_PREFIX_LENGTH = 200;

/**
 * Index prefixes accepted: a strict subset of OpenSearch's index name rules (lower case; no `\ / * ? " < > | , #`,
 * space or `:`; not starting with `-`, `_` or `+`; not `.`/`..`). Leading dots (hidden and system indices) are
 * refused too, and only ASCII is allowed so the name's length in bytes is its length in characters.
 */
export const INDEX_PREFIX_PATTERN = /^[a-z0-9][a-z0-9._-]{0,199}$/;

/** Amazon OpenSearch Service domain names: 3..28 characters, lower case, starting with a letter. */
export const DOMAIN_NAME_PATTERN = /^[a-z][a-z0-9-]{2,27}$/;

/**
 * Accepted event time, relative to the record's arrival on the stream. The day of the event time picks the index,
 * so without a bound a hostile producer could create one index per day for ten thousand years and exhaust the
 * cluster's shard limit. Records outside the window are quarantined; the decision depends on the record only, so
 * a retry decides the same way.
 */
export const MAX_EVENT_AGE_MS = 400 * 24 * 3600 * 1000;
export const MAX_EVENT_FUTURE_MS = 24 * 3600 * 1000;

/** Quarantine reason codes of this consumer (the middleware adds the decode and schema ones). */
export const REASON = {
  /** OpenSearch refused the document for good (mapping or parsing error). */
  rejected: 'SINK_REJECTED',
  /** The event time is outside the accepted window, so the document has no index to go to. */
  eventTimeOutOfRange: 'EVENT_TIME_OUT_OF_RANGE',
} as const;

/** Retry policy of bulk items within one invocation. */
export const DEFAULT_RETRY = {
  /** Bulk attempts per item, the first included. */
  maxAttempts: 6,
  /** Full-jitter exponential backoff: a delay is drawn in [0, min(cap, base * 2^n)]. */
  baseDelayMs: 100,
  maxDelayMs: 2_000,
  /** No attempt is started with less time than this left in the invocation. */
  minRequestMs: 1_000,
  /** Socket timeout of one bulk request (also bounded by the time left). */
  requestTimeoutMs: 30_000,
} as const;

/**
 * Error types of a 4xx bulk item that describe the cluster, not the document: retried rather than quarantined,
 * so an operational problem (write block on a full disk, shard limit, missing permission) never sends good
 * records to quarantine.
 */
export const CLUSTER_LEVEL_ERROR_TYPES: ReadonlySet<string> = new Set([
  'cluster_block_exception',
  'index_closed_exception',
  'index_not_found_exception',
  'validation_exception',
  'security_exception',
  'circuit_breaking_exception',
  'rejected_execution_exception',
  'es_rejected_execution_exception',
  'opensearch_rejected_execution_exception',
  'process_cluster_event_timeout_exception',
  'unavailable_shards_exception',
]);

/** `filter_path` of bulk responses: only what the classification reads, keeping one entry per item. */
export const BULK_FILTER_PATH = 'errors,items.*.status,items.*.error.type,items.*.error.reason';
