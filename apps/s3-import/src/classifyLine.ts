import { createHash } from 'node:crypto';
import { MAX_PARTITION_KEY_CHARS } from './constants';
import type { Line } from './splitLines';

/** Reason codes of quarantined lines, beside the consumers' JSON_INVALID and SCHEMA_INVALID. */
export const LINE_TOO_LARGE = 'LINE_TOO_LARGE';
export const JSON_INVALID = 'JSON_INVALID';
export const NOT_AN_OBJECT = 'NOT_AN_OBJECT';
export const ENVELOPE_INVALID = 'ENVELOPE_INVALID';

/** What to do with one line. */
export type LineVerdict =
  | { kind: 'blank' }
  | { kind: 'event'; data: Buffer; partitionKey: string }
  | { kind: 'malformed'; reason: string; message: string };

const isBlank = (bytes: Buffer): boolean => {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
};

const validKey = (v: unknown): v is string =>
  typeof v === 'string' && v.length >= 1 && v.length <= MAX_PARTITION_KEY_CHARS;

/**
 * The partition key of an event: its `data.userId` (so one user's events stay in order on one shard), else its
 * `id`; an id longer than Kinesis' 256 characters is replaced by its SHA-256.
 */
export function partitionKeyOf(event: Record<string, unknown>): string {
  const data = event.data;
  const userId =
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>).userId : undefined;
  if (validKey(userId)) return userId;
  const id = event.id as string;
  return validKey(id) ? id : createHash('sha256').update(id).digest('hex');
}

/**
 * Decides what a line of an import file is: blank (skipped), an event to put on the stream (its bytes
 * unchanged), or malformed (quarantined): longer than the limit, not JSON, not a JSON object, or without the
 * CloudEvents `id`, `source` and `type` (non-empty strings) that identify it. The schema itself is checked
 * downstream by enrichment, which quarantines what fails it.
 */
export function classifyLine(line: Line, maxLineBytes: number): LineVerdict {
  if (line.length > maxLineBytes) {
    return {
      kind: 'malformed',
      reason: LINE_TOO_LARGE,
      message: `line ${line.number} is ${line.length} bytes, over the ${maxLineBytes} bytes an event may have`,
    };
  }
  if (isBlank(line.bytes)) return { kind: 'blank' };
  let value: unknown;
  try {
    value = JSON.parse(line.bytes.toString('utf8'));
  } catch (error) {
    return {
      kind: 'malformed',
      reason: JSON_INVALID,
      message: `line ${line.number} is not JSON: ${(error as Error).message}`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      kind: 'malformed',
      reason: NOT_AN_OBJECT,
      message: `line ${line.number} is JSON ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}, not an event object`,
    };
  }
  const event = value as Record<string, unknown>;
  const missing = ['id', 'source', 'type'].filter((f) => typeof event[f] !== 'string' || event[f] === '');
  if (missing.length > 0) {
    return {
      kind: 'malformed',
      reason: ENVELOPE_INVALID,
      message: `line ${line.number} has no ${missing.join(', ')} (non-empty strings identifying a CloudEvent)`,
    };
  }
  return { kind: 'event', data: line.bytes, partitionKey: partitionKeyOf(event) };
}
