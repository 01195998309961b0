// The dynamodb-aggregator Lambda: per (campaign, event type, minute) counters of the enriched stream,
// counted exactly once per Kinesis record (see README.md).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { createClient } from '@shardline/aws';
import { contract, metricsOf } from '@shardline/contract';
import { kinesisConsumer, sqsQuarantine } from '@shardline/middleware';
import { enrichedEventSchema, type EnrichedEvent } from '@shardline/schema';
import { aggregateBatch } from './aggregateBatch';
import { CONSUMER, loadAggregatorConfig } from './config';

// Cold start: configuration is checked first so a bad deploy fails here, naming the variable.
const config = loadAggregatorConfig();
const logger = new Logger({ serviceName: CONSUMER });
const metrics = new Metrics({ namespace: contract.namespace, serviceName: CONSUMER });
const metric = metricsOf(CONSUMER);
// One attempt per SDK call: the write loop retries itself, within the invocation's time budget.
const dynamodb = createClient(DynamoDBClient, { maxAttempts: 1 });
const quarantine = sqsQuarantine({ sqs: createClient(SQSClient), queueUrl: config.quarantineQueueUrl });

/** The handler's DynamoDB client, for integration tests that inject faults into its middleware stack. */
export const clients = { dynamodb } as const;

/** Kinesis-triggered entry point (ReportBatchItemFailures, ParallelizationFactor 1). */
export const handler = kinesisConsumer<EnrichedEvent>(
  { consumer: CONSUMER, schema: enrichedEventSchema, quarantine, logger, metrics },
  async (batch) => {
    const report = await aggregateBatch(batch, {
      dynamodb,
      tableName: config.tableName,
      ttlDays: config.ttlDays,
    });
    metrics.addMetric(metric.AggregateItems, MetricUnit.Count, report.items);
    metrics.addMetric(metric.UpdateItemCalls, MetricUnit.Count, report.calls);
    metrics.addMetric(metric.ConditionalConflicts, MetricUnit.Count, report.conflicts);
    metrics.addMetric(metric.DuplicateItems, MetricUnit.Count, report.unchanged);
    metrics.addMetric(metric.ExpiredWindowRecords, MetricUnit.Count, report.expiredRecords);
    if (report.failed > 0 || report.overflowed > 0) {
      logger.warn('aggregate writes did not all succeed', { ...report });
    } else {
      logger.debug('aggregates written', { ...report });
    }
  },
);
