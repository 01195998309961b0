// The dynamodb-aggregator Lambda: per (campaign, event type, minute) counters of the enriched stream,
// counted exactly once per Kinesis record (see README.md).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createClient } from '@shardline/aws';
import { contract } from '@shardline/contract';
import { sqsQuarantine } from '@shardline/middleware';
import { CONSUMER, loadAggregatorConfig } from './config';
import { createAggregatorHandler } from './createAggregatorHandler';

// Cold start: configuration is checked first so a bad deploy fails here, naming the variable.
const config = loadAggregatorConfig();
const logger = new Logger({ serviceName: CONSUMER });
const metrics = new Metrics({ namespace: contract.namespace, serviceName: CONSUMER });
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
