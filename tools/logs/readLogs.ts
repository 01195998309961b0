import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LEVELS, type Level, type LogsOptions } from './parseLogsArgs';

/** One line of a function's log, parsed. */
export interface LogLine {
  function: string;
  /** Epoch ms: the line's own `timestamp`, else that of the line before it in the same file. */
  timeMs: number | undefined;
  level: Level | undefined;
  /** The JSON object, when the line is one. */
  fields: Record<string, unknown> | undefined;
  /** The line as written. */
  text: string;
}

/** Reads one line: a Powertools JSON line, an EMF metrics line (`_aws`), or plain text (stderr, the runtime). */
export function parseLine(fn: string, text: string, previousMs: number | undefined): LogLine {
  let fields: Record<string, unknown> | undefined;
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        fields = parsed as Record<string, unknown>;
    } catch {
      fields = undefined;
    }
  }
  let timeMs = previousMs;
  if (typeof fields?.timestamp === 'string') {
    const ms = Date.parse(fields.timestamp);
    if (Number.isFinite(ms)) timeMs = ms;
  } else if (
    typeof fields?._aws === 'object' &&
    typeof (fields._aws as { Timestamp?: unknown }).Timestamp === 'number'
  ) {
    timeMs = (fields._aws as { Timestamp: number }).Timestamp;
  }
  const rawLevel = typeof fields?.level === 'string' ? fields.level.toUpperCase() : undefined;
  const level = (LEVELS as readonly string[]).includes(rawLevel ?? '') ? (rawLevel as Level) : undefined;
  return { function: fn, timeMs, level, fields, text };
}

/** Whether a line passes the options' filters. */
export function matches(
  line: LogLine,
  options: Pick<LogsOptions, 'grep' | 'sinceMs' | 'level' | 'metrics'>,
): boolean {
  if (!options.metrics && line.fields && '_aws' in line.fields) return false;
  if (options.sinceMs !== undefined && (line.timeMs === undefined || line.timeMs < options.sinceMs))
    return false;
  if (options.level && line.level && LEVELS.indexOf(line.level) < LEVELS.indexOf(options.level)) return false;
  const text = line.text.toLowerCase();
  return options.grep.every((g) => text.includes(g.toLowerCase()));
}

const SHOWN_APART = new Set(['timestamp', 'level', 'message', 'service', 'sampling_rate', 'xray_trace_id']);

/** One line for a reader: time, function, level, message, then the other keys as JSON. */
export function formatLine(line: LogLine): string {
  const time = line.timeMs === undefined ? '-'.padEnd(24) : new Date(line.timeMs).toISOString();
  const head = `${time} ${line.function.padEnd(20)} ${(line.level ?? '').padEnd(5)}`;
  if (!line.fields) return `${head} ${line.text}`;
  const rest = Object.fromEntries(Object.entries(line.fields).filter(([k]) => !SHOWN_APART.has(k)));
  const message = typeof line.fields.message === 'string' ? line.fields.message : '';
  return `${head} ${message}${Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : ''}`.trimEnd();
}

/**
 * Every matching line of the functions' logs (`<dir>/<function>.log`, as the local runtime writes them), merged in
 * time order (stable: lines of one file keep their order). Files that do not exist are skipped and named.
 */
export async function readLogs(
  options: Pick<LogsOptions, 'grep' | 'sinceMs' | 'level' | 'metrics' | 'dir'>,
  functions: readonly string[],
): Promise<{ lines: LogLine[]; missing: string[] }> {
  const lines: LogLine[] = [];
  const missing: string[] = [];
  for (const fn of functions) {
    const file = join(options.dir, `${fn}.log`);
    if (!existsSync(file)) {
      missing.push(fn);
      continue;
    }
    let previous: number | undefined;
    const reader = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const text of reader) {
      if (text.trim() === '') continue;
      const line = parseLine(fn, text, previous);
      previous = line.timeMs;
      if (matches(line, options)) lines.push(line);
    }
  }
  const order = lines.map((line, i) => ({ line, i }));
  order.sort((a, b) => (a.line.timeMs ?? 0) - (b.line.timeMs ?? 0) || a.i - b.i);
  return { lines: order.map((o) => o.line), missing };
}
