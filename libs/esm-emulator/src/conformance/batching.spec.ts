import { MAX_PAYLOAD_BYTES } from '../constants';
import { deliveredSequenceNumbers, mappingFor, recordingHandler } from '../test-helpers/harness';
import { createStream, putRecords, useLocalKinesis } from '../test-helpers/localKinesis';

// Source: https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-parameters.html and
// https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html#services-kinesis-batching
describe('batching: BatchSize, MaximumBatchingWindowInSeconds and the 6 MB payload', () => {
  const local = useLocalKinesis();

  it('never puts more than batch_size records in one invocation, and delivers every record once', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    const puts = await putRecords(
      local().kinesis,
      stream,
      Array.from({ length: 250 }, (_, i) => ({ data: { i } })),
    );
    const handler = recordingHandler();
    const mapping = mappingFor(local().kinesis, stream, handler, { batch_size: 40 });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(Math.max(...handler.events.map((e) => e.Records.length))).toBe(40);
    expect(deliveredSequenceNumbers(handler.events)).toEqual(puts.map((p) => p.SequenceNumber));
  });

  it('defaults to batches of 100 records', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(
      local().kinesis,
      stream,
      Array.from({ length: 230 }, (_, i) => ({ data: { i } })),
    );
    const handler = recordingHandler();
    const mapping = mappingFor(local().kinesis, stream, handler, {});

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(handler.events.map((e) => e.Records.length)).toEqual([100, 100, 30]);
  });

  it('gathers records arriving within maximum_batching_window_in_seconds into one invocation', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    const handler = recordingHandler();
    const mapping = mappingFor(local().kinesis, stream, handler, {
      maximum_batching_window_in_seconds: 1,
      batch_size: 100,
    });
    await mapping.start();

    // Act: five separate puts, each seen by its own GetRecords call.
    for (let i = 0; i < 5; i += 1) {
      await putRecords(local().kinesis, stream, [{ data: { i } }]);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(handler.events.map((e) => e.Records.length)).toEqual([5]);
  });

  it('invokes before the batching window ends once batch_size records are gathered', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(
      local().kinesis,
      stream,
      Array.from({ length: 20 }, (_, i) => ({ data: { i } })),
    );
    const handler = recordingHandler();
    const mapping = mappingFor(local().kinesis, stream, handler, {
      maximum_batching_window_in_seconds: 300,
      batch_size: 10,
    });

    // Act
    await mapping.start();
    await mapping.drain({ timeoutMs: 10_000 });
    await mapping.stop();

    // Assess
    expect(handler.events.map((e) => e.Records.length)).toEqual([10, 10]);
  });

  it('cuts a batch before it exceeds the 6 MB synchronous payload limit', async () => {
    // Prepare: 12 records of 700 KB each (about 933 KB once base64-encoded).
    const stream = await createStream(local().kinesis);
    for (let i = 0; i < 12; i += 1) {
      await putRecords(local().kinesis, stream, [
        { data: Buffer.alloc(700 * 1024, i), partitionKey: `k${i}` },
      ]);
    }
    const handler = recordingHandler();
    const mapping = mappingFor(local().kinesis, stream, handler, { batch_size: 100 });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    const sizes = handler.events.map((e) => Buffer.byteLength(JSON.stringify(e)));
    expect(handler.events.length).toBeGreaterThan(1);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(handler.events.flatMap((e) => e.Records)).toHaveLength(12);
  });
});
