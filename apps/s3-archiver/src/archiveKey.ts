import { OBJECT_SUFFIX } from './constants';

/**
 * The key of an archive object: `<prefix>/dt=YYYY-MM-DD/hour=HH/<shardId>-<firstSequenceNumber>.ndjson.gz`.
 *
 * The object is named after its own first record, not after the batch's first record with a part number: a
 * retry starts at the first record of the first unwritten object, so that object gets the same key again
 * (README, "Keys and exactly-once").
 *
 * @example
 * ```ts
 * archiveKey({ prefix: 'events', dt: '2024-01-01', hour: '00', shardId: 'shardId-000000000000', firstSequenceNumber: '495' });
 * // => 'events/dt=2024-01-01/hour=00/shardId-000000000000-495.ndjson.gz'
 * ```
 */
export function archiveKey(parts: {
  prefix: string;
  dt: string;
  hour: string;
  shardId: string;
  firstSequenceNumber: string;
}): string {
  const prefix = parts.prefix.replace(/^\/+|\/+$/g, '');
  const name = `${parts.shardId}-${parts.firstSequenceNumber}${OBJECT_SUFFIX}`;
  const path = `dt=${parts.dt}/hour=${parts.hour}/${name}`;
  return prefix === '' ? path : `${prefix}/${path}`;
}
