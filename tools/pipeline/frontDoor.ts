/**
 * The pipeline's front door on the local stack: which HTTP API ingest functions `npm start` serves, and the
 * producer stage through them (`--via http`).
 */
import { existsSync } from 'node:fs';
import type { IngestName, ResourceMap } from '@shardline/contract';
import type { LocalStack } from '@shardline/local-stack';
import { buildExpectations, type Expectations } from './expectations';
import { startIngestApis, type IngestFront } from './ingestApis';
import { hasApp, httpIngestNames, ingestBundleOf } from './ingestFunctions';
import type { PipelineTopology } from './localTopology';
import type { Via } from './parseStartArgs';
import { percentile } from './percentile';
import { produceViaHttp, type HttpProduction } from './produceViaHttp';
import type { InputRecord } from './readInputFile';

/** What the front door did in a run, for the summary. */
export interface IngestSummary {
  /** The API the load went through. */
  eventsUrl: string;
  requestEvents: number;
  gzip: boolean;
  requests: number;
  /** Events the API answered stored. */
  accepted: number;
  /** Events refused at the door (never stored), by reason. */
  refused: Record<string, number>;
  /** Refused events that the consumers would have found valid: the door lost them. */
  refusedValid: number;
  /** Events sent again after a retryable answer. */
  resent: number;
  statuses: Record<number, number>;
  /** Request latency at the producer, ms. */
  latencyMs: { p50: number; p99: number; max: number };
  /** Events answered stored per second of producing. */
  eventsPerSecond: number;
}

/**
 * Ingest functions a run serves: those whose bundle is given, exists, or is about to be built from its app.
 * The others are noted; with `--via http` a missing one is an error.
 */
export function servedIngestNames(
  root: string,
  via: Via,
  build: boolean,
  bundles: Partial<Record<IngestName, string>> = {},
): { names: IngestName[]; notes: string[] } {
  const names: IngestName[] = [];
  const notes: string[] = [];
  for (const name of httpIngestNames) {
    const app = hasApp(root, name);
    if (bundles[name] !== undefined || existsSync(ingestBundleOf(root, name)) || (build && app)) {
      names.push(name);
      continue;
    }
    const why = app ? `${ingestBundleOf(root, name)} is not built` : `apps/${name} does not exist yet`;
    if (via === 'http') throw new Error(`--via http: the contract declares ${name}, but ${why}`);
    notes.push(`${name} not served: ${why}`);
  }
  return { names, notes };
}

/** Options of {@link startFrontDoor}. */
export interface FrontDoorOptions {
  root: string;
  stack: LocalStack;
  topology: PipelineTopology;
  resources: ResourceMap;
  names: readonly IngestName[];
  bundles?: Partial<Record<IngestName, string>>;
  logDir: string;
}

/** Stage 4b: the HTTP API ingest functions behind emulated APIs (none when `names` is empty). */
export async function startFrontDoor(options: FrontDoorOptions): Promise<IngestFront | undefined> {
  if (options.names.length === 0) return undefined;
  return startIngestApis({
    root: options.root,
    topology: options.topology,
    resources: options.resources,
    stackEnv: options.stack.env(),
    region: options.stack.region,
    names: options.names,
    ...(options.bundles ? { bundles: options.bundles } : {}),
    logDir: options.logDir,
  });
}

/** What {@link produceThroughFrontDoor} hands to the rest of the run. */
export interface FrontDoorProduction {
  http: HttpProduction;
  /** The sinks' expectations: the accepted records only (refused ones never reached the stream). */
  expected: Expectations;
  summary: IngestSummary;
}

/**
 * Stage 5 with `--via http`: the load through the first HTTP API (NDJSON, `requestEvents` per request, gzip),
 * then the expectations from what the API accepted. Refused events are accounted as refused, and those the
 * consumers would have found valid as `refusedValid` (lost at the door).
 * @throws {Error} when events could not be stored after every attempt, as the stream producer does.
 */
export async function produceThroughFrontDoor(
  front: IngestFront,
  records: readonly InputRecord[],
  options: { rate: number; requestEvents: number; gzip: boolean; onAccepted: (count: number) => void },
): Promise<FrontDoorProduction> {
  const api = front.apis[0]!;
  const http = await produceViaHttp({
    eventsUrl: api.eventsUrl,
    token: front.token,
    records,
    rate: options.rate,
    requestEvents: options.requestEvents,
    gzip: options.gzip,
    onAccepted: (indexes) => options.onAccepted(indexes.length),
  });
  if (http.failed.length > 0)
    throw new Error(`${http.failed.length} events could not be stored through ${api.eventsUrl}`);
  const accepted = records.filter((_, i) => http.acceptedAt.has(i));
  const refusedRecords = http.refused.map((r) => records[r.index]!);
  const refused: Record<string, number> = {};
  for (const r of http.refused) refused[r.reason] = (refused[r.reason] ?? 0) + 1;
  const seconds = Math.max(0.001, (http.lastPut - http.firstPut) / 1000);
  return {
    http,
    expected: { ...buildExpectations(accepted), produced: records.length },
    summary: {
      eventsUrl: api.eventsUrl,
      requestEvents: options.requestEvents,
      gzip: options.gzip,
      requests: http.requests,
      accepted: accepted.length,
      refused,
      refusedValid: buildExpectations(refusedRecords).valid.length,
      resent: http.resent,
      statuses: http.statuses,
      latencyMs: {
        p50: Math.round(percentile(http.latencyMs, 0.5)),
        p99: Math.round(percentile(http.latencyMs, 0.99)),
        max: Math.round(http.latencyMs.at(-1) ?? 0),
      },
      eventsPerSecond: Math.round((accepted.length / seconds) * 10) / 10,
    },
  };
}
