import { RecordingSqs } from '../test-helpers/RecordingSqs';
import { deliveredSequenceNumbers, mappingFor, recordingHandler } from '../test-helpers/harness';
import { createStream, putRecords, useLocalKinesis } from '../test-helpers/localKinesis';
import type { Clock, OnFailureMessage } from '../types';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:quarantine';
const QUEUE_URL = 'http://127.0.0.1:1/000000000000/quarantine';

// Source: https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-errors.html and
// https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html, with the destination message
// and approximateInvokeCount as recorded on AWS (AWS-FACTS.md).
describe('function errors: retries, MaximumRetryAttempts, MaximumRecordAgeInSeconds, on-failure destination', () => {
  const local = useLocalKinesis();

  it('retries the whole batch after a thrown error, blocking the shard until it succeeds (infinite by default)', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    const puts = await putRecords(
      local().kinesis,
      stream,
      Array.from({ length: 6 }, (_, i) => ({ data: { i } })),
    );
    const handler = recordingHandler((_event, call) => {
      if (call <= 4) throw new Error('downstream unavailable');
    });
    const mapping = mappingFor(local().kinesis, stream, handler, { batch_size: 3 });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess: the first batch is retried four times before the second batch is delivered.
    const seqs = puts.map((p) => p.SequenceNumber);
    expect(handler.events.map((e) => deliveredSequenceNumbers([e]))).toEqual([
      seqs.slice(0, 3),
      seqs.slice(0, 3),
      seqs.slice(0, 3),
      seqs.slice(0, 3),
      seqs.slice(0, 3),
      seqs.slice(3),
    ]);
    expect(mapping.metrics()).toMatchObject({
      errors: 4,
      retries: 4,
      recordsIn: 6,
      recordsOut: 6,
      invocations: 6,
    });
  });

  it('after maximum_retry_attempts, skips the batch and sends the AWS message to the SQS destination', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    const puts = await putRecords(local().kinesis, stream, [{ data: 'a' }, { data: 'b' }, { data: 'c' }]);
    const sqs = new RecordingSqs();
    const handler = recordingHandler((event) => {
      if (event.Records.length === 2) throw new Error('poison');
    });
    const mapping = mappingFor(
      local().kinesis,
      stream,
      handler,
      {
        batch_size: 2,
        maximum_retry_attempts: 2,
        destination_config: { on_failure: { destination_arn: QUEUE_ARN } },
      },
      {
        sqs,
        destinationQueueUrlFor: (arn) => (arn === QUEUE_ARN ? QUEUE_URL : 'unknown'),
        eventSourceArn: `arn:aws:kinesis:us-east-1:123456789012:stream/${stream}`,
        functionName: 'enrichment',
      },
    );

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(handler.events.map((e) => e.Records.length)).toEqual([2, 2, 2, 1]);
    expect(sqs.sent).toHaveLength(1);
    expect(sqs.sent[0]?.queueUrl).toBe(QUEUE_URL);
    const message = sqs.sent[0]?.body as OnFailureMessage;
    expect(message).toEqual({
      requestContext: {
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:enrichment',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      KinesisBatchInfo: {
        shardId: 'shardId-000000000000',
        startSequenceNumber: puts[0]?.SequenceNumber,
        endSequenceNumber: puts[1]?.SequenceNumber,
        approximateArrivalOfFirstRecord: expect.stringMatching(/Z$/),
        approximateArrivalOfLastRecord: expect.stringMatching(/Z$/),
        batchSize: 2,
        streamArn: `arn:aws:kinesis:us-east-1:123456789012:stream/${stream}`,
      },
    });
    expect(Object.keys(message)).toEqual([
      'requestContext',
      'responseContext',
      'version',
      'timestamp',
      'KinesisBatchInfo',
    ]);
    expect(mapping.metrics()).toMatchObject({
      recordsDiscarded: 2,
      recordsSentToDestination: 2,
      destinationMessages: 1,
      recordsOut: 1,
    });
  });

  it('with maximum_retry_attempts 0, invokes a failing batch once', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(local().kinesis, stream, [{ data: 'a' }]);
    const handler = recordingHandler(() => {
      throw new Error('always');
    });
    const mapping = mappingFor(local().kinesis, stream, handler, { maximum_retry_attempts: 0 });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(handler.events).toHaveLength(1);
    expect(mapping.metrics()).toMatchObject({ retries: 0, recordsDiscarded: 1, recordsSentToDestination: 0 });
  });

  it('gives the rest of a partially failed batch maximum_retry_attempts of its own (recorded on AWS)', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(
      local().kinesis,
      stream,
      Array.from({ length: 4 }, (_, i) => ({ data: { i } })),
    );
    const handler = recordingHandler((event) => ({
      batchItemFailures: [
        { itemIdentifier: event.Records[event.Records.length - 1]?.kinesis.sequenceNumber },
      ],
    }));
    const mapping = mappingFor(local().kinesis, stream, handler, {
      function_response_types: ['ReportBatchItemFailures'],
      maximum_retry_attempts: 1,
    });

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess: 4 records, then the last one alone, 1 + 1 retry; then it is skipped (as in the AWS recording of
    // test_kinesis_report_batch_item_failures, src/test-helpers/awsOnFailureMessages.ts).
    expect(handler.events.map((e) => e.Records.length)).toEqual([4, 1, 1]);
    expect(mapping.metrics()).toMatchObject({ recordsOut: 3, recordsDiscarded: 1, retries: 2 });
  });

  it('skips records older than maximum_record_age_in_seconds with condition RecordAgeExceeded', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(local().kinesis, stream, [{ data: 'a' }, { data: 'b' }]);
    let offsetMs = 0;
    const clock: Clock = { now: () => Date.now() + offsetMs };
    const sqs = new RecordingSqs();
    const handler = recordingHandler(() => {
      // The first invocation fails, then time passes beyond the maximum record age.
      offsetMs = 61_000;
      throw new Error('fails once');
    });
    const mapping = mappingFor(
      local().kinesis,
      stream,
      handler,
      {
        maximum_record_age_in_seconds: 60,
        destination_config: { on_failure: { destination_arn: QUEUE_URL } },
      },
      { sqs, clock },
    );

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(handler.events).toHaveLength(1);
    const message = sqs.sent[0]?.body as OnFailureMessage;
    expect(message.requestContext).toMatchObject({
      condition: 'RecordAgeExceeded',
      approximateInvokeCount: 1,
    });
    expect(message.KinesisBatchInfo.batchSize).toBe(2);
    expect(sqs.sent[0]?.queueUrl).toBe(QUEUE_URL);
  });

  it('counts an invocation past the function timeout as a function error and retries it', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    await putRecords(local().kinesis, stream, [{ data: 'a' }]);
    const outcomes: string[] = [];
    const handler = recordingHandler(async (_event, call) => {
      if (call === 1) await new Promise((resolve) => setTimeout(resolve, 500));
    });
    const mapping = mappingFor(local().kinesis, stream, handler, {}, { functionTimeoutSeconds: 0.1 });
    mapping.on('invocation', (report) => outcomes.push(report.outcome));

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();

    // Assess
    expect(outcomes).toEqual(['timeout', 'success']);
    expect(mapping.metrics()).toMatchObject({ errors: 1, timeouts: 1, retries: 1, recordsOut: 1 });
  });
});
