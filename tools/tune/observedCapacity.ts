const MB = 1_000_000;
const SHARD_READ_BYTES_PER_SEC = 2 * 1024 * 1024;

/** What a run saw of one consumer (npm start's summary). */
export interface ObservedConsumer {
  shards: number;
  invocations: number;
  /** Records delivered to the function. */
  recordsIn: number;
  /** Mean duration of an invocation, ms. */
  meanDurationMs: number;
  /** Mean bytes of a record on the consumer's stream. */
  recordBytes: number;
  /** Records per second the consumer's stream was fed. */
  ingestRecordsPerSec: number;
}

/** The two throughput formulas evaluated with a run's own durations, against the rate it was fed. */
export interface ObservedCapacity {
  batchRecords: number;
  durationMs: number;
  ingestMBps: number;
  /** shards x 2 MB / duration (s). */
  maxTheoreticalMBps: number;
  /** shards x batch size (MB) / duration (s). */
  effectiveMBps: number;
  keepsUp: boolean;
  /** MB/s of the fed rate the effective throughput leaves unprocessed; 0 when it keeps up. */
  fallsBehindMBps: number;
}

/**
 * Evaluates maximum theoretical throughput (shards x 2 MB / duration) and effective throughput (shards x batch
 * size in MB / duration) with the mean batch and duration a run measured, and compares the effective one with
 * the rate the consumer was fed. Undefined when the consumer ran no invocation.
 *
 * @example
 * ```ts
 * observedCapacity({ shards: 1, invocations: 10, recordsIn: 1000, meanDurationMs: 50, recordBytes: 1000,
 *   ingestRecordsPerSec: 1000 })!.effectiveMBps; // 1 x 0.1 MB / 0.05 s = 2
 * ```
 */
export function observedCapacity(o: ObservedConsumer): ObservedCapacity | undefined {
  if (o.invocations === 0 || o.recordsIn === 0) return undefined;
  const batchRecords = o.recordsIn / o.invocations;
  // A duration under a millisecond is rounding: count it as one.
  const seconds = Math.max(1, o.meanDurationMs) / 1000;
  const maxTheoreticalMBps = (o.shards * SHARD_READ_BYTES_PER_SEC) / MB / seconds;
  const effectiveMBps = (o.shards * batchRecords * o.recordBytes) / MB / seconds;
  const ingestMBps = (o.ingestRecordsPerSec * o.recordBytes) / MB;
  const keepsUp = effectiveMBps >= ingestMBps;
  return {
    batchRecords,
    durationMs: o.meanDurationMs,
    ingestMBps,
    maxTheoreticalMBps,
    effectiveMBps,
    keepsUp,
    fallsBehindMBps: keepsUp ? 0 : ingestMBps - effectiveMBps,
  };
}

/** One summary line: `<duration> per batch of <n>: max <x> MB/s, effective <y> MB/s against <z> MB/s fed: keeps up`. */
export function formatObservedCapacity(c: ObservedCapacity | undefined): string {
  if (!c) return 'no batch';
  return (
    `${c.durationMs.toFixed(0)} ms per batch of ${c.batchRecords.toFixed(0)}: max ${c.maxTheoreticalMBps.toFixed(1)} MB/s, ` +
    `effective ${c.effectiveMBps.toFixed(2)} MB/s against ${c.ingestMBps.toFixed(2)} MB/s fed: ` +
    (c.keepsUp ? 'keeps up' : `falls behind by ${c.fallsBehindMBps.toFixed(2)} MB/s`)
  );
}
