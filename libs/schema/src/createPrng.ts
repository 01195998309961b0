/** A seeded pseudo-random source; every method advances the same sequence. */
export interface Prng {
  /** Next unsigned 32-bit integer. */
  nextUint32(): number;
  /** Next float in [0, 1). */
  next(): number;
  /** Next integer in [0, bound). */
  int(bound: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** `length` lower-case hexadecimal digits. */
  hex(length: number): string;
}

/**
 * Creates a mulberry32 generator: tiny, fast, and good enough for fixtures (not for anything secret).
 * The same seed always yields the same sequence, on every platform.
 *
 * @example
 * ```ts
 * const random = createPrng(42);
 * random.int(10); // the same number on every run
 * ```
 */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => nextUint32() / 4294967296;
  return {
    nextUint32,
    next,
    int: (bound) => Math.floor(next() * bound),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    hex(length) {
      let text = '';
      while (text.length < length) text += nextUint32().toString(16).padStart(8, '0');
      return text.slice(0, length);
    },
  };
}
