/**
 * The Hive partition of a record: UTC date and hour of its `approximateArrivalTimestamp` (epoch seconds).
 *
 * Arrival time, not event time: Kinesis stamps it once, so every delivery of a record (retry, duplicate, re-cut
 * batch) lands in the same partition, and a batch maps to a handful of hours instead of one per late event.
 *
 * @example
 * ```ts
 * arrivalPartition(1704067200.5); // => { dt: '2024-01-01', hour: '00' }
 * ```
 */
export function arrivalPartition(arrivalSeconds: number): { dt: string; hour: string } {
  const iso = new Date(Math.floor(arrivalSeconds * 1000)).toISOString();
  return { dt: iso.slice(0, 10), hour: iso.slice(11, 13) };
}
