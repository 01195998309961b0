import type { ALLOWED_TYPES, PLATFORMS } from './constants';

/** One of the ad event types, e.g. `com.example.ad.purchase`. */
export type AdEventType = (typeof ALLOWED_TYPES)[number];

/** Platform an ad event was produced on. */
export type AdPlatform = (typeof PLATFORMS)[number];

/** Scalar value of a CloudEvents extension attribute as accepted by {@link adEventSchema}. */
export type ExtensionValue = string | number | boolean;

/**
 * Payload of an ad event. `revenueMicros` may be absent: normalisation downstream applies
 * {@link DEFAULT_REVENUE_MICROS}.
 */
export interface AdEventData {
  userId: string;
  campaignId: string;
  revenueMicros?: number;
  currency?: string;
  deviceId?: string;
  sessionId?: string;
  adId?: string;
  placement?: string;
  country?: string;
  platform?: AdPlatform;
  appVersion?: string;
  ip?: string;
  userAgent?: string;
  attributes?: Record<string, unknown>;
}

/**
 * An ad event: a CloudEvents 1.0 envelope in JSON structured mode. Identity is (`source`, `id`).
 * Other lower-case keys are CloudEvents extension attributes with scalar values.
 */
export interface AdEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: AdEventType;
  time: string;
  subject?: string;
  datacontenttype?: 'application/json';
  dataschema?: string;
  data: AdEventData;
  [ext: string]: unknown;
}

/** One reason a value does not satisfy a schema. */
export interface SchemaIssue {
  /** JSON Pointer (RFC 6901) to the offending value, e.g. `/data/campaignId`; `""` is the whole value. */
  path: string;
  /** What was expected and what was found, e.g. `must match ^[A-Z]{3}$ (got 'usd')`. */
  message: string;
}

/** Outcome of {@link EventSchema.validate}: the value typed as `T`, or the issues found. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: SchemaIssue[] };

/**
 * A named validator for events. Implement it to replace the ad event contract with your own; consumers
 * depend on this interface only.
 *
 * @example
 * ```ts
 * const pingSchema: EventSchema<{ ping: true }> = {
 *   name: 'ping',
 *   validate: (value) =>
 *     typeof value === 'object' && value !== null && (value as { ping?: unknown }).ping === true
 *       ? { ok: true, value: value as { ping: true } }
 *       : { ok: false, issues: [{ path: '/ping', message: 'must be true' }] },
 * };
 * ```
 */
export interface EventSchema<T> {
  /** Short name used in logs and quarantine messages. */
  readonly name: string;
  /** Checks a parsed JSON value. Never throws and never mutates `value`. */
  validate(value: unknown): ValidationResult<T>;
}

/** A kind of fault the fixture generator can put into an event; see `INVALID_REASON_PATHS`. */
export type InvalidReason =
  | 'missing-id'
  | 'bad-specversion'
  | 'bad-type'
  | 'bad-time'
  | 'missing-campaign-id'
  | 'bad-campaign-id'
  | 'negative-revenue'
  | 'revenue-without-currency'
  | 'wrong-type'
  | 'unknown-data-field'
  | 'non-object-data'
  | 'bad-country'
  | 'bad-ip';

/** One generated fixture. */
export interface GeneratedEvent {
  /** The event as a producer would send it: an {@link AdEvent} when `valid`, otherwise a faulty value. */
  event: unknown;
  /** Whether `event` satisfies the ad event contract. */
  valid: boolean;
  /** The single fault put into an invalid event. */
  invalidReason?: InvalidReason;
  /** Kinesis partition key for the event: its user id. */
  partitionKey: string;
}

/** Options of the fixture generator. */
export interface EventStreamOptions {
  /** Seed of the pseudo-random sequence; the same options always give the same events. */
  seed: number;
  /** Number of events; endless when absent (streams only). */
  count?: number;
  /** Share of invalid events, 0 (default) to 1. */
  invalidRatio?: number;
  /** Latest event time; times fall in [startTime - timeSpreadMs, startTime]. Default: a fixed instant. */
  startTime?: Date;
  /** Width of the event time range in milliseconds, default five minutes. */
  timeSpreadMs?: number;
  /** Number of campaigns `cmp-0001`.., default 20, at most 9999. */
  campaigns?: number;
  /** Number of distinct users (and so partition keys), default 1000. */
  users?: number;
}

/** Options of `generateEvents`: a stream with a required count. */
export interface GenerateEventsOptions extends EventStreamOptions {
  count: number;
}
