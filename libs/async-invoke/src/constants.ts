/**
 * Limits and defaults of Lambda's asynchronous invocation, as the Lambda developer guide states them
 * (invocation-async, invocation-async-retain-records; PutFunctionEventInvokeConfig).
 */
export const ASYNC_LIMITS = {
  /** MaximumRetryAttempts: 0..2, default 2. */
  maximumRetryAttempts: { min: 0, max: 2, default: 2 },
  /** MaximumEventAgeInSeconds: 60..21,600 (6 h), default 6 h. */
  maximumEventAgeInSeconds: { min: 60, max: 21_600, default: 21_600 },
} as const;

/** The waits before the first and the second retry after a function error: about 1 minute, then 2 minutes. */
export const RETRY_DELAYS_MS = [60_000, 120_000] as const;

/** Payload limit of an asynchronous (Event) invocation: 1 MB since October 2025 (256 KB before). */
export const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024;

/** Payload limit of a synchronous (RequestResponse) invocation, request and response: 6 MB. */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Defaults of the emulated function. */
export const DEFAULTS = {
  region: 'us-east-1',
  accountId: '000000000000',
  functionTimeoutSeconds: 3,
  memoryLimitInMB: 128,
  /** Events invoked at once; Lambda's bound is the function's (reserved) concurrency. */
  maxConcurrency: 10,
  /** 1 = AWS's own waits and event age; smaller shortens both by the same factor. */
  timeScale: 1,
} as const;
