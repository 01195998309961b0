import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  consumerNames,
  consumerSettings,
  contract,
  mappingSettings,
  resolveEnvironment,
  settingViolations,
  streamNames,
  streamSettings,
  tuningSchema,
  type ConsumerName,
  type EnvironmentName,
  type FunctionName,
  type ResourceMap,
  type StreamName,
  type Tuning,
} from '@shardline/contract';
import type { EventSourceMappingSettings } from '@shardline/esm-emulator';
import { TopologyError } from './errors';

/** The environment the local pipeline mirrors by default: its settings, parameters and tuning. */
export const LOCAL_ENVIRONMENT: EnvironmentName = 'dev';

/** Account id of the local stack's ARNs (its dummy account). */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** Log level of the local functions, as dev's (terraform/environments/dev sets DEBUG). */
const LOCAL_LOG_LEVEL = 'DEBUG';

/** One consumer as the local pipeline runs it. */
export interface ConsumerTopology {
  /** Which stream its mapping reads. */
  stream: StreamName;
  /** Function timeout, in seconds. */
  timeoutSeconds: number;
  /** Function memory, in MB. */
  memorySize: number;
  /** The event source mapping's arguments, as Terraform sets them. */
  settings: EventSourceMappingSettings;
  /** Name of its on-failure queue. */
  onFailureQueue: string;
}

/** Names, sizes and mapping settings of the local pipeline, from the contract in one environment (dev by default). */
export interface PipelineTopology {
  /** The contract environment whose settings apply. */
  environment: EnvironmentName;
  /** Every resource is named `<prefix>-<name in the contract>`, as Terraform names them. */
  prefix: string;
  streams: Record<StreamName, { name: string; shardCount: number }>;
  /** Tables by their name in the contract. */
  tables: Record<string, string>;
  /** Queues by their name in the contract. */
  queues: Record<string, string>;
  /** Buckets by their name in the contract (named after the account, as on AWS). */
  buckets: Record<string, string>;
  /** Index prefix of each domain, by its name in the contract (one local server holds every domain's indices). */
  indexPrefixes: Record<string, string>;
  consumers: Record<ConsumerName, ConsumerTopology>;
  /** What differs from AWS (the tuning applied, the stand-ins for the account id...). */
  notes: string[];
}

/** Input of {@link localTopology}. */
export interface LocalTopologyOptions {
  /** Workspace root: terraform/environments/<env>/tuning.auto.tfvars.json is read from it when present. */
  root: string;
  /** Prepended to every name, so that runs on a shared stack do not collide. */
  namePrefix?: string;
  /** Shards of every stream, over the contract's and the tuning's. */
  shards?: number;
  /** The contract environment whose names, settings and tuning file apply; default {@link LOCAL_ENVIRONMENT}. */
  environment?: EnvironmentName;
}

/**
 * The `tuning` override of an environment (terraform/environments/<env>/tuning.auto.tfvars.json, written by
 * `npm run tune`), or `undefined` when there is none.
 * @throws {TopologyError} naming the file when it is not a valid tuning.
 */
export function readTuning(root: string, environment: string): Tuning | undefined {
  const file = join(root, 'terraform', 'environments', environment, 'tuning.auto.tfvars.json');
  if (!existsSync(file)) return undefined;
  let json: { tuning?: unknown };
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as { tuning?: unknown };
  } catch (error) {
    throw new TopologyError(`${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = tuningSchema.safeParse(json.tuning ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `tuning.${i.path.join('.')}: ${i.message}`);
    throw new TopologyError(`${file} is not a valid tuning: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * The local pipeline's topology: every stream, table, bucket and queue of the contract, named as Terraform names
 * them in the environment (dev unless `environment` says otherwise), and each consumer's function size and mapping
 * settings from the contract's settings there with the environment's tuning file on top.
 *
 * @example
 * ```ts
 * const topology = localTopology({ root: '/path/to/repo' });
 * topology.streams.raw.name; // 'shardline-dev-raw'
 * ```
 * @throws {TopologyError} when the tuning file is invalid or puts a setting outside the contract's limits.
 */
export function localTopology(options: LocalTopologyOptions): PipelineTopology {
  const environment = options.environment ?? LOCAL_ENVIRONMENT;
  const notes: string[] = [];
  const fileTuning = readTuning(options.root, environment);
  if (fileTuning)
    notes.push(`tuning of terraform/environments/${environment}/tuning.auto.tfvars.json applied`);
  const tuning: Tuning = {
    ...fileTuning,
    streams: {
      ...fileTuning?.streams,
      ...(options.shards === undefined
        ? {}
        : Object.fromEntries(
            streamNames.map((s) => [s, { ...fileTuning?.streams?.[s], shard_count: options.shards }]),
          )),
    },
  };
  const problems = settingViolations(environment, tuning);
  if (problems.length > 0)
    throw new TopologyError(`settings outside the contract's limits: ${problems.join('; ')}`);

  const prefix = `${options.namePrefix ?? ''}shardline-${environment}`;
  const named = (kind: string) =>
    Object.fromEntries(
      Object.entries(contract.resources)
        .filter(([, r]) => r.kind === kind)
        .map(([name]) => [name, `${prefix}-${name}`]),
    );
  const buckets = Object.fromEntries(
    Object.values(contract.resources).flatMap((r) =>
      'bucket' in r ? [[r.bucket, `${prefix}-${r.bucket}-${LOCAL_ACCOUNT_ID}`]] : [],
    ),
  );
  notes.push(`account id ${LOCAL_ACCOUNT_ID} in bucket names and ARNs (the local stack's)`);
  const streams = Object.fromEntries(
    streamNames.map((s) => [
      s,
      { name: `${prefix}-${s}`, shardCount: streamSettings(s, environment, tuning).shard_count },
    ]),
  ) as PipelineTopology['streams'];
  const mapping = mappingSettings(environment);
  const consumers = Object.fromEntries(
    consumerNames.map((app) => {
      const s = consumerSettings(app, environment, tuning);
      const topology: ConsumerTopology = {
        stream: contract.consumers[app].stream as StreamName,
        timeoutSeconds: s.timeout_seconds,
        memorySize: s.memory_size,
        settings: {
          ...mapping,
          batch_size: s.batch_size,
          maximum_batching_window_in_seconds: s.maximum_batching_window_in_seconds,
          parallelization_factor: s.parallelization_factor,
          // The stream-consumer module sets it on every mapping: partial batch responses.
          function_response_types: ['ReportBatchItemFailures'],
        },
        onFailureQueue: `${prefix}-${app}-failures`,
      };
      return [app, topology];
    }),
  ) as PipelineTopology['consumers'];
  const indexPrefixes = Object.fromEntries(
    Object.entries(contract.resources).flatMap(([name, r]) =>
      'indexPrefix' in r ? [[name, `${options.namePrefix ?? ''}${r.indexPrefix}`]] : [],
    ),
  );
  return {
    environment,
    prefix,
    streams,
    tables: named('table'),
    queues: named('queue'),
    buckets,
    indexPrefixes,
    consumers,
    notes,
  };
}

/** What only exists once the local stack runs: queue URLs and the endpoint a function reaches OpenSearch at. */
export interface LocalEndpoints {
  region: string;
  /** URL of a queue, by its local name. */
  queueUrl(name: string): string;
  /** OpenSearch endpoint the function talks to (a chaos proxy in front of the server, or the server). */
  opensearchEndpoint: string;
}

/**
 * The contract's resources as the local stack holds them: what symbolic values resolve against locally (the
 * same map Terraform builds from the resources it creates).
 */
export function localResources(topology: PipelineTopology, endpoints: LocalEndpoints): ResourceMap {
  const arn = (service: string, resource: string) =>
    `arn:aws:${service}:${endpoints.region}:${LOCAL_ACCOUNT_ID}:${resource}`;
  const byKind = (
    kind: string,
    attributes: (name: string, r: Record<string, unknown>) => Record<string, string>,
  ) =>
    Object.fromEntries(
      Object.entries(contract.resources)
        .filter(([, r]) => r.kind === kind)
        .map(([name, r]) => [name, attributes(name, r)]),
    );
  return {
    stream: Object.fromEntries(
      Object.entries(topology.streams).map(([s, { name }]) => [
        s,
        { name, arn: arn('kinesis', `stream/${name}`) },
      ]),
    ),
    table: byKind('table', (name) => ({
      name: topology.tables[name]!,
      arn: arn('dynamodb', `table/${topology.tables[name]}`),
    })),
    'bucket-prefix': byKind('bucket-prefix', (_, r) => {
      const bucket = topology.buckets[r.bucket as string]!;
      return { bucket, prefix: r.prefix as string, arn: `arn:aws:s3:::${bucket}/${r.prefix as string}/*` };
    }),
    queue: byKind('queue', (name) => {
      const queue = topology.queues[name]!;
      return { name: queue, arn: arn('sqs', queue), url: endpoints.queueUrl(queue) };
    }),
    domain: byKind('domain', (name) => ({
      name: `${topology.prefix}-${name}`,
      arn: arn('es', `domain/${topology.prefix}-${name}`),
      paths: arn('es', `domain/${topology.prefix}-${name}/*`),
      endpoint: endpoints.opensearchEndpoint,
      'index-prefix': topology.indexPrefixes[name]!,
    })),
    key: byKind('key', (name) => ({ arn: arn('kms', `key/${name}`) })),
  };
}

/**
 * A function's environment on the local stack: the contract's variables resolved against the local resources,
 * and the Powertools variables the stream-consumer module sets on AWS.
 */
export function consumerEnvironment(
  app: FunctionName,
  topology: PipelineTopology,
  resources: ResourceMap,
): Record<string, string> {
  return {
    ...resolveEnvironment(app, 'local', topology.environment, resources),
    POWERTOOLS_SERVICE_NAME: app,
    POWERTOOLS_METRICS_NAMESPACE: contract.namespace,
    POWERTOOLS_LOG_LEVEL: LOCAL_LOG_LEVEL,
  };
}
