import type { DecodedRecord } from '@shardline/records';
import type { EnrichedEvent } from '@shardline/schema';
import { EVENT_TIME_INVALID, REVENUE_INVALID, SECONDS_PER_DAY, WINDOW_MS } from './constants';
import { recordPosition } from './recordPosition';
import type { AggregateTotals, CombinedBatch, Contribution, KeyAggregate, RefusedRecord } from './types';

/** Options of {@link combineBatch}. */
export interface CombineOptions {
  /** Days an item is kept after its window ends (AGGREGATE_TTL_DAYS). */
  ttlDays: number;
  /** Current time, epoch milliseconds; windows whose TTL is already past are left out. */
  nowMs: number;
}

/**
 * Groups a batch's records by item (campaign, event type, one-minute window of event time in UTC) and shard,
 * in shard order and without duplicate positions, so that each item is written once per batch.
 *
 * @example
 * ```ts
 * const { aggregates } = combineBatch(batch.records, { ttlDays: 30, nowMs: Date.now() });
 * for (const a of aggregates) console.log(a.pk, a.windowStart, totalsAbove(a)?.count);
 * ```
 */
export function combineBatch<T extends EnrichedEvent>(
  records: ReadonlyArray<DecodedRecord<T>>,
  options: CombineOptions,
): CombinedBatch<T> {
  const byId = new Map<string, KeyAggregate<T> & { sorted: boolean }>();
  const windowNames = new Map<number, string>();
  const refused: RefusedRecord<T>[] = [];
  const expired: DecodedRecord<T>[] = [];
  const ttlSeconds = options.ttlDays * SECONDS_PER_DAY;
  for (const record of records) {
    const event = record.payload;
    const timeMs = Date.parse(event.time);
    if (!Number.isFinite(timeMs)) {
      refused.push({
        record,
        reason: EVENT_TIME_INVALID,
        message: `time '${String(event.time).slice(0, 64)}' is not a date`,
      });
      continue;
    }
    const revenueMicros = event.data.revenueMicros ?? 0;
    if (!Number.isSafeInteger(revenueMicros) || revenueMicros < 0) {
      refused.push({
        record,
        reason: REVENUE_INVALID,
        message: `data.revenueMicros ${String(revenueMicros).slice(0, 64)} is not a non-negative safe integer`,
      });
      continue;
    }
    const windowStartMs = Math.floor(timeMs / WINDOW_MS) * WINDOW_MS;
    const expiresAt = (windowStartMs + WINDOW_MS) / 1000 + ttlSeconds;
    if (expiresAt * 1000 <= options.nowMs) {
      expired.push(record);
      continue;
    }
    let windowStart = windowNames.get(windowStartMs);
    if (windowStart === undefined) {
      windowStart = `${new Date(windowStartMs).toISOString().slice(0, 19)}Z`;
      windowNames.set(windowStartMs, windowStart);
    }
    const pk = `${event.data.campaignId}#${event.type}`;
    const id = `${pk}\n${windowStart}\n${record.shardId}`;
    let aggregate = byId.get(id);
    if (aggregate === undefined) {
      aggregate = {
        id,
        pk,
        windowStart,
        campaignId: event.data.campaignId,
        eventType: event.type,
        shardId: record.shardId,
        expiresAt,
        contributions: [],
        sorted: true,
      };
      byId.set(id, aggregate);
    }
    const position = recordPosition(record.sequenceNumber, record.subSequenceNumber);
    const previous = aggregate.contributions.at(-1);
    if (previous !== undefined && position <= previous.position) aggregate.sorted = false;
    aggregate.contributions.push({ position, timeMs, revenueMicros, record });
  }
  const aggregates: KeyAggregate<T>[] = [];
  for (const { sorted, ...aggregate } of byId.values()) {
    // Lambda delivers a shard's records in order; sorting and dropping repeated positions only guards
    // against a caller that does not.
    if (!sorted) aggregate.contributions = sortUnique(aggregate.contributions);
    aggregates.push(aggregate);
  }
  return { aggregates, refused, expired };
}

function sortUnique<T>(contributions: Contribution<T>[]): Contribution<T>[] {
  const sorted = [...contributions].sort((a, b) =>
    a.position < b.position ? -1 : a.position > b.position ? 1 : 0,
  );
  return sorted.filter((c, i) => i === 0 || c.position !== sorted[i - 1]?.position);
}

/**
 * Totals of the contributions strictly above a high-water mark (all of them without one); `undefined` when
 * nothing is above it, i.e. this batch's records for the item were all applied before.
 *
 * @example
 * ```ts
 * const delta = totalsAbove(aggregate, storedMark); // only what the item has not counted yet
 * ```
 */
export function totalsAbove<T>(
  aggregate: KeyAggregate<T>,
  highWaterMark?: string,
): AggregateTotals | undefined {
  const list = aggregate.contributions;
  let start = 0;
  if (highWaterMark !== undefined) {
    let high = list.length;
    while (start < high) {
      const mid = (start + high) >>> 1;
      if ((list[mid] as Contribution<T>).position <= highWaterMark) start = mid + 1;
      else high = mid;
    }
  }
  const first = list[start];
  const last = list.at(-1);
  if (first === undefined || last === undefined) return undefined;
  let revenue = 0;
  let firstSeenMs = first.timeMs;
  let lastSeenMs = first.timeMs;
  for (let i = start; i < list.length; i++) {
    const c = list[i] as Contribution<T>;
    revenue += c.revenueMicros;
    if (c.timeMs < firstSeenMs) firstSeenMs = c.timeMs;
    if (c.timeMs > lastSeenMs) lastSeenMs = c.timeMs;
  }
  return {
    count: list.length - start,
    revenueMicros: Number.isSafeInteger(revenue) ? String(revenue) : exactSum(list, start),
    firstSeenMs,
    lastSeenMs,
    firstPosition: first.position,
    lastPosition: last.position,
  };
}

/** The float sum lost precision: add again with BigInt. */
function exactSum<T>(list: Contribution<T>[], start: number): string {
  let sum = 0n;
  for (let i = start; i < list.length; i++) sum += BigInt((list[i] as Contribution<T>).revenueMicros);
  return sum.toString();
}
