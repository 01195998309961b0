import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context, KinesisStreamRecord } from 'aws-lambda';

/** Where a mapping starts reading shards that exist when it starts. */
export type StartingPosition = 'LATEST' | 'TRIM_HORIZON' | 'AT_TIMESTAMP';

/**
 * Mapping settings, named and shaped as the arguments of Terraform's `aws_lambda_event_source_mapping`,
 * so a mapping declared in HCL can be mirrored one to one.
 */
export interface EventSourceMappingSettings {
  /** 1..10,000, default 100. */
  batch_size?: number;
  /** 0..300, default 0. */
  maximum_batching_window_in_seconds?: number;
  /** Required. */
  starting_position: StartingPosition;
  /** Required with AT_TIMESTAMP: RFC 3339 string (as in Terraform), epoch seconds, or a Date. */
  starting_position_timestamp?: string | number | Date;
  /** -1 (infinite, default) .. 10,000. */
  maximum_retry_attempts?: number;
  /** -1 (infinite, default) or 60..604,800. */
  maximum_record_age_in_seconds?: number;
  /** Default false. */
  bisect_batch_on_function_error?: boolean;
  /** 1..10, default 1. */
  parallelization_factor?: number;
  /** 0..900, default 0 (no window). */
  tumbling_window_in_seconds?: number;
  /** Only `ReportBatchItemFailures` exists for Kinesis. */
  function_response_types?: string[];
  /** Up to 5 patterns, OR-ed. */
  filter_criteria?: { filter: { pattern: string }[] };
  /** The on-failure destination (SQS emulated). */
  destination_config?: { on_failure: { destination_arn: string } };
  /** Default true; false keeps the mapping from polling. */
  enabled?: boolean;
  /** Accepted for a one-to-one mirror of Terraform; the emulator uses its own options instead. */
  function_name?: string;
  /** Accepted for a one-to-one mirror of Terraform; used when no `eventSourceArn` option is given. */
  event_source_arn?: string;
}

/** Settings after validation, with AWS defaults applied. */
export interface ResolvedSettings {
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  startingPosition: StartingPosition;
  startingPositionTimestamp: Date | undefined;
  maximumRetryAttempts: number;
  maximumRecordAgeInSeconds: number;
  bisectBatchOnFunctionError: boolean;
  parallelizationFactor: number;
  tumblingWindowInSeconds: number;
  reportBatchItemFailures: boolean;
  filterPatterns: FilterPattern[];
  onFailureDestinationArn: string | undefined;
  enabled: boolean;
}

/** A parsed Lambda event-filtering pattern. */
export type FilterPattern = { [key: string]: unknown };

/** The tumbling-window fields Lambda adds to an invocation. */
export interface TumblingWindowFields {
  window: { start: string; end: string };
  state: Record<string, unknown>;
  shardId: string;
  eventSourceARN: string;
  isFinalInvokeForWindow: boolean;
  isWindowTerminatedEarly: boolean;
}

/** A record as Lambda delivers it; `encryptionType` appears only for encrypted streams. */
export type EsmKinesisRecord = KinesisStreamRecord & {
  kinesis: KinesisStreamRecord['kinesis'] & { encryptionType?: 'KMS' };
};

/** The event a handler receives: `Records`, plus the window fields when a tumbling window is set. */
export type EsmKinesisEvent = { Records: EsmKinesisRecord[] } & Partial<TumblingWindowFields>;

/** An in-process Lambda function: what a bundle's handler export looks like. */
export type EsmHandler = (event: EsmKinesisEvent, context: Context) => Promise<unknown> | unknown;

/** The part of an SQS client the on-failure destination needs (an `SQSClient` fits). */
export interface SqsSender {
  send(command: SendMessageCommand): Promise<unknown>;
}

/** A source of "now" in epoch milliseconds, replaceable in tests. */
export interface Clock {
  now(): number;
}

/** Options of {@link EventSourceMapping}. */
export interface EventSourceMappingOptions {
  /** A Kinesis client for the stream (on kinesalite: `requestHandler: new NodeHttpHandler()`). */
  kinesis: KinesisClient;
  /** The stream, by name; or give `eventSourceArn` (or `settings.event_source_arn`). */
  streamName?: string;
  /** The stream ARN, as in the Terraform mapping. */
  eventSourceArn?: string;
  /** The function, called in process. */
  handler: EsmHandler;
  /** The function's name, used in its ARN, the context and the destination message. */
  functionName: string;
  /** The mapping settings, as in Terraform. */
  settings: EventSourceMappingSettings;
  /** Client for the SQS on-failure destination; required when one is configured. */
  sqs?: SqsSender;
  /**
   * Maps the destination ARN to a queue URL (local SQS has URLs of its own). By default an ARN
   * `arn:aws:sqs:<region>:<account>:<name>` needs this resolver; a URL given as ARN is used as is.
   */
  destinationQueueUrlFor?: (destinationArn: string) => string | Promise<string>;
  /** Clock for record age, timestamps and windows; default `Date`. */
  clock?: Clock;
  /** The function's timeout (Terraform `timeout`), default 3. */
  functionTimeoutSeconds?: number;
  /** The function's memory (Terraform `memory_size`), default 128; reported in the context. */
  memoryLimitInMB?: number;
  /** The function's execution role, reported as `invokeIdentityArn`. */
  executionRoleArn?: string;
  /** Pause between polls of an idle shard, default 1000 ms as on AWS. */
  idlePollIntervalMs?: number;
  /** Backoff between retries of a failed batch: doubles from `initialMs` up to `maxMs`. */
  retryBackoff?: { initialMs?: number; maxMs?: number };
  /** How often the stream is listed for new shards after resharding, default 10 s. */
  shardDiscoveryIntervalMs?: number;
}

/** Counters and gauges of one mapping. */
export interface MappingMetrics {
  /** Function invocations, final window invocations included. */
  invocations: number;
  /** Invocations that threw or timed out. */
  errors: number;
  /** Of `errors`, invocations that ran past the function timeout. */
  timeouts: number;
  /** Invocations whose response Lambda rejects (unknown itemIdentifier, missing window state). */
  invalidResponses: number;
  /** Invocations answered with a non-empty batchItemFailures list. */
  partialFailures: number;
  /** Kinesis read throttling seen while polling. */
  throttles: number;
  /** Handler duration in milliseconds. */
  duration: { sumMs: number; maxMs: number; lastMs: number };
  /** Milliseconds the slowest shard is behind: MillisBehindLatest, or the age of its oldest unprocessed record. */
  iteratorAgeMs: number;
  /** Records delivered to the function (each record once, however often it is retried). */
  recordsIn: number;
  /** Records checkpointed after success. */
  recordsOut: number;
  /** Retries of a batch or of the rest of a partially failed batch. */
  retries: number;
  /** Batches split in two after a function error. */
  bisections: number;
  /** Records skipped after retries ran out or the record age was exceeded. */
  recordsDiscarded: number;
  /** Of `recordsDiscarded`, records described to the on-failure destination. */
  recordsSentToDestination: number;
  /** Messages sent to the on-failure destination. */
  destinationMessages: number;
  /** Messages the on-failure destination refused. */
  destinationErrors: number;
  /** Records matching no filter pattern, skipped. */
  filtered: number;
  /** Batches being processed right now. */
  batchesInFlight: number;
  /** Shards being polled right now. */
  activeShards: number;
}

/** Why a batch was skipped. */
export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** The on-failure destination message, as real AWS sends it to SQS or SNS. */
export interface OnFailureMessage {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: DiscardCondition;
    approximateInvokeCount: number;
  };
  /**
   * Present when the batch was discarded after its retries ran out (the last invocation's outcome); absent when
   * it was discarded for its age. `functionError` is `"Unhandled"` for a thrown error or a timeout and `null` for
   * a response Lambda rejected or a partial batch failure (a 200 without a function error).
   */
  responseContext?: { statusCode: 200; executedVersion: string; functionError: 'Unhandled' | null };
  version: '1.0';
  timestamp: string;
  KinesisBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

/** Outcome of one invocation. */
export type InvocationOutcome = 'success' | 'partial' | 'error' | 'timeout' | 'invalid-response';

/** Payload of the `invocation` event. */
export interface InvocationReport {
  shardId: string;
  lane: number;
  requestId: string;
  batchSize: number;
  durationMs: number;
  outcome: InvocationOutcome;
  /** 1 for the first invocation of a batch, 2 for its first retry... */
  invokeCount: number;
  isFinalInvokeForWindow: boolean;
  error?: unknown;
}

/** Payload of the `discarded` event. */
export interface DiscardReport {
  shardId: string;
  condition: DiscardCondition;
  batchSize: number;
  message: OnFailureMessage;
  sentToDestination: boolean;
}

/** Events an {@link EventSourceMapping} emits, for live progress. */
export interface EventSourceMappingEvents {
  invocation: [InvocationReport];
  discarded: [DiscardReport];
  filtered: [{ shardId: string; sequenceNumber: string }];
  progress: [MappingMetrics];
  shardStarted: [{ shardId: string }];
  shardEnded: [{ shardId: string }];
  pollError: [{ shardId: string; error: unknown }];
  destinationError: [{ error: unknown; message: OnFailureMessage }];
}
