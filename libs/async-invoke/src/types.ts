import type { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';

/** A Lambda function as the emulator invokes it: what a bundle's handler export (or a FunctionPool) looks like. */
export type AsyncHandler = (event: unknown, context: Context) => Promise<unknown> | unknown;

/**
 * The asynchronous invocation settings of a function, named and shaped as the arguments of Terraform's
 * `aws_lambda_function_event_invoke_config`, so a configuration declared in HCL can be mirrored one to one.
 */
export interface EventInvokeConfig {
  /** 0..2, default 2. */
  maximum_retry_attempts?: number;
  /** 60..21,600, default 21,600 (6 hours). */
  maximum_event_age_in_seconds?: number;
  /** Destinations (SQS emulated) of the invocation records. */
  destination_config?: {
    on_failure?: { destination: string };
    on_success?: { destination: string };
  };
  /** Accepted for a one-to-one mirror of Terraform; the emulator uses its own `functionName` option. */
  function_name?: string;
  /** Only `$LATEST` (or none) is emulated. */
  qualifier?: string;
}

/** Settings after validation, with AWS defaults applied. */
export interface ResolvedInvokeConfig {
  maximumRetryAttempts: number;
  maximumEventAgeInSeconds: number;
  onFailureDestination: string | undefined;
  onSuccessDestination: string | undefined;
}

/** The part of an SQS client the destinations need (an `SQSClient` fits). */
export interface SqsSender {
  send(command: SendMessageCommand): Promise<unknown>;
}

/** Time as the invoker sees it: "now" in epoch milliseconds and one-shot timers, replaceable in tests. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Why an event was given up on; `Success` is the condition of an on-success record. */
export type RecordCondition = 'RetriesExhausted' | 'EventAgeExceeded' | 'Success';

/**
 * The invocation record Lambda sends to a destination (the SQS message body), field by field as AWS documents and
 * records it: https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
export interface InvocationRecord {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: RecordCondition;
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  responseContext: { statusCode: number; executedVersion: string; functionError?: 'Unhandled' };
  /** Absent only when the event expired before any invocation (nothing answered). */
  responsePayload?: unknown;
}

/** How one invocation ended. */
export type InvocationOutcome = 'success' | 'error' | 'timeout';

/** What the function answered to one invocation. */
export interface InvocationResult {
  outcome: InvocationOutcome;
  /** The response, or the runtime's error document (`errorType`, `errorMessage`, `trace`). */
  payload: unknown;
  durationMs: number;
}

/** Payload of the `invocation` event. */
export interface InvocationReport {
  requestId: string;
  /** 1 for the first attempt, 2 for the first retry... */
  attempt: number;
  outcome: InvocationOutcome;
  durationMs: number;
  payload: unknown;
}

/** Payload of the `discarded` event. */
export interface DiscardReport {
  requestId: string;
  condition: Exclude<RecordCondition, 'Success'>;
  record: InvocationRecord;
  sentToDestination: boolean;
}

/** Events an {@link AsyncInvoker} emits. */
export interface AsyncInvokerEvents {
  invocation: [InvocationReport];
  discarded: [DiscardReport];
  destinationError: [{ error: unknown; record: InvocationRecord }];
}

/** Counters and gauges of one invoker. */
export interface AsyncInvokerMetrics {
  /** Events accepted (Invoke with InvocationType Event). */
  accepted: number;
  /** Function invocations, retries included. */
  invocations: number;
  /** Invocations that threw, crashed or timed out. */
  errors: number;
  /** Of `errors`, invocations that ran past the function timeout. */
  timeouts: number;
  /** Invocations that were retries of an event. */
  retries: number;
  /** Events the function processed successfully. */
  succeeded: number;
  /** Events given up on, by condition. */
  discarded: { RetriesExhausted: number; EventAgeExceeded: number };
  /** Records the destinations accepted and refused. */
  destinationMessages: number;
  destinationErrors: number;
  /** Events waiting: ready to run, or waiting for a retry. */
  queued: number;
  /** Invocations running now. */
  inFlight: number;
}

/** Options of {@link AsyncInvoker}. */
export interface AsyncInvokerOptions {
  /** The function's name, used in its ARN, the context and the records. */
  functionName: string;
  /** The function. */
  handler: AsyncHandler;
  /** Its asynchronous invocation settings, as in Terraform. */
  config?: EventInvokeConfig;
  /** Client of the SQS destinations; required when one is configured. */
  sqs?: SqsSender;
  /** Maps a destination ARN to a queue URL (local SQS has URLs of its own); by default a URL is used as is. */
  destinationQueueUrlFor?: (destinationArn: string) => string | Promise<string>;
  /** The function's timeout (Terraform `timeout`), default 3 s. */
  functionTimeoutSeconds?: number;
  /** The function's memory (Terraform `memory_size`), default 128; reported in the context. */
  memoryLimitInMB?: number;
  /** Invocations at once, default 10 (the function's reserved concurrency on AWS). */
  maxConcurrency?: number;
  /**
   * Multiplies the retry waits (1 min, 2 min) and the maximum event age: 1 (default) is AWS's time; 0.01 turns a
   * minute into 0.6 s for local runs and tests. The function timeout is not scaled.
   */
  timeScale?: number;
  region?: string;
  accountId?: string;
  clock?: Clock;
  /** Request ids of new events; default `randomUUID`. */
  newRequestId?: () => string;
}
