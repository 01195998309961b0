/**
 * The throughput formulas of a Kinesis stream consumer (AWS-FACTS.md), evaluated with measured durations:
 * - maximum theoretical throughput = shards x 2 MB / duration (s)
 * - effective throughput = shards x batch size (MB) / duration (s)
 * with the batch a mapping really delivers at a given ingest, and the stream's read limits.
 */

const MIB = 1024 * 1024;

/** Kinesis and Lambda limits the formulas use. */
export const LIMITS = {
  /** Write limit of one shard. */
  shardWriteBytesPerSec: MIB,
  shardWriteRecordsPerSec: 1000,
  /** Read limit of one shard: shared by every standard consumer, or per consumer with enhanced fan-out. */
  shardReadBytesPerSec: 2 * MIB,
  /** GetRecords calls per shard per second, shared by every standard consumer. */
  shardGetRecordsPerSec: 5,
  /** Lambda ends a batch at 6 MB of invocation payload. */
  invocationPayloadBytes: 6 * MIB,
  /** A mapping without a batching window polls an idle shard about once per second. */
  idlePollSeconds: 1,
  /** Records returned by one GetRecords call at most. */
  getRecordsMaxRecords: 10_000,
} as const;

/** Duration of one batch as a function of its records: `fixedMs + perRecordMs x records`. */
export interface DurationCurve {
  fixedMs: number;
  perRecordMs: number;
}

/**
 * Least-squares line through measured (records per batch, duration) points; with a single point, a line through
 * the origin (all of the duration scales with the records).
 *
 * @example
 * ```ts
 * fitDuration([{ records: 100, durationMs: 30 }, { records: 500, durationMs: 110 }]); // { fixedMs: 10, perRecordMs: 0.2 }
 * ```
 */
export function fitDuration(points: ReadonlyArray<{ records: number; durationMs: number }>): DurationCurve {
  if (points.length === 0) throw new RangeError('fitDuration needs at least one measurement');
  const distinct = new Set(points.map((p) => p.records));
  if (distinct.size === 1) {
    const mean = points.reduce((s, p) => s + p.durationMs / p.records, 0) / points.length;
    return { fixedMs: 0, perRecordMs: mean };
  }
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.records, 0) / n;
  const my = points.reduce((s, p) => s + p.durationMs, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.records - mx) * (p.durationMs - my), 0);
  const sxx = points.reduce((s, p) => s + (p.records - mx) ** 2, 0);
  const slope = Math.max(0, sxy / sxx);
  // A negative intercept is noise: a batch never takes less than nothing.
  const fixedMs = Math.max(0, my - slope * mx);
  return { fixedMs, perRecordMs: fixedMs === 0 ? my / mx : slope };
}

/** Duration of a batch of `records` on a curve, ms. */
export function durationAt(curve: DurationCurve, records: number): number {
  return curve.fixedMs + curve.perRecordMs * records;
}

/** One consumer's mapping and the ingest it faces. */
export interface ConsumerLoad {
  /** Records per second on the consumer's stream, all shards together. */
  recordsPerSec: number;
  /** Mean bytes of one record on that stream. */
  recordBytes: number;
  shards: number;
  batchSize: number;
  windowSeconds: number;
  parallelizationFactor: number;
  enhancedFanOut: boolean;
  /** Standard (polling) consumers of the stream, this one included when it polls. */
  standardConsumers: number;
  /** Stream retention: records older than this are gone. */
  retentionHours: number;
}

/** What limits a consumer's throughput. */
export type Bottleneck = 'lambda' | 'read-bandwidth' | 'get-records';

/** The formulas evaluated for one consumer. */
export interface CapacityVerdict {
  /** Records per batch at this ingest: min(batchSize, ingest per shard x window, 6 MB). */
  realBatch: number;
  /** Records per batch while catching up (the mapping reads as much as batchSize and 6 MB allow). */
  fullBatch: number;
  /** Duration of a real batch, ms. */
  durationMs: number;
  ingestMBps: number;
  /** shards x 2 MB / duration (s), x parallelization factor. */
  maxTheoreticalMBps: number;
  /** shards x real batch (MB) / duration (s), x parallelization factor. */
  effectiveMBps: number;
  /** Records per second per shard the consumer drains at most (full batches, read limits included). */
  sustainableRecordsPerSecPerShard: number;
  bottleneck: Bottleneck;
  keepsUp: boolean;
  /** sustainable / ingest - 1: 0.5 means 50 % spare. Negative when it falls behind. */
  headroom: number;
  /** When behind: MB/s of ingest left unprocessed. 0 when it keeps up. */
  fallsBehindMBps: number;
  /** When behind: seconds of iterator age gained per second. 0 when it keeps up. */
  iteratorAgeGrowthPerSec: number;
  /** When behind: hours until the oldest records expire (retention) and are lost; undefined when it keeps up. */
  hoursToExpiry?: number;
}

const MB = 1_000_000;

/**
 * Evaluates the throughput formulas for one consumer: the real batch at this ingest, the duration the curve gives
 * it, the read limits (2 MiB/s and 5 GetRecords/s per shard shared by the standard consumers; 2 MiB/s each with
 * enhanced fan-out), and where its iterator age goes.
 *
 * @example
 * ```ts
 * const v = evaluateCapacity(
 *   { recordsPerSec: 1000, recordBytes: 1024, shards: 1, batchSize: 100, windowSeconds: 0,
 *     parallelizationFactor: 1, enhancedFanOut: false, standardConsumers: 1, retentionHours: 24 },
 *   { fixedMs: 20, perRecordMs: 0.3 },
 * );
 * v.keepsUp; // true: a full batch of 100 takes 50 ms, 2,000 records/s
 * ```
 */
export function evaluateCapacity(load: ConsumerLoad, curve: DurationCurve): CapacityVerdict {
  const { shards, recordBytes, recordsPerSec } = load;
  const pf = load.parallelizationFactor;
  const perShard = recordsPerSec / shards;
  const payloadCap = Math.max(1, Math.floor(LIMITS.invocationPayloadBytes / recordBytes));
  const fullBatch = Math.min(load.batchSize, payloadCap, LIMITS.getRecordsMaxRecords);
  const fillSeconds = load.windowSeconds > 0 ? load.windowSeconds : LIMITS.idlePollSeconds;
  // Records of a shard are spread over its concurrent batches.
  const realBatch = Math.max(1, Math.min(fullBatch, (perShard * fillSeconds) / pf));
  const durationMs = durationAt(curve, realBatch);
  const seconds = durationMs / 1000;

  const maxTheoreticalMBps = (shards * pf * (2 * 1024 * 1024)) / MB / seconds;
  const effectiveMBps = (shards * pf * realBatch * recordBytes) / MB / seconds;
  const ingestMBps = (recordsPerSec * recordBytes) / MB;

  const lambdaPerShard = (pf * fullBatch) / (durationAt(curve, fullBatch) / 1000);
  const readShare = load.enhancedFanOut
    ? LIMITS.shardReadBytesPerSec
    : LIMITS.shardReadBytesPerSec / Math.max(1, load.standardConsumers);
  const readPerShard = readShare / recordBytes;
  const getRecordsPerShard = load.enhancedFanOut
    ? Infinity
    : (LIMITS.shardGetRecordsPerSec / Math.max(1, load.standardConsumers)) * fullBatch;
  let sustainable = lambdaPerShard;
  let bottleneck: Bottleneck = 'lambda';
  if (readPerShard < sustainable) {
    sustainable = readPerShard;
    bottleneck = 'read-bandwidth';
  }
  if (getRecordsPerShard < sustainable) {
    sustainable = getRecordsPerShard;
    bottleneck = 'get-records';
  }
  const total = sustainable * shards;
  const keepsUp = total >= recordsPerSec;
  const verdict: CapacityVerdict = {
    realBatch,
    fullBatch,
    durationMs,
    ingestMBps,
    maxTheoreticalMBps,
    effectiveMBps,
    sustainableRecordsPerSecPerShard: sustainable,
    bottleneck,
    keepsUp,
    headroom: recordsPerSec > 0 ? total / recordsPerSec - 1 : Infinity,
    fallsBehindMBps: keepsUp ? 0 : ((recordsPerSec - total) * recordBytes) / MB,
    iteratorAgeGrowthPerSec: keepsUp ? 0 : 1 - total / recordsPerSec,
  };
  // The oldest unprocessed record ages by (1 - drained/ingested) s per s; at the retention it is gone.
  if (!keepsUp) verdict.hoursToExpiry = load.retentionHours / verdict.iteratorAgeGrowthPerSec;
  return verdict;
}

/** Shards a stream needs for its writes: 1 MiB/s and 1,000 records/s each, with `headroom` spare (0.25 = 25 %). */
export function shardsForWrites(recordsPerSec: number, recordBytes: number, headroom = 0): number {
  const need = Math.max(
    (recordsPerSec * recordBytes) / LIMITS.shardWriteBytesPerSec,
    recordsPerSec / LIMITS.shardWriteRecordsPerSec,
  );
  return Math.max(1, Math.ceil(need * (1 + headroom) - 1e-9));
}
