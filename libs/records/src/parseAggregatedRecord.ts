import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { KPL_DIGEST_BYTES, KPL_MAGIC } from './constants';
import { KplChecksumError, KplFormatError } from './errors';
import { ProtoReader, WIRE_BYTES, WIRE_VARINT } from './ProtoReader';

/** One user record found in a KPL aggregated record; `problem` is set when only this sub-record is unusable. */
export interface AggregatedSubRecord {
  /** The sub-record's partition key, or `undefined` when its index does not resolve. */
  partitionKey: string | undefined;
  /** The sub-record's payload (a view into the aggregated record, not a copy). */
  data: Buffer;
  /** Why this sub-record is unusable (missing field, index out of range); the others are unaffected. */
  problem: string | undefined;
}

// Field numbers of AggregatedRecord and Record in the KPL's messages.proto.
const AGG_PARTITION_KEY_TABLE = 1;
const AGG_EXPLICIT_HASH_KEY_TABLE = 2;
const AGG_RECORDS = 3;
const REC_PARTITION_KEY_INDEX = 1;
const REC_EXPLICIT_HASH_KEY_INDEX = 2;
const REC_DATA = 3;

const EMPTY = Buffer.alloc(0);

/** True when `buf` starts with the KPL magic bytes. */
export function hasKplMagic(buf: Uint8Array): boolean {
  return (
    buf.length >= 4 &&
    buf[0] === KPL_MAGIC[0] &&
    buf[1] === KPL_MAGIC[1] &&
    buf[2] === KPL_MAGIC[2] &&
    buf[3] === KPL_MAGIC[3]
  );
}

/**
 * Verifies and parses a KPL aggregated record (magic, protobuf AggregatedRecord, MD5 of the protobuf body).
 *
 * @throws {KplChecksumError} when the trailing MD5 does not match the body.
 * @throws {KplFormatError} when the record is too short or its protobuf body is malformed.
 */
export function parseAggregatedRecord(buf: Buffer): AggregatedSubRecord[] {
  const bodyEnd = buf.length - KPL_DIGEST_BYTES;
  if (bodyEnd < KPL_MAGIC.length) {
    throw new KplFormatError(
      `aggregated record of ${buf.length} bytes is too short for magic and MD5 checksum`,
    );
  }
  const digest = createHash('md5').update(buf.subarray(KPL_MAGIC.length, bodyEnd)).digest();
  if (!digest.equals(buf.subarray(bodyEnd))) {
    throw new KplChecksumError(
      `MD5 checksum of the aggregated record body does not match its trailing digest`,
    );
  }

  const partitionKeys: string[] = [];
  let explicitHashKeyCount = 0;
  const ranges: Array<[number, number]> = [];
  const reader = new ProtoReader(buf, KPL_MAGIC.length, bodyEnd);
  while (reader.more()) {
    const tag = reader.tag();
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    if (field === AGG_PARTITION_KEY_TABLE || field === AGG_EXPLICIT_HASH_KEY_TABLE || field === AGG_RECORDS) {
      expectWireType(field, wireType, WIRE_BYTES, 'AggregatedRecord');
      const range = reader.bytesRange();
      if (field === AGG_RECORDS) {
        ranges.push(range);
      } else if (field === AGG_PARTITION_KEY_TABLE) {
        const key = buf.subarray(range[0], range[1]);
        if (!isUtf8(key))
          throw new KplFormatError(`partition key ${partitionKeys.length} is not valid UTF-8`);
        partitionKeys.push(key.toString('utf8'));
      } else {
        explicitHashKeyCount++;
      }
    } else {
      reader.skip(wireType);
    }
  }

  const records: AggregatedSubRecord[] = new Array(ranges.length);
  for (let i = 0; i < ranges.length; i++) {
    const [start, end] = ranges[i] as [number, number];
    records[i] = parseSubRecord(buf, start, end, partitionKeys, explicitHashKeyCount);
  }
  return records;
}

function parseSubRecord(
  buf: Buffer,
  start: number,
  end: number,
  partitionKeys: readonly string[],
  explicitHashKeyCount: number,
): AggregatedSubRecord {
  let keyIndex: number | undefined;
  let hashKeyIndex: number | undefined;
  let data: Buffer | undefined;
  const reader = new ProtoReader(buf, start, end);
  while (reader.more()) {
    const tag = reader.tag();
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    if (field === REC_PARTITION_KEY_INDEX) {
      expectWireType(field, wireType, WIRE_VARINT, 'Record');
      keyIndex = reader.varint();
    } else if (field === REC_EXPLICIT_HASH_KEY_INDEX) {
      expectWireType(field, wireType, WIRE_VARINT, 'Record');
      hashKeyIndex = reader.varint();
    } else if (field === REC_DATA) {
      expectWireType(field, wireType, WIRE_BYTES, 'Record');
      const [from, to] = reader.bytesRange();
      data = buf.subarray(from, to);
    } else {
      // Tags (field 4) and unknown fields carry nothing the pipeline uses.
      reader.skip(wireType);
    }
  }

  const partitionKey = keyIndex === undefined ? undefined : partitionKeys[keyIndex];
  let problem: string | undefined;
  if (keyIndex === undefined) problem = 'sub-record has no partition_key_index';
  else if (partitionKey === undefined)
    problem = `partition_key_index ${keyIndex} is outside the partition key table of ${partitionKeys.length}`;
  else if (hashKeyIndex !== undefined && hashKeyIndex >= explicitHashKeyCount)
    problem = `explicit_hash_key_index ${hashKeyIndex} is outside the explicit hash key table of ${explicitHashKeyCount}`;
  else if (data === undefined) problem = 'sub-record has no data field';
  return { partitionKey, data: data ?? EMPTY, problem };
}

function expectWireType(field: number, actual: number, expected: number, message: string): void {
  if (actual !== expected) {
    throw new KplFormatError(`${message} field ${field} has wire type ${actual}, expected ${expected}`);
  }
}
