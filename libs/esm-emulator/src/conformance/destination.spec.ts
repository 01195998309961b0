import { DeleteStreamCommand } from '@aws-sdk/client-kinesis';
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { mappingFor, recordingHandler } from '../test-helpers/harness';
import { createStream, putRecords, useLocalKinesisAndSqs } from '../test-helpers/localKinesis';
import type { OnFailureMessage } from '../types';

// Source: https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html, message shape as
// recorded on AWS (AWS-FACTS.md).
describe('on-failure destination through a real local SQS', () => {
  const local = useLocalKinesisAndSqs();

  it('sends one metadata-only message per skipped batch to the queue the destination ARN resolves to', async () => {
    // Prepare
    const stream = await createStream(local().kinesis);
    const puts = await putRecords(local().kinesis, stream, [{ data: 'poison' }]);
    const { QueueUrl } = await local().sqs.send(new CreateQueueCommand({ QueueName: `dlq-${stream}` }));
    const arn = `arn:aws:sqs:us-east-1:000000000000:dlq-${stream}`;
    const handler = recordingHandler(() => {
      throw new Error('always fails');
    });
    const mapping = mappingFor(
      local().kinesis,
      stream,
      handler,
      { maximum_retry_attempts: 1, destination_config: { on_failure: { destination_arn: arn } } },
      { sqs: local().sqs, destinationQueueUrlFor: () => QueueUrl ?? '' },
    );

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();
    const received = await local().sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    // The stack may be shared (SHARDLINE_LOCAL_STACK): leave nothing behind.
    await local().kinesis.send(new DeleteStreamCommand({ StreamName: stream }));
    await local().sqs.send(new DeleteQueueCommand({ QueueUrl }));

    // Assess
    expect(received.Messages).toHaveLength(1);
    const message = JSON.parse(received.Messages?.[0]?.Body ?? '{}') as OnFailureMessage;
    expect(message.requestContext).toMatchObject({
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 2,
    });
    expect(message.KinesisBatchInfo).toMatchObject({
      startSequenceNumber: puts[0]?.SequenceNumber,
      endSequenceNumber: puts[0]?.SequenceNumber,
      batchSize: 1,
    });
    expect(JSON.stringify(message)).not.toContain(Buffer.from('"poison"').toString('base64'));
  });
});
