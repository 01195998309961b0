import { enrichedEventSchema } from './enrichedEventSchema';
import { generateEnrichedEvents } from './enrichFixture';

describe('generateEnrichedEvents', () => {
  it('produces events that satisfy the enriched-stream contract, with truncated IPs and UTC times', () => {
    // Act
    const events = generateEnrichedEvents({ count: 200, seed: 4, arrivalSeconds: 1_790_000_000 });
    // Assess
    for (const e of events) {
      expect(enrichedEventSchema.validate(e)).toEqual({ ok: true, value: e });
      expect(e.time.endsWith('Z')).toBe(true);
      if (e.data.ip !== undefined) expect(e.data.ip.endsWith('.0') || e.data.ip.endsWith('::')).toBe(true);
    }
  });

  it('is deterministic for a seed', () => {
    expect(generateEnrichedEvents({ count: 5, seed: 9 })).toEqual(
      generateEnrichedEvents({ count: 5, seed: 9 }),
    );
  });
});
