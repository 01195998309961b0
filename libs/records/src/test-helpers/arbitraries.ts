import fc from 'fast-check';
import { FORBIDDEN_KEYS } from '../constants';

/** Keys that are safe in payloads (forbidden keys are covered by their own tests). */
const safeKey = fc.string({ maxLength: 12 }).filter((key) => !FORBIDDEN_KEYS.includes(key));

/** JSON values without forbidden keys, nested at most a few levels. */
const safeJsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(safeKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** JSON objects as the decoder must accept them: no forbidden keys, shallow nesting. */
export const jsonObject: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(safeKey, safeJsonValue, {
  maxKeys: 6,
});

/** Partition keys as Kinesis allows them: 1 to 256 characters. */
export const partitionKey: fc.Arbitrary<string> = fc.string({
  unit: 'grapheme',
  minLength: 1,
  maxLength: 40,
});
