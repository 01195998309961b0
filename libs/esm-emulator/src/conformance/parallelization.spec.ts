import { mappingFor, recordingHandler } from '../test-helpers/harness';
import { createStream, decodeData, putRecords, useLocalKinesis } from '../test-helpers/localKinesis';
import type { EsmKinesisEvent } from '../types';

// Source: https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html#services-kinesis-parallelization
describe('ParallelizationFactor', () => {
  const local = useLocalKinesis();

  it('runs several batches of one shard at once while keeping each partition key in order', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    const records = Array.from({ length: 200 }, (_, i) => ({
      data: { key: i % 20, n: Math.floor(i / 20) },
      partitionKey: `key-${i % 20}`,
    }));
    await putRecords(local().kinesis, stream, records);
    let running = 0;
    let maxRunning = 0;
    const events: EsmKinesisEvent[] = [];
    const handler = async (event: EsmKinesisEvent): Promise<void> => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      events.push(event);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running -= 1;
    };
    const mapping = mappingFor(local().kinesis, stream, handler, {
      parallelization_factor: 4,
      batch_size: 5,
    });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(maxRunning).toBeGreaterThan(1);
    expect(maxRunning).toBeLessThanOrEqual(4);
    const perKey = new Map<number, number[]>();
    for (const record of events.flatMap((e) => e.Records)) {
      const { key, n } = decodeData(record) as { key: number; n: number };
      perKey.set(key, [...(perKey.get(key) ?? []), n]);
    }
    expect(perKey.size).toBe(20);
    for (const sequence of perKey.values()) expect(sequence).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps other lanes moving while one lane retries a failing batch', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(
      local().kinesis,
      stream,
      Array.from({ length: 40 }, (_, i) => ({ data: { key: i % 8 }, partitionKey: `key-${i % 8}` })),
    );
    const delivered = new Set<number>();
    const handler = recordingHandler((event) => {
      const keys = event.Records.map((r) => (decodeData(r) as { key: number }).key);
      if (keys.includes(0)) throw new Error('key 0 is poison');
      for (const key of keys) delivered.add(key);
    });
    const mapping = mappingFor(local().kinesis, stream, handler, {
      parallelization_factor: 4,
      batch_size: 2,
      maximum_retry_attempts: 3,
    });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess: every key that never shares a lane batch with key 0 got through.
    expect(delivered.size).toBeGreaterThan(0);
    expect(delivered.has(0)).toBe(false);
    expect(mapping.metrics().recordsOut + mapping.metrics().recordsDiscarded).toBe(40);
  });
});
