import type { PutObjectCommandInput } from '@aws-sdk/client-s3';
import { METADATA_KEYS } from './constants';
import type { ArchiveObjectPlan } from './types';

/** Where and how archive objects are stored. */
export interface ArchiveTarget {
  bucket: string;
  /** SSE-KMS with this key when set; SSE-S3 (AES256) otherwise. */
  kmsKeyId?: string;
}

/**
 * The PutObject request of one archive object: gzip NDJSON body, record count and sequence range as user
 * metadata, server-side encryption always requested. No checksum options are set, so the SDK's default integrity
 * checksum (CRC32 of the body, verified by S3) stays on.
 *
 * @example
 * ```ts
 * await s3.send(new PutObjectCommand(buildPutObjectInput(plan, body, { bucket: 'archive' })));
 * ```
 */
export function buildPutObjectInput(
  plan: ArchiveObjectPlan,
  body: Uint8Array,
  target: ArchiveTarget,
): PutObjectCommandInput {
  return {
    Bucket: target.bucket,
    Key: plan.key,
    Body: body,
    ContentLength: body.byteLength,
    ContentType: 'application/x-ndjson',
    ContentEncoding: 'gzip',
    Metadata: {
      [METADATA_KEYS.recordCount]: String(plan.records.length),
      [METADATA_KEYS.firstSequenceNumber]: plan.firstSequenceNumber,
      [METADATA_KEYS.lastSequenceNumber]: plan.lastSequenceNumber,
    },
    ...(target.kmsKeyId
      ? // A bucket key cuts KMS requests (and their cost) from one per object to one per bucket key period.
        { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: target.kmsKeyId, BucketKeyEnabled: true }
      : { ServerSideEncryption: 'AES256' }),
  };
}
