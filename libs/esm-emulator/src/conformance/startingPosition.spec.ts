import { deliveredSequenceNumbers, mappingFor, recordingHandler } from '../test-helpers/harness';
import { createStream, putRecords, useLocalKinesis } from '../test-helpers/localKinesis';

// Source: https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-parameters.html (StartingPosition)
describe('StartingPosition: LATEST, TRIM_HORIZON, AT_TIMESTAMP', () => {
  const local = useLocalKinesis();

  it('TRIM_HORIZON delivers records put before the mapping started', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    const before = await putRecords(local().kinesis, stream, [{ data: 'a' }, { data: 'b' }]);
    const handler = recordingHandler();
    const mapping = mappingFor(local().kinesis, stream, handler, { starting_position: 'TRIM_HORIZON' });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(deliveredSequenceNumbers(handler.events)).toEqual(before.map((p) => p.SequenceNumber));
  });

  it('LATEST skips records put before the mapping started and delivers later ones', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(local().kinesis, stream, [{ data: 'old' }]);
    const handler = recordingHandler();
    const mapping = mappingFor(local().kinesis, stream, handler, { starting_position: 'LATEST' });
    await mapping.start();
    await mapping.drain();

    // Act
    const after = await putRecords(local().kinesis, stream, [{ data: 'new' }]);
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(deliveredSequenceNumbers(handler.events)).toEqual(after.map((p) => p.SequenceNumber));
  });

  it('AT_TIMESTAMP starts at the first record that arrived at or after starting_position_timestamp', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(local().kinesis, stream, [{ data: 'before' }]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const timestamp = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await putRecords(local().kinesis, stream, [{ data: 'after' }]);
    const handler = recordingHandler();
    const mapping = mappingFor(local().kinesis, stream, handler, {
      starting_position: 'AT_TIMESTAMP',
      starting_position_timestamp: timestamp,
    });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(deliveredSequenceNumbers(handler.events)).toEqual(after.map((p) => p.SequenceNumber));
  });
});
