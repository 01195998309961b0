import { gzipSync } from 'node:zlib';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createClient } from '@shardline/aws';
import { useLocalStack, type LocalStack } from '@shardline/local-stack';
import { AsyncInvoker } from './AsyncInvoker';
import { startInvokeApi, type InvokeApi } from './InvokeApi';
import { startS3NotificationProxy, type S3NotificationProxy } from './S3NotificationProxy';
import type { S3EventRecord } from './s3Notification';
import type { InvocationRecord } from './types';

// The Invoke API as the SDK's LambdaClient calls it, and S3 notifications from real uploads to fauxqs.
describe('local push: Invoke API and S3 notifications on the local stack', () => {
  let stack: LocalStack;
  let sqs: SQSClient;
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const name = (n: string) => `push-${process.pid}-${n}`;

  beforeAll(async () => {
    stack = await useLocalStack(['s3', 'sqs']);
    sqs = createClient(SQSClient, {
      endpoint: stack.endpoints.sqs!,
      region: stack.region,
      extra: { credentials },
    });
  }, 120_000);
  afterAll(async () => {
    sqs?.destroy();
    await stack?.stop();
  });

  async function queue(n: string): Promise<string> {
    return (await sqs.send(new CreateQueueCommand({ QueueName: name(n) }))).QueueUrl!;
  }

  async function receiveAll(queueUrl: string, count: number): Promise<unknown[]> {
    const bodies: unknown[] = [];
    for (let i = 0; i < 20 && bodies.length < count; i++) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      for (const m of Messages ?? []) bodies.push(JSON.parse(m.Body!));
    }
    return bodies;
  }

  describe('Invoke API', () => {
    let api: InvokeApi;
    let lambda: LambdaClient;
    let failures: string;
    const seen: unknown[] = [];
    let invoker: AsyncInvoker;

    beforeAll(async () => {
      failures = await queue('api-failures');
      invoker = new AsyncInvoker({
        functionName: 'echo',
        handler: async (event) => {
          seen.push(event);
          if ((event as { fail?: boolean }).fail) throw new RangeError('asked to fail');
          return { echoed: event };
        },
        config: { maximum_retry_attempts: 0, destination_config: { on_failure: { destination: failures } } },
        sqs,
      });
      api = await startInvokeApi({ functions: { echo: invoker } });
      lambda = createClient(LambdaClient, {
        endpoint: api.endpoint,
        region: stack.region,
        extra: { credentials },
      });
    });
    afterAll(async () => {
      lambda?.destroy();
      await api?.stop();
      await invoker?.stop();
    });

    it('queues an Event invocation and answers 202 with no payload', async () => {
      // Act
      const out = await lambda.send(
        new InvokeCommand({
          FunctionName: 'echo',
          InvocationType: 'Event',
          Payload: JSON.stringify({ n: 1 }),
        }),
      );
      await invoker.drain({ idleMs: 50 });

      // Assess
      expect(out.StatusCode).toBe(202);
      expect(out.Payload?.length ?? 0).toBe(0);
      expect(seen).toContainEqual({ n: 1 });
    });

    it('runs a RequestResponse invocation and returns its response', async () => {
      // Act
      const out = await lambda.send(
        new InvokeCommand({
          FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
          Payload: JSON.stringify({ n: 2 }),
        }),
      );

      // Assess
      expect(out).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
      expect(out.FunctionError).toBeUndefined();
      expect(JSON.parse(Buffer.from(out.Payload!).toString())).toEqual({ echoed: { n: 2 } });
    });

    it('returns a function error as Lambda does: 200, FunctionError Unhandled, the error document', async () => {
      // Act
      const out = await lambda.send(
        new InvokeCommand({ FunctionName: 'echo', Payload: JSON.stringify({ fail: true }) }),
      );

      // Assess
      expect(out).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled' });
      expect(JSON.parse(Buffer.from(out.Payload!).toString())).toMatchObject({
        errorType: 'RangeError',
        errorMessage: 'asked to fail',
      });
    });

    it('sends a failed Event invocation to the on-failure queue on fauxqs with the invocation record', async () => {
      // Act
      await lambda.send(
        new InvokeCommand({
          FunctionName: 'echo',
          InvocationType: 'Event',
          Payload: JSON.stringify({ fail: true, n: 3 }),
        }),
      );
      await invoker.drain({ idleMs: 50 });
      const [record] = (await receiveAll(failures, 1)) as InvocationRecord[];

      // Assess
      expect(record).toMatchObject({
        version: '1.0',
        requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 1 },
        requestPayload: { fail: true, n: 3 },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        responsePayload: { errorType: 'RangeError', errorMessage: 'asked to fail' },
      });
    });

    it('answers a DryRun with 204 without running the function', async () => {
      // Prepare
      const before = seen.length;

      // Act
      const out = await lambda.send(
        new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun', Payload: '{}' }),
      );

      // Assess
      expect(out.StatusCode).toBe(204);
      expect(seen.length).toBe(before);
    });

    it.each([
      ['an unknown function', { FunctionName: 'nope', Payload: '{}' }, 'ResourceNotFoundException'],
      [
        'a payload that is not JSON',
        { FunctionName: 'echo', InvocationType: 'Event' as const, Payload: '{not json' },
        'InvalidRequestContentException',
      ],
      [
        'an Event payload over 1 MB',
        {
          FunctionName: 'echo',
          InvocationType: 'Event' as const,
          Payload: JSON.stringify({ x: 'x'.repeat(1024 * 1024) }),
        },
        'RequestEntityTooLargeException',
      ],
    ])('refuses %s with the error AWS names', async (_, input, errorName) => {
      await expect(lambda.send(new InvokeCommand(input))).rejects.toMatchObject({ name: errorName });
    });
  });

  describe('S3 notifications', () => {
    let proxy: S3NotificationProxy;
    let s3: S3Client;
    const events: { Records: S3EventRecord[] }[] = [];
    const bucket = name('inbox');

    beforeAll(async () => {
      proxy = await startS3NotificationProxy({
        target: stack.endpoints.s3!,
        region: stack.region,
        buckets: {
          [bucket]: [
            {
              configuration: {
                id: 'gzip',
                events: ['s3:ObjectCreated:*'],
                filter_prefix: 'inbox/',
                filter_suffix: '.ndjson.gz',
              },
              target: { invoke: (event) => events.push(event as { Records: S3EventRecord[] }) },
            },
          ],
        },
      });
      s3 = createClient(S3Client, {
        endpoint: proxy.endpoint,
        region: stack.region,
        extra: { credentials, forcePathStyle: true },
      });
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    });
    afterAll(async () => {
      s3?.destroy();
      await proxy?.stop();
    });

    it('notifies a PutObject under the prefix and suffix with the stored size and ETag, key encoded', async () => {
      // Prepare
      const body = gzipSync('{"id":"1"}\n{"id":"2"}\n');

      // Act
      const put = await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'inbox/day 1/a=b.ndjson.gz', Body: body }),
      );
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'inbox/skip.txt', Body: 'x' }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'elsewhere/b.ndjson.gz', Body: body }));
      await proxy.settled();

      // Assess
      expect(events).toHaveLength(1);
      expect(proxy.emitted).toEqual({ [`${bucket}/gzip`]: 1 });
      const record = events[0]!.Records[0]!;
      expect(record).toMatchObject({
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
      });
      expect(record.s3.bucket).toMatchObject({ name: bucket, arn: `arn:aws:s3:::${bucket}` });
      expect(record.s3.object).toMatchObject({
        key: 'inbox/day+1/a%3Db.ndjson.gz',
        size: body.length,
        eTag: put.ETag!.replaceAll('"', ''),
      });
      expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]{18}$/);
    });

    it('notifies a CompleteMultipartUpload once, with the whole object size', async () => {
      // Prepare
      const key = 'inbox/big.ndjson.gz';
      const part = Buffer.alloc(5 * 1024 * 1024, 'a');
      const before = events.length;

      // Act
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
      const one = await s3.send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: part }),
      );
      const two = await s3.send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 2, Body: 'tail' }),
      );
      await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: one.ETag },
              { PartNumber: 2, ETag: two.ETag },
            ],
          },
        }),
      );
      await proxy.settled();

      // Assess
      expect(events.length - before).toBe(1);
      expect(events.at(-1)!.Records[0]).toMatchObject({
        eventName: 'ObjectCreated:CompleteMultipartUpload',
        s3: { object: { key, size: part.length + 4 } },
      });
    });
  });
});
