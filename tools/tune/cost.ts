import type { ConsumerName as App } from '@shardline/contract';
import { priceOf, type PriceTable } from './prices';

/** Hours in the month AWS prices by. */
export const HOURS_PER_MONTH = 730;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
/** AWS's GB on bills is 2^30 bytes. */
const GB = 1024 ** 3;
const PUT_PAYLOAD_UNIT_BYTES = 25 * 1024;
const ON_DEMAND_RECORD_ROUNDING_BYTES = 1024;
const FIREHOSE_RECORD_ROUNDING_BYTES = 5 * 1024;

/** The services a month of the pipeline is billed for. */
export const SERVICES = ['kinesis', 'lambda', 'dynamodb', 's3', 'sqs', 'cloudwatch', 'opensearch'] as const;
/** A billed service. */
export type Service = (typeof SERVICES)[number];
/** USD per month by service. */
export type ServiceCosts = Record<Service, number>;

/** Request units per DynamoDB operation (items of up to 1 KB; a batch call counts as one item, a lower bound). */
const DYNAMODB_UNITS: Record<string, { write?: number; read?: number }> = {
  PutItem: { write: 1 },
  UpdateItem: { write: 1 },
  DeleteItem: { write: 1 },
  BatchWriteItem: { write: 1 },
  TransactWriteItems: { write: 2 },
  GetItem: { read: 0.5 },
  BatchGetItem: { read: 0.5 },
  Query: { read: 0.5 },
  TransactGetItems: { read: 2 },
};
const S3_PUT_CLASS = new Set([
  'PutObject',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'CopyObject',
  'ListObjectsV2',
]);
const S3_GET_CLASS = new Set(['GetObject', 'HeadObject']);

function zero(): ServiceCosts {
  return { kinesis: 0, lambda: 0, dynamodb: 0, s3: 0, sqs: 0, cloudwatch: 0, opensearch: 0 };
}

/** One stream as priced. */
export interface StreamPlan {
  mode: 'PROVISIONED' | 'ON_DEMAND';
  shards: number;
  retentionHours: number;
  recordsPerSec: number;
  recordBytes: number;
  /** Polling consumers (each reads every byte once: billed per GB on on-demand streams). */
  standardConsumers: number;
}

/**
 * Monthly Kinesis cost of one stream without its enhanced fan-out consumers: shard-hours and PUT payload units
 * (25 KB each) when provisioned, with extended retention beyond 24 h; stream-hours and GB in and out (records
 * rounded up to 1 KB) when on-demand.
 */
export function streamCost(plan: StreamPlan, prices: PriceTable): number {
  const records = plan.recordsPerSec * SECONDS_PER_MONTH;
  if (plan.mode === 'ON_DEMAND') {
    const billedBytes = Math.ceil(plan.recordBytes / ON_DEMAND_RECORD_ROUNDING_BYTES) * 1024;
    const gbIn = (records * billedBytes) / GB;
    return (
      HOURS_PER_MONTH * priceOf(prices, 'kinesisOnDemandStreamHour') +
      gbIn * priceOf(prices, 'kinesisOnDemandIngestGb') +
      gbIn * plan.standardConsumers * priceOf(prices, 'kinesisOnDemandRetrievalGb')
    );
  }
  const shardHours = plan.shards * HOURS_PER_MONTH;
  const units = records * Math.ceil(plan.recordBytes / PUT_PAYLOAD_UNIT_BYTES);
  const retention =
    plan.retentionHours > 24 ? shardHours * priceOf(prices, 'kinesisExtendedRetentionShardHour') : 0;
  return (
    shardHours * priceOf(prices, 'kinesisShardHour') +
    (units / 1e6) * priceOf(prices, 'kinesisPutPayloadUnitMillion') +
    retention
  );
}

/** One consumer as priced: its measured figures at the memory and real batch it runs with. */
export interface ConsumerPlan {
  consumer: App;
  memoryMB: number;
  /** Records per second on its stream. */
  recordsPerSec: number;
  recordBytes: number;
  /** Records per invocation at this ingest. */
  realBatch: number;
  /** Billed duration of one such batch, ms. */
  durationMs: number;
  /** AWS calls per batch of realBatch records, by `service Operation`. */
  callsPerBatch: Record<string, number>;
  logBytesPerInvocation: number;
  metricCount: number;
  /** Bytes stored in S3 per record processed (the archive's gzip objects). */
  storedBytesPerRecord?: number;
  enhancedFanOut: boolean;
  streamMode: 'PROVISIONED' | 'ON_DEMAND';
  shards: number;
}

/**
 * Monthly cost of one consumer by service: Lambda requests and GB-seconds (arm64), DynamoDB request units, S3
 * requests and a month of archive in S3 Standard, SQS requests, CloudWatch Logs ingestion and EMF custom metrics,
 * and its enhanced fan-out (consumer-shard-hours and GB pushed) when it has one.
 */
export function consumerCost(plan: ConsumerPlan, prices: PriceTable): ServiceCosts {
  const costs = zero();
  const invocations = (plan.recordsPerSec / plan.realBatch) * SECONDS_PER_MONTH;
  const gbSeconds = invocations * (plan.durationMs / 1000) * (plan.memoryMB / 1024);
  costs.lambda =
    (invocations / 1e6) * priceOf(prices, 'lambdaRequestMillion') +
    gbSeconds * priceOf(prices, 'lambdaGbSecondArm64');

  let wru = 0;
  let rru = 0;
  let s3Put = 0;
  let s3Get = 0;
  let sqs = 0;
  for (const [key, perBatch] of Object.entries(plan.callsPerBatch)) {
    const [service, operation = ''] = key.split(' ');
    const calls = perBatch * invocations;
    if (service === 'dynamodb') {
      wru += calls * (DYNAMODB_UNITS[operation]?.write ?? 0);
      rru += calls * (DYNAMODB_UNITS[operation]?.read ?? 0);
    } else if (service === 's3') {
      if (S3_PUT_CLASS.has(operation)) s3Put += calls;
      if (S3_GET_CLASS.has(operation)) s3Get += calls;
    } else if (service === 'sqs') {
      sqs += calls;
    }
  }
  costs.dynamodb =
    (wru / 1e6) * priceOf(prices, 'dynamodbWriteRequestUnitMillion') +
    (rru / 1e6) * priceOf(prices, 'dynamodbReadRequestUnitMillion');
  const storedGbMonth = ((plan.storedBytesPerRecord ?? 0) * plan.recordsPerSec * SECONDS_PER_MONTH) / GB;
  costs.s3 =
    (s3Put / 1000) * priceOf(prices, 's3PutThousand') +
    (s3Get / 1000) * priceOf(prices, 's3GetThousand') +
    storedGbMonth * priceOf(prices, 's3StandardGbMonth');
  costs.sqs = (sqs / 1e6) * priceOf(prices, 'sqsRequestMillion');
  costs.cloudwatch =
    ((invocations * plan.logBytesPerInvocation) / GB) * priceOf(prices, 'cloudwatchLogsIngestGb') +
    plan.metricCount * priceOf(prices, 'cloudwatchMetricMonth');
  if (plan.enhancedFanOut) {
    const gbOut = (plan.recordsPerSec * SECONDS_PER_MONTH * plan.recordBytes) / GB;
    costs.kinesis =
      plan.streamMode === 'ON_DEMAND'
        ? gbOut * priceOf(prices, 'kinesisOnDemandEnhancedFanOutRetrievalGb')
        : plan.shards * HOURS_PER_MONTH * priceOf(prices, 'kinesisEnhancedFanOutConsumerShardHour') +
          gbOut * priceOf(prices, 'kinesisEnhancedFanOutRetrievalGb');
  }
  return costs;
}

/** The search domain as Terraform sizes it. */
export interface OpenSearchPlan {
  instanceType: string;
  instanceCount: number;
  dedicatedMasterType?: string;
  dedicatedMasterCount: number;
  volumeSizeGb: number;
}

/** Monthly cost of the domain: data and master instance-hours, and gp3 storage on every data node. */
export function openSearchCost(plan: OpenSearchPlan, prices: PriceTable): number {
  const masters =
    plan.dedicatedMasterCount > 0
      ? plan.dedicatedMasterCount * priceOf(prices, 'opensearchInstanceHour', plan.dedicatedMasterType)
      : 0;
  return (
    HOURS_PER_MONTH *
      (plan.instanceCount * priceOf(prices, 'opensearchInstanceHour', plan.instanceType) + masters) +
    plan.instanceCount * plan.volumeSizeGb * priceOf(prices, 'opensearchGp3GbMonth')
  );
}

/** A month of the pipeline, priced. */
export interface CostBreakdown {
  byService: ServiceCosts;
  /** Per consumer; `streams` holds the streams' own cost, `opensearch-domain` the domain. */
  byPart: Record<string, ServiceCosts>;
  monthlyUsd: number;
  perMillionEventsUsd: number;
}

/**
 * Adds up the streams, the consumers and the domain into the monthly cost by service and by part, and the cost
 * per million events put on the raw stream.
 */
export function pipelineCost(
  input: {
    eventsPerSec: number;
    streams: StreamPlan[];
    consumers: ConsumerPlan[];
    opensearch: OpenSearchPlan;
  },
  prices: PriceTable,
): CostBreakdown {
  const byPart: Record<string, ServiceCosts> = {};
  const streams = zero();
  streams.kinesis = input.streams.reduce((s, plan) => s + streamCost(plan, prices), 0);
  byPart.streams = streams;
  for (const consumer of input.consumers) byPart[consumer.consumer] = consumerCost(consumer, prices);
  const domain = zero();
  domain.opensearch = openSearchCost(input.opensearch, prices);
  byPart['opensearch-domain'] = domain;
  const byService = zero();
  for (const part of Object.values(byPart)) for (const s of SERVICES) byService[s] += part[s];
  const monthlyUsd = SERVICES.reduce((sum, s) => sum + byService[s], 0);
  const events = input.eventsPerSec * SECONDS_PER_MONTH;
  return { byService, byPart, monthlyUsd, perMillionEventsUsd: events > 0 ? monthlyUsd / (events / 1e6) : 0 };
}

/** The same archive (Hive-partitioned gzip objects in S3) done by Amazon Data Firehose, priced. */
export interface FirehoseCost {
  ingestUsd: number;
  dynamicPartitioningUsd: number;
  s3Usd: number;
  monthlyUsd: number;
  objectsPerMonth: number;
}

/**
 * Firehose reading the enriched stream into S3 with dynamic partitioning (the dt=/hour= keys): ingestion per GB
 * with every record rounded up to 5 KB, partitioning per GB and per 1,000 objects delivered, the objects' PUTs
 * and the same month of storage. A buffer flushes at 128 MiB or 900 s per active partition (one hour at a time).
 */
export function firehoseArchiveCost(
  input: { recordsPerSec: number; recordBytes: number; storedBytesPerRecord: number },
  prices: PriceTable,
): FirehoseCost {
  const records = input.recordsPerSec * SECONDS_PER_MONTH;
  const billedGb = (records * Math.ceil(input.recordBytes / FIREHOSE_RECORD_ROUNDING_BYTES) * 5120) / GB;
  const gb = (records * input.recordBytes) / GB;
  const bytesPerHour = input.recordsPerSec * 3600 * input.recordBytes;
  const objectsPerMonth = HOURS_PER_MONTH * Math.max(3600 / 900, Math.ceil(bytesPerHour / (128 * 1024 ** 2)));
  const ingestUsd = billedGb * priceOf(prices, 'firehoseIngestGb');
  const dynamicPartitioningUsd =
    gb * priceOf(prices, 'firehoseDynamicPartitioningGb') +
    (objectsPerMonth / 1000) * priceOf(prices, 'firehoseDynamicPartitioningObjectThousand');
  const s3Usd =
    (objectsPerMonth / 1000) * priceOf(prices, 's3PutThousand') +
    ((records * input.storedBytesPerRecord) / GB) * priceOf(prices, 's3StandardGbMonth');
  return {
    ingestUsd,
    dynamicPartitioningUsd,
    s3Usd,
    monthlyUsd: ingestUsd + dynamicPartitioningUsd + s3Usd,
    objectsPerMonth,
  };
}
