import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { putRecords, type PutEntry } from '@shardline/aws';
import { EventSourceMapping, type EsmHandler, type MappingMetrics } from '@shardline/esm-emulator';
import type { LocalStack } from '@shardline/local-stack';
import { createPrng } from '@shardline/schema';
import { eventStream } from '@shardline/schema/testing';
import { startChaosProxy, type ChaosProxy, type ProxiedService } from './ChaosProxy';
import {
  checkDeliveries,
  noteAcknowledged,
  readStream,
  type DeliveryCheck,
  type StreamRecord,
} from './deliveries';
import { buildExpectations, identityOf, type Expectations } from './expectations';
import { FunctionPool, type FunctionPoolStats } from './FunctionPool';
import { produceThroughFrontDoor, servedIngestNames, startFrontDoor, type IngestSummary } from './frontDoor';
import type { IngestFront } from './ingestApis';
import { connect, createResources, seedReferenceData, type Clients } from './localResources';
import { percentile } from './percentile';
import {
  consumerNames as APPS,
  consumerStages,
  contract,
  inputStreams,
  outputsOf,
  pipelineOutputs,
  streamNames,
  type ConsumerName as App,
  type IngestName,
  type ResourceKind,
  type StreamName,
} from '@shardline/contract';
import {
  inboxImporters,
  startInboxImporters,
  type ImporterSummary,
  type RunningImporters,
} from './inboxImporters';
import type { Via } from './parseStartArgs';
import { produceFiles } from './produceFiles';
import {
  consumerEnvironment,
  localResources,
  localTopology,
  LOCAL_ACCOUNT_ID,
  type PipelineTopology,
} from './localTopology';
import type { InvocationReport } from './invocationTrace';
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
  /** Share of records put a second time, as a producer's retry (default 0). */
  duplicates?: number;
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
  /**
   * How the producer sends: `stream` (PutRecords on the raw stream, the default), `http` (the ingest API),
   * `s3` (NDJSON files dropped in the inbox of every `s3-inbox` importer).
   */
  via?: Via;
  /** With `via: 'http'`: events per request (default 100). */
  requestEvents?: number;
  /** With `via: 's3'`: events per file (default 1000). */
  fileEvents?: number;
  /** With `http` or `s3`: gzip requests or files (default true). */
  gzip?: boolean;
  /** A bundle per ingest function instead of dist/apps/<name>/index.js (tests give fixtures). */
  ingestBundles?: Partial<Record<IngestName, string>>;
  /** Leave the ingest APIs serving after the run (`--keep-running`); the caller stops `PipelineRun.ingest`. */
  keepIngestRunning?: boolean;
  /**
   * Leave the whole pipeline running after the run (`--keep-running`): the consumers keep polling their streams,
   * the importers their queues and the ingest APIs serving, so events sent afterwards (curl, replay, files dropped
   * in the inbox) flow to the sinks; the caller stops it with `PipelineRun.running.stop()`.
   */
  keepRunning?: boolean;
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
  /** The records of its stream it acknowledged: each exactly once when nothing was lost or repeated. */
  delivery: DeliveryCheck;
  /** Successful AWS calls its invocations made, by `<service> <operation>` (from the invocation traces). */
  calls: Record<string, number>;
  /** Put on the raw stream -> the consumer reported the record done (its sink write acknowledged), ms. */
  latencyMs: { p50: number; p99: number; max: number };
}

/** The summary `npm start` prints and writes with `--summary`. */
export interface PipelineSummary {
  produced: number;
  valid: number;
  quarantined: number;
  lost: number;
  duplicated: number;
  ok: boolean;
  consumers: Record<App, ConsumerSummary>;
  verification: Verification;
  wallTimeMs: number;
  /** How the producer sent; with `s3`, the inbox importers' figures. */
  via: Via;
  inbox?: Record<string, ImporterSummary>;
  /** Time spent on setup (topology, build, resources, cold starts) before the first put. */
  setupMs: number;
  /** Valid events / (last sink done - first put), s^-1. */
  eventsPerSecond: number;
  /** Rate the producer achieved, records/s. */
  putRate: number;
  chaos: number;
  seed: number;
  topologyNotes: string[];
  /** Mean data bytes of one record on each stream, as read back at the end of the run; 0 when it carried none. */
  recordBytes: Record<StreamName, number>;
  /** The front door with `via: 'http'`: requests, accepted and refused events, request latency. */
  ingest?: IngestSummary;
}

/** What a run leaves behind for export and `--keep-running`. */
export interface PipelineRun {
  summary: PipelineSummary;
  sinks: SinkContents;
  topology: PipelineTopology;
  /** The ingest APIs, still serving, with `keepIngestRunning` or `keepRunning`. */
  ingest?: IngestFront;
  /**
   * With `keepRunning`: the pipeline, still running, and how to stop it; `inboxEndpoint` is the S3 endpoint whose
   * uploads notify the importers (fauxqs' own does not).
   */
  running?: { stop(): Promise<void>; inboxEndpoint?: string };
}

const CAMPAIGN_COUNT = 20;
/** Chaos shortens function timeouts to this, so an injected hang costs seconds, not Terraform's minutes. */
const CHAOS_FUNCTION_TIMEOUT_SECONDS = 10;

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

/** Per event identity, the first time the producer was told its record was stored. */
function identitiesAt(records: readonly InputRecord[], at: ReadonlyMap<number, number>): Map<string, number> {
  const byIdentity = new Map<string, number>();
  for (const [index, when] of at) {
    const identity = identityOfData(records[index]!.data.toString('base64'));
    if (identity !== undefined && !byIdentity.has(identity)) byIdentity.set(identity, when);
  }
  return byIdentity;
}

/**
 * The records as a producer that retries after timeouts puts them: each, with probability `duplicates`, once
 * more (same data and partition key) 1 to 20 records later, well within enrichment's window.
 */
function withRetries(records: InputRecord[], options: RunPipelineOptions): InputRecord[] {
  const share = options.duplicates ?? 0;
  if (share === 0) return records;
  const random = createPrng(options.seed ^ 0x5eed);
  const later = new Map<number, InputRecord[]>();
  const out: InputRecord[] = [];
  for (const [i, record] of records.entries()) {
    out.push(record, ...(later.get(i) ?? []));
    later.delete(i);
    if (random.chance(share)) {
      const at = Math.min(records.length - 1, i + 1 + random.int(20));
      later.set(at, [...(later.get(at) ?? []), record]);
    }
  }
  for (const rest of later.values()) out.push(...rest);
  return out;
}

function identityOfData(base64: string): string | undefined {
  try {
    return identityOf(JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

/**
 * Wraps a handler to note when each event was reported done and how often each stream record was acknowledged
 * (everything before the lowest failed record).
 */
function tracking(handler: EsmHandler, doneAt: Map<string, number>, acks: Map<string, number>): EsmHandler {
  return async (event, context) => {
    const response = await handler(event, context);
    const now = Date.now();
    noteAcknowledged(acks, event.Records, response);
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

/**
 * The local service holding each kind of resource, as the local stack, the invocation traces and the chaos
 * proxies name it; none for keys (nothing is encrypted locally).
 */
const SERVICE_OF: Record<ResourceKind, keyof LocalStack['endpoints'] | undefined> = {
  stream: 'kinesis',
  table: 'dynamodb',
  'bucket-prefix': 's3',
  queue: 'sqs',
  domain: 'opensearch',
  key: undefined,
};

/** The services of a consumer's own outputs (the common quarantine left out): where it writes what it makes. */
function outputServices(app: App): Set<string> {
  return new Set(outputsOf(app).flatMap((o) => SERVICE_OF[o.kind] ?? []));
}

/** The successful calls of an invocation, counted by `<service> <operation>`. */
function countCalls(calls: Map<string, number>, report: InvocationReport): void {
  for (const call of report.trace.calls) {
    if (call.status < 200 || call.status >= 300) continue;
    const name = `${call.service} ${call.operation}`;
    calls.set(name, (calls.get(name) ?? 0) + 1);
  }
}

/** The calls a consumer made to the services of its outputs, e.g. `PutObject 12`: what its writes cost. */
function outputCalls(app: App, calls: ReadonlyMap<string, number>): string {
  const services = outputServices(app);
  return [...calls]
    .filter(([name]) => services.has(name.split(' ', 1)[0]!))
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name.slice(name.indexOf(' ') + 1)} ${n}`)
    .join(', ');
}

/** The consumers of a run as they start, filled stage by stage so that a failure stops what did start. */
interface RunningConsumers {
  proxies: Partial<Record<App, Record<ProxiedService, ChaosProxy>>>;
  pools: Partial<Record<App, FunctionPool>>;
  mappings: Partial<Record<App, EventSourceMapping>>;
  /** Per consumer, when each event identity was reported done. */
  doneAt: Record<App, Map<string, number>>;
  /** Per consumer, how many times each stream record (`<shardId>:<sequenceNumber>`) was acknowledged. */
  acks: Record<App, Map<string, number>>;
  /** Per consumer, its successful AWS calls by `<service> <operation>`. */
  calls: Record<App, Map<string, number>>;
}

/** What the producer stage leaves for the report. */
interface Production {
  /** Per event identity, when its PutRecords was acknowledged. */
  putAt: Map<string, number>;
  firstPut: number;
  lastPut: number;
}

/**
 * Runs the local pipeline once: resources named as the contract names them, every consumer's bundle behind an
 * emulated event source mapping, a producer at `rate`, then a check of every output the contract declares and of
 * every consumer's deliveries. Resolves with the summary and what the outputs hold.
 *
 * Stages, in order: {@link resolveTopology}, {@link buildBundles}, {@link provision}, {@link startConsumers},
 * {@link produce}, {@link drain}, {@link verify}, {@link report}; {@link stopConsumers} runs whatever happens.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<PipelineRun> {
  const began = Date.now();
  requireServices(options.stack);
  const topology = await resolveTopology(options);
  const via = options.via ?? 'stream';
  const served = servedIngestNames(options.root, via, options.build, options.ingestBundles);
  // Importers run for `--via s3`, and with `keepRunning` so that files dropped in an inbox afterwards are imported.
  const importing = via === 's3' || options.keepRunning ? inboxImporters(topology).map((i) => i.name) : [];
  buildBundles(options, [...served.names, ...importing]);
  topology.notes.push(...served.notes);

  const clients = connect(options.stack);
  const running: RunningConsumers = {
    proxies: {},
    pools: {},
    mappings: {},
    doneAt: perConsumer(),
    acks: perConsumer(),
    calls: perConsumer(),
  };
  let front: IngestFront | undefined;
  let importers: RunningImporters | undefined;
  // The ingest APIs are left serving (`keepIngestRunning`), or the whole pipeline is left running (`keepRunning`).
  let handedOver = false;
  let keptRunning = false;
  /** Stops what the run started, at its end or, when it was left running, when the caller asks. */
  const stopPipeline = async (stopIngest: boolean) => {
    if (stopIngest) await front?.stop();
    await importers?.stop();
    await stopConsumers(running);
    for (const client of Object.values(clients)) client.destroy();
  };
  try {
    const queueUrls = await provision(topology, clients);
    const records = withRetries(options.input ?? generate(options), options);
    let expected = buildExpectations(records);
    await startConsumers(options, topology, clients, queueUrls, running);
    front = await startFrontDoor({
      root: options.root,
      stack: options.stack,
      topology,
      resources: localResources(topology, {
        region: options.stack.region,
        queueUrl: (name) => queueUrls[name]!,
        opensearchEndpoint: options.stack.endpoints.opensearch!,
      }),
      names: served.names,
      ...(options.ingestBundles ? { bundles: options.ingestBundles } : {}),
      logDir: options.logDir,
    });
    if (importing.length > 0) {
      importers = await startInboxImporters({
        stack: options.stack,
        topology,
        clients,
        queueUrls,
        logDir: options.logDir,
        cwd: options.root,
        bundleFor: (name) => options.ingestBundles?.[name] ?? bundleOf(options.root, name),
      });
      topology.notes.push(...importers.notes);
    }
    const setupMs = Date.now() - began;

    const progress = watchProgress(options, running, records.length);
    let production: Production;
    let ingest: IngestSummary | undefined;
    if (via === 'http') {
      const door = await produceThroughFrontDoor(front!, records, {
        rate: options.rate,
        requestEvents: options.requestEvents ?? 100,
        gzip: options.gzip ?? true,
        onAccepted: progress.count,
      });
      expected = door.expected;
      ingest = door.summary;
      production = {
        putAt: identitiesAt(records, door.http.acceptedAt),
        firstPut: door.http.firstPut,
        lastPut: door.http.lastPut,
      };
    } else if (via === 's3' && importers) {
      production = await produceToInboxes(options, importers, records, progress.count);
      await importers.drain();
    } else {
      production = await produce(options, topology, clients, records, progress.count);
    }
    await drain(running, options.keepRunning === true);
    progress.stop();

    const { sinks, verification, deliveries, recordBytes } = await verify(
      options,
      topology,
      clients,
      queueUrls,
      expected,
      running,
    );
    const summary = report({
      options,
      topology,
      running,
      expected,
      production,
      verification,
      deliveries,
      recordBytes,
      began,
      setupMs,
      via,
      ...(importers ? { inbox: importers.summary() } : {}),
    });
    if (ingest) {
      summary.ingest = ingest;
      summary.ok &&= ingest.refusedValid === 0;
    }
    keptRunning = options.keepRunning === true;
    handedOver = (keptRunning || options.keepIngestRunning === true) && front !== undefined;
    return {
      summary,
      sinks,
      topology,
      ...(handedOver ? { ingest: front } : {}),
      ...(keptRunning
        ? {
            running: {
              stop: () => stopPipeline(true),
              ...(importers ? { inboxEndpoint: importers.s3Endpoint } : {}),
            },
          }
        : {}),
    };
  } finally {
    if (!keptRunning) await stopPipeline(!handedOver);
  }
}

/** Fails before anything starts when the stack lacks a service holding a kind of resource the contract declares. */
function requireServices(stack: LocalStack): void {
  const kinds: ResourceKind[] = [
    'stream',
    ...Object.values(contract.resources).map((r) => r.kind as ResourceKind),
  ];
  for (const service of new Set(kinds.flatMap((kind) => SERVICE_OF[kind] ?? []))) {
    if (!stack.endpoints[service]) throw new Error(`the local stack runs no ${service}`);
  }
}

/** Stage 1: the topology the pipeline contract declares, named for this run. */
async function resolveTopology(options: RunPipelineOptions): Promise<PipelineTopology> {
  return localTopology({
    root: options.root,
    ...(options.namePrefix ? { namePrefix: options.namePrefix } : {}),
    ...(options.shards !== undefined ? { shards: options.shards } : {}),
  });
}

/** Stage 2: the consumers' bundles and the served ingest functions' (unless given), built when asked. */
function buildBundles(options: RunPipelineOptions, ingest: readonly IngestName[]): void {
  const projects = [...APPS, ...ingest.filter((name) => options.ingestBundles?.[name] === undefined)];
  if (options.build) {
    options.progress?.(`building the ${projects.length} apps (nx run-many -t build)...`);
    execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...projects], {
      cwd: options.root,
      stdio: 'inherit',
    });
  }
  for (const app of projects) {
    const bundle = bundleOf(options.root, app);
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: build the apps first`);
  }
}

function bundleOf(root: string, app: App | IngestName): string {
  return join(root, 'dist', 'apps', app, 'index.js');
}

/**
 * Stage 3: every stream, table, bucket and queue of the contract as Terraform names them, and the reference data
 * enrichment looks campaigns up in. Resolves with the queue URLs by queue name.
 */
async function provision(topology: PipelineTopology, clients: Clients): Promise<Record<string, string>> {
  const queueUrls = await createResources(topology, clients);
  await seedReferenceData(topology, clients.dynamodb);
  return queueUrls;
}

function arnOf(stack: LocalStack, queue: string): string {
  return `arn:aws:sqs:${stack.region}:${LOCAL_ACCOUNT_ID}:${queue}`;
}

/**
 * Stage 4: per consumer, chaos proxies in front of the services it calls (faults only on those of its outputs), a
 * pool of execution environments running its bundle with its Terraform environment (warmed: cold starts happen
 * before the first put), and an emulated event source mapping with its Terraform settings, started.
 */
async function startConsumers(
  options: RunPipelineOptions,
  topology: PipelineTopology,
  clients: Clients,
  queueUrls: Record<string, string>,
  running: RunningConsumers,
): Promise<void> {
  const { stack } = options;
  const stackEnv = stack.env();
  const random = createPrng(options.seed ^ 0x5eed);
  const chance = () => random.next();
  mkdirSync(options.logDir, { recursive: true });

  for (const app of APPS) {
    const consumer = topology.consumers[app];
    const faulty = outputServices(app);
    const proxies = {} as Record<ProxiedService, ChaosProxy>;
    running.proxies[app] = proxies;
    for (const service of ['dynamodb', 's3', 'opensearch', 'sqs'] as const) {
      proxies[service] = await startChaosProxy({
        service,
        target: stack.endpoints[service]!,
        // Quarantine and reference reads stay clean: chaos targets what the consumer writes.
        probability: faulty.has(service) ? options.chaos : 0,
        random: chance,
      });
    }
    const resources = localResources(topology, {
      region: stack.region,
      queueUrl: (name) => queueUrls[name]!,
      opensearchEndpoint: proxies.opensearch.endpoint,
    });
    const environment: Record<string, string> = {
      ...stackEnv,
      ...consumerEnvironment(app, topology, resources),
      AWS_ENDPOINT_URL_DYNAMODB: proxies.dynamodb.endpoint,
      AWS_ENDPOINT_URL_S3: proxies.s3.endpoint,
      AWS_ENDPOINT_URL_SQS: proxies.sqs.endpoint,
    };
    running.pools[app] = new FunctionPool({
      functionName: app,
      bundle: bundleOf(options.root, app),
      environment,
      memorySize: consumer.memorySize,
      logFile: join(options.logDir, `${app}.log`),
      cwd: options.root,
      onInvocation: (report) => countCalls(running.calls[app], report),
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
  await Promise.all(APPS.map((app) => running.pools[app]!.warm()));

  const urlByArn = new Map(Object.entries(queueUrls).map(([name, url]) => [arnOf(stack, name), url]));
  for (const app of APPS) {
    const consumer = topology.consumers[app];
    const timeout =
      options.chaos > 0
        ? Math.min(consumer.timeoutSeconds, CHAOS_FUNCTION_TIMEOUT_SECONDS)
        : consumer.timeoutSeconds;
    running.mappings[app] = new EventSourceMapping({
      kinesis: clients.kinesis,
      streamName: topology.streams[consumer.stream].name,
      functionName: app,
      handler: tracking(running.pools[app]!.handler, running.doneAt[app], running.acks[app]),
      functionTimeoutSeconds: timeout,
      memoryLimitInMB: consumer.memorySize,
      settings: {
        ...consumer.settings,
        destination_config: { on_failure: { destination_arn: arnOf(stack, consumer.onFailureQueue) } },
      },
      sqs: clients.sqs,
      destinationQueueUrlFor: (arn) => urlByArn.get(arn) ?? arn,
    });
  }
  for (const app of APPS) await running.mappings[app]!.start();
}

/** Stage 5: PutRecords of up to 500 entries on the raw stream, paced to `rate`. */
async function produce(
  options: RunPipelineOptions,
  topology: PipelineTopology,
  clients: Clients,
  records: readonly InputRecord[],
  onPut: (count: number) => void,
): Promise<Production> {
  const putAt = new Map<string, number>();
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
        onPut(refs.length);
        for (const ref of refs as Array<string | undefined>)
          if (ref !== undefined && !putAt.has(ref)) putAt.set(ref, now);
      },
    });
    putFailures += failed.length;
  }
  if (putFailures > 0) throw new Error(`${putFailures} records could not be put on the raw stream`);
  return { putAt, firstPut, lastPut: Date.now() };
}

/**
 * Stage 5 with `--via s3`: the records as NDJSON files in every importer's inbox, each event identity noted as
 * put when S3 stored its file (its latency then includes the import).
 */
async function produceToInboxes(
  options: RunPipelineOptions,
  importers: RunningImporters,
  records: readonly InputRecord[],
  onPut: (count: number) => void,
): Promise<Production> {
  const putAt = new Map<string, number>();
  const firstPut = Date.now();
  await produceFiles(options.stack, importers, records, {
    fileEvents: options.fileEvents ?? 1000,
    gzip: options.gzip ?? true,
    rate: options.rate,
    runId: `run-${options.seed}-${firstPut}`,
    onStored: (stored, at) => {
      onPut(stored.length);
      for (const r of stored) {
        const ref = identityOfData(r.data.toString('base64'));
        if (ref !== undefined && !putAt.has(ref)) putAt.set(ref, at);
      }
    },
  });
  return { putAt, firstPut, lastPut: Date.now() };
}

/**
 * Stage 6: waits until every mapping is idle, stage by stage of the stream graph (a consumer of a stream another
 * consumer writes drains after it: only then is its stream complete), then stops them.
 */
async function drain(running: RunningConsumers, keepPolling = false): Promise<void> {
  const idle = { idleMs: 1500, timeoutMs: 15 * 60_000 };
  for (const stage of consumerStages()) {
    await Promise.all(stage.map((app) => running.mappings[app]!.drain(idle)));
  }
  // Idle, the mappings change nothing the check reads; with `keepRunning` they go on polling for what comes next.
  if (!keepPolling) for (const app of APPS) await running.mappings[app]!.stop();
}

/**
 * Stage 7: reads every stream whole, to check that each consumer acknowledged each record of its stream exactly
 * once (the check every consumer gets, whether it writes anything or not), then every output the contract
 * declares with the reader of its format, and checks each against what was put with the check of its format.
 */
async function verify(
  options: RunPipelineOptions,
  topology: PipelineTopology,
  clients: Clients,
  queueUrls: Record<string, string>,
  expected: Expectations,
  running: RunningConsumers,
): Promise<{
  sinks: SinkContents;
  verification: Verification;
  deliveries: Record<App, DeliveryCheck>;
  recordBytes: Record<StreamName, number>;
}> {
  const streams = new Map<string, StreamRecord[]>();
  for (const stream of streamNames) {
    const { name } = topology.streams[stream];
    streams.set(name, await readStream(clients.kinesis, name));
  }
  const recordsOf = (stream: StreamName) => streams.get(topology.streams[stream].name)!;
  const deliveries = Object.fromEntries(
    APPS.map((app) => [
      app,
      checkDeliveries(
        new Set(recordsOf(topology.consumers[app].stream).map((r) => r.key)),
        running.acks[app],
      ),
    ]),
  ) as Record<App, DeliveryCheck>;
  const resources = localResources(topology, {
    region: options.stack.region,
    queueUrl: (name) => queueUrls[name]!,
    opensearchEndpoint: options.stack.endpoints.opensearch!,
  });
  const sinks = await readSinks(
    pipelineOutputs(),
    resources,
    { s3: clients.s3, dynamodb: clients.dynamodb, sqs: clients.sqs, streamRecords: streams },
    Object.fromEntries(APPS.map((a) => [a, queueUrls[topology.consumers[a].onFailureQueue]!])),
  );
  const inputs: readonly string[] = inputStreams();
  const quarantiners = APPS.filter((app) => inputs.includes(contract.consumers[app].stream));
  const recordBytes = Object.fromEntries(
    streamNames.map((stream) => [stream, meanBytes(recordsOf(stream).map((r) => r.data.length))]),
  ) as Record<StreamName, number>;
  return { sinks, verification: verifySinks(expected, sinks, quarantiners), deliveries, recordBytes };
}

/** Everything {@link report} summarises. */
interface ReportInput {
  options: RunPipelineOptions;
  topology: PipelineTopology;
  running: RunningConsumers;
  expected: Expectations;
  production: Production;
  verification: Verification;
  deliveries: Record<App, DeliveryCheck>;
  recordBytes: Record<StreamName, number>;
  began: number;
  setupMs: number;
  via: Via;
  inbox?: Record<string, ImporterSummary>;
}

/** Stage 8: the summary: the verification, per consumer figures and latencies, rates. */
function report(input: ReportInput): PipelineSummary {
  const { options, running, expected, production, verification, deliveries } = input;
  const validIds = new Set(expected.valid.map((e) => e.identity));
  let lastDone = production.lastPut;
  const consumers = {} as Record<App, ConsumerSummary>;
  for (const app of APPS) {
    const latencies: number[] = [];
    for (const [identity, at] of running.doneAt[app]) {
      const put = production.putAt.get(identity);
      if (put === undefined || !validIds.has(identity)) continue;
      latencies.push(at - put);
      if (at > lastDone) lastDone = at;
    }
    latencies.sort((a, b) => a - b);
    consumers[app] = summariseConsumer(
      running.mappings[app]!.metrics(),
      running.pools[app]!.stats,
      running.proxies[app]!,
      latencies,
      deliveries[app],
      running.calls[app],
    );
  }
  const ok =
    verification.lost === 0 &&
    verification.duplicated === 0 &&
    verification.mismatches === 0 &&
    Object.values(deliveries).every((d) => d.missing === 0 && d.repeated === 0) &&
    Object.values(input.inbox ?? {}).every(
      (i) => i.discarded.RetriesExhausted + i.discarded.EventAgeExceeded === 0,
    );
  const { firstPut, lastPut } = production;
  return {
    produced: expected.produced,
    valid: verification.valid,
    quarantined: verification.quarantined,
    lost: verification.lost,
    duplicated: verification.duplicated,
    ok,
    consumers,
    verification,
    via: input.via,
    ...(input.inbox ? { inbox: input.inbox } : {}),
    wallTimeMs: Date.now() - input.began,
    setupMs: input.setupMs,
    eventsPerSecond: round(verification.valid / Math.max(0.001, (lastDone - firstPut) / 1000)),
    putRate: round(expected.produced / Math.max(0.001, (lastPut - firstPut) / 1000)),
    chaos: options.chaos,
    seed: options.seed,
    topologyNotes: input.topology.notes,
    recordBytes: input.recordBytes,
  };
}

function summariseConsumer(
  m: MappingMetrics,
  s: FunctionPoolStats,
  proxies: Record<ProxiedService, ChaosProxy>,
  sortedLatencies: number[],
  delivery: DeliveryCheck,
  calls: ReadonlyMap<string, number>,
): ConsumerSummary {
  const faults = Object.values(proxies).reduce((n, p) => n + p.stats.faultsBefore + p.stats.faultsAfter, 0);
  return {
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
    delivery,
    calls: Object.fromEntries(calls),
    latencyMs: {
      p50: percentile(sortedLatencies, 0.5),
      p99: percentile(sortedLatencies, 0.99),
      max: sortedLatencies.at(-1) ?? 0,
    },
  };
}

/** Always last: stops whatever {@link startConsumers} started, mappings first so nothing invokes a stopped pool. */
async function stopConsumers(running: RunningConsumers): Promise<void> {
  await Promise.allSettled(Object.values(running.mappings).map((m) => m.stop()));
  await Promise.allSettled(Object.values(running.pools).map((p) => p.stop()));
  await Promise.allSettled(
    Object.values(running.proxies).flatMap((proxies) => Object.values(proxies).map((p) => p.stop())),
  );
}

function perConsumer(): Record<App, Map<string, number>> {
  return Object.fromEntries(APPS.map((app) => [app, new Map<string, number>()])) as Record<
    App,
    Map<string, number>
  >;
}

function meanBytes(sizes: readonly number[]): number {
  return sizes.length === 0 ? 0 : Math.round(sizes.reduce((sum, n) => sum + n, 0) / sizes.length);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * The live progress line, once per second while producing and draining, and once more at the end; `count` adds
 * records acknowledged by PutRecords.
 */
function watchProgress(
  options: RunPipelineOptions,
  running: RunningConsumers,
  total: number,
): { count: (put: number) => void; stop: () => void } {
  let put = 0;
  const last = {} as Record<App, { out: number; at: number }>;
  const print = () => {
    if (!options.progress) return;
    const now = Date.now();
    const lines = [`put ${put}/${total}`];
    for (const app of APPS) {
      const m = running.mappings[app]!.metrics();
      const before = last[app] ?? { out: 0, at: now - 1000 };
      const rate = ((m.recordsOut - before.out) * 1000) / Math.max(1, now - before.at);
      last[app] = { out: m.recordsOut, at: now };
      const proxies = running.proxies[app]!;
      lines.push(
        `  ${app.padEnd(19)} ${rate.toFixed(0).padStart(5)} rec/s  out ${String(m.recordsOut).padStart(6)}  ` +
          `age ${String(m.iteratorAgeMs).padStart(5)} ms  err ${m.errors}  retries ${m.retries}  ` +
          `quarantined ${proxies.sqs.stats.messagesSent}  ${outputCalls(app, running.calls[app])}`,
      );
    }
    options.progress(lines.join('\n'));
  };
  const timer = options.progress ? setInterval(print, 1000) : undefined;
  return {
    count: (n) => {
      put += n;
    },
    stop: () => {
      if (timer) clearInterval(timer);
      print();
    },
  };
}
