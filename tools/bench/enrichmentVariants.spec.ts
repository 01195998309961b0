import { makeKinesisEvent } from '@shardline/records/testing';
import { adEventSchema } from '@shardline/schema';
import { generateEvents } from '@shardline/schema/testing';
import fc from 'fast-check';
import { zodAdEvent } from './baselinePowertools';
import { baselineVariant, enrichmentVariant } from './enrichmentVariants';

const parsed = (out: Uint8Array[]): unknown[] => out.map((b) => JSON.parse(Buffer.from(b).toString('utf8')));

describe('the Powertools baseline of the enrichment benchmark', () => {
  it('publishes the same enriched events as the enrichment consumer and refuses the same records', async () => {
    // Prepare: generated events, 20 % with a contract fault, plus a valid time no UTC instant can represent.
    const events = generateEvents({ count: 400, seed: 5, invalidRatio: 0.2 }).map(
      (g) => g.event as Record<string, unknown>,
    );
    events.push({ ...events.find((e) => adEventSchema.validate(e).ok)!, time: '2026-06-30T23:59:60Z' });
    const event = makeKinesisEvent(events, { shardId: 3, partitionKey: (i) => `user-${i % 7}` });
    // Act
    const ours = await enrichmentVariant(event)();
    const theirs = await baselineVariant(event)();
    // Assess
    const refused = events.filter((e) => !adEventSchema.validate(e).ok).length + 1;
    expect(ours.quarantined).toBe(refused);
    expect(theirs.quarantined).toBe(ours.quarantined);
    expect(theirs.ok).toBe(ours.ok);
    expect(parsed(theirs.out)).toEqual(parsed(ours.out));
  });

  it('accepts exactly the events the contract accepts', () => {
    // Prepare: fixtures, each with one key set to an arbitrary JSON value or removed, at the top or in data.
    const fixtures = generateEvents({ count: 100, seed: 8, invalidRatio: 0.3 }).map((g) => g.event);
    const keys = fc.oneof(
      fc.constantFrom(
        ...[
          'specversion',
          'id',
          'source',
          'type',
          'time',
          'subject',
          'datacontenttype',
          'dataschema',
          'data',
        ],
        ...['userId', 'campaignId', 'revenueMicros', 'currency', 'ip', 'country', 'platform', 'attributes'],
        ...['traceparent', 'Bad_Name', 'x'.repeat(65)],
      ),
      fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__'),
    );
    const values = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(
        '',
        'USD',
        '2025-06-02T12:00:00z',
        '2025-06-02T23:59:60Z',
        '::ffff:1.2.3.4',
        '01.2.3.4',
      ),
      fc.constantFrom(-1, 0, 1.5, 2 ** 31, 2 ** 53, 'a'.repeat(1025)),
    );
    // Act + Assess
    fc.assert(
      fc.property(
        fc.nat(fixtures.length - 1),
        fc.boolean(),
        keys,
        fc.option(values, { nil: undefined }),
        (i, inData, key, value) => {
          const event = structuredClone(fixtures[i]) as Record<string, unknown>;
          const data = event['data'];
          const target = inData && typeof data === 'object' && data !== null ? (data as typeof event) : event;
          if (value === undefined) delete target[key];
          else target[key] = value;
          expect(zodAdEvent.safeParse(event).success).toBe(adEventSchema.validate(event).ok);
        },
      ),
      { numRuns: 3000, seed: 11 },
    );
  });
});
