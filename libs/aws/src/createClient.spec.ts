import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createClient } from './createClient';

describe('createClient', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('uses an HTTP/1.1 handler for Kinesis, so local emulators without HTTP/2 work', () => {
    // Act
    const client = createClient(KinesisClient, { region: 'eu-west-1' });
    // Assess
    expect(client.config.requestHandler).toBeInstanceOf(NodeHttpHandler);
  });

  it('takes the region from AWS_REGION and the attempts from options', async () => {
    // Prepare
    process.env.AWS_REGION = 'ap-south-1';
    // Act
    const client = createClient(KinesisClient, { maxAttempts: 5 });
    // Assess
    await expect(client.config.region()).resolves.toBe('ap-south-1');
    await expect(client.config.maxAttempts()).resolves.toBe(5);
  });

  it('switches S3 to path-style addressing when an endpoint override is configured', () => {
    // Prepare
    process.env.AWS_ENDPOINT_URL_S3 = 'http://127.0.0.1:9000';
    // Act
    const local = createClient(S3Client);
    delete process.env.AWS_ENDPOINT_URL_S3;
    const aws = createClient(S3Client);
    // Assess
    expect(local.config.forcePathStyle).toBe(true);
    expect(aws.config.forcePathStyle).toBe(false);
  });

  it('sends SQS calls to the configured local endpoint rather than to the host inside queue URLs', () => {
    // Prepare
    process.env.AWS_ENDPOINT_URL_SQS = 'http://127.0.0.1:9324';
    // Act
    const local = createClient(SQSClient);
    delete process.env.AWS_ENDPOINT_URL_SQS;
    const aws = createClient(SQSClient);
    // Assess
    expect((local.config as { useQueueUrlAsEndpoint?: boolean }).useQueueUrlAsEndpoint).toBe(false);
    expect((aws.config as { useQueueUrlAsEndpoint?: boolean }).useQueueUrlAsEndpoint).toBe(true);
  });
});
