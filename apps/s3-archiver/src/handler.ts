import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createClient } from '@shardline/aws';
import { sqsQuarantine } from '@shardline/middleware';
import { QUARANTINE_OVERFLOW_PREFIX } from './constants';
import { createArchiverHandler } from './createArchiverHandler';
import { loadArchiverConfig } from './loadArchiverConfig';

// Cold start: configuration checked once, clients reused across invocations.
const { quarantineQueueUrl, ...config } = loadArchiverConfig();
const logger = new Logger();
const metrics = new Metrics();
const s3 = createClient(S3Client);
const quarantine = sqsQuarantine({
  sqs: createClient(SQSClient),
  queueUrl: quarantineQueueUrl,
  // A record near the 256 KiB limit no longer fits an SQS message once base64-encoded: keep it whole in S3,
  // outside the table's location so Athena never reads it.
  overflow: {
    s3,
    bucket: config.bucket,
    prefix: QUARANTINE_OVERFLOW_PREFIX,
    ...(config.kmsKeyId === undefined ? {} : { kmsKeyId: config.kmsKeyId }),
  },
});

/** Kinesis (enriched stream) -> gzip NDJSON objects in S3, Hive-partitioned by hour of arrival. */
export const handler = createArchiverHandler({ config, s3, quarantine, logger, metrics });
