import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createClient, putRecords } from '@shardline/aws';
import { contract, metricsOf } from '@shardline/contract';
import { sqsQuarantine } from '@shardline/middleware';
import type { Context } from 'aws-lambda';
import { FUNCTION, loadImportConfig } from './config';
import { MAX_LINE_BYTES } from './constants';
import { countOpenShards } from './countOpenShards';
import { dynamoDbCheckpoints } from './dynamoDbCheckpoints';
import { handleImportEvent, type InvocationSummary } from './handleImportEvent';
import { openObject } from './openObject';
import { RateLimiter } from './RateLimiter';

// Cold start: configuration is checked first so a bad deploy fails here, naming the variable.
const config = loadImportConfig();
const logger = new Logger({ serviceName: FUNCTION });
const metrics = new Metrics({ namespace: contract.namespace, serviceName: FUNCTION });
const metric = metricsOf(FUNCTION);

const s3 = createClient(S3Client);
const kinesis = createClient(KinesisClient);
const dynamodb = createClient(DynamoDBClient);
// Its endpoint comes from AWS_ENDPOINT_URL_LAMBDA like every other client's: the local runtime serves Invoke.
const lambda = createClient(LambdaClient);
const quarantine = sqsQuarantine({
  sqs: createClient(SQSClient),
  queueUrl: config.quarantineQueueUrl,
  overflow: config.quarantineOverflowBucket
    ? {
        s3,
        bucket: config.quarantineOverflowBucket,
        prefix: contract.resources['quarantine-overflow'].prefix,
      }
    : undefined,
});
const checkpoints = dynamoDbCheckpoints(dynamodb, config.checkpointTable, config.checkpointTtlDays);

export const handler = async (event: unknown, context: Context): Promise<InvocationSummary> => {
  logger.addContext(context);
  try {
    // Once per invocation, at its first chunk: a reshard changes the rate the stream takes.
    let limiter: RateLimiter | undefined;
    const summary = await handleImportEvent(event, {
      inbox: { bucket: config.inboxBucket, prefix: config.inboxPrefix },
      open: (target, bytes) => openObject(s3, target, bytes),
      checkpoints,
      put: (entries) =>
        putRecords(kinesis, config.streamName, entries, {
          maxAttempts: config.putRecordsMaxAttempts,
          canRetry: () => context.getRemainingTimeInMillis() > config.handOffMarginMs / 2,
        }),
      quarantine: (messages) => quarantine.send(messages),
      acquire: async (records, bytes) => {
        limiter ??= new RateLimiter(await countOpenShards(kinesis, config.streamName));
        return limiter.acquire(records, bytes);
      },
      timeLeftMs: () => context.getRemainingTimeInMillis(),
      handOffMarginMs: config.handOffMarginMs,
      maxLineBytes: MAX_LINE_BYTES,
      consumer: FUNCTION,
      sendContinuation: async (continuation) => {
        await lambda.send(
          new InvokeCommand({
            FunctionName: context.invokedFunctionArn,
            InvocationType: 'Event',
            Payload: Buffer.from(JSON.stringify(continuation)),
          }),
        );
      },
    });
    record(summary);
    return summary;
  } finally {
    metrics.publishStoredMetrics();
  }
};

function record(summary: InvocationSummary): void {
  for (const r of summary.rejected) logger.warn('object refused', { ...r });
  for (const r of summary.results) {
    logger.info('object import', {
      bucket: r.bucket,
      key: r.key,
      etag: r.etag,
      status: r.status,
      lines: r.progress.lines,
      bytes: r.progress.bytes,
      imported: r.imported,
      malformed: r.malformed,
      resumed: r.resumed,
      ...(r.reason ? { reason: r.reason } : {}),
    });
  }
  const sum = (f: (r: InvocationSummary['results'][number]) => number) =>
    summary.results.reduce((total, r) => total + f(r), 0);
  const counts: Array<[keyof typeof metric, number]> = [
    ['ImportedEvents', sum((r) => r.imported)],
    ['MalformedLines', sum((r) => r.malformed)],
    ['ObjectsImported', sum((r) => (r.status === 'done' ? 1 : 0))],
    ['ObjectsSkipped', sum((r) => (r.status === 'skipped' ? 1 : 0))],
    ['RejectedObjects', summary.rejected.length],
    ['HandOffs', summary.handOffs],
    ['Resumes', sum((r) => (r.resumed ? 1 : 0))],
    ['PutRecordsCalls', sum((r) => r.putCalls)],
  ];
  for (const [name, value] of counts) metrics.addMetric(metric[name], MetricUnit.Count, value);
  metrics.addMetric(
    metric.ThrottleWaitMs,
    MetricUnit.Milliseconds,
    sum((r) => r.throttleWaitMs),
  );
}
