/**
 * `npm run tune`: measures each consumer's real bundle on the local stack over a grid of memory and batch sizes,
 * evaluates the throughput formulas, prices the pipeline and writes the recommended settings for Terraform.
 * See TUNE_USAGE (`npm run tune -- --help`) and tools/README.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  consumerNames,
  consumerSettings,
  contract,
  domainSettings,
  streamNames,
  streamSettings,
  type ConsumerName as App,
  type EnvironmentName,
  type Tuning,
} from '@shardline/contract';
import type { LocalStack } from '@shardline/local-stack';
import { UsageError } from '../pipeline/errors';
import { connect, createResources, seedReferenceData } from '../pipeline/localResources';
import { localTopology, LOCAL_ACCOUNT_ID, readTuning } from '../pipeline/localTopology';
import { readInputFile, type InputRecord } from '../pipeline/readInputFile';
import { startStackProcess } from '../pipeline/startStackProcess';
import { formatGrid, formatRecommendation } from './formatTune';
import { defaultLatencyModel, loadLatencyModel, type LatencyModel } from '../latency';
import { localFunctionFactory } from './localFunction';
import { measureGrid } from './measureGrid';
import { DEFAULT_RATE, parseTuneArgs, TUNE_USAGE, type TuneOptions } from './parseTuneArgs';
import { loadPrices, PriceTableError, type PriceTable } from './prices';
import { gridRows, recommend, toTuning, type EnvironmentSettings, type StreamName } from './recommend';
import { renderReport } from './report';
import { batchEvent, buildStreamRecords } from './workload';

const ROOT = resolve(__dirname, '..', '..');

/** Events per second of an input, from the span of its events' `time`; undefined when it cannot tell. */
function rateOfInput(records: InputRecord[]): number | undefined {
  let first = Infinity;
  let last = -Infinity;
  for (const record of records) {
    try {
      const time = Date.parse((JSON.parse(record.data.toString('utf8')) as { time?: string }).time ?? '');
      if (Number.isFinite(time)) {
        first = Math.min(first, time);
        last = Math.max(last, time);
      }
    } catch {
      // not JSON: no time
    }
  }
  return last > first ? records.length / ((last - first) / 1000) : undefined;
}

/**
 * An environment's settings from the pipeline contract: streams and consumers with the environment's tuning file
 * on top, and the OpenSearch domain (what Terraform deploys).
 */
function environmentSettings(env: EnvironmentName): EnvironmentSettings {
  const domain = domainSettings('events', env);
  const tuning: Tuning | undefined = readTuning(ROOT, env);
  const consumers = {} as EnvironmentSettings['consumers'];
  for (const app of consumerNames) {
    const c = consumerSettings(app, env, tuning);
    consumers[app] = {
      stream: contract.consumers[app].stream as StreamName,
      memorySize: c.memory_size,
      batchSize: c.batch_size,
      windowSeconds: c.maximum_batching_window_in_seconds,
      parallelizationFactor: c.parallelization_factor,
      enhancedFanOut: c.enhanced_fan_out,
    };
  }
  const streams = {} as EnvironmentSettings['streams'];
  for (const name of streamNames) {
    const s = streamSettings(name, env, tuning);
    streams[name] = { mode: s.mode, shardCount: s.shard_count, retentionHours: s.retention_hours };
  }
  return {
    env,
    streams,
    consumers,
    opensearch: {
      instanceType: domain.instance_type,
      instanceCount: domain.instance_count,
      dedicatedMasterCount: domain.dedicated_master_count,
      dedicatedMasterType: domain.dedicated_master_type,
      volumeSizeGb: domain.volume_size_gb,
    },
  };
}

interface Prepared {
  options: TuneOptions;
  prices: PriceTable;
  latencyModel: LatencyModel;
  input?: InputRecord[];
}

/** Everything that can make the command line unusable, checked before anything starts. */
function prepare(argv: string[]): Prepared | 'help' {
  const options = parseTuneArgs(argv);
  if (options.help) return 'help';
  let prices: PriceTable;
  try {
    prices = loadPrices(options.prices);
  } catch (error) {
    if (error instanceof PriceTableError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  const latencyModel = options.latencyModel ? loadLatencyModel(options.latencyModel) : defaultLatencyModel;
  const prepared: Prepared = { options, prices, latencyModel };
  if (options.input) {
    prepared.input = readInputFile(options.input);
    if (options.rate === undefined && rateOfInput(prepared.input) === undefined) {
      throw new UsageError(
        `${options.input}: its events' times span no time; give the target rate with --rate`,
      );
    }
  }
  return prepared;
}

async function main(): Promise<number> {
  let prepared: Prepared | 'help';
  try {
    prepared = prepare(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}\n\n${TUNE_USAGE}`);
    return 2;
  }
  if (prepared === 'help') {
    console.log(TUNE_USAGE);
    return 0;
  }
  const { options, prices } = prepared;
  const began = Date.now();
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const settings = environmentSettings(options.env);
  const batchSizes = {} as Record<App, number[]>;
  for (const app of options.consumers) {
    // One size by default keeps the run to minutes; the curve then scales the duration with the records.
    batchSizes[app] = options.batchSizes ?? [settings.consumers[app].batchSize];
  }
  const largest = Math.max(...Object.values(batchSizes).flat());
  const records = buildStreamRecords({
    ...(prepared.input ? { input: prepared.input } : {}),
    events: Math.max(largest, 500),
    eventBytes: options.eventBytes,
    seed: 1,
  });
  if (records.enriched.length === 0) {
    console.error('error: no valid event in the workload: the enriched stream would be empty');
    return 2;
  }
  const rate = options.rate ?? (prepared.input ? rateOfInput(prepared.input)! : DEFAULT_RATE[options.env]);

  if (!options.noBuild) {
    log(`building the ${options.consumers.length} apps (nx run-many -t build)...`);
    execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...options.consumers], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  for (const app of options.consumers) {
    const bundle = join(ROOT, 'dist', 'apps', app, 'index.js');
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: build the apps first`);
  }

  log('starting the local stack (kinesalite, DynamoDB Local, fauxqs, OpenSearch)...');
  let stack: LocalStack | undefined;
  const interrupt = () => void (stack?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    stack = await startStackProcess({
      root: ROOT,
      stateFile: resolve(ROOT, 'tmp', 'tune', `stack-${process.pid}.json`),
      log,
    });
    const local = localTopology({ root: ROOT, namePrefix: `tune${process.pid}-`, environment: options.env });
    const clients = connect(stack);
    const queueUrls = await createResources(local, clients);
    await seedReferenceData(local, clients.dynamodb);
    const streamOf = (app: App) => local.consumers[app].stream;
    const measureStart = Date.now();
    log(
      `measuring ${options.consumers.length} consumer(s) x ${options.memories.length} memory sizes, ${options.batches} batches per cell:`,
    );
    const cells = await measureGrid(
      {
        consumers: options.consumers,
        memories: options.memories,
        batchSizes,
        batches: options.batches,
        recordBytes: (app) =>
          streamOf(app) === 'raw' ? records.rawRecordBytes : records.enrichedRecordBytes,
        event: (app, size, index, shardId) =>
          batchEvent(streamOf(app) === 'raw' ? records.raw : records.enriched, size, index, {
            shardId,
            streamName: local.streams[streamOf(app)].name,
            region: stack!.region,
            accountId: LOCAL_ACCOUNT_ID,
          }),
        start: localFunctionFactory({
          root: ROOT,
          stack,
          topology: local,
          queueUrls,
          s3: clients.s3,
          logDir: resolve(ROOT, 'tmp', 'tune', 'logs'),
          latencyModel: prepared.latencyModel,
          seed: 1,
        }),
      },
      (cell, done, total) =>
        log(
          `  [${String(done).padStart(2)}/${total}] ${cell.consumer.padEnd(19)} ${String(cell.memoryMB).padStart(5)} MB  batch ${String(cell.batchSize).padStart(5)}  ` +
            `p50 ${cell.durationMsP50.toFixed(1).padStart(7)} ms  p99 ${cell.durationMsP99.toFixed(1).padStart(7)} ms  ` +
            `${Math.round(cell.recordsPerSecPerShard).toString().padStart(6)} rec/s/shard${cell.errors > 0 ? `  ${cell.errors} errors` : ''}`,
        ),
    );
    const measuredSeconds = (Date.now() - measureStart) / 1000;
    for (const client of Object.values(clients)) client.destroy();

    // Consumers left out of the grid are priced at their declared settings with no measurement: refuse instead.
    const missing = consumerNames.filter((a) => !options.consumers.includes(a));
    const workload = {
      eventsPerSec: rate,
      rawRecordBytes: records.rawRecordBytes,
      enrichedRecordBytes: records.enrichedRecordBytes,
      enrichedShare: records.enrichedShare,
    };
    const rows = gridRows(cells, settings, workload, prices);
    if (options.json) {
      for (const row of rows) console.log(JSON.stringify(row));
    } else {
      console.log(
        `\nnpm run tune: ${options.env}, ${rate} events/s of ${Math.round(records.rawRecordBytes)} B (enriched ${Math.round(records.enrichedRecordBytes)} B, ` +
          `${Math.round(records.enrichedShare * 100)} % valid), declared settings, durations = CPU under the CPU share + modelled AWS latency; prices of ${prices.asOf} (${prices.region}, ${prices.architecture})`,
      );
      for (const line of formatGrid(rows)) console.log(line);
    }
    const summary = [
      `measured ${cells.length} cells in ${measuredSeconds.toFixed(0)} s (${((Date.now() - began) / 1000).toFixed(0)} s in all)`,
    ];
    if (missing.length > 0) {
      summary.push(
        `not measured: ${missing.join(', ')}; no recommendation or settings file without every consumer`,
      );
      for (const line of summary) log(line);
      return 0;
    }
    const rec = recommend(cells, settings, workload, prices);
    const recLines = formatRecommendation(rec);
    if (!options.json) for (const line of recLines) console.log(line);
    const report = resolve(options.report ?? join(ROOT, 'tmp', 'tune', `${options.env}-report.html`));
    mkdirSync(dirname(report), { recursive: true });
    writeFileSync(
      report,
      renderReport({
        title: `Shardline tuning, ${options.env}, ${rate} events/s`,
        summary: [...formatGrid(rows), '', ...recLines, '', ...summary],
        rows,
        recommendation: rec,
      }),
    );
    summary.push(`report: ${relative(process.cwd(), report)}`);
    if (options.writeTfvars) {
      const file = join(ROOT, 'terraform', 'environments', options.env, 'tuning.auto.tfvars.json');
      writeFileSync(file, `${JSON.stringify({ tuning: toTuning(rec) }, null, 2)}\n`);
      summary.push(`settings: ${relative(process.cwd(), file)} (terraform plan shows the change)`);
    }
    for (const line of summary) log(line);
    return 0;
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
