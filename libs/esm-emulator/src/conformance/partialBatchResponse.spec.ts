import { deliveredSequenceNumbers, mappingFor, recordingHandler } from '../test-helpers/harness';
import { createStream, putRecords, useLocalKinesis } from '../test-helpers/localKinesis';
import type { EsmKinesisEvent } from '../types';

const REPORT = { function_response_types: ['ReportBatchItemFailures'] };

// Source: https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
describe('ReportBatchItemFailures: the checkpoint rule', () => {
  const local = useLocalKinesis();

  async function run(
    respond: (event: EsmKinesisEvent, call: number) => unknown,
    settings: Record<string, unknown> = REPORT,
    count = 10,
  ): Promise<{
    events: EsmKinesisEvent[];
    seqs: string[];
    metrics: ReturnType<typeof mappingFor>['metrics'];
  }> {
    const stream = await createStream(local().kinesis);
    const puts = await putRecords(
      local().kinesis,
      stream,
      Array.from({ length: count }, (_, i) => ({ data: { i } })),
    );
    const handler = recordingHandler(respond);
    const mapping = mappingFor(local().kinesis, stream, handler, settings);
    await mapping.start();
    await mapping.drain();
    await mapping.stop();
    return {
      events: handler.events,
      seqs: puts.map((p) => p.SequenceNumber ?? ''),
      metrics: () => mapping.metrics(),
    };
  }

  it('retries from the lowest reported sequence number, whatever the order of the list', async () => {
    // Prepare
    let seqs: string[] = [];
    const respond = (event: EsmKinesisEvent, call: number): unknown => {
      if (call > 1) return { batchItemFailures: [] };
      seqs = event.Records.map((r) => r.kinesis.sequenceNumber);
      return { batchItemFailures: [{ itemIdentifier: seqs[6] }, { itemIdentifier: seqs[3] }] };
    };

    // Act
    const result = await run(respond);

    // Assess
    expect(result.events).toHaveLength(2);
    expect(deliveredSequenceNumbers(result.events.slice(1))).toEqual(result.seqs.slice(3));
    expect(result.metrics()).toMatchObject({ recordsOut: 10, retries: 1, partialFailures: 1, errors: 0 });
  });

  it.each([
    ['an empty list', { batchItemFailures: [] }],
    ['a null list', { batchItemFailures: null }],
    ['an empty response', {}],
    ['a null response', null],
    ['no response', undefined],
  ])('treats %s as complete success', async (_name, response) => {
    // Act
    const result = await run(() => response);

    // Assess
    expect(result.events).toHaveLength(1);
    expect(result.metrics()).toMatchObject({ recordsOut: 10, retries: 0 });
  });

  it.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a wrong key name', { batchItemFailures: [{ itemIdentifer: '1' }] }],
    ['a sequence number not in the batch', { batchItemFailures: [{ itemIdentifier: '12345' }] }],
  ])('treats %s as failure of the whole batch', async (_name, response) => {
    // Act
    const result = await run((_event, call) => (call === 1 ? response : undefined));

    // Assess
    expect(result.events).toHaveLength(2);
    expect(deliveredSequenceNumbers(result.events.slice(1))).toEqual(result.seqs);
    expect(result.metrics()).toMatchObject({ invalidResponses: 1, recordsOut: 10 });
  });

  it('ignores batchItemFailures unless function_response_types holds ReportBatchItemFailures', async () => {
    // Act
    const result = await run(
      (event) => ({ batchItemFailures: [{ itemIdentifier: event.Records[0]?.kinesis.sequenceNumber }] }),
      {},
    );

    // Assess
    expect(result.events).toHaveLength(1);
    expect(result.metrics()).toMatchObject({ recordsOut: 10, retries: 0 });
  });

  it('retries the whole batch when the first record is reported', async () => {
    // Act
    const result = await run((event, call) =>
      call === 1 ? { batchItemFailures: [{ itemIdentifier: event.Records[0]?.kinesis.sequenceNumber }] } : {},
    );

    // Assess
    expect(deliveredSequenceNumbers(result.events.slice(1))).toEqual(result.seqs);
  });
});
