import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createClient } from '@shardline/aws';
import type { LocalStack } from '@shardline/local-stack';
import { UsageError } from './errors';
import type { RunningImporters } from './inboxImporters';
import type { InputRecord } from './readInputFile';

/** Options of {@link produceFiles}. */
export interface ProduceFilesOptions {
  /** Key prefix of the inbox, ending in `/`. */
  prefix: string;
  /** Events per file. */
  fileEvents: number;
  /** gzip NDJSON (`.ndjson.gz`) or plain NDJSON (`.ndjson`). */
  gzip: boolean;
  /** Events per second, as the stream producer paces records. */
  rate: number;
  /** Distinguishes this run's files in a shared inbox. */
  runId: string;
  /** Called with the records of each file once S3 stored it. */
  onStored: (records: readonly InputRecord[], storedAt: number) => void;
}

/**
 * The files a producer drops in the inbox: the records in order, `fileEvents` lines each, gzip unless told
 * otherwise, keyed `<prefix><runId>/part-<n>.ndjson[.gz]`.
 * @throws {UsageError} when a record holds a newline byte: it cannot be one line of an NDJSON file.
 */
export function filesOf(
  records: readonly InputRecord[],
  options: Pick<ProduceFilesOptions, 'prefix' | 'fileEvents' | 'gzip' | 'runId'>,
): Array<{ key: string; body: Buffer; records: readonly InputRecord[] }> {
  records.forEach((r, i) => {
    if (r.data.includes(0x0a))
      throw new UsageError(`record ${i + 1} holds a newline: --via s3 sends NDJSON lines`);
  });
  const files = [];
  for (let i = 0; i < records.length; i += options.fileEvents) {
    const slice = records.slice(i, i + options.fileEvents);
    const ndjson = Buffer.concat(slice.flatMap((r) => [r.data, Buffer.from('\n')]));
    const n = String(files.length).padStart(6, '0');
    files.push({
      key: `${options.prefix}${options.runId}/part-${n}.ndjson${options.gzip ? '.gz' : ''}`,
      body: options.gzip ? gzipSync(ndjson) : ndjson,
      records: slice,
    });
  }
  return files;
}

/**
 * Stage 5 with `--via s3`: uploads the records as files to every importer's inbox through the notifying S3
 * endpoint, paced so events arrive at `rate` per second; resolves with the number of files per inbox.
 */
export async function produceFiles(
  stack: LocalStack,
  importers: RunningImporters,
  records: readonly InputRecord[],
  options: Omit<ProduceFilesOptions, 'prefix'>,
): Promise<number> {
  const env = stack.env();
  const s3 = createClient(S3Client, {
    endpoint: importers.s3Endpoint,
    region: stack.region,
    extra: {
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'test',
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'test',
      },
    },
  });
  let files = 0;
  try {
    for (const importer of importers.importers) {
      const first = Date.now();
      let sent = 0;
      const inboxFiles = filesOf(records, { ...options, prefix: importer.prefix });
      for (const file of inboxFiles) {
        const due = first + (sent / options.rate) * 1000;
        if (due > Date.now()) await sleep(due - Date.now());
        await s3.send(new PutObjectCommand({ Bucket: importer.bucket, Key: file.key, Body: file.body }));
        options.onStored(file.records, Date.now());
        sent += file.records.length;
      }
      files = inboxFiles.length;
    }
  } finally {
    s3.destroy();
  }
  return files;
}
