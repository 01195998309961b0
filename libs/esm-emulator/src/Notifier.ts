import { setTimeout as delay } from 'node:timers/promises';

/**
 * Wakes waiters when something changes (records arrive, a lane frees room, the mapping stops),
 * so loops wait without busy polling.
 */
export class Notifier {
  private waiters = new Set<() => void>();

  /** Resolves at the next `notify()`, after `ms` (when finite), or at once when `signal` is aborted. */
  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      if (Number.isFinite(ms)) timer = setTimeout(done, Math.max(0, ms));
      signal.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }

  /** Wakes every current waiter. */
  notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Sleeps `ms`, or less when `signal` is aborted. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  // An abort ends the wait; the caller looks at the signal itself.
  await delay(ms, undefined, { signal }).catch(() => undefined);
}
