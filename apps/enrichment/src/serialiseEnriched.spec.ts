import fc from 'fast-check';
import { type AdEvent } from '@shardline/schema';
import { generateEvents } from '@shardline/schema/testing';
import { enrichEvent } from './enrich';
import { serialiseEnriched } from './serialiseEnriched';

const ARRIVAL = 1_764_162_000.5;

/** Enriches a parsed copy of `text` the way enrichBatch does and serialises it both ways. */
function bothWays(text: string): { spliced: string; reference: string } {
  const payload = JSON.parse(text) as AdEvent;
  const changes = {
    originalTime: payload.time,
    originalIp: payload.data.ip,
    hadRevenue: payload.data.revenueMicros !== undefined,
  };
  const enriched = enrichEvent(payload, ARRIVAL, { known: true, name: 'Winter', advertiser: 'Acme' })!;
  return { spliced: serialiseEnriched(text, enriched, changes), reference: JSON.stringify(enriched) };
}

const validEvents = generateEvents({ count: 300, seed: 21 }).map((g) => g.event as AdEvent);

describe('serialiseEnriched', () => {
  it('edits compact producer JSON into text that parses to exactly the enriched event', () => {
    for (const event of validEvents) {
      // Act
      const { spliced, reference } = bothWays(JSON.stringify(event));
      // Assess
      expect(JSON.parse(spliced)).toEqual(JSON.parse(reference));
    }
  });

  it('never leaves the client IP in clear in the edited text', () => {
    // Prepare
    const event = { ...validEvents[0]!, data: { ...validEvents[0]!.data, ip: '203.0.113.99' } };
    // Act
    const { spliced } = bothWays(JSON.stringify(event));
    // Assess
    expect(spliced).not.toContain('203.0.113.99');
    expect(spliced).toContain('"ip":"203.0.113.0"');
  });

  it('stays equivalent for hostile layouts: whitespace, escapes, look-alike keys nested or duplicated', () => {
    // Prepare: keys an attacker (or an odd producer) could use to confuse a text edit.
    const tricky = fc.record({
      indent: fc.constantFrom(undefined, 0, 2, '\t'),
      attributes: fc.dictionary(
        fc.constantFrom('time', 'ip', 'data', 'enrichment', 'revenueMicros', 'note', '"', 'a\\b'),
        fc.oneof(fc.string(), fc.integer(), fc.constant('2026-01-01T00:00:00Z'), fc.constant('198.51.100.1')),
      ),
      placement: fc.string({ maxLength: 20 }),
      withRevenue: fc.boolean(),
      ip: fc.constantFrom(undefined, '192.0.2.33', '2001:db8:aa:bb::1', '::ffff:198.51.100.200'),
      time: fc.constantFrom(
        '2026-11-26T13:05:00Z',
        '2026-11-26T15:05:00.123456+02:00',
        '2026-11-26T13:05:00.000Z',
      ),
      escapedDuplicateTime: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: validEvents.length - 1 }), tricky, (i, t) => {
        const base = validEvents[i]!;
        const data: Record<string, unknown> = {
          ...base.data,
          attributes: t.attributes,
          placement: t.placement,
        };
        if (t.withRevenue) data.revenueMicros = 5;
        else delete data.revenueMicros;
        if (t.withRevenue) data.currency = 'EUR';
        if (t.ip) data.ip = t.ip;
        else delete data.ip;
        let text = JSON.stringify({ ...base, time: t.time, data }, null, t.indent);
        // A duplicate key spelled with an escape: JSON.parse keeps the last one.
        if (t.escapedDuplicateTime)
          text = text.replace(/}\s*$/, ',"ti\\u006de":"2026-11-26T10:00:00+01:00"}');
        // Act
        const { spliced, reference } = bothWays(text);
        // Assess
        expect(JSON.parse(spliced)).toEqual(JSON.parse(reference));
      }),
      { numRuns: 400 },
    );
  });
});
