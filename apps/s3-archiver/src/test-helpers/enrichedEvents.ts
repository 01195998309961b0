import { decodeBatch, type DecodedRecord } from '@shardline/records';
import { makeKinesisRecord } from '@shardline/records/testing';
import { type EnrichedEvent } from '@shardline/schema';
import { generateEnrichedEvents } from '@shardline/schema/testing';
import type { KinesisStreamEvent } from 'aws-lambda';

/** Enriched events as the enrichment consumer would publish them (the shared stand-in), deterministic for `seed`. */
export function enrichedEvents(count: number, seed = 1): EnrichedEvent[] {
  return generateEnrichedEvents({ count, seed });
}

/** Options of {@link shardEvent}. */
export interface ShardEventOptions {
  /** Default `shardId-000000000000`. */
  shardId?: string;
  /** Sequence number of the first record; records are numbered on from it. */
  firstSequenceNumber?: bigint;
  /** Arrival time (epoch seconds) of the record at an index; default 2024-01-01T00:59:58Z plus 1 ms per record. */
  arrival?: (index: number) => number;
}

/** The first sequence number used by {@link shardEvent} unless told otherwise. */
export const FIRST_SEQUENCE_NUMBER = 49590338271490256608559692538361571095921575989136588898n;

/**
 * A Lambda Kinesis event carrying `payloads` as consecutive records of one shard. Arrival times default to two
 * seconds before an hour boundary, so that callers choose whether a batch spans two hours.
 */
export function shardEvent(
  payloads: ReadonlyArray<object | string>,
  options: ShardEventOptions = {},
): KinesisStreamEvent {
  const first = options.firstSequenceNumber ?? FIRST_SEQUENCE_NUMBER;
  const arrival = options.arrival ?? ((i: number) => 1704070798 + i / 1000);
  return {
    Records: payloads.map((payload, i) =>
      makeKinesisRecord(typeof payload === 'string' ? payload : (payload as Record<string, unknown>), {
        shardId: options.shardId ?? 'shardId-000000000000',
        sequenceNumber: (first + BigInt(i)).toString(),
        partitionKey: `user-${i % 7}`,
        approximateArrivalTimestamp: arrival(i),
        streamName: 'shardline-enriched',
      }),
    ),
  };
}

/** Decoded records of {@link shardEvent}, for the pure modules. */
export function shardRecords(
  payloads: ReadonlyArray<object>,
  options: ShardEventOptions = {},
): DecodedRecord<EnrichedEvent>[] {
  const { records, rejected } = decodeBatch(shardEvent(payloads, options));
  if (rejected.length > 0)
    throw new Error(`fixture records rejected: ${rejected.map((r) => r.reason).join(', ')}`);
  return records as unknown as DecodedRecord<EnrichedEvent>[];
}

/** A sub-range of an event's records, as the event source mapping cuts a retried batch. */
export function sliceEvent(event: KinesisStreamEvent, start: number, end?: number): KinesisStreamEvent {
  return { Records: event.Records.slice(start, end) };
}
