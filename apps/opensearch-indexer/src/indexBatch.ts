import type { EnrichedEvent } from '@shardline/schema';
import { setTimeout as delay } from 'node:timers/promises';
import { classifyBulkItem, describeBulkItem, isRetryableStatus } from './classifyBulkItem';
import { DEFAULT_RETRY, REASON } from './constants';
import { BulkRequestError } from './errors';
import { chunkByBytes, planBulk } from './planBulk';
import type { BatchLedger, BulkSender, PlannedDocument, RetryPolicy } from './types';

/** What {@link indexBatch} needs besides the batch. */
export interface IndexBatchOptions {
  /** Sends one bulk body (see `openSearchBulkSender`). */
  send: BulkSender;
  /** Validated index prefix. */
  indexPrefix: string;
  /** Cap of one bulk body in bytes. */
  bulkMaxBytes: number;
  /** Overrides of `DEFAULT_RETRY`. */
  retry?: Partial<RetryPolicy>;
  /** Waits between attempts; resolves early when the signal aborts. Tests pass an instant one. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Source of jitter in [0, 1). */
  random?: () => number;
  /** Event time window overrides, see `planBulk`. */
  maxEventAgeMs?: number;
  maxEventFutureMs?: number;
}

/** Counters of one {@link indexBatch} run, for metrics and logs. */
export interface IndexBatchStats {
  /** Documents OpenSearch accepted. */
  indexed: number;
  /** Records quarantined by this consumer (refused before sending or rejected by OpenSearch). */
  rejected: number;
  /** Records left to the event source mapping's retry. */
  failed: number;
  /** Records replaced by a later record with the same `_id` in the batch. */
  superseded: number;
  /** Bulk requests sent. */
  requests: number;
  /** Item attempts beyond the first. */
  retries: number;
}

/**
 * Indexes a batch of enriched events with the Bulk API and settles every record on the batch's ledger:
 * accepted -> `complete`; refused for good -> `reject` (quarantine, with OpenSearch's reason); transient
 * failures (429, 5xx, connection errors) are retried with full-jitter backoff while the invocation has time,
 * then reported with `fail` so the event source mapping retries them.
 *
 * Every action is an `index` by a deterministic `_id`, so any re-delivery overwrites the same documents.
 *
 * @example
 * ```ts
 * await indexBatch(batch, { send: openSearchBulkSender(client), indexPrefix: 'events', bulkMaxBytes: 5 << 20 });
 * ```
 */
export async function indexBatch<T extends EnrichedEvent>(
  batch: BatchLedger<T>,
  options: IndexBatchOptions,
): Promise<IndexBatchStats> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const stats: IndexBatchStats = {
    indexed: 0,
    rejected: 0,
    failed: 0,
    superseded: 0,
    requests: 0,
    retries: 0,
  };

  const plan = planBulk(batch.records, options);
  for (const refused of plan.refused) batch.reject(refused.record, refused.message, refused.reason);
  stats.rejected += plan.refused.length;
  // A superseded record's content is replaced by a later one in this batch; the later one carries the outcome.
  batch.complete(plan.superseded);
  stats.superseded = plan.superseded.length;

  const causes = new Map<PlannedDocument<T>, string>();
  const settle: Settle<T> = {
    ok(documents) {
      batch.complete(documents.map((d) => d.record));
      stats.indexed += documents.length;
    },
    reject(document, message) {
      batch.reject(document.record, message, REASON.rejected);
      stats.rejected += 1;
    },
    retry(document, cause) {
      causes.set(document, cause);
    },
  };

  let pending = plan.documents;
  for (let attempt = 1; pending.length > 0; attempt++) {
    causes.clear();
    for (const chunk of chunkByBytes(pending, options.bulkMaxBytes)) {
      if (batch.signal.aborted || batch.timeLeftMs() < policy.minRequestMs) {
        for (const d of chunk) causes.set(d, 'not sent: the invocation ran out of time');
        continue;
      }
      stats.requests += await sendChunk(chunk, batch, options.send, policy, settle);
    }
    pending = [...causes.keys()];
    if (pending.length === 0 || attempt >= policy.maxAttempts) break;
    const delay = Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
    if (batch.signal.aborted || batch.timeLeftMs() - delay < policy.minRequestMs) break;
    await sleep(delay, batch.signal);
    stats.retries += pending.length;
  }

  const byCause = new Map<string, PlannedDocument<T>[]>();
  for (const document of pending) {
    const cause = causes.get(document) ?? 'not sent';
    byCause.set(cause, [...(byCause.get(cause) ?? []), document]);
  }
  for (const [cause, documents] of byCause)
    batch.fail(
      documents.map((d) => d.record),
      cause,
    );
  stats.failed = pending.length;
  return stats;
}

interface Settle<T> {
  ok(documents: PlannedDocument<T>[]): void;
  reject(document: PlannedDocument<T>, message: string): void;
  retry(document: PlannedDocument<T>, cause: string): void;
}

/** Sends one chunk, bisecting it when the request as a whole is refused (too large, unparseable); returns requests sent. */
async function sendChunk<T>(
  chunk: PlannedDocument<T>[],
  batch: BatchLedger<T>,
  send: BulkSender,
  policy: RetryPolicy,
  settle: Settle<T>,
): Promise<number> {
  let body = '';
  for (const d of chunk) body += d.lines;
  const timeoutMs = Math.max(1, Math.min(policy.requestTimeoutMs, batch.timeLeftMs()));
  let result;
  try {
    result = await batch.timeSink('opensearch', () => send(body, { signal: batch.signal, timeoutMs }));
  } catch (error) {
    const status = error instanceof BulkRequestError ? error.status : undefined;
    const message = error instanceof Error ? error.message : String(error);
    if (isRetryableStatus(status) || batch.signal.aborted) {
      for (const d of chunk) settle.retry(d, `bulk request failed: ${message}`);
      return 1;
    }
    // 413 or a 4xx on the whole request: one document is to blame; halve until it stands alone.
    if (chunk.length === 1) {
      settle.reject(chunk[0]!, `OpenSearch refused the bulk request holding only this document: ${message}`);
      return 1;
    }
    const half = Math.ceil(chunk.length / 2);
    return (
      1 +
      (await sendChunk(chunk.slice(0, half), batch, send, policy, settle)) +
      (await sendChunk(chunk.slice(half), batch, send, policy, settle))
    );
  }
  if (result.items.length !== chunk.length) {
    for (const d of chunk)
      settle.retry(d, `bulk response has ${result.items.length} items for ${chunk.length} actions`);
    return 1;
  }
  const accepted: PlannedDocument<T>[] = [];
  result.items.forEach((item, i) => {
    const document = chunk[i]!;
    const verdict = classifyBulkItem(item);
    if (verdict === 'ok') accepted.push(document);
    else if (verdict === 'reject') settle.reject(document, describeBulkItem(item));
    else settle.retry(document, describeBulkItem(item));
  });
  settle.ok(accepted);
  return 1;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export async function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  // An abort ends the wait; the caller looks at the signal itself.
  await delay(ms, undefined, { signal }).catch(() => undefined);
}
