import type { KinesisBatch } from '@shardline/middleware';
import type { DecodedRecord } from '@shardline/records';

/** One item of a bulk response, reduced to what classification needs. */
export interface BulkItemResult {
  status: number;
  error?: { type?: string; reason?: string };
}

/** What a bulk request answered, one entry per action, in request order. */
export interface BulkResult {
  items: BulkItemResult[];
}

/**
 * Sends one NDJSON bulk body. Resolves with the per-item results or throws a `BulkRequestError` (or anything
 * else, treated as transient) when the request as a whole failed.
 */
export type BulkSender = (
  body: string,
  options: { signal: AbortSignal; timeoutMs: number },
) => Promise<BulkResult>;

/** A record routed to its document: the index it goes to and its `_id`. */
export interface PlannedDocument<T> {
  record: DecodedRecord<T>;
  index: string;
  id: string;
  /** The bulk action line and the source line, each ending with a newline. */
  lines: string;
  /** Byte length of {@link PlannedDocument.lines}. */
  bytes: number;
}

/** A record the indexer refuses before sending it, with the quarantine reason. */
export interface RefusedRecord<T> {
  record: DecodedRecord<T>;
  reason: string;
  message: string;
}

/** The outcome of planning a batch: documents to send, records to quarantine, records superseded in the batch. */
export interface BulkPlan<T> {
  documents: PlannedDocument<T>[];
  refused: RefusedRecord<T>[];
  /** Earlier records of the batch with the same `_id` as a later one: the later one is indexed in their place. */
  superseded: DecodedRecord<T>[];
}

/** How a bulk item outcome is handled. */
export type ItemVerdict = 'ok' | 'retry' | 'reject';

/** Retry policy of one invocation; see `DEFAULT_RETRY`. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  minRequestMs: number;
  requestTimeoutMs: number;
}

/** The part of the middleware's `KinesisBatch` the indexer uses: the records and the ledger of their outcomes. */
export type BatchLedger<T> = Pick<
  KinesisBatch<T>,
  'records' | 'signal' | 'timeLeftMs' | 'fail' | 'reject' | 'complete' | 'timeSink'
>;
