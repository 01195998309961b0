import { parseArgs } from 'node:util';
import { UsageError } from '../pipeline/errors';
import {
  consumerNames as APPS,
  environmentNames,
  type ConsumerName as App,
  type EnvironmentName,
} from '@shardline/contract';

/** Options of `npm run tune`. */
export interface TuneOptions {
  env: EnvironmentName;
  memories: number[];
  /** Batch sizes for every consumer; each consumer's own setting when absent. */
  batchSizes?: number[];
  consumers: App[];
  /** Target ingest, events/s; from the input's event times, or the environment's default, when absent. */
  rate?: number;
  eventBytes: number;
  input?: string;
  batches: number;
  latencyModel?: string;
  prices?: string;
  json: boolean;
  report?: string;
  writeTfvars: boolean;
  noBuild: boolean;
  help: boolean;
}

/** Memory sizes measured by default: Lambda's smallest, powers of two, and 1,769 MB (one full vCPU). */
export const DEFAULT_MEMORIES = [128, 256, 512, 1024, 1769];
/** Target ingest per environment when neither --rate nor --input is given (prod: the rate main.tf sizes for). */
export const DEFAULT_RATE: Record<TuneOptions['env'], number> = { dev: 1000, prod: 4000 };

/** `npm run tune -- --help`. */
export const TUNE_USAGE = `usage: npm run tune -- [options]

Measures each consumer's real bundle on the local stack at a grid of memory sizes and batch sizes, evaluates the
throughput formulas against a target ingest, prices the pipeline (tools/tune/prices.json), recommends shards,
stream mode, batch size, parallelization factor, memory and enhanced fan-out, and writes them to
terraform/environments/<env>/tuning.auto.tfvars.json (the tuning variable), so terraform plan shows the change.

  --env dev|prod        environment whose Terraform settings are measured and tuned (default dev)
  --memory LIST         memory sizes in MB, comma separated (default ${DEFAULT_MEMORIES.join(',')})
  --batch-size LIST     batch sizes for every consumer (default: each consumer's setting; give two or more to
                        fit the duration's fixed and per-record parts, e.g. 100,500,2000)
  --consumer NAME       measure only this consumer; repeatable (default: all four); the others keep their settings
  --rate R              target ingest in events/s (default: dev ${DEFAULT_RATE.dev}, prod ${DEFAULT_RATE.prod}, or
                        measured from the event times of --input)
  --event-bytes N       size of each generated event, padded with data.attributes.padding (default 1024)
  --input FILE          measure with FILE instead of generated events: NDJSON or the JSON of
                        \`aws kinesis put-records --records file://FILE\`
  --batches N           batches measured per cell, after one warm-up batch (default 2)
  --latency-model FILE  latency model of the AWS calls (JSON), for the runtime's modelled durations
  --prices FILE         price table in the shape of tools/tune/prices.json (default that file)
  --json                print one JSON line per consumer, memory and batch size instead of the table
  --report FILE.html    write the report with charts there (default tmp/tune/<env>-report.html)
  --no-write-tfvars     print the recommendation only; leave tuning.auto.tfvars.json alone
  --no-build            use the bundles already in dist/apps
  -h, --help            this text`;

function integer(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

function list(name: string, raw: string, min: number, max: number): number[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new UsageError(`--${name} needs at least one value: the grid would be empty`);
  const values = items.map((item) => integer(name, item, min, max));
  return [...new Set(values)].sort((a, b) => a - b);
}

/**
 * Parses the command line of `npm run tune`; throws {@link UsageError} on an unknown flag, a bad value or an
 * empty grid.
 *
 * @example
 * ```ts
 * parseTuneArgs(['--memory', '256,512', '--consumer', 'enrichment']).memories; // [256, 512]
 * ```
 */
export function parseTuneArgs(argv: string[]): TuneOptions {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        env: { type: 'string' },
        memory: { type: 'string' },
        'batch-size': { type: 'string' },
        consumer: { type: 'string', multiple: true },
        rate: { type: 'string' },
        'event-bytes': { type: 'string' },
        input: { type: 'string' },
        batches: { type: 'string' },
        'latency-model': { type: 'string' },
        prices: { type: 'string' },
        json: { type: 'boolean' },
        report: { type: 'string' },
        'no-write-tfvars': { type: 'boolean' },
        'no-build': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const env = (values.env as string | undefined) ?? 'dev';
  if (!(environmentNames as readonly string[]).includes(env)) {
    throw new UsageError(`--env must be one of ${environmentNames.join(', ')}, got '${env}'`);
  }
  const consumers = (values.consumer as string[] | undefined) ?? [...APPS];
  for (const consumer of consumers) {
    if (!(APPS as readonly string[]).includes(consumer)) {
      throw new UsageError(`--consumer must be one of ${APPS.join(', ')}, got '${consumer}'`);
    }
  }
  const options: TuneOptions = {
    env: env as EnvironmentName,
    memories: list(
      'memory',
      (values.memory as string | undefined) ?? DEFAULT_MEMORIES.join(','),
      128,
      10_240,
    ),
    consumers: [...new Set(consumers)] as App[],
    eventBytes: 1024,
    batches: values.batches === undefined ? 2 : integer('batches', values.batches as string, 1, 1000),
    json: values.json === true,
    writeTfvars: values['no-write-tfvars'] !== true,
    noBuild: values['no-build'] === true,
    help: values.help === true,
  };
  if (values['batch-size'] !== undefined) {
    options.batchSizes = list('batch-size', values['batch-size'] as string, 1, 10_000);
  }
  if (values.rate !== undefined) {
    const raw = values.rate as string;
    const rate = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(rate) || rate <= 0 || rate > 10_000_000) {
      throw new UsageError(`--rate must be a number of events/s > 0, got '${raw}'`);
    }
    options.rate = rate;
  }
  if (values['event-bytes'] !== undefined) {
    if (values.input !== undefined)
      throw new UsageError('--input and --event-bytes are exclusive: the input sets the sizes');
    options.eventBytes = integer('event-bytes', values['event-bytes'] as string, 1, 1_048_576);
  }
  if (values.input !== undefined) options.input = values.input as string;
  if (values['latency-model'] !== undefined) options.latencyModel = values['latency-model'] as string;
  if (values.prices !== undefined) options.prices = values.prices as string;
  if (values.report !== undefined) {
    const report = values.report as string;
    if (!/\.html?$/i.test(report)) throw new UsageError(`--report must name an .html file, got '${report}'`);
    options.report = report;
  }
  return options;
}
