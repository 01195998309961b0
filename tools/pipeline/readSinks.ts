import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { OutputFormat, PipelineOutput, ResourceMap } from '@shardline/contract';
import type { StreamRecord } from './deliveries';

/** One object of an `ndjson-gzip` output. */
export interface ArchiveObject {
  key: string;
  bytes: number;
  records: number;
}

/** One item of a `minute-counters` output, as exported. */
export interface AggregateRow {
  campaignId: string;
  type: string;
  windowStart: string;
  count: number;
  revenueMicros: string;
}

/** One document of a `documents` output. */
export interface IndexedDocument {
  _index: string;
  _id: string;
  _source: Record<string, unknown>;
}

/** What an output holds, by format. */
export interface ContentsByFormat {
  /** Every object, and every line of every object, decompressed. */
  'ndjson-gzip': { objects: ArchiveObject[]; lines: string[] };
  documents: { documents: IndexedDocument[] };
  'minute-counters': { rows: AggregateRow[] };
  /** The data of every stream record, as UTF-8. */
  'json-records': { records: string[] };
  /**
   * Every message as received, except that one stored in the overflow bucket prefix is replaced by the stored
   * message (which holds `data`); `unresolved` are the `dataLocation`s that could not be read or lie outside it.
   */
  'quarantine-messages': { messages: string[]; fromOverflow: number; unresolved: string[] };
}

/** One output of the pipeline and what it holds. */
export type OutputContents = {
  [F in OutputFormat]: { format: F; output: PipelineOutput & { format: F }; contents: ContentsByFormat[F] };
}[OutputFormat];

/** Everything the outputs hold at the end of a run. */
export interface SinkContents {
  outputs: OutputContents[];
  /** On-failure destination messages, per consumer. */
  onFailure: Record<string, string[]>;
}

/** Every line of a gzip NDJSON stream. */
export async function gunzipLines(body: Readable): Promise<string[]> {
  const lines: string[] = [];
  const reader = createInterface({ input: body.pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of reader) if (line.length > 0) lines.push(line);
  return lines;
}

/** Lists every object under a prefix. */
export async function listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<Array<{ key: string; bytes: number }>> {
  const objects: Array<{ key: string; bytes: number }> = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) objects.push({ key: o.Key!, bytes: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

async function readObjects(s3: S3Client, bucket: string, prefix: string) {
  const archiveObjects: ArchiveObject[] = [];
  const archiveLines: string[] = [];
  for (const { key, bytes } of await listObjects(s3, bucket, `${prefix}/`)) {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const lines = await gunzipLines(object.Body as Readable);
    archiveObjects.push({ key, bytes, records: lines.length });
    archiveLines.push(...lines);
  }
  return { objects: archiveObjects, lines: archiveLines };
}

async function readIndex(endpoint: string, indexPrefix: string): Promise<IndexedDocument[]> {
  const pattern = `${indexPrefix}-*`;
  await fetch(`${endpoint}/${pattern}/_refresh`, { method: 'POST' });
  const documents: IndexedDocument[] = [];
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${endpoint}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`OpenSearch ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as { _scroll_id?: string; hits: { hits: IndexedDocument[] } };
  };
  let page = await post(`/${pattern}/_search?scroll=1m&allow_no_indices=true`, {
    size: 1000,
    sort: ['_doc'],
    query: { match_all: {} },
  });
  while (page.hits.hits.length > 0) {
    for (const hit of page.hits.hits)
      documents.push({ _index: hit._index, _id: hit._id, _source: hit._source });
    if (!page._scroll_id) break;
    page = await post('/_search/scroll', { scroll: '1m', scroll_id: page._scroll_id });
  }
  if (page._scroll_id) {
    await fetch(`${endpoint}/_search/scroll`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scroll_id: page._scroll_id }),
    });
  }
  return documents;
}

async function readCounters(dynamodb: DynamoDBClient, table: string): Promise<AggregateRow[]> {
  const rows: AggregateRow[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      rows.push({
        campaignId: item.campaignId?.S ?? '',
        type: item.eventType?.S ?? '',
        windowStart: item.windowStart?.S ?? '',
        count: Number(item.eventCount?.N ?? 0),
        revenueMicros: item.revenueMicros?.N ?? '0',
      });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return rows;
}

/** Drains a queue: receives until it answers empty, hiding what it received for the rest of the run. */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (let empty = 0; empty < 2;) {
    const page = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 3600,
        WaitTimeSeconds: 0,
      }),
    );
    const messages = page.Messages ?? [];
    if (messages.length === 0) empty++;
    for (const m of messages) bodies.push(m.Body ?? '');
  }
  return bodies;
}

/**
 * `s3://bucket/key` -> its parts, when it lies under `prefix/` of `bucket`: a message's text picks no other object.
 *
 * @example
 * ```ts
 * overflowObject('s3://b/quarantine-overflow/enrichment/x.json', { bucket: 'b', prefix: 'quarantine-overflow' });
 * // { bucket: 'b', key: 'quarantine-overflow/enrichment/x.json' }
 * ```
 */
export function overflowObject(
  location: unknown,
  at: { bucket: string; prefix: string },
): { bucket: string; key: string } | undefined {
  if (typeof location !== 'string' || !location.startsWith('s3://')) return undefined;
  const [bucket, ...rest] = location.slice('s3://'.length).split('/');
  const key = rest.join('/');
  const segments = key.split('/');
  const inside =
    bucket === at.bucket &&
    key.startsWith(`${at.prefix}/`) &&
    !segments.includes('..') &&
    !segments.includes('.');
  return inside ? { bucket, key } : undefined;
}

/**
 * Drains the quarantine queue and follows each message stored in the overflow bucket prefix (a message too large
 * for SQS is kept whole there; the queue's copy has `dataLocation` instead of `data`), so that every message read
 * holds the record's data.
 */
async function readQuarantine(
  io: SinkReaders,
  queueUrl: string,
  overflow: { bucket: string; prefix: string } | undefined,
): Promise<ContentsByFormat['quarantine-messages']> {
  const contents: ContentsByFormat['quarantine-messages'] = { messages: [], fromOverflow: 0, unresolved: [] };
  for (const body of await drainQueue(io.sqs, queueUrl)) {
    let location: unknown;
    try {
      location = (JSON.parse(body) as { dataLocation?: unknown }).dataLocation;
    } catch {
      location = undefined;
    }
    if (location === undefined) {
      contents.messages.push(body);
      continue;
    }
    const object = overflow && overflowObject(location, overflow);
    if (!object) {
      contents.unresolved.push(String(location));
      contents.messages.push(body);
      continue;
    }
    try {
      const stored = await io.s3.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key }));
      contents.messages.push(await stored.Body!.transformToString('utf8'));
      contents.fromOverflow++;
    } catch {
      contents.unresolved.push(String(location));
      contents.messages.push(body);
    }
  }
  return contents;
}

/** The clients and reads the output readers share. */
export interface SinkReaders {
  s3: S3Client;
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  /** Every record of each stream, by its local name, read once for the whole check. */
  streamRecords: ReadonlyMap<string, readonly StreamRecord[]>;
}

type Reader<F extends OutputFormat> = (
  output: PipelineOutput & { format: F },
  at: Readonly<Record<string, string>>,
  resources: ResourceMap,
  io: SinkReaders,
) => Promise<ContentsByFormat[F]>;

/** One reader per output format: what an output of that format holds, whichever consumer writes it. */
const READERS: { [F in OutputFormat]: Reader<F> } = {
  'ndjson-gzip': (_, at, __, io) => readObjects(io.s3, at.bucket!, at.prefix!),
  documents: async (_, at) => ({ documents: await readIndex(at.endpoint!, at['index-prefix']!) }),
  'minute-counters': async (_, at, __, io) => ({ rows: await readCounters(io.dynamodb, at.name!) }),
  'json-records': async (_, at, __, io) => {
    const records = io.streamRecords.get(at.name!);
    if (!records) throw new Error(`stream ${at.name} was not read`);
    return { records: records.map((r) => Buffer.from(r.data).toString('utf8')) };
  },
  'quarantine-messages': (output, at, resources, io) => {
    const overflow = output.overflow === undefined ? undefined : resources['bucket-prefix'][output.overflow];
    return readQuarantine(
      io,
      at.url!,
      overflow ? { bucket: overflow.bucket!, prefix: overflow.prefix! } : undefined,
    );
  },
};

/**
 * Reads every output whole, each with the reader of its format, and every consumer's on-failure queue (the local
 * outputs are small; this is not meant for AWS-sized data).
 *
 * @param resources where each output is, as the local stack names it (with OpenSearch's own endpoint).
 * @param onFailureQueueUrls each consumer's on-failure queue.
 */
export async function readSinks(
  outputs: readonly PipelineOutput[],
  resources: ResourceMap,
  io: SinkReaders,
  onFailureQueueUrls: Record<string, string>,
): Promise<SinkContents> {
  const read = async <F extends OutputFormat>(output: PipelineOutput & { format: F }) => {
    const at = resources[output.kind][output.name];
    if (!at) throw new Error(`no ${output.kind} '${output.name}' on the local stack`);
    const reader = READERS[output.format] as Reader<F>;
    return {
      format: output.format,
      output,
      contents: await reader(output, at, resources, io),
    } as OutputContents;
  };
  const contents = await Promise.all(outputs.map((o) => read(o)));
  const onFailure: Record<string, string[]> = {};
  for (const [consumer, url] of Object.entries(onFailureQueueUrls)) {
    onFailure[consumer] = await drainQueue(io.sqs, url);
  }
  return { outputs: contents, onFailure };
}
