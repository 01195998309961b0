import type { Context } from 'aws-lambda';

/** A Lambda context whose remaining time counts down from `timeoutMs`. */
export function lambdaContext(timeoutMs = 60_000): Context {
  const end = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'shardline-opensearch-indexer',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:shardline-opensearch-indexer',
    memoryLimitInMB: '256',
    awsRequestId: `req-${Math.random().toString(16).slice(2)}`,
    logGroupName: '/aws/lambda/shardline-opensearch-indexer',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => end - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
