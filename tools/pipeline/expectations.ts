import { decodeRecord, isRejected } from '@shardline/records';
import { makeKinesisRecord } from '@shardline/records/testing';
import { adEventSchema, type AdEvent } from '@shardline/schema';
import type { InputRecord } from './readInputFile';

/** A valid event the sinks must hold, with what the aggregates need. */
export interface ExpectedEvent {
  /** `source` + NUL + `id`: the event identity. */
  identity: string;
  campaignId: string;
  type: string;
  /** Start of the UTC minute of the event time, as the aggregator writes it (`YYYY-MM-DDTHH:MM:00Z`). */
  windowStart: string;
  revenueMicros: bigint;
}

/** What the sinks must hold after the run, derived from the records put. */
export interface Expectations {
  produced: number;
  /** One per event identity: enrichment drops a producer's repeats (the run is shorter than its window). */
  valid: ExpectedEvent[];
  /** Base64 data of every record the consumers of the stream producers write must quarantine. */
  invalidData: string[];
}

/** Identity of an event as the sinks key it. */
export function identityOf(event: { source?: unknown; id?: unknown }): string | undefined {
  if (typeof event.source !== 'string' || typeof event.id !== 'string') return undefined;
  return `${event.source}\u0000${event.id}`;
}

/** `2026-11-26T13:05:41.123Z` -> `2026-11-26T13:05:00Z`. */
export function minuteOf(time: string): string {
  const millis = Date.parse(time);
  return `${new Date(millis - (((millis % 60_000) + 60_000) % 60_000)).toISOString().slice(0, 16)}:00Z`;
}

/**
 * Classifies records with the consumers' own decoder and schema, so the expectation is what a correct pipeline
 * must do with them: valid events in every output the contract declares, once per event identity (enrichment
 * drops producers' repeats), each as its format holds them; everything else quarantined by each consumer that
 * reads the stream producers write.
 */
export function buildExpectations(records: readonly InputRecord[]): Expectations {
  const valid: ExpectedEvent[] = [];
  const identities = new Set<string>();
  const invalidData: string[] = [];
  for (const record of records) {
    const decoded = decodeRecord(makeKinesisRecord(record.data, { partitionKey: record.partitionKey }));
    for (const item of decoded) {
      if (isRejected(item)) {
        invalidData.push(record.data.toString('base64'));
        continue;
      }
      const result = adEventSchema.validate(item.payload);
      if (!result.ok) {
        invalidData.push(record.data.toString('base64'));
        continue;
      }
      const event: AdEvent = result.value;
      const identity = identityOf(event)!;
      if (identities.has(identity)) continue;
      identities.add(identity);
      valid.push({
        identity,
        campaignId: event.data.campaignId,
        type: event.type,
        windowStart: minuteOf(event.time),
        revenueMicros: BigInt(event.data.revenueMicros ?? 0),
      });
    }
  }
  return { produced: records.length, valid, invalidData: [...new Set(invalidData)] };
}
