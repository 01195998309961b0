import type { KinesisStreamEvent } from 'aws-lambda';
import { decodeBatch, type DecodedRecord } from '@shardline/records';
import { makeKinesisEvent, type KinesisRecordData } from '@shardline/records/testing';
import { type AdEvent, type EnrichedEvent } from '@shardline/schema';
import { DEFAULT_START_TIME, enrichFixture, generateEvents } from '@shardline/schema/testing';

/** Arrival of fixture records on the stream: one minute after the latest fixture event time. */
export const FIXTURE_ARRIVAL_SECONDS = DEFAULT_START_TIME.getTime() / 1000 + 60;

/** The shared stand-in for what the enrichment consumer adds, arriving at {@link FIXTURE_ARRIVAL_SECONDS}. */
export function enrich(event: AdEvent, arrivalSeconds = FIXTURE_ARRIVAL_SECONDS): EnrichedEvent {
  return enrichFixture(event, arrivalSeconds);
}

/** Valid enriched events from the seeded fixture generator; times spread over `timeSpreadMs` before the start. */
export function enrichedEvents(
  count: number,
  options: { seed?: number; timeSpreadMs?: number } = {},
): EnrichedEvent[] {
  return generateEvents({ count, seed: options.seed ?? 7, timeSpreadMs: options.timeSpreadMs ?? 300_000 })
    .filter((g) => g.valid)
    .map((g) => enrich(g.event as AdEvent));
}

/** A Lambda Kinesis event carrying the given payloads, arriving at {@link FIXTURE_ARRIVAL_SECONDS}. */
export function kinesisEventOf(
  payloads: readonly KinesisRecordData[],
  options: { firstSequenceNumber?: string; shardId?: number } = {},
): KinesisStreamEvent {
  return makeKinesisEvent(payloads, {
    approximateArrivalTimestamp: FIXTURE_ARRIVAL_SECONDS,
    firstSequenceNumber:
      options.firstSequenceNumber ?? '49590338271490256608559692538361571095921575989136588898',
    shardId: options.shardId ?? 1,
  });
}

/** Decoded records of the given events, as the middleware hands them to the indexer. */
export function decodedRecords(events: readonly EnrichedEvent[]): DecodedRecord<EnrichedEvent>[] {
  const { records } = decodeBatch(kinesisEventOf(events as unknown as KinesisRecordData[]));
  return records as unknown as DecodedRecord<EnrichedEvent>[];
}
