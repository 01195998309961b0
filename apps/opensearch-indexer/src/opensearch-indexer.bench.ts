// CPU path of the OpenSearch indexer: plan the batch (ids, daily indices), build the NDJSON bulk bodies, classify
// the answers and settle the ledger, with a sender that answers at once. Network and OpenSearch are not measured.
// Run: npx tsx apps/opensearch-indexer/src/opensearch-indexer.bench.ts
import type { DecodedRecord } from '@shardline/records';
import type { EnrichedEvent } from '@shardline/schema';
import { DEFAULT_BULK_MAX_BYTES } from './constants';
import { indexBatch } from './indexBatch';
import { decodedRecords, enrichedEvents } from './test-helpers/enrichedEvents';
import type { BatchLedger, BulkSender } from './types';

/** What one run of {@link benchOpensearchIndexer} measured. */
export interface IndexerBenchResult {
  records: number;
  /** Bulk requests per batch: the indexer's calls to OpenSearch. */
  calls: number;
  /** Calls of the naive alternative: one index request per record. */
  callsOnePerRecord: number;
  /** Bytes of all bulk bodies of one batch. */
  bodyBytes: number;
  /** Median and best of the timed rounds, in milliseconds. */
  medianMs: number;
  bestMs: number;
  /** Records per second at the median. */
  recordsPerSec: number;
}

/**
 * Times `indexBatch` on `records` with an instant sender (median of `rounds` after warm-up) and counts its bulk
 * requests per batch.
 *
 * @example
 * ```ts
 * const { calls, recordsPerSec } = await benchOpensearchIndexer(records);
 * ```
 */
export async function benchOpensearchIndexer(
  records: DecodedRecord<EnrichedEvent>[],
  options: { rounds?: number; bulkMaxBytes?: number } = {},
): Promise<IndexerBenchResult> {
  const bulkMaxBytes = options.bulkMaxBytes ?? DEFAULT_BULK_MAX_BYTES;
  let calls = 0;
  let bodyBytes = 0;
  const send: BulkSender = (body) => {
    calls += 1;
    bodyBytes += Buffer.byteLength(body);
    let lines = 0;
    for (let i = body.indexOf('\n'); i !== -1; i = body.indexOf('\n', i + 1)) lines += 1;
    return Promise.resolve({ items: Array.from({ length: lines / 2 }, () => ({ status: 201 })) });
  };
  const run = async () => {
    calls = 0;
    bodyBytes = 0;
    const batch = countingLedger(records);
    const start = process.hrtime.bigint();
    await indexBatch(batch, { send, indexPrefix: 'events', bulkMaxBytes });
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < (options.rounds ?? 15); i++) times.push(await run());
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)]!;
  return {
    records: records.length,
    calls,
    callsOnePerRecord: records.length,
    bodyBytes,
    medianMs,
    bestMs: times[0]!,
    recordsPerSec: Math.round((records.length / medianMs) * 1000),
  };
}

/**
 * A ledger that only keeps the sets the middleware's would keep, so the bench needs no middy import (ESM-only,
 * which `tsx` cannot load from a CommonJS script).
 */
function countingLedger(records: DecodedRecord<EnrichedEvent>[]): BatchLedger<EnrichedEvent> {
  const completed = new Set<DecodedRecord<EnrichedEvent>>();
  const failed = new Map<string, string>();
  const each = (r: DecodedRecord<EnrichedEvent> | Iterable<DecodedRecord<EnrichedEvent>>) =>
    Symbol.iterator in r ? r : [r];
  return {
    records,
    signal: new AbortController().signal,
    timeLeftMs: () => 60_000,
    fail: (r, cause) => {
      for (const x of each(r)) failed.set(x.sequenceNumber, cause);
    },
    reject: (r) => {
      completed.add(r);
    },
    complete: (r) => {
      for (const x of each(r)) completed.add(x);
    },
    timeSink: (_name, call) => call(),
  };
}

if (require.main === module) {
  const records = decodedRecords(enrichedEvents(10_000));
  void benchOpensearchIndexer(records).then((r) => {
    const mb = (r.bodyBytes / 1024 / 1024).toFixed(2);
    console.log(
      `opensearch-indexer CPU path on ${r.records} records: median ${r.medianMs.toFixed(1)} ms, best ${r.bestMs.toFixed(1)} ms, ${r.recordsPerSec.toLocaleString('en')} records/s`,
    );
    console.log(
      `bulk requests per ${r.records} records: ${r.calls} (${mb} MiB of NDJSON, 5 MiB cap) vs ${r.callsOnePerRecord} with one request per record`,
    );
  });
}
