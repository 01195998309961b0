import fc from 'fast-check';
import { KinesisBatch } from '@shardline/middleware';
import { decodeBatch, type DecodedRecord } from '@shardline/records';
import { makeKinesisEvent } from '@shardline/records/testing';
import { type AdEvent, type EnrichedEvent } from '@shardline/schema';
import { generateEvents } from '@shardline/schema/testing';
import type { KinesisStreamEvent } from 'aws-lambda';
import { enrichBatch, type EnrichDeps } from './enrich';
import type { Segment } from './identityWindow';
import { inRanges, recordKey } from './ledgerRanges';
import type { LedgerState } from './PublishLedger';
import { RepeatFilter, type WindowStore } from './RepeatFilter';

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

const WINDOW_MS = 60_000;

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
  /** Which of two containers runs the invocation (each keeps its windows in memory), or a new one (cold). */
  container: fc.constantFrom<0 | 1 | 'cold'>(0, 1, 'cold'),
});
type Delivery = typeof delivery extends fc.Arbitrary<infer D> ? D : never;

/** One shard's durable state and the enriched stream, shared by every simulated container. */
class World {
  clock = 1_000;
  readonly stream: Array<{ at: number; event: EnrichedEvent }> = [];
  readonly ledger = new Map<string, LedgerState>();
  readonly segments = new Map<string, Segment>();
  parents = new Map<string, string[]>();
  windowMs = 0;
  readonly containers = [this.newFilter(), this.newFilter()];

  /** Turns the repeat filter on in every container. */
  useWindow(windowMs: number): void {
    this.windowMs = windowMs;
    this.containers.splice(0, 2, this.newFilter(), this.newFilter());
  }

  newFilter(): RepeatFilter {
    const store: WindowStore = {
      save: async (shard, segment) => {
        this.segments.set(`${shard}/${segment.n}`, structuredClone(segment));
      },
      load: async (shard, from, to) => {
        const out: Segment[] = [];
        for (let n = from; n <= to; n++) {
          const s = this.segments.get(`${shard}/${n}`);
          if (s) out.push(structuredClone(s));
        }
        return out;
      },
    };
    return new RepeatFilter({
      windowMs: this.windowMs,
      store,
      ledger: {
        load: async (shard) => structuredClone(this.ledger.get(shard) ?? { ranges: [] }),
        save: async () => {
          throw new Error('a parent is only read');
        },
      },
      parentsOf: async (shard) => this.parents.get(shard) ?? [],
    });
  }

  /**
   * Drives enrichBatch over one shard like Lambda's Kinesis event source mapping: each delivery starts at the
   * checkpoint with any length; the function may die at any point of an invocation (the response is then lost and
   * the checkpoint stays); published records land in an in-memory stream with a logical clock, which
   * findPublished reads like the enriched stream.
   */
  async runShard(source: KinesisStreamEvent, deliveries: readonly Delivery[]): Promise<void> {
    let checkpoint = 0;
    for (let d = 0; checkpoint < source.Records.length; d++) {
      // After the scripted deliveries, clean ones until the shard is done.
      const { length, crash, failEvery, container } = deliveries[d] ?? {
        length: 40,
        crash: 'none',
        failEvery: 0,
        container: 0,
      };
      if (container === 'cold') this.containers[0] = this.newFilter();
      const filter = this.containers[container === 'cold' ? 0 : container]!;
      const records = source.Records.slice(checkpoint, checkpoint + length);
      const { records: decoded, rejected } = decodeBatch({ Records: structuredClone(records) });
      const batch = new KinesisBatch<AdEvent>({
        consumer: 'enrichment',
        records: decoded as DecodedRecord<AdEvent>[],
        rejected,
      });
      const shardKey = `${records[0]!.eventSourceARN}#${decoded[0]?.shardId}`;
      let putCalls = 0;
      const deps: EnrichDeps = {
        lookupCampaigns: async (ids) => ({
          campaigns: new Map([...ids].map((id) => [id, { known: false }])),
          failed: new Set<string>(),
        }),
        publish: async (entries, _signal, onWritten) => {
          putCalls++;
          const failed = entries.filter((_, i) => failEvery > 0 && i % failEvery === failEvery - 1);
          const written = entries.filter((e) => !failed.includes(e));
          const half = crash === 'mid-publish' ? Math.floor(written.length / 2) : written.length;
          for (const e of written.slice(0, half)) {
            this.stream.push({
              at: this.clock++,
              event: JSON.parse(Buffer.from(e.data).toString()) as EnrichedEvent,
            });
          }
          if (crash === 'mid-publish' || crash === 'after-publish') throw new Crash();
          onWritten(written.map((e) => e.ref));
          return failed.map((e) => ({ ref: e.ref, errorCode: 'ProvisionedThroughputExceededException' }));
        },
        ledger: {
          load: async (shard) => structuredClone(this.ledger.get(shard) ?? { ranges: [] }),
          save: async (shard, state) => {
            if (crash === 'during-outcome' && !state.pending && putCalls > 0) throw new Crash();
            this.ledger.set(shard, structuredClone(state));
            if (crash === 'after-intent' && state.pending) throw new Crash();
          },
        },
        repeats: filter,
        findPublished: async (rawShardId, pending) => {
          const found = new Set<string>();
          for (const { at, event } of this.stream) {
            const origin = event.enrichment.origin!;
            const key = recordKey(origin.sequenceNumber, origin.subSequenceNumber);
            if (at >= pending.since && origin.shardId === rawShardId && inRanges(pending.ranges, key))
              found.add(key);
          }
          return found;
        },
        onLedgerError: (error) => {
          if (error instanceof Crash) throw error;
          throw new Error(`unexpected ledger error on ${shardKey}`, { cause: error });
        },
      };
      const intentClock = this.clock;
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
  }

  publishedIds(): string[] {
    return this.stream.map((s) => s.event.id).sort();
  }
}

/** Sets the arrival time (epoch seconds) of each record from `index -> ms after the first`. */
function arriving(event: KinesisStreamEvent, offsetMs: (index: number) => number): KinesisStreamEvent {
  const base = event.Records[0]!.kinesis.approximateArrivalTimestamp;
  for (const [i, r] of event.Records.entries())
    r.kinesis.approximateArrivalTimestamp = Math.round(base * 1000 + offsetMs(i)) / 1000;
  return event;
}

const ids = (events: ReadonlyArray<Record<string, unknown>>) => events.map((e) => e.id as string).sort();

/**
 * Every valid record must reach the stream exactly once, and every event identity once within the window,
 * whatever the crashes, retries, re-cut batches and cold starts.
 */
describe('enrichBatch under crashes', () => {
  it('publishes every record exactly once whatever the crashes, retries and re-cut batches', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(delivery, { minLength: 1, maxLength: 30 }), async (deliveries) => {
        const world = new World();
        await world.runShard(SOURCE, deliveries);
        expect(world.publishedIds()).toEqual(ids(EVENTS));
      }),
      { numRuns: 150 },
    );
  });

  // A producer's retries: copies of earlier events later in the shard (two of one event, next to each other and
  // 30 records apart), then a copy that arrives after the window and so passes.
  const REPEATED = [
    ...EVENTS.slice(0, 20),
    EVENTS[3]!,
    EVENTS[19]!,
    ...EVENTS.slice(20, 30),
    '{broken',
    EVENTS[3]!,
    EVENTS[25]!,
    ...EVENTS.slice(30),
    EVENTS[7]!,
  ];
  const REPEATED_SOURCE = arriving(makeKinesisEvent(REPEATED, { shardId: 3 }), (i) =>
    i === REPEATED.length - 1 ? WINDOW_MS + 5_000 : i * 100,
  );

  it('publishes each event identity once within the window, and a repeat after it again', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(delivery, { minLength: 1, maxLength: 30 }), async (deliveries) => {
        const world = new World();
        world.useWindow(WINDOW_MS);
        await world.runShard(REPEATED_SOURCE, deliveries);
        expect(world.publishedIds()).toEqual(ids([...EVENTS, EVENTS[7]!]));
      }),
      { numRuns: 150 },
    );
  });

  it('drops in the children of a split shard the repeats of what its parent carried', async () => {
    // Prepare: shard 4 splits into 5 and 6; the producer's retries of parent events land on both children.
    const parent = makeKinesisEvent(EVENTS.slice(0, 24), { shardId: 4 });
    const children = [5, 6].map((shardId, c) =>
      arriving(
        makeKinesisEvent(
          [EVENTS[2 + c]!, ...EVENTS.slice(24 + c * 8, 32 + c * 8), EVENTS[20 + c]!, EVENTS[24 + c * 8]!],
          { shardId, firstSequenceNumber: '49590338271490256608559692538361571095921575989136599999' },
        ),
        (i) => 1_000 + i,
      ),
    );
    const parentKey = `${parent.Records[0]!.eventSourceARN}#shardId-000000000004`;
    await fc.assert(
      fc.asyncProperty(
        fc.array(delivery, { minLength: 1, maxLength: 10 }),
        fc.array(delivery, { minLength: 1, maxLength: 10 }),
        fc.array(delivery, { minLength: 1, maxLength: 10 }),
        async (first, second, third) => {
          const world = new World();
          world.useWindow(WINDOW_MS);
          for (const child of children)
            world.parents.set(
              `${child.Records[0]!.eventSourceARN}#${child.Records[0]!.eventID.split(':')[0]}`,
              [parentKey],
            );
          // Act: Lambda finishes the parent before it starts the children.
          await world.runShard(parent, first);
          await world.runShard(children[0]!, second);
          await world.runShard(children[1]!, third);
          // Assess
          expect(world.publishedIds()).toEqual(ids(EVENTS));
        },
      ),
      { numRuns: 60 },
    );
  });
});
