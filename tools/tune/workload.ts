import type { KinesisStreamEvent } from 'aws-lambda';
import { makeKinesisEvent } from '@shardline/records/testing';
import { createPrng, validateAdEvent, type AdEvent } from '@shardline/schema';
import { enrichFixture, eventStream } from '@shardline/schema/testing';
import type { InputRecord } from '../pipeline/readInputFile';

/** The records each stream carries, built from one workload. */
export interface StreamRecords {
  /** What producers put on the raw stream. */
  raw: InputRecord[];
  /** What enrichment publishes: the valid raw events, enriched. */
  enriched: InputRecord[];
  rawRecordBytes: number;
  enrichedRecordBytes: number;
  /** Share of raw records that reach the enriched stream. */
  enrichedShare: number;
}

const PAD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Pads an event to `targetBytes` of JSON with `data.attributes.padding`, random letters and digits (so it
 * compresses like real text, not like a run of one byte); an event already as large is left alone.
 */
export function padEvent(
  event: Record<string, unknown>,
  targetBytes: number,
  random: () => number,
): Record<string, unknown> {
  const size = Buffer.byteLength(JSON.stringify(event));
  const data = event.data as Record<string, unknown> | undefined;
  if (!data || typeof data !== 'object') return event;
  const attributes = { ...((data.attributes as Record<string, unknown> | undefined) ?? {}), padding: '' };
  // The key and its quotes, colon and comma, and the braces of a new attributes object.
  const overhead = Buffer.byteLength(JSON.stringify({ ...event, data: { ...data, attributes } })) - size;
  const length = targetBytes - size - overhead;
  if (length <= 0) return event;
  let padding = '';
  for (let i = 0; i < length; i++) padding += PAD_ALPHABET[Math.floor(random() * PAD_ALPHABET.length)];
  return { ...event, data: { ...data, attributes: { ...attributes, padding } } };
}

const mean = (records: InputRecord[]) =>
  records.length === 0 ? 0 : records.reduce((s, r) => s + r.data.length, 0) / records.length;

/**
 * Builds both streams' records: `input` as given, or `events` generated events (2 % invalid, as producers send
 * them) padded to `eventBytes`; the enriched stream gets the valid ones through {@link enrichFixture}.
 */
export function buildStreamRecords(options: {
  input?: InputRecord[];
  events: number;
  eventBytes: number;
  seed: number;
}): StreamRecords {
  const random = createPrng(options.seed ^ 0x7a11);
  let raw: InputRecord[];
  if (options.input) {
    raw = options.input;
  } else {
    raw = [];
    for (const generated of eventStream({
      seed: options.seed,
      count: options.events,
      invalidRatio: 0.02,
      // Now: the indexer refuses event times far from arrival, the aggregator skips windows past their TTL.
      startTime: new Date(),
      campaigns: 20,
    })) {
      const padded = padEvent(generated.event as Record<string, unknown>, options.eventBytes, () =>
        random.next(),
      );
      raw.push({ data: Buffer.from(JSON.stringify(padded)), partitionKey: generated.partitionKey });
    }
  }
  const enriched: InputRecord[] = [];
  const arrival = Date.now() / 1000;
  for (const record of raw) {
    let event: unknown;
    try {
      event = JSON.parse(record.data.toString('utf8'));
    } catch {
      continue;
    }
    if (!validateAdEvent(event).ok) continue;
    enriched.push({
      data: Buffer.from(JSON.stringify(enrichFixture(event as AdEvent, arrival))),
      partitionKey: record.partitionKey,
    });
  }
  return {
    raw,
    enriched,
    rawRecordBytes: mean(raw),
    enrichedRecordBytes: mean(enriched),
    enrichedShare: raw.length === 0 ? 0 : enriched.length / raw.length,
  };
}

/**
 * The Lambda event of batch number `index` of `batchSize` records, cycling through `records`: one shard's records
 * in increasing sequence order, arriving now (the consumers refuse stale times), as Lambda delivers them.
 */
export function batchEvent(
  records: readonly InputRecord[],
  batchSize: number,
  index: number,
  options: { shardId: number; streamName: string; region: string; accountId: string },
): KinesisStreamEvent {
  const slice: InputRecord[] = [];
  for (let i = 0; i < batchSize; i++) slice.push(records[(index * batchSize + i) % records.length]!);
  // Sequence numbers keep growing from batch to batch, so per-shard checkpoints and high-water marks see new records.
  const first =
    49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898n + BigInt(index * batchSize);
  return makeKinesisEvent(
    slice.map((r) => r.data),
    {
      shardId: options.shardId,
      streamName: options.streamName,
      region: options.region,
      accountId: options.accountId,
      firstSequenceNumber: first.toString(),
      partitionKey: (i) => slice[i]!.partitionKey,
      approximateArrivalTimestamp: Date.now() / 1000,
    },
  );
}
