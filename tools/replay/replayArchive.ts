import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { putRecords, type PutEntry } from '@shardline/aws';

/** Progress of a replay. */
export interface ReplayProgress {
  partitions: number;
  objects: number;
  objectsRead: number;
  linesRead: number;
  matched: number;
  published: number;
  failed: number;
  unparsable: number;
}

/** Options of {@link replayArchive}. */
export interface ReplayArchiveOptions {
  s3: S3Client;
  kinesis: KinesisClient;
  bucket: string;
  prefix: string;
  from: Date;
  to: Date;
  stream: string;
  rate: number;
  lagHours: number;
  keepEnrichment: boolean;
  dryRun?: boolean;
  onProgress?: (progress: ReplayProgress) => void;
}

const HOUR = 3_600_000;

/**
 * Key prefixes of the hourly archive partitions that can hold events of [from, to): partitions are by hour of
 * arrival, which is never before the event time on a sane clock and at most `lagHours` after it.
 *
 * @example
 * ```ts
 * hourPartitions('events', new Date('2026-11-26T10:30:00Z'), new Date('2026-11-26T11:00:00Z'), 0);
 * // ['events/dt=2026-11-26/hour=10/']
 * ```
 */
export function hourPartitions(prefix: string, from: Date, to: Date, lagHours: number): string[] {
  const partitions: string[] = [];
  const first = Math.floor(from.getTime() / HOUR) * HOUR;
  const last = to.getTime() - 1 + lagHours * HOUR;
  for (let hour = first; hour <= last; hour += HOUR) {
    const iso = new Date(hour).toISOString();
    partitions.push(`${prefix}/dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/`);
  }
  return partitions;
}

/** The line to publish for an archived event in range, with its partition key; undefined when out of range. */
export function replayEntry(
  line: string,
  from: Date,
  to: Date,
  keepEnrichment: boolean,
): { data: string; partitionKey: string } | undefined | 'unparsable' {
  let event: { time?: unknown; id?: unknown; data?: { userId?: unknown }; enrichment?: unknown };
  try {
    event = JSON.parse(line) as typeof event;
  } catch {
    return 'unparsable';
  }
  const millis = typeof event.time === 'string' ? Date.parse(event.time) : Number.NaN;
  if (Number.isNaN(millis)) return 'unparsable';
  if (millis < from.getTime() || millis >= to.getTime()) return undefined;
  if (!keepEnrichment) delete event.enrichment;
  const key = typeof event.data?.userId === 'string' ? event.data.userId : String(event.id ?? 'replay');
  return { data: keepEnrichment ? line : JSON.stringify(event), partitionKey: key.slice(0, 256) || 'replay' };
}

/**
 * Republishes archived events of an event-time range into a stream: lists the hourly partitions that overlap the
 * range (plus `lagHours` of arrival lag), streams each object through gunzip line by line, keeps events whose
 * `time` is in [from, to), and puts them with PutRecords at `rate` records/s.
 */
export async function replayArchive(options: ReplayArchiveOptions): Promise<ReplayProgress> {
  const partitions = hourPartitions(options.prefix, options.from, options.to, options.lagHours);
  const progress: ReplayProgress = {
    partitions: partitions.length,
    objects: 0,
    objectsRead: 0,
    linesRead: 0,
    matched: 0,
    published: 0,
    failed: 0,
    unparsable: 0,
  };
  const keys: string[] = [];
  for (const partition of partitions) {
    let token: string | undefined;
    do {
      const page = await options.s3.send(
        new ListObjectsV2Command({ Bucket: options.bucket, Prefix: partition, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key?.endsWith('.ndjson.gz')) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  progress.objects = keys.length;
  options.onProgress?.(progress);

  const started = Date.now();
  let pending: PutEntry<null>[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    // Pace: the batch's last record is due at started + published / rate.
    const due = started + ((progress.published + batch.length) / options.rate) * 1000;
    if (!options.dryRun && due > Date.now())
      await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    if (!options.dryRun) {
      const failed = await putRecords(options.kinesis, options.stream, batch, { maxAttempts: 10 });
      progress.failed += failed.length;
      progress.published += batch.length - failed.length;
    } else {
      progress.published += batch.length;
    }
    options.onProgress?.(progress);
  };
  const batchSize = Math.max(1, Math.min(500, Math.ceil(options.rate / 5)));

  for (const key of keys) {
    const object = await options.s3.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
    const lines = createInterface({
      input: (object.Body as Readable).pipe(createGunzip()),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (line.length === 0) continue;
      progress.linesRead++;
      const entry = replayEntry(line, options.from, options.to, options.keepEnrichment);
      if (entry === 'unparsable') {
        progress.unparsable++;
        continue;
      }
      if (!entry) continue;
      progress.matched++;
      pending.push({ data: Buffer.from(entry.data), partitionKey: entry.partitionKey, ref: null });
      if (pending.length >= batchSize) await flush();
    }
    progress.objectsRead++;
  }
  await flush();
  options.onProgress?.(progress);
  return progress;
}
