import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createClient } from '@shardline/aws';
import { contract, metricsOf } from '@shardline/contract';
import { kinesisConsumer, sqsQuarantine } from '@shardline/middleware';
import { enrichedEventSchema, type EnrichedEvent } from '@shardline/schema';
import { archiveBatch } from './archiveBatch';
import { CONSUMER, loadArchiverConfig } from './config';

// Cold start: configuration is checked first so a bad deploy fails here, naming the variable.
const config = loadArchiverConfig();
const logger = new Logger({ serviceName: CONSUMER });
const metrics = new Metrics({ namespace: contract.namespace, serviceName: CONSUMER });
const metric = metricsOf(CONSUMER);
const s3 = createClient(S3Client);
const kms = config.kmsKeyId === undefined ? {} : { kmsKeyId: config.kmsKeyId };
const quarantine = sqsQuarantine({
  sqs: createClient(SQSClient),
  queueUrl: config.quarantineQueueUrl,
  // A record near the 256 KiB limit no longer fits an SQS message once base64-encoded: keep it whole in S3,
  // outside the table's location so Athena never reads it.
  overflow: { s3, bucket: config.bucket, prefix: contract.resources['quarantine-overflow'].prefix, ...kms },
});

/** The handler's S3 client, for integration tests that inject faults into its middleware stack. */
export const clients = { s3 } as const;

/** Kinesis (enriched stream) -> gzip NDJSON objects in S3, Hive-partitioned by hour of arrival. */
export const handler = kinesisConsumer<EnrichedEvent>(
  { consumer: CONSUMER, schema: enrichedEventSchema, quarantine, logger, metrics },
  async (batch) => {
    let objects = 0;
    await archiveBatch(batch, {
      s3,
      bucket: config.bucket,
      prefix: config.prefix,
      maxObjectBytes: config.maxObjectBytes,
      ...kms,
      onFailure: (plan, cause, error) => {
        logger.warn('archive object not written; its records and the rest of the batch will be retried', {
          key: plan.key,
          records: plan.records.length,
          cause,
          error: error as Error,
        });
      },
      onWritten: () => {
        objects++;
      },
    });
    metrics.addMetric(metric.ArchiveObjects, MetricUnit.Count, objects);
  },
);
