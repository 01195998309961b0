/** What the handler "returns" when the timeout guard fires first; `kinesisBatch` turns it into a partial response. */
export const TIMED_OUT: unique symbol = Symbol.for('shardline.timedOut');

/**
 * Middy plugin options that stop waiting for the handler `guardMs` before the function would time out.
 *
 * Lambda kills a function at its timeout and the whole batch is retried, including the records that were already
 * written. With the guard, middy resolves early with {@link TIMED_OUT}, aborts the handler's signal, and
 * `kinesisBatch` reports only the records not yet completed as batch item failures.
 *
 * @example
 * ```ts
 * export const handler = middy(timeoutGuard(1_000)).use(kinesisBatch({ ... })).handler(process);
 * ```
 */
export function timeoutGuard(guardMs: number): {
  timeoutEarlyInMillis: number;
  timeoutEarlyResponse: () => unknown;
} {
  if (!Number.isInteger(guardMs) || guardMs < 1) {
    throw new RangeError(`timeoutGuard: guardMs must be a positive integer (got ${guardMs})`);
  }
  return { timeoutEarlyInMillis: guardMs, timeoutEarlyResponse: () => TIMED_OUT };
}
