import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import {
  AsyncInvoker,
  startInvokeApi,
  startS3NotificationProxy,
  type AsyncHandler,
  type AsyncInvokerMetrics,
  type InvokeApi,
  type NotificationTarget,
  type S3NotificationProxy,
} from '@shardline/async-invoke';
import { contract, ingestNames, ingestSettings, type IngestName } from '@shardline/contract';
import type { EsmKinesisEvent } from '@shardline/esm-emulator';
import type { LocalStack } from '@shardline/local-stack';
import { FunctionPool, type FunctionPoolStats } from './FunctionPool';
import type { Clients } from './localResources';
import {
  consumerEnvironment,
  localResources,
  LOCAL_ACCOUNT_ID,
  type PipelineTopology,
} from './localTopology';

/**
 * Retry waits and maximum event age of the local importers, as a share of AWS's: 0.01 turns the 1 and 2 minute
 * waits into 0.6 and 1.2 s, and the 6 hour default event age into 216 s.
 */
export const LOCAL_ASYNC_TIME_SCALE = 0.01;

/** Concurrency of a local importer when the contract reserves none (the account's pool on AWS). */
const LOCAL_IMPORT_CONCURRENCY = 2;

/** The object suffixes an inbox notifies its importer of: NDJSON and gzip NDJSON files (Terraform's default). */
export const INBOX_SUFFIXES = ['.ndjson', '.ndjson.gz'] as const;

/** The id of an inbox's notification configuration for one suffix, as Terraform names it. */
const notificationId = (suffix: string) => `import${suffix.replaceAll('.', '-')}`;

/** One ingest function the contract triggers by S3 notifications of an inbox, as the local pipeline runs it. */
export interface InboxImporterTopology {
  name: IngestName;
  bucket: string;
  /** Key prefix of the inbox, ending in `/`. */
  prefix: string;
  timeoutSeconds: number;
  memorySize: number;
  maxConcurrency: number;
  onFailureQueue: string;
}

/**
 * Every contract ingest function with trigger `s3-inbox`: its inbox (the bucket-prefix its entry names in
 * `inbox`; without one, `<prefix>-inbox-<account>` under `incoming/`), its size and its on-failure queue.
 */
export function inboxImporters(topology: PipelineTopology): InboxImporterTopology[] {
  const resources = contract.resources as Record<string, { kind: string; bucket?: string; prefix?: string }>;
  return ingestNames
    .filter((name) => contract.ingest[name].trigger === 's3-inbox')
    .map((name) => {
      const declared = (contract.ingest[name] as { inbox?: string }).inbox;
      const inbox = declared === undefined ? undefined : resources[declared];
      const settings = ingestSettings(name, topology.environment);
      return {
        name,
        bucket: inbox?.bucket
          ? topology.buckets[inbox.bucket]!
          : `${topology.prefix}-inbox-${LOCAL_ACCOUNT_ID}`,
        prefix: `${inbox?.prefix ?? 'incoming'}/`,
        timeoutSeconds: settings.timeout_seconds,
        memorySize: settings.memory_size,
        maxConcurrency: settings.reserved_concurrency ?? LOCAL_IMPORT_CONCURRENCY,
        onFailureQueue: `${topology.prefix}-${name}-failures`,
      };
    });
}

/** Per importer figures of the summary. */
export interface ImporterSummary {
  /** Files the inbox notified the importer of. */
  notifications: number;
  invocations: number;
  retries: number;
  errors: number;
  timeouts: number;
  /** Events (notifications and hand-offs) the importer finished. */
  succeeded: number;
  discarded: AsyncInvokerMetrics['discarded'];
  /** Invocations the importer made of itself through the Invoke API (hand-offs). */
  handOffs: number;
  coldStarts: number;
}

/** The running importers: their inboxes behind one notifying S3 endpoint, their invokers and the Invoke API. */
export interface RunningImporters {
  importers: InboxImporterTopology[];
  /** S3 endpoint producers upload to (path-style): it notifies the importers. */
  s3Endpoint: string;
  /** Waits until every notification was delivered and every queue is empty and idle. */
  drain(): Promise<void>;
  summary(): Record<string, ImporterSummary>;
  /** Topology notes: what differs from AWS. */
  notes: string[];
  stop(): Promise<void>;
}

/** Options of {@link startInboxImporters}. */
export interface StartImportersOptions {
  stack: LocalStack;
  topology: PipelineTopology;
  clients: Clients;
  queueUrls: Record<string, string>;
  logDir: string;
  cwd: string;
  /** The bundle of an importer (dist/apps/<name>/index.js). */
  bundleFor: (name: IngestName) => string;
}

/**
 * Starts every `s3-inbox` importer as AWS would run it: its inbox bucket and on-failure queue, a pool of execution
 * environments running its bundle with its contract environment, an {@link AsyncInvoker} with AWS's default
 * asynchronous settings (2 retries, 6 hours, times {@link LOCAL_ASYNC_TIME_SCALE}) and the queue as on-failure
 * destination, Lambda's Invoke API for its hand-offs, and an S3 endpoint that notifies it of NDJSON files created
 * under its prefix.
 */
export async function startInboxImporters(options: StartImportersOptions): Promise<RunningImporters> {
  const { stack, topology, clients } = options;
  const importers = inboxImporters(topology);
  const functions: Record<string, AsyncInvoker> = {};
  const pools: FunctionPool[] = [];
  const started: Array<{ stop(): Promise<void> }> = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop();
    for (const p of pools) await p.stop();
  };
  try {
    const api: InvokeApi = await startInvokeApi({ functions });
    started.push(api);
    const buckets: Record<string, NotificationTarget[]> = {};
    const urlByArn = new Map<string, string>();
    for (const importer of importers) {
      await clients.s3.send(new CreateBucketCommand({ Bucket: importer.bucket }));
      const queueUrl = (
        await clients.sqs.send(new CreateQueueCommand({ QueueName: importer.onFailureQueue }))
      ).QueueUrl!;
      const queueArn = `arn:aws:sqs:${stack.region}:${LOCAL_ACCOUNT_ID}:${importer.onFailureQueue}`;
      urlByArn.set(queueArn, queueUrl);
      const resources = localResources(topology, {
        region: stack.region,
        queueUrl: (name) => options.queueUrls[name]!,
        opensearchEndpoint: stack.endpoints.opensearch ?? '',
      });
      const pool = new FunctionPool({
        functionName: importer.name,
        bundle: options.bundleFor(importer.name),
        environment: {
          ...stack.env(),
          ...consumerEnvironment(importer.name, topology, resources),
          AWS_ENDPOINT_URL_LAMBDA: api.endpoint,
        },
        memorySize: importer.memorySize,
        logFile: join(options.logDir, `${importer.name}.log`),
        cwd: options.cwd,
      });
      pools.push(pool);
      await pool.warm();
      const handler: AsyncHandler = (event, context) => pool.handler(event as EsmKinesisEvent, context);
      const invoker = new AsyncInvoker({
        functionName: importer.name,
        handler,
        config: { destination_config: { on_failure: { destination: queueArn } } },
        sqs: clients.sqs,
        destinationQueueUrlFor: (arn) => urlByArn.get(arn) ?? arn,
        functionTimeoutSeconds: importer.timeoutSeconds,
        memoryLimitInMB: importer.memorySize,
        maxConcurrency: importer.maxConcurrency,
        timeScale: LOCAL_ASYNC_TIME_SCALE,
        region: stack.region,
        accountId: LOCAL_ACCOUNT_ID,
      });
      started.push(invoker);
      functions[importer.name] = invoker;
      buckets[importer.bucket] = [
        ...(buckets[importer.bucket] ?? []),
        ...INBOX_SUFFIXES.map((suffix) => ({
          configuration: {
            id: notificationId(suffix),
            events: ['s3:ObjectCreated:*'],
            filter_prefix: importer.prefix,
            filter_suffix: suffix,
          },
          target: invoker,
        })),
      ];
    }
    const proxy: S3NotificationProxy = await startS3NotificationProxy({
      target: stack.endpoints.s3!,
      region: stack.region,
      buckets,
      onError: (error) => process.stderr.write(`S3 notification not delivered: ${String(error)}\n`),
    });
    started.push(proxy);
    return {
      importers,
      s3Endpoint: proxy.endpoint,
      notes: [
        `${importers.map((i) => i.name).join(', ')}: asynchronous invocation with AWS's defaults (2 retries, 6 h), waits and event age x${LOCAL_ASYNC_TIME_SCALE}`,
      ],
      drain: async () => {
        // A running importer may hand work on to itself: drain until the proxy and every queue stay quiet.
        await proxy.settled();
        for (const importer of importers)
          await functions[importer.name]!.drain({ idleMs: 1500, timeoutMs: 15 * 60_000 });
      },
      summary: () =>
        Object.fromEntries(
          importers.map((importer, i) => {
            const m = functions[importer.name]!.metrics();
            const s: FunctionPoolStats = pools[i]!.stats;
            const notifications = INBOX_SUFFIXES.reduce(
              (n, suffix) => n + (proxy.emitted[`${importer.bucket}/${notificationId(suffix)}`] ?? 0),
              0,
            );
            const summary: ImporterSummary = {
              notifications,
              invocations: m.invocations,
              retries: m.retries,
              errors: m.errors,
              timeouts: m.timeouts,
              succeeded: m.succeeded,
              discarded: m.discarded,
              handOffs: m.accepted - notifications,
              coldStarts: s.coldStarts,
            };
            return [importer.name, summary];
          }),
        ),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
