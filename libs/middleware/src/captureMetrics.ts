import { contract, functionOf, isConsumer, type FunctionName } from '@shardline/contract';

/** Metric name => its dimension names, sorted (`service` included): what one consumer emits or declares. */
export type MetricDimensions = Record<string, string[]>;

interface EmfBlob {
  _aws?: { CloudWatchMetrics?: Array<{ Dimensions?: string[][]; Metrics?: Array<{ Name: string }> }> };
}

/**
 * The metrics the pipeline contract declares for a function, each with `service` and the dimensions the contract
 * lists for it: for a consumer, the common ones (emitted by the middleware and Powertools) and its own; for an
 * ingest function, its own.
 *
 * @example
 * ```ts
 * expect(await captureMetrics(() => deliver(batch))).toEqual(declaredMetrics('s3-archiver'));
 * ```
 */
export function declaredMetrics(fn: FunctionName): MetricDimensions {
  const declared: Record<string, object> = {
    ...(isConsumer(fn) ? contract.common.metrics : {}),
    ...(functionOf(fn).metrics as Record<string, object>),
  };
  return Object.fromEntries(
    Object.entries(declared).map(([name, m]) => [
      name,
      ['service', ...('dimensions' in m ? (m.dimensions as string[]) : [])].sort(),
    ]),
  );
}

/**
 * The environment under which a handler emits its metrics as in Lambda: enabled, written to stdout as EMF lines
 * (not to `console`, as `POWERTOOLS_DEV` would), and on an on-demand cold start, so that Powertools' ColdStart is
 * emitted on the first invocation. Load the handler with it before {@link captureMetrics}.
 */
export const METRICS_AS_DEPLOYED: Readonly<Record<string, string>> = Object.freeze({
  POWERTOOLS_METRICS_DISABLED: 'false',
  POWERTOOLS_DEV: 'false',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
});

/**
 * Runs `act` and collects the metrics of the EMF lines written to stdout meanwhile, as CloudWatch would read them
 * from a function's log (Powertools Metrics writes one JSON line per flush); other output passes through. The
 * handler must have been loaded under {@link METRICS_AS_DEPLOYED}.
 */
export async function captureMetrics(act: () => Promise<unknown>): Promise<MetricDimensions> {
  const emitted = new Map<string, Set<string>>();
  const write = process.stdout.write.bind(process.stdout);
  const capture = (chunk: unknown, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    const blobs = text.split('\n').flatMap((line) => {
      try {
        const blob = JSON.parse(line) as EmfBlob;
        return blob?._aws?.CloudWatchMetrics ? [blob] : [];
      } catch {
        return [];
      }
    });
    if (blobs.length === 0) return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    for (const blob of blobs) {
      for (const directive of blob._aws!.CloudWatchMetrics!) {
        for (const metric of directive.Metrics ?? []) {
          const dimensions = emitted.get(metric.Name) ?? new Set<string>();
          for (const set of directive.Dimensions ?? []) for (const d of set) dimensions.add(d);
          emitted.set(metric.Name, dimensions);
        }
      }
    }
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  try {
    await act();
  } finally {
    process.stdout.write = write;
  }
  return Object.fromEntries([...emitted].map(([name, dimensions]) => [name, [...dimensions].sort()]));
}
