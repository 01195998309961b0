import { BUCKET_NAME, CONTINUATION_SOURCE, ETAG, INBOX_SUFFIXES, MAX_HOPS, MAX_KEY_BYTES } from './constants';
import { ImportEventError } from './errors';
import type { ImportTarget, Progress } from './types';

/** Where the importer may read: its inbox bucket and the prefix under it. */
export interface Inbox {
  bucket: string;
  prefix: string;
}

/** An object the event named that the importer refuses, and why (logged and counted, never read). */
export interface RejectedObject {
  bucket: string;
  key: string;
  reason: string;
}

/** What one invocation is asked to do. */
export interface ImportRequest {
  /** Objects to import, in event order, each with the checkpoint a continuation carried. */
  targets: Array<{ target: ImportTarget; carried?: Progress }>;
  rejected: RejectedObject[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Decodes an S3 notification key: URL-encoded, with `+` for a space.
 * @returns undefined when the encoding is broken.
 */
export function decodeS3Key(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Why the importer refuses an object, or undefined when it is in the inbox and named like an import file. */
export function refuseObject(inbox: Inbox, bucket: string, key: string): string | undefined {
  if (bucket !== inbox.bucket) return `bucket '${bucket.slice(0, 63)}' is not the inbox bucket`;
  if (key.length === 0 || Buffer.byteLength(key) > MAX_KEY_BYTES)
    return 'key is empty or longer than 1024 bytes';
  if (!key.startsWith(`${inbox.prefix}/`)) return `key is not under the inbox prefix '${inbox.prefix}/'`;
  if (key.split('/').some((segment) => segment === '..' || segment === '.'))
    return 'key has a relative path segment';
  if ([...key].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    return 'key has control characters';
  if (!INBOX_SUFFIXES.some((suffix) => key.endsWith(suffix)))
    return `key does not end with ${INBOX_SUFFIXES.join(' or ')}`;
  return undefined;
}

const isProgress = (v: unknown): v is Progress =>
  isObject(v) &&
  Number.isSafeInteger(v.lines) &&
  (v.lines as number) >= 0 &&
  Number.isSafeInteger(v.bytes) &&
  (v.bytes as number) >= 0 &&
  typeof v.done === 'boolean';

/**
 * Reads an invocation event: an S3 event notification (ObjectCreated records; the `s3:TestEvent` S3 sends when
 * notifications are configured has none) or a continuation the importer sent itself. Every bucket, key and
 * ETag is untrusted: a record outside the inbox, with a key that does not decode, or without an ETag is
 * rejected, never read.
 *
 * @throws {ImportEventError} when the event is neither shape.
 */
export function parseImportEvent(event: unknown, inbox: Inbox): ImportRequest {
  const request: ImportRequest = { targets: [], rejected: [] };
  if (!isObject(event)) throw new ImportEventError('the event is not a JSON object');
  if (event.source === CONTINUATION_SOURCE) {
    const c = event.continuation;
    if (
      !isObject(c) ||
      typeof c.bucket !== 'string' ||
      typeof c.key !== 'string' ||
      typeof c.etag !== 'string'
    ) {
      throw new ImportEventError('a continuation event needs continuation.bucket, .key and .etag strings');
    }
    if (!Number.isSafeInteger(c.hop) || (c.hop as number) < 1 || (c.hop as number) > MAX_HOPS) {
      throw new ImportEventError(`continuation.hop must be an integer from 1 to ${MAX_HOPS}`);
    }
    if (!isProgress(c.checkpoint))
      throw new ImportEventError('continuation.checkpoint must be {lines, bytes, done}');
    const reason =
      refuseObject(inbox, c.bucket, c.key) ?? (ETAG.test(c.etag) ? undefined : 'etag is malformed');
    if (reason) request.rejected.push({ bucket: c.bucket, key: c.key, reason });
    else
      request.targets.push({
        target: {
          bucket: c.bucket,
          key: c.key,
          etag: c.etag,
          hop: c.hop as number,
          ...(typeof c.versionId === 'string' ? { versionId: c.versionId } : {}),
          ...(Number.isSafeInteger(c.size) ? { size: c.size as number } : {}),
        },
        carried: c.checkpoint,
      });
    return request;
  }
  if (event.Event === 's3:TestEvent') return request;
  if (!Array.isArray(event.Records)) {
    throw new ImportEventError('the event is neither an S3 notification (Records) nor a continuation');
  }
  for (const record of event.Records as unknown[]) {
    const s3 = isObject(record) ? record.s3 : undefined;
    const bucketName = isObject(s3) && isObject(s3.bucket) ? s3.bucket.name : undefined;
    const object = isObject(s3) ? s3.object : undefined;
    const encodedKey = isObject(object) ? object.key : undefined;
    if (typeof bucketName !== 'string' || !BUCKET_NAME.test(bucketName) || typeof encodedKey !== 'string') {
      request.rejected.push({
        bucket: String(bucketName),
        key: String(encodedKey),
        reason: 'not an S3 object record',
      });
      continue;
    }
    const eventName = isObject(record) ? record.eventName : undefined;
    if (typeof eventName !== 'string' || !eventName.startsWith('ObjectCreated:')) {
      request.rejected.push({
        bucket: bucketName,
        key: encodedKey,
        reason: `event ${String(eventName)} is not ObjectCreated`,
      });
      continue;
    }
    const key = decodeS3Key(encodedKey);
    if (key === undefined) {
      request.rejected.push({ bucket: bucketName, key: encodedKey, reason: 'key is not valid URL encoding' });
      continue;
    }
    const etag = isObject(object) && typeof object.eTag === 'string' ? object.eTag.replace(/"/g, '') : '';
    const reason =
      refuseObject(inbox, bucketName, key) ?? (ETAG.test(etag) ? undefined : 'etag is missing or malformed');
    if (reason) {
      request.rejected.push({ bucket: bucketName, key, reason });
      continue;
    }
    const o = object as Json;
    request.targets.push({
      target: {
        bucket: bucketName,
        key,
        etag,
        hop: 0,
        ...(typeof o.versionId === 'string' && o.versionId !== '' ? { versionId: o.versionId } : {}),
        ...(Number.isSafeInteger(o.size) ? { size: o.size as number } : {}),
      },
    });
  }
  return request;
}
