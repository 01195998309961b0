import { compareSequenceNumbers, type DecodedRecord } from '@shardline/records';
import { archiveKey } from './archiveKey';
import { arrivalPartition } from './arrivalPartition';
import { ArchivePlanError } from './errors';
import { isCutMarker } from './isCutMarker';
import type { ArchiveObjectPlan, PlanOptions } from './types';

/** Default ratio of the size cap to the average distance between marker records. */
const CUTS_PER_CAP = 16;

type Start = ArchiveObjectPlan['start'];

/**
 * Cuts a batch (one shard, sequence order) into archive objects. Units are Kinesis records (the sub-records of a
 * KPL aggregate share one sequence number and are never separated, because the event source mapping retries whole
 * Kinesis records). A new object starts
 * 1. where the UTC hour of arrival changes,
 * 2. at a marker record, chosen by a hash of its sequence number with a probability proportional to its bytes,
 * 3. after a quarantined record (see {@link PlanOptions.poisonSequenceNumbers}),
 * 4. and, rarely, where the next unit would push the object over `maxObjectBytes` before the next marker.
 * Rules 1 to 3 depend only on the records themselves, so every batch that contains a cut makes it: retried,
 * duplicated and re-cut batches write the same keys again (README, "Keys and exactly-once").
 *
 * @example
 * ```ts
 * const plans = planArchiveObjects(batch.records, { prefix: 'events', maxObjectBytes: 64 * 1024 * 1024 });
 * ```
 * @throws {ArchivePlanError} when records of several shards are mixed.
 */
export function planArchiveObjects<T>(
  records: ReadonlyArray<DecodedRecord<T>>,
  options: PlanOptions,
): ArchiveObjectPlan<T>[] {
  const averageCutBytes = options.averageCutBytes ?? options.maxObjectBytes / CUTS_PER_CAP;
  const poison = [...(options.poisonSequenceNumbers ?? [])].sort(compareSequenceNumbers);
  const plans: ArchiveObjectPlan<T>[] = [];
  let current:
    { records: DecodedRecord<T>[]; bytes: number; dt: string; hour: string; start: Start } | undefined;
  let nextPoison = 0;
  let previousSequenceNumber: string | undefined;

  // Whether a quarantined record lies after the previous unit and at or before this one.
  const followsPoison = (sequenceNumber: string): boolean => {
    let found = false;
    while (
      nextPoison < poison.length &&
      compareSequenceNumbers(poison[nextPoison] as string, sequenceNumber) <= 0
    ) {
      const p = poison[nextPoison] as string;
      if (previousSequenceNumber === undefined || compareSequenceNumbers(p, previousSequenceNumber) > 0)
        found = true;
      nextPoison++;
    }
    return found;
  };

  const addUnit = (unit: DecodedRecord<T>[], bytes: number): void => {
    const first = unit[0] as DecodedRecord<T>;
    const { dt, hour } = arrivalPartition(first.approximateArrivalTimestamp);
    let start: Start | undefined;
    if (current === undefined) start = 'batch';
    else if (current.dt !== dt || current.hour !== hour) start = 'hour';
    if (followsPoison(first.sequenceNumber)) start ??= 'poison';
    if (isCutMarker(first.sequenceNumber, bytes, averageCutBytes)) start ??= 'marker';
    if (current !== undefined && current.bytes + bytes > options.maxObjectBytes) start ??= 'cap';
    if (current === undefined || start !== undefined) {
      if (current) plans.push(toPlan(current, options.prefix));
      current = { records: [], bytes: 0, dt, hour, start: start ?? 'batch' };
    }
    current.records.push(...unit);
    current.bytes += bytes;
    previousSequenceNumber = first.sequenceNumber;
  };

  const shardId = records[0]?.shardId;
  let unit: DecodedRecord<T>[] = [];
  let unitBytes = 0;
  for (const record of records) {
    if (record.shardId !== shardId) {
      throw new ArchivePlanError(`records of ${shardId} and ${record.shardId} in one batch`);
    }
    if (unit.length > 0 && (unit[0] as DecodedRecord<T>).sequenceNumber !== record.sequenceNumber) {
      addUnit(unit, unitBytes);
      unit = [];
      unitBytes = 0;
    }
    unit.push(record);
    unitBytes += record.size + 1;
  }
  if (unit.length > 0) addUnit(unit, unitBytes);
  if (current) plans.push(toPlan(current, options.prefix));
  return plans;
}

function toPlan<T>(
  object: { records: DecodedRecord<T>[]; bytes: number; dt: string; hour: string; start: Start },
  prefix: string,
): ArchiveObjectPlan<T> {
  const first = object.records[0] as DecodedRecord<T>;
  const last = object.records[object.records.length - 1] as DecodedRecord<T>;
  return {
    key: archiveKey({
      prefix,
      dt: object.dt,
      hour: object.hour,
      shardId: first.shardId,
      firstSequenceNumber: first.sequenceNumber,
    }),
    dt: object.dt,
    hour: object.hour,
    shardId: first.shardId,
    firstSequenceNumber: first.sequenceNumber,
    lastSequenceNumber: last.sequenceNumber,
    records: object.records,
    ndjsonBytes: object.bytes,
    start: object.start,
  };
}
