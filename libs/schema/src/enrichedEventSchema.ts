import { adEventSchema } from './adEventSchema';
import type { AdEvent, EventSchema, SchemaIssue, ValidationResult } from './types';

/** What the enrichment consumer adds to every event it publishes to the enriched stream. */
export interface Enrichment {
  /** Reference data of the campaign; `known: false` when the campaign is not in the reference table. */
  campaign: { known: boolean; name?: string; advertiser?: string };
  /** Derived from the user agent. */
  device: { os: string; osVersion?: string; deviceType: string; browser: string };
  /** Arrival on the raw stream minus event time, in milliseconds (negative for clocks running ahead). */
  ingestLagMs: number;
  /** UTC date of the event time, `YYYY-MM-DD`. */
  eventDate: string;
  /** Whether `data.ip` was truncated (it never leaves enrichment in clear). */
  ipTruncated: boolean;
  /** The raw-stream record this event came from: lineage, and how enrichment recognises what it published. */
  origin?: { shardId: string; sequenceNumber: string; subSequenceNumber?: number };
}

/**
 * An event on the enriched stream: the ad event normalised (UTC `time`, `revenueMicros` present, truncated `ip`)
 * plus the `enrichment` object.
 */
export interface EnrichedEvent extends AdEvent {
  time: string;
  data: AdEvent['data'] & { revenueMicros: number };
  enrichment: Enrichment;
}

const EVENT_DATE = /^\d{4}-\d{2}-\d{2}$/;

function enrichmentIssues(value: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ path: '/enrichment', message: 'must be an object' }];
  }
  const e = value as Record<string, unknown>;
  const campaign = e.campaign as Record<string, unknown> | undefined;
  if (typeof campaign !== 'object' || campaign === null || typeof campaign.known !== 'boolean') {
    issues.push({ path: '/enrichment/campaign', message: 'must be an object with a boolean known' });
  }
  const device = e.device as Record<string, unknown> | undefined;
  if (typeof device !== 'object' || device === null || typeof device.os !== 'string') {
    issues.push({ path: '/enrichment/device', message: 'must be an object with a string os' });
  }
  if (typeof e.ingestLagMs !== 'number' || !Number.isFinite(e.ingestLagMs)) {
    issues.push({ path: '/enrichment/ingestLagMs', message: 'must be a finite number' });
  }
  if (typeof e.eventDate !== 'string' || !EVENT_DATE.test(e.eventDate)) {
    issues.push({ path: '/enrichment/eventDate', message: 'must be a date YYYY-MM-DD' });
  }
  if (typeof e.ipTruncated !== 'boolean')
    issues.push({ path: '/enrichment/ipTruncated', message: 'must be a boolean' });
  return issues;
}

/**
 * The contract of the enriched stream, applied by the sink consumers: the ad event contract on everything but
 * `enrichment`, and the shape of `enrichment`.
 */
export const enrichedEventSchema: EventSchema<EnrichedEvent> = {
  name: 'enriched-ad-event',
  validate(value: unknown): ValidationResult<EnrichedEvent> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { ok: false, issues: [{ path: '', message: 'must be an object' }] };
    }
    const { enrichment, ...event } = value as Record<string, unknown>;
    const base = adEventSchema.validate(event);
    const issues = [...(base.ok ? [] : base.issues), ...enrichmentIssues(enrichment)];
    if (typeof (event.data as { revenueMicros?: unknown } | undefined)?.revenueMicros !== 'number') {
      issues.push({ path: '/data/revenueMicros', message: 'must be present after enrichment' });
    }
    return issues.length === 0 ? { ok: true, value: value as EnrichedEvent } : { ok: false, issues };
  },
};
