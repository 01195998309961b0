import { generateEvents } from './generateEvents';
import type { EnrichedEvent } from './enrichedEventSchema';
import type { AdEvent, GenerateEventsOptions } from './types';

/**
 * What the enrichment consumer adds to a valid ad event, for the sink consumers' tests and benchmarks: UTC time,
 * default revenue, a truncated IP and a fixed-shape `enrichment` object. A deterministic stand-in that keeps the
 * sinks' tests independent of the enrichment app; the real enrichment is tested there.
 *
 * @example
 * ```ts
 * const enriched = enrichFixture(generateEvents({ count: 1, seed: 1 })[0]!.event as AdEvent);
 * ```
 */
export function enrichFixture(event: AdEvent, arrivalSeconds?: number): EnrichedEvent {
  const millis = Date.parse(event.time);
  const time = new Date(millis).toISOString();
  const data = { ...event.data, revenueMicros: event.data.revenueMicros ?? 0 };
  if (data.ip !== undefined)
    data.ip = data.ip.includes(':') ? '2001:db8:1::' : data.ip.replace(/\.\d+$/, '.0');
  return {
    ...event,
    time,
    data,
    enrichment: {
      campaign: { known: true, name: `Campaign ${data.campaignId}`, advertiser: 'Example Games' },
      device: { os: 'Android', osVersion: '14', deviceType: 'mobile', browser: 'Chrome' },
      ingestLagMs: arrivalSeconds === undefined ? 1_000 : Math.round(arrivalSeconds * 1000) - millis,
      eventDate: time.slice(0, 10),
      ipTruncated: event.data.ip !== undefined,
    },
  };
}

/** Valid events from {@link generateEvents}, enriched with {@link enrichFixture}. */
export function generateEnrichedEvents(
  options: Omit<GenerateEventsOptions, 'invalidRatio'> & { arrivalSeconds?: number },
): EnrichedEvent[] {
  const { arrivalSeconds, ...rest } = options;
  return generateEvents({ ...rest, invalidRatio: 0 }).map(({ event }) =>
    enrichFixture(event as AdEvent, arrivalSeconds),
  );
}
