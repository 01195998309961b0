import { setMaxListeners } from 'node:events';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisBatch } from '@shardline/middleware';
import type { EnrichedEvent } from '@shardline/schema';
import { combineBatch } from './combineBatch';
import { AGGREGATE_OVERFLOW, WRITE_DEFAULTS } from './constants';
import type { KeyAggregate } from './types';
import { writeAggregate, type WriteSettings } from './writeAggregate';

/** Dependencies of {@link aggregateBatch}. */
export interface AggregatorDeps extends Partial<WriteSettings> {
  dynamodb: Pick<DynamoDBClient, 'send'>;
  /** AGGREGATES_TABLE_NAME. */
  tableName: string;
  /** AGGREGATE_TTL_DAYS. */
  ttlDays: number;
  /** Keys written at the same time; default 16. */
  concurrency?: number;
  /** Clock, epoch milliseconds; replaced in tests. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** Counts of one invocation, for metrics and logs. */
export interface AggregateReport {
  /** Distinct items (campaign, type, minute, shard) in the batch. */
  items: number;
  /** UpdateItem requests sent, conflicts and retries included. */
  calls: number;
  /** Conditional-check failures resolved from the old image. */
  conflicts: number;
  written: number;
  /** Items whose records were all counted by an earlier delivery. */
  unchanged: number;
  /** Items reported as batch item failures. */
  failed: number;
  /** Items whose records were quarantined because a sum would overflow. */
  overflowed: number;
  /** Records of windows already past their TTL, skipped. */
  expiredRecords: number;
  /** Records quarantined for fields that cannot be aggregated. */
  refusedRecords: number;
}

/**
 * The consumer's processing step: combines the batch in memory, writes each distinct item once, and reports every
 * record as completed, failed (retried by the event source mapping) or rejected (quarantined).
 *
 * @example
 * ```ts
 * export const handler = kinesisConsumer(options, (batch) => aggregateBatch(batch, { dynamodb, tableName, ttlDays }));
 * ```
 */
export async function aggregateBatch<T extends EnrichedEvent>(
  batch: KinesisBatch<T>,
  deps: AggregatorDeps,
): Promise<AggregateReport> {
  const now = deps.now ?? Date.now;
  const { aggregates, refused, expired } = combineBatch(batch.records, {
    ttlDays: deps.ttlDays,
    nowMs: now(),
  });
  for (const r of refused) batch.reject(r.record, r.message, r.reason);
  batch.complete(expired);
  const report: AggregateReport = {
    items: aggregates.length,
    calls: 0,
    conflicts: 0,
    written: 0,
    unchanged: 0,
    failed: 0,
    overflowed: 0,
    expiredRecords: expired.length,
    refusedRecords: refused.length,
  };
  const writeOne = async (aggregate: KeyAggregate<T>): Promise<void> => {
    const records = aggregate.contributions.map((c) => c.record);
    const outcome = await batch.timeSink('dynamodb', () =>
      writeAggregate(aggregate, {
        ...deps,
        timeLeftMs: () => batch.timeLeftMs(),
        signal: batch.signal,
      }),
    );
    report.calls += outcome.calls;
    report.conflicts += outcome.conflicts;
    switch (outcome.status) {
      case 'written':
      case 'unchanged':
        report[outcome.status]++;
        batch.complete(records);
        break;
      case 'failed':
        report.failed++;
        batch.fail(records, outcome.cause);
        break;
      case 'overflow':
        report.overflowed++;
        for (const record of records) batch.reject(record, outcome.message, AGGREGATE_OVERFLOW);
        break;
    }
  };
  const concurrency = deps.concurrency ?? WRITE_DEFAULTS.concurrency;
  // Every in-flight SDK call listens on the signal.
  setMaxListeners(concurrency + 10, batch.signal);
  await forEachLimited(aggregates, concurrency, batch.signal, writeOne, (a) => {
    // Not started before the timeout guard fired: retried by the event source mapping.
    report.failed++;
    batch.fail(
      a.contributions.map((c) => c.record),
      'ABORTED',
    );
  });
  return report;
}

async function forEachLimited<I>(
  items: readonly I[],
  limit: number,
  signal: AbortSignal,
  run: (item: I) => Promise<void>,
  skip: (item: I) => void,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as I;
      if (signal.aborted) skip(item);
      else await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
