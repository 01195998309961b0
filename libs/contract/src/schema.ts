import { z } from 'zod';

/** Kinds of resource a consumer's environment and access can point at. */
export const RESOURCE_KINDS = ['stream', 'table', 'bucket-prefix', 'queue', 'domain', 'key'] as const;

/** A kind of resource of the pipeline. */
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/**
 * Attributes each kind of resource resolves. An access resource means `arn` unless it names another; the `arn`
 * of a bucket prefix is that of the objects under it (`<bucket arn>/<prefix>/*`).
 */
export const ATTRIBUTES = {
  stream: ['arn', 'name'],
  table: ['arn', 'name'],
  'bucket-prefix': ['arn', 'bucket', 'prefix'],
  queue: ['arn', 'name', 'url'],
  domain: ['arn', 'paths', 'name', 'endpoint', 'index-prefix'],
  key: ['arn'],
} as const satisfies Record<ResourceKind, readonly string[]>;

/** The settings of a consumer's function and event source mapping, named as Terraform names them. */
export const CONSUMER_SETTINGS = [
  'memory_size',
  'timeout_seconds',
  'batch_size',
  'maximum_batching_window_in_seconds',
  'parallelization_factor',
  'enhanced_fan_out',
  'reserved_concurrency',
] as const;

/** The settings of a push-model (ingest) function, named as Terraform names them. */
export const INGEST_SETTINGS = ['memory_size', 'timeout_seconds', 'reserved_concurrency'] as const;

/** How an ingest function is invoked: by an API Gateway HTTP API, or by S3 notifications of an inbox. */
export const INGEST_TRIGGERS = ['http-api', 's3-inbox'] as const;

/** The settings of a stream. */
export const STREAM_SETTINGS = ['mode', 'shard_count', 'retention_hours'] as const;

const name = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and "-"');
const variable = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, 'must be an UPPER_SNAKE_CASE environment variable name');
const metric = z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a PascalCase metric name');
const only = z.enum(['aws', 'local']).optional();

const consumerSettings = z.strictObject({
  memory_size: z.number().int().optional(),
  timeout_seconds: z.number().int().optional(),
  batch_size: z.number().int().optional(),
  maximum_batching_window_in_seconds: z.number().int().optional(),
  parallelization_factor: z.number().int().optional(),
  enhanced_fan_out: z.boolean().optional(),
  reserved_concurrency: z.number().int().nullable().optional(),
});

const streamSettings = z.strictObject({
  mode: z.enum(['PROVISIONED', 'ON_DEMAND']).optional(),
  shard_count: z.number().int().optional(),
  retention_hours: z.number().int().optional(),
});

/** Values per environment: `default`, then one entry per environment that differs. */
const perEnvironment = <T extends z.ZodType>(value: T) =>
  z.object({ default: value }).catchall(value.optional());

const limit = z.strictObject({
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  reason: z.string().min(1),
});

/** `{"<kind>": "<resource>", "attribute": "<attribute>"}`: a resource's attribute, resolved per target. */
const reference = z
  .object({
    attribute: z.string().optional(),
    only,
  })
  .catchall(z.string());

/** `{"parameter": "<name>"}`: a parameter's value in the environment. */
const parameterReference = z.strictObject({ parameter: z.string(), only });

const environmentValue = z.union([parameterReference, reference]);

const metricSpec = z.strictObject({
  stat: z.enum(['Sum', 'Maximum', 'Average', 'Minimum', 'p99']),
  /** An alarm on the metric's sum over 5 minutes above `threshold`, named <prefix>-<consumer>-<name>. */
  alarm: z
    .strictObject({
      name: z.string().regex(/^[a-z][a-z0-9-]*$/),
      threshold: z.number(),
      description: z.string().min(1),
    })
    .optional(),
});

const statement = z.strictObject({
  sid: z.string().regex(/^[A-Za-z0-9]+$/, 'must be letters and digits (an IAM Sid)'),
  why: z.string().optional(),
  actions: z.array(z.string().regex(/^[a-z0-9-]+:[A-Za-z*]+$/, 'must be service:Action')).min(1),
  resources: z.array(reference).min(1),
});

const consumer = z.strictObject({
  stream: z.string(),
  description: z.string().min(1),
  settings: perEnvironment(consumerSettings),
  limits: z.partialRecord(z.enum(CONSUMER_SETTINGS), limit).optional(),
  environment: z.record(variable, environmentValue),
  metrics: z.record(metric, metricSpec),
  access: z.array(statement),
});

const ingestSettings = z.strictObject({
  memory_size: z.number().int().optional(),
  timeout_seconds: z.number().int().optional(),
  reserved_concurrency: z.number().int().nullable().optional(),
});

/** A push-model function: invoked by its trigger (through a resource-based permission), it writes a stream. */
const ingest = z.strictObject({
  trigger: z.enum(INGEST_TRIGGERS),
  stream: z.string(),
  description: z.string().min(1),
  settings: z
    .object({
      default: ingestSettings.extend({ memory_size: z.number().int(), timeout_seconds: z.number().int() }),
    })
    .catchall(ingestSettings.optional()),
  environment: z.record(variable, environmentValue),
  metrics: z.record(metric, metricSpec),
  access: z.array(statement),
});

const resource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('table'), description: z.string() }),
  z.strictObject({ kind: z.literal('queue'), description: z.string() }),
  z.strictObject({ kind: z.literal('key'), description: z.string() }),
  z.strictObject({
    kind: z.literal('bucket-prefix'),
    bucket: name,
    // Plain path segments: the archive prefix is also an Athena table's location and projection template.
    prefix: z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, 'must be plain path segments'),
    description: z.string(),
  }),
  z.strictObject({
    kind: z.literal('domain'),
    indexPrefix: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,199}$/, 'must be a valid OpenSearch index prefix'),
    description: z.string(),
  }),
]);

/** The shape of pipeline.json, before the checks across its sections ({@link checkContract}). */
export const contractSchema = z.strictObject({
  $schema: z.string().optional(),
  namespace: z.string().regex(/^[A-Za-z][A-Za-z0-9/_.-]*$/),
  environments: z.record(
    z.string().regex(/^[a-z][a-z0-9]{1,9}$/),
    z.strictObject({ description: z.string() }),
  ),
  limits: z.partialRecord(z.enum([...CONSUMER_SETTINGS, ...STREAM_SETTINGS]), limit),
  streams: z.record(
    name,
    z.strictObject({ description: z.string(), settings: perEnvironment(streamSettings) }),
  ),
  resources: z.record(name, resource),
  parameters: z.record(
    z.string().regex(/^[a-z][a-z0-9_]*$/),
    z.strictObject({
      description: z.string().min(1),
      value: perEnvironment(z.number()),
      minimum: z.number(),
      maximum: z.number(),
    }),
  ),
  common: z.strictObject({
    environment: z.record(variable, reference),
    metrics: z.record(metric, metricSpec),
    settings: consumerSettings.required(),
    /** Event source mapping arguments every consumer shares; records older than the maximum age go to its on-failure queue. */
    mapping: perEnvironment(
      z.strictObject({
        starting_position: z.enum(['TRIM_HORIZON', 'LATEST']).optional(),
        bisect_batch_on_function_error: z.boolean().optional(),
        maximum_retry_attempts: z.number().int().min(-1).max(10000).optional(),
        maximum_record_age_in_seconds: z.number().int().min(60).max(604800).optional(),
      }),
    ),
  }),
  consumers: z.record(name, consumer),
  /** Push-model functions (the front door); their names share the consumers' namespace. */
  ingest: z.record(name, ingest),
});

/** pipeline.json as the schema reads it. */
export type ContractShape = z.infer<typeof contractSchema>;

/** A parsed environment value or access resource. */
export type Reference =
  | { parameter: string; only?: 'aws' | 'local' }
  | { kind: ResourceKind; name: string; attribute: string; only?: 'aws' | 'local' };

/**
 * Reads `{"table": "campaigns", "attribute": "name"}` or `{"parameter": "x"}` into one form.
 * @param fallbackAttribute used when the reference names none (`arn` for access resources).
 * @throws {Error} when it names no kind, or more than one.
 */
export function parseReference(value: Record<string, unknown>, fallbackAttribute?: 'arn'): Reference {
  const only = value.only as 'aws' | 'local' | undefined;
  if (typeof value.parameter === 'string') return { parameter: value.parameter, ...(only ? { only } : {}) };
  const kinds = RESOURCE_KINDS.filter((k) => typeof value[k] === 'string');
  if (kinds.length !== 1) {
    throw new Error(
      `names ${kinds.length === 0 ? 'no' : 'more than one'} resource kind (${RESOURCE_KINDS.join(', ')})`,
    );
  }
  const kind = kinds[0]!;
  const attribute =
    typeof value.attribute === 'string' ? value.attribute : fallbackAttribute && ATTRIBUTES[kind][0];
  if (attribute === undefined) throw new Error('names no attribute');
  return { kind, name: value[kind] as string, attribute, ...(only ? { only } : {}) };
}

/**
 * The JSON Schema of pipeline.json (its shape only, for editors), as committed in libs/contract/pipeline.schema.json.
 * Regenerate it after a schema change with
 * `npx tsx -e "console.log(JSON.stringify(require('./libs/contract/src/schema').contractJsonSchema(), null, 2))" > libs/contract/pipeline.schema.json`.
 */
export function contractJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(contractSchema, { io: 'input' }) as Record<string, unknown>;
}

/**
 * The `tuning` variable of tuning.auto.tfvars.json (written by `npm run tune`), every field optional; the same
 * object type as the pipeline module's `variable "tuning"`.
 */
export const tuningSchema = z.strictObject({
  streams: z
    .record(
      z.string(),
      z.strictObject({
        mode: z.enum(['PROVISIONED', 'ON_DEMAND']).optional(),
        shard_count: z.number().int().optional(),
      }),
    )
    .optional(),
  consumers: z
    .record(
      z.string(),
      z.strictObject({
        memory_size: z.number().int().optional(),
        batch_size: z.number().int().optional(),
        maximum_batching_window_in_seconds: z.number().int().optional(),
        parallelization_factor: z.number().int().optional(),
        enhanced_fan_out: z.boolean().optional(),
      }),
    )
    .optional(),
});
