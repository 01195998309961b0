import { mappingFor, recordingHandler } from '../test-helpers/harness';
import { createStream, putRecords, useLocalKinesis } from '../test-helpers/localKinesis';
import type { InvocationReport, MappingMetrics } from '../types';

// Source: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html (Invocations, Errors,
// Duration, IteratorAge) for what a mapping reports.
describe('metrics and live progress', () => {
  const local = useLocalKinesis();

  it('counts invocations, errors, records in and out, and emits progress after each invocation', async () => {
    // Prepare
    const stream = await createStream(local().kinesis, 2);
    await putRecords(
      local().kinesis,
      stream,
      Array.from({ length: 50 }, (_, i) => ({ data: { i } })),
    );
    const handler = recordingHandler((_event, call) => {
      if (call === 1) throw new Error('first call fails');
    });
    const mapping = mappingFor(local().kinesis, stream, handler, { batch_size: 10 });
    const reports: InvocationReport[] = [];
    const progress: MappingMetrics[] = [];
    mapping.on('invocation', (report) => reports.push(report));
    mapping.on('progress', (snapshot) => progress.push(snapshot));

    // Act
    await mapping.start();
    await mapping.drain();
    const metrics = mapping.metrics();
    await mapping.stop();

    // Assess
    expect(metrics).toMatchObject({
      invocations: handler.events.length,
      errors: 1,
      retries: 1,
      recordsIn: 50,
      recordsOut: 50,
      iteratorAgeMs: 0,
      batchesInFlight: 0,
      activeShards: 2,
    });
    expect(metrics.duration.sumMs).toBeGreaterThan(0);
    expect(metrics.duration.maxMs).toBeGreaterThanOrEqual(metrics.duration.lastMs);
    expect(reports).toHaveLength(handler.events.length);
    expect(reports.filter((r) => r.outcome === 'error')).toHaveLength(1);
    expect(progress.at(-1)?.invocations).toBe(handler.events.length);
  });

  it('reports the age of the oldest unprocessed record as iterator age while behind', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(local().kinesis, stream, [{ data: 1 }, { data: 2 }]);
    let ageSeen = -1;
    const seen: { mapping?: ReturnType<typeof mappingFor> } = {};
    const handler = recordingHandler(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      ageSeen = seen.mapping?.metrics().iteratorAgeMs ?? -1;
    });
    const mapping = mappingFor(local().kinesis, stream, handler, { batch_size: 1 });
    seen.mapping = mapping;

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(ageSeen).toBeGreaterThan(0);
  });

  it('stops while a handler hangs, abandoning it at the function timeout', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(local().kinesis, stream, [{ data: 1 }]);
    const handler = recordingHandler(() => new Promise(() => undefined));
    const mapping = mappingFor(local().kinesis, stream, handler, {}, { functionTimeoutSeconds: 0.2 });
    const invoked = new Promise((resolve) => {
      const wait = setInterval(() => {
        if (handler.events.length > 0) resolve(clearInterval(wait));
      }, 5);
    });
    await mapping.start();
    await invoked;

    // Act
    await mapping.stop();

    // Assess
    expect(mapping.metrics()).toMatchObject({ timeouts: 1, recordsOut: 0 });
  });

  it('refuses to drain a mapping that was not started', async () => {
    // Prepare
    const mapping = mappingFor(local().kinesis, 'unused', recordingHandler(), {});

    // Act
    const act = mapping.drain();

    // Assess
    await expect(act).rejects.toThrow(/drain\(\) called on a new mapping/);
  });
});
