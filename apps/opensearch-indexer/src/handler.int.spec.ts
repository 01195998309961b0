import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { createClient } from '@shardline/aws';
import { useLocalStack, type LocalStack } from '@shardline/local-stack';
import type { KinesisBatchResponse, QuarantineMessage } from '@shardline/middleware';
import { captureMetrics, declaredMetrics, METRICS_AS_DEPLOYED } from '@shardline/middleware/testing';
import { makeLambdaContext, type KinesisRecordData } from '@shardline/records/testing';
import type { EnrichedEvent } from '@shardline/schema';
import { CONSUMER } from './config';
import { documentId } from './documentId';
import { enrichedEvents, kinesisEventOf } from './test-helpers/enrichedEvents';
import { startFaultProxy, type FaultProxy } from './test-helpers/faultProxy';

type Handler = (event: KinesisStreamEvent, context: Context) => Promise<KinesisBatchResponse>;

const DAY_MS = 86_400_000;
// Events over three days of event time, so a batch writes to several daily indices.
const EVENTS = enrichedEvents(300, { seed: 11, timeSpreadMs: 3 * DAY_MS });

let stack: LocalStack;
let openSearch: string;
let sqs: SQSClient;
let queueUrl: string;
const proxies: FaultProxy[] = [];

/** Loads a fresh copy of the handler (its own cold start) with the stack's environment and these overrides. */
function loadHandler(env: Record<string, string>): Handler {
  Object.assign(
    process.env,
    stack.env(),
    {
      QUARANTINE_QUEUE_URL: queueUrl,
      POWERTOOLS_METRICS_NAMESPACE: 'Shardline',
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    env,
  );
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    handler = (require('./handler') as { handler: Handler }).handler;
  });
  return handler!;
}

async function os<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${openSearch}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as T;
}

/** Every document under a prefix, normalised: index suffix, _id and source, sorted by _id. */
async function documents(prefix: string) {
  await os('POST', `/${prefix}-*/_refresh`);
  const result = await os<{ hits: { hits: Array<{ _index: string; _id: string; _source: unknown }> } }>(
    'POST',
    `/${prefix}-*/_search`,
    { size: 10_000, sort: [{ _id: 'asc' }], query: { match_all: {} } },
  );
  return result.hits.hits.map((h) => ({
    day: h._index.slice(prefix.length + 1),
    id: h._id,
    source: h._source,
  }));
}

async function drainQuarantine(): Promise<QuarantineMessage[]> {
  const messages: QuarantineMessage[] = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (!Messages || Messages.length === 0) return messages;
    messages.push(...Messages.map((m) => JSON.parse(m.Body!) as QuarantineMessage));
  }
}

const payloads = (events: readonly EnrichedEvent[]) => events as unknown as KinesisRecordData[];

let clean: Awaited<ReturnType<typeof documents>>;

beforeAll(async () => {
  stack = await useLocalStack(['opensearch', 'sqs']);
  openSearch = stack.endpoints.opensearch!;
  Object.assign(process.env, stack.env());
  sqs = createClient(SQSClient);
  ({ QueueUrl: queueUrl } = (await sqs.send(new CreateQueueCommand({ QueueName: 'indexer-quarantine' }))) as {
    QueueUrl: string;
  });
  const handler = loadHandler({ OPENSEARCH_INDEX_PREFIX: 'it-clean' });
  const response = await handler(
    kinesisEventOf(payloads(EVENTS)),
    makeLambdaContext(60_000, 'shardline-opensearch-indexer'),
  );
  expect(response.batchItemFailures).toEqual([]);
  clean = await documents('it-clean');
}, 240_000);

afterAll(async () => {
  for (const proxy of proxies) await proxy.stop();
  sqs?.destroy();
  await stack?.stop();
}, 60_000);

describe('opensearch-indexer against a real OpenSearch', () => {
  it('indexes one document per event identity into daily indices under the template mappings', async () => {
    // Prepare
    const expectedIds = EVENTS.map((e) => documentId(e.source, e.id)).sort();

    // Act
    const mapping = await os<
      Record<
        string,
        {
          mappings: {
            properties: Record<string, { type?: string; properties?: Record<string, { type?: string }> }>;
          };
        }
      >
    >('GET', '/it-clean-*/_mapping');

    // Assess
    expect(clean.map((d) => d.id).sort()).toEqual(expectedIds);
    expect(new Set(clean.map((d) => d.day)).size).toBeGreaterThanOrEqual(3);
    for (const d of clean)
      expect(d.day).toBe((d.source as EnrichedEvent).time.slice(0, 10).replaceAll('-', '.'));
    const properties = Object.values(mapping)[0]!.mappings.properties;
    expect(properties.time!.type).toBe('date');
    expect(properties.id!.type).toBe('keyword');
    expect(properties.data!.properties!.revenueMicros!.type).toBe('long');
    expect(properties.data!.properties!.campaignId!.type).toBe('keyword');
  });

  it('ends with the same documents when a batch is delivered twice', async () => {
    // Prepare
    const handler = loadHandler({ OPENSEARCH_INDEX_PREFIX: 'it-twice' });
    const event = kinesisEventOf(payloads(EVENTS));

    // Act
    const first = await handler(event, makeLambdaContext(60_000, 'shardline-opensearch-indexer'));
    const second = await handler(event, makeLambdaContext(60_000, 'shardline-opensearch-indexer'));

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    expect(await documents('it-twice')).toEqual(clean);
  }, 60_000);

  it('ends with the same documents when a partially failed batch is re-delivered as two smaller batches', async () => {
    // Prepare: three items throttled on every attempt of the first delivery
    const throttle = new Set(
      [EVENTS[40]!, EVENTS[100]!, EVENTS[250]!].map((e) => documentId(e.source, e.id)),
    );
    const proxy = await startFaultProxy(openSearch, () => ({ throttle }));
    proxies.push(proxy);
    const faulty = loadHandler({ OPENSEARCH_INDEX_PREFIX: 'it-recut', OPENSEARCH_ENDPOINT: proxy.url });
    const event = kinesisEventOf(payloads(EVENTS));

    // Act
    const partial = await faulty(event, makeLambdaContext(60_000, 'shardline-opensearch-indexer'));
    const failed = partial.batchItemFailures.map((f) => f.itemIdentifier);
    const checkpoint = event.Records.findIndex((r) => r.kinesis.sequenceNumber === failed[0]);
    const rest = event.Records.slice(checkpoint);
    const half = Math.ceil(rest.length / 2);
    const healthy = loadHandler({ OPENSEARCH_INDEX_PREFIX: 'it-recut' });
    const a = await healthy(
      { Records: rest.slice(0, half) },
      makeLambdaContext(60_000, 'shardline-opensearch-indexer'),
    );
    const b = await healthy(
      { Records: rest.slice(half) },
      makeLambdaContext(60_000, 'shardline-opensearch-indexer'),
    );

    // Assess
    expect(failed).toEqual([40, 100, 250].map((i) => event.Records[i]!.kinesis.sequenceNumber));
    expect(a.batchItemFailures).toEqual([]);
    expect(b.batchItemFailures).toEqual([]);
    expect(await documents('it-recut')).toEqual(clean);
  }, 60_000);

  it('recovers from throttled items and a failed bulk request within the invocation', async () => {
    // Prepare: the first bulk request answers 503, the second throttles every seventh item
    const proxy = await startFaultProxy(openSearch, (ids, call) =>
      call === 1
        ? { status: 503 }
        : call === 2
          ? { throttle: new Set(ids.filter((_, i) => i % 7 === 0)) }
          : undefined,
    );
    proxies.push(proxy);
    const handler = loadHandler({ OPENSEARCH_INDEX_PREFIX: 'it-transient', OPENSEARCH_ENDPOINT: proxy.url });

    // Act
    const response = await handler(
      kinesisEventOf(payloads(EVENTS)),
      makeLambdaContext(60_000, 'shardline-opensearch-indexer'),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(proxy.bulkCalls).toBe(3);
    expect(await documents('it-transient')).toEqual(clean);
  }, 60_000);

  it('quarantines a mapping error and poison records with their reasons and indexes the rest', async () => {
    // Prepare: a schema-valid event whose ingestLagMs overflows the template's long, an undecodable record and a
    // record that fails the schema
    await drainQuarantine();
    const good = EVENTS.slice(0, 50);
    const conflicting = { ...EVENTS[60]!, enrichment: { ...EVENTS[60]!.enrichment, ingestLagMs: 1e300 } };
    const invalid = { ...EVENTS[61]!, type: 'com.example.ad.unknown' };
    const event = kinesisEventOf([
      ...payloads(good.slice(0, 25)),
      conflicting,
      'not json at all',
      invalid,
      ...payloads(good.slice(25)),
    ]);
    const handler = loadHandler({ OPENSEARCH_INDEX_PREFIX: 'it-poison' });

    // Act
    const response = await handler(event, makeLambdaContext(60_000, 'shardline-opensearch-indexer'));
    const quarantined = await drainQuarantine();

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const bySequence = new Map(quarantined.map((q) => [q.sequenceNumber, q]));
    expect(bySequence.size).toBe(3);
    const mappingError = bySequence.get(event.Records[25]!.kinesis.sequenceNumber)!;
    expect(mappingError).toMatchObject({ consumer: 'opensearch-indexer', reason: 'SINK_REJECTED' });
    expect(mappingError.message).toMatch(/OpenSearch answered 400 \w+_exception: .*ingestLagMs/);
    expect(bySequence.get(event.Records[26]!.kinesis.sequenceNumber)!.reason).toBe('JSON_INVALID');
    expect(bySequence.get(event.Records[27]!.kinesis.sequenceNumber)!.reason).toBe('SCHEMA_INVALID');
    const indexed = await documents('it-poison');
    expect(indexed.map((d) => d.id).sort()).toEqual(good.map((e) => documentId(e.source, e.id)).sort());
  }, 60_000);
  it('emits every metric the contract declares for it, with its dimensions, and no other', async () => {
    // Prepare: metrics on and written to stdout, as deployed; a batch with a poison record, and an event that is
    // not a Kinesis batch (an unexpected error: BatchErrors)
    const handler = loadHandler({
      OPENSEARCH_INDEX_PREFIX: 'it-metrics',
      ...METRICS_AS_DEPLOYED,
    });
    const event = kinesisEventOf([...payloads(EVENTS.slice(0, 20)), 'not json at all']);

    // Act
    const emitted = await captureMetrics(async () => {
      const response = await handler(event, makeLambdaContext(60_000, 'shardline-opensearch-indexer'));
      expect(response.batchItemFailures).toEqual([]);
      await expect(
        handler({} as KinesisStreamEvent, makeLambdaContext(60_000, 'shardline-opensearch-indexer')),
      ).rejects.toThrow('no Records array');
    });

    // Assess
    expect(emitted).toEqual(declaredMetrics(CONSUMER));
    await drainQuarantine();
  }, 60_000);
});
