import type { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { aggregateRecords } from '@shardline/records';
import { captureEmf, makeKinesisEvent, makeKinesisRecord } from '@shardline/records/testing';
import { adEventSchema, type AdEvent } from '@shardline/schema';
import { generateEvents } from '@shardline/schema/testing';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { gzipSync } from 'node:zlib';
import type { KinesisBatch } from './KinesisBatch';
import { kinesisBatch } from './kinesisBatchMiddleware';
import type { QuarantineSink } from './quarantine';
import { TIMED_OUT, timeoutGuard } from './timeoutGuard';
import type { KinesisBatchContext, KinesisBatchResponse, QuarantineMessage } from './types';

function memoryQuarantine(
  options: { failWith?: Error } = {},
): QuarantineSink & { sent: QuarantineMessage[] } {
  const sent: QuarantineMessage[] = [];
  return {
    sent,
    async send(messages) {
      if (options.failWith) throw options.failWith;
      sent.push(...messages);
    },
  };
}

function lambdaContext(remainingMs = 60_000): Context {
  const end = Date.now() + remainingMs;
  return {
    functionName: 'enrichment',
    awsRequestId: 'req-1',
    getRemainingTimeInMillis: () => end - Date.now(),
  } as unknown as Context;
}

function validEvents(count: number): AdEvent[] {
  return generateEvents({ count, seed: 7 }).map((g) => g.event as AdEvent);
}

function buildHandler(
  quarantine: QuarantineSink,
  process: (batch: KinesisBatch<AdEvent>) => Promise<void> | void,
  plugin: object = {},
  observability: { metrics?: Metrics; logger?: Logger } = {},
) {
  return middy<KinesisStreamEvent, unknown, Error, Context>(plugin)
    .use(
      kinesisBatch<AdEvent>({ consumer: 'enrichment', schema: adEventSchema, quarantine, ...observability }),
    )
    .handler(async (_event, context) => {
      await process((context as KinesisBatchContext<AdEvent>).batch);
      return undefined;
    });
}

describe('kinesisBatch middleware', () => {
  it('hands the handler only valid records and quarantines the poison ones with their original bytes', async () => {
    // Prepare
    const [a, b] = validEvents(2);
    const event = makeKinesisEvent([a!, '{not json', { ...b!, type: 'com.example.ad.unknown' }], {
      shardId: 3,
    });
    const quarantine = memoryQuarantine();
    let seen: string[] = [];
    const handler = buildHandler(quarantine, (batch) => {
      seen = batch.records.map((r) => r.payload.id);
    });
    // Act
    const response = (await handler(event, lambdaContext())) as KinesisBatchResponse;
    // Assess
    expect(seen).toEqual([a!.id]);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(quarantine.sent.map((m) => m.reason)).toEqual(['JSON_INVALID', 'SCHEMA_INVALID']);
    const [bad, invalid] = quarantine.sent;
    expect(bad).toMatchObject({
      consumer: 'enrichment',
      shardId: 'shardId-000000000003',
      sequenceNumber: event.Records[1]!.kinesis.sequenceNumber,
      partitionKey: event.Records[1]!.kinesis.partitionKey,
      approximateArrivalTimestamp: event.Records[1]!.kinesis.approximateArrivalTimestamp,
      data: event.Records[1]!.kinesis.data,
    });
    expect(invalid!.message).toContain('/type');
    expect(invalid!.data).toBe(event.Records[2]!.kinesis.data);
  });

  it('keeps the original gzip bytes of a schema-invalid record in its quarantine message', async () => {
    // Prepare
    const [a] = validEvents(1);
    const bytes = gzipSync(JSON.stringify({ ...a!, data: { ...a!.data, campaignId: 'bad id!' } }));
    const event = makeKinesisEvent([bytes]);
    const quarantine = memoryQuarantine();
    // Act
    await buildHandler(quarantine, () => undefined)(event, lambdaContext());
    // Assess
    expect(quarantine.sent).toHaveLength(1);
    expect(quarantine.sent[0]!.message).toContain('/data/campaignId');
    expect(Buffer.from(quarantine.sent[0]!.data!, 'base64')).toEqual(bytes);
  });

  it('reports the sequence numbers of transient failures, lowest first', async () => {
    // Prepare
    const events = validEvents(4);
    const event = makeKinesisEvent(events);
    const handler = buildHandler(memoryQuarantine(), (batch) => {
      batch.fail([batch.records[3]!, batch.records[1]!], 'Throttled');
    });
    // Act
    const response = (await handler(event, lambdaContext())) as KinesisBatchResponse;
    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[1]!.kinesis.sequenceNumber },
      { itemIdentifier: event.Records[3]!.kinesis.sequenceNumber },
    ]);
  });

  it('reports the parent sequence number once when a KPL sub-record fails', async () => {
    // Prepare
    const [a, b] = validEvents(2);
    const kpl = aggregateRecords([
      { partitionKey: 'u1', data: Buffer.from(JSON.stringify(a)) },
      { partitionKey: 'u2', data: Buffer.from(JSON.stringify(b)) },
    ]);
    const event = makeKinesisEvent([kpl]);
    const handler = buildHandler(memoryQuarantine(), (batch) => {
      expect(batch.records.map((r) => r.subSequenceNumber)).toEqual([0, 1]);
      batch.fail(batch.records, 'InternalFailure');
    });
    // Act
    const response = (await handler(event, lambdaContext())) as KinesisBatchResponse;
    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[0]!.kinesis.sequenceNumber },
    ]);
  });

  it('retries poison records instead of losing them when the quarantine queue is unreachable', async () => {
    // Prepare
    const [a] = validEvents(1);
    const event = makeKinesisEvent([a!, '{broken']);
    const handler = buildHandler(memoryQuarantine({ failWith: new Error('SQS down') }), () => undefined);
    // Act
    const response = (await handler(event, lambdaContext())) as KinesisBatchResponse;
    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[1]!.kinesis.sequenceNumber },
    ]);
  });

  it('quarantines a record a sink rejects for good, with the reason the sink gave', async () => {
    // Prepare
    const [a, b] = validEvents(2);
    const event = makeKinesisEvent([a!, b!]);
    const quarantine = memoryQuarantine();
    const handler = buildHandler(quarantine, (batch) => {
      batch.reject(batch.records[1]!, 'mapper_parsing_exception: failed to parse field [data.revenueMicros]');
    });
    // Act
    const response = (await handler(event, lambdaContext())) as KinesisBatchResponse;
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(quarantine.sent).toEqual([
      expect.objectContaining({
        reason: 'SINK_REJECTED',
        message: expect.stringContaining('mapper_parsing_exception'),
        data: event.Records[1]!.kinesis.data,
      }),
    ]);
  });

  it('lets an unexpected handler error fail the whole batch so the mapping retries or bisects it', async () => {
    // Prepare
    const quarantine = memoryQuarantine();
    const event = makeKinesisEvent([...validEvents(1), '{broken']);
    const handler = buildHandler(quarantine, () => {
      throw new Error('bug');
    });
    // Act / Assess
    await expect(handler(event, lambdaContext())).rejects.toThrow('bug');
    expect(quarantine.sent).toEqual([]);
  });

  it('reports only the unfinished records when the timeout guard fires', async () => {
    // Prepare
    const events = validEvents(3);
    const event = makeKinesisEvent(events);
    let aborted = false;
    const handler = middy<KinesisStreamEvent, unknown, Error, Context>(timeoutGuard(50))
      .use(
        kinesisBatch<AdEvent>({
          consumer: 'enrichment',
          schema: adEventSchema,
          quarantine: memoryQuarantine(),
        }),
      )
      .handler(async (_event, context, { signal }) => {
        const batch = (context as KinesisBatchContext<AdEvent>).batch;
        batch.complete(batch.records[0]!);
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        aborted = signal.aborted;
        return undefined;
      });
    // Act
    const response = (await handler(event, lambdaContext(120))) as KinesisBatchResponse;
    // Assess
    expect(aborted).toBe(true);
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[1]!.kinesis.sequenceNumber },
      { itemIdentifier: event.Records[2]!.kinesis.sequenceNumber },
    ]);
  });

  it('refuses unknown options, so a typo fails loudly', () => {
    // Act / Assess
    expect(() =>
      kinesisBatch({ consumer: 'x', quarantine: memoryQuarantine(), scheme: adEventSchema } as never),
    ).toThrow("kinesisBatch: unknown option 'scheme'");
  });

  it('exposes the timed-out marker for custom chains', () => {
    expect(timeoutGuard(10).timeoutEarlyResponse()).toBe(TIMED_OUT);
    expect(() => timeoutGuard(0)).toThrow(RangeError);
  });

  it('rejects an event that is not a Kinesis event', async () => {
    // Prepare
    const handler = buildHandler(memoryQuarantine(), () => undefined);
    // Act / Assess
    await expect(handler({} as KinesisStreamEvent, lambdaContext())).rejects.toThrow(/no Records array/);
  });

  it('decodes records built by makeKinesisRecord for any shard', async () => {
    // Prepare
    const [a] = validEvents(1);
    const event: KinesisStreamEvent = {
      Records: [makeKinesisRecord(a!, { shardId: 11, partitionKey: 'pk' })],
    };
    let shard = '';
    const handler = buildHandler(memoryQuarantine(), (batch) => {
      shard = batch.records[0]!.shardId;
    });
    // Act
    await handler(event, lambdaContext());
    // Assess
    expect(shard).toBe('shardId-000000000011');
  });
  it("emits each sink call's latency with the sink as a dimension", async () => {
    // Prepare / Act: real EMF output, captured from stdout.
    const emf = await captureEmf(async () => {
      const metrics = new Metrics({ namespace: 'Shardline', serviceName: 'enrichment' });
      const handler = buildHandler(
        memoryQuarantine(),
        async (batch) => {
          await batch.timeSink('dynamodb', async () => undefined);
          await batch.timeSink('kinesis', async () => undefined);
        },
        {},
        { metrics },
      );
      await handler(makeKinesisEvent(validEvents(1)), lambdaContext());
    });
    // Assess
    const latencies = emf.filter((l) => 'SinkLatencyMs' in l) as unknown as Array<{
      _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] };
      sink: string;
    }>;
    expect(latencies.map((l) => l.sink)).toEqual(['dynamodb', 'kinesis']);
    expect(latencies[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'sink']]);
  });

  it('logs one line per quarantine reason, with its count and sequence numbers, for Logs Insights to group by', async () => {
    // Prepare
    const [a, b] = validEvents(2);
    const event = makeKinesisEvent([a!, '{not json', '[1', { ...b!, type: 'com.example.ad.unknown' }]);
    const warnings: { message: string; fields: Record<string, unknown> }[] = [];
    const logger = {
      appendKeys: () => undefined,
      error: () => undefined,
      warn: (message: string, fields: Record<string, unknown>) => warnings.push({ message, fields }),
    } as unknown as Logger;
    const handler = buildHandler(memoryQuarantine(), () => undefined, {}, { logger });
    // Act
    await handler(event, lambdaContext());
    // Assess
    const seq = (i: number) => event.Records[i]!.kinesis.sequenceNumber;
    expect(warnings).toEqual([
      {
        message: 'records quarantined',
        fields: expect.objectContaining({
          reason: 'JSON_INVALID',
          count: 2,
          sequenceNumbers: [seq(1), seq(2)],
        }),
      },
      {
        message: 'records quarantined',
        fields: expect.objectContaining({ reason: 'SCHEMA_INVALID', count: 1, sequenceNumbers: [seq(3)] }),
      },
    ]);
    expect(String(warnings[0]!.fields.example)).not.toBe('');
  });
});
