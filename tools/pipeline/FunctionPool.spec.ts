import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import type { EsmKinesisEvent } from '@shardline/esm-emulator';
import { detectCgroupSupport, machineCores } from './cgroup';
import { FunctionPool, type FunctionPoolOptions } from './FunctionPool';
import type { InvocationReport } from './invocationTrace';
import { cpuShareFor } from './lambdaResources';

const FUNCTIONS = join(__dirname, 'test-helpers');
const quotas = detectCgroupSupport();
// The CPU share and memory limit need cgroups; without them this machine can only test the fallback (below).
const withQuotas = quotas.available ? describe : describe.skip;
const quotasNote = quotas.available ? '' : ` (skipped: no cgroup quotas here, ${quotas.reason})`;

// The test functions take their own small events, not Kinesis batches.
const invoke = (target: FunctionPool, event: object, memoryMB: number) =>
  target.handler(
    event as unknown as EsmKinesisEvent,
    {
      functionName: 'test',
      awsRequestId: 'r',
      memoryLimitInMB: String(memoryMB),
      getRemainingTimeInMillis: () => 120_000,
    } as Context,
  );

describe('FunctionPool', () => {
  let dir: string;
  const pools: FunctionPool[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'function-pool-'));
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.stop()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function pool(options: Partial<FunctionPoolOptions> & { bundle: string; memorySize: number }) {
    const reports: InvocationReport[] = [];
    const created = new FunctionPool({
      functionName: 'test',
      environment: {},
      logFile: join(dir, 'function.log'),
      cwd: dir,
      onInvocation: (r) => reports.push(r),
      ...options,
    });
    pools.push(created);
    return { pool: created, reports };
  }

  withQuotas(`with cgroup quotas${quotasNote}`, () => {
    it('gives a CPU-bound handler 1,769/128 = 13.8x the duration at 128 MB that it has at 1,769 MB', async () => {
      // Prepare: one environment per memory size, warmed; the same 120 ms of CPU burned in each, three rounds
      // interleaved so that a busy moment of the machine hits every size alike, and the fastest round kept
      // (contention only ever slows an environment down; its quota is what the test is about).
      const sizes = [128, 256, 512, 1769];
      const runs = sizes.map((memorySize) => pool({ bundle: join(FUNCTIONS, 'burnCpu.cjs'), memorySize }));
      await Promise.all(runs.map((r) => r.pool.warm()));

      // Act
      for (let round = 0; round < 3; round++) {
        for (const [i, run] of runs.entries()) await invoke(run.pool, { cpuMs: 120 }, sizes[i]!);
      }

      // Assess
      const fastest = runs.map((r) => Math.min(...r.reports.map((x) => x.trace.endMs - x.trace.startMs)));
      const [at128, at256, at512, at1769] = fastest as [number, number, number, number];
      const within25 = (actual: number, expected: number) => {
        expect(actual).toBeGreaterThan(expected * 0.75);
        expect(actual).toBeLessThan(expected * 1.25);
      };
      console.log(
        `CPU-bound 120 ms at 128/256/512/1769 MB: ${fastest.map((d) => d.toFixed(0)).join('/')} ms; ` +
          `ratios to 1769 MB: ${fastest.map((d) => (d / at1769).toFixed(2)).join('/')}`,
      );
      within25(at128 / at1769, 1769 / 128);
      within25(at128 / at256, 2);
      within25(at128 / at512, 4);
      for (const [i, run] of runs.entries()) {
        const [first, ...rest] = run.reports;
        expect(first!.trace).toMatchObject({ throttled: true, cpuShare: cpuShareFor(sizes[i]!), calls: [] });
        expect(first!.cpuMs).toBeGreaterThanOrEqual(120);
        expect(first!.initMs).toBeGreaterThan(0);
        expect(rest.every((r) => r.initMs === undefined && r.ok)).toBe(true);
      }
    }, 120_000);

    it("kills an environment that exceeds its memory size with Lambda's message, and starts a fresh one", async () => {
      // Prepare
      const { pool: small, reports } = pool({ bundle: join(FUNCTIONS, 'allocate.cjs'), memorySize: 128 });
      await small.warm();

      // Act
      const killed = invoke(small, { mb: 200 }, 128);
      await expect(killed).rejects.toThrow('Runtime exited with error: signal: killed');
      const next = await invoke(small, { mb: 10 }, 128);

      // Assess
      expect(next).toEqual({ held: 10 });
      expect(small.stats).toMatchObject({ coldStarts: 2, crashes: 1 });
      expect(reports.map((r) => [r.ok, r.error])).toEqual([
        [false, 'Runtime exited with error: signal: killed'],
        [true, undefined],
      ]);
      expect(reports[1]!.initMs).toBeGreaterThan(0);
      expect(reports[1]!.maxRssMB).toBeLessThan(128);
    }, 120_000);

    it("caps a share above the machine's cores at the cores, and says so", () => {
      // Prepare
      const notices: string[] = [];

      // Act
      const { pool: big } = pool({
        bundle: join(FUNCTIONS, 'burnCpu.cjs'),
        memorySize: 10_240,
        warn: (m) => notices.push(m),
      });

      // Assess
      const cores = machineCores();
      expect(big.limits).toEqual({ cpuShare: Math.min(cpuShareFor(10_240), cores), throttled: true });
      expect(notices).toEqual(
        cores < cpuShareFor(10_240)
          ? [
              `test: 10240 MB gets 5.79 vCPUs on Lambda; this machine has ${cores}, so its environments get ${cores}`,
            ]
          : [],
      );
    });
  });

  it('runs unthrottled where no cgroup can be made, and says so once', async () => {
    // Prepare: a cgroup v1 layout that is a plain directory, so no cgroup can be created in it.
    const root = join(dir, 'not-cgroupfs');
    for (const [controller, file] of [
      ['cpu', 'cpu.cfs_quota_us'],
      ['memory', 'memory.limit_in_bytes'],
    ] as const) {
      mkdirSync(join(root, controller), { recursive: true });
      writeFileSync(join(root, controller, file), '-1');
    }
    const notices: string[] = [];
    const options = {
      bundle: join(FUNCTIONS, 'burnCpu.cjs'),
      cgroupRoot: root,
      warn: (m: string) => notices.push(m),
    };

    // Act
    const first = pool({ ...options, memorySize: 128 });
    const second = pool({ ...options, memorySize: 1769 });
    await invoke(first.pool, { cpuMs: 5 }, 128);
    await invoke(second.pool, { cpuMs: 5 }, 1769);

    // Assess
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /^Lambda CPU share and memory limit NOT enforced \(.+\): function environments run unthrottled/,
    );
    expect(first.pool.limits).toEqual({ cpuShare: machineCores(), throttled: false });
    expect(first.reports[0]!.trace).toMatchObject({ throttled: false, cpuShare: machineCores() });
    expect(second.reports[0]!.ok).toBe(true);
  }, 60_000);
});
