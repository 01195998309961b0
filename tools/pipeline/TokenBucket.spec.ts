import { TokenBucket } from './TokenBucket';

describe('TokenBucket', () => {
  it('lets a burst through, then refills at the rate', () => {
    // Prepare
    let now = 0;
    const bucket = new TokenBucket({ rate: 10, burst: 3 }, () => now);

    // Act
    const burst = [bucket.take(), bucket.take(), bucket.take(), bucket.take()];
    now += 50; // half a token back
    const early = bucket.take();
    now += 50; // one token back
    const onTime = [bucket.take(), bucket.take()];
    now += 10_000; // never more than the burst
    const refilled = Array.from({ length: 4 }, () => bucket.take());

    // Assess
    expect(burst).toEqual([true, true, true, false]);
    expect(early).toBe(false);
    expect(onTime).toEqual([true, false]);
    expect(refilled).toEqual([true, true, true, false]);
  });

  it('refuses settings that would throttle everything', () => {
    // Act & Assess
    expect(() => new TokenBucket({ rate: 0, burst: 5 })).toThrow(RangeError);
    expect(() => new TokenBucket({ rate: 5, burst: 0 })).toThrow(RangeError);
  });
});
