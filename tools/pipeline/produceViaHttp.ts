import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { PipelineError } from './errors';
import type { InputRecord } from './readInputFile';

/** Options of {@link produceViaHttp}. */
export interface HttpProducerOptions {
  /** `POST` target: the ingest API's `/v1/events`. */
  eventsUrl: string;
  /** Bearer token for the API's JWT authorizer. */
  token: string;
  records: readonly InputRecord[];
  /** Events per second, as the stream producer paces them. */
  rate: number;
  /** Events per request (NDJSON lines). */
  requestEvents: number;
  /** `Content-Encoding: gzip` (default true). */
  gzip?: boolean;
  /** Requests in flight at most (default 4). */
  concurrency?: number;
  /** Attempts per event before the producer gives up on it (default 10). */
  maxAttempts?: number;
  /** Called when the API answered events stored: their indexes in `records`. */
  onAccepted?: (indexes: readonly number[]) => void;
}

/** An event the API refused for good, with its reason code. */
export interface RefusedRecord {
  /** Index in the records. */
  index: number;
  reason: string;
  message: string;
}

/** What the producer saw. */
export interface HttpProduction {
  /** When each accepted record (by index) was answered stored, ms since the epoch. */
  acceptedAt: Map<number, number>;
  refused: RefusedRecord[];
  /** Records still not stored after `maxAttempts` (the run fails on them). */
  failed: number[];
  requests: number;
  /** Events sent again after a 429/503 (or a 5xx without per-event answers). */
  resent: number;
  /** Responses by HTTP status. */
  statuses: Record<number, number>;
  /** Every request's latency, ms, sorted. */
  latencyMs: number[];
  firstPut: number;
  lastPut: number;
}

/** The per-event answer of the ingest API (`apps/ingest-api`, IngestResponseBody). */
interface IngestAnswer {
  accepted: number;
  events: Array<{ status: 'refused' | 'retryable'; index: number; reason: string; message: string }>;
}

function isIngestAnswer(body: unknown): body is IngestAnswer {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as IngestAnswer).accepted === 'number' &&
    Array.isArray((body as IngestAnswer).events)
  );
}

/** Seconds of a `Retry-After` header (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

/**
 * Sends records to the ingest API as a well-behaved producer: `requestEvents` NDJSON lines per request (each
 * record's bytes as they are, so what lands on the stream is what was sent), gzip unless told otherwise, paced to
 * `rate`, a few requests in flight. Per the API's per-event answer, accepted events are done, refused ones are
 * counted with their reason, and retryable ones (429/503) are sent again after `Retry-After`; an answer without
 * per-event detail (API Gateway's own 429, 500, 503) sends the whole request again with backoff. A 401/403 stops
 * the run: the token is wrong, not the events.
 *
 * @throws {PipelineError} before sending anything when a record holds a line break (it cannot be an NDJSON line),
 * and when the API refuses the token.
 */
export async function produceViaHttp(options: HttpProducerOptions): Promise<HttpProduction> {
  const { records, requestEvents } = options;
  records.forEach((r, i) => {
    if (r.data.includes(0x0a))
      throw new PipelineError(`record ${i} holds a line break: it cannot be sent as one NDJSON line`);
  });
  const maxAttempts = options.maxAttempts ?? 10;
  const gzip = options.gzip ?? true;
  const production: HttpProduction = {
    acceptedAt: new Map(),
    refused: [],
    failed: [],
    requests: 0,
    resent: 0,
    statuses: {},
    latencyMs: [],
    firstPut: Date.now(),
    lastPut: Date.now(),
  };
  const batches: number[][] = [];
  for (let i = 0; i < records.length; i += requestEvents) {
    batches.push(Array.from({ length: Math.min(requestEvents, records.length - i) }, (_, k) => i + k));
  }

  const post = async (indexes: readonly number[]) => {
    const text = Buffer.concat(indexes.flatMap((i) => [records[i]!.data, Buffer.from('\n')]));
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token}`,
      'content-type': 'application/x-ndjson',
    };
    if (gzip) headers['content-encoding'] = 'gzip';
    const started = performance.now();
    const response = await fetch(options.eventsUrl, {
      method: 'POST',
      headers,
      body: gzip ? gzipSync(text) : text,
    });
    const raw = await response.text();
    production.latencyMs.push(performance.now() - started);
    production.requests++;
    production.statuses[response.status] = (production.statuses[response.status] ?? 0) + 1;
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body, raw };
  };

  const send = async (batch: number[]) => {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > maxAttempts) {
        production.failed.push(...pending);
        return;
      }
      if (attempt > 1) production.resent += pending.length;
      const answer = await post(pending);
      const now = Date.now();
      const wait = retryAfterMs(answer.retryAfter) ?? Math.min(5000, 100 * 2 ** attempt);
      if (isIngestAnswer(answer.body)) {
        const byIndex = new Map(answer.body.events.map((e) => [e.index, e]));
        const accepted: number[] = [];
        const retry: number[] = [];
        pending.forEach((record, position) => {
          const verdict = byIndex.get(position);
          if (verdict?.status === 'refused')
            production.refused.push({ index: record, reason: verdict.reason, message: verdict.message });
          else if (verdict?.status === 'retryable') retry.push(record);
          else accepted.push(record);
        });
        for (const record of accepted) production.acceptedAt.set(record, now);
        if (accepted.length > 0) options.onAccepted?.(accepted);
        pending = retry;
      } else if (answer.status === 401 || answer.status === 403) {
        throw new PipelineError(
          `the ingest API refused the token: ${answer.status} ${answer.raw.slice(0, 300)}`,
        );
      } else if (!RETRY_STATUSES.has(answer.status)) {
        // Refused as a whole (413, 415, a body it cannot read): nothing of it was stored.
        const { error, message } = (answer.body ?? {}) as { error?: string; message?: string };
        const reason = error ?? `HTTP_${answer.status}`;
        for (const record of pending)
          production.refused.push({ index: record, reason, message: message ?? answer.raw.slice(0, 300) });
        pending = [];
      }
      if (pending.length > 0) await sleep(wait);
    }
  };

  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const at = next++;
      const due = production.firstPut + ((at * requestEvents) / options.rate) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
      await send(batches[at]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  production.lastPut = Date.now();
  production.latencyMs.sort((a, b) => a - b);
  production.refused.sort((a, b) => a.index - b.index);
  return production;
}
