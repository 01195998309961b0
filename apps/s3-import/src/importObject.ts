import { createHash } from 'node:crypto';
import {
  PUT_RECORDS_MAX_BYTES,
  PUT_RECORDS_MAX_ENTRIES,
  type FailedPut,
  type PutEntry,
} from '@shardline/aws';
import type { QuarantineMessage } from '@shardline/middleware';
import { classifyLine } from './classifyLine';
import { decideHandOff } from './decideHandOff';
import { objectIdOf } from './dynamoDbCheckpoints';
import { ImportError, PutRecordsIncompleteError } from './errors';
import type { OpenedObject } from './openObject';
import { splitLines, type Line } from './splitLines';
import type { Checkpoints, ImportTarget, Progress } from './types';

/** A quarantined line: the consumers' quarantine message, with the line's place in its file. */
export interface LineQuarantineMessage extends QuarantineMessage {
  file: {
    bucket: string;
    key: string;
    etag: string;
    versionId?: string;
    /** 1-based line number. */
    line: number;
    /** Offset of the line's first byte in the (decompressed) content. */
    offset: number;
    /** The line's length in bytes; `data` holds only its first `maxLineBytes` when `truncated`. */
    length: number;
    truncated: boolean;
  };
}

/** What {@link importObject} needs, passed in so that it is tested without AWS. */
export interface ImportDependencies {
  open(target: ImportTarget, bytes: number): Promise<OpenedObject>;
  checkpoints: Checkpoints;
  /** Puts entries on the stream (one PutRecords request and retries of its failed entries); returns what failed. */
  put(entries: PutEntry<number>[]): Promise<FailedPut<number>[]>;
  quarantine(messages: LineQuarantineMessage[]): Promise<void>;
  /** Waits until the stream takes this many records and bytes; returns the wait in ms. */
  acquire(records: number, bytes: number): Promise<number>;
  timeLeftMs(): number;
  handOffMarginMs: number;
  maxLineBytes: number;
  /** The function's name in quarantine messages. */
  consumer: string;
}

/** How an import invocation ended for one object. */
export interface ImportResult {
  /** done: every line is in; skipped: its checkpoint said done; handed-off: the rest goes to a fresh invocation;
   * gone: the key holds another version now, or none. */
  status: 'done' | 'skipped' | 'handed-off' | 'gone';
  progress: Progress;
  resumed: boolean;
  imported: number;
  malformed: number;
  putCalls: number;
  throttleWaitMs: number;
  reason?: string;
}

interface Chunk {
  entries: PutEntry<number>[];
  bytes: number;
  malformed: LineQuarantineMessage[];
  last?: Line;
}

const emptyChunk = (): Chunk => ({ entries: [], bytes: 0, malformed: [] });

/**
 * Imports one object version onto the stream, from its checkpoint: lines in file order, PutRecords chunks of
 * at most 500 records / 5 MiB at the stream's rate, malformed lines quarantined with their position, and the
 * checkpoint advanced (conditionally) after every chunk. With less than the hand-off margin left it stops after
 * a chunk and reports `handed-off`; the caller sends the continuation.
 *
 * A crash after a PutRecords and before its checkpoint write re-sends that one chunk on retry: the window of
 * duplicates is one chunk, which the pipeline's deduplication by event identity removes downstream.
 *
 * @throws {PutRecordsIncompleteError} when a chunk's records could not all be put (the retry resumes).
 * @throws {CheckpointConflictError} when another invocation advanced the checkpoint first.
 */
export async function importObject(target: ImportTarget, deps: ImportDependencies): Promise<ImportResult> {
  const objectId = objectIdOf(target);
  const stored = await deps.checkpoints.read(objectId);
  let progress: Progress = stored ?? { lines: 0, bytes: 0, done: false };
  const result: ImportResult = {
    status: 'done',
    progress,
    resumed: progress.lines > 0,
    imported: 0,
    malformed: 0,
    putCalls: 0,
    throttleWaitMs: 0,
  };
  if (progress.done) return { ...result, status: 'skipped' };

  // The progress the stored item holds (undefined: no item yet): each write is conditional on it.
  let previous = stored;
  const advance = async (next: Progress) => {
    await deps.checkpoints.advance(objectId, previous, next);
    previous = next;
    progress = next;
    result.progress = next;
  };

  const opened = await deps.open(target, progress.bytes);
  if (opened.status === 'gone') return { ...result, status: 'gone', reason: opened.reason };
  if (opened.status === 'ended') {
    await advance({ ...progress, done: true });
    return result;
  }

  const flush = async (chunk: Chunk, done: boolean) => {
    if (chunk.entries.length > 0) {
      result.throttleWaitMs += await deps.acquire(chunk.entries.length, chunk.bytes);
      const failed = await deps.put(chunk.entries);
      result.putCalls++;
      if (failed.length > 0) {
        throw new PutRecordsIncompleteError(
          failed.length,
          `${failed[0]!.errorCode}: ${failed[0]!.errorMessage ?? ''}`,
        );
      }
      result.imported += chunk.entries.length;
    }
    if (chunk.malformed.length > 0) {
      await deps.quarantine(chunk.malformed);
      result.malformed += chunk.malformed.length;
    }
    const next = chunk.last
      ? { lines: chunk.last.number, bytes: chunk.last.end, done }
      : { ...progress, done };
    await advance(next);
  };

  let chunk = emptyChunk();
  const lines = splitLines(opened.chunks, {
    maxLineBytes: deps.maxLineBytes,
    linesBefore: progress.lines,
    offset: progress.bytes,
  });
  for await (const line of lines) {
    const verdict = classifyLine(line, deps.maxLineBytes);
    const size =
      verdict.kind === 'event'
        ? verdict.data.length + Buffer.byteLength(verdict.partitionKey)
        : verdict.kind === 'malformed'
          ? line.bytes.length
          : 0;
    if (chunk.entries.length === PUT_RECORDS_MAX_ENTRIES || chunk.bytes + size > PUT_RECORDS_MAX_BYTES) {
      await flush(chunk, false);
      chunk = emptyChunk();
      if (decideHandOff({ timeLeftMs: deps.timeLeftMs(), marginMs: deps.handOffMarginMs }) === 'hand-off') {
        // Stops the read: returning from the iteration closes the object's body.
        await lines.return(undefined);
        return { ...result, status: 'handed-off' };
      }
    }
    if (verdict.kind === 'event') {
      chunk.entries.push({ data: verdict.data, partitionKey: verdict.partitionKey, ref: line.number });
    } else if (verdict.kind === 'malformed') {
      chunk.malformed.push(quarantineMessage(target, line, verdict, deps));
    }
    chunk.bytes += size;
    chunk.last = line;
  }
  await flush(chunk, true);
  if (!progress.done)
    throw new ImportError(`the import of ${objectId} ended without its checkpoint saying done`);
  return result;
}

function quarantineMessage(
  target: ImportTarget,
  line: Line,
  verdict: { reason: string; message: string },
  deps: Pick<ImportDependencies, 'consumer' | 'maxLineBytes'>,
): LineQuarantineMessage {
  const now = Date.now();
  // The record-origin fields of the consumers' format, filled from the file: a "shard" per object version
  // (a hash: object keys may be 1,024 bytes) and the line number as its sequence, which also names the
  // overflow object of a large message uniquely.
  const objectHash = createHash('sha256').update(objectIdOf(target)).digest('hex').slice(0, 32);
  return {
    consumer: deps.consumer,
    reason: verdict.reason,
    message: verdict.message,
    shardId: `file-${objectHash}`,
    sequenceNumber: String(line.number),
    partitionKey: '',
    approximateArrivalTimestamp: now / 1000,
    eventSourceARN: `arn:aws:s3:::${target.bucket}/${target.key}`,
    data: line.bytes.toString('base64'),
    quarantinedAt: new Date(now).toISOString(),
    file: {
      bucket: target.bucket,
      key: target.key,
      etag: target.etag,
      ...(target.versionId ? { versionId: target.versionId } : {}),
      line: line.number,
      offset: line.start,
      length: line.length,
      truncated: line.length > deps.maxLineBytes,
    },
  };
}
