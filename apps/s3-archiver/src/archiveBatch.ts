import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { KinesisBatch } from '@shardline/middleware';
import { buildPutObjectInput, type ArchiveTarget } from './buildPutObjectInput';
import { GZIP_LEVEL } from './constants';
import { describeS3Error } from './describeS3Error';
import { encodeNdjsonGzip } from './encodeNdjsonGzip';
import { planArchiveObjects } from './planArchiveObjects';
import type { ArchiveObjectPlan } from './types';

/** What {@link archiveBatch} needs. */
export interface ArchiveDependencies extends ArchiveTarget {
  s3: Pick<S3Client, 'send'>;
  /** Key prefix, e.g. `events`. */
  prefix: string;
  /** Cap on an object's NDJSON bytes before compression. */
  maxObjectBytes: number;
  gzipLevel?: number;
  /** Average NDJSON bytes between marker records; see `planArchiveObjects`. */
  averageCutBytes?: number;
  /** Told about every failed object (for logs); failures are also reported to the batch. */
  onFailure?: (plan: ArchiveObjectPlan, cause: string, error: unknown) => void;
  /** Told about every object written. */
  onWritten?: (plan: ArchiveObjectPlan, bodyBytes: number) => void;
}

/**
 * Archives the batch's good records as gzip NDJSON objects, one per run of one hour of arrival (split at the size
 * cap), and reports each object's records as completed or failed.
 *
 * Objects are written one at a time in sequence order, and the first failure fails that object and every later
 * one without trying them. So the records acknowledged by an invocation are always whole objects before the first
 * failure, the event source mapping resumes exactly at the first record of an object, and the retry writes that
 * object under the same key (README, "Keys and exactly-once").
 *
 * @example
 * ```ts
 * export const handler = kinesisConsumer(options, (batch) => archiveBatch(batch, { s3, bucket, prefix, maxObjectBytes }));
 * ```
 */
export async function archiveBatch<T>(batch: KinesisBatch<T>, deps: ArchiveDependencies): Promise<void> {
  const plans = planArchiveObjects(batch.records, {
    prefix: deps.prefix,
    maxObjectBytes: deps.maxObjectBytes,
    poisonSequenceNumbers: batch.quarantined.map((q) => q.sequenceNumber),
    ...(deps.averageCutBytes === undefined ? {} : { averageCutBytes: deps.averageCutBytes }),
  });
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i] as ArchiveObjectPlan<T>;
    // The timeout guard fired: leave the rest unfinished; the middleware reports it as failed.
    if (batch.signal.aborted) return;
    const body = encodeNdjsonGzip(
      plan.records.map((r) => r.text),
      deps.gzipLevel ?? GZIP_LEVEL,
    );
    try {
      await batch.timeSink('s3', () =>
        deps.s3.send(new PutObjectCommand(buildPutObjectInput(plan, body, deps)), {
          abortSignal: batch.signal,
        }),
      );
    } catch (error) {
      const cause = describeS3Error(error);
      deps.onFailure?.(plan, cause, error);
      for (const rest of plans.slice(i)) batch.fail(rest.records, cause);
      return;
    }
    batch.complete(plan.records);
    deps.onWritten?.(plan, body.byteLength);
  }
}
