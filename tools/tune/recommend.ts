import {
  consumerNames as APPS,
  limitsOf,
  streamNames,
  type ConsumerName as App,
  type StreamName,
  type StreamSettings,
  type Tuning,
} from '@shardline/contract';
import {
  durationAt,
  evaluateCapacity,
  fitDuration,
  shardsForWrites,
  type CapacityVerdict,
  type DurationCurve,
} from './capacity';
import {
  consumerCost,
  firehoseArchiveCost,
  pipelineCost,
  streamCost,
  SERVICES,
  type ConsumerPlan,
  type CostBreakdown,
  type FirehoseCost,
  type OpenSearchPlan,
  type StreamPlan,
} from './cost';
import type { PriceTable } from './prices';
import type { CellMeasurement } from './types';

export type { StreamName };
/** Kinesis capacity mode. */
export type StreamMode = StreamSettings['mode'];

/** A consumer's range of a setting in the contract (its own limits within the contract's). */
function rangeOf(consumer: App, setting: string): { min: number; max: number } {
  const limit = limitsOf(consumer)[setting];
  if (limit?.minimum === undefined || limit.maximum === undefined)
    throw new Error(`the contract gives ${consumer} no range of ${setting}`);
  return { min: limit.minimum, max: limit.maximum };
}
/** On-demand streams start at 4 shards and keep capacity for twice the peak write rate. */
const ON_DEMAND_MIN_SHARDS = 4;

/** An environment's settings as Terraform declares them (tuning file included). */
export interface EnvironmentSettings {
  env: string;
  streams: Record<StreamName, { mode: StreamMode; shardCount: number; retentionHours: number }>;
  consumers: Record<
    App,
    {
      stream: StreamName;
      memorySize: number;
      batchSize: number;
      windowSeconds: number;
      parallelizationFactor: number;
      enhancedFanOut: boolean;
    }
  >;
  opensearch: OpenSearchPlan;
}

/** The ingest to size for. */
export interface Workload {
  /** Events per second put on the raw stream. */
  eventsPerSec: number;
  rawRecordBytes: number;
  enrichedRecordBytes: number;
  /** Share of raw events that reach the enriched stream (the rest is quarantined). */
  enrichedShare: number;
}

/** Options of {@link recommend}. */
export interface RecommendOptions {
  /** Spare capacity every consumer must keep: 0.25 = drains 1.25x the target. Default 0.25. */
  headroom?: number;
  /** The knee is the first memory after which the next size shortens the duration by less than this. Default 0.1. */
  kneeGain?: number;
}

/** One consumer's recommended settings and what they give. */
export interface ConsumerRecommendation {
  consumer: App;
  stream: StreamName;
  memoryMB: number;
  batchSize: number;
  windowSeconds: number;
  parallelizationFactor: number;
  enhancedFanOut: boolean;
  /** Where more memory stops shortening the duration (memory power tuning's knee). */
  kneeMB: number;
  verdict: CapacityVerdict;
  monthlyUsd: number;
}

/** Settings for one environment, priced. */
export interface Recommendation {
  env: string;
  eventsPerSec: number;
  /** Every consumer keeps up with the headroom asked for. */
  feasible: boolean;
  streams: Record<StreamName, { mode: StreamMode; shards: number; monthlyUsd: number }>;
  consumers: Record<App, ConsumerRecommendation>;
  cost: CostBreakdown;
  /** The archive path as built (s3-archiver, its reads and objects) against Amazon Data Firehose's. */
  archive: { pipelineUsd: number; firehose: FirehoseCost };
  /** Per stream, the cheapest plan of each mode, for comparison. */
  alternatives: Array<{
    stream: StreamName;
    mode: StreamMode;
    shards: number;
    enhancedFanOut: boolean;
    monthlyUsd: number;
    feasible: boolean;
  }>;
  notes: string[];
}

/** One line of `--json`: a consumer at one memory and batch size, with the environment's other settings. */
export interface GridRow {
  consumer: App;
  memoryMB: number;
  batchSize: number;
  durationMsP50: number;
  durationMsP99: number;
  cpuMsP50: number | null;
  initMs: number | null;
  recordsPerSecPerShard: number;
  callsPerBatch: Record<string, number>;
  logBytesPerInvocation: number;
  realBatch: number;
  maxTheoreticalMBps: number;
  effectiveMBps: number;
  keepsUp: boolean;
  headroom: number;
  costPerMillionUsd: number;
}

/** Memory sizes' curves and calls of one consumer, from its cells. */
interface ConsumerModel {
  memories: number[];
  batchSizes: number[];
  curve: Map<number, DurationCurve>;
  calls: Map<number, Map<string, DurationCurve>>;
  cells: CellMeasurement[];
  recordBytes: number;
  logBytes: Map<number, number>;
  metricCount: number;
  storedBytesPerRecord?: number;
}

function modelOf(cells: CellMeasurement[]): ConsumerModel {
  const memories = [...new Set(cells.map((c) => c.memoryMB))].sort((a, b) => a - b);
  const curve = new Map<number, DurationCurve>();
  const calls = new Map<number, Map<string, DurationCurve>>();
  const logBytes = new Map<number, number>();
  for (const memory of memories) {
    const at = cells.filter((c) => c.memoryMB === memory);
    curve.set(memory, fitDuration(at.map((c) => ({ records: c.batchSize, durationMs: c.durationMsP50 }))));
    const ops = new Map<string, DurationCurve>();
    for (const op of new Set(at.flatMap((c) => Object.keys(c.callsPerBatch)))) {
      // A call count is a line in the batch's records too: per batch (PutObject) plus per record (UpdateItem).
      ops.set(
        op,
        fitDuration(at.map((c) => ({ records: c.batchSize, durationMs: c.callsPerBatch[op] ?? 0 }))),
      );
    }
    calls.set(memory, ops);
    logBytes.set(memory, at.reduce((s, c) => s + c.logBytesPerInvocation / c.batchSize, 0) / at.length);
  }
  const stored = cells.filter((c) => c.storedBytesPerBatch !== undefined);
  const model: ConsumerModel = {
    memories,
    batchSizes: [...new Set(cells.map((c) => c.batchSize))].sort((a, b) => a - b),
    curve,
    calls,
    cells,
    recordBytes: cells.reduce((s, c) => s + c.recordBytes, 0) / cells.length,
    logBytes,
    metricCount: Math.max(...cells.map((c) => c.metricCount)),
  };
  if (stored.length > 0) {
    model.storedBytesPerRecord =
      stored.reduce((s, c) => s + c.storedBytesPerBatch! / c.batchSize, 0) / stored.length;
  }
  return model;
}

/**
 * The knee of a memory power tuning curve: the first memory size after which the next one shortens the duration by
 * less than `gain` (0.1 = 10 %); the largest size when every step still helps.
 *
 * @example
 * ```ts
 * kneeOf([128, 256, 512, 1024], [800, 400, 200, 195]); // 512
 * ```
 */
export function kneeOf(memories: readonly number[], durations: readonly number[], gain = 0.1): number {
  for (let i = 0; i + 1 < memories.length; i++) {
    if (durations[i + 1]! > durations[i]! * (1 - gain)) return memories[i]!;
  }
  return memories.at(-1)!;
}

interface Option {
  memoryMB: number;
  batchSize: number;
  parallelizationFactor: number;
  verdict: CapacityVerdict;
  plan: ConsumerPlan;
  monthlyUsd: number;
}

function planFor(
  consumer: App,
  model: ConsumerModel,
  memoryMB: number,
  verdict: CapacityVerdict,
  recordsPerSec: number,
  stream: { mode: StreamMode; shards: number },
  enhancedFanOut: boolean,
): ConsumerPlan {
  const calls: Record<string, number> = {};
  for (const [op, line] of model.calls.get(memoryMB)!) calls[op] = durationAt(line, verdict.realBatch);
  const plan: ConsumerPlan = {
    consumer,
    memoryMB,
    recordsPerSec,
    recordBytes: model.recordBytes,
    realBatch: verdict.realBatch,
    durationMs: verdict.durationMs,
    callsPerBatch: calls,
    logBytesPerInvocation: model.logBytes.get(memoryMB)! * verdict.realBatch,
    metricCount: model.metricCount,
    enhancedFanOut,
    streamMode: stream.mode,
    shards: stream.shards,
  };
  if (model.storedBytesPerRecord !== undefined) plan.storedBytesPerRecord = model.storedBytesPerRecord;
  return plan;
}

const total = (costs: Record<string, number>) => Object.values(costs).reduce((s, v) => s + v, 0);

function allowedBatchSizes(consumer: App, model: ConsumerModel): number[] {
  const { min, max } = rangeOf(consumer, 'batch_size');
  const sizes = model.batchSizes.filter((b) => b >= min && b <= max);
  return sizes.length > 0 ? sizes : [Math.min(max, Math.max(min, model.batchSizes.at(-1)!))];
}

/** The cheapest memory, batch size and parallelization factor that keep up with `headroom`; undefined when none. */
function bestOption(
  consumer: App,
  model: ConsumerModel,
  settings: EnvironmentSettings['consumers'][App],
  recordsPerSec: number,
  stream: { mode: StreamMode; shards: number; retentionHours: number },
  enhancedFanOut: boolean,
  standardConsumers: number,
  headroom: number,
  prices: PriceTable,
): { best?: Option; closest: Option } {
  let best: Option | undefined;
  let closest: Option | undefined;
  // One batch per shard at a time where the contract says exactly once needs it.
  const range = rangeOf(consumer, 'parallelization_factor');
  const factors = Array.from({ length: range.max - range.min + 1 }, (_, i) => range.min + i);
  for (const memoryMB of model.memories) {
    for (const batchSize of allowedBatchSizes(consumer, model)) {
      for (const parallelizationFactor of factors) {
        const verdict = evaluateCapacity(
          {
            recordsPerSec,
            recordBytes: model.recordBytes,
            shards: stream.shards,
            batchSize,
            windowSeconds: settings.windowSeconds,
            parallelizationFactor,
            enhancedFanOut,
            standardConsumers,
            retentionHours: stream.retentionHours,
          },
          model.curve.get(memoryMB)!,
        );
        const plan = planFor(consumer, model, memoryMB, verdict, recordsPerSec, stream, enhancedFanOut);
        const monthlyUsd = total(consumerCost(plan, prices));
        const option = { memoryMB, batchSize, parallelizationFactor, verdict, plan, monthlyUsd };
        if (!closest || verdict.headroom > closest.verdict.headroom) closest = option;
        // Higher factors only when they are needed: the first factor that fits wins for this memory and batch.
        if (verdict.headroom >= headroom) {
          if (!best || monthlyUsd < best.monthlyUsd - 1e-9) best = option;
          break;
        }
      }
    }
  }
  return best ? { best, closest: closest! } : { closest: closest! };
}

interface StreamChoice {
  mode: StreamMode;
  shards: number;
  enhancedFanOut: boolean;
  feasible: boolean;
  monthlyUsd: number;
  streamUsd: number;
  options: Map<App, Option>;
}

function chooseStream(
  name: StreamName,
  models: Map<App, ConsumerModel>,
  settings: EnvironmentSettings,
  recordsPerSec: number,
  recordBytes: number,
  headroom: number,
  prices: PriceTable,
): { chosen: StreamChoice; alternatives: StreamChoice[] } {
  const consumers = APPS.filter((a) => settings.consumers[a].stream === name);
  const retentionHours = settings.streams[name].retentionHours;
  const minShards = shardsForWrites(recordsPerSec, recordBytes, headroom);
  const candidates: Array<{ mode: StreamMode; shards: number }> = [];
  for (let shards = minShards; shards <= minShards + 48; shards++)
    candidates.push({ mode: 'PROVISIONED', shards });
  candidates.push({
    mode: 'ON_DEMAND',
    shards: Math.max(ON_DEMAND_MIN_SHARDS, 2 * shardsForWrites(recordsPerSec, recordBytes)),
  });
  const choices: StreamChoice[] = [];
  for (const candidate of candidates) {
    for (const enhancedFanOut of [false, true]) {
      const standardConsumers = enhancedFanOut ? 0 : consumers.length;
      const stream: StreamPlan = {
        mode: candidate.mode,
        shards: candidate.shards,
        retentionHours,
        recordsPerSec,
        recordBytes,
        standardConsumers,
      };
      const streamUsd = streamCost(stream, prices);
      const options = new Map<App, Option>();
      let feasible = true;
      let monthlyUsd = streamUsd;
      for (const consumer of consumers) {
        const { best, closest } = bestOption(
          consumer,
          models.get(consumer)!,
          settings.consumers[consumer],
          recordsPerSec,
          { ...candidate, retentionHours },
          enhancedFanOut,
          Math.max(1, standardConsumers),
          headroom,
          prices,
        );
        if (!best) feasible = false;
        const option = best ?? closest;
        options.set(consumer, option);
        monthlyUsd += option.monthlyUsd;
      }
      choices.push({ ...candidate, enhancedFanOut, feasible, monthlyUsd, streamUsd, options });
    }
  }
  const feasible = choices.filter((c) => c.feasible).sort((a, b) => a.monthlyUsd - b.monthlyUsd);
  const chosen =
    feasible[0] ??
    choices.reduce((a, b) =>
      Math.min(...[...b.options.values()].map((o) => o.verdict.headroom)) >
      Math.min(...[...a.options.values()].map((o) => o.verdict.headroom))
        ? b
        : a,
    );
  const alternatives: StreamChoice[] = [];
  for (const mode of ['PROVISIONED', 'ON_DEMAND'] as const) {
    const cheapest = (feasible.length > 0 ? feasible : choices).filter((c) => c.mode === mode)[0];
    if (cheapest) alternatives.push(cheapest);
  }
  return { chosen, alternatives };
}

/**
 * Recommends, for one environment and workload, the stream mode and shards, each consumer's memory, batch size,
 * parallelization factor and enhanced fan-out: the cheapest plan (priced with `prices`) in which every consumer
 * drains its stream with `headroom` to spare, given the measured cells. Batching windows stay as declared.
 *
 * @example
 * ```ts
 * const rec = recommend(cells, settings, { eventsPerSec: 1000, rawRecordBytes: 1024, enrichedRecordBytes: 1400, enrichedShare: 1 }, prices);
 * rec.consumers.enrichment.memoryMB;
 * ```
 */
export function recommend(
  cells: readonly CellMeasurement[],
  settings: EnvironmentSettings,
  workload: Workload,
  prices: PriceTable,
  options: RecommendOptions = {},
): Recommendation {
  const headroom = options.headroom ?? 0.25;
  const models = new Map<App, ConsumerModel>();
  for (const app of APPS) {
    const own = cells.filter((c) => c.consumer === app);
    if (own.length === 0) throw new RangeError(`no measurement of ${app}`);
    models.set(app, modelOf(own));
  }
  const rates: Record<StreamName, { recordsPerSec: number; recordBytes: number }> = {
    raw: { recordsPerSec: workload.eventsPerSec, recordBytes: workload.rawRecordBytes },
    enriched: {
      recordsPerSec: workload.eventsPerSec * workload.enrichedShare,
      recordBytes: workload.enrichedRecordBytes,
    },
  };
  const notes: string[] = [];
  const streams = {} as Recommendation['streams'];
  const consumers = {} as Record<App, ConsumerRecommendation>;
  const plans: ConsumerPlan[] = [];
  const streamPlans: StreamPlan[] = [];
  const alternatives: Recommendation['alternatives'] = [];
  let feasible = true;
  for (const name of ['raw', 'enriched'] as const) {
    const { chosen, alternatives: alts } = chooseStream(
      name,
      models,
      settings,
      rates[name].recordsPerSec,
      rates[name].recordBytes,
      headroom,
      prices,
    );
    feasible &&= chosen.feasible;
    streams[name] = { mode: chosen.mode, shards: chosen.shards, monthlyUsd: chosen.streamUsd };
    for (const alt of alts) {
      alternatives.push({
        stream: name,
        mode: alt.mode,
        shards: alt.shards,
        enhancedFanOut: alt.enhancedFanOut,
        monthlyUsd: alt.monthlyUsd,
        feasible: alt.feasible,
      });
    }
    streamPlans.push({
      mode: chosen.mode,
      shards: chosen.shards,
      retentionHours: settings.streams[name].retentionHours,
      recordsPerSec: rates[name].recordsPerSec,
      recordBytes: rates[name].recordBytes,
      standardConsumers: chosen.enhancedFanOut ? 0 : chosen.options.size,
    });
    for (const [app, option] of chosen.options) {
      const model = models.get(app)!;
      const durations = model.memories.map((m) => durationAt(model.curve.get(m)!, option.verdict.realBatch));
      consumers[app] = {
        consumer: app,
        stream: name,
        memoryMB: option.memoryMB,
        batchSize: option.batchSize,
        windowSeconds: settings.consumers[app].windowSeconds,
        parallelizationFactor: option.parallelizationFactor,
        enhancedFanOut: chosen.enhancedFanOut,
        kneeMB: kneeOf(model.memories, durations, options.kneeGain),
        verdict: option.verdict,
        monthlyUsd: option.monthlyUsd,
      };
      plans.push(option.plan);
      if (option.verdict.headroom < headroom) {
        notes.push(
          `${app} does not keep up with ${Math.round(headroom * 100)} % headroom at any measured memory and batch size ` +
            `with ${chosen.shards} shards; measure larger memory sizes or batches`,
        );
      }
    }
  }
  const cost = pipelineCost(
    {
      eventsPerSec: workload.eventsPerSec,
      streams: streamPlans,
      consumers: plans,
      opensearch: settings.opensearch,
    },
    prices,
  );
  const archiver = cost.byPart['s3-archiver']!;
  const archiverModel = models.get('s3-archiver')!;
  const firehose = firehoseArchiveCost(
    {
      recordsPerSec: rates.enriched.recordsPerSec,
      recordBytes: rates.enriched.recordBytes,
      storedBytesPerRecord: archiverModel.storedBytesPerRecord ?? 0,
    },
    prices,
  );
  if (streams.raw.mode === 'PROVISIONED' || streams.enriched.mode === 'PROVISIONED') {
    notes.push(
      'on-demand streams cost more at a steady rate; they pay off for spiky or unknown traffic (see the alternatives)',
    );
  }
  return {
    env: settings.env,
    eventsPerSec: workload.eventsPerSec,
    feasible,
    streams,
    consumers,
    cost,
    archive: { pipelineUsd: SERVICES.reduce((s, k) => s + archiver[k], 0), firehose },
    alternatives,
    notes,
  };
}

/**
 * Every measured cell evaluated with the environment's declared settings (shards, window, factor, fan-out) at the
 * cell's memory and batch size: the `--json` lines and the table.
 */
export function gridRows(
  cells: readonly CellMeasurement[],
  settings: EnvironmentSettings,
  workload: Workload,
  prices: PriceTable,
): GridRow[] {
  const byApp = new Map(APPS.map((a) => [a, cells.filter((c) => c.consumer === a)] as const));
  const rows: GridRow[] = [];
  for (const cell of cells) {
    const model = modelOf(byApp.get(cell.consumer)!);
    const s = settings.consumers[cell.consumer];
    const stream = settings.streams[s.stream];
    const recordsPerSec =
      s.stream === 'raw' ? workload.eventsPerSec : workload.eventsPerSec * workload.enrichedShare;
    const standard = s.enhancedFanOut
      ? 1
      : APPS.filter((a) => settings.consumers[a].stream === s.stream && !settings.consumers[a].enhancedFanOut)
          .length;
    const verdict = evaluateCapacity(
      {
        recordsPerSec,
        recordBytes: cell.recordBytes,
        shards: stream.shardCount,
        batchSize: cell.batchSize,
        windowSeconds: s.windowSeconds,
        parallelizationFactor: s.parallelizationFactor,
        enhancedFanOut: s.enhancedFanOut,
        standardConsumers: standard,
        retentionHours: stream.retentionHours,
      },
      model.curve.get(cell.memoryMB)!,
    );
    const plan = planFor(
      cell.consumer,
      model,
      cell.memoryMB,
      verdict,
      recordsPerSec,
      { mode: stream.mode, shards: stream.shardCount },
      s.enhancedFanOut,
    );
    const millionEvents = (workload.eventsPerSec * 3600 * 730) / 1e6;
    rows.push({
      consumer: cell.consumer,
      memoryMB: cell.memoryMB,
      batchSize: cell.batchSize,
      durationMsP50: round(cell.durationMsP50),
      durationMsP99: round(cell.durationMsP99),
      cpuMsP50: cell.cpuMsP50 === undefined ? null : round(cell.cpuMsP50),
      initMs: cell.initMs === undefined ? null : round(cell.initMs),
      recordsPerSecPerShard: Math.round(cell.recordsPerSecPerShard),
      callsPerBatch: Object.fromEntries(Object.entries(cell.callsPerBatch).map(([k, v]) => [k, round(v)])),
      logBytesPerInvocation: Math.round(cell.logBytesPerInvocation),
      realBatch: Math.round(verdict.realBatch),
      maxTheoreticalMBps: round(verdict.maxTheoreticalMBps),
      effectiveMBps: round(verdict.effectiveMBps),
      keepsUp: verdict.keepsUp,
      headroom: round(verdict.headroom),
      costPerMillionUsd: round(total(consumerCost(plan, prices)) / millionEvents, 4),
    });
  }
  return rows;
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** The recommendation as the `tuning` variable (shard_count only for provisioned streams). */
export function toTuning(rec: Recommendation): Tuning {
  const streams: NonNullable<Tuning['streams']> = {};
  for (const name of streamNames) {
    const s = rec.streams[name];
    streams[name] = s.mode === 'PROVISIONED' ? { mode: s.mode, shard_count: s.shards } : { mode: s.mode };
  }
  const consumers: NonNullable<Tuning['consumers']> = {};
  for (const app of APPS) {
    const c = rec.consumers[app];
    consumers[app] = {
      memory_size: c.memoryMB,
      batch_size: c.batchSize,
      maximum_batching_window_in_seconds: c.windowSeconds,
      parallelization_factor: c.parallelizationFactor,
      enhanced_fan_out: c.enhancedFanOut,
    };
  }
  return { streams, consumers };
}
