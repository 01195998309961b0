import fc from 'fast-check';
import { PositionError } from './errors';
import { recordPosition } from './recordPosition';

function numericOrder(a: [bigint, number], b: [bigint, number]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] - b[1];
}

describe('recordPosition', () => {
  it('orders positions as strings exactly as sequence then subsequence numbers order numerically', () => {
    // Prepare
    const seq = fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 60n }), fc.bigInt({ min: 0n, max: 1000n }));
    const pos = fc.tuple(seq, fc.integer({ min: 0, max: 999_999 }));

    fc.assert(
      fc.property(pos, pos, (a, b) => {
        // Act
        const left = recordPosition(a[0].toString(), a[1]);
        const right = recordPosition(b[0].toString(), b[1]);
        // Assess
        const stringOrder = left < right ? -1 : left > right ? 1 : 0;
        expect(stringOrder).toBe(Math.sign(numericOrder(a, b)));
      }),
    );
  });

  it('places a plain record at subsequence zero', () => {
    // Act
    const plain = recordPosition('123', undefined);
    // Assess
    expect(plain).toBe('003123:000000');
  });

  it('accepts the longest sequence number Kinesis allows (129 digits)', () => {
    // Prepare
    const longest = '9'.repeat(129);
    // Act
    const position = recordPosition(longest, 0);
    // Assess
    expect(position.startsWith('129')).toBe(true);
    expect(position > recordPosition('9'.repeat(128), 999_999)).toBe(true);
  });

  it.each([['0123'], ['12a'], [''], ['1'.repeat(130)]])(
    'rejects the non-canonical sequence number %p',
    (seq) => {
      // Act / Assess
      expect(() => recordPosition(seq, 0)).toThrow(PositionError);
    },
  );

  it.each([[-1], [1_000_000], [1.5]])('rejects the subsequence number %p', (sub) => {
    // Act / Assess
    expect(() => recordPosition('1', sub)).toThrow(PositionError);
  });
});
