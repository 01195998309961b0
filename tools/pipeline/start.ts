/**
 * `npm start`: the whole pipeline on the local stack, with live progress and a check of every sink.
 * See START_USAGE (`npm start -- --help`) and tools/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { LocalStack } from '@shardline/local-stack';
import { UsageError } from './errors';
import { exportSinks } from './exportSinks';
import { parseStartArgs, START_USAGE, type StartOptions } from './parseStartArgs';
import { readInputFile, type InputRecord } from './readInputFile';
import { consumerNames as APPS, contract } from '@shardline/contract';
import { runPipeline, type PipelineRun, type PipelineSummary } from './runPipeline';
import { startStackProcess } from './startStackProcess';
import { formatObservedCapacity, observedCapacity } from '../tune/observedCapacity';

const ROOT = resolve(__dirname, '..', '..');

/** Per consumer, the throughput formulas with the run's durations against the rate it was fed (`npm run tune` sizes). */
function formatCapacity({ summary: s, topology }: PipelineRun): string[] {
  const lines = [
    "  capacity (formulas of terraform/README.md with this run's local durations; npm run tune measures properly)",
  ];
  for (const app of APPS) {
    const c = s.consumers[app];
    const stream = topology.consumers[app].stream;
    const fed = stream === 'raw' ? s.putRate : (s.putRate * s.valid) / Math.max(1, s.produced);
    const capacity = observedCapacity({
      shards: topology.streams[stream].shardCount,
      invocations: c.invocations,
      recordsIn: c.recordsIn,
      meanDurationMs: c.durationMs.mean,
      recordBytes: s.recordBytes[stream],
      ingestRecordsPerSec: fed,
    });
    lines.push(`  ${app.padEnd(20)} ${formatObservedCapacity(capacity)}`);
  }
  return lines;
}

function formatSummary(s: PipelineSummary): string {
  const v = s.verification;
  const check = (name: string, c: { missing: number; duplicated: number; unexpected: number }) =>
    `  ${name.padEnd(11)} missing ${c.missing}  duplicated ${c.duplicated}  unexpected ${c.unexpected}`;
  const lines = [
    '',
    `summary (seed ${s.seed}, chaos ${s.chaos})`,
    `  produced ${s.produced}  valid ${s.valid}  quarantined ${s.quarantined}`,
    `  archived ${s.archived}  indexed ${s.indexed}  aggregatedEvents ${s.aggregatedEvents}`,
    `  lost ${s.lost}  duplicated ${s.duplicated}  revenue mismatches ${v.revenueMismatches}  ` +
      `quarantine repeats ${v.quarantineRepeats}  discarded by mappings ${v.discardedByMappings}`,
    check('archive', v.sinks.archive),
    check('index', v.sinks.index),
    check('aggregates', v.sinks.aggregates),
    check('quarantine', v.sinks.quarantine),
    `  throughput ${s.eventsPerSecond} events/s end to end (put rate ${s.putRate}/s); ` +
      `wall time ${(s.wallTimeMs / 1000).toFixed(1)} s, of which setup ${(s.setupMs / 1000).toFixed(1)} s`,
    '  consumer             invocations retries errors timeouts crashes* hangs* sinkFaults* mean ms  p50 ms  p99 ms',
  ];
  for (const app of APPS) {
    const c = s.consumers[app];
    lines.push(
      `  ${app.padEnd(20)} ${String(c.invocations).padStart(11)} ${String(c.retries).padStart(7)} ` +
        `${String(c.errors).padStart(6)} ${String(c.timeouts).padStart(8)} ${String(c.injected.crashes).padStart(8)} ` +
        `${String(c.injected.hangs).padStart(6)} ${String(c.injected.sinkFaults).padStart(11)} ` +
        `${String(c.durationMs.mean).padStart(7)} ` +
        `${String(c.latencyMs.p50).padStart(7)} ${String(c.latencyMs.p99).padStart(7)}`,
    );
  }
  lines.push('  (* injected; latency = put on the raw stream -> the consumer reported the record done)');
  lines.push('  consumer             stream     records acknowledged missing repeated');
  for (const app of APPS) {
    const d = s.consumers[app].delivery;
    lines.push(
      `  ${app.padEnd(20)} ${contract.consumers[app].stream.padEnd(10)} ${String(d.streamRecords).padStart(7)} ` +
        `${String(d.acknowledged).padStart(12)} ${String(d.missing).padStart(7)} ${String(d.repeated).padStart(8)}`,
    );
  }
  lines.push(
    s.ok
      ? 'OK: every valid event archived, indexed and aggregated exactly once; every consumer acknowledged each record of its stream once'
      : 'FAILED: see above',
  );
  return lines.join('\n');
}

async function waitForSignal(): Promise<void> {
  await new Promise<void>((resolveSignal) => {
    process.once('SIGINT', () => resolveSignal());
    process.once('SIGTERM', () => resolveSignal());
  });
}

async function main(): Promise<number> {
  let options: StartOptions;
  let input: InputRecord[] | undefined;
  try {
    options = parseStartArgs(process.argv.slice(2));
    if (options.help) {
      console.log(START_USAGE);
      return 0;
    }
    if (options.input) input = readInputFile(options.input);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}\n\n${START_USAGE}`);
    return 2;
  }

  // On a terminal the progress block redraws in place; piped, every block is printed (a readable log).
  let liveLines = 0;
  const log = (line: string) => {
    liveLines = 0;
    process.stderr.write(`${line}\n`);
  };
  const progress = (block: string) => {
    if (liveLines > 0) process.stderr.write(`\x1b[${liveLines}F\x1b[J`);
    process.stderr.write(`${block}\n`);
    liveLines = process.stderr.isTTY ? block.split('\n').length : 0;
  };
  log('starting the local stack (kinesalite, DynamoDB Local, fauxqs, OpenSearch)...');
  let stack: LocalStack | undefined;
  // Ctrl-C during the run: stop the stack (its children die with us anyway) and leave.
  const interrupt = () => {
    log('interrupted: stopping');
    void (stack?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    stack = await startStackProcess({
      root: ROOT,
      stateFile: resolve(ROOT, 'tmp', 'pipeline', `stack-${process.pid}.json`),
      log,
    });
    Object.assign(process.env, stack.env());
    const run = await runPipeline({
      root: ROOT,
      stack,
      ...(input ? { input } : {}),
      events: options.events,
      rate: options.rate,
      seed: options.seed,
      ...(options.shards !== undefined ? { shards: options.shards } : {}),
      chaos: options.chaos,
      duplicates: options.duplicates,
      build: !options.noBuild,
      logDir: resolve(ROOT, 'tmp', 'pipeline', 'logs'),
      progress,
    });
    console.log(formatSummary(run.summary));
    console.log(formatCapacity(run).join('\n'));
    for (const note of run.summary.topologyNotes) log(`topology: ${note}`);
    log(`function logs: ${resolve(ROOT, 'tmp', 'pipeline', 'logs')}`);
    if (options.summary) {
      mkdirSync(dirname(resolve(options.summary)), { recursive: true });
      writeFileSync(options.summary, `${JSON.stringify(run.summary, null, 2)}\n`);
      log(`summary written to ${options.summary}`);
    }
    if (options.export) log(`exported: ${exportSinks(options.export, run.sinks).join(', ')}`);
    if (options.keepRunning) {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      console.log('\nthe local stack keeps running (Ctrl-C to stop):');
      for (const [name, value] of Object.entries(stack.env())) console.log(`  export ${name}=${value}`);
      const t = run.topology;
      console.log(
        `  streams ${t.streams.raw.name}, ${t.streams.enriched.name}; bucket ${t.archiveBucket}; ` +
          `tables ${t.referenceTable}, ${t.aggregatesTable}, ${t.ledgerTable}; index prefix ${t.indexPrefix}`,
      );
      await waitForSignal();
    }
    return run.summary.ok ? 0 : 1;
  } finally {
    await stack?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
