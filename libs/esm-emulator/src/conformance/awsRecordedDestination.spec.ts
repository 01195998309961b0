import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteStreamCommand } from '@aws-sdk/client-kinesis';
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import {
  AWS_ON_FAILURE_MESSAGES,
  FUNCTION_ARN,
  ISO_MS,
  type RecordAgeSetup,
  type RecordedFunction,
  type RecordedOnFailureCase,
  STREAM_ARN,
  UUID,
  expectedFromRecording,
  keyOrder,
  seq,
} from '../test-helpers/awsOnFailureMessages';
import { mappingFor, recordingHandler } from '../test-helpers/harness';
import { createStream, decodeData, putRecords, useLocalKinesisAndSqs } from '../test-helpers/localKinesis';
import type { Clock, EsmKinesisEvent, EventSourceMappingOptions } from '../types';

const ACCOUNT = '111111111111';
const FUNCTION_NAME = 'kinesis-consumer';

function respond(behaviour: RecordedFunction, event: EsmKinesisEvent): unknown {
  switch (behaviour.kind) {
    case 'throws':
      throw new Error('intentional failure');
    case 'returns':
      return behaviour.response;
    case 'reports-flagged':
      return {
        batchItemFailures: event.Records.filter(
          (r) => (decodeData(r) as { should_fail?: boolean }).should_fail === true,
        ).map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })),
      };
    case 'succeeds':
      return undefined;
  }
}

// Source: on-failure messages recorded on AWS (LocalStack's AWS-validated snapshots, see
// src/test-helpers/awsOnFailureMessages.ts for the file and each test): each recorded scenario is run again on the
// emulator, with the same function behaviour and mapping settings, on the local Kinesis and a real local SQS
// queue, and the message the queue receives is compared with AWS's, key by key and in AWS's key order.
describe('on-failure destination messages, against the messages AWS recorded', () => {
  const local = useLocalKinesisAndSqs();
  // The stack may be shared (SHARDLINE_LOCAL_STACK): each scenario's stream and queue are deleted after it.
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });

  /** Puts the records, making them as old as the recorded test made them; returns their sequence numbers. */
  async function putAged(
    stream: string,
    records: unknown[],
    age: RecordAgeSetup,
  ): Promise<{ sequenceNumbers: string[]; clock: Clock; afterInvocation: () => void }> {
    let offsetMs = age === 'expired-before-start' ? 61_000 : 0;
    const offsetClock: Clock = { now: () => Date.now() + offsetMs };
    const afterInvocation = (): void => {
      if (age === 'expires-while-retrying') offsetMs = 61_000;
    };
    const put = async (slice: unknown[]): Promise<string[]> =>
      (
        await putRecords(
          local().kinesis,
          stream,
          slice.map((data) => ({ data })),
        )
      ).map((p) => p.SequenceNumber ?? '');
    if (age !== 'first-record-expired') {
      return { sequenceNumbers: await put(records), clock: offsetClock, afterInvocation };
    }
    // The first record arrives 100 ms before the others; the clock stands still 60 s after the others arrived,
    // less 50 ms, so that only the first one is older than 60 s.
    const first = await put(records.slice(0, 1));
    await sleep(100);
    const restFrom = Date.now();
    const rest = await put(records.slice(1));
    const frozenAt = restFrom + 60_000 - 50;
    return { sequenceNumbers: [...first, ...rest], clock: { now: () => frozenAt }, afterInvocation };
  }

  async function runScenario(
    scenario: Pick<RecordedOnFailureCase, 'records' | 'settings' | 'function' | 'recordAge'>,
    extra: Partial<EventSourceMappingOptions> = {},
    respondWith: (event: EsmKinesisEvent) => unknown = (event) => respond(scenario.function, event),
  ): Promise<{ bodies: string[]; sequenceNumbers: string[]; events: EsmKinesisEvent[]; streamArn: string }> {
    const stream = await createStream(local().kinesis);
    cleanups.push(() => local().kinesis.send(new DeleteStreamCommand({ StreamName: stream })));
    const streamArn = `arn:aws:kinesis:${local().region}:${ACCOUNT}:stream/${stream}`;
    const { QueueUrl } = await local().sqs.send(new CreateQueueCommand({ QueueName: `dlq-${stream}` }));
    cleanups.push(() => local().sqs.send(new DeleteQueueCommand({ QueueUrl })));
    const aged = await putAged(stream, scenario.records, scenario.recordAge);
    const handler = recordingHandler((event) => {
      try {
        return respondWith(event);
      } finally {
        aged.afterInvocation();
      }
    });
    const mapping = mappingFor(
      local().kinesis,
      stream,
      handler,
      {
        ...scenario.settings,
        destination_config: {
          on_failure: { destination_arn: `arn:aws:sqs:${local().region}:${ACCOUNT}:dlq-${stream}` },
        },
      },
      {
        sqs: local().sqs,
        destinationQueueUrlFor: () => QueueUrl ?? '',
        eventSourceArn: streamArn,
        functionName: FUNCTION_NAME,
        clock: aged.clock,
        ...extra,
      },
    );
    await mapping.start();
    await mapping.drain();
    await mapping.stop();
    const received = await local().sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    return {
      bodies: (received.Messages ?? []).map((m) => m.Body ?? ''),
      sequenceNumbers: aged.sequenceNumbers,
      events: handler.events,
      streamArn,
    };
  }

  it.each(Object.entries(AWS_ON_FAILURE_MESSAGES))('%s', async (_name, recorded) => {
    // Act
    const run = await runScenario(recorded);

    // Assess
    expect(run.bodies).toHaveLength(1);
    const message: unknown = JSON.parse(run.bodies[0] ?? 'null');
    expect(message).toStrictEqual(
      expectedFromRecording(recorded.message, {
        functionArn: `arn:aws:lambda:${local().region}:${ACCOUNT}:function:${FUNCTION_NAME}`,
        streamArn: run.streamArn,
        sequenceNumbers: run.sequenceNumbers,
      }),
    );
    expect(keyOrder(message)).toEqual(keyOrder(recorded.message));
    if (recorded.deliveries) {
      const delivered = run.events.flatMap((e) => e.Records.map((r) => r.kinesis.sequenceNumber));
      expect(run.sequenceNumbers.map((s) => delivered.filter((d) => d === s).length)).toEqual(
        recorded.deliveries,
      );
    }
  });

  // AWS recorded nothing for these; what the emulator sends is documented in the README.
  describe('where AWS recorded nothing', () => {
    const bindings = (run: {
      streamArn: string;
      sequenceNumbers: string[];
    }): Parameters<typeof expectedFromRecording>[1] => ({
      functionArn: `arn:aws:lambda:${local().region}:${ACCOUNT}:function:${FUNCTION_NAME}`,
      streamArn: run.streamArn,
      sequenceNumbers: run.sequenceNumbers,
    });

    it('a timeout is a function error: functionError "Unhandled", counted like a thrown error', async () => {
      // Act
      const run = await runScenario(
        {
          records: ['slow'],
          settings: { starting_position: 'TRIM_HORIZON', batch_size: 1, maximum_retry_attempts: 1 },
          function: { kind: 'succeeds' },
          recordAge: 'none',
        },
        { functionTimeoutSeconds: 0.05 },
        () => sleep(200),
      );

      // Assess
      expect(JSON.parse(run.bodies[0] ?? 'null')).toStrictEqual(
        expectedFromRecording(
          {
            requestContext: {
              requestId: UUID,
              functionArn: FUNCTION_ARN,
              condition: 'RetryAttemptsExhausted',
              approximateInvokeCount: 2,
            },
            responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
            version: '1.0',
            timestamp: ISO_MS,
            KinesisBatchInfo: {
              shardId: 'shardId-000000000000',
              startSequenceNumber: seq(1),
              endSequenceNumber: seq(1),
              approximateArrivalOfFirstRecord: ISO_MS,
              approximateArrivalOfLastRecord: ISO_MS,
              batchSize: 1,
              streamArn: STREAM_ARN,
            },
          },
          bindings(run),
        ),
      );
    });

    it('with bisection, the message describes the half skipped and counts its own invocations', async () => {
      // Act: record 3 of 4 always fails; [1..4] fails, [1,2] ok, [3,4] fails, [3] fails twice, [4] ok.
      const run = await runScenario(
        {
          records: [1, 2, 3, 4].map((i) => ({ should_fail: i === 3 })),
          settings: {
            starting_position: 'TRIM_HORIZON',
            batch_size: 4,
            bisect_batch_on_function_error: true,
            maximum_retry_attempts: 1,
          },
          function: { kind: 'throws' },
          recordAge: 'none',
        },
        {},
        (event) => {
          if (event.Records.some((r) => (decodeData(r) as { should_fail: boolean }).should_fail)) {
            throw new Error('poison');
          }
          return undefined;
        },
      );

      // Assess
      expect(run.bodies).toHaveLength(1);
      const message = JSON.parse(run.bodies[0] ?? 'null') as Record<string, Record<string, unknown>>;
      expect(message['requestContext']).toMatchObject({ approximateInvokeCount: 2 });
      expect(message['responseContext']).toStrictEqual({
        statusCode: 200,
        executedVersion: '$LATEST',
        functionError: 'Unhandled',
      });
      expect(message['KinesisBatchInfo']).toMatchObject({
        startSequenceNumber: run.sequenceNumbers[2],
        endSequenceNumber: run.sequenceNumbers[2],
        batchSize: 1,
      });
    });
  });
});
