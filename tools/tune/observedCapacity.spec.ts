import { formatObservedCapacity, observedCapacity } from './observedCapacity';

describe('observedCapacity', () => {
  it('evaluates both formulas with the mean batch and duration and says it keeps up', () => {
    // Act: 1,000 records in 10 batches of 100 x 1,000 B (0.1 MB) in 50 ms, fed 1,000 records/s (1 MB/s)
    const c = observedCapacity({
      shards: 1,
      invocations: 10,
      recordsIn: 1000,
      meanDurationMs: 50,
      recordBytes: 1000,
      ingestRecordsPerSec: 1000,
    })!;

    // Assess: max 1 x 2 MiB (2.097152 MB) / 0.05 s = 41.94 MB/s; effective 1 x 0.1 / 0.05 = 2 MB/s >= 1 MB/s
    expect(c.maxTheoreticalMBps).toBeCloseTo(41.943, 3);
    expect(c.effectiveMBps).toBeCloseTo(2, 9);
    expect(c.keepsUp).toBe(true);
    expect(formatObservedCapacity(c)).toBe(
      '50 ms per batch of 100: max 41.9 MB/s, effective 2.00 MB/s against 1.00 MB/s fed: keeps up',
    );
  });

  it('says by how many MB/s it falls behind', () => {
    // batches of 100 x 1,000 B in 200 ms on 2 shards: 2 x 0.1 / 0.2 = 1 MB/s against 3,000 x 1,000 B = 3 MB/s
    const c = observedCapacity({
      shards: 2,
      invocations: 5,
      recordsIn: 500,
      meanDurationMs: 200,
      recordBytes: 1000,
      ingestRecordsPerSec: 3000,
    });
    expect(formatObservedCapacity(c)).toMatch(/falls behind by 2\.00 MB\/s$/);
  });

  it('has nothing to say about a consumer that ran no batch', () => {
    const c = observedCapacity({
      shards: 1,
      invocations: 0,
      recordsIn: 0,
      meanDurationMs: 0,
      recordBytes: 1,
      ingestRecordsPerSec: 1,
    });
    expect(formatObservedCapacity(c)).toBe('no batch');
  });
});
