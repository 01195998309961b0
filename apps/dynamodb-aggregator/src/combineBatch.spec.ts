import { combineBatch, totalsAbove } from './combineBatch';
import { EVENT_TIME_INVALID, REVENUE_INVALID } from './constants';
import { recordPosition } from './recordPosition';
import { decodedRecords, enrich, enrichedEvents } from './test-helpers/enrichedEvents';
import type { AdEvent, EnrichedEvent } from '@shardline/schema';

const NOW = Date.parse('2026-11-26T13:10:00Z');

function event(
  time: string,
  campaignId = 'cmp-1',
  type: AdEvent['type'] = 'com.example.ad.click',
  revenueMicros = 0,
): EnrichedEvent {
  return enrich({
    specversion: '1.0',
    id: `${time}-${campaignId}-${revenueMicros}`,
    source: 'game/test',
    type,
    time,
    data: { userId: 'u1', campaignId, revenueMicros, ...(revenueMicros > 0 ? { currency: 'USD' } : {}) },
  });
}

describe('combineBatch', () => {
  it('groups records by campaign, event type and UTC minute of event time', () => {
    // Prepare
    const records = decodedRecords([
      event('2026-11-26T13:05:00.000Z'),
      event('2026-11-26T13:05:59.999Z', 'cmp-1', 'com.example.ad.click', 5),
      event('2026-11-26T13:06:00.000Z'),
      event('2026-11-26T15:05:30+02:00'),
      event('2026-11-26T13:05:10Z', 'cmp-2'),
      event('2026-11-26T13:05:10Z', 'cmp-1', 'com.example.ad.install'),
    ]);
    // Act
    const { aggregates } = combineBatch(records, { ttlDays: 1, nowMs: NOW });
    // Assess
    const summary = aggregates.map((a) => [a.pk, a.windowStart, a.contributions.length]);
    expect(summary).toEqual([
      ['cmp-1#com.example.ad.click', '2026-11-26T13:05:00Z', 3],
      ['cmp-1#com.example.ad.click', '2026-11-26T13:06:00Z', 1],
      ['cmp-2#com.example.ad.click', '2026-11-26T13:05:00Z', 1],
      ['cmp-1#com.example.ad.install', '2026-11-26T13:05:00Z', 1],
    ]);
  });

  it('sets the TTL to the end of the window plus the retention days', () => {
    // Prepare
    const records = decodedRecords([event('2026-11-26T13:05:30Z')]);
    // Act
    const { aggregates } = combineBatch(records, { ttlDays: 2, nowMs: NOW });
    // Assess
    expect(aggregates[0]?.expiresAt).toBe(Date.parse('2026-11-26T13:06:00Z') / 1000 + 2 * 86_400);
  });

  it('leaves out records of windows already past their TTL', () => {
    // Prepare
    const records = decodedRecords([event('2026-11-20T13:05:30Z'), event('2026-11-26T13:05:30Z')]);
    // Act
    const { aggregates, expired } = combineBatch(records, { ttlDays: 1, nowMs: NOW });
    // Assess
    expect(expired.map((r) => r.payload.time)).toEqual(['2026-11-20T13:05:30.000Z']);
    expect(aggregates).toHaveLength(1);
  });

  it('refuses records whose time or revenue cannot be aggregated', () => {
    // Prepare
    const badTime = { ...event('2026-11-26T13:05:30Z'), time: 'yesterday' };
    const badRevenue = event('2026-11-26T13:05:30Z');
    badRevenue.data.revenueMicros = 1.5;
    const records = decodedRecords([badTime, badRevenue, event('2026-11-26T13:05:31Z')]);
    // Act
    const { aggregates, refused } = combineBatch(records, { ttlDays: 1, nowMs: NOW });
    // Assess
    expect(refused.map((r) => r.reason)).toEqual([EVENT_TIME_INVALID, REVENUE_INVALID]);
    expect(aggregates[0]?.contributions).toHaveLength(1);
  });

  it('keeps one contribution per position and shard order when records repeat or come out of order', () => {
    // Prepare
    const [a, b] = decodedRecords([event('2026-11-26T13:05:01Z'), event('2026-11-26T13:05:02Z')]);
    if (!a || !b) throw new Error('fixture');
    // Act
    const { aggregates } = combineBatch([b, a, b], { ttlDays: 1, nowMs: NOW });
    // Assess
    expect(aggregates[0]?.contributions.map((c) => c.record.sequenceNumber)).toEqual([
      a.sequenceNumber,
      b.sequenceNumber,
    ]);
  });

  it('keeps the records of different shards on one item apart', () => {
    // Prepare
    const one = decodedRecords([event('2026-11-26T13:05:01Z')], { shardId: 1 });
    const two = decodedRecords([event('2026-11-26T13:05:02Z')], { shardId: 2 });
    // Act
    const { aggregates } = combineBatch([...one, ...two], { ttlDays: 1, nowMs: NOW });
    // Assess
    expect(aggregates.map((a) => a.shardId)).toEqual(['shardId-000000000001', 'shardId-000000000002']);
  });

  it('combines 2,000 fixture events into far fewer items, losing no record', () => {
    // Prepare
    const events = enrichedEvents({ count: 2_000, seed: 7, startTime: new Date(NOW - 60_000) });
    const records = decodedRecords(events);
    // Act
    const { aggregates } = combineBatch(records, { ttlDays: 1, nowMs: NOW });
    // Assess
    const counted = aggregates.reduce((n, a) => n + (totalsAbove(a)?.count ?? 0), 0);
    expect(counted).toBe(records.length);
    expect(aggregates.length).toBeLessThan(records.length / 3);
  });
});

describe('totalsAbove', () => {
  const records = decodedRecords([
    event('2026-11-26T13:05:30Z', 'cmp-1', 'com.example.ad.purchase', 100),
    event('2026-11-26T13:05:10Z', 'cmp-1', 'com.example.ad.purchase', 20),
    event('2026-11-26T13:05:50Z', 'cmp-1', 'com.example.ad.purchase', 3),
  ]);
  const aggregate = combineBatch(records, { ttlDays: 1, nowMs: NOW }).aggregates[0];
  if (!aggregate) throw new Error('fixture');
  const positions = records.map((r) => recordPosition(r.sequenceNumber, r.subSequenceNumber));

  it('adds up count, revenue and time bounds of every contribution without a mark', () => {
    // Act
    const totals = totalsAbove(aggregate);
    // Assess
    expect(totals).toEqual({
      count: 3,
      revenueMicros: '123',
      firstSeenMs: Date.parse('2026-11-26T13:05:10Z'),
      lastSeenMs: Date.parse('2026-11-26T13:05:50Z'),
      firstPosition: positions[0],
      lastPosition: positions[2],
    });
  });

  it('counts only the contributions strictly above a high-water mark', () => {
    // Act
    const totals = totalsAbove(aggregate, positions[0]);
    // Assess
    expect(totals).toMatchObject({ count: 2, revenueMicros: '23', firstPosition: positions[1] });
  });

  it('reports nothing to add when the mark covers every contribution', () => {
    // Act / Assess
    expect(totalsAbove(aggregate, positions[2])).toBeUndefined();
  });

  it('keeps revenue sums beyond Number.MAX_SAFE_INTEGER exact', () => {
    // Prepare
    const big = decodedRecords([
      event('2026-11-26T13:05:30Z', 'cmp-1', 'com.example.ad.purchase', Number.MAX_SAFE_INTEGER),
      event('2026-11-26T13:05:31Z', 'cmp-1', 'com.example.ad.purchase', Number.MAX_SAFE_INTEGER),
      event('2026-11-26T13:05:32Z', 'cmp-1', 'com.example.ad.purchase', 3),
    ]);
    const [bigAggregate] = combineBatch(big, { ttlDays: 1, nowMs: NOW }).aggregates;
    if (!bigAggregate) throw new Error('fixture');
    // Act
    const totals = totalsAbove(bigAggregate);
    // Assess
    expect(totals?.revenueMicros).toBe((2n * BigInt(Number.MAX_SAFE_INTEGER) + 3n).toString());
  });
});
