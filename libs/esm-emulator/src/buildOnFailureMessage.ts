import type { OnFailureMessage } from './types';

/** What is common to every discarded batch the destination message describes. */
interface DiscardedBatchBase {
  requestId: string;
  functionArn: string;
  timestampMs: number;
  shardId: string;
  streamArn: string;
  records: { sequenceNumber: string; arrivalMs: number }[];
}

/** A batch skipped once `maximum_retry_attempts` ran out. */
export interface RetriesExhaustedBatch extends DiscardedBatchBase {
  condition: 'RetryAttemptsExhausted';
  /** Invocations of exactly these records: 1 + `maximum_retry_attempts`. */
  approximateInvokeCount: number;
  /** Whether the last invocation failed with a function error (thrown or timed out), not a rejected response. */
  functionError: boolean;
}

/** Records skipped because they are older than `maximum_record_age_in_seconds`. */
export interface RecordAgeExceededBatch extends DiscardedBatchBase {
  condition: 'RecordAgeExceeded';
}

/** What the destination message describes. */
export type DiscardedBatch = RetriesExhaustedBatch | RecordAgeExceededBatch;

/**
 * Builds the on-failure destination message as AWS sends it to an SQS queue (or as the SNS message): metadata
 * only, no records, keys in AWS's order, every time an ISO 8601 string with milliseconds.
 * - `RetryAttemptsExhausted`: `responseContext` is the last invocation's: `{statusCode: 200, executedVersion:
 *   "$LATEST", functionError}`, `functionError` `"Unhandled"` after a thrown error or a timeout, `null` after a
 *   response Lambda rejected or a partial batch failure.
 * - `RecordAgeExceeded`: no `responseContext`, and `approximateInvokeCount` 1, however often the batch was invoked.
 * Source: AWS-recorded messages (LocalStack's AWS-validated snapshots, see src/test-helpers/awsOnFailureMessages.ts)
 * and https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html.
 *
 * @example
 * ```ts
 * const message = buildOnFailureMessage({
 *   requestId: 'r', functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
 *   condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2, functionError: true,
 *   timestampMs: 0, shardId: 'shardId-000000000000', streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
 *   records: [{ sequenceNumber: '1', arrivalMs: 0 }],
 * });
 * message.responseContext?.functionError; // 'Unhandled'
 * ```
 */
export function buildOnFailureMessage(batch: DiscardedBatch): OnFailureMessage {
  const first = batch.records[0];
  const last = batch.records[batch.records.length - 1];
  if (!first || !last) throw new RangeError('a discarded batch holds at least one record');
  const retriesExhausted = batch.condition === 'RetryAttemptsExhausted';
  return {
    requestContext: {
      requestId: batch.requestId,
      functionArn: batch.functionArn,
      condition: batch.condition,
      approximateInvokeCount: retriesExhausted ? batch.approximateInvokeCount : 1,
    },
    ...(retriesExhausted && {
      responseContext: {
        statusCode: 200 as const,
        executedVersion: '$LATEST',
        functionError: batch.functionError ? ('Unhandled' as const) : null,
      },
    }),
    version: '1.0',
    timestamp: new Date(batch.timestampMs).toISOString(),
    KinesisBatchInfo: {
      shardId: batch.shardId,
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      approximateArrivalOfFirstRecord: new Date(first.arrivalMs).toISOString(),
      approximateArrivalOfLastRecord: new Date(last.arrivalMs).toISOString(),
      batchSize: batch.records.length,
      streamArn: batch.streamArn,
    },
  };
}
