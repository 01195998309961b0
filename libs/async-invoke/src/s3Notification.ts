import { InvalidNotificationConfigError } from './errors';

/**
 * One `lambda_function` block of Terraform's `aws_s3_bucket_notification`: which object events of the bucket go
 * to the function. `filter_prefix` and `filter_suffix` are compared with the key as the event carries it
 * (URL-encoded: a space in a filter is written `+`), as S3 compares them.
 */
export interface LambdaNotificationConfig {
  /** The configuration's id, reported as `s3.configurationId`. */
  id: string;
  /** e.g. `s3:ObjectCreated:*`, `s3:ObjectCreated:Put`, `s3:ObjectCreated:CompleteMultipartUpload`. */
  events: string[];
  filter_prefix?: string;
  filter_suffix?: string;
}

/** The object events the emulation emits (what fauxqs' S3 can create). */
export type ObjectCreatedEvent = 'ObjectCreated:Put' | 'ObjectCreated:CompleteMultipartUpload';

const EMULATED_EVENTS = new Set([
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:CompleteMultipartUpload',
]);

/** An S3 event notification record (eventVersion 2.1), field by field as S3 sends it. */
export interface S3EventRecord {
  eventVersion: '2.1';
  eventSource: 'aws:s3';
  awsRegion: string;
  eventTime: string;
  eventName: ObjectCreatedEvent;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: { 'x-amz-request-id': string; 'x-amz-id-2': string };
  s3: {
    s3SchemaVersion: '1.0';
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: { key: string; size: number; eTag: string; versionId?: string; sequencer: string };
  };
}

/** What a created object's notification describes. */
export interface CreatedObject {
  bucket: string;
  /** The key as stored (decoded). */
  key: string;
  size: number;
  /** The ETag, with or without its quotes. */
  eTag: string;
  /** Only for a bucket with versioning enabled. */
  versionId?: string;
  eventName: ObjectCreatedEvent;
  eventTimeMs: number;
  sequencer: string;
  requestId: string;
  sourceIPAddress: string;
}

// Java's URLEncoder (application/x-www-form-urlencoded), which the keys of S3 events follow, leaves these alone.
const UNRESERVED = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-*_/');

/**
 * An object key as S3 writes it into an event notification: form URL encoding (a space becomes `+`, a `+`
 * becomes `%2B`, `=` becomes `%3D`, UTF-8 bytes percent-encoded in upper-case hex), with `/` kept. Decode with
 * `decodeURIComponent(key.replaceAll('+', ' '))`.
 *
 * @example
 * ```ts
 * encodeS3EventKey('inbox/dt=2026-01-01/my file+1.ndjson'); // 'inbox/dt%3D2026-01-01/my+file%2B1.ndjson'
 * ```
 */
export function encodeS3EventKey(key: string): string {
  let out = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (byte < 0x80 && UNRESERVED.has(char)) out += char;
    else if (char === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The S3 event notification of a created object for one configuration: `{Records: [record]}`, as S3 invokes the
 * function with. Source: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 *
 * @example
 * ```ts
 * const event = s3NotificationEvent(object, { id: 'inbox', events: ['s3:ObjectCreated:*'] }, 'us-east-1');
 * event.Records[0].s3.object.key; // URL-encoded
 * ```
 */
export function s3NotificationEvent(
  object: CreatedObject,
  configuration: LambdaNotificationConfig,
  region: string,
): { Records: [S3EventRecord] } {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: new Date(object.eventTimeMs).toISOString(),
        eventName: object.eventName,
        userIdentity: { principalId: 'AWS:LOCAL' },
        requestParameters: { sourceIPAddress: object.sourceIPAddress },
        responseElements: { 'x-amz-request-id': object.requestId, 'x-amz-id-2': object.requestId },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: configuration.id,
          bucket: {
            name: object.bucket,
            ownerIdentity: { principalId: 'LOCAL' },
            arn: `arn:aws:s3:::${object.bucket}`,
          },
          object: {
            key: encodeS3EventKey(object.key),
            size: object.size,
            eTag: object.eTag.replaceAll('"', ''),
            ...(object.versionId === undefined ? {} : { versionId: object.versionId }),
            sequencer: object.sequencer,
          },
        },
      },
    ],
  };
}

function matchesEvent(patterns: readonly string[], eventName: ObjectCreatedEvent): boolean {
  return patterns.includes(`s3:${eventName}`) || patterns.includes('s3:ObjectCreated:*');
}

/** Whether a created object falls under a configuration (event type, then prefix and suffix of the encoded key). */
export function matchesNotification(
  configuration: LambdaNotificationConfig,
  eventName: ObjectCreatedEvent,
  key: string,
): boolean {
  const encoded = encodeS3EventKey(key);
  return (
    matchesEvent(configuration.events, eventName) &&
    encoded.startsWith(configuration.filter_prefix ?? '') &&
    encoded.endsWith(configuration.filter_suffix ?? '')
  );
}

function overlaps(a: string | undefined, b: string | undefined, test: (x: string, y: string) => boolean) {
  const x = a ?? '';
  const y = b ?? '';
  return test(x, y) || test(y, x);
}

/**
 * Checks a bucket's configurations as PutBucketNotificationConfiguration does: known event types, unique ids, and
 * no two configurations whose event types, prefixes and suffixes overlap (S3 refuses those as "ambiguously
 * defined", so one object never notifies twice).
 * @throws {InvalidNotificationConfigError} naming the configurations.
 */
export function checkNotificationConfigs(configurations: readonly LambdaNotificationConfig[]): void {
  const ids = new Set<string>();
  for (const c of configurations) {
    if (ids.has(c.id))
      throw new InvalidNotificationConfigError(`two notification configurations have the id '${c.id}'`);
    ids.add(c.id);
    if (c.events.length === 0)
      throw new InvalidNotificationConfigError(`notification '${c.id}' has no events`);
    for (const e of c.events) {
      if (!EMULATED_EVENTS.has(e)) {
        throw new InvalidNotificationConfigError(
          `notification '${c.id}': event '${e}' is not emulated (only ${[...EMULATED_EVENTS].join(', ')})`,
        );
      }
    }
  }
  for (let i = 0; i < configurations.length; i++) {
    for (let j = i + 1; j < configurations.length; j++) {
      const a = configurations[i]!;
      const b = configurations[j]!;
      const sameEvents = (['ObjectCreated:Put', 'ObjectCreated:CompleteMultipartUpload'] as const).some(
        (e) => matchesEvent(a.events, e) && matchesEvent(b.events, e),
      );
      if (
        sameEvents &&
        overlaps(a.filter_prefix, b.filter_prefix, (x, y) => x.startsWith(y)) &&
        overlaps(a.filter_suffix, b.filter_suffix, (x, y) => x.endsWith(y))
      ) {
        throw new InvalidNotificationConfigError(
          `Configurations overlap. Configurations on the same bucket cannot share a common event type ('${a.id}' and '${b.id}')`,
        );
      }
    }
  }
}

/**
 * Sequencers of one bucket: upper-case hex strings that grow with each event, so events of one key can be ordered
 * by comparing them as strings of equal length (S3 pads them likewise).
 */
export function createSequencer(startMs = Date.now()): () => string {
  let last = BigInt(startMs) * 1_000_000n;
  return () => {
    last = BigInt(Date.now()) * 1_000_000n > last ? BigInt(Date.now()) * 1_000_000n : last + 1n;
    return last.toString(16).toUpperCase().padStart(18, '0');
  };
}
