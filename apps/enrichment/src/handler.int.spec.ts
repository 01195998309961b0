import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  DescribeStreamSummaryCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createClient } from '@shardline/aws';
import { useLocalStack, type LocalStack } from '@shardline/local-stack';
import type { KinesisBatchResponse, QuarantineMessage } from '@shardline/middleware';
import { captureMetrics, declaredMetrics, METRICS_AS_DEPLOYED } from '@shardline/middleware/testing';
import { aggregateRecords } from '@shardline/records';
import { captureEmf, makeKinesisEvent } from '@shardline/records/testing';
import { enrichedEventSchema, type AdEvent, type EnrichedEvent } from '@shardline/schema';
import { generateEvents } from '@shardline/schema/testing';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { CONSUMER } from './config';
import { recordKey } from './ledgerRanges';
import { dynamoDbPublishLedger } from './PublishLedger';
import { gzipSync } from 'node:zlib';

type Handler = (event: KinesisStreamEvent, context: Context) => Promise<KinesisBatchResponse>;

jest.setTimeout(120_000);

describe('enrichment handler on the local stack (kinesalite, DynamoDB Local, fauxqs)', () => {
  let stack: LocalStack;
  let kinesis: KinesisClient;
  let sqs: SQSClient;
  const saved = { ...process.env };
  const suffix = randomUUID().slice(0, 8);
  const names = {
    raw: `raw-${suffix}`,
    enriched: `enriched-${suffix}`,
    table: `campaigns-${suffix}`,
    ledger: `ledger-${suffix}`,
    queue: `quarantine-${suffix}`,
  };
  let queueUrl = '';

  beforeAll(async () => {
    stack = await useLocalStack(['kinesis', 'dynamodb', 'sqs']);
    Object.assign(process.env, stack.env());
    kinesis = createClient(KinesisClient);
    sqs = createClient(SQSClient);
    const dynamodb = createClient(DynamoDBClient);
    await kinesis.send(new CreateStreamCommand({ StreamName: names.enriched, ShardCount: 2 }));
    await kinesis.send(new CreateStreamCommand({ StreamName: names.raw, ShardCount: 1 }));
    await waitUntilActive(names.enriched);
    await waitUntilActive(names.raw);
    await dynamodb.send(
      new CreateTableCommand({
        TableName: names.table,
        AttributeDefinitions: [{ AttributeName: 'campaignId', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'campaignId', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await dynamodb.send(
      new CreateTableCommand({
        TableName: names.ledger,
        AttributeDefinitions: [{ AttributeName: 'shard', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'shard', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await dynamodb.send(
      new PutItemCommand({
        TableName: names.table,
        Item: { campaignId: { S: 'cmp-0001' }, name: { S: 'Winter Sale' }, advertiser: { S: 'Acme Games' } },
      }),
    );
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: names.queue }))).QueueUrl!;
  });

  afterAll(async () => {
    process.env = { ...saved };
    await stack?.stop();
  });

  /** The SDK's waiter polls every 10 s; local streams turn active within milliseconds. */
  async function waitUntilActive(stream: string): Promise<void> {
    for (;;) {
      const out = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
      if (out.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function loadHandler(env: Record<string, string>): Promise<Handler> {
    Object.assign(process.env, { ENRICHMENT_LEDGER_TABLE_NAME: names.ledger }, env);
    let handler: Handler | undefined;
    jest.isolateModules(() => {
      handler = (require('./handler') as { handler: Handler }).handler;
    });
    return handler!;
  }

  function context(): Context {
    const end = Date.now() + 30_000;
    return {
      functionName: 'enrichment',
      awsRequestId: randomUUID(),
      getRemainingTimeInMillis: () => end - Date.now(),
    } as unknown as Context;
  }

  async function readStream(stream: string): Promise<Array<{ partitionKey: string; event: EnrichedEvent }>> {
    const out: Array<{ partitionKey: string; event: EnrichedEvent }> = [];
    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
    for (const shard of shards) {
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: stream,
          ShardId: shard.ShardId!,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
      for (const r of Records ?? []) {
        out.push({
          partitionKey: r.PartitionKey!,
          event: JSON.parse(Buffer.from(r.Data!).toString()) as EnrichedEvent,
        });
      }
    }
    return out;
  }

  async function drainQueue(): Promise<QuarantineMessage[]> {
    const out: QuarantineMessage[] = [];
    for (;;) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (!Messages?.length) return out;
      out.push(...Messages.map((m) => JSON.parse(m.Body!) as QuarantineMessage));
    }
  }

  it('publishes every valid event enriched to the enriched stream and quarantines the poison ones', async () => {
    // Prepare
    const handler = await loadHandler({
      ENRICHED_STREAM_NAME: names.enriched,
      REFERENCE_TABLE_NAME: names.table,
      QUARANTINE_QUEUE_URL: queueUrl,
    });
    const generated = generateEvents({ count: 60, seed: 11, invalidRatio: 0.1, campaigns: 3 });
    const valid = generated.filter((g) => g.valid).map((g) => g.event as AdEvent);
    const invalid = generated.filter((g) => !g.valid);
    const kpl = aggregateRecords(
      valid.slice(0, 5).map((e) => ({ partitionKey: e.data.userId, data: Buffer.from(JSON.stringify(e)) })),
    );
    const gz = valid.slice(5, 10).map((e) => gzipSync(JSON.stringify(e)));
    const plain = valid.slice(10);
    const event = makeKinesisEvent(
      [kpl, ...gz, ...plain, ...invalid.map((g) => g.event as Record<string, unknown>), '{oops'],
      {
        shardId: 4,
        streamName: names.raw,
        partitionKey: (i) => `pk-${i}`,
      },
    );
    // Act
    const response = await handler(event, context());
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const published = await readStream(names.enriched);
    expect(published.map((p) => p.event.id).sort()).toEqual(valid.map((e) => e.id).sort());
    for (const { event: e } of published) {
      expect(enrichedEventSchema.validate(e).ok).toBe(true);
      expect(e.time.endsWith('Z')).toBe(true);
      expect(e.enrichment.campaign.known).toBe(e.data.campaignId === 'cmp-0001');
    }
    const winter = published.find((p) => p.event.data.campaignId === 'cmp-0001');
    expect(winter?.event.enrichment.campaign).toEqual({
      known: true,
      name: 'Winter Sale',
      advertiser: 'Acme Games',
    });
    const byId = new Map(valid.map((e) => [e.id, e]));
    for (const { event: e } of published) {
      const original = byId.get(e.id)!;
      if (original.data.ip) expect(e.data.ip).not.toBe(original.data.ip);
    }
    expect(published.find((p) => p.event.id === valid[0]!.id)?.partitionKey).toBe(valid[0]!.data.userId);
    const quarantined = await drainQueue();
    expect(quarantined).toHaveLength(invalid.length + 1);
    expect(new Set(quarantined.map((q) => q.reason))).toEqual(new Set(['SCHEMA_INVALID', 'JSON_INVALID']));
    for (const q of quarantined) {
      const original = event.Records.find((r) => r.kinesis.sequenceNumber === q.sequenceNumber)!;
      expect(q).toMatchObject({
        consumer: 'enrichment',
        shardId: 'shardId-000000000004',
        data: original.kinesis.data,
      });
    }
  });

  it('publishes a batch delivered twice, and a re-cut retry of it, only once', async () => {
    // Prepare
    const stream = `enriched-twice-${suffix}`;
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
    await waitUntilActive(stream);
    const handler = await loadHandler({
      ENRICHED_STREAM_NAME: stream,
      REFERENCE_TABLE_NAME: names.table,
      QUARANTINE_QUEUE_URL: queueUrl,
    });
    const events = generateEvents({ count: 40, seed: 17 }).map((g) => g.event as AdEvent);
    const event = makeKinesisEvent(events, { shardId: 9, streamName: names.raw });
    // Act: a clean delivery, the same batch again (its response was lost), then a re-cut tail of it.
    const responses = [
      await handler(structuredClone(event), context()),
      await handler(structuredClone(event), context()),
      await handler({ Records: structuredClone(event.Records.slice(25)) }, context()),
    ];
    // Assess
    expect(responses).toEqual([
      { batchItemFailures: [] },
      { batchItemFailures: [] },
      { batchItemFailures: [] },
    ]);
    const published = await readStream(stream);
    expect(published.map((p) => p.event.id).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('publishes exactly once after a crash between PutRecords and the ledger write', async () => {
    // Prepare: an invocation published the first 12 of 30 records, then died before noting the outcome; its
    // ledger entry still says all 30 were about to be published.
    const stream = `enriched-crash-${suffix}`;
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 2 }));
    await waitUntilActive(stream);
    const handler = await loadHandler({
      ENRICHED_STREAM_NAME: stream,
      REFERENCE_TABLE_NAME: names.table,
      QUARANTINE_QUEUE_URL: queueUrl,
    });
    const events = generateEvents({ count: 30, seed: 23 }).map((g) => g.event as AdEvent);
    const event = makeKinesisEvent(events, { shardId: 7, streamName: names.raw });
    const startedAt = Date.now();
    await handler({ Records: structuredClone(event.Records.slice(0, 12)) }, context());
    const keys = event.Records.map((r) => recordKey(r.kinesis.sequenceNumber));
    const ledger = dynamoDbPublishLedger(createClient(DynamoDBClient), names.ledger);
    const shard = `${event.Records[0]!.eventSourceARN}#shardId-000000000007`;
    await ledger.save(shard, { ranges: [], pending: { ranges: [[keys[0]!, keys[29]!]], since: startedAt } });
    // Act: the mapping redelivers the whole batch.
    const response = await handler(structuredClone(event), context());
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const published = await readStream(stream);
    expect(published.map((p) => p.event.id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(published[0]!.event.enrichment.origin).toMatchObject({ shardId: 'shardId-000000000007' });
    expect((await ledger.load(shard)).pending).toBeUndefined();
  });

  /** Sums a metric over the EMF objects the handler printed. */
  function metricSum(emf: Array<Record<string, unknown>>, name: string): number {
    let sum = 0;
    for (const line of emf) {
      const value = line[name] as number | number[] | undefined;
      if (value !== undefined) sum += Array.isArray(value) ? value.reduce((a, b) => a + b, 0) : value;
    }
    return sum;
  }

  it("drops a producer's retries of an event, counts them in DuplicateEvents and quarantines none, across a cold start", async () => {
    // Prepare: a producer put 30 events, then timed out and re-sent 5 of them with 5 new ones (new Kinesis
    // records, later on the shard); later still, after a cold start, two more copies: one within the 600 s window
    // of its first copy, one 700 s after its first copy.
    const stream = `enriched-repeats-${suffix}`;
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
    await waitUntilActive(stream);
    const env = {
      ENRICHED_STREAM_NAME: stream,
      REFERENCE_TABLE_NAME: names.table,
      QUARANTINE_QUEUE_URL: queueUrl,
    };
    const events = generateEvents({ count: 36, seed: 29 }).map((g) => g.event as AdEvent);
    const t0 = Math.floor(Date.now() / 1000);
    const options = { shardId: 11, streamName: names.raw, approximateArrivalTimestamp: t0 };
    const sequence = (n: number) =>
      (BigInt('49590338271490256608559692538361571095921575989136588898') + BigInt(n)).toString();
    const first = makeKinesisEvent(events.slice(0, 30), options);
    const retry = makeKinesisEvent([...events.slice(0, 5), ...events.slice(30, 35)], {
      ...options,
      firstSequenceNumber: sequence(100),
      approximateArrivalTimestamp: t0 + 20,
    });
    const late = makeKinesisEvent([events[10]!, events[35]!], {
      ...options,
      firstSequenceNumber: sequence(200),
      approximateArrivalTimestamp: t0 + 300,
    });
    const afterWindow = makeKinesisEvent([events[12]!], {
      ...options,
      firstSequenceNumber: sequence(300),
      approximateArrivalTimestamp: t0 + 700,
    });
    const responses: KinesisBatchResponse[] = [];
    // Act: the retry batch is delivered twice (its response was lost); a new container takes over.
    const emf = await captureEmf(async () => {
      const handler = await loadHandler(env);
      responses.push(await handler(structuredClone(first), context()));
      responses.push(await handler(structuredClone(retry), context()));
      responses.push(await handler(structuredClone(retry), context()));
      const coldStarted = await loadHandler(env);
      responses.push(await coldStarted(structuredClone(late), context()));
      responses.push(await coldStarted(structuredClone(afterWindow), context()));
    });
    // Assess
    expect(responses.every((r) => r.batchItemFailures.length === 0)).toBe(true);
    const published = (await readStream(stream)).map((p) => p.event.id).sort();
    expect(published).toEqual([...events.map((e) => e.id), events[12]!.id].sort());
    expect(metricSum(emf, 'DuplicateEvents')).toBe(6);
    expect(metricSum(emf, 'LedgerErrors')).toBe(0);
    expect((await drainQueue()).filter((q) => q.shardId === 'shardId-000000000011')).toEqual([]);
  });

  it('drops in the children of a split shard the repeats of events its parent carried', async () => {
    // Prepare: a raw stream whose only shard is split; the producer's retries land on the children.
    const raw = `raw-split-${suffix}`;
    const stream = `enriched-split-${suffix}`;
    await kinesis.send(new CreateStreamCommand({ StreamName: raw, ShardCount: 1 }));
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
    await waitUntilActive(raw);
    await waitUntilActive(stream);
    await kinesis.send(
      new SplitShardCommand({
        StreamName: raw,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (2n ** 127n).toString(),
      }),
    );
    await waitUntilActive(raw);
    const children = ((await kinesis.send(new ListShardsCommand({ StreamName: raw }))).Shards ?? []).filter(
      (s) => s.ParentShardId === 'shardId-000000000000',
    );
    expect(children).toHaveLength(2);
    const handler = await loadHandler({
      ENRICHED_STREAM_NAME: stream,
      REFERENCE_TABLE_NAME: names.table,
      QUARANTINE_QUEUE_URL: queueUrl,
    });
    const events = generateEvents({ count: 20, seed: 37 }).map((g) => g.event as AdEvent);
    const t0 = Math.floor(Date.now() / 1000);
    const parent = makeKinesisEvent(events.slice(0, 12), {
      shardId: 0,
      streamName: raw,
      approximateArrivalTimestamp: t0,
    });
    const child = makeKinesisEvent([...events.slice(0, 3), ...events.slice(12)], {
      shardId: children[0]!.ShardId!,
      streamName: raw,
      approximateArrivalTimestamp: t0 + 5,
    });
    // Act: Lambda finishes the parent before it starts its children.
    const responses = [await handler(parent, context()), await handler(child, context())];
    // Assess
    expect(responses).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect((await readStream(stream)).map((p) => p.event.id).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('reports every record for retry when the enriched stream cannot be written', async () => {
    // Prepare
    const handler = await loadHandler({
      ENRICHED_STREAM_NAME: `missing-${suffix}`,
      REFERENCE_TABLE_NAME: names.table,
      QUARANTINE_QUEUE_URL: queueUrl,
      PUT_RECORDS_MAX_ATTEMPTS: '2',
    });
    const events = generateEvents({ count: 3, seed: 5 }).map((g) => g.event as AdEvent);
    const event = makeKinesisEvent(events, { streamName: names.raw });
    // Act
    const response = await handler(event, context());
    // Assess
    expect(response.batchItemFailures).toEqual(
      event.Records.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })),
    );
  });

  it('emits every metric the contract declares for it, with its dimensions, and no other', async () => {
    // Prepare: metrics on, as deployed; a ledger table that does not exist (LedgerErrors), a poison record, an
    // event that is not a Kinesis batch (an unexpected error: BatchErrors), then a repeat with the ledger
    const stream = `enriched-metrics-${suffix}`;
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
    await waitUntilActive(stream);
    const handler = await loadHandler({
      ENRICHED_STREAM_NAME: stream,
      REFERENCE_TABLE_NAME: names.table,
      ENRICHMENT_LEDGER_TABLE_NAME: `missing-ledger-${suffix}`,
      QUARANTINE_QUEUE_URL: queueUrl,
      ...METRICS_AS_DEPLOYED,
    });
    const events = generateEvents({ count: 20, seed: 21 }).map((g) => g.event as AdEvent);
    const event = makeKinesisEvent([...events, '{oops'], { shardId: 9 });
    // With its ledger, a producer's repeat of an event in the batch (DuplicateEvents).
    const withLedger = await loadHandler({
      ENRICHED_STREAM_NAME: stream,
      REFERENCE_TABLE_NAME: names.table,
      QUARANTINE_QUEUE_URL: queueUrl,
      ...METRICS_AS_DEPLOYED,
    });
    const sent = makeKinesisEvent([events[0]!, events[1]!], { shardId: 29, streamName: names.raw });
    const resent = makeKinesisEvent([events[0]!], {
      shardId: 29,
      streamName: names.raw,
      firstSequenceNumber: (BigInt(sent.Records[1]!.kinesis.sequenceNumber) + 10n).toString(),
    });

    // Act
    const emitted = await captureMetrics(async () => {
      expect((await handler(event, context())).batchItemFailures).toEqual([]);
      await expect(handler({} as KinesisStreamEvent, context())).rejects.toThrow('no Records array');
      expect((await withLedger(sent, context())).batchItemFailures).toEqual([]);
      expect((await withLedger(resent, context())).batchItemFailures).toEqual([]);
    });

    // Assess
    expect(emitted).toEqual(declaredMetrics(CONSUMER));
    await drainQueue();
  });

  it('fails at cold start naming the missing variable', async () => {
    // Prepare
    delete process.env.ENRICHED_STREAM_NAME;
    // Act / Assess
    await expect(
      loadHandler({ REFERENCE_TABLE_NAME: names.table, QUARANTINE_QUEUE_URL: queueUrl }),
    ).rejects.toThrow('ENRICHED_STREAM_NAME is required but not set');
  });
});
