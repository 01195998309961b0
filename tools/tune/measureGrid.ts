import type { ConsumerName as App } from '@shardline/contract';
import { percentile } from '../pipeline/percentile';
import type { CellMeasurement, InvocationSample, MeasuredFunctionFactory } from './types';

/** Options of {@link measureGrid}. */
export interface MeasureGridOptions {
  consumers: readonly App[];
  memories: readonly number[];
  /** Batch sizes to measure, per consumer. */
  batchSizes: Readonly<Record<App, readonly number[]>>;
  /** Batches measured per cell, after one warm-up batch per environment. */
  batches: number;
  /** Mean bytes of a record on each consumer's stream. */
  recordBytes: (consumer: App) => number;
  /** The Lambda event of batch `index` of `batchSize` records for `consumer`, on its own shard `shardId`. */
  event: (consumer: App, batchSize: number, index: number, shardId: number) => unknown;
  /** Starts the consumer's bundle at a memory size (a FunctionPool with reports, locally). */
  start: MeasuredFunctionFactory;
}

/** Progress of {@link measureGrid}: called once per finished cell. */
export type GridProgress = (cell: CellMeasurement, done: number, total: number) => void;

function summarise(
  consumer: App,
  memoryMB: number,
  batchSize: number,
  recordBytes: number,
  samples: InvocationSample[],
  initMs: number | undefined,
): CellMeasurement {
  const ok = samples.filter((s) => s.ok);
  const counted = ok.length > 0 ? ok : samples;
  const durations = counted.map((s) => s.durationMs).sort((a, b) => a - b);
  const p50 = percentile(durations, 0.5);
  const calls: Record<string, number> = {};
  for (const s of counted) for (const [op, n] of Object.entries(s.calls)) calls[op] = (calls[op] ?? 0) + n;
  for (const op of Object.keys(calls)) calls[op] = calls[op]! / counted.length;
  const metrics = new Set(counted.flatMap((s) => s.metrics));
  const cell: CellMeasurement = {
    consumer,
    memoryMB,
    batchSize,
    batches: counted.length,
    recordBytes,
    durationMsP50: p50,
    durationMsP99: percentile(durations, 0.99),
    recordsPerSecPerShard: p50 > 0 ? batchSize / (p50 / 1000) : Infinity,
    logBytesPerInvocation: counted.reduce((sum, s) => sum + s.logBytes, 0) / counted.length,
    callsPerBatch: calls,
    metricCount: metrics.size,
    errors: samples.length - ok.length,
  };
  if (counted.every((s) => s.cpuMs !== undefined)) {
    cell.cpuMsP50 = percentile(
      counted.map((s) => s.cpuMs!).sort((a, b) => a - b),
      0.5,
    );
  }
  if (initMs !== undefined) cell.initMs = initMs;
  if (counted.some((s) => s.storedBytes !== undefined)) {
    cell.storedBytesPerBatch = counted.reduce((sum, s) => sum + (s.storedBytes ?? 0), 0) / counted.length;
  }
  return cell;
}

/**
 * Measures every consumer x memory x batch size: one function environment per consumer and memory (its cold start
 * gives the init time, a first batch warms it and is not counted), then `batches` batches of each size, one after
 * the other as one shard's batches run. Each cell reads its own shard, so per-shard checkpoints never collide.
 *
 * @example
 * ```ts
 * const cells = await measureGrid({ consumers: ['enrichment'], memories: [512], batchSizes, batches: 3,
 *   recordBytes, event, start }, (cell, done, total) => console.log(`${done}/${total}`));
 * ```
 */
export async function measureGrid(
  options: MeasureGridOptions,
  onProgress?: GridProgress,
): Promise<CellMeasurement[]> {
  const total = options.consumers.reduce(
    (n, c) => n + options.batchSizes[c].length * options.memories.length,
    0,
  );
  const cells: CellMeasurement[] = [];
  let shardId = 0;
  for (const consumer of options.consumers) {
    for (const memoryMB of options.memories) {
      const fn = await options.start(consumer, memoryMB);
      try {
        let initMs: number | undefined;
        const sizes = options.batchSizes[consumer];
        let warm = false;
        for (const batchSize of sizes) {
          const shard = shardId++;
          let index = 0;
          if (!warm) {
            const first = await fn.invoke(options.event(consumer, batchSize, index++, shard));
            initMs = first.initMs;
            warm = true;
          }
          const samples: InvocationSample[] = [];
          for (let b = 0; b < options.batches; b++) {
            samples.push(await fn.invoke(options.event(consumer, batchSize, index++, shard)));
          }
          const cell = summarise(
            consumer,
            memoryMB,
            batchSize,
            options.recordBytes(consumer),
            samples,
            initMs,
          );
          cells.push(cell);
          onProgress?.(cell, cells.length, total);
        }
      } finally {
        await fn.stop();
      }
    }
  }
  return cells;
}
