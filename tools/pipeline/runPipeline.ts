import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createClient, putRecords, type PutEntry } from '@shardline/aws';
import { EventSourceMapping, type EsmHandler, type MappingMetrics } from '@shardline/esm-emulator';
import type { LocalStack } from '@shardline/local-stack';
import { createPrng, eventStream } from '@shardline/schema';
import { startChaosProxy, type ChaosProxy, type ProxiedService } from './ChaosProxy';
import { buildExpectations, identityOf } from './expectations';
import { FunctionPool, type FunctionPoolStats } from './FunctionPool';
import { percentile } from './percentile';
import { consumerNames as APPS, type ConsumerName as App } from '@shardline/contract';
import {
  consumerEnvironment,
  localResources,
  localTopology,
  LOCAL_ACCOUNT_ID,
  type PipelineTopology,
} from './localTopology';
import type { InputRecord } from './readInputFile';
import { readSinks, type SinkContents } from './readSinks';
import { verifySinks, type Verification } from './verifySinks';

/** Options of {@link runPipeline}. */
export interface RunPipelineOptions {
  /** Repository root (Terraform, dist/apps). */
  root: string;
  /** A running local stack with every service. */
  stack: LocalStack;
  /** Records to put; generated from `events` and `seed` when absent. */
  input?: InputRecord[];
  events: number;
  rate: number;
  seed: number;
  shards?: number;
  chaos: number;
  /** Build the bundles first (`nx run-many -t build`). */
  build: boolean;
  /** Prepended to every resource name, so runs can share one stack. */
  namePrefix?: string;
  /** Where the functions' logs go (one file per consumer). */
  logDir: string;
  /** Live progress, at most once per second; silent when absent. */
  progress?: (line: string) => void;
  /** Share of invalid generated events, default 0.02. */
  invalidRatio?: number;
}

/** Per consumer figures of the summary. */
export interface ConsumerSummary {
  invocations: number;
  retries: number;
  errors: number;
  timeouts: number;
  partialFailures: number;
  bisections: number;
  recordsIn: number;
  recordsOut: number;
  recordsDiscarded: number;
  coldStarts: number;
  /** Handler duration: mean and max per invocation, ms. */
  durationMs: { mean: number; max: number };
  injected: { crashes: number; hangs: number; sinkFaults: number };
  /** Put on the raw stream -> the consumer reported the record done (its sink write acknowledged), ms. */
  latencyMs: { p50: number; p99: number; max: number };
}

/** The summary `npm start` prints and writes with `--summary`. */
export interface PipelineSummary {
  produced: number;
  valid: number;
  quarantined: number;
  archived: number;
  indexed: number;
  aggregatedEvents: number;
  lost: number;
  duplicated: number;
  ok: boolean;
  consumers: Record<App, ConsumerSummary>;
  verification: Verification;
  wallTimeMs: number;
  /** Time spent on setup (topology, build, resources, cold starts) before the first put. */
  setupMs: number;
  /** Valid events / (last sink done - first put), s^-1. */
  eventsPerSecond: number;
  /** Rate the producer achieved, records/s. */
  putRate: number;
  chaos: number;
  seed: number;
  topologyNotes: string[];
}

/** What a run leaves behind for export and `--keep-running`. */
export interface PipelineRun {
  summary: PipelineSummary;
  sinks: SinkContents;
  topology: PipelineTopology;
}

const CAMPAIGN_COUNT = 20;
/** Campaigns seeded in the reference table: most of the generator's, so both enrichment paths run. */
const SEEDED_CAMPAIGNS = 18;
/** Chaos shortens function timeouts to this, so an injected hang costs seconds, not Terraform's minutes. */
const CHAOS_FUNCTION_TIMEOUT_SECONDS = 10;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

interface Clients {
  kinesis: KinesisClient;
  dynamodb: DynamoDBClient;
  s3: S3Client;
  sqs: SQSClient;
}

async function createResources(topology: PipelineTopology, clients: Clients) {
  const { kinesis, dynamodb, s3, sqs } = clients;
  for (const stream of Object.values(topology.streams)) {
    await kinesis.send(new CreateStreamCommand({ StreamName: stream.name, ShardCount: stream.shardCount }));
  }
  const tables: Array<[string, KeySchemaElement[]]> = [
    [topology.referenceTable, [{ AttributeName: 'campaignId', KeyType: 'HASH' }]],
    [
      topology.aggregatesTable,
      [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'windowStart', KeyType: 'RANGE' },
      ],
    ],
    [topology.ledgerTable, [{ AttributeName: 'shard', KeyType: 'HASH' }]],
  ];
  for (const [name, keys] of tables) {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: keys,
        AttributeDefinitions: keys.map((k) => ({ AttributeName: k.AttributeName!, AttributeType: 'S' })),
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }
  await s3.send(new CreateBucketCommand({ Bucket: topology.archiveBucket }));
  const queueUrls: Record<string, string> = {};
  for (const name of [topology.quarantineQueue, ...APPS.map((a) => topology.consumers[a].onFailureQueue)]) {
    queueUrls[name] = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  }
  for (const stream of Object.values(topology.streams)) {
    await waitFor(`stream ${stream.name}`, async () => {
      const d = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: stream.name }));
      return d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
    });
  }
  for (const [name] of tables) {
    await waitFor(`table ${name}`, async () => {
      const d = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
      return d.Table?.TableStatus === 'ACTIVE';
    });
  }
  // The reference data enrichment looks campaigns up in.
  const campaigns = Array.from(
    { length: SEEDED_CAMPAIGNS },
    (_, i) => `cmp-${String(i + 1).padStart(4, '0')}`,
  );
  for (let i = 0; i < campaigns.length; i += 25) {
    await dynamodb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [topology.referenceTable]: campaigns.slice(i, i + 25).map((id, j) => ({
            PutRequest: {
              Item: {
                campaignId: { S: id },
                name: { S: `Campaign ${i + j + 1}` },
                advertiser: { S: `advertiser-${((i + j) % 5) + 1}` },
              },
            },
          })),
        },
      }),
    );
  }
  return queueUrls;
}

function generate(options: RunPipelineOptions): InputRecord[] {
  const records: InputRecord[] = [];
  for (const generated of eventStream({
    seed: options.seed,
    count: options.events,
    invalidRatio: options.invalidRatio ?? 0.02,
    // Event times end now: the indexer refuses times far from arrival, and aggregates past their TTL are skipped.
    startTime: new Date(),
    campaigns: CAMPAIGN_COUNT,
  })) {
    records.push({
      data: Buffer.from(JSON.stringify(generated.event)),
      partitionKey: generated.partitionKey,
    });
  }
  return records;
}

function identityOfData(base64: string): string | undefined {
  try {
    return identityOf(JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

/** Wraps a handler to note when each record was reported done (everything before the lowest failed record). */
function tracking(handler: EsmHandler, doneAt: Map<string, number>): EsmHandler {
  return async (event, context) => {
    const response = await handler(event, context);
    const now = Date.now();
    const failures = (response as { batchItemFailures?: Array<{ itemIdentifier?: string }> } | null)
      ?.batchItemFailures;
    const failed = new Set((failures ?? []).map((f) => f.itemIdentifier));
    for (const record of event.Records) {
      if (failed.has(record.kinesis.sequenceNumber)) break;
      const identity = identityOfData(record.kinesis.data);
      if (identity !== undefined && !doneAt.has(identity)) doneAt.set(identity, now);
    }
    return response;
  };
}

function sinkCount(app: App, proxies: Record<ProxiedService, ChaosProxy>): string {
  const ok = (service: ProxiedService, op: string) => proxies[service].stats.ok[op] ?? 0;
  if (app === 's3-archiver') return `PutObject ${ok('s3', 'PUT PutObject')}`;
  if (app === 'dynamodb-aggregator') return `UpdateItem ${ok('dynamodb', 'UpdateItem')}`;
  if (app === 'opensearch-indexer') return `_bulk ${ok('opensearch', '_bulk')}`;
  return `BatchGetItem ${ok('dynamodb', 'BatchGetItem')}`;
}

/**
 * Runs the local pipeline once: resources named as in Terraform, the four bundles behind emulated event source
 * mappings, a producer at `rate`, then a check of every sink. Resolves with the summary and what the sinks hold.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<PipelineRun> {
  const began = Date.now();
  const stack = options.stack;
  const endpoints = stack.endpoints;
  for (const service of ['kinesis', 'dynamodb', 's3', 'sqs', 'opensearch'] as const) {
    if (!endpoints[service]) throw new Error(`the local stack runs no ${service}`);
  }
  const topology = localTopology({
    root: options.root,
    ...(options.namePrefix ? { namePrefix: options.namePrefix } : {}),
    ...(options.shards !== undefined ? { shards: options.shards } : {}),
  });

  if (options.build) {
    options.progress?.('building the four apps (nx run-many -t build)...');
    execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...APPS], {
      cwd: options.root,
      stdio: 'inherit',
    });
  }
  for (const app of APPS) {
    const bundle = join(options.root, 'dist', 'apps', app, 'index.js');
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: build the apps first`);
  }

  const stackEnv = stack.env();
  // Credentials of the stack itself, not of whoever runs this: the parent's environment is left alone.
  const credentials = {
    accessKeyId: stackEnv.AWS_ACCESS_KEY_ID ?? 'test',
    secretAccessKey: stackEnv.AWS_SECRET_ACCESS_KEY ?? 'test',
  };
  const clientOptions = { region: stack.region, maxAttempts: 5 };
  const clients: Clients = {
    kinesis: createClient(KinesisClient, {
      ...clientOptions,
      endpoint: endpoints.kinesis,
      extra: { credentials },
    }),
    dynamodb: createClient(DynamoDBClient, {
      ...clientOptions,
      endpoint: endpoints.dynamodb,
      extra: { credentials },
    }),
    s3: createClient(S3Client, {
      ...clientOptions,
      endpoint: endpoints.s3,
      extra: { credentials, forcePathStyle: true },
    }),
    sqs: createClient(SQSClient, { ...clientOptions, endpoint: endpoints.sqs, extra: { credentials } }),
  };
  const queueUrls = await createResources(topology, clients);
  const records = options.input ?? generate(options);
  const expected = buildExpectations(records);

  const random = createPrng(options.seed ^ 0x5eed);
  const chance = () => random.next();
  mkdirSync(options.logDir, { recursive: true });

  const proxies = {} as Record<App, Record<ProxiedService, ChaosProxy>>;
  const pools = {} as Record<App, FunctionPool>;
  const mappings = {} as Record<App, EventSourceMapping>;
  const doneAt = {} as Record<App, Map<string, number>>;
  const arnOf = (queue: string) => `arn:aws:sqs:${stack.region}:${LOCAL_ACCOUNT_ID}:${queue}`;
  const urlByArn = new Map(Object.entries(queueUrls).map(([name, url]) => [arnOf(name), url]));

  let progressTimer: NodeJS.Timeout | undefined;
  try {
    for (const app of APPS) {
      const consumer = topology.consumers[app];
      const sinkChaos = app === 'enrichment' ? 0 : options.chaos;
      proxies[app] = {} as Record<ProxiedService, ChaosProxy>;
      for (const service of ['dynamodb', 's3', 'opensearch', 'sqs'] as const) {
        proxies[app][service] = await startChaosProxy({
          service,
          target: endpoints[service]!,
          // Quarantine and reference reads stay clean: chaos targets the sinks named in the brief.
          probability: service === 'sqs' ? 0 : sinkChaos,
          random: chance,
        });
      }
      const resources = localResources(topology, {
        region: stack.region,
        queueUrl: (name) => queueUrls[name]!,
        opensearchEndpoint: proxies[app].opensearch.endpoint,
      });
      const environment: Record<string, string> = {
        ...stackEnv,
        ...consumerEnvironment(app, topology, resources),
        AWS_ENDPOINT_URL_DYNAMODB: proxies[app].dynamodb.endpoint,
        AWS_ENDPOINT_URL_S3: proxies[app].s3.endpoint,
        AWS_ENDPOINT_URL_SQS: proxies[app].sqs.endpoint,
      };
      pools[app] = new FunctionPool({
        functionName: app,
        bundle: join(options.root, 'dist', 'apps', app, 'index.js'),
        environment,
        memorySize: consumer.memorySize,
        logFile: join(options.logDir, `${app}.log`),
        cwd: options.root,
        ...(options.chaos > 0
          ? {
              chaos: {
                crashProbability: options.chaos / 4,
                hangProbability: options.chaos / 20,
                random: chance,
              },
            }
          : {}),
      });
    }
    await Promise.all(APPS.map((app) => pools[app].warm()));

    for (const app of APPS) {
      const consumer = topology.consumers[app];
      doneAt[app] = new Map();
      const timeout =
        options.chaos > 0
          ? Math.min(consumer.timeoutSeconds, CHAOS_FUNCTION_TIMEOUT_SECONDS)
          : consumer.timeoutSeconds;
      mappings[app] = new EventSourceMapping({
        kinesis: clients.kinesis,
        streamName: topology.streams[consumer.stream].name,
        functionName: app,
        handler: tracking(pools[app].handler, doneAt[app]),
        functionTimeoutSeconds: timeout,
        memoryLimitInMB: consumer.memorySize,
        settings: {
          ...consumer.settings,
          destination_config: { on_failure: { destination_arn: arnOf(consumer.onFailureQueue) } },
        },
        sqs: clients.sqs,
        destinationQueueUrlFor: (arn) => urlByArn.get(arn) ?? arn,
      });
    }
    for (const app of APPS) await mappings[app].start();

    const setupMs = Date.now() - began;
    const putAt = new Map<string, number>();
    let put = 0;
    const report = progressReporter(options, mappings, proxies, () => put, records.length);
    if (options.progress) progressTimer = setInterval(report, 1000);

    // Producer: PutRecords of up to 500 entries, paced to `rate`.
    const firstPut = Date.now();
    const step = Math.max(1, Math.min(500, Math.ceil(options.rate / 10)));
    let putFailures = 0;
    for (let i = 0; i < records.length; i += step) {
      const due = firstPut + (i / options.rate) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
      const entries: PutEntry<string | undefined>[] = records.slice(i, i + step).map((r) => ({
        data: r.data,
        partitionKey: r.partitionKey,
        ref: identityOfData(r.data.toString('base64')),
      }));
      const failed = await putRecords(clients.kinesis, topology.streams.raw.name, entries, {
        maxAttempts: 10,
        onWritten: (refs) => {
          const now = Date.now();
          put += refs.length;
          for (const ref of refs as Array<string | undefined>)
            if (ref !== undefined && !putAt.has(ref)) putAt.set(ref, now);
        },
      });
      putFailures += failed.length;
    }
    if (putFailures > 0) throw new Error(`${putFailures} records could not be put on the raw stream`);
    const lastPut = Date.now();

    await mappings.enrichment.drain({ idleMs: 1500, timeoutMs: 15 * 60_000 });
    await Promise.all(
      APPS.filter((a) => a !== 'enrichment').map((a) =>
        mappings[a].drain({ idleMs: 1500, timeoutMs: 15 * 60_000 }),
      ),
    );
    if (progressTimer) clearInterval(progressTimer);
    report();
    for (const app of APPS) await mappings[app].stop();

    const sinks = await readSinks({
      s3: clients.s3,
      dynamodb: clients.dynamodb,
      sqs: clients.sqs,
      openSearchEndpoint: endpoints.opensearch!,
      bucket: topology.archiveBucket,
      archivePrefix: topology.archivePrefix,
      indexPrefix: topology.indexPrefix,
      aggregatesTable: topology.aggregatesTable,
      quarantineQueueUrl: queueUrls[topology.quarantineQueue]!,
      onFailureQueueUrls: Object.fromEntries(
        APPS.map((a) => [a, queueUrls[topology.consumers[a].onFailureQueue]!]),
      ),
    });
    const verification = verifySinks(expected, sinks);

    const validIds = new Set(expected.valid.map((e) => e.identity));
    let lastDone = lastPut;
    const consumers = {} as Record<App, ConsumerSummary>;
    for (const app of APPS) {
      const m: MappingMetrics = mappings[app].metrics();
      const s: FunctionPoolStats = pools[app].stats;
      const latencies: number[] = [];
      for (const [identity, at] of doneAt[app]) {
        const put = putAt.get(identity);
        if (put === undefined || !validIds.has(identity)) continue;
        latencies.push(at - put);
        if (at > lastDone) lastDone = at;
      }
      latencies.sort((a, b) => a - b);
      const faults = Object.values(proxies[app]).reduce(
        (n, p) => n + p.stats.faultsBefore + p.stats.faultsAfter,
        0,
      );
      consumers[app] = {
        invocations: m.invocations,
        retries: m.retries,
        errors: m.errors,
        timeouts: m.timeouts,
        partialFailures: m.partialFailures,
        bisections: m.bisections,
        recordsIn: m.recordsIn,
        recordsOut: m.recordsOut,
        recordsDiscarded: m.recordsDiscarded,
        coldStarts: s.coldStarts,
        durationMs: {
          mean: Math.round(m.duration.sumMs / Math.max(1, m.invocations)),
          max: Math.round(m.duration.maxMs),
        },
        injected: { crashes: s.injectedCrashes, hangs: s.injectedHangs, sinkFaults: faults },
        latencyMs: {
          p50: percentile(latencies, 0.5),
          p99: percentile(latencies, 0.99),
          max: latencies.at(-1) ?? 0,
        },
      };
    }
    const ok =
      verification.lost === 0 && verification.duplicated === 0 && verification.revenueMismatches === 0;
    const summary: PipelineSummary = {
      produced: expected.produced,
      valid: verification.valid,
      quarantined: verification.quarantined,
      archived: verification.archived,
      indexed: verification.indexed,
      aggregatedEvents: verification.aggregatedEvents,
      lost: verification.lost,
      duplicated: verification.duplicated,
      ok,
      consumers,
      verification,
      wallTimeMs: Date.now() - began,
      setupMs,
      eventsPerSecond: round(verification.valid / Math.max(0.001, (lastDone - firstPut) / 1000)),
      putRate: round(records.length / Math.max(0.001, (lastPut - firstPut) / 1000)),
      chaos: options.chaos,
      seed: options.seed,
      topologyNotes: topology.notes,
    };
    return { summary, sinks, topology };
  } finally {
    if (progressTimer) clearInterval(progressTimer);
    await Promise.allSettled(APPS.filter((a) => mappings[a]).map((a) => mappings[a].stop()));
    await Promise.allSettled(APPS.filter((a) => pools[a]).map((a) => pools[a].stop()));
    await Promise.allSettled(
      APPS.filter((a) => proxies[a]).flatMap((a) => Object.values(proxies[a]).map((p) => p.stop())),
    );
    for (const client of Object.values(clients)) client.destroy();
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function progressReporter(
  options: RunPipelineOptions,
  mappings: Record<App, EventSourceMapping>,
  proxies: Record<App, Record<ProxiedService, ChaosProxy>>,
  putCount: () => number,
  total: number,
): () => void {
  const last = {} as Record<App, { out: number; at: number }>;
  return () => {
    if (!options.progress) return;
    const now = Date.now();
    const lines = [`put ${putCount()}/${total}`];
    for (const app of APPS) {
      const m = mappings[app].metrics();
      const before = last[app] ?? { out: 0, at: now - 1000 };
      const rate = ((m.recordsOut - before.out) * 1000) / Math.max(1, now - before.at);
      last[app] = { out: m.recordsOut, at: now };
      lines.push(
        `  ${app.padEnd(19)} ${rate.toFixed(0).padStart(5)} rec/s  out ${String(m.recordsOut).padStart(6)}  ` +
          `age ${String(m.iteratorAgeMs).padStart(5)} ms  err ${m.errors}  retries ${m.retries}  ` +
          `quarantined ${proxies[app].sqs.stats.messagesSent}  ${sinkCount(app, proxies[app])}`,
      );
    }
    options.progress(lines.join('\n'));
  };
}
