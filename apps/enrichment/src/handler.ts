import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createClient, putRecords } from '@shardline/aws';
import { contract, metricsOf } from '@shardline/contract';
import { kinesisConsumer, sqsQuarantine } from '@shardline/middleware';
import { adEventSchema, type AdEvent } from '@shardline/schema';
import { CampaignCache } from './CampaignCache';
import { CONSUMER, loadEnrichmentConfig } from './config';
import { enrichBatch } from './enrich';
import { findPublished } from './findPublished';
import { dynamoDbPublishLedger } from './PublishLedger';
import { dynamoDbWindowStore, kinesisShardParents, RepeatFilter } from './RepeatFilter';

// Cold start: configuration is checked first so a bad deploy fails here, naming the variable.
const config = loadEnrichmentConfig();
const logger = new Logger({ serviceName: CONSUMER });
const metrics = new Metrics({ namespace: contract.namespace, serviceName: CONSUMER });
const metric = metricsOf(CONSUMER);

const kinesis = createClient(KinesisClient);
const dynamodb = createClient(DynamoDBClient);
const ledger = dynamoDbPublishLedger(dynamodb, config.ledgerTableName);
const repeats = new RepeatFilter({
  windowMs: config.dedupWindowSeconds * 1000,
  store: dynamoDbWindowStore(dynamodb, config.ledgerTableName),
  ledger,
  parentsOf: kinesisShardParents(kinesis),
});
const campaigns = new CampaignCache(
  dynamodb,
  config.referenceTableName,
  config.campaignCacheTtlSeconds * 1000,
);
const quarantine = sqsQuarantine({
  sqs: createClient(SQSClient),
  queueUrl: config.quarantineQueueUrl,
  overflow: config.quarantineOverflowBucket
    ? {
        s3: createClient(S3Client),
        bucket: config.quarantineOverflowBucket,
        prefix: contract.resources['quarantine-overflow'].prefix,
      }
    : undefined,
});

export const handler = kinesisConsumer<AdEvent>(
  {
    consumer: CONSUMER,
    schema: adEventSchema,
    quarantine,
    logger,
    metrics,
    timeoutGuardMs: config.timeoutGuardMs,
  },
  (batch) =>
    enrichBatch(batch, {
      lookupCampaigns: (ids, signal) => campaigns.resolve(ids, signal),
      ledger,
      repeats,
      onRepeats: (count) => metrics.addMetric(metric.DuplicateEvents, MetricUnit.Count, count),
      findPublished: (rawShardId, pending, signal) =>
        findPublished(kinesis, config.enrichedStreamName, rawShardId, pending, {
          budgetMs: Math.max(0, batch.timeLeftMs() / 2),
          signal,
        }),
      onLedgerError: (error) => {
        logger.warn('publish ledger unavailable; this batch is published at least once', {
          error: error as Error,
        });
        metrics.addMetric(metric.LedgerErrors, MetricUnit.Count, 1);
      },
      publish: (entries, signal, onWritten) =>
        putRecords(kinesis, config.enrichedStreamName, entries, {
          signal,
          onWritten,
          maxAttempts: config.putMaxAttempts,
          canRetry: () => batch.timeLeftMs() > 0,
        }),
    }),
);
