import { LOCAL_REGION, SERVICE_NAMES } from './constants';
import { LocalStackError } from './errors';
import { localStackEnv } from './localStackEnv';
import { startDynamoDb } from './services/startDynamoDb';
import { startFauxqs } from './services/startFauxqs';
import { startKinesis } from './services/startKinesis';
import { startOpenSearch } from './services/startOpenSearch';
import type { LocalStack, LogLine, RunningService, ServiceName, StartLocalStackOptions } from './types';

/**
 * Starts the requested local services on ephemeral loopback ports and resolves once every one answers.
 * Services start concurrently; if one fails, the others are stopped and the first error is thrown.
 * S3 and SQS share one fauxqs server.
 *
 * @example
 * const stack = await startLocalStack({ services: ['kinesis', 's3'] });
 * try {
 *   Object.assign(process.env, stack.env());
 * } finally {
 *   await stack.stop();
 * }
 */
export async function startLocalStack(options: StartLocalStackOptions): Promise<LocalStack> {
  const requested = new Set(options.services);
  for (const service of requested) {
    if (!SERVICE_NAMES.includes(service)) {
      throw new LocalStackError(`unknown service "${String(service)}"; known: ${SERVICE_NAMES.join(', ')}`);
    }
  }
  const log = options.log;
  const starts: { services: ServiceName[]; start: () => Promise<RunningService> }[] = [];
  if (requested.has('opensearch'))
    starts.push({ services: ['opensearch'], start: () => startOpenSearch(log) });
  if (requested.has('dynamodb')) starts.push({ services: ['dynamodb'], start: () => startDynamoDb(log) });
  if (requested.has('kinesis')) starts.push({ services: ['kinesis'], start: () => startKinesis() });
  const fauxqsServices = (['s3', 'sqs'] as const).filter((service) => requested.has(service));
  if (fauxqsServices.length > 0)
    starts.push({ services: [...fauxqsServices], start: () => startFauxqs(log) });

  const results = await Promise.allSettled(starts.map((entry) => timed(entry.services, entry.start, log)));
  const running = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.allSettled(running.map((service) => service.stop()));
    throw failure.reason;
  }

  const endpoints: Partial<Record<ServiceName, string>> = {};
  starts.forEach((entry, index) => {
    for (const service of entry.services) endpoints[service] = running[index]?.endpoint;
  });
  let stopping: Promise<void> | undefined;
  return {
    endpoints,
    region: LOCAL_REGION,
    env: () => localStackEnv(endpoints, LOCAL_REGION),
    stop() {
      stopping ??= Promise.allSettled(running.map((service) => service.stop())).then((outcomes) => {
        const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
        if (rejected)
          throw new LocalStackError('a service failed to stop cleanly', { cause: rejected.reason });
      });
      return stopping;
    },
  };
}

async function timed(
  services: ServiceName[],
  start: () => Promise<RunningService>,
  log?: LogLine,
): Promise<RunningService> {
  const began = performance.now();
  const service = await start();
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  log?.(`[${services.join('+')}] ready at ${service.endpoint} in ${seconds} s`);
  return service;
}
