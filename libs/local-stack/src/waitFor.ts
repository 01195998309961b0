import { setTimeout as sleep } from 'node:timers/promises';

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** What is awaited, for the timeout's message ("DynamoDB Local", "stream shardline-dev-raw"). */
  what: string;
  timeoutMs: number;
  /** Pause between probes. Default 100 ms. */
  intervalMs?: number;
  /** Rejects to give up at once with its reason (a service process that exited, say). */
  abort?: Promise<never>;
  /**
   * What a probe that throws means: `'throw'` (the default) rejects with its error; `'retry'` counts it as not
   * ready yet, for a service whose port refuses connections until it has started.
   */
  probeErrors?: 'throw' | 'retry';
}

/**
 * Polls `probe` until it returns true; rejects when the deadline passes, when `abort` rejects, or when the probe
 * throws (unless `probeErrors` is `'retry'`).
 *
 * @example
 * ```ts
 * await waitFor(() => isHealthy(endpoint), { what: 'OpenSearch', timeoutMs: 60_000, probeErrors: 'retry' });
 * ```
 */
export async function waitFor(probe: () => Promise<boolean>, options: WaitForOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 100;
  let aborted: unknown;
  let isAborted = false;
  options.abort?.catch((error: unknown) => {
    aborted = error;
    isAborted = true;
  });
  const attempt = options.probeErrors === 'retry' ? () => probe().catch(() => false) : probe;
  for (;;) {
    if (isAborted) throw aborted;
    if (await attempt()) return;
    if (isAborted) throw aborted;
    if (Date.now() > deadline) throw new Error(`${options.what} not ready after ${options.timeoutMs} ms`);
    await sleep(interval);
  }
}
