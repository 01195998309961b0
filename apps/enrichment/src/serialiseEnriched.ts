import type { EnrichedEvent, Enrichment } from '@shardline/schema';

/** What enrichment changed in an event, relative to the text it arrived as. */
export interface EventChanges {
  /** `time` as it arrived. */
  originalTime: string;
  /** `data.ip` as it arrived. */
  originalIp: string | undefined;
  /** Whether `data.revenueMicros` was present on arrival. */
  hadRevenue: boolean;
}

const QUOTE = 0x22;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;

/**
 * Serialises an enriched event by editing the text it arrived as instead of re-serialising the whole object:
 * the few values enrichment changed are replaced in place and the `enrichment` object is appended. JSON work is
 * most of the consumer's CPU, so this takes the per-record cost below a plain parse + stringify.
 *
 * The edit is only made where it is provably equivalent to `JSON.stringify(enriched)` once parsed: the text has
 * no escape sequences at all (so every `"` delimits a string and key names are literal) and each key to edit
 * occurs exactly once anywhere in the text (so it is the one the parser kept). Otherwise it falls back to
 * `JSON.stringify`.
 */
export function serialiseEnriched(text: string, enriched: EnrichedEvent, changes: EventChanges): string {
  if (text.indexOf('\\') !== -1) return JSON.stringify(enriched);
  let out = text;
  if (enriched.data.ip !== changes.originalIp) {
    if (enriched.data.ip === undefined) return JSON.stringify(enriched);
    const edited = replaceStringValue(out, '"ip"', enriched.data.ip);
    if (edited === undefined) return JSON.stringify(enriched);
    out = edited;
  }
  if (enriched.time !== changes.originalTime) {
    const edited = replaceStringValue(out, '"time"', enriched.time);
    if (edited === undefined) return JSON.stringify(enriched);
    out = edited;
  }
  if (!changes.hadRevenue) {
    const at = uniqueValueStart(out, '"data"', OPEN_BRACE);
    if (at === undefined) return JSON.stringify(enriched);
    out = `${out.slice(0, at)}"revenueMicros":${enriched.data.revenueMicros},${out.slice(at)}`;
  }
  const close = out.lastIndexOf('}');
  return `${out.slice(0, close)},"enrichment":${enrichmentJson(enriched.enrichment)}${out.slice(close)}`;
}

/** Replaces the string value of a key that occurs exactly once; `undefined` when it does not. */
function replaceStringValue(text: string, key: string, value: string): string | undefined {
  const start = uniqueValueStart(text, key, QUOTE);
  if (start === undefined) return undefined;
  const end = text.indexOf('"', start);
  return `${text.slice(0, start)}${value}${text.slice(end)}`;
}

/**
 * Where the value of `key` starts, just after its opening character (`"` or `{`), when `key` is used as an
 * object key exactly once in the whole text and its value opens with `opener`; otherwise `undefined`.
 * A quoted word followed by anything but a colon is a string value, not a key, and does not count.
 */
function uniqueValueStart(text: string, key: string, opener: number): number | undefined {
  let found: number | undefined;
  for (let at = text.indexOf(key); at !== -1; at = text.indexOf(key, at + key.length)) {
    let i = skipWhitespace(text, at + key.length);
    if (text.charCodeAt(i) !== COLON) continue;
    if (found !== undefined) return undefined;
    i = skipWhitespace(text, i + 1);
    if (text.charCodeAt(i) !== opener) return undefined;
    found = i + 1;
  }
  return found;
}

function skipWhitespace(text: string, from: number): number {
  let i = from;
  for (
    let c = text.charCodeAt(i);
    c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
    c = text.charCodeAt(++i)
  );
  return i;
}

// Campaign and device objects are shared by every event of the same campaign or user agent; their JSON is too.
const fragments = new WeakMap<object, string>();

function fragment(value: object): string {
  let json = fragments.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    fragments.set(value, json);
  }
  return json;
}

function enrichmentJson(e: Enrichment): string {
  return (
    `{"campaign":${fragment(e.campaign)},"device":${fragment(e.device)},"ingestLagMs":${e.ingestLagMs},` +
    `"eventDate":"${e.eventDate}","ipTruncated":${e.ipTruncated}` +
    (e.origin ? `,"origin":${originJson(e.origin)}}` : '}')
  );
}

/** The origin's fields come from the Lambda event (shard id and decimal sequence numbers): nothing to escape. */
function originJson(o: NonNullable<Enrichment['origin']>): string {
  const sub = o.subSequenceNumber === undefined ? '' : `,"subSequenceNumber":${o.subSequenceNumber}`;
  return `{"shardId":"${o.shardId}","sequenceNumber":"${o.sequenceNumber}"${sub}}`;
}
