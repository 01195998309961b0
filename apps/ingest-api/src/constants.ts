/** The request paths of the API: one per authorizer (JWT for apps and browsers, SigV4 for server producers). */
export const EVENT_PATHS: readonly string[] = ['/v1/events', '/v1/iam/events'];

/** One CloudEvent in structured mode. */
export const SINGLE = 'application/cloudevents+json';
/** A JSON array of CloudEvents (the CloudEvents HTTP binding's batched mode). */
export const BATCH = 'application/cloudevents-batch+json';
/** One CloudEvent per line. */
export const NDJSON = 'application/x-ndjson';

/** The media types `POST /v1/events` accepts, as told in a 415 answer. */
export const MEDIA_TYPES: readonly string[] = [SINGLE, BATCH, NDJSON];

/** The content encodings accepted (`identity` is the same as none). */
export const CONTENT_ENCODINGS: readonly string[] = ['gzip', 'identity'];

/**
 * Where an event's partition key comes from, first usable one first: the user id keeps one user's events in order
 * on one shard; the event id is always there.
 */
export const DEFAULT_PARTITION_KEY: readonly string[] = ['data.userId', 'id'];

/** Kinesis partition keys are 1 to 256 characters. */
export const MAX_PARTITION_KEY_LENGTH = 256;

/** Seconds a producer is asked to wait before retrying events the stream could not take. */
export const RETRY_AFTER_SECONDS = 1;

/** Kinesis error codes that mean the stream is over its write capacity. */
export const THROTTLE_CODES: readonly string[] = [
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'LimitExceededException',
];
