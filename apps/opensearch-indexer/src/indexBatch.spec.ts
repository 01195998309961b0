import { KinesisBatch } from '@shardline/middleware';
import type { DecodedRecord } from '@shardline/records';
import type { EnrichedEvent } from '@shardline/schema';
import { BulkRequestError } from './errors';
import { indexBatch, type IndexBatchOptions } from './indexBatch';
import { decodedRecords, enrichedEvents } from './test-helpers/enrichedEvents';
import type { BulkItemResult, BulkSender } from './types';

/** A sender that answers each request with the items `answer` gives for the ids in its body. */
function scriptedSender(answer: (ids: string[], call: number) => BulkItemResult[] | Error) {
  const bodies: string[] = [];
  const send: BulkSender = async (body) => {
    bodies.push(body);
    const ids = body
      .split('\n')
      .filter((_, i) => i % 2 === 0 && _ !== '')
      .map((line) => (JSON.parse(line) as { index: { _id: string } }).index._id);
    const result = answer(ids, bodies.length);
    if (result instanceof Error) throw result;
    return { items: result };
  };
  return { send, bodies };
}

function batchOf(records: DecodedRecord<EnrichedEvent>[], deadlineMs = 60_000) {
  return new KinesisBatch<EnrichedEvent>({
    consumer: 'opensearch-indexer',
    records,
    rejected: [],
    deadline: Date.now() + deadlineMs,
  });
}

const options = (send: BulkSender): IndexBatchOptions => ({
  send,
  indexPrefix: 'events',
  bulkMaxBytes: 1024 * 1024,
  sleep: async () => undefined,
  random: () => 0.5,
  retry: { minRequestMs: 0 },
});

describe('indexBatch', () => {
  it('sends one bulk request for a batch that fits the cap and completes every record', async () => {
    // Prepare
    const records = decodedRecords(enrichedEvents(20));
    const { send, bodies } = scriptedSender((ids) => ids.map(() => ({ status: 201 })));
    const batch = batchOf(records);

    // Act
    const stats = await indexBatch(batch, options(send));

    // Assess
    expect(bodies).toHaveLength(1);
    expect(stats).toMatchObject({ indexed: 20, failed: 0, rejected: 0, requests: 1 });
    expect(batch.itemFailures({ timedOut: true })).toEqual([]);
  });

  it('retries only the throttled items and succeeds when they are accepted later', async () => {
    // Prepare
    const records = decodedRecords(enrichedEvents(10));
    const { send, bodies } = scriptedSender((ids, call) =>
      ids.map((_, i) =>
        call === 1 && i % 3 === 0
          ? { status: 429, error: { type: 'rejected_execution_exception' } }
          : { status: 201 },
      ),
    );
    const batch = batchOf(records);

    // Act
    const stats = await indexBatch(batch, options(send));

    // Assess
    expect(bodies[1]!.split('\n').filter(Boolean)).toHaveLength(2 * 4);
    expect(stats).toMatchObject({ indexed: 10, failed: 0, retries: 4 });
    expect(batch.itemFailures()).toEqual([]);
  });

  it('reports items still throttled after the last attempt as batch item failures', async () => {
    // Prepare
    const records = decodedRecords(enrichedEvents(4));
    const { send } = scriptedSender((ids) =>
      ids.map((_, i) => (i === 0 ? { status: 503, error: { type: 'x', reason: 'busy' } } : { status: 201 })),
    );
    const batch = batchOf(records);

    // Act
    const stats = await indexBatch(batch, { ...options(send), retry: { maxAttempts: 3, minRequestMs: 0 } });

    // Assess
    expect(stats.failed).toBe(1);
    expect(batch.failures.size).toBe(1);
    expect([...batch.failures.values()][0]).toContain('503');
  });

  it('quarantines a document OpenSearch cannot map, with its reason, and indexes the rest', async () => {
    // Prepare
    const records = decodedRecords(enrichedEvents(3));
    const { send } = scriptedSender((ids) =>
      ids.map((_, i) =>
        i === 1
          ? {
              status: 400,
              error: {
                type: 'mapper_parsing_exception',
                reason: 'failed to parse field [enrichment.eventDate]',
              },
            }
          : { status: 201 },
      ),
    );
    const batch = batchOf(records);

    // Act
    await indexBatch(batch, options(send));

    // Assess
    expect(batch.quarantined).toEqual([
      expect.objectContaining({
        reason: 'SINK_REJECTED',
        sequenceNumber: records[1]!.sequenceNumber,
        message: expect.stringContaining(
          'mapper_parsing_exception: failed to parse field [enrichment.eventDate]',
        ),
      }),
    ]);
    expect(batch.itemFailures()).toEqual([]);
  });

  it('halves a request refused as too large until the oversized document stands alone', async () => {
    // Prepare
    const records = decodedRecords(enrichedEvents(4));
    const { send, bodies } = scriptedSender((ids) =>
      ids.length > 1 || ids[0] === undefined
        ? new BulkRequestError('bulk request answered 413', 413)
        : ids.map(() => ({ status: 201 })),
    );
    const batch = batchOf(records);

    // Act
    const stats = await indexBatch(batch, options(send));

    // Assess
    expect(stats.indexed).toBe(4);
    expect(bodies).toHaveLength(1 + 2 + 4);
  });

  it('reports every record when the cluster cannot be reached and no time is left to retry', async () => {
    // Prepare
    const records = decodedRecords(enrichedEvents(5));
    const { send } = scriptedSender(
      () => new BulkRequestError('bulk request failed: ECONNREFUSED', undefined),
    );
    const batch = batchOf(records, 1_500);

    // Act
    const stats = await indexBatch(batch, { ...options(send), retry: { minRequestMs: 1_000 } });

    // Assess
    expect(stats.failed).toBe(5);
    expect(batch.itemFailures()).toEqual(records.map((r) => r.sequenceNumber));
  });

  it('splits a batch larger than the cap into several requests', async () => {
    // Prepare
    const records = decodedRecords(enrichedEvents(50));
    const { send, bodies } = scriptedSender((ids) => ids.map(() => ({ status: 201 })));
    const cap = 4 * 1024;

    // Act
    await indexBatch(batchOf(records), { ...options(send), bulkMaxBytes: cap });

    // Assess
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) expect(Buffer.byteLength(body)).toBeLessThanOrEqual(cap);
  });
});
