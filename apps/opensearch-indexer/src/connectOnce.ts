/**
 * Memoises an asynchronous cold-start step for the life of the container: concurrent callers share one attempt,
 * a success is kept, a failure is forgotten so the next invocation tries again.
 *
 * @example
 * ```ts
 * const connect = connectOnce(async () => installTemplate());
 * await connect(); // later calls resolve at once
 * ```
 */
export function connectOnce<R>(step: () => Promise<R>): () => Promise<R> {
  let pending: Promise<R> | undefined;
  return () => {
    pending ??= step().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
