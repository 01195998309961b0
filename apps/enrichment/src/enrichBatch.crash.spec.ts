import fc from 'fast-check';
import { KinesisBatch } from '@shardline/middleware';
import { decodeBatch, type DecodedRecord } from '@shardline/records';
import { makeKinesisEvent } from '@shardline/records/testing';
import { type AdEvent, type EnrichedEvent } from '@shardline/schema';
import { generateEvents } from '@shardline/schema/testing';
import { enrichBatch, type EnrichDeps } from './enrich';
import { inRanges, recordKey } from './ledgerRanges';
import type { LedgerState } from './PublishLedger';

/** Where a simulated function instance dies during one invocation. */
type CrashPoint = 'none' | 'after-intent' | 'mid-publish' | 'after-publish' | 'during-outcome';

class Crash extends Error {}

const EVENTS = generateEvents({ count: 40, seed: 31 }).map((g) => g.event as Record<string, unknown>);
// Undecodable records among them: quarantined, never published, and part of the ledger's runs.
const SOURCE = makeKinesisEvent(
  [...EVENTS.slice(0, 15), '{broken', ...EVENTS.slice(15, 30), 'also broken', ...EVENTS.slice(30)],
  {
    shardId: 2,
  },
);

/**
 * A model of Lambda's Kinesis event source mapping driving enrichBatch: each delivery starts at the checkpoint
 * with any length; the function may die at any point of an invocation (the response is then lost and the
 * checkpoint stays); published records land in an in-memory stream with a logical clock, which findPublished
 * reads like the enriched stream. Every valid record must reach the stream exactly once.
 */
describe('enrichBatch under crashes', () => {
  it('publishes every record exactly once whatever the crashes, retries and re-cut batches', async () => {
    const delivery = fc.record({
      length: fc.integer({ min: 1, max: 40 }),
      crash: fc.constantFrom<CrashPoint>(
        'none',
        'after-intent',
        'mid-publish',
        'after-publish',
        'during-outcome',
      ),
      failEvery: fc.integer({ min: 0, max: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(delivery, { minLength: 1, maxLength: 30 }), async (deliveries) => {
        let clock = 1_000;
        const stream: Array<{ at: number; event: EnrichedEvent }> = [];
        let ledgerState: LedgerState = { ranges: [] };
        let checkpoint = 0;
        for (let d = 0; checkpoint < SOURCE.Records.length; d++) {
          // After the scripted deliveries, clean ones until the shard is done.
          const { length, crash, failEvery } = deliveries[d] ?? { length: 40, crash: 'none', failEvery: 0 };
          const records = SOURCE.Records.slice(checkpoint, checkpoint + length);
          const { records: decoded, rejected } = decodeBatch({ Records: structuredClone(records) });
          const batch = new KinesisBatch<AdEvent>({
            consumer: 'enrichment',
            records: decoded as DecodedRecord<AdEvent>[],
            rejected,
          });
          let putCalls = 0;
          const deps: EnrichDeps = {
            lookupCampaigns: async (ids) => ({
              campaigns: new Map([...ids].map((id) => [id, { known: false }])),
              failed: new Set<string>(),
            }),
            async publish(entries, _signal, onWritten) {
              putCalls++;
              const failed = entries.filter((_, i) => failEvery > 0 && i % failEvery === failEvery - 1);
              const written = entries.filter((e) => !failed.includes(e));
              const half = crash === 'mid-publish' ? Math.floor(written.length / 2) : written.length;
              for (const e of written.slice(0, half)) {
                stream.push({
                  at: clock++,
                  event: JSON.parse(Buffer.from(e.data).toString()) as EnrichedEvent,
                });
              }
              if (crash === 'mid-publish' || crash === 'after-publish') throw new Crash();
              onWritten(written.map((e) => e.ref));
              return failed.map((e) => ({ ref: e.ref, errorCode: 'ProvisionedThroughputExceededException' }));
            },
            ledger: {
              load: async () => structuredClone(ledgerState),
              async save(_shard, state) {
                if (crash === 'during-outcome' && !state.pending && putCalls > 0) throw new Crash();
                ledgerState = structuredClone(state);
                if (crash === 'after-intent' && state.pending) throw new Crash();
              },
            },
            findPublished: async (rawShardId, pending) => {
              const found = new Set<string>();
              for (const { at, event } of stream) {
                const origin = event.enrichment.origin!;
                const key = recordKey(origin.sequenceNumber, origin.subSequenceNumber);
                if (at >= pending.since && origin.shardId === rawShardId && inRanges(pending.ranges, key))
                  found.add(key);
              }
              return found;
            },
            onLedgerError: (error) => {
              if (error instanceof Crash) throw error;
            },
          };
          const intentClock = clock;
          const realNow = Date.now;
          Date.now = () => intentClock; // the intent's `since` on the stream's clock
          try {
            await enrichBatch(batch, deps);
          } catch (error) {
            if (error instanceof Crash) continue; // the function died: no response, the checkpoint stays
            throw error;
          } finally {
            Date.now = realNow;
          }
          const failures = batch.itemFailures();
          const firstFailed = failures.length
            ? records.findIndex((r) => r.kinesis.sequenceNumber === failures[0])
            : -1;
          checkpoint += firstFailed === -1 ? records.length : firstFailed;
        }
        const ids = stream.map((s) => s.event.id).sort();
        expect(ids).toEqual(EVENTS.map((e) => e.id as string).sort());
      }),
      { numRuns: 150 },
    );
  });
});
