import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { BatchNotDecodedError } from './errors';
import type { KinesisBatch } from './KinesisBatch';
import { kinesisBatch, type KinesisBatchOptions } from './kinesisBatchMiddleware';
import { timeoutGuard } from './timeoutGuard';
import type { KinesisBatchContext, KinesisBatchResponse } from './types';

/** Options of {@link kinesisConsumer}. */
export interface KinesisConsumerOptions<T> extends Omit<KinesisBatchOptions<T>, 'metrics' | 'logger'> {
  logger: Logger;
  metrics: Metrics;
  /** Milliseconds reserved before the function timeout; default 1,000. */
  timeoutGuardMs?: number;
}

/** The pure processing step of a consumer: reads `batch.records`, writes its sink, reports per record. */
export type ProcessBatch<T> = (batch: KinesisBatch<T>, context: Context) => Promise<void>;

/**
 * The standard middleware chain of a Shardline consumer, so each handler file stays a table of contents:
 * timeout guard (middy plugin) -> Powertools Logger context -> Powertools Metrics (EMF) -> kinesisBatch -> process.
 *
 * @example
 * ```ts
 * export const handler = kinesisConsumer(
 *   { consumer: 'enrichment', schema: adEventSchema, quarantine, logger, metrics },
 *   (batch) => enrich(batch, deps),
 * );
 * ```
 */
export function kinesisConsumer<T>(
  options: KinesisConsumerOptions<T>,
  process: ProcessBatch<T>,
): MiddyfiedHandler<KinesisStreamEvent, KinesisBatchResponse, Error, Context> {
  const guardMs = options.timeoutGuardMs ?? 1_000;
  return middy<KinesisStreamEvent, KinesisBatchResponse, Error, Context>(timeoutGuard(guardMs))
    .use(injectLambdaContext(options.logger, { resetKeys: true }))
    .use(logMetrics(options.metrics, { captureColdStartMetric: true }))
    .use(kinesisBatch<T>({ ...options, timeoutGuardMs: guardMs }))
    .handler(async (_event, context, { signal }) => {
      const batch = (context as Partial<KinesisBatchContext<T>>).batch;
      if (!batch) throw new BatchNotDecodedError();
      batch.signal = signal;
      await process(batch, context);
      // The real response is built by kinesisBatch's after hook from the batch's ledger.
      return { batchItemFailures: [] };
    });
}
