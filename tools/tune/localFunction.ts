import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Context } from 'aws-lambda';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { LocalStack } from '@shardline/local-stack';
import { startChaosProxy, type ChaosProxy } from '../pipeline/ChaosProxy';
import { FunctionPool } from '../pipeline/FunctionPool';
import { functionEnvironment } from '../pipeline/localResources';
import type { App, PipelineTopology } from '../pipeline/readDevTopology';
import type { InvocationSample, MeasuredFunction, MeasuredFunctionFactory } from './types';

/** What {@link localFunctionFactory} runs the bundles against. */
export interface LocalFunctionOptions {
  root: string;
  stack: LocalStack;
  topology: PipelineTopology;
  quarantineQueueUrl: string;
  s3: S3Client;
  logDir: string;
}

/** Names of the EMF metrics in `text` (one JSON log line each): namespace, name and dimension values. */
export function emfMetrics(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"_aws"')) continue;
    let record: {
      _aws?: {
        CloudWatchMetrics?: Array<{
          Namespace: string;
          Dimensions: string[][];
          Metrics: Array<{ Name: string }>;
        }>;
      };
    } & Record<string, unknown>;
    try {
      record = JSON.parse(line.slice(line.indexOf('{')));
    } catch {
      continue;
    }
    for (const directive of record._aws?.CloudWatchMetrics ?? []) {
      for (const dimensions of directive.Dimensions.length > 0 ? directive.Dimensions : [[]]) {
        const values = dimensions.map((d) => `${d}=${String(record[d])}`).join(',');
        for (const metric of directive.Metrics) found.push(`${directive.Namespace} ${metric.Name} ${values}`);
      }
    }
  }
  return found;
}

function readFrom(file: string, offset: number): string {
  const size = statSync(file).size;
  if (size <= offset) return '';
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

async function storedBytes(s3: S3Client, bucket: string): Promise<number> {
  let total = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) total += object.Size ?? 0;
    token = page.NextContinuationToken;
  } while (token);
  return total;
}

/**
 * Runs each consumer's real bundle (dist/apps/<app>/index.js) in a {@link FunctionPool} at the memory asked for,
 * with its Terraform environment pointed at the local stack through counting proxies: each invocation reports its
 * wall time as its duration, the AWS calls it made by operation, the log bytes and EMF metrics it wrote, and (for
 * s3-archiver) the bytes it stored.
 */
export function localFunctionFactory(options: LocalFunctionOptions): MeasuredFunctionFactory {
  mkdirSync(options.logDir, { recursive: true });
  const endpoints = options.stack.endpoints;
  return async (consumer: App, memoryMB: number): Promise<MeasuredFunction> => {
    const proxies: Record<string, ChaosProxy> = {};
    for (const service of ['dynamodb', 's3', 'opensearch', 'sqs'] as const) {
      proxies[service] = await startChaosProxy({
        service,
        target: endpoints[service]!,
        probability: 0,
        random: Math.random,
      });
    }
    // Kinesis speaks JSON with an X-Amz-Target header as DynamoDB does: the proxy counts its operations alike.
    proxies.kinesis = await startChaosProxy({
      service: 'dynamodb',
      target: endpoints.kinesis!,
      probability: 0,
      random: Math.random,
    });
    const environment = {
      ...functionEnvironment(consumer, options.topology, options.stack.env(), {
        dynamodb: proxies.dynamodb!.endpoint,
        s3: proxies.s3!.endpoint,
        sqs: proxies.sqs!.endpoint,
        opensearch: proxies.opensearch!.endpoint,
        quarantineQueueUrl: options.quarantineQueueUrl,
      }),
      AWS_ENDPOINT_URL_KINESIS: proxies.kinesis!.endpoint,
    };
    const logFile = join(options.logDir, `${consumer}-${memoryMB}.log`);
    const pool = new FunctionPool({
      functionName: consumer,
      bundle: join(options.root, 'dist', 'apps', consumer, 'index.js'),
      environment,
      memorySize: memoryMB,
      logFile,
      cwd: options.root,
    });
    const began = performance.now();
    await pool.warm();
    let initMs: number | undefined = pool.stats.initMsMax || performance.now() - began;
    const timeoutSeconds = options.topology.consumers[consumer].timeoutSeconds;
    const counts = () => {
      const all: Record<string, number> = {};
      for (const [service, proxy] of Object.entries(proxies)) {
        for (const [op, n] of Object.entries(proxy.stats.ok))
          all[`${service} ${op.replace(/^[A-Z]+ /, '')}`] = n;
      }
      return all;
    };
    const archive = consumer === 's3-archiver';
    return {
      async invoke(event: unknown): Promise<InvocationSample> {
        const before = counts();
        const logOffset = statSync(logFile).size;
        const storedBefore = archive ? await storedBytes(options.s3, options.topology.archiveBucket) : 0;
        const deadline = Date.now() + timeoutSeconds * 1000;
        const context = {
          functionName: consumer,
          awsRequestId: randomUUID(),
          memoryLimitInMB: String(memoryMB),
          getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
        } as unknown as Context;
        const start = performance.now();
        let error: string | undefined;
        try {
          await pool.handler(event as never, context);
        } catch (e) {
          error = (e as Error).message;
        }
        const wallMs = performance.now() - start;
        const after = counts();
        const calls: Record<string, number> = {};
        for (const [op, n] of Object.entries(after))
          if (n - (before[op] ?? 0) > 0) calls[op] = n - (before[op] ?? 0);
        const logs = readFrom(logFile, logOffset);
        const sample: InvocationSample = {
          ok: error === undefined,
          wallMs,
          durationMs: wallMs,
          logBytes: Buffer.byteLength(logs),
          calls,
          metrics: emfMetrics(logs),
        };
        if (error !== undefined) sample.error = error;
        if (initMs !== undefined) sample.initMs = initMs;
        initMs = undefined;
        if (archive)
          sample.storedBytes = (await storedBytes(options.s3, options.topology.archiveBucket)) - storedBefore;
        return sample;
      },
      async stop() {
        await pool.stop();
        await Promise.allSettled(Object.values(proxies).map((p) => p.stop()));
      },
    };
  };
}
