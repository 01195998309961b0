import { ALLOWED_TYPES } from './constants';
import { FixtureOptionsError } from './errors';
import {
  DEFAULT_START_TIME,
  eventStream,
  generateEvents,
  INVALID_REASON_PATHS,
  INVALID_REASONS,
} from './generateEvents';
import { isRfc3339DateTime } from './isRfc3339DateTime';
import type { AdEvent } from './types';
import { validateAdEvent } from './validateAdEvent';

describe('generateEvents', () => {
  it('generates the same events for the same seed', () => {
    // Act
    const first = generateEvents({ count: 200, seed: 42, invalidRatio: 0.2 });
    const second = generateEvents({ count: 200, seed: 42, invalidRatio: 0.2 });

    // Assess
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('generates different events for different seeds', () => {
    // Act
    const first = generateEvents({ count: 20, seed: 1 });
    const second = generateEvents({ count: 20, seed: 2 });

    // Assess
    const ids = new Set(first.map((f) => (f.event as AdEvent).id));
    expect(second.some((f) => ids.has((f.event as AdEvent).id))).toBe(false);
  });

  it('keeps a stable sequence: the first events of the default options never change', () => {
    // Act
    const [first] = generateEvents({ count: 1, seed: 1 });

    // Assess
    expect(first?.partitionKey).toBe((first?.event as AdEvent).data.userId);
    expect(first).toMatchSnapshot();
  });

  it('yields the same sequence lazily, and keeps going past any count', () => {
    // Prepare
    const options = { seed: 9, invalidRatio: 0.1 };
    const eager = generateEvents({ ...options, count: 50 });

    // Act
    const lazy: unknown[] = [];
    for (const fixture of eventStream(options)) {
      lazy.push(fixture);
      if (lazy.length === 50) break;
    }

    // Assess
    expect(lazy).toEqual(eager);
  });

  it('produces only valid events by default, each accepted by the schema', () => {
    // Act
    const fixtures = generateEvents({ count: 2000, seed: 7 });

    // Assess
    for (const fixture of fixtures) {
      expect(fixture.valid).toBe(true);
      expect(validateAdEvent(fixture.event)).toEqual({ ok: true, value: fixture.event });
    }
  });

  it('makes every invalid event fail for its labelled reason alone', () => {
    // Act
    const fixtures = generateEvents({ count: 3000, seed: 11, invalidRatio: 0.5 });

    // Assess
    for (const fixture of fixtures) {
      const result = validateAdEvent(fixture.event);
      if (fixture.valid) {
        expect(result.ok).toBe(true);
        continue;
      }
      expect(fixture.invalidReason).toBeDefined();
      expect(result.ok === false && result.issues.map((i) => i.path)).toEqual([
        INVALID_REASON_PATHS[fixture.invalidReason ?? 'missing-id'],
      ]);
    }
  });

  it('spreads faults over every reason at roughly the requested ratio', () => {
    // Act
    const fixtures = generateEvents({ count: 5000, seed: 3, invalidRatio: 0.2 });

    // Assess
    const invalid = fixtures.filter((f) => !f.valid);
    expect(invalid.length / fixtures.length).toBeGreaterThan(0.17);
    expect(invalid.length / fixtures.length).toBeLessThan(0.23);
    expect(new Set(invalid.map((f) => f.invalidReason))).toEqual(new Set(INVALID_REASONS));
  });

  it('makes only invalid events with ratio 1', () => {
    // Act
    const fixtures = generateEvents({ count: 300, seed: 5, invalidRatio: 1 });

    // Assess
    expect(fixtures.every((f) => !f.valid && validateAdEvent(f.event).ok === false)).toBe(true);
  });

  it('generates realistic events: types, campaigns, revenue on purchases, stable users, sizes', () => {
    // Prepare
    const startTime = new Date('2025-01-01T00:00:00Z');

    // Act
    const events = generateEvents({ count: 5000, seed: 13, campaigns: 5, users: 50, startTime }).map(
      (f) => f.event as AdEvent,
    );

    // Assess
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(ALLOWED_TYPES));
    expect(new Set(events.map((e) => e.data.campaignId))).toEqual(
      new Set(['cmp-0001', 'cmp-0002', 'cmp-0003', 'cmp-0004', 'cmp-0005']),
    );
    for (const event of events) {
      const revenue = event.data.revenueMicros ?? 0;
      expect(revenue > 0).toBe(event.type === 'com.example.ad.purchase');
      if (revenue > 0) expect(event.data.currency).toMatch(/^[A-Z]{3}$/);
      const time = Date.parse(event.time);
      expect(time).toBeLessThanOrEqual(startTime.getTime());
      expect(time).toBeGreaterThanOrEqual(startTime.getTime() - 300_000);
    }
    const platformsByUser = new Map<string, Set<unknown>>();
    for (const event of events) {
      const platforms = platformsByUser.get(event.data.userId) ?? new Set();
      platforms.add(event.data.platform);
      platformsByUser.set(event.data.userId, platforms);
    }
    expect(platformsByUser.size).toBeLessThanOrEqual(50);
    expect([...platformsByUser.values()].every((p) => p.size === 1)).toBe(true);
    const sizes = events.map((e) => JSON.stringify(e).length).sort((a, b) => a - b);
    expect(sizes[Math.floor(sizes.length / 2)]).toBeGreaterThanOrEqual(400);
    expect(sizes[Math.floor(sizes.length / 2)]).toBeLessThanOrEqual(700);
  });

  it('mixes UTC offsets, fractional seconds, IPv4 and IPv6', () => {
    // Act
    const events = generateEvents({ count: 1000, seed: 17 }).map((f) => f.event as AdEvent);

    // Assess
    const times = events.map((e) => e.time);
    expect(times.every(isRfc3339DateTime)).toBe(true);
    expect(times.some((t) => t.endsWith('Z'))).toBe(true);
    expect(times.some((t) => t.endsWith('+02:00'))).toBe(true);
    expect(times.some((t) => /\.\d{6}/.test(t))).toBe(true);
    expect(times.some((t) => /:\d\d[Z+-]/.test(t))).toBe(true);
    expect(events.some((e) => e.data.ip?.includes(':'))).toBe(true);
    expect(events.some((e) => e.data.ip?.includes('.'))).toBe(true);
  });

  it('uses a fixed default start time so fixtures do not depend on the clock', () => {
    // Act
    const events = generateEvents({ count: 100, seed: 19 }).map((f) => Date.parse((f.event as AdEvent).time));

    // Assess
    expect(Math.max(...events)).toBeLessThanOrEqual(DEFAULT_START_TIME.getTime());
  });

  it.each<[string, Parameters<typeof generateEvents>[0]]>([
    ['a negative count', { count: -1, seed: 1 }],
    ['a fractional seed', { count: 1, seed: 1.5 }],
    ['an invalid ratio above 1', { count: 1, seed: 1, invalidRatio: 1.5 }],
    ['a NaN invalid ratio', { count: 1, seed: 1, invalidRatio: Number.NaN }],
    ['zero campaigns', { count: 1, seed: 1, campaigns: 0 }],
    ['an invalid start time', { count: 1, seed: 1, startTime: new Date('nope') }],
  ])('rejects %s', (_name, options) => {
    // Act
    const act = (): unknown => generateEvents(options);

    // Assess
    expect(act).toThrow(FixtureOptionsError);
  });
});
