import { parseArgs } from 'node:util';
import { functionNames } from '@shardline/contract';

/** A `npm run logs` command line that cannot be run. Exit code 2. */
export class LogsUsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LogsUsageError';
  }
}

/** Severity levels of the functions' logs, least severe first (Powertools Logger's names). */
export const LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'] as const;

/** A severity level. */
export type Level = (typeof LEVELS)[number];

/** Options of `npm run logs`. */
export interface LogsOptions {
  /** Functions whose logs to read; every function of the contract when empty. */
  functions: string[];
  /** Case-insensitive substrings a line must all contain. */
  grep: string[];
  /** Only lines at or after this time (epoch ms). */
  sinceMs?: number;
  /** Only lines at or above this level (lines without one pass). */
  level?: Level;
  /** Also the EMF metric lines (hidden by default: one per invocation, not a message). */
  metrics: boolean;
  /** Print the matching lines as they are (JSON), one per line, for scripts. */
  json: boolean;
  dir: string;
  help: boolean;
}

/** `npm run logs -- --help`. */
export const LOGS_USAGE = `usage: npm run logs -- [options]

Searches the logs the functions wrote in the last \`npm start\` (or a running one): every function's JSON log lines
merged in time order, one per line: time, function, level, message and the rest of its keys.

  --consumer NAME   only this function's logs (repeatable); one of: ${functionNames.join(', ')}
  --grep TEXT       only lines containing TEXT, case-insensitive (repeatable: all must match)
  --since WHEN      only lines since WHEN: a duration ago (90s, 15m, 2h, 1d) or an ISO 8601 time
  --level LEVEL     only lines at LEVEL or above: ${LEVELS.join(', ')}
  --metrics         also the EMF metric lines (hidden by default)
  --json            the matching lines as written (JSON), for scripts
  --dir DIR         where the logs are (default tmp/pipeline/logs)
  -h, --help        this text

On AWS the same questions are CloudWatch Logs Insights' saved queries under shardline/<environment>/ (Terraform).`;

const DURATION = /^(\d+(?:\.\d+)?)(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Reads `--since`: a duration before `nowMs` or an ISO 8601 time with a zone. */
export function parseSince(raw: string, nowMs: number): number {
  const duration = DURATION.exec(raw);
  if (duration) return nowMs - Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS];
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(raw) && /(Z|[+-]\d{2}:\d{2})$/.test(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(ms)) {
    throw new LogsUsageError(
      `--since must be a duration (90s, 15m, 2h, 1d) or an ISO 8601 time with a zone, got '${raw}'`,
    );
  }
  return ms;
}

/**
 * Parses the command line of `npm run logs`; throws {@link LogsUsageError} on an unknown flag or a bad value.
 *
 * @example
 * ```ts
 * parseLogsArgs(['--consumer', 'enrichment', '--since', '15m'], Date.now()).functions; // ['enrichment']
 * ```
 */
export function parseLogsArgs(argv: string[], nowMs: number): LogsOptions {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        consumer: { type: 'string', multiple: true },
        grep: { type: 'string', multiple: true },
        since: { type: 'string' },
        level: { type: 'string' },
        metrics: { type: 'boolean' },
        json: { type: 'boolean' },
        dir: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new LogsUsageError((error as Error).message, { cause: error });
  }
  const functions = (values.consumer as string[] | undefined) ?? [];
  for (const fn of functions) {
    if (!(functionNames as string[]).includes(fn)) {
      throw new LogsUsageError(
        `--consumer '${fn}' is not a function of the pipeline (${functionNames.join(', ')})`,
      );
    }
  }
  const grep = (values.grep as string[] | undefined) ?? [];
  if (grep.some((g) => g === '')) throw new LogsUsageError('--grep needs a non-empty text');
  const options: LogsOptions = {
    functions,
    grep,
    metrics: values.metrics === true,
    json: values.json === true,
    dir: (values.dir as string | undefined) ?? 'tmp/pipeline/logs',
    help: values.help === true,
  };
  if (values.since !== undefined) options.sinceMs = parseSince(values.since as string, nowMs);
  if (values.level !== undefined) {
    const level = (values.level as string).toUpperCase();
    if (!(LEVELS as readonly string[]).includes(level)) {
      throw new LogsUsageError(`--level must be one of ${LEVELS.join(', ')}, got '${String(values.level)}'`);
    }
    options.level = level as Level;
  }
  return options;
}
