// Benchmark of the aggregator's CPU path (combine a batch, build one UpdateItem per item) and of the writes it
// saves. Run alone: npx tsx apps/dynamodb-aggregator/src/dynamodb-aggregator.bench.ts [records] [rounds]
import type { DecodedRecord } from '@shardline/records';
import type { EnrichedEvent } from '@shardline/schema';
import { buildUpdateItem } from './buildUpdateItem';
import { combineBatch, totalsAbove } from './combineBatch';
import { decodedRecords, enrichedEvents } from './test-helpers/enrichedEvents';

/** Outcome of one pass of {@link benchDynamodbAggregator}. */
export interface AggregatorBenchResult {
  records: number;
  /** Distinct items, i.e. UpdateItem calls for the batch when no conflict occurs. */
  calls: number;
  /** UpdateItem calls of a consumer writing once per record. */
  callsOnePerRecord: number;
  /** Bytes of the UpdateItem inputs, serialised as the SDK would send them. */
  requestBytes: number;
  elapsedMs: number;
}

/**
 * One pass of the aggregator's CPU path on a batch: combine the records per item, compute each item's totals and
 * build its UpdateItem input. No network; the call count is what the batch costs in DynamoDB writes.
 *
 * @example
 * ```ts
 * const { calls, elapsedMs } = benchDynamodbAggregator(records);
 * ```
 */
export function benchDynamodbAggregator(
  records: ReadonlyArray<DecodedRecord<EnrichedEvent>>,
  options: { tableName?: string; ttlDays?: number; nowMs?: number } = {},
): AggregatorBenchResult {
  const started = performance.now();
  const { aggregates } = combineBatch(records, {
    ttlDays: options.ttlDays ?? 30,
    nowMs: options.nowMs ?? Date.now(),
  });
  let requestBytes = 0;
  for (const aggregate of aggregates) {
    const totals = totalsAbove(aggregate);
    if (totals === undefined) continue;
    requestBytes += JSON.stringify(
      buildUpdateItem(options.tableName ?? 'shardline-aggregates', aggregate, totals),
    ).length;
  }
  const elapsedMs = performance.now() - started;
  return {
    records: records.length,
    calls: aggregates.length,
    callsOnePerRecord: records.length,
    requestBytes,
    elapsedMs,
  };
}

/** UpdateItem calls for the same records cut into batches of `batchSize` (the mapping's BatchSize). */
export function callsForBatchSize(
  records: ReadonlyArray<DecodedRecord<EnrichedEvent>>,
  batchSize: number,
): number {
  let calls = 0;
  for (let i = 0; i < records.length; i += batchSize) {
    calls += combineBatch(records.slice(i, i + batchSize), { ttlDays: 30, nowMs: Date.now() }).aggregates
      .length;
  }
  return calls;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function main(): void {
  const count = Number(process.argv[2] ?? 10_000);
  const rounds = Number(process.argv[3] ?? 21);
  // Five minutes of events of 20 campaigns ending a minute ago, as the fixture generator makes them.
  const events = enrichedEvents({ count: Math.ceil(count * 1.05), seed: 42 }).slice(0, count);
  const records = decodedRecords(events, { shardId: 3 });
  for (let i = 0; i < 5; i++) benchDynamodbAggregator(records);
  const times: number[] = [];
  let last: AggregatorBenchResult | undefined;
  for (let i = 0; i < rounds; i++) {
    last = benchDynamodbAggregator(records);
    times.push(last.elapsedMs);
  }
  if (!last) return;
  const ms = median(times);
  console.log(
    `dynamodb-aggregator CPU path (combine + build UpdateItems), ${records.length} records, ${rounds} rounds`,
  );
  console.log(
    `  median ${ms.toFixed(2)} ms, best ${Math.min(...times).toFixed(2)} ms -> ${Math.round(records.length / (ms / 1000)).toLocaleString('en-US')} records/s`,
  );
  console.log(
    `  UpdateItem calls per ${records.length} records in one batch: ${last.calls} (one write per record: ${last.callsOnePerRecord}, ${(last.callsOnePerRecord / last.calls).toFixed(1)}x fewer)`,
  );
  console.log(
    `  request bytes: ${last.requestBytes.toLocaleString('en-US')} (${Math.round(last.requestBytes / last.calls)} per call)`,
  );
  for (const batchSize of [100, 500, 1_000, 10_000]) {
    const calls = callsForBatchSize(records, batchSize);
    console.log(
      `  BatchSize ${String(batchSize).padStart(6)}: ${String(calls).padStart(6)} UpdateItem calls per ${records.length} records`,
    );
  }
}

if (process.argv[1]?.endsWith('dynamodb-aggregator.bench.ts')) main();
