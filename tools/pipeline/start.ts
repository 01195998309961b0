/**
 * `npm start`: the whole pipeline on the local stack, with live progress and a check of every output.
 * See START_USAGE (`npm start -- --help`) and tools/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { LocalStack } from '@shardline/local-stack';
import { UsageError } from './errors';
import { exportSinks } from './exportSinks';
import { formatInbox } from './formatInbox';
import { inboxImporters } from './inboxImporters';
import { parseStartArgs, START_USAGE, type StartOptions } from './parseStartArgs';
import { readInputFile, type InputRecord } from './readInputFile';
import { consumerNames as APPS, contract } from '@shardline/contract';
import type { IngestSummary } from './frontDoor';
import { runPipeline, type PipelineRun, type PipelineSummary } from './runPipeline';
import type { OutputVerdict } from './verifySinks';
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

/** One line per output: who writes it, where, in which format, what it holds and its check. */
function formatOutput(v: OutputVerdict): string {
  const { output } = v;
  const writers = output.writers.length === APPS.length ? 'every consumer' : output.writers.join(', ');
  const notes = Object.entries(v.notes).map(([name, n]) => `  ${name} ${n}`);
  return (
    `  ${writers} -> ${output.kind} ${output.name} (${output.format}): ${v.holds} ${v.unit}  ` +
    `missing ${v.missing}  duplicated ${v.duplicated}  unexpected ${v.unexpected}${notes.join('')}`
  );
}

function formatSummary(s: PipelineSummary): string {
  const v = s.verification;
  const lines = [
    '',
    `summary (seed ${s.seed}, chaos ${s.chaos})`,
    `  produced ${s.produced}  valid ${s.valid}  quarantined ${s.quarantined}`,
    `  lost ${s.lost}  duplicated ${s.duplicated}  mismatches ${v.mismatches}  ` +
      `discarded by mappings ${v.discardedByMappings}`,
    '  outputs (as the contract declares them, each checked by its format):',
    ...v.outputs.map(formatOutput),
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
      ? 'OK: every output holds each valid event exactly once (per record, or per identity where keyed by it) and every invalid record quarantined; every consumer acknowledged each record of its stream once'
      : 'FAILED: see above',
  );
  return lines.join('\n');
}

/** The front door's lines of the summary (`--via http`). */
function formatIngest(i: IngestSummary): string[] {
  const refused = Object.entries(i.refused)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  return [
    `  ingest api ${i.eventsUrl}: ${i.requests} requests of up to ${i.requestEvents} events` +
      `${i.gzip ? ' (gzip)' : ''}, statuses ${JSON.stringify(i.statuses)}`,
    `    accepted ${i.accepted}  refused at the door ${Object.values(i.refused).reduce((a, b) => a + b, 0)}` +
      `${refused ? ` (${refused})` : ''}  of which valid ${i.refusedValid}  resent ${i.resent}`,
    `    ${i.eventsPerSecond} events/s accepted; request latency p50 ${i.latencyMs.p50} ms, p99 ${i.latencyMs.p99} ms, max ${i.latencyMs.max} ms`,
  ];
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
      via: options.via,
      requestEvents: options.requestEvents,
      gzip: options.gzip,
      keepRunning: options.keepRunning,
      fileEvents: options.fileEvents,
      duplicates: options.duplicates,
      build: !options.noBuild,
      logDir: resolve(ROOT, 'tmp', 'pipeline', 'logs'),
      progress,
    });
    console.log(formatSummary(run.summary));
    if (run.summary.ingest) console.log(formatIngest(run.summary.ingest).join('\n'));
    for (const line of formatInbox(run.summary)) console.log(line);
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
      const names = (named: Record<string, string>) => Object.values(named).join(', ');
      console.log(
        `  streams ${Object.values(t.streams)
          .map((stream) => stream.name)
          .join(', ')}; buckets ${names(t.buckets)}; tables ${names(t.tables)}; ` +
          `queues ${names(t.queues)}; index prefixes ${names(t.indexPrefixes)}`,
      );
      // On lines of their own, so a script can cut them out for curl.
      for (const api of run.ingest?.apis ?? []) console.log(`ingest api: ${api.eventsUrl}`);
      if (run.ingest) console.log(`dev token: ${run.ingest.token}`);
      for (const inbox of inboxImporters(run.topology))
        console.log(`inbox: s3://${inbox.bucket}/${inbox.prefix}`);
      console.log(
        '  the consumers, importers and ingest APIs keep running: events sent now flow to the sinks (not checked)',
      );
      await waitForSignal();
      await run.running?.stop();
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
