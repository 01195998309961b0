import { decodeBatch, type DecodedRecord } from '@shardline/records';
import { makeKinesisEvent, type KinesisEventOptions } from '@shardline/records/testing';
import { type AdEvent, type EnrichedEvent } from '@shardline/schema';
import { enrichFixture, generateEvents } from '@shardline/schema/testing';
import type { KinesisStreamEvent } from 'aws-lambda';

/** The shared stand-in for what the enrichment consumer adds. */
export const enrich = (event: AdEvent): EnrichedEvent => enrichFixture(event);

/** Options of {@link enrichedEvents}. */
export interface EnrichedEventsOptions {
  count: number;
  seed: number;
  /** Latest event time; default a minute before now, so windows are far from their TTL. */
  startTime?: Date;
  timeSpreadMs?: number;
  campaigns?: number;
}

/** Valid enriched events from the shared fixture generator. */
export function enrichedEvents(options: EnrichedEventsOptions): EnrichedEvent[] {
  const generated = generateEvents({
    count: options.count,
    seed: options.seed,
    startTime: options.startTime ?? new Date(Date.now() - 60_000),
    timeSpreadMs: options.timeSpreadMs ?? 300_000,
    campaigns: options.campaigns ?? 20,
  });
  return generated.filter((g) => g.valid).map((g) => enrich(g.event as AdEvent));
}

/** A Lambda Kinesis event of one shard carrying the given events, in sequence order. */
export function kinesisEventOf(
  events: readonly unknown[],
  options: KinesisEventOptions = {},
): KinesisStreamEvent {
  return makeKinesisEvent(events as Record<string, unknown>[], {
    streamName: 'shardline-enriched',
    ...options,
  });
}

/** Decoded records, as the middleware hands them to the aggregator. */
export function decodedRecords(
  events: readonly EnrichedEvent[],
  options: KinesisEventOptions = {},
): DecodedRecord<EnrichedEvent>[] {
  return decodeBatch(kinesisEventOf(events, options)).records as unknown as DecodedRecord<EnrichedEvent>[];
}
