import type { FailedPut } from '@shardline/aws';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { EVENT_PATHS, MEDIA_TYPES, RETRY_AFTER_SECONDS, THROTTLE_CODES } from './constants';
import { RequestError } from './errors';
import { parseEvents, type EventRules } from './parseEvents';
import { readBody, type BodyLimits } from './readBody';
import type { IngestResponseBody, RefuseReason, RetryableEvent, ValidEvent } from './types';

/** What {@link ingestRequest} needs from the outside: storing events on the raw stream. */
export interface IngestDeps {
  /** Puts the events on the stream (retrying within the request's budget); returns those not stored. */
  put(events: ValidEvent[]): Promise<FailedPut<ValidEvent>[]>;
}

/** The limits and choices of the API. */
export type IngestRules = BodyLimits & EventRules;

/** What a request did, for metrics and logs. */
export interface IngestStats {
  accepted: number;
  refused: Partial<Record<RefuseReason, number>>;
  retryable: number;
  /** Events still throttled by the stream when the request answered. */
  throttled: number;
  /** The code of a request refused as a whole (400, 404, 405, 413, 415). */
  requestError?: string;
}

/** The answer and what it counted. */
export interface IngestOutcome {
  response: APIGatewayProxyStructuredResultV2;
  stats: IngestStats;
}

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/**
 * Handles one API Gateway HTTP API request (payload format 2.0): routes it, reads the body, refuses what can
 * never be valid, puts the rest on the raw stream, and answers per event. An event is answered accepted only
 * once PutRecords reported it stored; the others come back retryable, the request answering 429 (throttled) or
 * 503 with `Retry-After`.
 *
 * Statuses: 200 all accepted; 207 some accepted, some refused; 400 all refused, or a body that cannot be read;
 * 404/405 other routes; 413 over a limit; 415 unsupported media type or encoding; 429/503 some retryable.
 *
 * @example
 * ```ts
 * const { response } = await ingestRequest(event, rules, { put: (events) => putRecords(kinesis, stream, entries) });
 * ```
 */
export async function ingestRequest(
  event: APIGatewayProxyEventV2,
  rules: IngestRules,
  deps: IngestDeps,
): Promise<IngestOutcome> {
  try {
    route(event);
    const headers = event.headers ?? {};
    const mediaType = mediaTypeOf(headers['content-type']);
    const text = readBody({ body: event.body, isBase64Encoded: event.isBase64Encoded, headers }, rules);
    const { valid, refused } = parseEvents(mediaType, text, rules);
    const failed = valid.length > 0 ? await deps.put(valid) : [];
    const retryable = failed.map(toRetryable).sort((a, b) => a.index - b.index);
    const stats: IngestStats = {
      accepted: valid.length - failed.length,
      refused: {},
      retryable: retryable.length,
      throttled: retryable.filter((r) => r.reason === 'THROTTLED').length,
    };
    for (const r of refused) stats.refused[r.reason] = (stats.refused[r.reason] ?? 0) + 1;
    const body: IngestResponseBody = {
      accepted: stats.accepted,
      refused: refused.length,
      retryable: retryable.length,
      events: [
        ...refused.map((r) => ({ status: 'refused' as const, ...r })),
        ...retryable.map((r) => ({ status: 'retryable' as const, ...r })),
      ].sort((a, b) => a.index - b.index),
    };
    const statusCode =
      retryable.length > 0
        ? stats.throttled > 0
          ? 429
          : 503
        : refused.length > 0
          ? stats.accepted > 0
            ? 207
            : 400
          : 200;
    const answer: Record<string, string> = { ...JSON_HEADERS };
    if (retryable.length > 0) answer['retry-after'] = String(RETRY_AFTER_SECONDS);
    return { response: { statusCode, headers: answer, body: JSON.stringify(body) }, stats };
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    return {
      response: {
        statusCode: error.statusCode,
        headers: { ...JSON_HEADERS, ...error.headers },
        body: JSON.stringify({ error: error.code, message: error.message, ...error.details }),
      },
      stats: { accepted: 0, refused: {}, retryable: 0, throttled: 0, requestError: error.code },
    };
  }
}

function route(event: APIGatewayProxyEventV2): void {
  if (!EVENT_PATHS.includes(event.rawPath)) {
    throw new RequestError(
      404,
      'NOT_FOUND',
      `no route ${event.rawPath.slice(0, 200)}; send events to POST /v1/events`,
    );
  }
  if (event.requestContext.http.method !== 'POST') {
    throw new RequestError(
      405,
      'METHOD_NOT_ALLOWED',
      `${event.requestContext.http.method.slice(0, 20)} is not allowed on ${event.rawPath}; use POST`,
      { allow: 'POST' },
    );
  }
}

/** The media type of a Content-Type header, lower-case, without parameters; only UTF-8 is accepted as charset. */
export function mediaTypeOf(header: string | undefined): string {
  const [type = '', ...parameters] = (header ?? '').split(';').map((p) => p.trim().toLowerCase());
  const charset = parameters
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replaceAll('"', '');
  if (MEDIA_TYPES.includes(type) && (charset === undefined || charset === 'utf-8' || charset === 'utf8')) {
    return type;
  }
  const what = header ? `Content-Type '${header.slice(0, 100)}'` : 'a request without Content-Type';
  throw new RequestError(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    `${what} is not supported; send one of ${MEDIA_TYPES.join(', ')} (UTF-8)`,
    { 'accept-post': MEDIA_TYPES.join(', ') },
    { supportedMediaTypes: MEDIA_TYPES },
  );
}

function toRetryable(failure: FailedPut<ValidEvent>): RetryableEvent {
  const throttled = THROTTLE_CODES.includes(failure.errorCode);
  return {
    index: failure.ref.index,
    id: failure.ref.id,
    reason: throttled ? 'THROTTLED' : 'NOT_STORED',
    errorCode: failure.errorCode,
    message: throttled
      ? 'the stream is over its write capacity; the event was not stored, send it again after Retry-After'
      : `the event was not stored (${failure.errorMessage ?? failure.errorCode}); send it again after Retry-After`,
  };
}
