import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import { declaresTrigger } from './ingestFunctions';

/** How the load reaches the raw stream: PutRecords, the ingest API over HTTP, or files in the S3 inbox. */
export const VIAS = ['stream', 'http', 's3'] as const;
export type Via = (typeof VIAS)[number];

/** The ingest API takes at most this many events per request (PutRecords' 500 records). */
export const MAX_REQUEST_EVENTS = 500;

/** Options of `npm start`. */
export interface StartOptions {
  events: number;
  rate: number;
  /** Shards of both streams; Terraform's shard counts when absent. */
  shards?: number;
  seed: number;
  input?: string;
  chaos: number;
  /** Share of records a producer re-sends (0..1): new Kinesis records with an identity already put. */
  duplicates: number;
  summary?: string;
  export?: string;
  keepRunning: boolean;
  /** Where the producer sends the load. */
  via: Via;
  /** Events per request with `--via http`. */
  requestEvents: number;
  /** Gzip the requests with `--via http`, the files with `--via s3`. */
  gzip: boolean;
  /** Events per file with `--via s3`. */
  fileEvents: number;
  /** Skip `nx run-many -t build` (bundles already in dist/apps). */
  noBuild: boolean;
  help: boolean;
}

/** `npm start -- --help`. */
export const START_USAGE = `usage: npm start -- [options]

Runs the whole pipeline locally: kinesalite, DynamoDB Local, fauxqs (S3, SQS) and OpenSearch; the four consumers
built by Nx, each behind an emulated event source mapping configured from terraform/environments/dev; a load
generator; live progress; and a check of every output the contract declares at the end (exit 1 if anything was lost or duplicated).

  --events N        events to generate (default 5000)
  --rate R          events per second put on the raw stream (default 1000)
  --shards S        shards of both streams (default: Terraform's shard_count)
  --seed K          seed of the fixture generator and of the chaos (default 1)
  --input FILE      publish FILE instead of generated events: NDJSON (one event per line) or the JSON of
                    \`aws kinesis put-records --records file://FILE\` ([{"Data": base64, "PartitionKey": ...}])
  --chaos P         transient faults with probability P (0..1) in sink calls (DynamoDB throttling, S3 5xx,
                    OpenSearch 429, before or after the call applied) and function crashes/timeouts
  --duplicates P    re-send each record with probability P (0..1) a few records later, as a producer retrying
                    after a timeout would; enrichment drops the repeats, so the sinks must hold each event once
  --summary FILE    write the summary as JSON
  --export DIR      dump every output, one file per resource it is written to, e.g. archive.ndjson,
                    archive-objects.json, events.ndjson (OpenSearch), aggregates.ndjson, quarantine.ndjson
  --via WAY         how the load reaches the raw stream: stream (PutRecords, default), http (POST /v1/events
                    through the local ingest API, with a dev token) or s3 (files in the inbox)
                    (S3 notifications invoke the importer asynchronously)
  --request-events N  with --via http: events per request, 1 to 500 (default 100)
  --file-events N   with --via s3: events per file (default 1000)
  --no-gzip         with --via http or s3: uncompressed requests, plain NDJSON files (gzip by default)
  --keep-running    keep the stack and the whole pipeline running at the end (consumers, importers, ingest API),
                    print their endpoints, the inbox and a dev token (Ctrl-C to stop)
  --no-build        use the bundles already in dist/apps
  -h, --help        this text`;

function number(
  name: string,
  raw: string | undefined,
  fallback: number,
  check: (n: number) => boolean,
  what: string,
) {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || !check(value)) {
    throw new UsageError(`--${name} must be ${what}, got '${raw}'`);
  }
  return value;
}

/**
 * Parses the command line of `npm start`; throws {@link UsageError} on an unknown flag or a bad value.
 *
 * @example
 * ```ts
 * parseStartArgs(['--events', '300', '--chaos', '0.2']).chaos; // 0.2
 * ```
 */
export function parseStartArgs(argv: string[]): StartOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        events: { type: 'string' },
        rate: { type: 'string' },
        shards: { type: 'string' },
        seed: { type: 'string' },
        input: { type: 'string' },
        chaos: { type: 'string' },
        duplicates: { type: 'string' },
        summary: { type: 'string' },
        export: { type: 'string' },
        via: { type: 'string' },
        'request-events': { type: 'string' },
        'file-events': { type: 'string' },
        'no-gzip': { type: 'boolean' },
        'keep-running': { type: 'boolean' },
        'no-build': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const isInt = (min: number, max: number) => (n: number) => Number.isInteger(n) && n >= min && n <= max;
  const options: StartOptions = {
    events: number(
      'events',
      values.events as string | undefined,
      5000,
      isInt(1, 10_000_000),
      'an integer >= 1',
    ),
    rate: number(
      'rate',
      values.rate as string | undefined,
      1000,
      (n) => n > 0 && n <= 1_000_000,
      'a number > 0',
    ),
    seed: number('seed', values.seed as string | undefined, 1, isInt(0, 2 ** 31 - 1), 'an integer >= 0'),
    chaos: number('chaos', values.chaos as string | undefined, 0, (n) => n >= 0 && n <= 1, 'from 0 to 1'),
    via: 'stream',
    requestEvents: 100,
    fileEvents: 1000,
    gzip: values['no-gzip'] !== true,
    duplicates: number(
      'duplicates',
      values.duplicates as string | undefined,
      0,
      (n) => n >= 0 && n <= 1,
      'from 0 to 1',
    ),
    keepRunning: values['keep-running'] === true,
    noBuild: values['no-build'] === true,
    help: values.help === true,
  };
  if (values.shards !== undefined) {
    options.shards = number('shards', values.shards as string, 1, isInt(1, 64), 'an integer from 1 to 64');
  }
  if (values.input !== undefined) {
    if (values.events !== undefined) throw new UsageError('--input and --events are exclusive');
    options.input = values.input as string;
  }
  if (values.via !== undefined) {
    if (!(VIAS as readonly string[]).includes(values.via as string))
      throw new UsageError(`--via must be one of ${VIAS.join(', ')}, got '${String(values.via)}'`);
    options.via = values.via as Via;
  }
  if (options.via === 'http' && !declaresTrigger('http-api'))
    throw new UsageError(
      '--via http needs an ingest function with trigger http-api in the contract; it declares none',
    );
  if (options.via === 's3' && !declaresTrigger('s3-inbox'))
    throw new UsageError(
      '--via s3 needs an ingest function with trigger s3-inbox in the contract; it declares none',
    );
  if (values['request-events'] !== undefined) {
    if (options.via !== 'http') throw new UsageError('--request-events applies to --via http only');
    options.requestEvents = number(
      'request-events',
      values['request-events'] as string,
      100,
      isInt(1, MAX_REQUEST_EVENTS),
      `an integer from 1 to ${MAX_REQUEST_EVENTS}`,
    );
  }
  if (values['file-events'] !== undefined) {
    if (options.via !== 's3') throw new UsageError('--file-events applies to --via s3 only');
    options.fileEvents = number(
      'file-events',
      values['file-events'] as string,
      1000,
      isInt(1, 1_000_000),
      'an integer from 1 to 1000000',
    );
  }
  if (values['no-gzip'] === true && options.via === 'stream')
    throw new UsageError('--no-gzip applies to --via http or s3 only');
  if (values.summary !== undefined) options.summary = values.summary as string;
  if (values.export !== undefined) options.export = values.export as string;
  return options;
}
