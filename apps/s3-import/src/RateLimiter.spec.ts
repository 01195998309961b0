import { RateLimiter, type RateClock } from './RateLimiter';

function fakeClock(): RateClock & { t: number; slept: number[] } {
  const clock = {
    t: 0,
    slept: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

describe('RateLimiter', () => {
  it('lets a second of writes through at once, then paces to 1,000 records/s per shard', async () => {
    // Prepare
    const clock = fakeClock();
    const limiter = new RateLimiter(1, clock);

    // Act
    const first = await limiter.acquire(1000, 1000);
    const second = await limiter.acquire(500, 1000);

    // Assess
    expect(first).toBe(0);
    expect(second).toBe(500);
  });

  it('paces bytes to 1 MiB/s per shard and scales with the open shards', async () => {
    // Prepare
    const clock = fakeClock();
    const one = new RateLimiter(1, clock);
    const four = new RateLimiter(4, clock);

    // Act: a full 5 MiB PutRecords after a first 1 MiB.
    await one.acquire(10, 1024 * 1024);
    await four.acquire(10, 4 * 1024 * 1024);
    const waitOne = await one.acquire(10, 5 * 1024 * 1024);
    const waitFour = await four.acquire(10, 5 * 1024 * 1024);

    // Assess: on one shard the bucket refills for a second, then the chunk drives it 4 MiB below zero.
    expect(waitOne).toBe(1000);
    expect(waitFour).toBe(0);
    expect(one.delayFor(1, 1)).toBe(4001);
  });
});
