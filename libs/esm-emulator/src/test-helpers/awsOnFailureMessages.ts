import type { EventSourceMappingSettings } from '../types';

/*
 * On-failure destination messages recorded on AWS, as test vectors, with the scenario that produced each.
 *
 * Source: LocalStack's AWS-validated snapshots (recorded against real AWS, October 2024 to April 2025),
 * repository localstack/localstack, file
 * tests/aws/services/lambda_/event_source_mapping/test_lambda_integration_kinesis.snapshot.json, and the tests in
 * test_lambda_integration_kinesis.py beside it, which set up the stream, the function and the mapping of each
 * recording. The recorder replaced the values AWS generates (request ids, ARNs, times, sequence numbers) by
 * placeholders; here they are the tokens below, matched by shape or bound to the run's own values. Everything
 * else (keys, their order, condition, approximateInvokeCount, responseContext, batchSize, version) is AWS's
 * value as recorded. The recordings are of SQS bodies; the SNS recording (same test file,
 * test_kinesis_event_source_mapping_with_sns_on_failure_destination_config) holds the same message.
 */

/** A request id: a lower-case UUID. */
export const UUID = '<uuid>';
/** An ISO 8601 UTC time with milliseconds, e.g. 2022-07-13T13:48:01.000Z (the recorder's format for these). */
export const ISO_MS = '<timestamp-ms>';
/** `arn:aws:lambda:<region>:<account>:function:<name>`, unqualified, of the mapping's function. */
export const FUNCTION_ARN = '<function-arn>';
/** The stream's ARN. */
export const STREAM_ARN = '<stream-arn>';
/** The sequence number of the n-th record put in the scenario (1-based). */
export const seq = (n: number): string => `<sequence-number:${n}>`;

/** What the function does with every batch, as the recorded test's function did. */
export type RecordedFunction =
  | { kind: 'throws' }
  | { kind: 'returns'; response: unknown }
  /** Reports `{itemIdentifier: sequenceNumber}` for each record whose JSON data has `should_fail: true`. */
  | { kind: 'reports-flagged' }
  | { kind: 'succeeds' };

/** How the recorded test made records old (it waited past MaximumRecordAgeInSeconds; a test moves the clock). */
export type RecordAgeSetup =
  | 'none'
  /** The record passes the maximum age while its batch is being retried. */
  | 'expires-while-retrying'
  /** The record is older than the maximum age before the mapping starts. */
  | 'expired-before-start'
  /** Only the first record put is older than the maximum age; the others are fresh. */
  | 'first-record-expired';

/** One recorded scenario and the message AWS sent for it. */
export interface RecordedOnFailureCase {
  /** The test (and parameter) in test_lambda_integration_kinesis.py whose AWS recording this is. */
  source: string;
  /** Data of the records put, in order, on a one-shard stream. */
  records: unknown[];
  /** The mapping's settings in the test, without the destination (always an SQS queue). */
  settings: Partial<EventSourceMappingSettings>;
  function: RecordedFunction;
  recordAge: RecordAgeSetup;
  /** The SQS message body, with the tokens above. */
  message: Record<string, unknown>;
  /** Times each record reached the function, where the recording shows it (the function logged its events). */
  deliveries?: number[];
}

/** The KinesisBatchInfo of a recording: always in this key order. */
function batchInfo(first: number, last: number, batchSize: number): Record<string, unknown> {
  return {
    shardId: 'shardId-000000000000',
    startSequenceNumber: seq(first),
    endSequenceNumber: seq(last),
    approximateArrivalOfFirstRecord: ISO_MS,
    approximateArrivalOfLastRecord: ISO_MS,
    batchSize,
    streamArn: STREAM_ARN,
  };
}

/** The message of a batch whose retries ran out, as recorded. */
function retriesExhausted(
  approximateInvokeCount: number,
  functionError: 'Unhandled' | null,
  info: Record<string, unknown>,
): Record<string, unknown> {
  return {
    requestContext: {
      requestId: UUID,
      functionArn: FUNCTION_ARN,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError },
    version: '1.0',
    timestamp: ISO_MS,
    KinesisBatchInfo: info,
  };
}

/** The message of records skipped for their age, as recorded: no responseContext, approximateInvokeCount 1. */
function recordAgeExceeded(info: Record<string, unknown>): Record<string, unknown> {
  return {
    requestContext: {
      requestId: UUID,
      functionArn: FUNCTION_ARN,
      condition: 'RecordAgeExceeded',
      approximateInvokeCount: 1,
    },
    version: '1.0',
    timestamp: ISO_MS,
    KinesisBatchInfo: info,
  };
}

const TEST = 'test_lambda_integration_kinesis.py::TestKinesisSource::';
const REPORTING = {
  starting_position: 'TRIM_HORIZON',
  batch_size: 1,
  maximum_batching_window_in_seconds: 1,
  function_response_types: ['ReportBatchItemFailures'],
  maximum_retry_attempts: 2,
} satisfies Partial<EventSourceMappingSettings>;
const RECORD_AGE = {
  starting_position: 'TRIM_HORIZON',
  batch_size: 1,
  maximum_batching_window_in_seconds: 1,
  maximum_record_age_in_seconds: 60,
} satisfies Partial<EventSourceMappingSettings>;

/** The responses of the recorded function that Lambda rejected: name, test parameter, response. */
const REJECTED_RESPONSES: [string, string, unknown][] = [
  [
    'item identifier not a string (123)',
    'item_identifier_not_present_failure',
    { batchItemFailures: [{ itemIdentifier: 123 }] },
  ],
  [
    'item identifier empty',
    'empty_string_item_identifier_failure',
    { batchItemFailures: [{ itemIdentifier: '' }] },
  ],
  ['item identifier null', 'null_item_identifier_failure', { batchItemFailures: [{ itemIdentifier: null }] }],
  ['item without itemIdentifier', 'invalid_key_foo_failure', { batchItemFailures: [{ foo: 123 }] }],
  [
    'item without itemIdentifier, null value',
    'invalid_key_foo_null_value_failure',
    { batchItemFailures: [{ foo: null }] },
  ],
];

/** Every recorded on-failure message of the Kinesis tests, by what the scenario exercises. */
export const AWS_ON_FAILURE_MESSAGES: Record<string, RecordedOnFailureCase> = {
  'thrown error, retries exhausted': {
    source: `${TEST}test_kinesis_event_source_mapping_with_on_failure_destination_config`,
    records: [{ input: 'hello', value: 'world', raise_error: 1 }],
    settings: {
      starting_position: 'TRIM_HORIZON',
      batch_size: 1,
      maximum_batching_window_in_seconds: 1,
      maximum_retry_attempts: 1,
    },
    function: { kind: 'throws' },
    recordAge: 'none',
    message: retriesExhausted(2, 'Unhandled', batchInfo(1, 1, 1)),
  },
  'partial batch failure, the rest retried until retries ran out': {
    source: `${TEST}test_kinesis_report_batch_item_failures`,
    records: Array.from({ length: 6 }, (_, i) => ({ should_fail: i === 5 })),
    settings: {
      starting_position: 'TRIM_HORIZON',
      batch_size: 3,
      maximum_batching_window_in_seconds: 1,
      maximum_retry_attempts: 3,
      function_response_types: ['ReportBatchItemFailures'],
    },
    function: { kind: 'reports-flagged' },
    recordAge: 'none',
    // The reported record was delivered 5 times: in its batch of 3, then alone 1 + 3 retries.
    message: retriesExhausted(4, null, batchInfo(6, 6, 1)),
    deliveries: [1, 1, 1, 1, 1, 5],
  },
  // A response Lambda rejects fails the whole batch: 1 + 2 retries, then a 200 without a function error.
  ...Object.fromEntries(
    REJECTED_RESPONSES.map(([name, parameter, response]) => [
      name,
      {
        source: `${TEST}test_kinesis_report_batch_item_failure_scenarios[${parameter}]`,
        records: ['hello'],
        settings: REPORTING,
        function: { kind: 'returns', response },
        recordAge: 'none',
        message: retriesExhausted(3, null, batchInfo(1, 1, 1)),
        deliveries: [3],
      } satisfies RecordedOnFailureCase,
    ]),
  ),
  'thrown error with ReportBatchItemFailures': {
    source: `${TEST}test_kinesis_report_batch_item_failure_scenarios[unhandled_exception_in_function]`,
    records: ['hello'],
    settings: REPORTING,
    function: { kind: 'throws' },
    recordAge: 'none',
    message: retriesExhausted(3, 'Unhandled', batchInfo(1, 1, 1)),
    deliveries: [3],
  },
  'record age exceeded while retrying': {
    source: `${TEST}test_kinesis_maximum_record_age_exceeded[expire-while-retrying]`,
    records: ['stream-data'],
    settings: { ...RECORD_AGE, maximum_retry_attempts: -1 },
    function: { kind: 'throws' },
    recordAge: 'expires-while-retrying',
    message: recordAgeExceeded(batchInfo(1, 1, 1)),
  },
  'record age exceeded before the first invocation': {
    source: `${TEST}test_kinesis_maximum_record_age_exceeded[expire-before-ingestion]`,
    records: ['stream-data'],
    settings: { ...RECORD_AGE, maximum_retry_attempts: 0 },
    function: { kind: 'throws' },
    recordAge: 'expired-before-start',
    message: recordAgeExceeded(batchInfo(1, 1, 1)),
    deliveries: [0],
  },
  'record age exceeded by the first record of a batch': {
    source: `${TEST}test_kinesis_maximum_record_age_exceeded_discard_records`,
    records: ['stream-data', ...Array.from({ length: 5 }, (_, i) => `stream-data-${i + 1}`)],
    settings: { ...RECORD_AGE, batch_size: 10, maximum_retry_attempts: 0 },
    function: { kind: 'succeeds' },
    recordAge: 'first-record-expired',
    message: recordAgeExceeded(batchInfo(1, 1, 1)),
    // The function received the 5 fresh records (it forwarded them to a queue the test read).
    deliveries: [0, 1, 1, 1, 1, 1],
  },
};

/** The run's values the tokens stand for. */
export interface RecordedBindings {
  functionArn: string;
  streamArn: string;
  sequenceNumbers: string[];
}

const SHAPES: Record<string, RegExp> = {
  [UUID]: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  [ISO_MS]: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
};

/** Replaces the tokens of a recorded message by the run's values, or by a matcher of their shape. */
export function expectedFromRecording(recorded: unknown, bindings: RecordedBindings): unknown {
  if (Array.isArray(recorded)) return recorded.map((item) => expectedFromRecording(item, bindings));
  if (typeof recorded === 'object' && recorded !== null) {
    return Object.fromEntries(
      Object.entries(recorded).map(([key, value]) => [key, expectedFromRecording(value, bindings)]),
    );
  }
  if (typeof recorded !== 'string') return recorded;
  const shape = SHAPES[recorded];
  if (shape) return expect.stringMatching(shape);
  if (recorded === FUNCTION_ARN) return bindings.functionArn;
  if (recorded === STREAM_ARN) return bindings.streamArn;
  const n = /^<sequence-number:(\d+)>$/.exec(recorded)?.[1];
  if (n === undefined) return recorded;
  const bound = bindings.sequenceNumbers[Number(n) - 1];
  if (bound === undefined) throw new RangeError(`${recorded}: the scenario put no record ${n}`);
  return bound;
}

/** Every object's keys, in order, by path: what JSON key order a message has. */
export function keyOrder(value: unknown, path = '$'): Record<string, string[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.entries(value).reduce<Record<string, string[]>>(
    (orders, [key, child]) => ({ ...orders, ...keyOrder(child, `${path}.${key}`) }),
    { [path]: Object.keys(value) },
  );
}
