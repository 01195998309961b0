import { gzipSync } from 'node:zlib';
import type { DecodedRecord } from '@shardline/records';
import type { EnrichedEvent } from '@shardline/schema';
import { DEFAULT_MAX_OBJECT_BYTES, GZIP_LEVEL } from './constants';
import { encodeNdjsonGzip } from './encodeNdjsonGzip';
import { planArchiveObjects } from './planArchiveObjects';
import { enrichedEvents, shardRecords } from './test-helpers/enrichedEvents';

/** Result of {@link benchS3Archiver}. */
export interface S3ArchiverBench {
  records: number;
  /** PutObject calls the archiver makes for these records (one batch). */
  calls: number;
  /** PutObject calls with one object per record, for comparison. */
  callsOnePerRecord: number;
  /** Time of the CPU path (plan + NDJSON + gzip), in milliseconds. */
  ms: number;
  recordsPerSecond: number;
  ndjsonBytes: number;
  gzipBytes: number;
}

/**
 * The archiver's CPU path on one batch: plan the objects, join the lines, gzip; and the PUTs it costs.
 *
 * @example
 * ```ts
 * const { calls, recordsPerSecond } = benchS3Archiver(records);
 * ```
 */
export function benchS3Archiver(
  records: ReadonlyArray<DecodedRecord<EnrichedEvent>>,
  options: { level?: number; maxObjectBytes?: number } = {},
): S3ArchiverBench {
  const started = performance.now();
  const plans = planArchiveObjects(records, {
    prefix: 'events',
    maxObjectBytes: options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES,
  });
  let gzipBytes = 0;
  let ndjsonBytes = 0;
  for (const plan of plans) {
    gzipBytes += encodeNdjsonGzip(
      plan.records.map((r) => r.text),
      options.level ?? GZIP_LEVEL,
    ).byteLength;
    ndjsonBytes += plan.ndjsonBytes;
  }
  const ms = performance.now() - started;
  return {
    records: records.length,
    calls: plans.length,
    callsOnePerRecord: records.length,
    ms,
    recordsPerSecond: Math.round((records.length / ms) * 1000),
    ndjsonBytes,
    gzipBytes,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

if (require.main === module) {
  // 10,000 enriched events arriving over 100 s inside one hour: one batch as the mapping would deliver it.
  const records = shardRecords(enrichedEvents(10_000, 42), { arrival: (i) => 1704070800 + i / 100 });
  benchS3Archiver(records); // warm-up
  const runs = Array.from({ length: 7 }, () => benchS3Archiver(records));
  const result = { ...(runs[0] as S3ArchiverBench), ms: median(runs.map((r) => r.ms)) };
  result.recordsPerSecond = Math.round((result.records / result.ms) * 1000);
  console.log(`s3-archiver, ${result.records} enriched records, gzip level ${GZIP_LEVEL}:`);
  console.log(
    `  CPU path (plan + NDJSON + gzip): ${result.ms.toFixed(1)} ms, ${result.recordsPerSecond} records/s`,
  );
  console.log(`  bytes: ${result.ndjsonBytes} NDJSON -> ${result.gzipBytes} gzip`);
  console.log(
    `  PutObject calls per ${result.records} records: ${result.calls} (one object per record: ${result.callsOnePerRecord})`,
  );
  console.log('  gzip level by measurement (CPU ms median of 5, bytes):');
  const ndjson = Buffer.from(records.map((r) => r.text).join('\n') + '\n');
  for (const level of [1, 3, 6, 9]) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      bytes = gzipSync(ndjson, { level }).byteLength;
      times.push(performance.now() - t);
    }
    console.log(
      `    level ${level}: ${median(times).toFixed(1)} ms, ${bytes} bytes (${((bytes / ndjson.byteLength) * 100).toFixed(1)}%)`,
    );
  }
}
