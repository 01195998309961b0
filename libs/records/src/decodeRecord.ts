import { isUtf8 } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { DEFAULT_DECODE_LIMITS } from './constants';
import { EventShapeError, KplChecksumError, KplFormatError, RecordDecodeError } from './errors';
import { findExcessDepth, findForbiddenKey, mayHoldForbiddenKey } from './jsonHazards';
import { hasKplMagic, parseAggregatedRecord } from './parseAggregatedRecord';
import { parseShardId } from './parseShardId';
import type { DecodeBatchResult, DecodedRecord, DecodeLimits, RejectedRecord, RejectReason } from './types';

/** Limits with every optional bound filled in. */
type ResolvedLimits = Required<DecodeLimits>;

/**
 * Where decoded and rejected records go: two arrays for decodeBatch, the same array twice for decodeRecord, so
 * neither needs intermediate arrays or callbacks.
 */
type Sink = DecodeBatchResult;

/** Fields shared by every record decoded from one Kinesis record. */
interface Origin {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  approximateArrivalTimestamp: number;
  eventSourceARN: string;
  data: string;
  /** Gzip output still allowed for this Kinesis record (all KPL sub-records together). */
  inflateBudget: number;
}

const GZIP_ID1 = 0x1f;
const GZIP_ID2 = 0x8b;
const PAD = 0x3d; // =
const COLON = 0x3a; // :

const RESOLVED_DEFAULTS = resolveLimits(DEFAULT_DECODE_LIMITS);

let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * Decodes one Lambda Kinesis record: base64, then KPL de-aggregation (magic `F3 89 9A C2`), gzip inflation
 * (magic `1F 8B`) and JSON parsing, all within `limits`. Never throws for bad data: every problem becomes a
 * {@link RejectedRecord} with a reason code. Always returns at least one entry; a KPL record yields one entry per
 * sub-record, in order.
 *
 * @example
 * ```ts
 * const [result] = decodeRecord(makeKinesisRecord({ type: 'com.example.ad.click' }));
 * if (result && !isRejected(result)) console.log(result.payload.type);
 * ```
 * @throws {EventShapeError} only when the record is not a Lambda Kinesis record (wiring mistake).
 */
export function decodeRecord(
  record: KinesisStreamRecord,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): Array<DecodedRecord | RejectedRecord> {
  const out: Array<DecodedRecord | RejectedRecord> = [];
  const sink = { records: out, rejected: out } as Sink;
  decodeInto(record, parseShardId(record?.eventID), resolve(limits), sink);
  return out;
}

/**
 * Decodes every record of a Lambda Kinesis event, splitting decoded records from rejected ones (each list keeps
 * event order). Never throws for bad data.
 *
 * @example
 * ```ts
 * const { records, rejected } = decodeBatch(makeKinesisEvent([{ a: 1 }, 'not json']));
 * // records[0].payload => { a: 1 }; rejected[0].reason => 'JSON_INVALID'
 * ```
 * @throws {EventShapeError} only when the event is not a Lambda Kinesis event (wiring mistake).
 */
export function decodeBatch(
  event: KinesisStreamEvent,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): DecodeBatchResult {
  const input = recordsOf(event);
  const sink: Sink = { records: [], rejected: [] };
  const resolved = resolve(limits);
  let shardId = '';
  for (let i = 0; i < input.length; i++) {
    const record = input[i] as KinesisStreamRecord;
    shardId = shardIdOf(record, shardId);
    decodeInto(record, shardId, resolved, sink);
  }
  return sink;
}

/**
 * True for a {@link RejectedRecord}.
 *
 * @example
 * ```ts
 * const poison = decodeRecord(record).filter(isRejected);
 * ```
 */
export function isRejected(record: DecodedRecord<unknown> | RejectedRecord): record is RejectedRecord {
  return (record as Partial<RejectedRecord>).reason !== undefined;
}

function recordsOf(event: KinesisStreamEvent): KinesisStreamRecord[] {
  const input = event?.Records;
  if (!Array.isArray(input)) throw new EventShapeError('event has no Records array');
  return input;
}

/** One invocation carries one shard: reuse the previous record's shard id string when the eventID matches it. */
function shardIdOf(record: KinesisStreamRecord, previous: string): string {
  const eventID = record?.eventID;
  return previous !== '' &&
    typeof eventID === 'string' &&
    eventID.charCodeAt(previous.length) === COLON &&
    eventID.startsWith(previous)
    ? previous
    : parseShardId(eventID);
}

function resolve(limits: DecodeLimits): ResolvedLimits {
  return limits === DEFAULT_DECODE_LIMITS ? RESOLVED_DEFAULTS : resolveLimits(limits);
}

function resolveLimits(limits: DecodeLimits): ResolvedLimits {
  const resolved: ResolvedLimits = {
    maxRecordBytes: limits.maxRecordBytes,
    maxDepth: limits.maxDepth,
    maxInflateBytes: limits.maxInflateBytes ?? limits.maxRecordBytes,
    maxDataBytes: limits.maxDataBytes ?? 1024 * 1024,
    maxInflateBytesPerRecord: limits.maxInflateBytesPerRecord ?? 16 * 1024 * 1024,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RecordDecodeError(`decode limit ${name} must be a positive integer, got ${String(value)}`);
    }
  }
  return resolved;
}

function decodeInto(record: KinesisStreamRecord, shardId: string, limits: ResolvedLimits, sink: Sink): void {
  const kinesis = record?.kinesis;
  if (kinesis === null || typeof kinesis !== 'object') {
    throw new EventShapeError(`record ${String(record?.eventID)} has no kinesis object`);
  }
  const b64: unknown = kinesis.data;
  const origin: Origin = {
    shardId,
    sequenceNumber: kinesis.sequenceNumber,
    partitionKey: kinesis.partitionKey,
    approximateArrivalTimestamp: kinesis.approximateArrivalTimestamp,
    eventSourceARN: record.eventSourceARN,
    data: typeof b64 === 'string' ? b64 : '',
    inflateBudget: limits.maxInflateBytesPerRecord,
  };
  if (typeof b64 !== 'string') {
    return reject(
      sink,
      origin,
      undefined,
      origin.partitionKey,
      'DATA_NOT_BASE64',
      `data is ${typeof b64}, not a base64 string`,
    );
  }
  const length = b64.length;
  if (length === 0)
    return reject(sink, origin, undefined, origin.partitionKey, 'EMPTY_RECORD', 'record data is empty');
  if (length % 4 !== 0) {
    return reject(
      sink,
      origin,
      undefined,
      origin.partitionKey,
      'DATA_NOT_BASE64',
      `base64 data length ${length} is not a multiple of 4`,
    );
  }
  const padding = b64.charCodeAt(length - 1) === PAD ? (b64.charCodeAt(length - 2) === PAD ? 2 : 1) : 0;
  const expected = (length / 4) * 3 - padding;
  if (expected > limits.maxDataBytes) {
    return reject(
      sink,
      origin,
      undefined,
      origin.partitionKey,
      'RECORD_TOO_LARGE',
      `record data of ${expected} bytes exceeds ${limits.maxDataBytes} bytes`,
    );
  }
  // Decode into a reused scratch buffer: nothing keeps these bytes past this call (records keep their text,
  // rejections the original base64), and one buffer instead of one per record spares allocation and GC.
  if (scratch.length < expected) scratch = Buffer.allocUnsafe(Math.max(expected, scratch.length * 2));
  const written = scratch.write(b64, 0, expected, 'base64');
  const bytes = scratch.subarray(0, written);
  // Node's decoder skips characters outside the alphabet and stops at misplaced padding, so any of them
  // yields fewer bytes than the length promises: a strict check without scanning the string.
  if (written !== expected) {
    return reject(
      sink,
      origin,
      undefined,
      origin.partitionKey,
      'DATA_NOT_BASE64',
      'data holds characters outside the base64 alphabet or misplaced padding',
    );
  }
  if (hasKplMagic(bytes)) return decodeAggregated(bytes, origin, limits, sink);
  decodePayload(bytes, origin, undefined, origin.partitionKey, limits, sink);
}

function decodeAggregated(bytes: Buffer, origin: Origin, limits: ResolvedLimits, sink: Sink): void {
  let subRecords;
  try {
    subRecords = parseAggregatedRecord(bytes);
  } catch (error) {
    if (error instanceof KplFormatError || error instanceof KplChecksumError) {
      return reject(
        sink,
        origin,
        undefined,
        origin.partitionKey,
        error.reason,
        `aggregated record: ${error.message}`,
      );
    }
    throw error;
  }
  if (subRecords.length === 0) {
    return reject(
      sink,
      origin,
      undefined,
      origin.partitionKey,
      'EMPTY_RECORD',
      'aggregated record holds no sub-records',
    );
  }
  for (let i = 0; i < subRecords.length; i++) {
    const sub = subRecords[i] as (typeof subRecords)[number];
    const partitionKey = sub.partitionKey ?? origin.partitionKey;
    if (sub.problem !== undefined) {
      reject(sink, origin, i, partitionKey, 'KPL_INVALID', `aggregated sub-record ${i}: ${sub.problem}`);
    } else {
      decodePayload(sub.data, origin, i, partitionKey, limits, sink);
    }
  }
}

function decodePayload(
  input: Buffer,
  origin: Origin,
  subSequenceNumber: number | undefined,
  partitionKey: string,
  limits: ResolvedLimits,
  sink: Sink,
): void {
  let bytes = input;
  if (bytes.length === 0)
    return reject(sink, origin, subSequenceNumber, partitionKey, 'EMPTY_RECORD', 'record data is empty');
  if (bytes[0] === GZIP_ID1 && bytes[1] === GZIP_ID2) {
    const inflated = inflate(bytes, origin, limits);
    if (!Buffer.isBuffer(inflated)) {
      return reject(sink, origin, subSequenceNumber, partitionKey, inflated[0], inflated[1]);
    }
    bytes = inflated;
    if (bytes.length === 0)
      return reject(sink, origin, subSequenceNumber, partitionKey, 'EMPTY_RECORD', 'gzip output is empty');
  }
  const size = bytes.length;
  if (size > limits.maxRecordBytes) {
    return reject(
      sink,
      origin,
      subSequenceNumber,
      partitionKey,
      'RECORD_TOO_LARGE',
      `decoded record of ${size} bytes exceeds ${limits.maxRecordBytes} bytes`,
    );
  }
  const text = bytes.toString();
  // Decoding replaces every invalid UTF-8 sequence with U+FFFD, so only a text holding one needs the full check
  // (searching a one-byte string for it is nearly free).
  if (text.includes('\uFFFD') && !isUtf8(bytes)) {
    return reject(
      sink,
      origin,
      subSequenceNumber,
      partitionKey,
      'UTF8_INVALID',
      `decoded record of ${size} bytes is not valid UTF-8`,
    );
  }
  const tooDeepAt = findExcessDepth(text, limits.maxDepth);
  if (tooDeepAt !== -1) {
    return reject(
      sink,
      origin,
      subSequenceNumber,
      partitionKey,
      'JSON_TOO_DEEP',
      `JSON nesting exceeds depth ${limits.maxDepth} at character ${tooDeepAt}`,
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    return reject(
      sink,
      origin,
      subSequenceNumber,
      partitionKey,
      'JSON_INVALID',
      `invalid JSON: ${(error as Error).message}`,
    );
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    const kind = payload === null ? 'null' : Array.isArray(payload) ? 'an array' : `a ${typeof payload}`;
    return reject(
      sink,
      origin,
      subSequenceNumber,
      partitionKey,
      'JSON_NOT_OBJECT',
      `JSON value is ${kind}, expected an object`,
    );
  }
  if (mayHoldForbiddenKey(text)) {
    const found = findForbiddenKey(payload);
    if (found !== undefined) {
      return reject(
        sink,
        origin,
        subSequenceNumber,
        partitionKey,
        'JSON_FORBIDDEN_KEY',
        `forbidden key "${found.key}" in object at ${found.path}`,
      );
    }
  }
  sink.records.push({
    shardId: origin.shardId,
    sequenceNumber: origin.sequenceNumber,
    subSequenceNumber,
    partitionKey,
    approximateArrivalTimestamp: origin.approximateArrivalTimestamp,
    eventSourceARN: origin.eventSourceARN,
    payload: payload as Record<string, unknown>,
    text,
    size,
  });
}

/** Inflates gzip data within the per-payload bound and the Kinesis record's budget; returns a rejection on failure. */
function inflate(bytes: Buffer, origin: Origin, limits: ResolvedLimits): Buffer | [RejectReason, string] {
  const budgetBound = origin.inflateBudget < limits.maxInflateBytes;
  const bound = budgetBound ? origin.inflateBudget : limits.maxInflateBytes;
  const overBudget = `gzip output exceeds the ${limits.maxInflateBytesPerRecord} bytes allowed per Kinesis record`;
  if (bound < 1) return ['GZIP_TOO_LARGE', overBudget];
  try {
    // maxOutputLength stops inflation as soon as the bound is passed: a gzip bomb never allocates more.
    const inflated = gunzipSync(bytes, { maxOutputLength: bound });
    origin.inflateBudget -= inflated.length;
    return inflated;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      origin.inflateBudget -= bound;
      return ['GZIP_TOO_LARGE', budgetBound ? overBudget : `gzip output exceeds ${bound} bytes`];
    }
    return ['GZIP_INVALID', `gzip data is invalid: ${(error as Error).message}`];
  }
}

function reject(
  sink: Sink,
  origin: Origin,
  subSequenceNumber: number | undefined,
  partitionKey: string,
  reason: RejectReason,
  message: string,
): void {
  sink.rejected.push({
    shardId: origin.shardId,
    sequenceNumber: origin.sequenceNumber,
    subSequenceNumber,
    partitionKey,
    approximateArrivalTimestamp: origin.approximateArrivalTimestamp,
    eventSourceARN: origin.eventSourceARN,
    reason,
    message,
    data: origin.data,
  });
}
