import type { Context } from 'aws-lambda';

/**
 * A Lambda context whose remaining time counts down from `timeoutMs`, for handler tests.
 *
 * @example
 * ```ts
 * await handler(makeKinesisEvent([{ a: 1 }]), makeLambdaContext(5_000));
 * ```
 */
export function makeLambdaContext(timeoutMs = 60_000, functionName = 'shardline-test'): Context {
  const end = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `req-${Math.random().toString(16).slice(2)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => end - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
