import { isServerError, isThrottlingError, isTransientError as isSdkTransient } from '@smithy/core/retry';

/**
 * Transient cases the SDK's classification leaves out: a conflicting transaction on the same item (DynamoDB
 * documents it as retryable) and a connection the server aborted.
 */
const ALSO_TRANSIENT_NAMES = new Set(['TransactionConflictException']);
const ALSO_TRANSIENT_CODES = new Set(['ECONNABORTED']);

/**
 * Whether a DynamoDB call failed for a reason that a later attempt may not meet: the SDK's own classification
 * (throttling, transient and 5xx errors, network codes, `$retryable`) plus {@link ALSO_TRANSIENT_NAMES}.
 *
 * @example
 * ```ts
 * if (isTransientError(error)) await sleep(backoff);
 * ```
 */
export function isTransientError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as Parameters<typeof isSdkTransient>[0] & { code?: string };
  if (ALSO_TRANSIENT_NAMES.has(e.name) || (e.code !== undefined && ALSO_TRANSIENT_CODES.has(e.code)))
    return true;
  return isThrottlingError(e) || isSdkTransient(e) || isServerError(e);
}

/** Whether DynamoDB refused an update because a number would leave its 38-digit range. */
export function isNumberOverflow(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: string; message?: string };
  return (
    e.name === 'ValidationException' &&
    /overflow|out of range|magnitude|precision up to 38 digits/i.test(e.message ?? '')
  );
}
