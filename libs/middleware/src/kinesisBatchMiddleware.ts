import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj, Request } from '@middy/core';
import {
  DEFAULT_DECODE_LIMITS,
  decodeBatch,
  type DecodeLimits,
  type DecodedRecord,
  type RejectedRecord,
} from '@shardline/records';
import { commonMetrics } from '@shardline/contract';
import type { EventSchema } from '@shardline/schema';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { MiddlewareOptionsError } from './errors';
import { KinesisBatch } from './KinesisBatch';
import type { QuarantineSink } from './quarantine';
import { TIMED_OUT } from './timeoutGuard';
import type { KinesisBatchContext, KinesisBatchResponse } from './types';

/** Reason code of a record that decoded but failed the event schema. */
export const SCHEMA_INVALID = 'SCHEMA_INVALID';

/** Options of {@link kinesisBatch}. */
export interface KinesisBatchOptions<T> {
  /** Consumer name written into quarantine messages and logs, e.g. `enrichment`. */
  consumer: string;
  /** Where poison records go. */
  quarantine: QuarantineSink;
  /** Validates each decoded payload; records that fail it are quarantined with SCHEMA_INVALID. */
  schema?: EventSchema<T>;
  limits?: DecodeLimits;
  /** Milliseconds before the function timeout at which the handler should stop starting work. */
  timeoutGuardMs?: number;
  metrics?: Metrics;
  logger?: Logger;
}

const KNOWN_OPTIONS = new Set([
  'consumer',
  'quarantine',
  'schema',
  'limits',
  'timeoutGuardMs',
  'metrics',
  'logger',
]);

type BatchRequest = Request<KinesisStreamEvent, unknown, Error, Context>;

/**
 * Middy middleware for Kinesis-triggered functions: decodes and validates the whole batch, hands the handler only
 * good records on `context.batch`, quarantines poison records (never retried), and answers with
 * `batchItemFailures` for transient failures, per
 * https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html.
 *
 * @example
 * ```ts
 * export const handler = middy<KinesisStreamEvent, KinesisBatchResponse, Error, KinesisBatchContext<AdEvent>>()
 *   .use(kinesisBatch({ consumer: 'enrichment', schema: adEventSchema, quarantine }))
 *   .handler(async (_event, context) => enrich(context.batch));
 * ```
 */
export function kinesisBatch<T>(
  options: KinesisBatchOptions<T>,
): MiddlewareObj<KinesisStreamEvent, unknown, Error, Context> {
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new MiddlewareOptionsError(`kinesisBatch: unknown option '${key}'`);
  }
  if (!options.consumer) throw new MiddlewareOptionsError('kinesisBatch: option consumer is required');
  if (!options.quarantine) throw new MiddlewareOptionsError('kinesisBatch: option quarantine is required');
  const limits = options.limits ?? DEFAULT_DECODE_LIMITS;
  const guardMs = options.timeoutGuardMs ?? 0;
  const { metrics, logger } = options;

  const kinesisBatchBefore = (request: BatchRequest): void => {
    const event = request.event;
    if (!event || !Array.isArray(event.Records)) {
      throw new MiddlewareOptionsError(
        'kinesisBatch: the event has no Records array; is this function triggered by Kinesis?',
      );
    }
    const { records, rejected } = decodeBatch(event, limits);
    const originalData = originalDataLookup(event);
    const valid = validate(records, rejected, options.schema, originalData);
    const remaining = request.context.getRemainingTimeInMillis?.();
    const batch = new KinesisBatch<T>({
      consumer: options.consumer,
      records: valid,
      rejected,
      deadline: remaining === undefined ? undefined : Date.now() + remaining - guardMs,
      originalData,
      latency: metrics ? (sink, ms) => sinkLatency(metrics, sink, ms) : undefined,
    });
    (request.context as KinesisBatchContext<T>).batch = batch;
    if (metrics) {
      metrics.addMetric(commonMetrics.RecordsIn, MetricUnit.Count, event.Records.length);
      const oldest = oldestArrival(event);
      if (oldest !== undefined)
        metrics.addMetric(commonMetrics.BatchAgeMs, MetricUnit.Milliseconds, Date.now() - oldest * 1000);
    }
    logger?.appendKeys({
      shardId: shardOf(event),
      firstSequenceNumber: event.Records[0]?.kinesis.sequenceNumber,
    });
  };

  const kinesisBatchAfter = async (request: BatchRequest): Promise<void> => {
    const batch = (request.context as KinesisBatchContext<T>).batch;
    const timedOut = request.response === TIMED_OUT;
    let quarantineFailed = false;
    try {
      await options.quarantine.send(batch.quarantined);
    } catch (error) {
      quarantineFailed = true;
      logger?.error('quarantine delivery failed; poison records will be retried', { error: error as Error });
    }
    const failures = batch.itemFailures({ timedOut, quarantineFailed });
    if (timedOut)
      logger?.warn('timeout guard fired; reporting unfinished records', { unfinished: failures.length });
    // One line per reason, so that Logs Insights can count quarantined records by reason (the saved query
    // `quarantined-by-reason`); the sequence numbers find the records on the quarantine queue.
    for (const [reason, records] of groupBy(batch.quarantined, (q) => q.reason)) {
      logger?.warn('records quarantined', {
        reason,
        count: records.length,
        sequenceNumbers: records.slice(0, 20).map((q) => q.sequenceNumber),
        example: records[0]!.message,
      });
    }
    if (metrics) {
      metrics.addMetric(
        commonMetrics.PoisonRecords,
        MetricUnit.Count,
        quarantineFailed ? 0 : batch.quarantined.length,
      );
      metrics.addMetric(commonMetrics.TransientFailures, MetricUnit.Count, failures.length);
      metrics.addMetric(commonMetrics.RecordsOut, MetricUnit.Count, countSucceeded(batch, failures));
    }
    const response: KinesisBatchResponse = {
      batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })),
    };
    request.response = response;
  };

  const kinesisBatchOnError = (request: BatchRequest): void => {
    // An unexpected error fails the whole batch: the mapping retries it (and bisects it when configured). Poison
    // records found so far are not sent now; the retry finds and quarantines them again.
    logger?.error('batch failed', { error: request.error ?? undefined });
    metrics?.addMetric(commonMetrics.BatchErrors, MetricUnit.Count, 1);
  };

  return { before: kinesisBatchBefore, after: kinesisBatchAfter, onError: kinesisBatchOnError };
}

function validate<T>(
  records: DecodedRecord[],
  rejected: RejectedRecord[],
  schema: EventSchema<T> | undefined,
  originalData: (sequenceNumber: string) => string | undefined,
): DecodedRecord<T>[] {
  if (!schema) return records as unknown as DecodedRecord<T>[];
  const valid: DecodedRecord<T>[] = [];
  for (const record of records) {
    const result = schema.validate(record.payload);
    if (result.ok) {
      valid.push(record as unknown as DecodedRecord<T>);
    } else {
      const { payload: _p, text, size: _s, ...origin } = record;
      rejected.push({
        ...origin,
        reason: SCHEMA_INVALID,
        message: result.issues.map((i) => `${i.path || '/'} ${i.message}`).join('; '),
        data: originalData(origin.sequenceNumber) ?? Buffer.from(text, 'utf8').toString('base64'),
      });
    }
  }
  return valid;
}

/** Maps a sequence number to the record's original base64 data; built on first use, as rejections are rare. */
function originalDataLookup(event: KinesisStreamEvent): (sequenceNumber: string) => string | undefined {
  let bySequence: Map<string, string> | undefined;
  return (sequenceNumber) => {
    bySequence ??= new Map(event.Records.map((r) => [r.kinesis.sequenceNumber, r.kinesis.data]));
    return bySequence.get(sequenceNumber);
  };
}

function oldestArrival(event: KinesisStreamEvent): number | undefined {
  let oldest: number | undefined;
  for (const r of event.Records) {
    const t = r.kinesis.approximateArrivalTimestamp;
    if (oldest === undefined || t < oldest) oldest = t;
  }
  return oldest;
}

function shardOf(event: KinesisStreamEvent): string | undefined {
  const id = event.Records[0]?.eventID;
  return id ? id.slice(0, id.indexOf(':')) : undefined;
}

function groupBy<T>(values: readonly T[], key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const v of values) {
    const k = key(v);
    const group = groups.get(k);
    if (group) group.push(v);
    else groups.set(k, [v]);
  }
  return groups;
}

function countSucceeded<T>(batch: KinesisBatch<T>, failures: string[]): number {
  if (failures.length === 0) return batch.records.length;
  const failed = new Set(failures);
  let n = 0;
  for (const r of batch.records) if (!failed.has(r.sequenceNumber)) n++;
  return n;
}

/**
 * Emits one sink call's latency with the sink as a dimension beside `service`: a metric of its own (EMF allows one
 * dimension set per blob, and the batch's other metrics have `service` only), so a slow sink shows by name.
 */
function sinkLatency(metrics: Metrics, sink: string, ms: number): void {
  const single = metrics.singleMetric();
  single.addDimension('sink', sink);
  single.addMetric(commonMetrics.SinkLatencyMs, MetricUnit.Milliseconds, ms);
}
