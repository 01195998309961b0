import { createHash } from 'node:crypto';
import { BATCH, MAX_PARTITION_KEY_LENGTH, NDJSON, SINGLE } from './constants';
import { RequestError } from './errors';
import type { ParsedEvents, RefusedEvent, ValidEvent } from './types';

/** Bounds and choices applied to the events of a request. */
export interface EventRules {
  maxEvents: number;
  maxEventBytes: number;
  /** Dotted paths tried in order for the partition key, e.g. `['data.userId', 'id']`. */
  partitionKey: readonly string[];
}

type Candidate = { index: number; line?: number } & ({ text: string } | { value: unknown });

const REQUIRED = ['id', 'source', 'type'] as const;

/**
 * Splits a body into its CloudEvents by media type and sorts them: events that can never be valid (not JSON, not
 * an object, without id/source/type/specversion 1.0, over `maxEventBytes` as JSON text) are refused with their
 * index and reason; the others come back with the text to store and their partition key. Deeper checks (the
 * event schema) are enrichment's, which quarantines what fails them.
 *
 * @throws {RequestError} 400 when a single or batch body is not JSON (or a batch not an array) or holds no event,
 *   413 with more than `maxEvents` events.
 *
 * @example
 * ```ts
 * const { valid, refused } = parseEvents(NDJSON, text, { maxEvents: 500, maxEventBytes: 262_144, partitionKey: ['id'] });
 * ```
 */
export function parseEvents(mediaType: string, text: string, rules: EventRules): ParsedEvents {
  const candidates = split(mediaType, text);
  if (candidates.length === 0) throw new RequestError(400, 'NO_EVENTS', 'the request holds no events');
  if (candidates.length > rules.maxEvents) {
    throw new RequestError(
      413,
      'TOO_MANY_EVENTS',
      `the request holds ${candidates.length} events, over the limit of ${rules.maxEvents} per request; split it`,
      {},
      { maxEvents: rules.maxEvents },
    );
  }
  const parsed: ParsedEvents = { valid: [], refused: [] };
  for (const candidate of candidates) {
    const result = check(candidate, rules);
    if ('reason' in result) parsed.refused.push(result);
    else parsed.valid.push(result);
  }
  return parsed;
}

function split(mediaType: string, text: string): Candidate[] {
  if (mediaType === NDJSON) {
    const candidates: Candidate[] = [];
    text.split('\n').forEach((raw, i) => {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim() !== '') candidates.push({ index: candidates.length, line: i + 1, text: line });
    });
    return candidates;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RequestError(400, 'BODY_NOT_JSON', `the body is not JSON: ${(error as Error).message}`);
  }
  if (mediaType === SINGLE) return [{ index: 0, value }];
  if (mediaType === BATCH) {
    if (!Array.isArray(value)) {
      throw new RequestError(400, 'BATCH_NOT_ARRAY', `a ${BATCH} body must be a JSON array of CloudEvents`);
    }
    return value.map((v: unknown, index) => ({ index, value: v }));
  }
  throw new Error(`unsupported media type ${mediaType}`);
}

function check(candidate: Candidate, rules: EventRules): ValidEvent | RefusedEvent {
  const at = { index: candidate.index, ...(candidate.line ? { line: candidate.line } : {}) };
  let text: string;
  let value: unknown;
  if ('text' in candidate) {
    // Size first: a line over the limit is refused without being parsed.
    const bytes = Buffer.byteLength(candidate.text);
    if (bytes > rules.maxEventBytes) return tooLarge(at, bytes, rules.maxEventBytes);
    text = candidate.text;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { ...at, reason: 'NOT_JSON', message: `not JSON: ${(error as Error).message}` };
    }
  } else {
    value = candidate.value;
    text = JSON.stringify(value);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { ...at, reason: 'NOT_OBJECT', message: `a CloudEvent is a JSON object, this is ${kind}` };
  }
  const event = value as Record<string, unknown>;
  const id = nonEmptyString(event.id);
  const withId = id === undefined ? at : { ...at, id };
  const missing = [...REQUIRED, 'specversion'].filter((a) => nonEmptyString(event[a]) === undefined);
  if (missing.length > 0) {
    return {
      ...withId,
      reason: 'MISSING_ATTRIBUTE',
      message: `missing or empty required attributes: ${missing.join(', ')} (strings)`,
    };
  }
  if (event.specversion !== '1.0') {
    return {
      ...withId,
      reason: 'UNSUPPORTED_SPECVERSION',
      message: `specversion '${String(event.specversion).slice(0, 20)}' is not supported; send '1.0'`,
    };
  }
  if ('value' in candidate) {
    const bytes = Buffer.byteLength(text);
    if (bytes > rules.maxEventBytes) return tooLarge(withId, bytes, rules.maxEventBytes);
  }
  return {
    index: candidate.index,
    id: id!,
    source: event.source as string,
    text,
    partitionKey: partitionKeyOf(event, rules.partitionKey),
  };
}

/**
 * The first of `paths` that holds a string (or number) of 1 to 256 characters; when none does, a digest of the
 * id, so an event with a long id still has a valid key.
 */
export function partitionKeyOf(event: Record<string, unknown>, paths: readonly string[]): string {
  for (const path of paths) {
    let value: unknown = event;
    for (const part of path.split('.')) {
      value =
        typeof value === 'object' && value !== null && Object.hasOwn(value, part)
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
    const key = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
    if (typeof key === 'string' && key.length > 0 && key.length <= MAX_PARTITION_KEY_LENGTH) return key;
  }
  return createHash('sha256').update(String(event.id)).digest('hex');
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function tooLarge(at: Omit<RefusedEvent, 'reason' | 'message'>, bytes: number, max: number): RefusedEvent {
  return {
    ...at,
    reason: 'EVENT_TOO_LARGE',
    message: `the event is ${bytes} bytes as JSON, over the limit of ${max} bytes`,
  };
}
