import type { InvocationRecord, InvocationResult, RecordCondition } from './types';

/** What a destination record describes. */
export interface RecordInput {
  requestId: string;
  /** The unqualified function ARN; the record names `$LATEST` after it, as AWS does. */
  functionArn: string;
  condition: RecordCondition;
  /** Invocations of the event so far (0 when it expired in the queue before the first). */
  approximateInvokeCount: number;
  requestPayload: unknown;
  /** The last invocation's result; absent when there was none. */
  last: InvocationResult | undefined;
  timestampMs: number;
}

/**
 * Builds the invocation record Lambda sends to an asynchronous invocation's destination, in AWS's field order:
 * `version`, `timestamp`, `requestContext{requestId, functionArn (qualified with $LATEST), condition,
 * approximateInvokeCount}`, `requestPayload`, `responseContext{statusCode, executedVersion, functionError}`,
 * `responsePayload`. Sources: the developer guide's example record and records captured on AWS (LocalStack's
 * AWS-validated snapshots of test_lambda_destinations: RetriesExhausted with approximateInvokeCount 3,
 * EventAgeExceeded after 1 and 2 invocations, Success with the function's response).
 *
 * Not recorded on AWS, chosen here: an event that expired before any invocation has approximateInvokeCount 0,
 * `responseContext {statusCode: 200, executedVersion: "$LATEST"}` and no `responsePayload`.
 *
 * @example
 * ```ts
 * const record = buildInvocationRecord({
 *   requestId: 'r', functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', condition: 'RetriesExhausted',
 *   approximateInvokeCount: 3, requestPayload: {}, timestampMs: 0,
 *   last: { outcome: 'error', payload: { errorType: 'Error', errorMessage: 'boom' }, durationMs: 5 },
 * });
 * record.responseContext.functionError; // 'Unhandled'
 * ```
 */
export function buildInvocationRecord(input: RecordInput): InvocationRecord {
  const failed = input.last !== undefined && input.last.outcome !== 'success';
  const record: InvocationRecord = {
    version: '1.0',
    timestamp: new Date(input.timestampMs).toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: `${input.functionArn}:$LATEST`,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    requestPayload: input.requestPayload,
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(failed ? { functionError: 'Unhandled' as const } : {}),
    },
  };
  if (input.last !== undefined) record.responsePayload = input.last.payload;
  return record;
}
