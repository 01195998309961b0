/**
 * A short cause for logs and batch item failures, e.g. `SlowDown (HTTP 503)`.
 *
 * @example
 * ```ts
 * describeS3Error(Object.assign(new Error('x'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }));
 * // => 'SlowDown (HTTP 503)'
 * ```
 */
export function describeS3Error(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === undefined ? error.name : `${error.name} (HTTP ${status})`;
}
