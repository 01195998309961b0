import { setTimeout as sleep } from 'node:timers/promises';
import { SHARD_BYTES_PER_SECOND, SHARD_RECORDS_PER_SECOND } from './constants';

/** Clock and sleep of a {@link RateLimiter}, injectable for tests. */
export interface RateClock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

const realClock: RateClock = { now: () => Date.now(), sleep: (ms) => sleep(ms) };

/**
 * Keeps the importer's writes within what a stream takes: two token buckets, records and bytes, refilled at
 * shards x 1,000 records/s and shards x 1 MiB/s, each holding at most one second of writes. A request larger
 * than a second's worth (5 MiB on one shard) waits until the bucket is full, then drives it negative, so the
 * average holds over any longer span.
 */
export class RateLimiter {
  private records: number;
  private bytes: number;
  private last: number;
  private readonly recordsPerSecond: number;
  private readonly bytesPerSecond: number;

  constructor(
    shards: number,
    private readonly clock: RateClock = realClock,
  ) {
    this.recordsPerSecond = Math.max(1, shards) * SHARD_RECORDS_PER_SECOND;
    this.bytesPerSecond = Math.max(1, shards) * SHARD_BYTES_PER_SECOND;
    this.records = this.recordsPerSecond;
    this.bytes = this.bytesPerSecond;
    this.last = clock.now();
  }

  /** Milliseconds to wait before `records` records of `bytes` bytes may be sent now. */
  delayFor(records: number, bytes: number): number {
    this.refill();
    const needRecords = Math.min(records, this.recordsPerSecond) - this.records;
    const needBytes = Math.min(bytes, this.bytesPerSecond) - this.bytes;
    return Math.ceil(
      Math.max(0, (needRecords / this.recordsPerSecond) * 1000, (needBytes / this.bytesPerSecond) * 1000),
    );
  }

  /** Waits until the request fits, takes its tokens, and returns how long it waited. */
  async acquire(records: number, bytes: number): Promise<number> {
    let waited = 0;
    for (let delay = this.delayFor(records, bytes); delay > 0; delay = this.delayFor(records, bytes)) {
      await this.clock.sleep(delay);
      waited += delay;
    }
    this.records -= records;
    this.bytes -= bytes;
    return waited;
  }

  private refill(): void {
    const now = this.clock.now();
    const seconds = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.records = Math.min(this.recordsPerSecond, this.records + seconds * this.recordsPerSecond);
    this.bytes = Math.min(this.bytesPerSecond, this.bytes + seconds * this.bytesPerSecond);
  }
}
