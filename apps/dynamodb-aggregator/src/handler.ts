// The dynamodb-aggregator Lambda: per (campaign, event type, minute) counters of the enriched stream,
// counted exactly once per Kinesis record (see README.md).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createClient, int, loadConfig, str, url } from '@shardline/aws';
import { sqsQuarantine } from '@shardline/middleware';
import { createAggregatorHandler } from './createAggregatorHandler';

const config = loadConfig({
  tableName: str('AGGREGATES_TABLE_NAME'),
  ttlDays: int('AGGREGATE_TTL_DAYS', { min: 1, max: 3_650 }),
  quarantineQueueUrl: url('QUARANTINE_QUEUE_URL'),
});

const logger = new Logger();
const metrics = new Metrics();
// One attempt per SDK call: the write loop retries itself, within the invocation's time budget.
const dynamodb = createClient(DynamoDBClient, { maxAttempts: 1 });
const sqs = createClient(SQSClient);

/** Kinesis-triggered entry point (ReportBatchItemFailures, ParallelizationFactor 1). */
export const handler = createAggregatorHandler({
  dynamodb,
  tableName: config.tableName,
  ttlDays: config.ttlDays,
  quarantine: sqsQuarantine({ sqs, queueUrl: config.quarantineQueueUrl }),
  logger,
  metrics,
});
