import { MAX_ISSUES, MAX_REVENUE_MICROS } from './constants';
import type { AdEvent } from './types';
import { validateAdEvent } from './validateAdEvent';

type Json = Record<string, unknown>;

/** A complete, valid purchase event; each test changes one thing. */
function purchaseEvent(): Json {
  return {
    specversion: '1.0',
    id: '5b0e9c6e-3d0c-4f59-9a57-2f7c4a0d6c11',
    source: 'https://sdk.example.com/games/space-miner/ios',
    type: 'com.example.ad.purchase',
    time: '2025-06-02T14:03:07.123+02:00',
    subject: 'cmp-0001',
    datacontenttype: 'application/json',
    dataschema: 'https://schemas.example.com/shardline/ad-event.json',
    data: {
      userId: 'u-8c1d2e3f4a5b',
      campaignId: 'cmp-0001',
      revenueMicros: 4_990_000,
      currency: 'USD',
      deviceId: '4F1C8B2E-9A7D-4C3B-8E21-0D5F6A7B8C9D',
      sessionId: 's-1f2e3d4c5b6a7980',
      adId: 'ad-000123',
      placement: 'rewarded_video_shop',
      country: 'DE',
      platform: 'ios',
      appVersion: '3.2.1',
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)',
      attributes: { level: 12, sku: 'gems_pack_small' },
    },
  };
}

function withData(changes: Json): Json {
  const event = purchaseEvent();
  event['data'] = { ...(event['data'] as Json), ...changes };
  return event;
}

function without(event: Json, key: string): Json {
  const copy = { ...event };
  delete copy[key];
  return copy;
}

function withoutData(key: string): Json {
  const event = purchaseEvent();
  event['data'] = without(event['data'] as Json, key);
  return event;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('validateAdEvent', () => {
  it('accepts a complete purchase event and returns the same object, unmodified', () => {
    // Prepare
    const event = deepFreeze(purchaseEvent());
    const before = JSON.stringify(event);

    // Act
    const result = validateAdEvent(event);

    // Assess
    expect(result).toEqual({ ok: true, value: event });
    expect(result.ok && result.value).toBe(event);
    expect(JSON.stringify(event)).toBe(before);
  });

  it('does not apply the revenueMicros default', () => {
    // Prepare
    const event = withoutData('revenueMicros');
    (event['data'] as Json)['currency'] = undefined;

    // Act
    const result = validateAdEvent(event);

    // Assess
    expect(result.ok).toBe(true);
    expect('revenueMicros' in (event['data'] as Json)).toBe(false);
  });

  it.each<[string, Json]>([
    [
      'a minimal event',
      {
        ...without(without(without(purchaseEvent(), 'subject'), 'datacontenttype'), 'dataschema'),
        data: { userId: 'u', campaignId: 'c' },
      },
    ],
    ['revenue 0 without currency', withData({ revenueMicros: 0, currency: undefined })],
    ['the largest safe revenue', withData({ revenueMicros: MAX_REVENUE_MICROS })],
    ['a UTC time with Z and no fraction', { ...purchaseEvent(), time: '2025-06-02T12:00:00Z' }],
    [
      'a negative offset and nanoseconds',
      { ...purchaseEvent(), time: '2025-06-02T07:00:00.123456789-05:00' },
    ],
    ['lower-case t and z', { ...purchaseEvent(), time: '2025-06-02t12:00:00z' }],
    ['a leap second at 23:59:60 UTC', { ...purchaseEvent(), time: '2016-12-31T23:59:60Z' }],
    ['a leap second in an offset zone', { ...purchaseEvent(), time: '2017-01-01T01:59:60+02:00' }],
    ['29 February of a leap year', { ...purchaseEvent(), time: '2024-02-29T12:00:00Z' }],
    ['an IPv6 address', withData({ ip: '2001:db8::8a2e:370:7334' })],
    ['an IPv4-mapped IPv6 address', withData({ ip: '::ffff:192.0.2.1' })],
    ['a relative source', { ...purchaseEvent(), source: '/games/space-miner' }],
    ['an empty user agent', withData({ userAgent: '' })],
    [
      'string, integer and boolean extensions',
      { ...purchaseEvent(), traceparent: '00-ab-cd-01', shard: 3, replay: false },
    ],
    ['an underscore and dash campaign id', withData({ campaignId: 'Spring_Sale-2025' })],
    ['each platform', withData({ platform: 'web' })],
    ['empty attributes', withData({ attributes: {} })],
  ])('accepts %s', (_name, event) => {
    // Act
    const result = validateAdEvent(event);

    // Assess
    expect(result).toEqual({ ok: true, value: event });
  });

  it.each<[string, unknown, string, string]>([
    ['a non-object value', [purchaseEvent()], '', 'must be an object (got an array)'],
    ['null', null, '', 'must be an object (got null)'],
    ['a missing specversion', without(purchaseEvent(), 'specversion'), '/specversion', 'is required'],
    [
      'another specversion',
      { ...purchaseEvent(), specversion: '0.3' },
      '/specversion',
      "must be '1.0' (got '0.3')",
    ],
    [
      'a numeric specversion',
      { ...purchaseEvent(), specversion: 1 },
      '/specversion',
      "must be '1.0' (got 1)",
    ],
    ['a missing id', without(purchaseEvent(), 'id'), '/id', 'is required'],
    ['an empty id', { ...purchaseEvent(), id: '' }, '/id', 'must have 1 to 256 characters (got 0)'],
    [
      'a long id',
      { ...purchaseEvent(), id: 'x'.repeat(257) },
      '/id',
      'must have 1 to 256 characters (got 257)',
    ],
    ['a numeric id', { ...purchaseEvent(), id: 42 }, '/id', 'must be a string (got 42)'],
    ['a missing source', without(purchaseEvent(), 'source'), '/source', 'is required'],
    [
      'a source with spaces',
      { ...purchaseEvent(), source: 'my sdk' },
      '/source',
      "must be a URI-reference (got 'my sdk')",
    ],
    [
      'a long source',
      { ...purchaseEvent(), source: 'a'.repeat(1025) },
      '/source',
      'must have 1 to 1024 characters (got 1025)',
    ],
    ['a missing type', without(purchaseEvent(), 'type'), '/type', 'is required'],
    [
      'an unknown type',
      { ...purchaseEvent(), type: 'com.example.ad.view' },
      '/type',
      "must be one of 'com.example.ad.impression', 'com.example.ad.click', 'com.example.ad.install', 'com.example.ad.purchase' (got 'com.example.ad.view')",
    ],
    ['a missing time', without(purchaseEvent(), 'time'), '/time', 'is required'],
    [
      'a time without offset',
      { ...purchaseEvent(), time: '2025-06-02T12:00:00' },
      '/time',
      "must be an RFC 3339 date-time like 2024-05-01T12:00:00Z (got '2025-06-02T12:00:00')",
    ],
    ['month 13', { ...purchaseEvent(), time: '2025-13-02T12:00:00Z' }, '/time', 'must be an RFC 3339'],
    ['30 February', { ...purchaseEvent(), time: '2024-02-30T12:00:00Z' }, '/time', 'must be an RFC 3339'],
    [
      '29 February of a common year',
      { ...purchaseEvent(), time: '2023-02-29T12:00:00Z' },
      '/time',
      'must be an RFC 3339',
    ],
    ['hour 24', { ...purchaseEvent(), time: '2025-06-02T24:00:00Z' }, '/time', 'must be an RFC 3339'],
    ['minute 60', { ...purchaseEvent(), time: '2025-06-02T12:60:00Z' }, '/time', 'must be an RFC 3339'],
    [
      'a leap second at noon',
      { ...purchaseEvent(), time: '2016-12-31T12:00:60Z' },
      '/time',
      'must be an RFC 3339',
    ],
    [
      'a space separator',
      { ...purchaseEvent(), time: '2025-06-02 12:00:00Z' },
      '/time',
      'must be an RFC 3339',
    ],
    [
      'an offset without colon',
      { ...purchaseEvent(), time: '2025-06-02T12:00:00+0200' },
      '/time',
      'must be an RFC 3339',
    ],
    [
      'an offset hour 24',
      { ...purchaseEvent(), time: '2025-06-02T12:00:00+24:00' },
      '/time',
      'must be an RFC 3339',
    ],
    [
      'an empty fraction',
      { ...purchaseEvent(), time: '2025-06-02T12:00:00.Z' },
      '/time',
      'must be an RFC 3339',
    ],
    [
      'an epoch number',
      { ...purchaseEvent(), time: 1748865600000 },
      '/time',
      'must be an RFC 3339 date-time like 2024-05-01T12:00:00Z (got 1748865600000)',
    ],
    [
      'an empty subject',
      { ...purchaseEvent(), subject: '' },
      '/subject',
      'must have 1 to 1024 characters (got 0)',
    ],
    [
      'another content type',
      { ...purchaseEvent(), datacontenttype: 'text/plain' },
      '/datacontenttype',
      "must be 'application/json' (got 'text/plain')",
    ],
    [
      'a relative dataschema',
      { ...purchaseEvent(), dataschema: '/schemas/ad' },
      '/dataschema',
      "must be an absolute URI (got '/schemas/ad')",
    ],
    [
      'an upper-case extension name',
      { ...purchaseEvent(), traceParent: 'x' },
      '/traceParent',
      'is not an allowed attribute: extension names must match ^[a-z0-9]{1,64}$',
    ],
    [
      'data_base64',
      { ...purchaseEvent(), data_base64: 'eyJ9' },
      '/data_base64',
      'is not an allowed attribute',
    ],
    [
      'an object extension value',
      { ...purchaseEvent(), tags: { a: 1 } },
      '/tags',
      'must be a string, integer or boolean extension value (got an object)',
    ],
    [
      'a null extension value',
      { ...purchaseEvent(), tags: null },
      '/tags',
      'must be a string, integer or boolean extension value (got null)',
    ],
    [
      'a fractional extension value',
      { ...purchaseEvent(), weight: 0.5 },
      '/weight',
      'must be a 32-bit integer (got 0.5)',
    ],
    [
      'a long extension value',
      { ...purchaseEvent(), note: 'n'.repeat(1025) },
      '/note',
      'must have at most 1024 characters (got 1025)',
    ],
    ['missing data', without(purchaseEvent(), 'data'), '/data', 'is required'],
    [
      'string data',
      { ...purchaseEvent(), data: '{"userId":"u"}' },
      '/data',
      `must be an object (got '{"userId":"u"}')`,
    ],
    ['array data', { ...purchaseEvent(), data: [] }, '/data', 'must be an object (got an array)'],
    ['a missing userId', withoutData('userId'), '/data/userId', 'is required'],
    ['an empty userId', withData({ userId: '' }), '/data/userId', 'must have 1 to 256 characters (got 0)'],
    ['a numeric userId', withData({ userId: 7 }), '/data/userId', 'must be a string (got 7)'],
    ['a missing campaignId', withoutData('campaignId'), '/data/campaignId', 'is required'],
    [
      'a campaignId with spaces',
      withData({ campaignId: 'bad id!' }),
      '/data/campaignId',
      "must match ^[A-Za-z0-9_-]{1,64}$ (got 'bad id!')",
    ],
    [
      'a long campaignId',
      withData({ campaignId: 'c'.repeat(65) }),
      '/data/campaignId',
      'must match ^[A-Za-z0-9_-]{1,64}$',
    ],
    ['a negative revenue', withData({ revenueMicros: -1 }), '/data/revenueMicros', 'must be >= 0 (got -1)'],
    [
      'a fractional revenue',
      withData({ revenueMicros: 1.5 }),
      '/data/revenueMicros',
      'must be an integer (got 1.5)',
    ],
    [
      'a string revenue',
      withData({ revenueMicros: '100' }),
      '/data/revenueMicros',
      "must be an integer (got '100')",
    ],
    [
      'an unsafe revenue',
      withData({ revenueMicros: 2 ** 53 }),
      '/data/revenueMicros',
      'must be <= 9007199254740991 (got 9007199254740992)',
    ],
    [
      'revenue without currency',
      withoutData('currency'),
      '/data/currency',
      'is required when revenueMicros > 0 (got revenueMicros 4990000)',
    ],
    [
      'a lower-case currency',
      withData({ currency: 'usd' }),
      '/data/currency',
      "must match ^[A-Z]{3}$ (got 'usd')",
    ],
    [
      'an empty deviceId',
      withData({ deviceId: '' }),
      '/data/deviceId',
      'must have 1 to 256 characters (got 0)',
    ],
    ['a numeric sessionId', withData({ sessionId: 1 }), '/data/sessionId', 'must be a string (got 1)'],
    [
      'a long adId',
      withData({ adId: 'a'.repeat(257) }),
      '/data/adId',
      'must have 1 to 256 characters (got 257)',
    ],
    [
      'a long placement',
      withData({ placement: 'p'.repeat(129) }),
      '/data/placement',
      'must have 1 to 128 characters (got 129)',
    ],
    [
      'an alpha-3 country',
      withData({ country: 'DEU' }),
      '/data/country',
      "must match ^[A-Z]{2}$ (got 'DEU')",
    ],
    [
      'an unknown platform',
      withData({ platform: 'windows' }),
      '/data/platform',
      "must be one of 'ios', 'android', 'web' (got 'windows')",
    ],
    [
      'a long appVersion',
      withData({ appVersion: '1'.repeat(65) }),
      '/data/appVersion',
      'must have 1 to 64 characters (got 65)',
    ],
    [
      'an IPv4 octet over 255',
      withData({ ip: '256.0.0.1' }),
      '/data/ip',
      "must be an IPv4 or IPv6 address (got '256.0.0.1')",
    ],
    ['a host name as ip', withData({ ip: 'localhost' }), '/data/ip', 'must be an IPv4 or IPv6 address'],
    ['an IPv6 zone id', withData({ ip: 'fe80::1%eth0' }), '/data/ip', 'must be an IPv4 or IPv6 address'],
    [
      'a long userAgent',
      withData({ userAgent: 'u'.repeat(1025) }),
      '/data/userAgent',
      'must have at most 1024 characters (got 1025)',
    ],
    [
      'array attributes',
      withData({ attributes: [1] }),
      '/data/attributes',
      'must be an object (got an array)',
    ],
    [
      'an unknown data field',
      withData({ userName: 'Ann' }),
      '/data/userName',
      'is not an allowed data field',
    ],
    [
      'an unknown data field with a slash',
      withData({ 'a/b~c': 1 }),
      '/data/a~1b~0c',
      'is not an allowed data field',
    ],
  ])('rejects %s', (_name, event, path, message) => {
    // Act
    const result = validateAdEvent(event);

    // Assess
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.path).toBe(path);
    expect(result.issues[0]?.message).toContain(message);
  });

  it('reports every issue of an event, each with its own path', () => {
    // Prepare
    const event = { ...without(purchaseEvent(), 'id'), type: 'x', data: { userId: 1, revenueMicros: 5 } };

    // Act
    const result = validateAdEvent(event);

    // Assess
    expect(result.ok === false && result.issues.map((i) => i.path).sort()).toEqual([
      '/data/campaignId',
      '/data/currency',
      '/data/userId',
      '/id',
      '/type',
    ]);
  });

  it('caps the number of issues for a hostile event', () => {
    // Prepare
    const data: Json = { userId: 'u', campaignId: 'c' };
    for (let i = 0; i < 1000; i++) data[`field${i}`] = i;

    // Act
    const result = validateAdEvent({ ...purchaseEvent(), data });

    // Assess
    expect(result.ok === false && result.issues.length).toBe(MAX_ISSUES);
  });

  it('truncates long offending values and keys in issues', () => {
    // Prepare
    const longKey = 'k'.repeat(500);

    // Act
    const result = validateAdEvent({
      ...withData({ [longKey]: 1 }),
      id: 'i'.repeat(300),
      source: 's s'.repeat(300),
    });

    // Assess
    expect(result.ok).toBe(false);
    if (result.ok) return;
    for (const issue of result.issues) expect(issue.path.length + issue.message.length).toBeLessThan(200);
    expect(result.issues.find((i) => i.path.startsWith('/data/k'))?.path).toBe(`/data/${'k'.repeat(64)}…`);
  });

  it('treats an undefined property as absent, as JSON.stringify would', () => {
    // Prepare
    const event = { ...purchaseEvent(), subject: undefined };

    // Act
    const result = validateAdEvent(event);

    // Assess
    expect(result.ok).toBe(true);
  });

  it('types the accepted value as an AdEvent', () => {
    // Act
    const result = validateAdEvent(purchaseEvent());

    // Assess
    const campaignId: string | undefined = result.ok ? (result.value as AdEvent).data.campaignId : undefined;
    expect(campaignId).toBe('cmp-0001');
  });
});
