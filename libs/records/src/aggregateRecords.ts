import { createHash } from 'node:crypto';
import { KPL_MAGIC } from './constants';
import { ProtoWriter } from './ProtoWriter';
import type { AggregateEntry } from './types';

/**
 * Encodes user records as one KPL aggregated record (magic, protobuf AggregatedRecord, MD5 of the body), as the
 * Kinesis Producer Library does. Partition keys and explicit hash keys are deduplicated into their tables.
 * Used by fixtures, tests and the load generator.
 *
 * @example
 * ```ts
 * const data = aggregateRecords([
 *   { partitionKey: 'user-1', data: Buffer.from('{"a":1}') },
 *   { partitionKey: 'user-2', data: Buffer.from('{"a":2}') },
 * ]);
 * const record = makeKinesisRecord(data);
 * ```
 */
export function aggregateRecords(entries: readonly AggregateEntry[]): Buffer {
  const keyIndex = new Map<string, number>();
  const hashKeyIndex = new Map<string, number>();
  const body = new ProtoWriter();
  for (const entry of entries) {
    if (!keyIndex.has(entry.partitionKey)) {
      keyIndex.set(entry.partitionKey, keyIndex.size);
    }
    if (entry.explicitHashKey !== undefined && !hashKeyIndex.has(entry.explicitHashKey)) {
      hashKeyIndex.set(entry.explicitHashKey, hashKeyIndex.size);
    }
  }
  for (const key of keyIndex.keys()) body.bytes(1, Buffer.from(key, 'utf8'));
  for (const key of hashKeyIndex.keys()) body.bytes(2, Buffer.from(key, 'utf8'));
  for (const entry of entries) {
    const record = new ProtoWriter().uint(1, keyIndex.get(entry.partitionKey) as number);
    if (entry.explicitHashKey !== undefined)
      record.uint(2, hashKeyIndex.get(entry.explicitHashKey) as number);
    record.bytes(3, entry.data);
    body.bytes(3, record.finish());
  }
  const bodyBytes = body.finish();
  const digest = createHash('md5').update(bodyBytes).digest();
  return Buffer.concat([KPL_MAGIC, bodyBytes, digest]);
}
