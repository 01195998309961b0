import { generateEvents } from '@shardline/schema/testing';
import { BATCH, NDJSON, SINGLE } from './constants';
import { parseEvents, partitionKeyOf, type EventRules } from './parseEvents';
import { refusal } from './test-helpers/refusal';

const rules: EventRules = { maxEvents: 10, maxEventBytes: 2_048, partitionKey: ['data.userId', 'id'] };
const events = generateEvents({ count: 3, seed: 5 }).map((g) => g.event as Record<string, unknown>);

describe('parseEvents', () => {
  it('takes one structured CloudEvent, keyed by its user id, stored as compact JSON', () => {
    // Prepare
    const event = events[0]!;

    // Act
    const { valid, refused } = parseEvents(SINGLE, JSON.stringify(event, null, 2), rules);

    // Assess
    expect(refused).toEqual([]);
    expect(valid).toEqual([
      {
        index: 0,
        id: event.id,
        source: event.source,
        text: JSON.stringify(event),
        partitionKey: (event.data as { userId: string }).userId,
      },
    ]);
  });

  it('takes a batch and refuses, by index and reason, the members that can never be valid', () => {
    // Prepare
    const batch = [
      events[0],
      'not an event',
      { ...events[1], id: '' },
      { ...events[1], specversion: '0.3' },
      { ...events[2], data: { userId: 'u', blob: 'x'.repeat(3_000) } },
      events[2],
    ];

    // Act
    const { valid, refused } = parseEvents(BATCH, JSON.stringify(batch), rules);

    // Assess
    expect(valid.map((v) => v.index)).toEqual([0, 5]);
    expect(refused).toEqual([
      { index: 1, reason: 'NOT_OBJECT', message: 'a CloudEvent is a JSON object, this is a string' },
      {
        index: 2,
        reason: 'MISSING_ATTRIBUTE',
        message: 'missing or empty required attributes: id (strings)',
      },
      {
        index: 3,
        id: events[1]!.id,
        reason: 'UNSUPPORTED_SPECVERSION',
        message: "specversion '0.3' is not supported; send '1.0'",
      },
      expect.objectContaining({ index: 4, id: events[2]!.id, reason: 'EVENT_TOO_LARGE' }),
    ]);
  });

  it('names every missing attribute of an event at once', () => {
    // Act
    const { refused } = parseEvents(SINGLE, JSON.stringify({ data: {} }), rules);

    // Assess
    expect(refused[0]!.message).toBe(
      'missing or empty required attributes: id, source, type, specversion (strings)',
    );
  });

  it('reads NDJSON line by line: blank lines skipped, CRLF accepted, each refusal with its line', () => {
    // Prepare
    const body = [
      JSON.stringify(events[0]),
      '',
      '{"id": oops',
      JSON.stringify(events[1]) + '\r',
      '[1]',
      '',
    ].join('\n');

    // Act
    const { valid, refused } = parseEvents(NDJSON, body, rules);

    // Assess
    expect(valid.map((v) => [v.index, v.text])).toEqual([
      [0, JSON.stringify(events[0])],
      [2, JSON.stringify(events[1])],
    ]);
    expect(refused).toEqual([
      expect.objectContaining({ index: 1, line: 3, reason: 'NOT_JSON' }),
      { index: 3, line: 5, reason: 'NOT_OBJECT', message: 'a CloudEvent is a JSON object, this is an array' },
    ]);
  });

  it('refuses an NDJSON line over the event limit by its size alone', () => {
    // Prepare: not even JSON, but too large first
    const line = '{'.repeat(rules.maxEventBytes + 1);

    // Act
    const { refused } = parseEvents(NDJSON, line, rules);

    // Assess
    expect(refused).toEqual([
      {
        index: 0,
        line: 1,
        reason: 'EVENT_TOO_LARGE',
        message: `the event is ${rules.maxEventBytes + 1} bytes as JSON, over the limit of ${rules.maxEventBytes} bytes`,
      },
    ]);
  });

  it('refuses the whole request with 413 above the events-per-request limit, and at the limit takes it', () => {
    // Prepare
    const lines = (n: number) => Array.from({ length: n }, () => JSON.stringify(events[0])).join('\n');

    // Act
    const at = parseEvents(NDJSON, lines(rules.maxEvents), rules);
    const over = refusal(() => parseEvents(NDJSON, lines(rules.maxEvents + 1), rules));

    // Assess
    expect(at.valid).toHaveLength(rules.maxEvents);
    expect(over).toMatchObject({ statusCode: 413, code: 'TOO_MANY_EVENTS', details: { maxEvents: 10 } });
  });

  it('answers 400 for a body that cannot be split into events', () => {
    // Act
    const notJson = refusal(() => parseEvents(BATCH, '[{"id":', rules));
    const notArray = refusal(() => parseEvents(BATCH, JSON.stringify(events[0]), rules));
    const empty = refusal(() => parseEvents(BATCH, '[]', rules));
    const blank = refusal(() => parseEvents(NDJSON, '\n\n', rules));

    // Assess
    expect(notJson).toMatchObject({ statusCode: 400, code: 'BODY_NOT_JSON' });
    expect(notArray).toMatchObject({ statusCode: 400, code: 'BATCH_NOT_ARRAY' });
    expect(empty).toMatchObject({ statusCode: 400, code: 'NO_EVENTS' });
    expect(blank).toMatchObject({ statusCode: 400, code: 'NO_EVENTS' });
  });
});

describe('partitionKeyOf', () => {
  it('takes the first usable path, falls back to the id, and digests an id too long for Kinesis', () => {
    // Prepare
    const paths = ['data.userId', 'id'];

    // Act
    const byUser = partitionKeyOf({ id: 'e1', data: { userId: 'u1' } }, paths);
    const numeric = partitionKeyOf({ id: 'e1', data: { userId: 42 } }, paths);
    const byId = partitionKeyOf({ id: 'e1', data: { userId: '' } }, paths);
    const inherited = partitionKeyOf({ id: 'e1', data: Object.create({ userId: 'proto' }) }, paths);
    const digested = partitionKeyOf({ id: 'x'.repeat(257), data: 'u' }, paths);

    // Assess
    expect([byUser, numeric, byId, inherited]).toEqual(['u1', '42', 'e1', 'e1']);
    expect(digested).toMatch(/^[0-9a-f]{64}$/);
  });
});
