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
import type { LocalStack } from '@shardline/local-stack';
import { APPS, type App, type PipelineTopology } from './readDevTopology';

/** Campaigns seeded in the reference table: most of the generator's, so both enrichment paths run. */
const SEEDED_CAMPAIGNS = 18;

/** Sleeps `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The topology with every resource name prefixed and, when given, both streams at `shards`. */
export function prefixed(
  topology: PipelineTopology,
  prefix: string,
  shards: number | undefined,
): PipelineTopology {
  if (!prefix && shards === undefined) return topology;
  const p = (name: string) => `${prefix}${name}`;
  const streams = {
    raw: { name: p(topology.streams.raw.name), shardCount: shards ?? topology.streams.raw.shardCount },
    enriched: {
      name: p(topology.streams.enriched.name),
      shardCount: shards ?? topology.streams.enriched.shardCount,
    },
  };
  // Variables that carry a resource name; ARCHIVE_PREFIX is a key prefix inside the (renamed) bucket.
  const renamed = new Set([
    'ENRICHED_STREAM_NAME',
    'REFERENCE_TABLE_NAME',
    'ARCHIVE_BUCKET',
    'AGGREGATES_TABLE_NAME',
    'OPENSEARCH_INDEX_PREFIX',
    'QUARANTINE_OVERFLOW_BUCKET',
    'ENRICHMENT_LEDGER_TABLE_NAME',
  ]);
  const consumers = {} as PipelineTopology['consumers'];
  for (const app of APPS) {
    const c = topology.consumers[app];
    consumers[app] = {
      ...c,
      onFailureQueue: p(c.onFailureQueue),
      environment: Object.fromEntries(
        Object.entries(c.environment).map(([k, v]) => [k, renamed.has(k) ? p(v) : v]),
      ),
    };
  }
  return {
    ...topology,
    streams,
    referenceTable: p(topology.referenceTable),
    aggregatesTable: p(topology.aggregatesTable),
    ledgerTable: p(topology.ledgerTable),
    archiveBucket: p(topology.archiveBucket),
    quarantineQueue: p(topology.quarantineQueue),
    indexPrefix: p(topology.indexPrefix),
    consumers,
  };
}

/** Polls `check` every 50 ms until it holds; rejects after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** SDK clients of the local stack's services. */
export interface Clients {
  kinesis: KinesisClient;
  dynamodb: DynamoDBClient;
  s3: S3Client;
  sqs: SQSClient;
}

/**
 * Creates what Terraform would for `topology` on the local stack: both streams, the three tables (reference data
 * seeded), the archive bucket and every queue; resolves with the queue URLs by name once all are active.
 */
export async function createResources(topology: PipelineTopology, clients: Clients) {
  const { kinesis, dynamodb, s3, sqs } = clients;
  for (const stream of Object.values(topology.streams)) {
    await kinesis.send(new CreateStreamCommand({ StreamName: stream.name, ShardCount: stream.shardCount }));
  }
  const tables: Array<[string, KeySchemaElement[]]> = [
    [topology.referenceTable, [{ AttributeName: 'campaignId', KeyType: 'HASH' }]],
    [
      topology.aggregatesTable,
      [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'windowStart', KeyType: 'RANGE' },
      ],
    ],
    [topology.ledgerTable, [{ AttributeName: 'shard', KeyType: 'HASH' }]],
  ];
  for (const [name, keys] of tables) {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: keys,
        AttributeDefinitions: keys.map((k) => ({ AttributeName: k.AttributeName!, AttributeType: 'S' })),
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }
  await s3.send(new CreateBucketCommand({ Bucket: topology.archiveBucket }));
  const queueUrls: Record<string, string> = {};
  for (const name of [topology.quarantineQueue, ...APPS.map((a) => topology.consumers[a].onFailureQueue)]) {
    queueUrls[name] = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  }
  for (const stream of Object.values(topology.streams)) {
    await waitFor(`stream ${stream.name}`, async () => {
      const d = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: stream.name }));
      return d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
    });
  }
  for (const [name] of tables) {
    await waitFor(`table ${name}`, async () => {
      const d = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
      return d.Table?.TableStatus === 'ACTIVE';
    });
  }
  // The reference data enrichment looks campaigns up in.
  const campaigns = Array.from(
    { length: SEEDED_CAMPAIGNS },
    (_, i) => `cmp-${String(i + 1).padStart(4, '0')}`,
  );
  for (let i = 0; i < campaigns.length; i += 25) {
    await dynamodb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [topology.referenceTable]: campaigns.slice(i, i + 25).map((id, j) => ({
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
  return queueUrls;
}

/** Clients of the stack's Kinesis, DynamoDB, S3 and SQS, with the stack's own credentials. */
export function localClients(stack: LocalStack): Clients {
  const stackEnv = stack.env();
  // Credentials of the stack itself, not of whoever runs this: the parent's environment is left alone.
  const credentials = {
    accessKeyId: stackEnv.AWS_ACCESS_KEY_ID ?? 'test',
    secretAccessKey: stackEnv.AWS_SECRET_ACCESS_KEY ?? 'test',
  };
  const clientOptions = { region: stack.region, maxAttempts: 5 };
  return {
    kinesis: createClient(KinesisClient, {
      ...clientOptions,
      endpoint: stack.endpoints.kinesis,
      extra: { credentials },
    }),
    dynamodb: createClient(DynamoDBClient, {
      ...clientOptions,
      endpoint: stack.endpoints.dynamodb,
      extra: { credentials },
    }),
    s3: createClient(S3Client, {
      ...clientOptions,
      endpoint: stack.endpoints.s3,
      extra: { credentials, forcePathStyle: true },
    }),
    sqs: createClient(SQSClient, { ...clientOptions, endpoint: stack.endpoints.sqs, extra: { credentials } }),
  };
}

/** Where a function's sink calls go: the services themselves or proxies in front of them. */
export interface FunctionEndpoints {
  dynamodb: string;
  s3: string;
  sqs: string;
  opensearch: string;
  quarantineQueueUrl: string;
}

/** A consumer's environment as Terraform sets it, pointed at the local stack (`stackEnv`) and `endpoints`. */
export function functionEnvironment(
  app: App,
  topology: PipelineTopology,
  stackEnv: Record<string, string>,
  endpoints: FunctionEndpoints,
): Record<string, string> {
  const environment: Record<string, string> = {
    ...stackEnv,
    ...topology.consumers[app].environment,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    QUARANTINE_QUEUE_URL: endpoints.quarantineQueueUrl,
  };
  if (app === 'enrichment') environment.ENRICHMENT_LEDGER_TABLE_NAME = topology.ledgerTable;
  if (app === 'opensearch-indexer') {
    // Locally there is no domain to resolve: the endpoint is given directly.
    delete environment.OPENSEARCH_DOMAIN_NAME;
    environment.OPENSEARCH_ENDPOINT = endpoints.opensearch;
  }
  return environment;
}
