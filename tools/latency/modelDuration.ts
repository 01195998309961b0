import { createPrng, type Prng } from '@shardline/schema';
import type { InvocationTrace, IoCall } from '../pipeline/invocationTrace';
import { callLatencyMs, defaultLatencyModel, latencyOf, type LatencyModel } from './latencyModel';

/** How `modelDuration` draws call latencies. */
export interface ModelDurationOptions {
  /** Draw each call's latency from its distribution with this generator; without it, every call takes its median. */
  random?: Prng;
}

/** A maximal set of calls whose real intervals overlap, with the CPU the environment spent meanwhile. */
interface CallGroup {
  startMs: number;
  endMs: number;
  cpuMs: number;
  calls: IoCall[];
}

/**
 * The duration AWS would show for an invocation traced locally: the function's own time is kept as measured,
 * the time spent waiting on local services is replaced by what the latency model says AWS would take.
 *
 * The real I/O intervals are merged into groups of overlapping calls. Outside every group the time is the
 * function's own and is kept. Each group becomes the longer of:
 * - its CPU: the CPU time consumed during the group at the environment's share of a core
 *   (`min(cpuShare, 1)`: JavaScript runs on one thread, more vCPUs do not shorten it);
 * - its modeled I/O: the group's calls, in the order they started, run on as many lanes as the code had
 *   calls in flight at most, each taking its modeled latency (N calls through a pool of C take about
 *   N / C rounds, never less than the slowest call).
 *
 * @example
 * ```ts
 * const trace: InvocationTrace = {
 *   startMs: 0, endMs: 300, cpuStartMs: 0, cpuEndMs: 20, memoryMB: 1769, cpuShare: 1, throttled: true,
 *   calls: [{ service: 'dynamodb', operation: 'UpdateItem', startMs: 100, endMs: 300, cpuAtStartMs: 20,
 *     cpuAtEndMs: 20, requestBytes: 0, responseBytes: 0, status: 200 }],
 * };
 * modelDuration(trace); // 105: 100 ms of its own work, then one UpdateItem at its median of 5 ms
 * ```
 */
export function modelDuration(
  trace: InvocationTrace,
  model: LatencyModel = defaultLatencyModel,
  options: ModelDurationOptions = {},
): number {
  if (!(trace.cpuShare > 0)) throw new RangeError(`trace.cpuShare must be > 0, got ${trace.cpuShare}`);
  const wallMs = Math.max(0, trace.endMs - trace.startMs);
  const parallelism = Math.min(trace.cpuShare, 1);
  let measuredIoMs = 0;
  let modeledMs = 0;
  for (const group of groupOverlappingCalls(trace)) {
    measuredIoMs += group.endMs - group.startMs;
    const cpuWallMs = group.cpuMs / parallelism;
    const latencies = group.calls.map((call) =>
      callLatencyMs(
        latencyOf(model, call.service, call.operation),
        call.requestBytes + call.responseBytes,
        options.random,
      ),
    );
    modeledMs += Math.max(cpuWallMs, makespan(latencies, maxInFlight(group.calls)));
  }
  return wallMs - measuredIoMs + modeledMs;
}

/**
 * A `durationModel` for `FunctionPoolOptions`: every trace's calls draw their latencies from one seeded
 * generator, so the durations of a run have AWS's tail (their p99 reflects the calls' p99) and the same seed
 * gives the same durations for the same traces.
 *
 * @example
 * ```ts
 * const durationModel = createSampledDurationModel(defaultLatencyModel, 42);
 * ```
 */
export function createSampledDurationModel(
  model: LatencyModel = defaultLatencyModel,
  seed = 1,
): (trace: InvocationTrace) => number {
  const random = createPrng(seed);
  return (trace) => modelDuration(trace, model, { random });
}

/** The calls clipped to the invocation, merged into maximal groups of strictly overlapping intervals. */
function groupOverlappingCalls(trace: InvocationTrace): CallGroup[] {
  const clipped = trace.calls
    .map((call) => {
      const startMs = Math.min(Math.max(call.startMs, trace.startMs), trace.endMs);
      return { call, startMs, endMs: Math.min(Math.max(call.endMs, startMs), trace.endMs) };
    })
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const groups: { startMs: number; endMs: number; calls: IoCall[] }[] = [];
  for (const { call, startMs, endMs } of clipped) {
    const last = groups.at(-1);
    // Calls that merely touch stay apart: the second was issued after the first returned, one after the other.
    if (last !== undefined && startMs < last.endMs) {
      last.endMs = Math.max(last.endMs, endMs);
      last.calls.push(call);
    } else {
      groups.push({ startMs, endMs, calls: [call] });
    }
  }
  return groups.map((group) => ({ ...group, cpuMs: cpuDuring(group.calls) }));
}

/** CPU consumed from the first call's start to the last call's end (the samples are cumulative). */
function cpuDuring(calls: readonly IoCall[]): number {
  const first = calls.reduce((a, b) => (b.startMs < a.startMs ? b : a));
  const last = calls.reduce((a, b) => (b.endMs > a.endMs ? b : a));
  return Math.max(0, last.cpuAtEndMs - first.cpuAtStartMs);
}

/** The most calls in flight at once; a call ending when another starts does not overlap it. */
function maxInFlight(calls: readonly IoCall[]): number {
  const edges = calls.flatMap((call) => [
    { at: call.startMs, delta: 1 },
    { at: Math.max(call.endMs, call.startMs), delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let inFlight = 0;
  let most = 0;
  for (const edge of edges) {
    inFlight += edge.delta;
    most = Math.max(most, inFlight);
  }
  return Math.max(1, most);
}

/** List scheduling: each latency, in order, starts on the lane that frees first; the time the last one ends. */
function makespan(latencies: readonly number[], lanes: number): number {
  const freeAt = new Array<number>(Math.min(lanes, latencies.length)).fill(0);
  for (const latency of latencies) {
    let lane = 0;
    for (let i = 1; i < freeAt.length; i++) if (freeAt[i]! < freeAt[lane]!) lane = i;
    freeAt[lane]! += latency;
  }
  return Math.max(0, ...freeAt);
}
