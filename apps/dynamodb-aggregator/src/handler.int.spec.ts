import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { createClient } from '@shardline/aws';
import { useLocalStack, type LocalStack } from '@shardline/local-stack';
import type { KinesisBatchResponse, QuarantineMessage } from '@shardline/middleware';
import { captureMetrics, declaredMetrics, METRICS_AS_DEPLOYED } from '@shardline/middleware/testing';
import { aggregateRecords, compareSequenceNumbers } from '@shardline/records';
import { makeKinesisRecord } from '@shardline/records/testing';
import type { EnrichedEvent } from '@shardline/schema';
import type { Context, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { CONSUMER } from './config';
import { AGGREGATE_OVERFLOW } from './constants';
import type * as HandlerModule from './handler';
import { enrichedEvents, kinesisEventOf } from './test-helpers/enrichedEvents';
import { expectedItems, withoutMarks } from './test-helpers/expectedItems';
import { injectFaults, type Fault, type FaultRule } from './test-helpers/faultInjection';
import { createAggregatesTable, deleteTable, scanTable, type PlainItem } from './test-helpers/localTable';

jest.setTimeout(120_000);

const TTL_DAYS = 30;
let stack: LocalStack;
let dynamodb: DynamoDBClient;
let sqs: SQSClient;
let queueUrl: string;
let tables = 0;
const created: string[] = [];

beforeAll(async () => {
  stack = await useLocalStack(['dynamodb', 'sqs']);
  const env = stack.env();
  const credentials = {
    accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'test',
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'test',
  };
  dynamodb = createClient(DynamoDBClient, {
    endpoint: stack.endpoints.dynamodb,
    region: stack.region,
    maxAttempts: 1,
    extra: { credentials },
  });
  sqs = createClient(SQSClient, {
    endpoint: stack.endpoints.sqs,
    region: stack.region,
    extra: { credentials },
  });
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'aggregator-quarantine' }))).QueueUrl ?? '';
});

afterAll(async () => {
  for (const table of created) await deleteTable(dynamodb, table);
  for (const client of loaded) client.destroy();
  dynamodb?.destroy();
  sqs?.destroy();
  await stack?.stop();
});

async function newTable(): Promise<string> {
  const name = `aggregates-${++tables}`;
  await createAggregatesTable(dynamodb, name);
  created.push(name);
  return name;
}

/** One deployed aggregator: the real handler module, loaded with its own cold start for one table. */
interface Aggregator {
  invoke: (event: KinesisStreamEvent) => Promise<KinesisBatchResponse>;
  /** The handler's own DynamoDB client, where faults are injected. */
  dynamodb: DynamoDBClient;
}
const aggregators = new Map<string, Aggregator>();
const loaded: DynamoDBClient[] = [];

/** `handler.ts` loaded with its own cold start and the environment Terraform would set for a table. */
function loadAggregator(tableName: string, env: Readonly<Record<string, string>> = {}): Aggregator {
  Object.assign(
    process.env,
    stack.env(),
    {
      AGGREGATES_TABLE_NAME: tableName,
      AGGREGATE_TTL_DAYS: String(TTL_DAYS),
      QUARANTINE_QUEUE_URL: queueUrl,
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: process.env.AGGREGATOR_TEST_LOG_LEVEL === 'WARN' ? 'WARN' : 'SILENT',
    },
    env,
  );
  let module: typeof HandlerModule | undefined;
  jest.isolateModules(() => {
    module = require('./handler') as typeof HandlerModule;
  });
  const { handler, clients } = module!;
  loaded.push(clients.dynamodb);
  return {
    invoke: (event) => handler(event, lambdaContext()) as Promise<KinesisBatchResponse>,
    dynamodb: clients.dynamodb,
  };
}

/**
 * The aggregator that handles a shard's batches for a table, loaded once: with ParallelizationFactor 1 the mapping
 * sends one batch per shard at a time, so shards delivered concurrently run in environments of their own.
 */
function aggregatorFor(tableName: string, shardId = 'shardId-000000000000'): Aggregator {
  const key = `${tableName} ${shardId}`;
  const aggregator = aggregators.get(key) ?? loadAggregator(tableName);
  aggregators.set(key, aggregator);
  return aggregator;
}

function lambdaContext(): Context {
  return {
    functionName: 'dynamodb-aggregator',
    awsRequestId: `req-${Math.random().toString(36).slice(2)}`,
    getRemainingTimeInMillis: () => 60_000,
  } as unknown as Context;
}

/** Invokes the handler as the event source mapping would and returns the reported sequence numbers. */
async function deliver(tableName: string, records: readonly KinesisStreamRecord[]): Promise<string[]> {
  const eventId = records[0]?.eventID;
  const shardId = eventId?.slice(0, eventId.indexOf(':'));
  const response = await aggregatorFor(tableName, shardId).invoke({ Records: [...records] });
  return response.batchItemFailures.map((f) => f.itemIdentifier);
}

/** The records the mapping sends again after a partial failure: from the lowest reported one onward. */
function fromCheckpoint(
  records: readonly KinesisStreamRecord[],
  failures: readonly string[],
): KinesisStreamRecord[] {
  const lowest = [...failures].sort(compareSequenceNumbers)[0];
  if (lowest === undefined) return [];
  return records.filter((r) => compareSequenceNumbers(r.kinesis.sequenceNumber, lowest) >= 0);
}

/** Delivers until the mapping would have nothing left to retry. */
async function deliverUntilDone(tableName: string, records: readonly KinesisStreamRecord[]): Promise<void> {
  let pending = [...records];
  for (let round = 0; pending.length > 0; round++) {
    if (round > 20) throw new Error('the batch never succeeded');
    pending = fromCheckpoint(pending, await deliver(tableName, pending));
  }
}

async function cleanState(records: readonly KinesisStreamRecord[]): Promise<PlainItem[]> {
  const table = await newTable();
  expect(await deliver(table, records)).toEqual([]);
  return scanTable(dynamodb, table);
}

/** Fails every UpdateItem of the chosen partition keys, as a throttled table would. */
function throttleKeys(pks: ReadonlySet<string>): FaultRule {
  return (_call, input) => (pks.has(input.Key?.pk?.S ?? '') ? 'throttle' : undefined);
}

/** Picks faults per item and attempt, so that concurrent writes do not change which item sees which fault. */
function perItem(schedule: (item: string, attempt: number) => Fault | undefined): FaultRule {
  const attempts = new Map<string, number>();
  return (_call, input) => {
    const item = `${input.Key?.pk?.S} ${input.Key?.windowStart?.S}`;
    const attempt = attempts.get(item) ?? 0;
    attempts.set(item, attempt + 1);
    return schedule(item, attempt);
  };
}

function fixture(seed: number, count = 300): { events: EnrichedEvent[]; records: KinesisStreamRecord[] } {
  const events = enrichedEvents({ count, seed, campaigns: 3, timeSpreadMs: 180_000 });
  return { events, records: kinesisEventOf(events, { shardId: 0 }).Records };
}

async function drainQuarantine(): Promise<QuarantineMessage[]> {
  const messages: QuarantineMessage[] = [];
  for (;;) {
    const page = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (!page.Messages?.length) return messages;
    for (const m of page.Messages) messages.push(JSON.parse(m.Body ?? '{}') as QuarantineMessage);
    // Deleted, so that they do not come back after the visibility timeout into another test's view.
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: page.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
}

describe('dynamodb-aggregator against DynamoDB Local', () => {
  it('counts one clean delivery exactly, one UpdateItem per item', async () => {
    // Prepare
    const { events, records } = fixture(1);
    const table = await newTable();
    const faults = injectFaults(aggregatorFor(table).dynamodb, () => undefined);
    // Act
    const failures = await deliver(table, records);
    faults.remove();
    // Assess
    expect(failures).toEqual([]);
    const expected = expectedItems(events, TTL_DAYS);
    expect(withoutMarks(await scanTable(dynamodb, table))).toEqual(expected);
    expect(faults.calls()).toBe(expected.length);
  });

  it('ends a batch delivered twice in the same state as one delivery', async () => {
    // Prepare
    const { records } = fixture(2);
    const clean = await cleanState(records);
    const table = await newTable();
    // Act
    await deliver(table, records);
    const failures = await deliver(table, records);
    // Assess
    expect(failures).toEqual([]);
    expect(await scanTable(dynamodb, table)).toEqual(clean);
  });

  it('ends a batch re-cut into two smaller ones after a partial success in the same state as one delivery', async () => {
    // Prepare
    const { events, records } = fixture(3);
    const clean = await cleanState(records);
    const table = await newTable();
    // Not the first record's key: the first record succeeds, so the retry starts later in the batch.
    const keyOf = (e: EnrichedEvent): string => `${e.data.campaignId}#${e.type}`;
    const failing = new Set(
      events
        .filter((e, i) => i % 7 === 3 && keyOf(e) !== keyOf(events[0]!))
        .map(keyOf)
        .slice(0, 2),
    );
    const faults = injectFaults(aggregatorFor(table).dynamodb, throttleKeys(failing));
    // Act
    const failures = await deliver(table, records);
    faults.remove();
    const retry = fromCheckpoint(records, failures);
    const half = Math.ceil(retry.length / 2);
    const first = await deliver(table, retry.slice(0, half));
    const second = await deliver(table, retry.slice(half));
    // Assess
    expect(failures.length).toBeGreaterThan(0);
    expect(retry.length).toBeGreaterThan(0);
    expect(retry.length).toBeLessThan(records.length); // a partial success: the records before the checkpoint
    expect([first, second]).toEqual([[], []]);
    expect(await scanTable(dynamodb, table)).toEqual(clean);
  });

  it('ends a bisected batch (halves delivered after a partial success) in the same state as one delivery', async () => {
    // Prepare
    const { events, records } = fixture(4);
    const clean = await cleanState(records);
    const table = await newTable();
    const failing = new Set([`${events[0]?.data.campaignId}#${events[0]?.type}`]);
    const faults = injectFaults(aggregatorFor(table).dynamodb, throttleKeys(failing));
    // Act: a partial success, then the function errors and the mapping splits the whole batch in two.
    await deliver(table, records);
    faults.remove();
    const half = Math.ceil(records.length / 2);
    await deliverUntilDone(table, records.slice(0, half));
    await deliverUntilDone(table, records.slice(half));
    // Assess
    expect(await scanTable(dynamodb, table)).toEqual(clean);
  });

  it('retries throttled and failing calls within the invocation and ends as one clean delivery', async () => {
    // Prepare
    const { records } = fixture(5);
    const clean = await cleanState(records);
    const table = await newTable();
    const pattern: Array<Fault | undefined> = [
      'throttle',
      'provisioned',
      'server-error',
      'lost-response',
      undefined,
    ];
    let items = 0;
    const faultOf = new Map<string, Fault | undefined>();
    // Each item meets one kind of fault (or none) on its first two attempts, well within the retry budget.
    const faults = injectFaults(
      aggregatorFor(table).dynamodb,
      perItem((item, attempt) => {
        if (!faultOf.has(item)) faultOf.set(item, pattern[items++ % pattern.length]);
        return attempt < 2 ? faultOf.get(item) : undefined;
      }),
    );
    // Act
    const failures = await deliver(table, records);
    faults.remove();
    // Assess
    expect(failures).toEqual([]);
    expect(await scanTable(dynamodb, table)).toEqual(clean);
  });

  it('reports items that stay throttled as batch item failures and counts them once on redelivery', async () => {
    // Prepare
    const { events, records } = fixture(6);
    const clean = await cleanState(records);
    const table = await newTable();
    const stuck = `${events[0]?.data.campaignId}#${events[0]?.type}`;
    // Items of one partition key stay throttled; every other item loses the response of its first, applied write.
    const faults = injectFaults(
      aggregatorFor(table).dynamodb,
      perItem((item, attempt) =>
        item.startsWith(`${stuck} `) ? 'throttle' : attempt === 0 ? 'lost-response' : undefined,
      ),
    );
    // Act
    const failures = await deliver(table, records);
    faults.remove();
    await deliverUntilDone(table, fromCheckpoint(records, failures));
    // Assess
    expect(failures.length).toBeGreaterThan(0);
    expect(await scanTable(dynamodb, table)).toEqual(clean);
  });

  it('counts a resharded stream once: parent and child shards keep separate marks, duplicates of the parent change nothing', async () => {
    // Prepare: child shards whose sequence numbers are even lower than the parent's.
    const { events } = fixture(7, 240);
    const parent = kinesisEventOf(events.slice(0, 120), {
      shardId: 0,
      firstSequenceNumber: '900000',
    }).Records;
    const childA = kinesisEventOf(events.slice(120, 180), {
      shardId: 1,
      firstSequenceNumber: '1000',
    }).Records;
    const childB = kinesisEventOf(events.slice(180), { shardId: 2, firstSequenceNumber: '1000' }).Records;
    const table = await newTable();
    // Act
    await deliver(table, parent);
    await Promise.all([deliver(table, childA), deliver(table, childB)]);
    await deliver(table, parent);
    await deliver(table, childA);
    // Assess
    const items = await scanTable(dynamodb, table);
    expect(withoutMarks(items)).toEqual(expectedItems(events, TTL_DAYS));
    expect(new Set(items.flatMap((i) => Object.keys(i).filter((k) => k.startsWith('hwm:'))))).toEqual(
      new Set(['hwm:shardId-000000000000', 'hwm:shardId-000000000001', 'hwm:shardId-000000000002']),
    );
  });

  it('keeps firstSeen and lastSeen exact when shards and late batches write the same items out of time order', async () => {
    // Prepare: one minute, many shards, each batch later in shard order but earlier in event time.
    const events = enrichedEvents({
      count: 400,
      seed: 8,
      campaigns: 1,
      timeSpreadMs: 50_000,
      startTime: new Date(Math.floor(Date.now() / 60_000) * 60_000 - 5_000),
    });
    const byTime = [...events].sort((a, b) => b.time.localeCompare(a.time));
    const shards = [0, 1, 2, 3].map((shard) =>
      byTime
        .filter((_e, i) => i % 4 === shard)
        .reduce<EnrichedEvent[][]>((batches, e, i) => {
          (batches[Math.floor(i / 20)] ??= []).push(e);
          return batches;
        }, []),
    );
    const table = await newTable();
    // Act
    await Promise.all(
      shards.map(async (batches, shard) => {
        let sequence = 1000n;
        for (const batch of batches) {
          await deliverUntilDone(
            table,
            kinesisEventOf(batch, { shardId: shard, firstSequenceNumber: String(sequence) }).Records,
          );
          sequence += 1000n;
        }
      }),
    );
    // Assess
    expect(withoutMarks(await scanTable(dynamodb, table))).toEqual(expectedItems(events, TTL_DAYS));
  });

  it('counts the sub-records of KPL aggregated records once across duplicate and re-cut deliveries', async () => {
    // Prepare
    const { events } = fixture(9, 90);
    const data = [0, 1, 2].map((k) =>
      aggregateRecords(
        events
          .slice(k * 30, k * 30 + 30)
          .map((e) => ({ partitionKey: e.data.userId, data: Buffer.from(JSON.stringify(e)) })),
      ),
    );
    const records = data.map((d, i) =>
      makeKinesisRecord(d, { sequenceNumber: String(5000 + i), streamName: 'shardline-enriched' }),
    );
    const table = await newTable();
    // Act
    const outcomes = [
      await deliver(table, records.slice(0, 2)),
      await deliver(table, records.slice(1)),
      await deliver(table, records),
    ];
    // Assess
    expect(outcomes).toEqual([[], [], []]);
    expect(withoutMarks(await scanTable(dynamodb, table))).toEqual(expectedItems(events, TTL_DAYS));
  });

  it('quarantines poison records and counts the rest of the batch', async () => {
    // Prepare
    await drainQuarantine();
    const { events } = fixture(10, 60);
    const good = kinesisEventOf(events, { firstSequenceNumber: '7000' }).Records;
    const broken = makeKinesisRecord('{"not json', {
      sequenceNumber: '6998',
      streamName: 'shardline-enriched',
    });
    const invalid = makeKinesisRecord(
      { ...events[0], enrichment: undefined },
      { sequenceNumber: '6999', streamName: 'shardline-enriched' },
    );
    const table = await newTable();
    // Act
    const failures = await deliver(table, [broken, invalid, ...good]);
    // Assess
    expect(failures).toEqual([]);
    const quarantined = await drainQuarantine();
    expect(quarantined.map((q) => [q.consumer, q.reason, q.sequenceNumber]).sort()).toEqual([
      ['dynamodb-aggregator', 'JSON_INVALID', '6998'],
      ['dynamodb-aggregator', 'SCHEMA_INVALID', '6999'],
    ]);
    expect(withoutMarks(await scanTable(dynamodb, table))).toEqual(expectedItems(events, TTL_DAYS));
  });

  it('quarantines the records of an item whose revenue sum would leave the 38-digit range and counts the others', async () => {
    // Prepare
    await drainQuarantine();
    const { events } = fixture(11, 60);
    const purchase = events[10];
    if (!purchase) throw new Error('fixture too small');
    Object.assign(purchase, { type: 'com.example.ad.purchase' });
    Object.assign(purchase.data, { revenueMicros: 1_990_000, currency: 'USD' });
    const pk = `${purchase.data.campaignId}#${purchase.type}`;
    const minute = new Date(purchase.time);
    minute.setUTCSeconds(0, 0);
    const windowStart = minute.toISOString().replace('.000Z', 'Z');
    const table = await newTable();
    await dynamodb.send(
      new PutItemCommand({
        TableName: table,
        Item: { pk: { S: pk }, windowStart: { S: windowStart }, revenueMicros: { N: '9'.repeat(38) } },
      }),
    );
    const records = kinesisEventOf(events).Records;
    // Act
    const failures = await deliver(table, records);
    // Assess
    expect(failures).toEqual([]);
    const quarantined = await drainQuarantine();
    expect(quarantined.length).toBeGreaterThan(0);
    expect(new Set(quarantined.map((q) => q.reason))).toEqual(new Set([AGGREGATE_OVERFLOW]));
    const others = events.filter(
      (e) => !(`${e.data.campaignId}#${e.type}` === pk && e.time.startsWith(windowStart.slice(0, 16))),
    );
    const items = withoutMarks(await scanTable(dynamodb, table)).filter(
      (i) => !(i.pk === pk && i.windowStart === windowStart),
    );
    expect(items).toEqual(expectedItems(others, TTL_DAYS));
  });
  it('emits every metric the contract declares for it, with its dimensions, and no other', async () => {
    // Prepare: metrics on, as deployed; a batch with a poison record, a duplicate delivery, and an event that is
    // not a Kinesis batch (an unexpected error: BatchErrors)
    await drainQuarantine();
    const { records } = fixture(12, 60);
    const broken = makeKinesisRecord('{"not json', { sequenceNumber: '1', streamName: 'shardline-enriched' });
    const aggregator = loadAggregator(await newTable(), METRICS_AS_DEPLOYED);

    // Act
    const emitted = await captureMetrics(async () => {
      await aggregator.invoke({ Records: [broken, ...records] });
      await aggregator.invoke({ Records: records });
      await expect(aggregator.invoke({} as KinesisStreamEvent)).rejects.toThrow('no Records array');
    });

    // Assess
    expect(emitted).toEqual(declaredMetrics(CONSUMER));
    await drainQuarantine();
  });
});
