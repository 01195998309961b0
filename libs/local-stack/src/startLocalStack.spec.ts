import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { Client as OpenSearchClient } from '@opensearch-project/opensearch';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_REGION } from './constants';
import { LocalStackError } from './errors';
import { startLocalStack } from './startLocalStack';
import { childPids, isListening } from './test-helpers/processes';
import type { LocalStack } from './types';

// OpenSearch takes about 10 s to start here, more on a busy machine.
const STARTUP_MS = 240_000;
// A first call to a freshly started JVM service (DynamoDB Local, OpenSearch) can take seconds on a busy machine.
jest.setTimeout(30_000);
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('startLocalStack', () => {
  let stack: LocalStack;
  let pidsBefore: number[];

  beforeAll(async () => {
    pidsBefore = childPids();
    stack = await startLocalStack({ services: ['kinesis', 'dynamodb', 's3', 'sqs', 'opensearch'] });
  }, STARTUP_MS);

  afterAll(() => stack?.stop(), 60_000);

  it('serves every requested service on a loopback endpoint', () => {
    // Assess
    for (const service of ['kinesis', 'dynamodb', 's3', 'sqs', 'opensearch'] as const) {
      expect(stack.endpoints[service]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
    expect(stack.endpoints.s3).toBe(stack.endpoints.sqs);
  });

  it('describes itself to the SDK and the handlers through environment variables', () => {
    // Act
    const env = stack.env();

    // Assess
    expect(env).toEqual({
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_KINESIS: stack.endpoints.kinesis,
      AWS_ENDPOINT_URL_DYNAMODB: stack.endpoints.dynamodb,
      AWS_ENDPOINT_URL_S3: stack.endpoints.s3,
      AWS_ENDPOINT_URL_SQS: stack.endpoints.sqs,
      OPENSEARCH_ENDPOINT: stack.endpoints.opensearch,
    });
  });

  it('reads back a Kinesis record that was put into a new stream', async () => {
    // Prepare
    const kinesis = new KinesisClient({
      endpoint: stack.endpoints.kinesis,
      region: stack.region,
      credentials,
      requestHandler: new NodeHttpHandler(),
    });
    const StreamName = `events-${randomUUID()}`;
    await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 2 }));
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 30, minDelay: 1 }, { StreamName });

    // Act
    const put = await kinesis.send(
      new PutRecordCommand({
        StreamName,
        PartitionKey: 'user-1',
        Data: new TextEncoder().encode('{"hello":1}'),
      }),
    );
    const iterator = await kinesis.send(
      new GetShardIteratorCommand({ StreamName, ShardId: put.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator }));

    // Assess
    const shards = await kinesis.send(new ListShardsCommand({ StreamName }));
    expect(shards.Shards).toHaveLength(2);
    expect(got.Records?.map((record) => new TextDecoder().decode(record.Data))).toEqual(['{"hello":1}']);
    expect(got.Records?.[0]?.SequenceNumber).toBe(put.SequenceNumber);
    kinesis.destroy();
  });

  it('commits a DynamoDB transaction and cancels one whose condition fails', async () => {
    // Prepare
    const dynamodb = new DynamoDBClient({
      endpoint: stack.endpoints.dynamodb,
      region: stack.region,
      credentials,
    });
    const TableName = `counters-${randomUUID()}`;
    await dynamodb.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const putOnce = (pk: string) => ({
      Put: { TableName, Item: { pk: { S: pk } }, ConditionExpression: 'attribute_not_exists(pk)' },
    });

    // Act
    await dynamodb.send(new TransactWriteItemsCommand({ TransactItems: [putOnce('a'), putOnce('b')] }));
    const retried = dynamodb.send(
      new TransactWriteItemsCommand({ TransactItems: [putOnce('c'), putOnce('a')] }),
    );

    // Assess
    await expect(retried).rejects.toBeInstanceOf(TransactionCanceledException);
    const written = await dynamodb.send(new GetItemCommand({ TableName, Key: { pk: { S: 'b' } } }));
    const rolledBack = await dynamodb.send(new GetItemCommand({ TableName, Key: { pk: { S: 'c' } } }));
    expect(written.Item).toEqual({ pk: { S: 'b' } });
    expect(rolledBack.Item).toBeUndefined();
    dynamodb.destroy();
  });

  it('stores and returns an S3 object uploaded with the default checksums', async () => {
    // Prepare
    const s3 = new S3Client({
      endpoint: stack.endpoints.s3,
      region: stack.region,
      credentials,
      forcePathStyle: true,
    });
    const Bucket = `archive-${randomUUID()}`;
    const body = JSON.stringify({ events: Array.from({ length: 1000 }, (_, i) => ({ i })) });
    await s3.send(new CreateBucketCommand({ Bucket }));

    // Act
    await s3.send(new PutObjectCommand({ Bucket, Key: 'shard-0/1.json', Body: body }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'shard-0/1.json' }));

    // Assess
    expect(await got.Body?.transformToString()).toBe(body);
    s3.destroy();
  });

  it('delivers an SQS message to a receiver', async () => {
    // Prepare
    const sqs = new SQSClient({ endpoint: stack.endpoints.sqs, region: stack.region, credentials });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `quarantine-${randomUUID()}` }));

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"reason":"SCHEMA"}' }));
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 5 }),
    );

    // Assess
    expect(received.Messages?.map((message) => message.Body)).toEqual(['{"reason":"SCHEMA"}']);
    sqs.destroy();
  });

  it('finds an OpenSearch document that was indexed', async () => {
    // Prepare
    const opensearch = new OpenSearchClient({ node: stack.endpoints.opensearch });
    const index = `events-${randomUUID()}`;

    // Act
    await opensearch.index({
      index,
      id: 'src/1',
      body: { campaignId: 'c-42', type: 'click' },
      refresh: true,
    });
    const found = await opensearch.search({
      index,
      body: { query: { term: { 'campaignId.keyword': 'c-42' } } },
    });

    // Assess
    expect(found.body.hits.hits.map((hit) => hit._id)).toEqual(['src/1']);
    await opensearch.close();
  });

  it('leaves no child process and no listening port after stop', async () => {
    // Prepare
    const endpoints = Object.values(stack.endpoints);
    expect(childPids().length).toBeGreaterThan(pidsBefore.length);

    // Act
    await stack.stop();

    // Assess
    expect(childPids()).toEqual(pidsBefore);
    for (const endpoint of endpoints) expect(await isListening(endpoint)).toBe(false);
  }, 60_000);
});

describe('startLocalStack with a bad request', () => {
  it('rejects an unknown service before starting anything', async () => {
    // Act
    const started = startLocalStack({ services: ['kinesis', 'redis' as never] });

    // Assess
    await expect(started).rejects.toThrow(LocalStackError);
    await expect(started).rejects.toThrow('unknown service "redis"');
  });
});
