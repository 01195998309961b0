import { setTimeout as sleep } from 'node:timers/promises';
import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';

/** Kinesis PutRecords limits: 500 entries and 5 MiB (data plus partition keys) per request. */
export const PUT_RECORDS_MAX_ENTRIES = 500;
export const PUT_RECORDS_MAX_BYTES = 5 * 1024 * 1024;

/** One record to publish; `ref` travels with it so the caller learns which of its records failed. */
export interface PutEntry<R> {
  data: Uint8Array;
  partitionKey: string;
  ref: R;
}

/** A record that could not be published, with the last error Kinesis gave for it. */
export interface FailedPut<R> {
  ref: R;
  errorCode: string;
  errorMessage?: string;
}

/** Options of {@link putRecords}. */
export interface PutRecordsOptions {
  /** Attempts per entry, including the first. Default 4. */
  maxAttempts?: number;
  /** First backoff in ms; doubles each attempt, with full jitter. Default 50. */
  baseDelayMs?: number;
  /** Stop retrying (and report what is left) once this returns false, e.g. when time runs short. */
  canRetry?: () => boolean;
  /** Ends the request in flight and the backoff between attempts; what is left is reported as failed. */
  signal?: AbortSignal;
  /** Called after each request with the entries it wrote, for progress tracking. */
  onWritten?: (refs: unknown[]) => void;
}

/**
 * Publishes records to a stream with PutRecords in requests of at most 500 entries / 5 MiB, retrying only the
 * entries that failed (throttling, internal errors) with exponential backoff, and keeping each record's partition
 * key. Returns what still failed; never throws for per-entry failures.
 *
 * Retried entries land after the entries that succeeded in the same request, so order within a partition key is
 * kept only when nothing fails; the consumers downstream do not depend on order.
 *
 * @example
 * ```ts
 * const failed = await putRecords(kinesis, 'shardline-enriched', entries, { canRetry: () => batch.timeLeftMs() > 500 });
 * ```
 */
export async function putRecords<R>(
  kinesis: KinesisClient,
  streamName: string,
  entries: ReadonlyArray<PutEntry<R>>,
  options: PutRecordsOptions = {},
): Promise<FailedPut<R>[]> {
  const failed: FailedPut<R>[] = [];
  for (const chunk of chunkEntries(entries)) {
    failed.push(...(await putChunk(kinesis, streamName, chunk, options)));
  }
  return failed;
}

/** Splits entries into PutRecords-sized requests, in order. */
export function chunkEntries<R>(entries: ReadonlyArray<PutEntry<R>>): PutEntry<R>[][] {
  const chunks: PutEntry<R>[][] = [];
  let current: PutEntry<R>[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entry.data.byteLength + Buffer.byteLength(entry.partitionKey);
    if (
      current.length === PUT_RECORDS_MAX_ENTRIES ||
      (current.length > 0 && bytes + size > PUT_RECORDS_MAX_BYTES)
    ) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

async function putChunk<R>(
  kinesis: KinesisClient,
  streamName: string,
  chunk: PutEntry<R>[],
  options: PutRecordsOptions,
): Promise<FailedPut<R>[]> {
  const maxAttempts = options.maxAttempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 50;
  let pending = chunk;
  let lastErrors = new Map<PutEntry<R>, { code: string; message?: string }>();
  for (let attempt = 1; pending.length > 0; attempt++) {
    const records: PutRecordsRequestEntry[] = pending.map((e) => ({
      Data: e.data,
      PartitionKey: e.partitionKey,
    }));
    const next: PutEntry<R>[] = [];
    const errors = new Map<PutEntry<R>, { code: string; message?: string }>();
    try {
      const out = await kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: records }), {
        abortSignal: options.signal,
      });
      const written: R[] = [];
      (out.Records ?? []).forEach((result, i) => {
        const entry = pending[i]!;
        if (result.ErrorCode) {
          next.push(entry);
          errors.set(entry, { code: result.ErrorCode, message: result.ErrorMessage });
        } else {
          written.push(entry.ref);
        }
      });
      if (written.length > 0) options.onWritten?.(written);
    } catch (error) {
      const e = error as { name?: string; message?: string };
      for (const entry of pending) {
        next.push(entry);
        errors.set(entry, { code: e.name ?? 'Error', message: e.message });
      }
    }
    pending = next;
    lastErrors = errors;
    const mayRetry = attempt < maxAttempts && !options.signal?.aborted && (options.canRetry?.() ?? true);
    if (pending.length === 0 || !mayRetry) break;
    try {
      await sleep(Math.random() * baseDelayMs * 2 ** (attempt - 1), undefined, { signal: options.signal });
    } catch (error) {
      // Aborted while backing off: report what is left, as when aborted before the backoff.
      if (options.signal?.aborted) break;
      throw error;
    }
  }
  return pending.map((entry) => {
    const err = lastErrors.get(entry);
    return { ref: entry.ref, errorCode: err?.code ?? 'Unknown', errorMessage: err?.message };
  });
}
