import { compareSequenceNumbers } from '@shardline/middleware';
import type { DecodedRecord } from '@shardline/records';
import { archiveKey } from './archiveKey';
import { arrivalPartition } from './arrivalPartition';
import { ArchivePlanError } from './errors';
import type { ArchiveObjectPlan, PlanOptions } from './types';

/**
 * Cuts a batch (one shard, sequence order) into archive objects, deterministically:
 * 1. a new object starts wherever the UTC hour of arrival changes (a run of one hour becomes one object);
 * 2. inside a run, Kinesis records are added greedily until the next one would push the NDJSON bytes over
 *    `maxObjectBytes`; the sub-records of one KPL aggregated record are never separated, because the event
 *    source mapping retries whole Kinesis records.
 * 3. a new object starts after a quarantined record (see {@link PlanOptions.poisonSequenceNumbers}).
 * All three rules look only at the records from the object's start onwards, so any batch that starts where an object
 * started cuts the same objects again (up to its own end).
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
  const plans: ArchiveObjectPlan<T>[] = [];
  let current: { records: DecodedRecord<T>[]; bytes: number; dt: string; hour: string } | undefined;
  let unit: DecodedRecord<T>[] = [];
  let unitBytes = 0;
  const poison = [...(options.poisonSequenceNumbers ?? [])].sort(compareSequenceNumbers);
  let nextPoison = 0;
  let previousSequenceNumber: string | undefined;

  const flushObject = (): void => {
    if (!current || current.records.length === 0) return;
    plans.push(toPlan(current.records, current.bytes, current.dt, current.hour, options.prefix));
    current = undefined;
  };
  const flushUnit = (): void => {
    if (unit.length === 0) return;
    const first = unit[0] as DecodedRecord<T>;
    const { dt, hour } = arrivalPartition(first.approximateArrivalTimestamp);
    const afterPoison = skipsPoison(first.sequenceNumber);
    if (
      current &&
      (afterPoison || current.dt !== dt || current.hour !== hour || current.bytes + unitBytes > options.maxObjectBytes)
    ) {
      flushObject();
    }
    current ??= { records: [], bytes: 0, dt, hour };
    current.records.push(...unit);
    current.bytes += unitBytes;
    unit = [];
    unitBytes = 0;
    previousSequenceNumber = first.sequenceNumber;
  };
  // Whether a quarantined record lies after the previous unit and at or before this one.
  const skipsPoison = (sequenceNumber: string): boolean => {
    let skipped = false;
    while (nextPoison < poison.length && compareSequenceNumbers(poison[nextPoison] as string, sequenceNumber) <= 0) {
      const p = poison[nextPoison] as string;
      if (previousSequenceNumber === undefined || compareSequenceNumbers(p, previousSequenceNumber) > 0) skipped = true;
      nextPoison++;
    }
    return skipped;
  };

  const shardId = records[0]?.shardId;
  for (const record of records) {
    if (record.shardId !== shardId) {
      throw new ArchivePlanError(`records of ${shardId} and ${record.shardId} in one batch`);
    }
    // One unit = one Kinesis record (all sub-records of a KPL aggregate share its sequence number).
    if (unit.length > 0 && (unit[0] as DecodedRecord<T>).sequenceNumber !== record.sequenceNumber) flushUnit();
    unit.push(record);
    unitBytes += record.size + 1;
  }
  flushUnit();
  flushObject();
  return plans;
}

function toPlan<T>(
  records: DecodedRecord<T>[],
  bytes: number,
  dt: string,
  hour: string,
  prefix: string,
): ArchiveObjectPlan<T> {
  const first = records[0] as DecodedRecord<T>;
  const last = records[records.length - 1] as DecodedRecord<T>;
  return {
    key: archiveKey({ prefix, dt, hour, shardId: first.shardId, firstSequenceNumber: first.sequenceNumber }),
    dt,
    hour,
    shardId: first.shardId,
    firstSequenceNumber: first.sequenceNumber,
    lastSequenceNumber: last.sequenceNumber,
    records,
    ndjsonBytes: bytes,
  };
}
