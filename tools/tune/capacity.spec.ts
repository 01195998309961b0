import { evaluateCapacity, fitDuration, shardsForWrites, type ConsumerLoad } from './capacity';

const load: ConsumerLoad = {
  recordsPerSec: 1000,
  recordBytes: 1000,
  shards: 1,
  batchSize: 500,
  windowSeconds: 0,
  parallelizationFactor: 1,
  enhancedFanOut: false,
  standardConsumers: 1,
  retentionHours: 24,
};

describe('fitDuration', () => {
  it('fits a fixed part and a per-record part through the measured batches', () => {
    expect(
      fitDuration([
        { records: 100, durationMs: 30 },
        { records: 500, durationMs: 110 },
      ]),
    ).toEqual({
      fixedMs: 10,
      perRecordMs: expect.closeTo(0.2, 10),
    });
  });

  it('scales a single measurement through the origin', () => {
    expect(fitDuration([{ records: 200, durationMs: 50 }])).toEqual({ fixedMs: 0, perRecordMs: 0.25 });
  });
});

describe('evaluateCapacity', () => {
  it('fills a batch only as far as the ingest per shard over the window', () => {
    // 1,000 records/s on 1 shard, no window (about one poll a second): 1,000 records, capped by batch 500
    expect(evaluateCapacity(load, { fixedMs: 0, perRecordMs: 0.1 }).realBatch).toBe(500);
    // 4 shards: 250 records per shard per second
    expect(evaluateCapacity({ ...load, shards: 4 }, { fixedMs: 0, perRecordMs: 0.1 }).realBatch).toBe(250);
  });

  it('evaluates both formulas with the real batch and says it keeps up, with its headroom', () => {
    // Act: batch 500 x 1,000 B = 0.5 MB in 10 + 0.08 x 500 = 50 ms
    const v = evaluateCapacity(load, { fixedMs: 10, perRecordMs: 0.08 });

    // Assess
    // max theoretical: 1 x 2 MiB (2.097152 MB) / 0.05 s = 41.94 MB/s; effective 1 x 0.5 MB / 0.05 s = 10 MB/s
    expect(v.maxTheoreticalMBps).toBeCloseTo(41.943, 2);
    expect(v.effectiveMBps).toBeCloseTo(10, 6);
    // full batches of 500 in 50 ms drain 10,000 records/s per shard, but polling shares 2 MiB/s: 2,097 records/s
    expect(v.bottleneck).toBe('read-bandwidth');
    expect(v.sustainableRecordsPerSecPerShard).toBeCloseTo(2097.152, 3);
    expect(v.keepsUp).toBe(true);
    expect(v.headroom).toBeCloseTo(1.097, 3);
  });

  it('says how fast the iterator age grows and when records expire when it falls behind', () => {
    // full batch 500 in 1,000 ms: 500 records/s against 1,000 in
    const v = evaluateCapacity(load, { fixedMs: 0, perRecordMs: 2 });
    expect(v.keepsUp).toBe(false);
    expect(v.fallsBehindMBps).toBeCloseTo(0.5, 6);
    // 1 - 500/1,000: half a second of age per second; 24 h retention reached after 48 h
    expect(v.iteratorAgeGrowthPerSec).toBeCloseTo(0.5, 6);
    expect(v.hoursToExpiry).toBeCloseTo(48, 6);
  });

  it('shares 5 GetRecords/s and 2 MiB/s per shard among polling consumers, not with enhanced fan-out', () => {
    // 3 polling consumers: 2 MiB/s / 3 / 1,000 B = 699 records/s per shard each
    const shared = evaluateCapacity({ ...load, standardConsumers: 3 }, { fixedMs: 0, perRecordMs: 0.01 });
    expect(shared.sustainableRecordsPerSecPerShard).toBeCloseTo(699.05, 1);
    expect(shared.keepsUp).toBe(false);
    const fanOut = evaluateCapacity(
      { ...load, standardConsumers: 3, enhancedFanOut: true },
      { fixedMs: 0, perRecordMs: 0.01 },
    );
    expect(fanOut.sustainableRecordsPerSecPerShard).toBeCloseTo(2097.152, 3);
    // 6 polling consumers with batch 100: 5/6 calls/s x 100 records = 83 records/s per shard
    const polls = evaluateCapacity(
      { ...load, recordBytes: 10, batchSize: 100, standardConsumers: 6 },
      { fixedMs: 0, perRecordMs: 0.01 },
    );
    expect(polls.bottleneck).toBe('get-records');
    expect(polls.sustainableRecordsPerSecPerShard).toBeCloseTo(83.33, 1);
  });

  it('multiplies a shard by the parallelization factor and ends a batch at 6 MB', () => {
    const v = evaluateCapacity(
      { ...load, recordBytes: 100_000, batchSize: 10_000, parallelizationFactor: 2, enhancedFanOut: true },
      { fixedMs: 0, perRecordMs: 100 },
    );
    // 6 MiB / 100,000 B = 62 records per batch at most
    expect(v.fullBatch).toBe(62);
    // 2 x 62 records / 6.2 s = 20 records/s per shard
    expect(v.sustainableRecordsPerSecPerShard).toBeCloseTo(20, 6);
  });
});

describe('shardsForWrites', () => {
  it('needs a shard per MiB/s or per 1,000 records/s, whichever is more, plus headroom', () => {
    expect(shardsForWrites(1000, 1024)).toBe(1);
    expect(shardsForWrites(1000, 1024, 0.25)).toBe(2);
    expect(shardsForWrites(4000, 100)).toBe(4);
    expect(shardsForWrites(100, 50_000)).toBe(5);
  });
});
