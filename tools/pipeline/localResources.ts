import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createClient } from '@shardline/aws';
import { consumerNames, contract, type Contract } from '@shardline/contract';
import { waitFor, type LocalStack } from '@shardline/local-stack';
import type { PipelineTopology } from './localTopology';

type ResourceName = keyof Contract['resources'];

/** Campaigns seeded in the reference table: most of the generator's, so both enrichment paths run. */
const SEEDED_CAMPAIGNS = 18;

/** SDK clients of the local stack's Kinesis, DynamoDB, S3 and SQS. */
export interface Clients {
  kinesis: KinesisClient;
  dynamodb: DynamoDBClient;
  s3: S3Client;
  sqs: SQSClient;
}

/**
 * The SDK clients the local tools themselves use, with the stack's own credentials (the caller's are left alone).
 *
 * @example
 * ```ts
 * const clients = connect(stack);
 * try { await createResources(topology, clients); } finally { for (const c of Object.values(clients)) c.destroy(); }
 * ```
 */
export function connect(stack: LocalStack): Clients {
  const stackEnv = stack.env();
  const endpoints = stack.endpoints;
  const credentials = {
    accessKeyId: stackEnv.AWS_ACCESS_KEY_ID ?? 'test',
    secretAccessKey: stackEnv.AWS_SECRET_ACCESS_KEY ?? 'test',
  };
  const clientOptions = { region: stack.region, maxAttempts: 5 };
  return {
    kinesis: createClient(KinesisClient, {
      ...clientOptions,
      endpoint: endpoints.kinesis,
      extra: { credentials },
    }),
    dynamodb: createClient(DynamoDBClient, {
      ...clientOptions,
      endpoint: endpoints.dynamodb,
      extra: { credentials },
    }),
    s3: createClient(S3Client, {
      ...clientOptions,
      endpoint: endpoints.s3,
      extra: { credentials, forcePathStyle: true },
    }),
    sqs: createClient(SQSClient, { ...clientOptions, endpoint: endpoints.sqs, extra: { credentials } }),
  };
}

/**
 * Creates what Terraform would for `topology` on the local stack, by iterating the contract: every stream, every
 * table with its declared key, the bucket of every bucket prefix, every queue and each consumer's on-failure
 * queue (domains and keys need nothing: one OpenSearch server holds every index, and nothing is encrypted
 * locally); resolves with the queue URLs by queue name once all are active.
 */
export async function createResources(
  topology: PipelineTopology,
  clients: Clients,
): Promise<Record<string, string>> {
  const { kinesis, dynamodb, s3, sqs } = clients;
  for (const stream of Object.values(topology.streams)) {
    await kinesis.send(new CreateStreamCommand({ StreamName: stream.name, ShardCount: stream.shardCount }));
  }
  const tables = Object.entries(contract.resources).flatMap(([name, r]) =>
    'hashKey' in r ? [{ name: topology.tables[name]!, keys: keySchema(r) }] : [],
  );
  for (const { name, keys } of tables) {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: keys,
        AttributeDefinitions: keys.map((k) => ({ AttributeName: k.AttributeName!, AttributeType: 'S' })),
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }
  for (const bucket of new Set(Object.values(topology.buckets))) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  const queueUrls: Record<string, string> = {};
  for (const name of [
    ...Object.values(topology.queues),
    ...consumerNames.map((a) => topology.consumers[a].onFailureQueue),
  ]) {
    queueUrls[name] = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  }
  for (const stream of Object.values(topology.streams)) {
    await waitFor(
      async () => {
        const d = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: stream.name }));
        return d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
      },
      { what: `stream ${stream.name}`, timeoutMs: 30_000, intervalMs: 50 },
    );
  }
  for (const { name } of tables) {
    await waitFor(
      async () => {
        const d = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
        return d.Table?.TableStatus === 'ACTIVE';
      },
      { what: `table ${name}`, timeoutMs: 30_000, intervalMs: 50 },
    );
  }
  return queueUrls;
}

/** A table's key as the contract declares it (string attributes, as Terraform's hash_key and range_key). */
function keySchema(table: { hashKey: string; rangeKey?: string }): KeySchemaElement[] {
  return [
    { AttributeName: table.hashKey, KeyType: 'HASH' },
    ...(table.rangeKey ? [{ AttributeName: table.rangeKey, KeyType: 'RANGE' as const }] : []),
  ];
}

/**
 * The table of reference data the event generator's campaigns are looked up in (by enrichment), by its name in
 * the contract: seeded because the generator and its campaigns belong to the sample domain, as the events do.
 */
const REFERENCE_TABLE: ResourceName = 'campaigns';

/** The reference data enrichment looks campaigns up in: most of the generator's campaigns, not all. */
export async function seedReferenceData(topology: PipelineTopology, dynamodb: DynamoDBClient): Promise<void> {
  const campaigns = Array.from(
    { length: SEEDED_CAMPAIGNS },
    (_, i) => `cmp-${String(i + 1).padStart(4, '0')}`,
  );
  for (let i = 0; i < campaigns.length; i += 25) {
    await dynamodb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [topology.tables[REFERENCE_TABLE]!]: campaigns.slice(i, i + 25).map((id, j) => ({
            PutRequest: {
              Item: {
                campaignId: { S: id },
                name: { S: `Campaign ${i + j + 1}` },
                advertiser: { S: `advertiser-${((i + j) % 5) + 1}` },
              },
            },
          })),
        },
      }),
    );
  }
}
