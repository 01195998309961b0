import type { FailedPut, PutEntry } from '@shardline/aws';
import type { KinesisBatch } from '@shardline/middleware';
import type { DecodedRecord } from '@shardline/records';
import type { AdEvent, EnrichedEvent } from '@shardline/schema';
import type { CampaignInfo, CampaignLookup } from './CampaignCache';
import { truncateIp } from './ip';
import { serialiseEnriched } from './serialiseEnriched';
import { parseUserAgent } from './userAgent';

/** Reason code of a valid event whose time cannot be represented (e.g. a leap second `23:59:60`). */
export const TIME_UNREPRESENTABLE = 'TIME_UNREPRESENTABLE';

const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Normalises and enriches one validated event IN PLACE and returns it typed as enriched: `time` in canonical UTC
 * (`YYYY-MM-DDTHH:mm:ss.sssZ`), `revenueMicros` present, `ip` truncated, plus the `enrichment` object.
 *
 * In place because the payload was parsed for this invocation alone and copying it would cost as much as the JSON
 * work itself. Deterministic for a given record (no wall-clock fields), so a retried record enriches identically
 * and the sinks downstream stay idempotent.
 *
 * @returns the enriched event, or `undefined` when the event time cannot be represented.
 */
export function enrichEvent(
  event: AdEvent,
  arrivalSeconds: number,
  campaign: CampaignInfo,
): EnrichedEvent | undefined {
  let time = event.time;
  let millis: number;
  if (CANONICAL_UTC.test(time)) {
    millis = Date.parse(time);
  } else {
    millis = Date.parse(time);
    if (Number.isNaN(millis)) return undefined;
    time = new Date(millis).toISOString();
  }
  const data = event.data as EnrichedEvent['data'];
  data.revenueMicros ??= 0;
  let ipTruncated = false;
  if (data.ip !== undefined) {
    const truncated = truncateIp(data.ip);
    // The schema admitted the address, so truncation succeeds; never publish it in clear regardless.
    if (truncated === undefined) delete data.ip;
    else data.ip = truncated;
    ipTruncated = true;
  }
  const enriched = event as EnrichedEvent;
  enriched.time = time;
  enriched.enrichment = {
    campaign,
    device: parseUserAgent(data.userAgent),
    ingestLagMs: Math.round(arrivalSeconds * 1000) - millis,
    eventDate: time.slice(0, 10),
    ipTruncated,
  };
  return enriched;
}

/** What {@link enrichBatch} needs from the outside world. */
export interface EnrichDeps {
  /** Campaign reference data for a set of campaign ids. */
  lookupCampaigns(ids: Set<string>, signal: AbortSignal): Promise<CampaignLookup>;
  /** Publishes entries to the enriched stream; returns those that still failed. */
  publish(
    entries: PutEntry<DecodedRecord<AdEvent>>[],
    signal: AbortSignal,
    onWritten: (refs: unknown[]) => void,
  ): Promise<FailedPut<DecodedRecord<AdEvent>>[]>;
}

/**
 * The enrichment consumer's work for one batch: look up the batch's distinct campaigns, enrich every record,
 * publish to the enriched stream keeping each record's partition key, and report per record.
 */
export async function enrichBatch(batch: KinesisBatch<AdEvent>, deps: EnrichDeps): Promise<void> {
  if (batch.records.length === 0) return;
  const ids = new Set<string>();
  for (const r of batch.records) ids.add(r.payload.data.campaignId);
  const lookup = await batch.timeSink('dynamodb', () => deps.lookupCampaigns(ids, batch.signal));

  const entries: PutEntry<DecodedRecord<AdEvent>>[] = [];
  for (const record of batch.records) {
    const campaign = lookup.campaigns.get(record.payload.data.campaignId);
    if (!campaign) {
      batch.fail(record, 'CampaignLookupFailed');
      continue;
    }
    const payload = record.payload;
    const changes = {
      originalTime: payload.time,
      originalIp: payload.data.ip,
      hadRevenue: payload.data.revenueMicros !== undefined,
    };
    const enriched = enrichEvent(payload, record.approximateArrivalTimestamp, campaign);
    if (!enriched) {
      batch.reject(
        record,
        `time '${payload.time}' cannot be represented as a UTC instant`,
        TIME_UNREPRESENTABLE,
      );
      continue;
    }
    const text = serialiseEnriched(record.text, enriched, changes);
    entries.push({ data: Buffer.from(text), partitionKey: record.partitionKey, ref: record });
  }
  if (entries.length === 0) return;

  const failed = await batch.timeSink('kinesis', () =>
    deps.publish(entries, batch.signal, (refs) => batch.complete(refs as DecodedRecord<AdEvent>[])),
  );
  for (const f of failed) batch.fail(f.ref, f.errorCode);
}
