import { createPrng } from './createPrng';

describe('createPrng', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    // Act
    const a = Array.from({ length: 5 }, createPrng(1).nextUint32);
    const b = Array.from({ length: 5 }, createPrng(1).nextUint32);
    const c = Array.from({ length: 5 }, createPrng(2).nextUint32);

    // Assess
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('keeps every draw within its range', () => {
    // Prepare
    const random = createPrng(99);

    // Act
    const draws = Array.from(
      { length: 10_000 },
      () => [random.next(), random.int(7), random.hex(10)] as const,
    );

    // Assess
    for (const [float, int, hex] of draws) {
      expect(float >= 0 && float < 1).toBe(true);
      expect(Number.isInteger(int) && int >= 0 && int < 7).toBe(true);
      expect(hex).toMatch(/^[0-9a-f]{10}$/);
    }
    expect(new Set(draws.map(([, int]) => int)).size).toBe(7);
  });
});
