/** Throttling as API Gateway applies it per route: a token bucket refilled at `rate`/s holding at most `burst`. */
export interface ThrottleSettings {
  /** Steady-state requests per second. */
  rate: number;
  /** Requests that may arrive at once. */
  burst: number;
}

/** API Gateway's account-level default in a region (quota page): 10,000 requests/s, burst 5,000. */
export const ACCOUNT_THROTTLE: ThrottleSettings = { rate: 10_000, burst: 5_000 };

/**
 * A token bucket: starts full, each request takes one token, tokens come back at `rate` per second up to `burst`.
 *
 * @example
 * ```ts
 * const bucket = new TokenBucket({ rate: 10, burst: 20 });
 * if (!bucket.take()) return gatewayError(429);
 * ```
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly settings: ThrottleSettings,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(settings.rate > 0) || !(settings.burst >= 1)) {
      throw new RangeError(
        `throttling needs rate > 0 and burst >= 1, got ${settings.rate}/${settings.burst}`,
      );
    }
    this.tokens = settings.burst;
    this.last = now();
  }

  /** Takes a token if there is one. */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(
      this.settings.burst,
      this.tokens + ((now - this.last) / 1000) * this.settings.rate,
    );
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
