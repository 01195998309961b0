import type { DiscardCondition, OnFailureMessage } from './types';

/** What the destination message describes. */
export interface DiscardedBatch {
  requestId: string;
  functionArn: string;
  condition: DiscardCondition;
  approximateInvokeCount: number;
  /** Whether the last invocation failed with a function error (thrown or timed out). */
  functionError: boolean;
  timestampMs: number;
  shardId: string;
  streamArn: string;
  records: { sequenceNumber: string; arrivalMs: number }[];
}

/**
 * Builds the on-failure destination message as AWS sends it to an SQS queue: metadata only, no records.
 * Source: https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html and a
 * message recorded on AWS (AWS-FACTS.md).
 *
 * @example
 * ```ts
 * const message = buildOnFailureMessage({
 *   requestId: 'r', functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
 *   condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2, functionError: true,
 *   timestampMs: 0, shardId: 'shardId-000000000000', streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
 *   records: [{ sequenceNumber: '1', arrivalMs: 0 }],
 * });
 * message.KinesisBatchInfo.batchSize; // 1
 * ```
 */
export function buildOnFailureMessage(batch: DiscardedBatch): OnFailureMessage {
  const first = batch.records[0];
  const last = batch.records[batch.records.length - 1];
  if (!first || !last) throw new RangeError('a discarded batch holds at least one record');
  const responseContext: OnFailureMessage['responseContext'] = {
    statusCode: 200,
    executedVersion: '$LATEST',
  };
  if (batch.functionError) responseContext.functionError = 'Unhandled';
  return {
    requestContext: {
      requestId: batch.requestId,
      functionArn: batch.functionArn,
      condition: batch.condition,
      approximateInvokeCount: batch.approximateInvokeCount,
    },
    responseContext,
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
