import { readFileSync } from 'node:fs';
import { InputFileError } from './errors';

/** One record to put on the raw stream. */
export interface InputRecord {
  data: Buffer;
  partitionKey: string;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAX_RECORD_BYTES = 1024 * 1024;

function partitionKeyOf(event: unknown, line: number): string {
  const e = event as { id?: unknown; data?: { userId?: unknown } } | null;
  const key = typeof e?.data?.userId === 'string' ? e.data.userId : typeof e?.id === 'string' ? e.id : '';
  // Same choice as the generator (the user id), so one user's events stay in order on one shard.
  return key.length >= 1 && key.length <= 256 ? key : `line-${line}`;
}

function parsePutRecords(text: string, file: string): InputRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputFileError(`${file}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!Array.isArray(parsed)) throw new InputFileError(`${file}: expected an array of {Data, PartitionKey}`);
  return parsed.map((entry: unknown, i) => {
    const e = entry as { Data?: unknown; PartitionKey?: unknown } | null;
    if (typeof e?.Data !== 'string' || !BASE64.test(e.Data)) {
      throw new InputFileError(`${file}: entry ${i}: Data must be a base64 string`);
    }
    if (typeof e.PartitionKey !== 'string' || e.PartitionKey.length < 1 || e.PartitionKey.length > 256) {
      throw new InputFileError(`${file}: entry ${i}: PartitionKey must be a string of 1 to 256 characters`);
    }
    const data = Buffer.from(e.Data, 'base64');
    if (data.length + Buffer.byteLength(e.PartitionKey) > MAX_RECORD_BYTES) {
      throw new InputFileError(`${file}: entry ${i}: larger than the 1 MiB Kinesis record limit`);
    }
    return { data, partitionKey: e.PartitionKey };
  });
}

function parseNdjson(text: string, file: string): InputRecord[] {
  const records: InputRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (error) {
      throw new InputFileError(`${file}:${i + 1}: not a JSON event: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const data = Buffer.from(line, 'utf8');
    if (data.length > MAX_RECORD_BYTES) throw new InputFileError(`${file}:${i + 1}: larger than 1 MiB`);
    records.push({ data, partitionKey: partitionKeyOf(event, i + 1) });
  }
  return records;
}

/**
 * Parses the text of an input file: the JSON of `aws kinesis put-records --records file://...` (an array of
 * `{"Data": <base64>, "PartitionKey": ...}`, so any bytes can be sent) when it starts with `[`, else NDJSON (one
 * JSON event per line, sent as the line's bytes, partition key = `data.userId`).
 *
 * @throws {InputFileError} naming the entry or line at fault; an empty file is an error too.
 * @example
 * ```ts
 * parseInput('{"id":"1","data":{"userId":"u1"}}\n', 'events.ndjson')[0].partitionKey; // 'u1'
 * ```
 */
export function parseInput(text: string, file: string): InputRecord[] {
  const body = text.replace(/^\uFEFF/, '');
  const records = body.trimStart().startsWith('[') ? parsePutRecords(body, file) : parseNdjson(body, file);
  if (records.length === 0) throw new InputFileError(`${file}: holds no record`);
  return records;
}

/** Reads and parses an input file; an unreadable file is an {@link InputFileError}. */
export function readInputFile(file: string): InputRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputFileError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  return parseInput(text, file);
}
