import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { outputsOf, type ConsumerName as App } from '@shardline/contract';
import type { LocalStack } from '@shardline/local-stack';
import { FunctionPool } from '../pipeline/FunctionPool';
import type { InvocationReport } from '../pipeline/invocationTrace';
import { createSampledDurationModel, type LatencyModel } from '../latency';
import { consumerEnvironment, localResources, type PipelineTopology } from '../pipeline/localTopology';
import type { InvocationSample, MeasuredFunction, MeasuredFunctionFactory } from './types';

/** What {@link localFunctionFactory} runs the bundles against. */
export interface LocalFunctionOptions {
  root: string;
  stack: LocalStack;
  topology: PipelineTopology;
  /** URL of every queue of the topology, by its local name. */
  queueUrls: Record<string, string>;
  s3: S3Client;
  logDir: string;
  /** Latency of each AWS call on AWS: durations are modelled with it (real CPU under the CPU share, modelled I/O). */
  latencyModel: LatencyModel;
  /** Seed of the latency draws, so a run can be repeated. */
  seed: number;
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

async function storedBytes(s3: S3Client, bucket: string, prefix: string): Promise<number> {
  let total = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) total += object.Size ?? 0;
    token = page.NextContinuationToken;
  } while (token);
  return total;
}

/**
 * Runs each consumer's real bundle (dist/apps/<app>/index.js) in a {@link FunctionPool} at the memory asked for
 * (so with Lambda's CPU share and memory limit where the machine allows it), with its environment as the contract
 * resolves it on the local stack. Each invocation reports the runtime's own figures: its duration as AWS would show it (the
 * latency model applied to the invocation's trace), wall and CPU time, the AWS calls it made by operation, its log
 * bytes, the EMF metrics its logs declared and (for a consumer writing under bucket prefixes: s3-archiver) the bytes
 * it stored there.
 */
export function localFunctionFactory(options: LocalFunctionOptions): MeasuredFunctionFactory {
  mkdirSync(options.logDir, { recursive: true });
  const { stack, topology } = options;
  const resources = localResources(topology, {
    region: stack.region,
    queueUrl: (name) => {
      const url = options.queueUrls[name];
      if (url === undefined) throw new Error(`no queue '${name}' was created on the local stack`);
      return url;
    },
    opensearchEndpoint: stack.endpoints.opensearch!,
  });
  return async (consumer: App, memoryMB: number): Promise<MeasuredFunction> => {
    // The stack's credentials and endpoints, then the consumer's variables as the contract resolves them locally.
    const environment = { ...stack.env(), ...consumerEnvironment(consumer, topology, resources) };
    const logFile = join(options.logDir, `${consumer}-${memoryMB}.log`);
    let last: InvocationReport | undefined;
    const pool = new FunctionPool({
      functionName: consumer,
      bundle: join(options.root, 'dist', 'apps', consumer, 'index.js'),
      environment,
      memorySize: memoryMB,
      logFile,
      cwd: options.root,
      durationModel: createSampledDurationModel(options.latencyModel, options.seed),
      onInvocation: (report) => {
        last = report;
      },
    });
    await pool.warm();
    const timeoutSeconds = options.topology.consumers[consumer].timeoutSeconds;
    // What a consumer stores under bucket prefixes of its outputs (the archive's objects, for s3-archiver).
    const stores = outputsOf(consumer).flatMap((o) =>
      o.kind === 'bucket-prefix' ? [resources['bucket-prefix'][o.name]!] : [],
    );
    const stored = async () => {
      let total = 0;
      for (const at of stores) total += await storedBytes(options.s3, at.bucket!, at.prefix!);
      return total;
    };
    return {
      async invoke(event: unknown): Promise<InvocationSample> {
        const logOffset = statSync(logFile).size;
        const storedBefore = await stored();
        const deadline = Date.now() + timeoutSeconds * 1000;
        const context = {
          functionName: consumer,
          awsRequestId: randomUUID(),
          memoryLimitInMB: String(memoryMB),
          getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
        } as unknown as Context;
        last = undefined;
        let error: string | undefined;
        try {
          await pool.handler(event as never, context);
        } catch (e) {
          error = (e as Error).message;
        }
        const report = last as InvocationReport | undefined;
        if (!report) throw new Error(`${consumer}: the runtime reported no invocation`);
        const calls: Record<string, number> = {};
        for (const call of report.trace.calls) {
          const key = `${call.service} ${call.operation}`;
          calls[key] = (calls[key] ?? 0) + 1;
        }
        const logs = readFrom(logFile, logOffset);
        const sample: InvocationSample = {
          ok: error === undefined,
          wallMs: report.wallMs,
          durationMs: report.durationMs,
          cpuMs: report.cpuMs,
          logBytes: report.logBytes,
          calls,
          metrics: emfMetrics(logs),
        };
        if (error !== undefined) sample.error = error;
        // The runtime reports the init time on each environment's first invocation (the warmed one included).
        if (report.initMs !== undefined) sample.initMs = report.initMs;
        if (stores.length > 0) sample.storedBytes = (await stored()) - storedBefore;
        return sample;
      },
      async stop() {
        await pool.stop();
      },
    };
  };
}
