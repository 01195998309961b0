import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import { metricsOf } from '@shardline/contract';
import { kinesisConsumer, type QuarantineSink } from '@shardline/middleware';
import { enrichedEventSchema } from '@shardline/schema';
import { archiveBatch } from './archiveBatch';
import { CONSUMER, type ArchiverConfig } from './config';

const metric = metricsOf(CONSUMER);

/** Everything the archiver handler is built from; the handler file builds them from the environment. */
export interface ArchiverHandlerDependencies {
  config: Omit<ArchiverConfig, 'quarantineQueueUrl'>;
  s3: Pick<S3Client, 'send'>;
  quarantine: QuarantineSink;
  logger: Logger;
  metrics: Metrics;
  timeoutGuardMs?: number;
}

/**
 * The archiver's Lambda handler: the shared consumer chain (timeout guard, logger, metrics, decode, validate
 * against the enriched-event contract, quarantine, partial batch response) around {@link archiveBatch}.
 *
 * @example
 * ```ts
 * export const handler = createArchiverHandler({ config, s3, quarantine, logger, metrics });
 * ```
 */
export function createArchiverHandler(deps: ArchiverHandlerDependencies): ReturnType<typeof kinesisConsumer> {
  const { config, s3, logger, metrics } = deps;
  return kinesisConsumer(
    {
      consumer: CONSUMER,
      schema: enrichedEventSchema,
      quarantine: deps.quarantine,
      logger,
      metrics,
      ...(deps.timeoutGuardMs === undefined ? {} : { timeoutGuardMs: deps.timeoutGuardMs }),
    },
    async (batch) => {
      let objects = 0;
      await archiveBatch(batch, {
        s3,
        bucket: config.bucket,
        prefix: config.prefix,
        maxObjectBytes: config.maxObjectBytes,
        ...(config.kmsKeyId === undefined ? {} : { kmsKeyId: config.kmsKeyId }),
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
}
