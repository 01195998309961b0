import { mappingFor, recordingHandler } from '../test-helpers/harness';
import { createStream, decodeData, putRecords, useLocalKinesis } from '../test-helpers/localKinesis';

// Source: https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis-filtering.html and
// https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
describe('FilterCriteria', () => {
  const local = useLocalKinesis();

  const pattern = (value: unknown): { pattern: string } => ({ pattern: JSON.stringify(value) });

  it('delivers only records whose data (decoded as JSON) matches, and skips the rest without retrying', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(local().kinesis, stream, [
      { data: { order: { type: 'buy', qty: 5 } } },
      { data: { order: { type: 'sell', qty: 5 } } },
      { data: { order: { type: 'buy', qty: 50 } } },
    ]);
    const handler = recordingHandler();
    const mapping = mappingFor(local().kinesis, stream, handler, {
      filter_criteria: {
        filter: [pattern({ data: { order: { type: ['buy'], qty: [{ numeric: ['<', 10] }] } } })],
      },
    });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(handler.events.flatMap((e) => e.Records.map(decodeData))).toEqual([
      { order: { type: 'buy', qty: 5 } },
    ]);
    expect(mapping.metrics()).toMatchObject({
      filtered: 2,
      recordsIn: 1,
      recordsOut: 1,
      retries: 0,
      recordsDiscarded: 0,
    });
  });

  it('ORs up to five patterns and matches metadata such as partitionKey', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(local().kinesis, stream, [
      { data: { kind: 'a' }, partitionKey: 'user-1' },
      { data: { kind: 'b' }, partitionKey: 'device-1' },
      { data: { kind: 'c' }, partitionKey: 'device-2' },
    ]);
    const handler = recordingHandler();
    const mapping = mappingFor(local().kinesis, stream, handler, {
      filter_criteria: {
        filter: [pattern({ partitionKey: [{ prefix: 'user-' }] }), pattern({ data: { kind: ['c'] } })],
      },
    });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(handler.events.flatMap((e) => e.Records.map((r) => r.kinesis.partitionKey))).toEqual([
      'user-1',
      'device-2',
    ]);
  });

  it('drops records whose data is not JSON when a pattern looks into data', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(local().kinesis, stream, [{ data: Buffer.from('not json') }, { data: { kind: 'a' } }]);
    const handler = recordingHandler();
    const mapping = mappingFor(local().kinesis, stream, handler, {
      filter_criteria: { filter: [pattern({ data: { kind: [{ exists: true }] } })] },
    });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(handler.events.flatMap((e) => e.Records.map(decodeData))).toEqual([{ kind: 'a' }]);
    expect(mapping.metrics().filtered).toBe(1);
  });
});
