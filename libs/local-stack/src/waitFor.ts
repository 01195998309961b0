/** Polls `probe` until it returns true, the deadline passes, or `abort` rejects. */
export async function waitFor(
  probe: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; abort?: Promise<never>; what: string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 100;
  let aborted: unknown;
  let isAborted = false;
  options.abort?.catch((error: unknown) => {
    aborted = error;
    isAborted = true;
  });
  for (;;) {
    if (isAborted) throw aborted;
    if (await probe().catch(() => false)) return;
    if (isAborted) throw aborted;
    if (Date.now() > deadline) throw new Error(`${options.what} not ready after ${options.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
