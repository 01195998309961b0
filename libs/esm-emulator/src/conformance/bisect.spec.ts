import { deliveredSequenceNumbers, mappingFor, recordingHandler } from '../test-helpers/harness';
import { createStream, decodeData, putRecords, useLocalKinesis } from '../test-helpers/localKinesis';

// Source: https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-errors.html (BisectBatchOnFunctionError)
// and https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html (bisect with
// ReportBatchItemFailures)
describe('BisectBatchOnFunctionError', () => {
  const local = useLocalKinesis();

  it('splits a failing batch in half until the poison record is alone, without using the retry quota', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(
      local().kinesis,
      stream,
      Array.from({ length: 8 }, (_, i) => ({ data: { i } })),
    );
    const handler = recordingHandler((event) => {
      if (event.Records.some((r) => (decodeData(r) as { i: number }).i === 5)) throw new Error('poison');
    });
    const mapping = mappingFor(local().kinesis, stream, handler, {
      bisect_batch_on_function_error: true,
      maximum_retry_attempts: 0,
    });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess: halves are processed in order, so the shard keeps its order:
    // [0..7] fails, [0..3] ok, [4..7] fails, [4,5] fails, [4] ok, [5] fails and is skipped, [6,7] ok.
    expect(handler.events.map((e) => e.Records.map((r) => (decodeData(r) as { i: number }).i))).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7],
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [4, 5],
      [4],
      [5],
      [6, 7],
    ]);
    expect(mapping.metrics()).toMatchObject({
      retries: 0,
      recordsOut: 7,
      recordsDiscarded: 1,
      bisections: 3,
    });
  });

  it('with ReportBatchItemFailures, splits at the reported record and retries only the rest', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    const puts = await putRecords(
      local().kinesis,
      stream,
      Array.from({ length: 6 }, (_, i) => ({ data: { i } })),
    );
    const handler = recordingHandler((event, call) =>
      call === 1 ? { batchItemFailures: [{ itemIdentifier: event.Records[4]?.kinesis.sequenceNumber }] } : {},
    );
    const mapping = mappingFor(local().kinesis, stream, handler, {
      bisect_batch_on_function_error: true,
      function_response_types: ['ReportBatchItemFailures'],
    });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(deliveredSequenceNumbers(handler.events.slice(1))).toEqual(
      puts.slice(4).map((p) => p.SequenceNumber),
    );
    expect(mapping.metrics()).toMatchObject({ recordsOut: 6, retries: 0 });
  });
});
