import { ConfigError, type ConfigProblem } from './errors';

type Env = Record<string, string | undefined>;

/** Reads and checks one variable; returns the parsed value or throws a message describing the problem. */
export interface ConfigVar<T> {
  readonly variable: string;
  read(raw: string | undefined): T;
}

class ProblemMessage extends Error {}

function required(raw: string | undefined, fallback: unknown): string | undefined {
  if (raw === undefined || raw.trim() === '') {
    if (fallback === undefined) throw new ProblemMessage('is required but not set');
    return undefined;
  }
  return raw.trim();
}

/** A non-empty string, optionally matching a pattern. */
export function str(variable: string, opts: { default?: string; pattern?: RegExp } = {}): ConfigVar<string> {
  return {
    variable,
    read(raw) {
      const value = required(raw, opts.default);
      if (value === undefined) return opts.default as string;
      if (opts.pattern && !opts.pattern.test(value)) {
        throw new ProblemMessage(`must match ${opts.pattern} (got '${value.slice(0, 80)}')`);
      }
      return value;
    },
  };
}

/** An optional string: `undefined` when unset or empty. */
export function optionalStr(
  variable: string,
  opts: { pattern?: RegExp } = {},
): ConfigVar<string | undefined> {
  return {
    variable,
    read(raw) {
      if (raw === undefined || raw.trim() === '') return undefined;
      return str(variable, opts).read(raw);
    },
  };
}

/** An integer within bounds. */
export function int(
  variable: string,
  opts: { default?: number; min?: number; max?: number } = {},
): ConfigVar<number> {
  return {
    variable,
    read(raw) {
      const value = required(raw, opts.default);
      if (value === undefined) return opts.default as number;
      if (!/^-?\d+$/.test(value))
        throw new ProblemMessage(`must be an integer (got '${value.slice(0, 80)}')`);
      const n = Number(value);
      if (opts.min !== undefined && n < opts.min)
        throw new ProblemMessage(`must be >= ${opts.min} (got ${n})`);
      if (opts.max !== undefined && n > opts.max)
        throw new ProblemMessage(`must be <= ${opts.max} (got ${n})`);
      return n;
    },
  };
}

/** An absolute http(s) URL, such as an SQS queue URL or an OpenSearch endpoint. */
export function url(variable: string, opts: { default?: string } = {}): ConfigVar<string> {
  return {
    variable,
    read(raw) {
      const value = required(raw, opts.default) ?? (opts.default as string);
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        throw new ProblemMessage(`must be an absolute URL (got '${value.slice(0, 80)}')`);
      }
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        throw new ProblemMessage(`must be an http(s) URL (got '${parsed.protocol}')`);
      }
      return value;
    },
  };
}

/** One of a fixed set of values. */
export function oneOf<const V extends string>(
  variable: string,
  values: readonly V[],
  opts: { default?: V } = {},
): ConfigVar<V> {
  return {
    variable,
    read(raw) {
      const value = required(raw, opts.default);
      if (value === undefined) return opts.default as V;
      if (!(values as readonly string[]).includes(value)) {
        throw new ProblemMessage(`must be one of ${values.join(', ')} (got '${value.slice(0, 80)}')`);
      }
      return value as V;
    },
  };
}

type Spec = Record<string, ConfigVar<unknown>>;
export type ConfigOf<S extends Spec> = {
  readonly [K in keyof S]: S[K] extends ConfigVar<infer T> ? T : never;
};

/**
 * Reads a function's configuration from environment variables, checking every variable before failing
 * so that one cold start reports all problems at once.
 *
 * @example
 * ```ts
 * const config = loadConfig({
 *   streamName: str('ENRICHED_STREAM_NAME'),
 *   cacheTtlSeconds: int('CAMPAIGN_CACHE_TTL_SECONDS', { default: 300, min: 0 }),
 * });
 * ```
 * @throws {ConfigError} naming each missing or malformed variable.
 */
export function loadConfig<S extends Spec>(spec: S, env: Env = process.env): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, v] of Object.entries(spec)) {
    try {
      out[key] = v.read(env[v.variable]);
    } catch (error) {
      if (!(error instanceof ProblemMessage)) throw error;
      problems.push({ variable: v.variable, message: error.message });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(out) as ConfigOf<S>;
}
