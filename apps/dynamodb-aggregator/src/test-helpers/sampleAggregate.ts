import type { AdEvent } from '@shardline/schema';
import { combineBatch } from '../combineBatch';
import type { KeyAggregate } from '../types';
import type { EnrichedEvent } from '@shardline/schema';
import { decodedRecords, enrich } from './enrichedEvents';

/** Epoch ms the sample's clock reads: shortly after its window. */
export const SAMPLE_NOW = Date.parse('2026-11-26T13:10:00Z');

/** One item's aggregate of purchases at the given times and revenues, from shard 0. */
export function sampleAggregate(
  entries: ReadonlyArray<[time: string, revenueMicros: number]>,
): KeyAggregate<EnrichedEvent> {
  const events = entries.map(([time, revenueMicros], i) =>
    enrich({
      specversion: '1.0',
      id: `evt-${i}`,
      source: 'game/test',
      type: 'com.example.ad.purchase' as AdEvent['type'],
      time,
      data: { userId: 'u1', campaignId: 'cmp-1', revenueMicros, currency: 'USD' },
    }),
  );
  const [aggregate] = combineBatch(decodedRecords(events, { firstSequenceNumber: '1000' }), {
    ttlDays: 1,
    nowMs: SAMPLE_NOW,
  }).aggregates;
  if (aggregate === undefined) throw new Error('no aggregate');
  return aggregate;
}
