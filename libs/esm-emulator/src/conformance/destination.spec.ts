import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DeleteStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type LocalStack, useLocalStack } from '@shardline/local-stack';
import { mappingFor, recordingHandler } from '../test-helpers/harness';
import { createStream, putRecords } from '../test-helpers/localKinesis';
import type { OnFailureMessage } from '../types';

// Source: https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html, message shape as
// recorded on AWS (AWS-FACTS.md).
describe('on-failure destination through a real local SQS', () => {
  let stack: LocalStack;
  let kinesis: KinesisClient;
  let sqs: SQSClient;
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  beforeAll(async () => {
    stack = await useLocalStack(['kinesis', 'sqs']);
    kinesis = new KinesisClient({
      endpoint: stack.endpoints.kinesis,
      region: stack.region,
      credentials,
      requestHandler: new NodeHttpHandler(),
    });
    sqs = new SQSClient({ endpoint: stack.endpoints.sqs, region: stack.region, credentials });
  }, 60_000);
  afterAll(async () => {
    kinesis?.destroy();
    sqs?.destroy();
    await stack?.stop();
  });

  it('sends one metadata-only message per skipped batch to the queue the destination ARN resolves to', async () => {
    // Prepare
    const stream = await createStream(kinesis);
    const puts = await putRecords(kinesis, stream, [{ data: 'poison' }]);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `dlq-${stream}` }));
    const arn = `arn:aws:sqs:us-east-1:000000000000:dlq-${stream}`;
    const handler = recordingHandler(() => {
      throw new Error('always fails');
    });
    const mapping = mappingFor(
      kinesis,
      stream,
      handler,
      { maximum_retry_attempts: 1, destination_config: { on_failure: { destination_arn: arn } } },
      { sqs, destinationQueueUrlFor: () => QueueUrl ?? '' },
    );

    // Act
    await mapping.start();
    await mapping.drain();
    await mapping.stop();
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    // The stack may be shared (SHARDLINE_LOCAL_STACK): leave nothing behind.
    await kinesis.send(new DeleteStreamCommand({ StreamName: stream }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));

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
