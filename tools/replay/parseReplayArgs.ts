import { parseArgs } from 'node:util';
import { ReplayUsageError } from './errors';

/** Options of `npm run replay`. */
export interface ReplayOptions {
  bucket: string;
  /** Archive key prefix (ARCHIVE_PREFIX), without trailing slash. */
  prefix: string;
  /** Inclusive start of the event-time range. */
  from: Date;
  /** Exclusive end of the event-time range. */
  to: Date;
  stream: string;
  /** Records per second put on the stream. */
  rate: number;
  /** Take S3 and Kinesis endpoints from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_KINESIS (the local stack). */
  endpointEnv: boolean;
  /** Hours of arrival after `to` also listed: events arrive after they happen. */
  lagHours: number;
  /** Keep the `enrichment` attribute (dropped by default, so the raw stream gets events as producers sent them). */
  keepEnrichment: boolean;
  /** List and count only, publish nothing. */
  dryRun: boolean;
  help: boolean;
}

/** `npm run replay -- --help`. */
export const REPLAY_USAGE = `usage: npm run replay -- --bucket B --from ISO --to ISO --stream S [options]

Republishes archived events whose event time is in [from, to) from the S3 archive (gzip NDJSON under
<prefix>/dt=YYYY-MM-DD/hour=HH/) into a Kinesis stream, rate-limited, with progress on stderr. Runs against AWS
with the default credential chain, or against the local stack with --endpoint-env.

  --bucket B        archive bucket (required)
  --prefix P        archive key prefix (default events)
  --from ISO        start of the event-time range, inclusive (RFC 3339, required)
  --to ISO          end of the event-time range, exclusive (required)
  --stream S        stream to publish to, e.g. shardline-dev-raw (required)
  --rate R          records per second (default 500)
  --lag-hours H     also read partitions of arrival up to H hours after --to (default 1)
  --keep-enrichment keep the enrichment attribute (default: removed, the event as its producer sent it)
  --endpoint-env    use AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL_KINESIS (e.g. the local stack's exports)
  --dry-run         list and count, publish nothing
  -h, --help        this text`;

function date(name: string, raw: string | undefined): Date {
  if (raw === undefined) throw new ReplayUsageError(`--${name} is required`);
  const millis = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(raw) || Number.isNaN(millis)) {
    throw new ReplayUsageError(`--${name} must be an RFC 3339 time, got '${raw}'`);
  }
  return new Date(millis);
}

/**
 * Parses the command line of `npm run replay`; throws {@link ReplayUsageError} on an unknown flag or a bad value.
 *
 * @example
 * ```ts
 * parseReplayArgs(['--bucket', 'b', '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-01T01:00:00Z', '--stream', 's']);
 * ```
 */
export function parseReplayArgs(argv: string[]): ReplayOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        bucket: { type: 'string' },
        prefix: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        stream: { type: 'string' },
        rate: { type: 'string' },
        'lag-hours': { type: 'string' },
        'keep-enrichment': { type: 'boolean' },
        'endpoint-env': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ReplayUsageError((error as Error).message, { cause: error });
  }
  const help = values.help === true;
  if (help) {
    return {
      help,
      bucket: '',
      prefix: '',
      from: new Date(0),
      to: new Date(0),
      stream: '',
      rate: 0,
      endpointEnv: false,
      lagHours: 0,
      keepEnrichment: false,
      dryRun: false,
    };
  }
  const required = (name: string) => {
    const value = values[name];
    if (typeof value !== 'string' || value.length === 0) throw new ReplayUsageError(`--${name} is required`);
    return value;
  };
  const bucket = required('bucket');
  const stream = required('stream');
  const from = date('from', values.from as string | undefined);
  const to = date('to', values.to as string | undefined);
  if (to <= from) throw new ReplayUsageError('--to must be after --from');
  const rate = Number(values.rate ?? 500);
  if (!Number.isFinite(rate) || rate <= 0) throw new ReplayUsageError(`--rate must be a number > 0`);
  const lagHours = Number(values['lag-hours'] ?? 1);
  if (!Number.isInteger(lagHours) || lagHours < 0 || lagHours > 168) {
    throw new ReplayUsageError('--lag-hours must be an integer from 0 to 168');
  }
  const prefix = ((values.prefix as string | undefined) ?? 'events').replace(/\/+$/, '');
  const segments = prefix.split('/');
  if (
    !segments.every((segment) => /^[A-Za-z0-9_.-]+$/.test(segment) && segment !== '.' && segment !== '..')
  ) {
    throw new ReplayUsageError(`--prefix must be plain path segments, got '${prefix}'`);
  }
  return {
    help,
    bucket,
    prefix,
    from,
    to,
    stream,
    rate,
    endpointEnv: values['endpoint-env'] === true,
    lagHours,
    keepEnrichment: values['keep-enrichment'] === true,
    dryRun: values['dry-run'] === true,
  };
}
