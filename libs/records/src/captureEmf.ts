/**
 * Runs `act` with Powertools metrics enabled (`POWERTOOLS_METRICS_DISABLED=false`, read when a `Metrics` is
 * constructed, so construct it inside `act`) and returns the EMF objects it printed to stdout, which is silenced
 * meanwhile. For tests of what a handler reports as metrics.
 *
 * @example
 * ```ts
 * const emf = await captureEmf(async () => { await handler(event, makeLambdaContext()); });
 * emf.filter((line) => 'RecordsOut' in line);
 * ```
 */
export async function captureEmf(act: () => Promise<void>): Promise<Array<Record<string, unknown>>> {
  const disabled = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  try {
    await act();
  } finally {
    process.stdout.write = write;
    if (disabled === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = disabled;
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
