import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { createClient } from '@shardline/aws';
import { useLocalStack, type LocalStack } from '@shardline/local-stack';
import { captureMetrics, declaredMetrics, METRICS_AS_DEPLOYED } from '@shardline/middleware/testing';
import { makeLambdaContext } from '@shardline/records/testing';
import { generateEvents } from '@shardline/schema/testing';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { BATCH, NDJSON } from './constants';
import { bodyOf, httpEvent } from './test-helpers/httpEvent';
import { startKinesisFaultProxy, type KinesisFaultProxy } from './test-helpers/kinesisFaultProxy';
import { readStream } from './test-helpers/readStream';
import type { IngestResponseBody } from './types';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const EVENTS = generateEvents({ count: 40, seed: 21 }).map(
  (g) => g.event as { id: string; source: string; data: { userId: string } },
);
const context = () => makeLambdaContext(29_000, 'shardline-ingest-api');
const batchOf = (events: readonly unknown[]) =>
  httpEvent(JSON.stringify(events), {
    headers: { 'content-type': BATCH },
    claims: { sub: 'app-1', iss: 'https://issuer' },
  });

let stack: LocalStack;
let kinesis: KinesisClient;
const proxies: KinesisFaultProxy[] = [];
let streams = 0;
const original = { ...process.env };

/** A fresh two-shard stream of its own, so the tests share the stack but never a stream. */
async function createStream(): Promise<string> {
  const name = `ingest-api-it-${process.pid}-${++streams}`;
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
  for (;;) {
    const out = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (out.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return name;
    await sleep(20);
  }
}

/** Loads a fresh copy of the handler (its own cold start) with the stack's environment and these overrides. */
function loadHandler(env: Record<string, string>): Handler {
  // Each copy starts from the same environment: one test's overrides never leak into the next.
  for (const name of Object.keys(process.env)) if (!(name in original)) delete process.env[name];
  Object.assign(
    process.env,
    original,
    stack.env(),
    { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_DEV: 'true' },
    env,
  );
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    handler = (require('./handler') as { handler: Handler }).handler;
  });
  return handler!;
}

beforeAll(async () => {
  stack = await useLocalStack(['kinesis']);
  Object.assign(process.env, stack.env());
  kinesis = createClient(KinesisClient);
}, 120_000);

afterAll(async () => {
  for (const proxy of proxies) await proxy.stop();
  kinesis?.destroy();
  await stack?.stop();
}, 60_000);

describe('ingest-api against a real Kinesis (kinesalite)', () => {
  it('stores a batch on the raw stream, each event once, keyed by its user id, before answering 200', async () => {
    // Prepare
    const stream = await createStream();
    const handler = loadHandler({ RAW_STREAM_NAME: stream });

    // Act
    const response = await handler(batchOf(EVENTS), context());
    const stored = await readStream(kinesis, stream);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ accepted: 40, refused: 0, retryable: 0, events: [] });
    expect(stored.map((r) => r.event.id).sort()).toEqual(EVENTS.map((e) => e.id).sort());
    for (const r of stored)
      expect(r.partitionKey).toBe(r.event.data && (r.event.data as { userId: string }).userId);
    expect(new Set(stored.map((r) => r.shardId)).size).toBe(2);
  }, 60_000);

  it('stores the valid lines of a gzip NDJSON body and refuses the others by line, answering 207', async () => {
    // Prepare
    const stream = await createStream();
    const handler = loadHandler({ RAW_STREAM_NAME: stream });
    const lines = EVENTS.slice(0, 5).map((e) => JSON.stringify(e));
    lines.splice(2, 0, '{"id":"no-source","type":"t","specversion":"1.0"}', 'garbage');

    // Act
    const response = await handler(
      httpEvent(lines.join('\n'), { gzip: true, headers: { 'content-type': NDJSON } }),
      context(),
    );
    const stored = await readStream(kinesis, stream);

    // Assess
    expect(response.statusCode).toBe(207);
    expect(bodyOf<IngestResponseBody>(response)).toMatchObject({
      accepted: 5,
      refused: 2,
      retryable: 0,
      events: [
        { status: 'refused', index: 2, line: 3, id: 'no-source', reason: 'MISSING_ATTRIBUTE' },
        { status: 'refused', index: 3, line: 4, reason: 'NOT_JSON' },
      ],
    });
    expect(stored.map((r) => r.event.id).sort()).toEqual(
      EVENTS.slice(0, 5)
        .map((e) => e.id)
        .sort(),
    );
  }, 60_000);

  it('never answers accepted for an event the stream did not store: throttled events come back 429, exactly those', async () => {
    // Prepare: the same five events are throttled on every attempt; the others reach kinesalite
    const stream = await createStream();
    const throttledIds = new Set([3, 9, 10, 22, 39].map((i) => EVENTS[i]!.id));
    const proxy = await startKinesisFaultProxy(stack.endpoints.kinesis!, (records) => ({
      throttle: new Set(records.flatMap((r, i) => (throttledIds.has(JSON.parse(r.text).id) ? [i] : []))),
    }));
    proxies.push(proxy);
    const faulty = loadHandler({ RAW_STREAM_NAME: stream, AWS_ENDPOINT_URL_KINESIS: proxy.url });

    // Act
    const response = await faulty(batchOf(EVENTS), context());
    const body = bodyOf<IngestResponseBody>(response);
    const stored = await readStream(kinesis, stream);

    // Assess
    expect(response.statusCode).toBe(429);
    expect(response.headers).toMatchObject({ 'retry-after': '1' });
    expect(body).toMatchObject({ accepted: 35, refused: 0, retryable: 5 });
    expect(body.events.map((e) => [e.index, e.id, e.status])).toEqual(
      [3, 9, 10, 22, 39].map((i) => [i, EVENTS[i]!.id, 'retryable']),
    );
    const storedIds = new Set(stored.map((r) => r.event.id));
    expect(storedIds.size).toBe(35);
    for (const id of throttledIds) expect(storedIds.has(id)).toBe(false);
    expect(proxy.putRecordsCalls).toBe(3); // the first call and two retries of the throttled five
  }, 60_000);

  it('lets a producer retry exactly the retryable events and ends with every event stored once', async () => {
    // Prepare
    const stream = await createStream();
    const proxy = await startKinesisFaultProxy(stack.endpoints.kinesis!, (records) => ({
      throttle: new Set(records.flatMap((_, i) => (i % 4 === 0 ? [i] : []))),
    }));
    proxies.push(proxy);
    const faulty = loadHandler({
      RAW_STREAM_NAME: stream,
      AWS_ENDPOINT_URL_KINESIS: proxy.url,
      INGEST_PUT_MAX_ATTEMPTS: '1',
    });

    // Act
    const first = bodyOf<IngestResponseBody>(await faulty(batchOf(EVENTS), context()));
    const again = first.events.map((e) => EVENTS[e.index]);
    // The SDK reads its endpoint variable when it first sends: the healthy copy is loaded once the faulty one ran.
    const healthy = loadHandler({
      RAW_STREAM_NAME: stream,
      AWS_ENDPOINT_URL_KINESIS: stack.endpoints.kinesis!,
    });
    const second = await healthy(batchOf(again), context());
    const stored = await readStream(kinesis, stream);

    // Assess
    expect(first).toMatchObject({ accepted: 30, retryable: 10 });
    expect(second.statusCode).toBe(200);
    expect(stored.map((r) => r.event.id).sort()).toEqual(EVENTS.map((e) => e.id).sort());
  }, 60_000);

  it('recovers within the request from a throttled first call, answering 200', async () => {
    // Prepare
    const stream = await createStream();
    const proxy = await startKinesisFaultProxy(stack.endpoints.kinesis!, (_, call) =>
      call === 1 ? { error: 'ProvisionedThroughputExceededException' } : undefined,
    );
    proxies.push(proxy);
    const handler = loadHandler({ RAW_STREAM_NAME: stream, AWS_ENDPOINT_URL_KINESIS: proxy.url });

    // Act
    const response = await handler(batchOf(EVENTS.slice(0, 10)), context());
    const stored = await readStream(kinesis, stream);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(stored).toHaveLength(10);
    expect(proxy.putRecordsCalls).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('answers 503 naming every event when the stream does not exist, storing none', async () => {
    // Prepare
    const handler = loadHandler({ RAW_STREAM_NAME: `ingest-api-it-missing-${process.pid}` });

    // Act
    const response = await handler(batchOf(EVENTS.slice(0, 3)), context());

    // Assess
    expect(response.statusCode).toBe(503);
    expect(bodyOf<IngestResponseBody>(response)).toMatchObject({
      accepted: 0,
      retryable: 3,
      events: [0, 1, 2].map((index) => ({
        index,
        status: 'retryable',
        errorCode: 'ResourceNotFoundException',
      })),
    });
  }, 60_000);

  it('answers hostile requests with their 4xx and stores none of their events', async () => {
    // Prepare: a gzip bomb of 64 members of 16 MiB of zeros each, 1 GiB inflated, about 1 MB sent
    const stream = await createStream();
    const handler = loadHandler({ RAW_STREAM_NAME: stream });
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024));
    const bomb = httpEvent(Buffer.concat(Array.from({ length: 64 }, () => member)), {
      headers: { 'content-type': NDJSON, 'content-encoding': 'gzip' },
    });
    const requests = [
      bomb,
      httpEvent(JSON.stringify(EVENTS[0]), { headers: { 'content-type': 'text/plain' } }),
      batchOf(Array.from({ length: 501 }, () => EVENTS[0])),
      httpEvent('[{"id":', { headers: { 'content-type': BATCH } }),
      batchOf([{ id: 'x' }]),
    ];

    // Act
    const answers = [];
    for (const request of requests) answers.push(await handler(request, context()));
    const stored = await readStream(kinesis, stream);

    // Assess
    expect(
      answers.map((a) => [a.statusCode, bodyOf(a).error ?? bodyOf<IngestResponseBody>(a).events[0]?.reason]),
    ).toEqual([
      [413, 'INFLATED_BODY_TOO_LARGE'],
      [415, 'UNSUPPORTED_MEDIA_TYPE'],
      [413, 'TOO_MANY_EVENTS'],
      [400, 'BODY_NOT_JSON'],
      [400, 'MISSING_ATTRIBUTE'],
    ]);
    expect(stored).toEqual([]);
  }, 60_000);

  it('fails at cold start naming a malformed variable', () => {
    // Act
    const act = () => loadHandler({ RAW_STREAM_NAME: 'no spaces allowed' });

    // Assess
    expect(act).toThrow(/RAW_STREAM_NAME/);
  });

  it('emits every metric the contract declares for it, with its dimensions, and no other', async () => {
    // Prepare: metrics on, as deployed (a cold start: ColdStart); a request with a refused line (per reason).
    const stream = await createStream();
    const handler = loadHandler({ RAW_STREAM_NAME: stream, ...METRICS_AS_DEPLOYED });
    const lines = [...EVENTS.slice(0, 3).map((e) => JSON.stringify(e)), 'garbage'];

    // Act
    const emitted = await captureMetrics(async () => {
      const response = await handler(
        httpEvent(lines.join('\n'), { headers: { 'content-type': NDJSON } }),
        context(),
      );
      expect(response.statusCode).toBe(207);
    });

    // Assess
    expect(emitted).toEqual(declaredMetrics('ingest-api'));
  }, 60_000);
});
