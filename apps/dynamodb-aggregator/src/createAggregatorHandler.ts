import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { metricsOf } from '@shardline/contract';
import { kinesisConsumer, type QuarantineSink } from '@shardline/middleware';
import { enrichedEventSchema } from '@shardline/schema';
import { aggregateBatch, type AggregatorDeps } from './aggregateBatch';
import { CONSUMER } from './config';

const metric = metricsOf(CONSUMER);

/** Everything the aggregator's handler needs; `handler.ts` builds it from the environment. */
export interface AggregatorHandlerOptions extends Omit<AggregatorDeps, 'dynamodb'> {
  dynamodb: Pick<DynamoDBClient, 'send'>;
  quarantine: QuarantineSink;
  logger: Logger;
  metrics: Metrics;
  /** Milliseconds reserved before the function timeout; default 1,000. */
  timeoutGuardMs?: number;
}

/**
 * The aggregator's Lambda handler: the standard consumer chain (timeout guard, logger, metrics, decode, schema,
 * quarantine, partial batch response) around {@link aggregateBatch}.
 *
 * @example
 * ```ts
 * export const handler = createAggregatorHandler({ dynamodb, quarantine, logger, metrics, tableName, ttlDays: 30 });
 * ```
 */
export function createAggregatorHandler(options: AggregatorHandlerOptions) {
  const { quarantine, logger, metrics, timeoutGuardMs, ...deps } = options;
  return kinesisConsumer(
    { consumer: CONSUMER, schema: enrichedEventSchema, quarantine, logger, metrics, timeoutGuardMs },
    async (batch) => {
      const report = await aggregateBatch(batch, deps);
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
}
