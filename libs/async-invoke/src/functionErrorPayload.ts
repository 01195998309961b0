/** What the Node.js runtime answers for a failed invocation: the `Payload` of Invoke and a record's `responsePayload`. */
export interface FunctionErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** How the local runtime words an environment that died (FunctionPool, after Lambda's own words). */
const RUNTIME_EXITED = 'Runtime exited with error';

/**
 * The error document the Node.js runtime returns for an invocation that threw, crashed or timed out:
 * - a thrown error: `{errorType: <name>, errorMessage: <message>, trace: <stack lines>}`;
 * - an environment that exited: `{errorType: "Runtime.ExitError", errorMessage: "RequestId: <id> Error: Runtime
 *   exited with error: <how>"}`;
 * - a timeout: `{errorType: "Sandbox.Timedout", errorMessage: "RequestId: <id> Error: Task timed out after
 *   <s>.00 seconds"}`.
 *
 * @example
 * ```ts
 * functionErrorPayload(new TypeError('boom'), { requestId: 'r', timedOutAfterSeconds: undefined }).errorType; // 'TypeError'
 * ```
 */
export function functionErrorPayload(
  error: unknown,
  context: { requestId: string; timedOutAfterSeconds: number | undefined },
): FunctionErrorPayload {
  if (context.timedOutAfterSeconds !== undefined) {
    return {
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${context.requestId} Error: Task timed out after ${context.timedOutAfterSeconds.toFixed(2)} seconds`,
    };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  if (e.message.startsWith(RUNTIME_EXITED)) {
    return {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${context.requestId} Error: ${e.message}`,
    };
  }
  return {
    errorType: e.name,
    errorMessage: e.message,
    trace: (e.stack ?? `${e.name}: ${e.message}`).split('\n'),
  };
}
