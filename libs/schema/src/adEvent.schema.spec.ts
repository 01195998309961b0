import fc from 'fast-check';
import { adEventJsonSchema } from './adEvent.schema';
import { adEventSchema } from './adEventSchema';
import { MAX_ISSUES } from './constants';
import { createJsonSchemaEventSchema } from './createJsonSchemaEventSchema';
import { generateEvents } from './generateEvents';
import type { SchemaIssue, ValidationResult } from './types';

// The JSON Schema and the hand-written validator state the contract twice; these properties keep them equal.
const ajvSchema = createJsonSchemaEventSchema({ name: 'ad-event', schema: adEventJsonSchema });
const fixtures = generateEvents({ count: 200, seed: 23, invalidRatio: 0.3 }).map((f) => f.event);

const TOP_KEYS = [
  'specversion',
  'id',
  'source',
  'type',
  'time',
  'subject',
  'datacontenttype',
  'dataschema',
  'data',
];
const DATA_KEYS = [
  'userId',
  'campaignId',
  'revenueMicros',
  'currency',
  'deviceId',
  'sessionId',
  'adId',
  'placement',
  'country',
  'platform',
  'appVersion',
  'ip',
  'userAgent',
  'attributes',
];

interface Mutation {
  index: number;
  inData: boolean;
  key: string;
  remove: boolean;
  value: unknown;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  index: fc.nat(fixtures.length - 1),
  inData: fc.boolean(),
  key: fc.oneof(
    fc.constantFrom(...TOP_KEYS, ...DATA_KEYS, 'traceparent', 'Bad_Name'),
    fc.string({ maxLength: 12 }),
  ),
  remove: fc.boolean(),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(
      '',
      'USD',
      'usd',
      '2025-06-02T12:00:00Z',
      '::1',
      '1.2.3.4',
      'ios',
      'com.example.ad.click',
      -1,
      0,
      1.5,
      2 ** 53,
    ),
  ),
});

/** A mutated deep copy of a fixture: one key set (as an own property, even `__proto__`) or removed. */
function mutate(m: Mutation): unknown {
  const event = structuredClone(fixtures[m.index]) as Record<string, unknown>;
  const data = event['data'];
  const target = m.inData && typeof data === 'object' && data !== null && !Array.isArray(data) ? data : event;
  if (m.remove) delete (target as Record<string, unknown>)[m.key];
  else
    Object.defineProperty(target, m.key, {
      value: m.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return event;
}

function paths(result: ValidationResult<unknown>): string[] {
  return result.ok ? [] : [...new Set(result.issues.map((i: SchemaIssue) => i.path))].sort();
}

describe('the ad event contract', () => {
  it('is the same in the JSON Schema and the hand-written validator for every fixture', () => {
    for (const event of fixtures) {
      // Act
      const hand = adEventSchema.validate(event);
      const ajv = ajvSchema.validate(event);

      // Assess
      expect(paths(ajv)).toEqual(paths(hand));
    }
  });

  it('is the same in both forms under arbitrary mutations, which never make validation throw', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        // Prepare
        const event = mutate(m);
        const before = JSON.stringify(event);

        // Act
        const hand = adEventSchema.validate(event);
        const ajv = ajvSchema.validate(event);

        // Assess
        expect(JSON.stringify(event)).toBe(before);
        expect(ajv.ok).toBe(hand.ok);
        if (!hand.ok) {
          expect(hand.issues.length).toBeGreaterThan(0);
          for (const issue of hand.issues) {
            expect(typeof issue.path).toBe('string');
            expect(issue.message.length).toBeGreaterThan(0);
          }
        }
        if (!hand.ok && !ajv.ok && hand.issues.length < MAX_ISSUES && ajv.issues.length < MAX_ISSUES) {
          expect(paths(ajv)).toEqual(paths(hand));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on arbitrary values', () => {
    fc.assert(
      fc.property(
        fc.anything({ withObjectString: true, withNullPrototype: true, withMap: true }),
        (value) => {
          // Act
          const result = adEventSchema.validate(value);

          // Assess
          expect(result.ok).toBe(false);
        },
      ),
    );
  });
});
