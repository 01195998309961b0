import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

/** One archive object. */
export interface ArchiveObject {
  key: string;
  bytes: number;
  records: number;
}

/** One aggregate item, as exported. */
export interface AggregateRow {
  campaignId: string;
  type: string;
  windowStart: string;
  count: number;
  revenueMicros: string;
}

/** One OpenSearch document. */
export interface IndexedDocument {
  _index: string;
  _id: string;
  _source: Record<string, unknown>;
}

/** Everything the sinks hold. */
export interface SinkContents {
  archiveObjects: ArchiveObject[];
  /** Every line of every archive object, decompressed. */
  archiveLines: string[];
  documents: IndexedDocument[];
  aggregates: AggregateRow[];
  /** Quarantine messages as received. */
  quarantine: string[];
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

async function readArchive(s3: S3Client, bucket: string, prefix: string) {
  const archiveObjects: ArchiveObject[] = [];
  const archiveLines: string[] = [];
  for (const { key, bytes } of await listObjects(s3, bucket, `${prefix}/`)) {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const lines = await gunzipLines(object.Body as Readable);
    archiveObjects.push({ key, bytes, records: lines.length });
    archiveLines.push(...lines);
  }
  return { archiveObjects, archiveLines };
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

async function readAggregates(dynamodb: DynamoDBClient, table: string): Promise<AggregateRow[]> {
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

/** Where the sinks are. */
export interface SinkLocations {
  s3: S3Client;
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  openSearchEndpoint: string;
  bucket: string;
  archivePrefix: string;
  indexPrefix: string;
  aggregatesTable: string;
  quarantineQueueUrl: string;
  onFailureQueueUrls: Record<string, string>;
}

/** Reads every sink whole (the local sinks are small; this is not meant for AWS-sized data). */
export async function readSinks(at: SinkLocations): Promise<SinkContents> {
  const [archive, documents, aggregates, quarantine] = await Promise.all([
    readArchive(at.s3, at.bucket, at.archivePrefix),
    readIndex(at.openSearchEndpoint, at.indexPrefix),
    readAggregates(at.dynamodb, at.aggregatesTable),
    drainQueue(at.sqs, at.quarantineQueueUrl),
  ]);
  const onFailure: Record<string, string[]> = {};
  for (const [consumer, url] of Object.entries(at.onFailureQueueUrls)) {
    onFailure[consumer] = await drainQueue(at.sqs, url);
  }
  return { ...archive, documents, aggregates, quarantine, onFailure };
}
