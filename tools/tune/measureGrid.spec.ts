import { measureGrid } from './measureGrid';
import type { InvocationSample, MeasuredFunction } from './types';

describe('measureGrid', () => {
  it('starts one environment per consumer and memory, warms it, and summarises each batch size', async () => {
    // Prepare: a fake environment whose duration is batch size / memory, that makes one PutObject per batch
    const started: string[] = [];
    const invoked: Array<{ shard: number; index: number }> = [];
    const start = async (consumer: string, memoryMB: number): Promise<MeasuredFunction> => {
      started.push(`${consumer}@${memoryMB}`);
      let cold = true;
      return {
        invoke: async (event) => {
          const e = event as { size: number; shard: number; index: number };
          invoked.push({ shard: e.shard, index: e.index });
          const sample: InvocationSample = {
            ok: true,
            durationMs: (e.size * 100) / memoryMB + e.index,
            wallMs: 0,
            cpuMs: 1,
            logBytes: 10 * e.size,
            calls: { 's3 PutObject': 1 },
            metrics: ['Shardline RecordsIn service=s3-archiver'],
          };
          if (cold) sample.initMs = 250;
          cold = false;
          return sample;
        },
        stop: async () => undefined,
      };
    };
    const progress: string[] = [];

    // Act
    const cells = await measureGrid(
      {
        consumers: ['s3-archiver'],
        memories: [128, 256],
        batchSizes: { 's3-archiver': [100, 200] } as never,
        batches: 3,
        recordBytes: () => 1000,
        event: (_c, size, index, shard) => ({ size, index, shard }),
        start,
      },
      (cell, done, total) => progress.push(`${cell.memoryMB}/${cell.batchSize} ${done}/${total}`),
    );

    // Assess
    expect(started).toEqual(['s3-archiver@128', 's3-archiver@256']);
    expect(progress).toEqual(['128/100 1/4', '128/200 2/4', '256/100 3/4', '256/200 4/4']);
    // 128 MB, batch 100: warm-up index 0, then indices 1..3 -> 78.125 + 1, + 2, + 3
    expect(cells[0]).toMatchObject({
      batches: 3,
      durationMsP50: 78.125 + 2,
      durationMsP99: 78.125 + 3,
      cpuMsP50: 1,
      initMs: 250,
      logBytesPerInvocation: 1000,
      callsPerBatch: { 's3 PutObject': 1 },
      metricCount: 1,
      errors: 0,
    });
    expect(cells[0]!.recordsPerSecPerShard).toBeCloseTo(100 / 0.080125, 6);
    // every cell reads its own shard; the warm-up runs once per environment
    expect(new Set(invoked.map((i) => i.shard))).toEqual(new Set([0, 1, 2, 3]));
    expect(invoked).toHaveLength(2 * (1 + 3 + 3));
  });

  it('counts failed invocations and leaves them out of the durations', async () => {
    // Prepare
    let n = 0;
    const start = async (): Promise<MeasuredFunction> => ({
      invoke: async () => {
        const ok = n++ % 2 === 0;
        return { ok, durationMs: ok ? 10 : 9999, wallMs: 0, logBytes: 0, calls: {}, metrics: [] };
      },
      stop: async () => undefined,
    });

    // Act
    const [cell] = await measureGrid({
      consumers: ['enrichment'],
      memories: [512],
      batchSizes: { enrichment: [100] } as never,
      batches: 4,
      recordBytes: () => 1000,
      event: () => ({}),
      start,
    });

    // Assess
    expect(cell!.errors).toBe(2);
    expect(cell!.batches).toBe(2);
    expect(cell!.durationMsP99).toBe(10);
    expect(cell!.cpuMsP50).toBeUndefined();
  });
});
