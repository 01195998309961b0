/**
 * Workspace benchmark: the enrichment consumer's CPU path against a Powertools baseline and the floor, all in
 * this process on the same batch, plus bundle sizes, cold-start import times and a 6 MB batch's memory.
 *
 *   npm run bench                       human-readable report on 10,000 generated events
 *   npm run bench -- --json             one JSON line per variant
 *   npm run bench -- --event FILE       the same on a Lambda Kinesis event read from FILE
 *
 * `npm run bench` sets NODE_OPTIONS=--conditions=import: middy v7 publishes ESM behind an import-only exports map,
 * and this script runs the middleware from source as CommonJS (Node 22 requires ESM, but resolves a `require` with
 * the `require` condition, which middy does not declare). It loads tsx's CommonJS hook alone (`--require tsx/cjs`):
 * on Node 22 with that condition, tsx's ESM hook hands JSON modules (ajv's) to `require` as ESM code, which fails.
 * Child processes that measure bundles get a clean NODE_OPTIONS.
 */
import { makeKinesisEvent } from '@shardline/records/testing';
import { generateEvents } from '@shardline/schema/testing';
import type { KinesisStreamEvent } from 'aws-lambda';
import { execFileSync, spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readNodeRuntime } from '../runtime/nodeRuntime.cjs';
import { baselineVariant, enrichmentVariant, floorVariant, type Variant } from './enrichmentVariants';
import { BENCH_START, sinkBenchmarks, type BenchResult, type SinkResult } from './sinks';

const USAGE = `Usage: npm run bench -- [--json] [--event FILE] [--records N] [--rounds N] [--skip-bundles]
  --json          print one JSON line per variant: {"name","records","ok","quarantined","medianMs","recordsPerSec"}
  --event FILE    benchmark a Lambda Kinesis event read from FILE instead of generated events
  --records N     generated events per batch (default 10000)
  --rounds N      timed rounds per variant (default 15)
  --skip-bundles  do not build or measure the app bundles`;

function parseCli() {
  try {
    const { values } = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        event: { type: 'string' },
        records: { type: 'string', default: '10000' },
        rounds: { type: 'string', default: '15' },
        'skip-bundles': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    const records = Number(values.records);
    const rounds = Number(values.rounds);
    if (!Number.isInteger(records) || records < 1)
      throw new Error(`--records must be a positive integer (got ${values.records})`);
    if (!Number.isInteger(rounds) || rounds < 1)
      throw new Error(`--rounds must be a positive integer (got ${values.rounds})`);
    return { ...values, records, rounds };
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

function loadEvent(file: string): KinesisStreamEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`cannot read a Lambda Kinesis event from ${file}: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const records = (parsed as { Records?: unknown }).Records;
  if (
    !Array.isArray(records) ||
    records.some((r) => typeof (r as { kinesis?: { data?: unknown } }).kinesis?.data !== 'string')
  ) {
    console.error(
      `${file} is not a Lambda Kinesis event: expected {"Records":[{"kinesis":{"data":"<base64>",...}}]}\n\n${USAGE}`,
    );
    process.exit(2);
  }
  return parsed as KinesisStreamEvent;
}

const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function measure(
  variants: Record<string, Variant>,
  records: number,
  rounds: number,
): Promise<BenchResult[]> {
  const times: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  const counts: Record<string, { ok: number; quarantined: number }> = {};
  for (const name of Object.keys(variants)) {
    times[name] = [];
    cpu[name] = [];
    await variants[name]!(); // warm-up: JIT and caches
    await variants[name]!();
  }
  // Interleaved rounds, so drift in machine load hits every variant alike.
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(variants)) {
      collect();
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      counts[name] = await run();
      times[name]!.push(performance.now() - started);
      cpu[name]!.push(cpuMsSince(cpuStart));
    }
  }
  return Object.keys(variants).map((name) => {
    const medianMs = median(times[name]!);
    return {
      name,
      records,
      ok: counts[name]!.ok,
      quarantined: counts[name]!.quarantined,
      medianMs: Number(medianMs.toFixed(3)),
      recordsPerSec: Math.round((records / medianMs) * 1000),
      cpuMs: Number(median(cpu[name]!).toFixed(3)),
    };
  });
}

const APPS = ['enrichment', 's3-archiver', 'dynamodb-aggregator', 'opensearch-indexer'];

/** Environment that satisfies every app's cold-start configuration without touching AWS. */
const DUMMY_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  ENRICHED_STREAM_NAME: 'bench-enriched',
  REFERENCE_TABLE_NAME: 'bench-campaigns',
  ENRICHMENT_LEDGER_TABLE_NAME: 'bench-ledger',
  QUARANTINE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-quarantine',
  ARCHIVE_BUCKET: 'bench-archive',
  AGGREGATES_TABLE_NAME: 'bench-aggregates',
  AGGREGATE_TTL_DAYS: '30',
  OPENSEARCH_ENDPOINT: 'https://search-bench.us-east-1.es.amazonaws.com',
  POWERTOOLS_DEV: 'false',
};

function bundleReport(): Array<{ app: string; bytes: number; importMs: number }> {
  const built = APPS.filter((app) => existsSync(join('apps', app, 'project.json')));
  const cleanEnv = { ...process.env, NODE_OPTIONS: '' };
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...built, '--output-style=static'], {
    stdio: 'ignore',
    env: cleanEnv,
  });
  return built.map((app) => {
    const bundle = join('dist', 'apps', app, 'index.js');
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const run = spawnSync(
        process.execPath,
        [
          '-e',
          `const t=process.hrtime.bigint();require(${JSON.stringify(join(process.cwd(), bundle))});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`,
        ],
        { env: { ...cleanEnv, ...DUMMY_ENV }, encoding: 'utf8' },
      );
      if (run.status !== 0) {
        throw new Error(`importing ${bundle} failed: ${run.stderr.slice(0, 2000)}`);
      }
      samples.push(Number(run.stdout));
    }
    samples.sort((a, b) => a - b);
    return { app, bytes: statSync(bundle).size, importMs: Number(samples[2]!.toFixed(1)) };
  });
}

/**
 * Runs the enrichment path on a 6 MB event in a plain Node child process (the path bundled with esbuild, as the
 * function is) and returns its memory figures.
 */
function sixMegabyteBatch(): {
  records: number;
  payloadBytes: number;
  baselineRssMb: number;
  peakRssMb: number;
} {
  const dir = mkdtempSync(join(tmpdir(), 'shardline-bench-'));
  try {
    const events = generateEvents({ count: 20_000, seed: 6, startTime: BENCH_START }).map(
      (g) => g.event as Record<string, unknown>,
    );
    let event = makeKinesisEvent(events);
    let text = JSON.stringify(event);
    // The largest event under Lambda's 6 MB invocation payload.
    while (Buffer.byteLength(text) > 6_000_000) {
      event = { Records: event.Records.slice(0, Math.floor(event.Records.length * 0.97)) };
      text = JSON.stringify(event);
    }
    const eventFile = join(dir, 'event.json');
    writeFileSync(eventFile, text);
    const bundle = join(dir, 'six.cjs');
    buildSync({
      entryPoints: [join(__dirname, 'sixMegabyteBatch.ts')],
      bundle: true,
      platform: 'node',
      target: readNodeRuntime().esbuildTarget,
      format: 'cjs',
      outfile: bundle,
      tsconfig: join(process.cwd(), 'tsconfig.json'),
      mainFields: ['module', 'main'],
      logLevel: 'error',
    });
    const run = spawnSync(process.execPath, [bundle, eventFile], {
      env: { ...process.env, ...DUMMY_ENV, NODE_OPTIONS: '' },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`6 MB batch run failed: ${run.stderr.slice(0, 2000)}`);
    const figures = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      records: number;
      baselineRssMb: number;
      peakRssMb: number;
    };
    return { ...figures, payloadBytes: Buffer.byteLength(text) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printSinks(sinks: SinkResult[]): void {
  console.log(
    `\nSink consumers' CPU path on the same ${sinks[0]!.records} records, enriched, and the AWS calls they cost:`,
  );
  for (const r of sinks) {
    console.log(
      `  ${r.name.padEnd(20)} ${r.medianMs.toFixed(1).padStart(8)} ms  ${String(r.recordsPerSec).padStart(9)} records/s  ` +
        `${r.calls} ${r.callName} vs ${r.callsOnePerRecord} at one per record (${(r.callsOnePerRecord / r.calls).toFixed(0)}x fewer)`,
    );
  }
}

async function main(): Promise<void> {
  const cli = parseCli();
  if (cli.help) {
    console.log(USAGE);
    return;
  }
  const event = cli.event
    ? loadEvent(cli.event)
    : makeKinesisEvent(
        generateEvents({ count: cli.records, seed: 1, startTime: BENCH_START }).map(
          (g) => g.event as Record<string, unknown>,
        ),
        { shardId: 0, partitionKey: (i) => `user-${i % 997}` },
      );
  const records = event.Records.length;
  const results = await measure(
    {
      enrichment: enrichmentVariant(event),
      'enrichment+repeats': enrichmentVariant(event, { repeatWindowMs: 600_000 }),
      'baseline-powertools': baselineVariant(event),
      floor: floorVariant(event),
    },
    records,
    cli.rounds,
  );
  const sinks = cli.event ? [] : await sinkBenchmarks(event, cli.rounds);
  if (cli.json) {
    for (const r of results) console.log(JSON.stringify(r));
    for (const r of sinks) console.log(JSON.stringify(r));
    return;
  }
  const byName = Object.fromEntries(results.map((r) => [r.name, r]));
  const ours = byName.enrichment!;
  console.log(
    `Enrichment CPU path on ${records} records, median of ${cli.rounds} interleaved rounds (Node ${process.version})`,
  );
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(20)} ${r.medianMs.toFixed(1).padStart(8)} ms  ${String(r.recordsPerSec).padStart(9)} records/s  ` +
        `CPU ${r.cpuMs!.toFixed(1).padStart(7)} ms  ok ${r.ok}  quarantined ${r.quarantined}`,
    );
  }
  const baseline = byName['baseline-powertools']!;
  const floor = byName.floor!;
  console.log(
    `  enrichment vs baseline-powertools: ${(ours.recordsPerSec / baseline.recordsPerSec).toFixed(2)}x records/s, ` +
      `${(baseline.cpuMs! / ours.cpuMs!).toFixed(2)}x less CPU (target >= 1.4x)`,
  );
  console.log(
    `  enrichment vs floor: ${(ours.medianMs / floor.medianMs).toFixed(2)}x the floor's time, ` +
      `${(ours.cpuMs! / floor.cpuMs!).toFixed(2)}x its CPU (target <= 1.15x)`,
  );
  const repeats = byName['enrichment+repeats']!;
  console.log(
    `  dropping repeats (window of recent identities): +${(repeats.cpuMs! - ours.cpuMs!).toFixed(1)} ms CPU, ` +
      `${(((repeats.cpuMs! - ours.cpuMs!) / records) * 10_000).toFixed(1)} ms per 10,000 records`,
  );
  if (sinks.length > 0) printSinks(sinks);
  if (!cli['skip-bundles'] && !cli.event) {
    console.log('\nBundles (minified, esbuild) and cold-start import time (median of 5 fresh processes):');
    for (const b of bundleReport()) {
      console.log(
        `  ${b.app.padEnd(20)} ${(b.bytes / 1024).toFixed(0).padStart(6)} KiB  import ${b.importMs} ms`,
      );
    }
    const six = sixMegabyteBatch();
    console.log(
      `\n6 MB batch: ${six.records} records, ${(six.payloadBytes / 1e6).toFixed(2)} MB event, peak RSS ${six.peakRssMb} MB ` +
        `(${six.baselineRssMb} MB before the event arrived; a 256 MB function must hold it)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
