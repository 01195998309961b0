/** What Lambda makes of a function's response to a Kinesis batch. */
export type ResponseVerdict =
  | { kind: 'success'; state?: Record<string, unknown> }
  /** Records before `retryFromIndex` are checkpointed; the rest is retried. */
  | { kind: 'partial'; retryFromIndex: number; state?: Record<string, unknown> }
  | { kind: 'invalid'; reason: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Applies AWS's rules to a response (already JSON round-tripped, as Lambda serializes it):
 * without ReportBatchItemFailures any response is success; with it, an empty or null list or an
 * empty response is success, an empty, null or unknown `itemIdentifier` fails the whole batch, and
 * several failures checkpoint at the lowest sequence number reported. With a tumbling window, the
 * response must carry `state`.
 * Source: https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
 *
 * @example
 * ```ts
 * interpretResponse({ batchItemFailures: [{ itemIdentifier: '2' }] }, ['1', '2', '3'], {
 *   reportBatchItemFailures: true,
 *   tumblingWindow: false,
 * }); // { kind: 'partial', retryFromIndex: 1 }
 * ```
 */
export function interpretResponse(
  response: unknown,
  sequenceNumbers: readonly string[],
  options: { reportBatchItemFailures: boolean; tumblingWindow: boolean },
): ResponseVerdict {
  let state: Record<string, unknown> | undefined;
  if (options.tumblingWindow) {
    if (!isPlainObject(response) || !isPlainObject(response['state'])) {
      return { kind: 'invalid', reason: 'a tumbling-window response must contain a state object' };
    }
    state = response['state'];
  }
  const withState = <T extends object>(verdict: T): T =>
    state === undefined ? verdict : { ...verdict, state };

  if (!options.reportBatchItemFailures || !isPlainObject(response))
    return withState({ kind: 'success' as const });
  const failures = response['batchItemFailures'];
  if (failures === undefined || failures === null) return withState({ kind: 'success' as const });
  if (!Array.isArray(failures)) {
    return { kind: 'invalid', reason: 'batchItemFailures must be a list' };
  }
  if (failures.length === 0) return withState({ kind: 'success' as const });

  let lowest = -1;
  for (const failure of failures) {
    const identifier: unknown = isPlainObject(failure) ? failure['itemIdentifier'] : undefined;
    if (typeof identifier !== 'string' || identifier.length === 0) {
      return { kind: 'invalid', reason: `batchItemFailures holds an empty or missing itemIdentifier` };
    }
    const index = sequenceNumbers.indexOf(identifier);
    if (index < 0) {
      return {
        kind: 'invalid',
        reason: `itemIdentifier ${identifier} is not a sequence number of this batch`,
      };
    }
    if (lowest < 0 || index < lowest) lowest = index;
  }
  return withState({ kind: 'partial' as const, retryFromIndex: lowest });
}
