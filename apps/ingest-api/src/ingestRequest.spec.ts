import type { FailedPut } from '@shardline/aws';
import { generateEvents } from '@shardline/schema/testing';
import { BATCH, NDJSON } from './constants';
import { ingestRequest, type IngestDeps, type IngestRules } from './ingestRequest';
import { bodyOf, httpEvent } from './test-helpers/httpEvent';
import type { IngestResponseBody, ValidEvent } from './types';

const rules: IngestRules = {
  maxBodyBytes: 1024 * 1024,
  maxInflatedBytes: 4 * 1024 * 1024,
  maxEvents: 500,
  maxEventBytes: 262_144,
  partitionKey: ['data.userId', 'id'],
};
const events = generateEvents({ count: 6, seed: 9 }).map((g) => g.event as { id: string });
const batch = (items: unknown[]) => httpEvent(JSON.stringify(items), { headers: { 'content-type': BATCH } });

/** A stream stand-in that stores every event except those whose index `fail` names, with the code given. */
function stream(fail: Record<number, string> = {}) {
  const stored: ValidEvent[] = [];
  const deps: IngestDeps = {
    put: async (valid) => {
      const failed: FailedPut<ValidEvent>[] = [];
      for (const e of valid) {
        if (fail[e.index]) failed.push({ ref: e, errorCode: fail[e.index]!, errorMessage: 'injected' });
        else stored.push(e);
      }
      return failed;
    },
  };
  return { stored, deps };
}

describe('ingestRequest', () => {
  it('answers 200 once every event is stored, keyed by user id, and lists none', async () => {
    // Prepare
    const { stored, deps } = stream();

    // Act
    const { response, stats } = await ingestRequest(batch(events), rules, deps);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ accepted: 6, refused: 0, retryable: 0, events: [] });
    expect(stored.map((s) => s.id)).toEqual(events.map((e) => e.id));
    expect(stats).toEqual({ accepted: 6, refused: {}, retryable: 0, throttled: 0 });
  });

  it('answers 207 with the refused events when the others are stored, and 400 when none is', async () => {
    // Prepare
    const { stored, deps } = stream();

    // Act
    const mixed = await ingestRequest(batch([events[0], { id: 'x' }]), rules, deps);
    const none = await ingestRequest(batch([{ id: 'x' }, 7]), rules, deps);

    // Assess
    expect(mixed.response.statusCode).toBe(207);
    expect(bodyOf<IngestResponseBody>(mixed.response)).toMatchObject({
      accepted: 1,
      refused: 1,
      retryable: 0,
      events: [{ status: 'refused', index: 1, id: 'x', reason: 'MISSING_ATTRIBUTE' }],
    });
    expect(none.response.statusCode).toBe(400);
    expect(none.stats.refused).toEqual({ MISSING_ATTRIBUTE: 1, NOT_OBJECT: 1 });
    expect(stored).toHaveLength(1);
  });

  it('answers 429 with Retry-After naming exactly the throttled events, never counting them accepted', async () => {
    // Prepare
    const { stored, deps } = stream({ 1: 'ProvisionedThroughputExceededException', 4: 'InternalFailure' });

    // Act
    const { response, stats } = await ingestRequest(batch(events), rules, deps);

    // Assess
    expect(response.statusCode).toBe(429);
    expect(response.headers).toMatchObject({ 'retry-after': '1' });
    const body = bodyOf<IngestResponseBody>(response);
    expect(body).toMatchObject({ accepted: 4, refused: 0, retryable: 2 });
    expect(body.events).toEqual([
      expect.objectContaining({ status: 'retryable', index: 1, id: events[1]!.id, reason: 'THROTTLED' }),
      expect.objectContaining({ status: 'retryable', index: 4, id: events[4]!.id, reason: 'NOT_STORED' }),
    ]);
    expect(stored.map((s) => s.index)).toEqual([0, 2, 3, 5]);
    expect(stats.throttled).toBe(1);
  });

  it('answers 503 when events failed for another reason than throttling', async () => {
    // Prepare
    const { deps } = stream({ 0: 'ResourceNotFoundException' });

    // Act
    const { response } = await ingestRequest(batch([events[0]]), rules, deps);

    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'retry-after': '1' });
    expect(bodyOf<IngestResponseBody>(response).events[0]).toMatchObject({
      reason: 'NOT_STORED',
      errorCode: 'ResourceNotFoundException',
    });
  });

  it('answers 415 with the media types it accepts, and accepts a UTF-8 charset parameter', async () => {
    // Prepare
    const { deps } = stream();

    // Act
    const json = await ingestRequest(
      httpEvent(JSON.stringify(events[0]), { headers: { 'content-type': 'application/json' } }),
      rules,
      deps,
    );
    const latin1 = await ingestRequest(
      httpEvent(JSON.stringify(events[0]), { headers: { 'content-type': `${NDJSON}; charset=iso-8859-1` } }),
      rules,
      deps,
    );
    const utf8 = await ingestRequest(
      httpEvent(JSON.stringify(events[0]), { headers: { 'content-type': `${NDJSON}; Charset="UTF-8"` } }),
      rules,
      deps,
    );

    // Assess
    expect(json.response.statusCode).toBe(415);
    expect(json.response.headers).toMatchObject({ 'accept-post': expect.stringContaining(BATCH) });
    expect(bodyOf(json.response)).toMatchObject({
      error: 'UNSUPPORTED_MEDIA_TYPE',
      supportedMediaTypes: ['application/cloudevents+json', BATCH, NDJSON],
    });
    expect(latin1.response.statusCode).toBe(415);
    expect(utf8.response.statusCode).toBe(200);
  });

  it('answers 404 for another path and 405 with Allow for another method, without reading the body', async () => {
    // Prepare
    const { stored, deps } = stream();

    // Act
    const other = await ingestRequest(httpEvent('{}', { path: '/v1/other' }), rules, deps);
    const get = await ingestRequest(httpEvent('{}', { method: 'GET' }), rules, deps);
    const iam = await ingestRequest(
      httpEvent(JSON.stringify(events[0]), { path: '/v1/iam/events' }),
      rules,
      deps,
    );

    // Assess
    expect(other.response.statusCode).toBe(404);
    expect(get.response.statusCode).toBe(405);
    expect(get.response.headers).toMatchObject({ allow: 'POST' });
    expect(get.stats.requestError).toBe('METHOD_NOT_ALLOWED');
    expect(iam.response.statusCode).toBe(200);
    expect(stored).toHaveLength(1);
  });

  it('answers 413 for too many events without putting any', async () => {
    // Prepare
    const { stored, deps } = stream();
    const many = Array.from({ length: 501 }, () => events[0]);

    // Act
    const { response } = await ingestRequest(batch(many), rules, deps);

    // Assess
    expect(response.statusCode).toBe(413);
    expect(bodyOf(response)).toMatchObject({ error: 'TOO_MANY_EVENTS', maxEvents: 500 });
    expect(stored).toEqual([]);
  });

  it('reads a gzip NDJSON body as API Gateway passes it (base64)', async () => {
    // Prepare
    const { stored, deps } = stream();
    const body = events.map((e) => JSON.stringify(e)).join('\n');

    // Act
    const { response } = await ingestRequest(
      httpEvent(body, { gzip: true, headers: { 'content-type': NDJSON } }),
      rules,
      deps,
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(stored.map((s) => s.text)).toEqual(events.map((e) => JSON.stringify(e)));
  });
});
