import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createClient } from '@shardline/aws';
import { contract } from '@shardline/contract';
import { sqsQuarantine } from '@shardline/middleware';
import { CONSUMER, loadArchiverConfig } from './config';
import { createArchiverHandler } from './createArchiverHandler';

// Cold start: configuration checked once, clients reused across invocations.
const { quarantineQueueUrl, ...config } = loadArchiverConfig();
const logger = new Logger({ serviceName: CONSUMER });
const metrics = new Metrics({ namespace: contract.namespace, serviceName: CONSUMER });
const s3 = createClient(S3Client);
const quarantine = sqsQuarantine({
  sqs: createClient(SQSClient),
  queueUrl: quarantineQueueUrl,
  // A record near the 256 KiB limit no longer fits an SQS message once base64-encoded: keep it whole in S3,
  // outside the table's location so Athena never reads it.
  overflow: {
    s3,
    bucket: config.bucket,
    prefix: contract.resources['quarantine-overflow'].prefix,
    ...(config.kmsKeyId === undefined ? {} : { kmsKeyId: config.kmsKeyId }),
  },
});

/** Kinesis (enriched stream) -> gzip NDJSON objects in S3, Hive-partitioned by hour of arrival. */
export const handler = createArchiverHandler({ config, s3, quarantine, logger, metrics });
