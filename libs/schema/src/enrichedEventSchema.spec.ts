import { enrichedEventSchema } from './enrichedEventSchema';
import { generateEvents } from './generateEvents';
import type { AdEvent } from './types';

function enrichedEvent(): Record<string, unknown> {
  const [fixture] = generateEvents({ count: 1, seed: 29 });
  const event = fixture?.event as AdEvent;
  return {
    ...event,
    time: new Date(event.time).toISOString(),
    data: { ...event.data, revenueMicros: event.data.revenueMicros ?? 0 },
    enrichment: {
      campaign: { known: true, name: 'Spring sale' },
      device: { os: 'Android', osVersion: '14', deviceType: 'phone', browser: 'none' },
      ingestLagMs: 120,
      eventDate: '2025-06-02',
      ipTruncated: true,
    },
  };
}

describe('enrichedEventSchema', () => {
  it('accepts a normalised event with its enrichment', () => {
    // Prepare
    const event = enrichedEvent();

    // Act
    const result = enrichedEventSchema.validate(event);

    // Assess
    expect(result).toEqual({ ok: true, value: event });
  });

  it('rejects an event without enrichment or without revenueMicros', () => {
    // Prepare
    const { enrichment: _enrichment, ...bare } = enrichedEvent();
    const data = { ...(bare['data'] as Record<string, unknown>) };
    delete data['revenueMicros'];

    // Act
    const result = enrichedEventSchema.validate({ ...bare, data });

    // Assess
    expect(result.ok === false && result.issues.map((i) => i.path)).toEqual([
      '/enrichment',
      '/data/revenueMicros',
    ]);
  });

  it('applies the ad event contract to the rest of the event', () => {
    // Prepare
    const event = { ...enrichedEvent(), type: 'com.example.ad.view' };

    // Act
    const result = enrichedEventSchema.validate(event);

    // Assess
    expect(result.ok === false && result.issues.map((i) => i.path)).toEqual(['/type']);
  });
});
