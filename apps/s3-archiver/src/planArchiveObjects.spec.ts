import { aggregateRecords, decodeBatch, type DecodedRecord } from '@shardline/records';
import { makeKinesisRecord } from '@shardline/records/testing';
import { planArchiveObjects } from './planArchiveObjects';
import { enrichedEvents, FIRST_SEQUENCE_NUMBER, shardRecords } from './test-helpers/enrichedEvents';

const HOUR_START = 1704070800; // 2024-01-01T01:00:00Z
const seq = (i: number): string => (FIRST_SEQUENCE_NUMBER + BigInt(i)).toString();
const large = { prefix: 'events', maxObjectBytes: 64 * 1024 * 1024 };

describe('planArchiveObjects', () => {
  it('writes a batch of one hour as one object named after its first record', () => {
    // Prepare
    const records = shardRecords(enrichedEvents(20), { arrival: (i) => HOUR_START + i });

    // Act
    const plans = planArchiveObjects(records, large);

    // Assess
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({
      key: `events/dt=2024-01-01/hour=01/shardId-000000000000-${seq(0)}.ndjson.gz`,
      firstSequenceNumber: seq(0),
      lastSequenceNumber: seq(19),
      dt: '2024-01-01',
      hour: '01',
    });
    expect(plans[0]?.records).toHaveLength(20);
  });

  it('starts a new object where the hour of arrival changes', () => {
    // Prepare: records 0..2 arrive in hour 00, 3..5 in hour 01.
    const records = shardRecords(enrichedEvents(6), { arrival: (i) => HOUR_START - 3 + i });

    // Act
    const plans = planArchiveObjects(records, large);

    // Assess
    expect(plans.map((p) => [p.hour, p.firstSequenceNumber, p.records.length])).toEqual([
      ['00', seq(0), 3],
      ['01', seq(3), 3],
    ]);
  });

  it('splits a run over the size cap, keeping every object within the cap', () => {
    // Prepare
    const records = shardRecords(enrichedEvents(50), { arrival: () => HOUR_START });
    const total = records.reduce((n, r) => n + r.size + 1, 0);
    const maxObjectBytes = Math.ceil(total / 4);

    // Act
    const plans = planArchiveObjects(records, { prefix: 'events', maxObjectBytes });

    // Assess
    expect(plans.length).toBeGreaterThanOrEqual(4);
    for (const plan of plans) expect(plan.ndjsonBytes).toBeLessThanOrEqual(maxObjectBytes);
    expect(plans.flatMap((p) => p.records)).toEqual(records);
    expect(new Set(plans.map((p) => p.key)).size).toBe(plans.length);
  });

  it('cuts the same objects again for any batch that starts where an object started', () => {
    // Prepare
    const records = shardRecords(enrichedEvents(60), { arrival: (i) => HOUR_START - 1 + i / 40 });
    const options = { prefix: 'events', maxObjectBytes: 4_000 };
    const whole = planArchiveObjects(records, options);
    const third = whole[2] as (typeof whole)[number];
    const start = records.indexOf(third.records[0] as DecodedRecord<never>);

    // Act: a retry from the third object's first record
    const retry = planArchiveObjects(records.slice(start), options);

    // Assess
    expect(retry.map((p) => [p.key, p.records.length])).toEqual(
      whole.slice(2).map((p) => [p.key, p.records.length]),
    );
  });

  it('gives a record larger than the cap an object of its own', () => {
    // Prepare
    const events = enrichedEvents(3);
    const big = { ...events[1], data: { ...events[1]?.data, attributes: { note: 'x'.repeat(3_000) } } };
    const records = shardRecords([events[0] as object, big, events[2] as object], {
      arrival: () => HOUR_START,
    });

    // Act
    const plans = planArchiveObjects(records, { prefix: 'events', maxObjectBytes: 2_000 });

    // Assess
    expect(plans.map((p) => p.records.length)).toEqual([1, 1, 1]);
    expect(plans[1]?.ndjsonBytes).toBeGreaterThan(2_000);
  });

  it('never separates the sub-records of one aggregated Kinesis record', () => {
    // Prepare: one KPL record of 10 events between two plain records
    const events = enrichedEvents(12);
    const aggregated = aggregateRecords(
      events
        .slice(1, 11)
        .map((e, i) => ({ partitionKey: `user-${i}`, data: Buffer.from(JSON.stringify(e)) })),
    );
    const at = { shardId: 0, approximateArrivalTimestamp: HOUR_START, streamName: 'shardline-enriched' };
    const { records } = decodeBatch({
      Records: [
        makeKinesisRecord(events[0] as unknown as Record<string, unknown>, { ...at, sequenceNumber: seq(0) }),
        makeKinesisRecord(aggregated, { ...at, sequenceNumber: seq(1) }),
        makeKinesisRecord(events[11] as unknown as Record<string, unknown>, {
          ...at,
          sequenceNumber: seq(2),
        }),
      ],
    });
    const oneEvent = (records[0]?.size ?? 0) + 1;

    // Act: a cap of about three events would cut inside the aggregate
    const plans = planArchiveObjects(records, { prefix: 'events', maxObjectBytes: oneEvent * 3 });

    // Assess
    expect(
      plans.map((p) => p.records.map((r) => `${r.sequenceNumber.slice(-1)}:${r.subSequenceNumber ?? '-'}`)),
    ).toEqual([['8:-'], ['9:0', '9:1', '9:2', '9:3', '9:4', '9:5', '9:6', '9:7', '9:8', '9:9'], ['0:-']]);
  });

  it('starts a new object after a quarantined record', () => {
    // Prepare: record 3 was quarantined and is missing from the good records
    const records = shardRecords(enrichedEvents(8), { arrival: () => HOUR_START }).filter((_, i) => i !== 3);

    // Act
    const plans = planArchiveObjects(records, { ...large, poisonSequenceNumbers: [seq(3)] });

    // Assess
    expect(plans.map((p) => [p.firstSequenceNumber, p.records.length])).toEqual([
      [seq(0), 3],
      [seq(4), 4],
    ]);
  });

  it('plans nothing for a batch without good records', () => {
    // Act
    const plans = planArchiveObjects([], large);

    // Assess
    expect(plans).toEqual([]);
  });

  it('refuses records of two shards in one batch', () => {
    // Prepare
    const a = shardRecords(enrichedEvents(1));
    const b = shardRecords(enrichedEvents(1), { shardId: 'shardId-000000000001' });

    // Act
    const act = (): unknown => planArchiveObjects([...a, ...b], large);

    // Assess
    expect(act).toThrow('records of shardId-000000000000 and shardId-000000000001 in one batch');
  });
});
