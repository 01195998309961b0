import type { S3Client } from '@aws-sdk/client-s3';

/** What to do with one PutObject attempt that reaches the wire. */
export type AttemptAction = 'pass' | 'throttle' | 'store-then-fail';

/** One PutObject attempt as seen on the wire. */
export interface SeenAttempt {
  key: string;
  headers: Record<string, string>;
}

/**
 * Injects transient faults into an S3 client's middleware stack, inside the SDK's retry loop: `throttle` answers an
 * attempt with a 503 SlowDown without sending it; `store-then-fail` sends it (the object is written) and then
 * answers 500, as when a response is lost. Every attempt's key and headers are recorded.
 */
export function injectS3Faults(
  s3: S3Client,
  decide: (key: string, attempt: number) => AttemptAction,
): { attempts: SeenAttempt[] } {
  const attempts: SeenAttempt[] = [];
  const perKey = new Map<string, number>();
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'PutObjectCommand') return next(args);
      const key = (args.input as { Key: string }).Key;
      const attempt = perKey.get(key) ?? 0;
      perKey.set(key, attempt + 1);
      attempts.push({ key, headers: { ...(args.request as { headers: Record<string, string> }).headers } });
      const action = decide(key, attempt);
      if (action === 'throttle') throw serviceError('SlowDown', 503, 'Please reduce your request rate.');
      const result = await next(args);
      if (action === 'store-then-fail')
        throw serviceError('InternalError', 500, 'We encountered an internal error.');
      return result;
    },
    { step: 'deserialize', name: 'injectS3Faults', priority: 'low' },
  );
  return { attempts };
}

function serviceError(name: string, status: number, message: string): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: 'server',
    $metadata: { httpStatusCode: status, attempts: 1 },
    $retryable: status === 503 ? { throttling: true } : {},
  });
}
