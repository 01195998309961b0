import { readFileSync } from 'node:fs';
import type { Prng } from '@shardline/schema';
import defaults from './defaultLatencyModel.json';
import { LatencyModelError } from './errors';

/** Where a default figure comes from. */
export interface LatencySource {
  title: string;
  url: string;
  /** The day the figure was looked up, YYYY-MM-DD. */
  lookedUp: string;
}

/**
 * The latency of one kind of AWS call: a log-normal distribution through its median and 99th percentile,
 * plus a cost per KiB of request and response body.
 */
export interface CallLatency {
  p50Ms: number;
  p99Ms: number;
  perKbMs: number;
  source?: LatencySource;
  /** What the source says and what is assumed beyond it. */
  note?: string;
}

/** Call latencies by service and operation (as `IoCall` names them), and the one used for anything else. */
export interface LatencyModel {
  calls: Readonly<Record<string, Readonly<Record<string, CallLatency>>>>;
  default: CallLatency;
}

const ENTRY_KEYS = new Set(['p50Ms', 'p99Ms', 'perKbMs', 'source', 'note']);
const SOURCE_KEYS = ['title', 'url', 'lookedUp'] as const;
const MODEL_KEYS = new Set(['description', 'calls', 'default']);
/** The standard normal quantile of 0.99: ln(p99 / p50) = sigma * Z99 for a log-normal distribution. */
const Z99 = 2.3263478740408408;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseEntry(value: unknown, where: string): CallLatency {
  if (!isObject(value)) throw new LatencyModelError(`${where} must be an object with p50Ms and p99Ms`);
  for (const key of Object.keys(value)) {
    if (!ENTRY_KEYS.has(key)) {
      throw new LatencyModelError(`${where}: unknown field "${key}" (known: ${[...ENTRY_KEYS].join(', ')})`);
    }
  }
  const { p50Ms, p99Ms, perKbMs = 0, source, note } = value;
  if (typeof p50Ms !== 'number' || !Number.isFinite(p50Ms) || p50Ms <= 0) {
    throw new LatencyModelError(
      `${where}.p50Ms must be a number of milliseconds > 0, got ${JSON.stringify(p50Ms)}`,
    );
  }
  if (typeof p99Ms !== 'number' || !Number.isFinite(p99Ms) || p99Ms < p50Ms) {
    throw new LatencyModelError(
      `${where}.p99Ms must be a number of milliseconds >= p50Ms (${p50Ms}), got ${JSON.stringify(p99Ms)}`,
    );
  }
  if (typeof perKbMs !== 'number' || !Number.isFinite(perKbMs) || perKbMs < 0) {
    throw new LatencyModelError(
      `${where}.perKbMs must be a number of milliseconds >= 0, got ${JSON.stringify(perKbMs)}`,
    );
  }
  if (note !== undefined && typeof note !== 'string')
    throw new LatencyModelError(`${where}.note must be a string`);
  const entry: CallLatency = { p50Ms, p99Ms, perKbMs };
  if (note !== undefined) entry.note = note;
  if (source !== undefined) entry.source = parseSource(source, `${where}.source`);
  return entry;
}

function parseSource(value: unknown, where: string): LatencySource {
  if (!isObject(value))
    throw new LatencyModelError(`${where} must be an object with ${SOURCE_KEYS.join(', ')}`);
  for (const key of SOURCE_KEYS) {
    if (typeof value[key] !== 'string' || value[key] === '') {
      throw new LatencyModelError(`${where}.${key} must be a non-empty string`);
    }
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value['lookedUp'] as string)) {
    throw new LatencyModelError(`${where}.lookedUp must be a date YYYY-MM-DD, got "${value['lookedUp']}"`);
  }
  return {
    title: value['title'] as string,
    url: value['url'] as string,
    lookedUp: value['lookedUp'] as string,
  };
}

/**
 * Validates `value` (the JSON of a latency model file) and lays its entries over `base`: an entry it names
 * replaces the base's entry for the same service and operation, everything else keeps the base's figure.
 * Errors name the file and the entry, e.g. `my.json: calls.dynamodb.UpdateItem.p99Ms must be ...`.
 *
 * @example
 * ```ts
 * const model = parseLatencyModel({ calls: { s3: { PutObject: { p50Ms: 80, p99Ms: 400 } } } }, 'inline');
 * latencyOf(model, 's3', 'PutObject').p50Ms; // 80
 * ```
 */
export function parseLatencyModel(value: unknown, name: string, base?: LatencyModel): LatencyModel {
  if (!isObject(value))
    throw new LatencyModelError(`${name}: must be a JSON object with "calls" and/or "default"`);
  for (const key of Object.keys(value)) {
    if (!MODEL_KEYS.has(key)) {
      throw new LatencyModelError(`${name}: unknown field "${key}" (known: ${[...MODEL_KEYS].join(', ')})`);
    }
  }
  if (value['default'] === undefined && base === undefined) {
    throw new LatencyModelError(`${name}: "default" is required (the latency of calls not listed)`);
  }
  const calls: Record<string, Record<string, CallLatency>> = {};
  for (const [service, operations] of Object.entries(base?.calls ?? {})) calls[service] = { ...operations };
  const given = value['calls'] ?? {};
  if (!isObject(given)) throw new LatencyModelError(`${name}: "calls" must be an object of services`);
  for (const [service, operations] of Object.entries(given)) {
    if (!isObject(operations)) {
      throw new LatencyModelError(
        `${name}: calls.${service} must be an object of operations, e.g. {"PutItem": {...}}`,
      );
    }
    calls[service] ??= {};
    for (const [operation, entry] of Object.entries(operations)) {
      calls[service][operation] = parseEntry(entry, `${name}: calls.${service}.${operation}`);
    }
  }
  const fallback =
    value['default'] === undefined ? base!.default : parseEntry(value['default'], `${name}: default`);
  return { calls, default: fallback };
}

/**
 * The model built into the repository (`tools/latency/defaultLatencyModel.json`): published AWS figures where
 * they exist, stated assumptions where they do not; every entry names its source and the day it was looked up.
 */
export const defaultLatencyModel: LatencyModel = parseLatencyModel(defaults, 'defaultLatencyModel.json');

/**
 * Reads a latency model file (the value of `--latency-model FILE`) and lays it over `base` (the defaults), so
 * the file needs only the entries it changes.
 *
 * @throws {LatencyModelError} when the file cannot be read, is not JSON, or has a bad entry (named in the message).
 * @example
 * ```ts
 * const model = loadLatencyModel('my-latency.json');
 * ```
 */
export function loadLatencyModel(path: string, base: LatencyModel = defaultLatencyModel): LatencyModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new LatencyModelError(`cannot read latency model ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LatencyModelError(`${path}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  return parseLatencyModel(value, path, base);
}

/**
 * The latency of `operation` on `service`, or the model's default when the model does not list it.
 *
 * @example
 * ```ts
 * latencyOf(defaultLatencyModel, 'dynamodb', 'Query') === defaultLatencyModel.default; // true
 * ```
 */
export function latencyOf(model: LatencyModel, service: string, operation: string): CallLatency {
  return model.calls[service]?.[operation] ?? model.default;
}

/**
 * One call's modeled latency for `bytes` of request and response body: the median when `random` is absent
 * (deterministic), otherwise a draw from the log-normal distribution through p50 and p99, so that about one
 * call in a hundred takes p99Ms or more.
 *
 * @example
 * ```ts
 * callLatencyMs({ p50Ms: 5, p99Ms: 15, perKbMs: 0.5 }, 2048); // 6
 * ```
 */
export function callLatencyMs(latency: CallLatency, bytes: number, random?: Prng): number {
  const transfer = (latency.perKbMs * Math.max(0, bytes)) / 1024;
  if (random === undefined) return latency.p50Ms + transfer;
  const sigma = Math.log(latency.p99Ms / latency.p50Ms) / Z99;
  return latency.p50Ms * Math.exp(sigma * standardNormal(random)) + transfer;
}

/** Box-Muller: one standard normal draw from two uniform ones. */
function standardNormal(random: Prng): number {
  const u1 = 1 - random.next(); // (0, 1]: log(0) is never taken
  const u2 = random.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
