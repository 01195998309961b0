import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ImportTarget } from './types';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** An object opened for reading from a content offset. */
export type OpenedObject =
  | { status: 'open'; gzip: boolean; chunks: AsyncIterable<Buffer> }
  /** Nothing lies past the offset (a checkpoint at the very end). */
  | { status: 'ended' }
  /** The key now holds another version (its ETag changed) or none: that version's own notification imports it. */
  | { status: 'gone'; reason: string };

const statusOf = (error: unknown): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** Whether bytes start with the gzip magic number. */
export const isGzip = (head: Uint8Array): boolean => head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];

/** Yields the first chunk again before the rest of an iterator. */
async function* prepend(first: Buffer[], rest: AsyncIterator<Uint8Array>): AsyncGenerator<Buffer> {
  for (const b of first) yield b;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield Buffer.from(next.value);
}

/** Drops the first `count` bytes of a stream of chunks. */
export async function* skipBytes(chunks: AsyncIterable<Buffer>, count: number): AsyncGenerator<Buffer> {
  let left = count;
  for await (const chunk of chunks) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}

/** Inflates a gzip stream (several members too) as it is read. */
export function gunzipStream(chunks: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  const gunzip = createGunzip();
  return pipeline(Readable.from(chunks), gunzip, () => undefined);
}

/** Reads the body's first bytes (at least two, unless it is shorter) and tells whether it is gzip. */
async function sniff(
  body: AsyncIterable<Uint8Array>,
): Promise<{ gzip: boolean; chunks: AsyncIterable<Buffer> }> {
  const iterator = body[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  while (size < 2) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(Buffer.from(next.value));
    size += next.value.byteLength;
  }
  const first = Buffer.concat(head);
  return { gzip: isGzip(first), chunks: prepend(size > 0 ? [first] : [], iterator) };
}

/**
 * Opens an object version for streaming from a content offset (`bytes`, in the decompressed content). Every
 * request carries `If-Match: <etag>`, so a key overwritten mid-import is never read as a mix of two files.
 * gzip is recognised by its magic bytes or `Content-Encoding: gzip`; a plain object resumes with a `Range`
 * request, a gzip one is inflated from the start and the first `bytes` dropped (no bytes are sent twice, only
 * inflated twice).
 */
export async function openObject(s3: S3Client, target: ImportTarget, bytes: number): Promise<OpenedObject> {
  const get = async (range?: string): Promise<GetObjectCommandOutput | OpenedObject> => {
    try {
      return await s3.send(
        new GetObjectCommand({
          Bucket: target.bucket,
          Key: target.key,
          IfMatch: `"${target.etag}"`,
          ...(range ? { Range: range } : {}),
        }),
      );
    } catch (error) {
      const status = statusOf(error);
      if (status === 412) return { status: 'gone', reason: `its ETag is no longer ${target.etag}` };
      if (status === 404) return { status: 'gone', reason: 'it was deleted' };
      if (status === 416) return { status: 'ended' };
      throw error;
    }
  };
  const whole = await get(bytes > 0 ? 'bytes=0-1' : undefined);
  if ('status' in whole) return whole;
  const encodedGzip = (whole.ContentEncoding ?? '').toLowerCase().includes('gzip');
  const { gzip: magic, chunks } = await sniff(whole.Body as AsyncIterable<Uint8Array>);
  const gzip = magic || encodedGzip;
  if (bytes === 0) return { status: 'open', gzip, chunks: gzip ? gunzipStream(chunks) : chunks };
  // Resuming: the two bytes read above only told the format.
  for await (const _ of chunks) void _;
  if (gzip) {
    const all = await get();
    if ('status' in all) return all;
    return {
      status: 'open',
      gzip,
      chunks: skipBytes(gunzipStream(all.Body as AsyncIterable<Buffer>), bytes),
    };
  }
  const rest = await get(`bytes=${bytes}-`);
  if ('status' in rest) return rest;
  return {
    status: 'open',
    gzip,
    chunks: prepend([], (rest.Body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()),
  };
}
