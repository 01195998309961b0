import { mappingFor, recordingHandler } from '../test-helpers/harness';
import { createStream, putRecords, useLocalKinesis } from '../test-helpers/localKinesis';
import type { EsmKinesisEvent } from '../types';

// Source: https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html
describe('TumblingWindowInSeconds', () => {
  const local = useLocalKinesis();

  function countingHandler(): ReturnType<typeof recordingHandler> {
    return recordingHandler((event: EsmKinesisEvent) => {
      const count = Number(event.state?.['count'] ?? 0) + event.Records.length;
      return { state: { count }, batchItemFailures: [] };
    });
  }

  it('passes state between invocations of a window and ends it with a final invocation', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    const handler = countingHandler();
    const mapping = mappingFor(
      local().kinesis,
      stream,
      handler,
      { tumbling_window_in_seconds: 1, batch_size: 3 },
      { shardDiscoveryIntervalMs: 60_000 },
    );
    await mapping.start();

    // Act
    await putRecords(
      local().kinesis,
      stream,
      Array.from({ length: 7 }, (_, i) => ({ data: { i } })),
    );
    await new Promise((resolve) => setTimeout(resolve, 2200));
    await mapping.drain();
    await mapping.stop();

    // Assess
    const finals = handler.events.filter((e) => e.isFinalInvokeForWindow);
    expect(finals.length).toBeGreaterThanOrEqual(1);
    expect(finals.reduce((sum, e) => sum + Number(e.state?.['count']), 0)).toBe(7);
    for (const final of finals) expect(final.Records).toEqual([]);
    const first = handler.events[0] as EsmKinesisEvent;
    expect(first).toMatchObject({
      state: {},
      shardId: 'shardId-000000000000',
      eventSourceARN: expect.stringContaining(`stream/${stream}`),
      isFinalInvokeForWindow: false,
      isWindowTerminatedEarly: false,
    });
    expect(first.window?.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const startMs = Date.parse(first.window?.start ?? '');
    expect(Date.parse(first.window?.end ?? '') - startMs).toBe(1000);
    for (const record of first.Records) {
      expect(record.kinesis.approximateArrivalTimestamp * 1000).toBeGreaterThanOrEqual(startMs);
      expect(record.kinesis.approximateArrivalTimestamp * 1000).toBeLessThan(startMs + 1000);
    }
  });

  it('treats a response without state as a failed invocation', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(local().kinesis, stream, [{ data: 1 }]);
    const handler = recordingHandler((event, call) => (call === 1 ? {} : { state: event.state ?? {} }));
    const mapping = mappingFor(local().kinesis, stream, handler, { tumbling_window_in_seconds: 60 });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(handler.events.filter((e) => e.Records.length === 1)).toHaveLength(2);
    expect(mapping.metrics()).toMatchObject({ invalidResponses: 1, retries: 1 });
  });
});
