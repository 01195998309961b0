import type { InvocationTrace, IoCall } from '../pipeline/invocationTrace';
import { percentile } from '../pipeline/percentile';
import { parseLatencyModel } from './latencyModel';
import { createSampledDurationModel, modelDuration } from './modelDuration';

// A model of round figures, so every expected duration below can be worked out by hand.
const model = parseLatencyModel(
  {
    calls: {
      dynamodb: { UpdateItem: { p50Ms: 5, p99Ms: 15 }, GetItem: { p50Ms: 2, p99Ms: 8 } },
      opensearch: { Bulk: { p50Ms: 30, p99Ms: 200, perKbMs: 0.1 } },
    },
    default: { p50Ms: 20, p99Ms: 100 },
  },
  'test model',
);

function call(startMs: number, endMs: number, fields: Partial<IoCall> = {}): IoCall {
  return {
    service: 'dynamodb',
    operation: 'UpdateItem',
    startMs,
    endMs,
    cpuAtStartMs: 0,
    cpuAtEndMs: 0,
    requestBytes: 0,
    responseBytes: 0,
    status: 200,
    ...fields,
  };
}

function trace(endMs: number, calls: IoCall[], fields: Partial<InvocationTrace> = {}): InvocationTrace {
  return {
    startMs: 0,
    endMs,
    cpuStartMs: 0,
    cpuEndMs: 0,
    memoryMB: 1769,
    cpuShare: 1,
    throttled: true,
    calls,
    ...fields,
  };
}

/** The calls a pool of `size` makes over `count` calls whose local latencies differ, as p-limit would issue them. */
function pooledCalls(count: number, size: number, localMs: (i: number) => number): IoCall[] {
  const laneFreeAt = new Array<number>(size).fill(0);
  return Array.from({ length: count }, (_, i) => {
    const lane = laneFreeAt.indexOf(Math.min(...laneFreeAt));
    const startMs = laneFreeAt[lane]!;
    laneFreeAt[lane] = startMs + localMs(i);
    return call(startMs, laneFreeAt[lane]!);
  });
}

describe('modelDuration', () => {
  it('keeps the measured duration of an invocation that made no call', () => {
    // Prepare
    const noCalls = trace(250, [], { cpuEndMs: 40 });

    // Act
    const duration = modelDuration(noCalls, model);

    // Assess
    expect(duration).toBe(250);
  });

  it('replaces each of sequential calls by its modeled latency and keeps the time between them', () => {
    // Prepare: 100 ms of own work, then three UpdateItems one after the other, 100 ms each locally
    const sequential = trace(400, [call(100, 200), call(200, 300), call(300, 400)]);

    // Act
    const duration = modelDuration(sequential, model);

    // Assess
    expect(duration).toBe(100 + 3 * 5);
  });

  it('counts fully concurrent calls once, as long as one call', () => {
    // Prepare
    const concurrent = trace(
      400,
      Array.from({ length: 10 }, () => call(100, 300)),
    );

    // Act
    const duration = modelDuration(concurrent, model);

    // Assess: 200 ms outside the calls, then ten calls in flight together
    expect(duration).toBe(200 + 5);
  });

  it('runs N calls through a pool of C in about N / C rounds of modeled latency', () => {
    // Prepare: 10 calls, at most 4 in flight, local latencies of 100..190 ms so the rounds overlap
    const calls = pooledCalls(10, 4, (i) => 100 + ((i * 37) % 90));
    const end = Math.max(...calls.map((c) => c.endMs));
    const pooled = trace(end + 50, calls);

    // Act
    const duration = modelDuration(pooled, model);

    // Assess: ceil(10 / 4) = 3 rounds of 5 ms, plus the 50 ms after the last call
    expect(duration).toBe(50 + 3 * 5);
  });

  it('keeps the order of dependent calls within a group: a call issued after another returned waits for it', () => {
    // Prepare: a long Bulk in flight while two UpdateItems run one after the other
    const calls = [
      call(0, 300, { service: 'opensearch', operation: 'Bulk' }),
      call(0, 100),
      call(100, 200, { operation: 'GetItem' }),
    ];

    // Act
    const duration = modelDuration(trace(300, calls), model);

    // Assess: two lanes; the Bulk (30 ms) is longer than UpdateItem + GetItem (7 ms)
    expect(duration).toBe(30);
  });

  it('lets a CPU-heavy group take the CPU time at the environment share rather than the modeled I/O', () => {
    // Prepare: 60 ms of CPU spent while two calls were in flight, at half a vCPU
    const calls = [
      call(100, 300, { cpuAtStartMs: 10, cpuAtEndMs: 70 }),
      call(120, 280, { cpuAtStartMs: 20, cpuAtEndMs: 60 }),
    ];
    const halfCore = trace(400, calls, { cpuShare: 0.5, cpuEndMs: 80 });

    // Act
    const duration = modelDuration(halfCore, model);

    // Assess: CPU from the first start (10) to the last end (70) is 60 ms, 120 ms of wall at 0.5 vCPU > 5 ms
    expect(duration).toBe(200 + 120);
  });

  it('gives single-threaded JavaScript no more than one core when the environment has several', () => {
    // Prepare
    const calls = [call(100, 300, { cpuAtStartMs: 10, cpuAtEndMs: 70 })];
    const unthrottled = trace(400, calls, { cpuShare: 2, throttled: false });

    // Act
    const duration = modelDuration(unthrottled, model);

    // Assess: 60 ms of CPU takes 60 ms of wall, not 30
    expect(duration).toBe(200 + 60);
  });

  it('falls back to the default latency for an operation or a service the model does not list', () => {
    // Prepare
    const unknown = trace(300, [
      call(0, 100, { operation: 'Query' }),
      call(100, 200, { service: '127.0.0.1:9200', operation: 'GET' }),
    ]);

    // Act
    const duration = modelDuration(unknown, model);

    // Assess
    expect(duration).toBe(100 + 20 + 20);
  });

  it('adds the per-KiB cost of the request and response bodies', () => {
    // Prepare: a bulk of 1,000 KiB answered with 24 KiB
    const bulk = trace(500, [
      call(0, 500, {
        service: 'opensearch',
        operation: 'Bulk',
        requestBytes: 1000 * 1024,
        responseBytes: 24 * 1024,
      }),
    ]);

    // Act
    const duration = modelDuration(bulk, model);

    // Assess
    expect(duration).toBeCloseTo(30 + 0.1 * 1024, 9);
  });

  it('clips calls to the invocation, so a duration never counts time outside it', () => {
    // Prepare: a call reported as ending after the invocation did
    const overrun = trace(200, [call(100, 900)]);

    // Act
    const duration = modelDuration(overrun, model);

    // Assess
    expect(duration).toBe(100 + 5);
  });

  it('refuses a trace without a CPU share', () => {
    // Act
    const act = () => modelDuration(trace(100, [], { cpuShare: 0 }), model);

    // Assess
    expect(act).toThrow('trace.cpuShare must be > 0, got 0');
  });
});

describe('createSampledDurationModel', () => {
  const single = trace(100, [call(0, 100)]);

  it('gives the same durations for the same seed and others for another seed', () => {
    // Prepare
    const a = createSampledDurationModel(model, 7);
    const b = createSampledDurationModel(model, 7);
    const c = createSampledDurationModel(model, 8);

    // Act
    const runs = [a, b, c].map((durationModel) => Array.from({ length: 5 }, () => durationModel(single)));

    // Assess
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).not.toEqual(runs[2]);
  });

  it("draws call latencies whose median and 99th percentile are the model's", () => {
    // Prepare
    const durationModel = createSampledDurationModel(model, 42);

    // Act
    const durations = Array.from({ length: 20_000 }, () => durationModel(single)).sort((x, y) => x - y);

    // Assess: UpdateItem is p50 5 ms, p99 15 ms
    expect(percentile(durations, 0.5)).toBeGreaterThan(5 * 0.95);
    expect(percentile(durations, 0.5)).toBeLessThan(5 * 1.05);
    expect(percentile(durations, 0.99)).toBeGreaterThan(15 * 0.9);
    expect(percentile(durations, 0.99)).toBeLessThan(15 * 1.1);
  });
});
