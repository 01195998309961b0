import pipeline from '../pipeline.json';
import { CONSUMER_SETTINGS, INGEST_SETTINGS, STREAM_SETTINGS } from './schema';

/** The pipeline contract, pipeline.json as imported: its object keys are typed, so a renamed name is a type error. */
export const contract = pipeline;

/** The type of pipeline.json. */
export type Contract = typeof pipeline;

/** A consumer app of the pipeline (a key of `consumers`). */
export type ConsumerName = keyof Contract['consumers'];

/** A push-model function of the pipeline (a key of `ingest`): the HTTPS API, the S3 inbox importer. */
export type IngestName = keyof Contract['ingest'];

/** Any function of the pipeline: a consumer or an ingest function. */
export type FunctionName = ConsumerName | IngestName;

type FunctionOf<F extends FunctionName> = F extends ConsumerName
  ? Contract['consumers'][F]
  : F extends IngestName
    ? Contract['ingest'][F]
    : never;

/** A stream of the pipeline. */
export type StreamName = keyof Contract['streams'];

/** An environment Terraform deploys (a key of `environments`). */
export type EnvironmentName = keyof Contract['environments'];

/** A parameter environment variables can take their value from. */
export type ParameterName = keyof Contract['parameters'];

/** Variables the Lambda runtime itself sets, which a consumer may read. */
export const RUNTIME_VARIABLES = ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const;

/** An environment variable every consumer is given (the quarantine queue). */
export type CommonVariable = keyof Contract['common']['environment'];

/**
 * An environment variable a function reads: its own and the Lambda runtime's, plus the common ones for a
 * consumer.
 */
export type VariableOf<F extends FunctionName> =
  | (keyof FunctionOf<F>['environment'] & string)
  | (F extends ConsumerName ? CommonVariable : never)
  | (typeof RUNTIME_VARIABLES)[number];

/** A metric every consumer emits through the middleware. */
export type CommonMetric = keyof Contract['common']['metrics'] & string;

/** A metric a function emits (for a consumer: beyond the common ones). */
export type MetricOf<F extends FunctionName> = keyof FunctionOf<F>['metrics'] & string;

/** Every consumer, in the order the contract declares them (the order the local runtime starts them). */
export const consumerNames = Object.keys(contract.consumers) as ConsumerName[];

/** Every ingest (push-model) function, in the order the contract declares them. */
export const ingestNames = Object.keys(contract.ingest) as IngestName[];

/** Every function the pipeline deploys: the consumers, then the ingest functions. */
export const functionNames: FunctionName[] = [...consumerNames, ...ingestNames];

/** Every stream. */
export const streamNames = Object.keys(contract.streams) as StreamName[];

/** Every environment Terraform deploys. */
export const environmentNames = Object.keys(contract.environments) as EnvironmentName[];

const identity = <K extends string>(keys: Iterable<K>): { readonly [N in K]: N } =>
  Object.freeze(Object.fromEntries([...keys].map((k) => [k, k]))) as { readonly [N in K]: N };

/**
 * The names of the environment variables a consumer reads, each keyed by itself: read them through this object
 * so that a variable renamed or removed in the contract is a type error in the app.
 *
 * @example
 * ```ts
 * const v = variablesOf('dynamodb-aggregator');
 * loadConfig({ tableName: str(v.AGGREGATES_TABLE_NAME) });
 * ```
 */
export function variablesOf<F extends FunctionName>(fn: F): { readonly [V in VariableOf<F>]: V } {
  const own = Object.keys(functionOf(fn).environment);
  const common = isConsumer(fn) ? Object.keys(contract.common.environment) : [];
  return identity([...own, ...common, ...RUNTIME_VARIABLES]) as {
    readonly [V in VariableOf<F>]: V;
  };
}

/**
 * The names of the metrics a consumer emits beyond the common ones, each keyed by itself.
 *
 * @example
 * ```ts
 * metrics.addMetric(metricsOf('enrichment').LedgerErrors, MetricUnit.Count, 1);
 * ```
 */
export function metricsOf<F extends FunctionName>(fn: F): { readonly [M in MetricOf<F>]: M } {
  return identity(Object.keys(functionOf(fn).metrics)) as { readonly [M in MetricOf<F>]: M };
}

/** The metrics every consumer emits through the middleware, each keyed by itself. */
export const commonMetrics = identity(Object.keys(contract.common.metrics)) as {
  readonly [M in CommonMetric]: M;
};

/** A consumer's function and event source mapping settings, defaults filled in. */
export interface ConsumerSettings {
  memory_size: number;
  timeout_seconds: number;
  batch_size: number;
  maximum_batching_window_in_seconds: number;
  parallelization_factor: number;
  enhanced_fan_out: boolean;
  /** `null`: shards x parallelization factor, the most the mapping can use. */
  reserved_concurrency: number | null;
}

/** The event source mapping arguments every consumer shares. */
export interface MappingSettings {
  starting_position: 'TRIM_HORIZON' | 'LATEST';
  bisect_batch_on_function_error: boolean;
  maximum_retry_attempts: number;
  maximum_record_age_in_seconds: number;
}

/** The event source mapping arguments every consumer shares in an environment. */
export function mappingSettings(environment: string): MappingSettings {
  const mapping = contract.common.mapping as Loose & { default: Loose };
  return {
    ...defined(mapping.default),
    ...defined(mapping[environment] as Loose),
  } as unknown as MappingSettings;
}

/** A stream's settings, defaults filled in. */
export interface StreamSettings {
  mode: 'PROVISIONED' | 'ON_DEMAND';
  shard_count: number;
  retention_hours: number;
}

/**
 * The override layer `npm run tune` writes to terraform/environments/<env>/tuning.auto.tfvars.json (the Terraform
 * variable `tuning`): applied last, over the environment's settings.
 */
export interface Tuning {
  streams?: Record<string, Partial<Pick<StreamSettings, 'mode' | 'shard_count'>>>;
  consumers?: Record<
    string,
    Partial<
      Pick<
        ConsumerSettings,
        | 'memory_size'
        | 'batch_size'
        | 'maximum_batching_window_in_seconds'
        | 'parallelization_factor'
        | 'enhanced_fan_out'
      >
    >
  >;
}

type Loose = Record<string, unknown>;

function consumerOf(consumer: string) {
  const c = (contract.consumers as Record<string, (typeof contract.consumers)[ConsumerName]>)[consumer];
  if (!c)
    throw new Error(`the contract declares no consumer '${consumer}' (it has: ${consumerNames.join(', ')})`);
  return c;
}

/** Whether a function is a consumer of a stream (else an ingest function). */
export function isConsumer(fn: string): fn is ConsumerName {
  return Object.hasOwn(contract.consumers, fn);
}

/** A function's declaration, consumer or ingest. */
export function functionOf(fn: string): {
  stream: string;
  description: string;
  environment: Record<string, unknown>;
  metrics: Record<string, unknown>;
  access: unknown[];
} {
  if (isConsumer(fn)) return consumerOf(fn);
  const i = (contract.ingest as Record<string, (typeof contract.ingest)[IngestName]>)[fn];
  if (!i) throw new Error(`the contract declares no function '${fn}' (it has: ${functionNames.join(', ')})`);
  return i;
}

/** An ingest function's settings in an environment: its `default`, then its entry for the environment. */
export interface IngestSettings {
  memory_size: number;
  timeout_seconds: number;
  /** `null`: unreserved (the account's pool). */
  reserved_concurrency: number | null;
}

/** An ingest function's settings in an environment. */
export function ingestSettings(fn: IngestName | string, environment: string): IngestSettings {
  if (isConsumer(fn) || !Object.hasOwn(contract.ingest, fn)) {
    throw new Error(`the contract declares no ingest function '${fn}' (it has: ${ingestNames.join(', ')})`);
  }
  const i = (contract.ingest as Record<string, { settings: Loose & { default: Loose } }>)[fn]!;
  return {
    reserved_concurrency: null,
    ...layered(i.settings, environment, undefined, INGEST_SETTINGS),
  } as IngestSettings;
}

/** Drops the keys whose value is undefined, so a spread does not erase a default. */
const defined = (o: Loose | undefined): Loose =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));

function layered(
  settings: Loose & { default: Loose },
  environment: string,
  override: Loose | undefined,
  keys: readonly string[],
): Loose {
  const merged = {
    ...defined(settings.default),
    ...defined(settings[environment] as Loose),
    ...defined(override),
  };
  return Object.fromEntries(Object.entries(merged).filter(([k]) => keys.includes(k)));
}

/**
 * A consumer's settings in an environment: the common defaults, the consumer's `default`, its entry for the
 * environment, then the tuning override, each on top of the one before (what Terraform's sizing.tf computes).
 *
 * @example
 * ```ts
 * consumerSettings('dynamodb-aggregator', 'prod').batch_size; // 10000
 * ```
 */
export function consumerSettings(consumer: string, environment: string, tuning?: Tuning): ConsumerSettings {
  const c = consumerOf(consumer);
  return {
    ...contract.common.settings,
    ...layered(
      c.settings as Loose & { default: Loose },
      environment,
      tuning?.consumers?.[consumer],
      CONSUMER_SETTINGS,
    ),
  } as ConsumerSettings;
}

/** A stream's settings in an environment, with the tuning override applied last. */
export function streamSettings(stream: string, environment: string, tuning?: Tuning): StreamSettings {
  const s = (contract.streams as Record<string, (typeof contract.streams)[StreamName]>)[stream];
  if (!s) throw new Error(`the contract declares no stream '${stream}' (it has: ${streamNames.join(', ')})`);
  return layered(
    s.settings as Loose & { default: Loose },
    environment,
    tuning?.streams?.[stream],
    STREAM_SETTINGS,
  ) as unknown as StreamSettings;
}

/** A parameter's value in an environment. */
export function parameterValue(parameter: string, environment: string): number {
  const p = (contract.parameters as Record<string, { value: Loose & { default: number } }>)[parameter];
  if (!p) throw new Error(`the contract declares no parameter '${parameter}'`);
  return (p.value[environment] as number | undefined) ?? p.value.default;
}

/** The limits a consumer's setting must respect: the contract's, tightened by the consumer's own. */
export function limitsOf(
  consumer: string,
): Record<string, { minimum?: number; maximum?: number; reasons: string[] }> {
  const own =
    (
      consumerOf(consumer) as {
        limits?: Record<string, { minimum?: number; maximum?: number; reason: string }>;
      }
    ).limits ?? {};
  const all = contract.limits as Record<string, { minimum?: number; maximum?: number; reason: string }>;
  const limits: Record<string, { minimum?: number; maximum?: number; reasons: string[] }> = {};
  for (const setting of CONSUMER_SETTINGS) {
    const base = all[setting];
    const tight = own[setting];
    if (!base && !tight) continue;
    const minimum = Math.max(base?.minimum ?? -Infinity, tight?.minimum ?? -Infinity);
    const maximum = Math.min(base?.maximum ?? Infinity, tight?.maximum ?? Infinity);
    limits[setting] = {
      ...(Number.isFinite(minimum) ? { minimum } : {}),
      ...(Number.isFinite(maximum) ? { maximum } : {}),
      reasons: [tight?.reason, base?.reason].filter((r): r is string => r !== undefined),
    };
  }
  return limits;
}

/**
 * Every setting outside its limits in an environment, as messages naming the consumer, the setting and the reason
 * (empty when all hold). Terraform enforces the same limits with a precondition in the pipeline module.
 */
export function settingViolations(environment: string, tuning?: Tuning): string[] {
  const problems: string[] = [];
  const check = (
    what: string,
    value: unknown,
    limit: { minimum?: number; maximum?: number; reasons: string[] },
  ) => {
    if (typeof value !== 'number') return;
    if (
      (limit.minimum !== undefined && value < limit.minimum) ||
      (limit.maximum !== undefined && value > limit.maximum)
    ) {
      const range =
        limit.minimum === limit.maximum
          ? `${limit.minimum}`
          : `${limit.minimum ?? '-inf'} to ${limit.maximum ?? 'inf'}`;
      problems.push(`${what} is ${value}, must be ${range}: ${limit.reasons[0] ?? ''}`);
    }
  };
  for (const consumer of consumerNames) {
    const settings = consumerSettings(consumer, environment, tuning) as unknown as Loose;
    for (const [setting, limit] of Object.entries(limitsOf(consumer))) {
      check(`${consumer} ${setting} (${environment})`, settings[setting], limit);
    }
  }
  const all = contract.limits as Record<string, { minimum?: number; maximum?: number; reason: string }>;
  for (const stream of streamNames) {
    const settings = streamSettings(stream, environment, tuning) as unknown as Loose;
    for (const setting of STREAM_SETTINGS) {
      const limit = all[setting];
      if (limit)
        check(`stream ${stream} ${setting} (${environment})`, settings[setting], {
          ...limit,
          reasons: [limit.reason],
        });
    }
  }
  return problems;
}

/**
 * The variables the contract declares for a consumer (its own and the common ones) that a config spec does not
 * read: what each app's config.spec.ts expects to be empty. Reading an undeclared variable is a type error
 * already, through {@link variablesOf}.
 *
 * @example
 * ```ts
 * expect(unreadVariables(CONSUMER, configSpec)).toEqual([]);
 * ```
 */
export function unreadVariables(
  fn: FunctionName,
  spec: Readonly<Record<string, { readonly variable: string }>>,
): string[] {
  const read = new Set(Object.values(spec).map((v) => v.variable));
  return [
    ...Object.keys(functionOf(fn).environment),
    ...(isConsumer(fn) ? Object.keys(contract.common.environment) : []),
  ].filter((v) => !read.has(v));
}
