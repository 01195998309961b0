/**
 * A check of the latency model on a real invocation, not a benchmark: runs the dynamodb-aggregator's handler
 * (the real code, 16 conditional UpdateItems in flight) on batches of generated events against DynamoDB Local,
 * records every HTTP attempt it makes as an `IoCall`, and prints the measured duration beside the modeled one.
 *
 *   NODE_OPTIONS=--conditions=import node --require tsx/cjs tools/latency/checkAggregatorTrace.ts [records] [invocations]
 *
 * DynamoDB Local runs in a child process (`startStackProcess`, as for `npm start`); `--conditions=import` because
 * middy v7 publishes ESM behind an import-only exports map, and `--require tsx/cjs` because tsx's ESM hook would
 * load the contract's and ajv's JSON as modules under that condition on Node 22, as for `npm run bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { createClient } from '@shardline/aws';
import type { LocalStack } from '@shardline/local-stack';
import type { Context } from 'aws-lambda';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the check runs the aggregator's own handler on its fixtures
import type * as AggregatorHandler from '../../apps/dynamodb-aggregator/src/handler';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the check runs the aggregator's own handler on its fixtures
import {
  enrichedEvents,
  kinesisEventOf,
} from '../../apps/dynamodb-aggregator/src/test-helpers/enrichedEvents';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the check runs the aggregator's own handler on its fixtures
import {
  createAggregatesTable,
  deleteTable,
} from '../../apps/dynamodb-aggregator/src/test-helpers/localTable';
import type { InvocationTrace, IoCall } from '../pipeline/invocationTrace';
import { percentile } from '../pipeline/percentile';
import { startStackProcess } from '../pipeline/startStackProcess';
import { createSampledDurationModel, defaultLatencyModel, modelDuration } from './index';

const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

function byteLength(body: unknown): number {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return 0;
}

/**
 * Appends one `IoCall` per HTTP attempt of `client` to `calls`. Sits outermost in the deserialize step, below
 * the retry middleware, so each retry is its own call and the response is read before the call ends.
 */
function recordCalls(client: DynamoDBClient, service: string, calls: IoCall[]): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { body?: unknown };
      const startMs = performance.now();
      const cpuAtStartMs = cpuMs();
      let status = 0;
      let responseBytes = 0;
      try {
        const result = await next(args);
        const response = result.response as { statusCode: number; headers: Record<string, string> };
        status = response.statusCode;
        responseBytes = Number(response.headers['content-length'] ?? 0);
        return result;
      } catch (error) {
        const failed = error as { $metadata?: { httpStatusCode?: number } };
        status = failed.$metadata?.httpStatusCode ?? 0;
        throw error;
      } finally {
        calls.push({
          service,
          operation: String(context['commandName'] ?? 'unknown').replace(/Command$/, ''),
          startMs,
          endMs: performance.now(),
          cpuAtStartMs,
          cpuAtEndMs: cpuMs(),
          requestBytes: byteLength(request.body),
          responseBytes,
          status,
        });
      }
    },
    { step: 'deserialize', priority: 'high', name: 'recordIoCall' },
  );
}

/** Wall time covered by at least one call. */
function ioUnionMs(calls: readonly IoCall[]): number {
  let total = 0;
  let end = -Infinity;
  for (const call of [...calls].sort((a, b) => a.startMs - b.startMs)) {
    if (call.startMs >= end) {
      total += call.endMs - call.startMs;
      end = call.endMs;
    } else if (call.endMs > end) {
      total += call.endMs - end;
      end = call.endMs;
    }
  }
  return total;
}

/**
 * CPU per call of plain unconditional UpdateItems through the same client, `concurrency` in flight: the SDK's
 * own share of a call's CPU, to compare the handler's CPU per call with.
 */
async function bareUpdateItemCpuMs(
  dynamodb: DynamoDBClient,
  tableName: string,
  count: number,
  concurrency: number,
): Promise<number> {
  const cpuStart = cpuMs();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const key = next++;
      await dynamodb.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: `bare-${key}` }, windowStart: { S: '1970-01-01T00:00:00Z' } },
          UpdateExpression: 'ADD #n :one',
          ExpressionAttributeNames: { '#n': 'n' },
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (cpuMs() - cpuStart) / count;
}

/** Runs `invocations` batches of `records` events through the aggregator and returns one table row each. */
async function measure(
  stack: LocalStack,
  records: number,
  invocations: number,
): Promise<{ rows: string[][]; bareCpuPerCallMs: number }> {
  const env = stack.env();
  const dynamodb = createClient(DynamoDBClient, {
    endpoint: stack.endpoints.dynamodb,
    region: stack.region,
    extra: {
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'test',
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'test',
      },
    },
  });
  const tableName = `latency-check-${process.pid}`;
  const calls: IoCall[] = [];
  // The deployed handler, from the environment Terraform would set; generated events are valid, so the
  // quarantine queue (which this check does not start) is never called.
  Object.assign(process.env, env, {
    AGGREGATES_TABLE_NAME: tableName,
    AGGREGATE_TTL_DAYS: '30',
    QUARANTINE_QUEUE_URL: 'http://127.0.0.1:9/000000000000/unused-quarantine',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  // Imported once the environment is set: the handler checks its configuration at cold start.
  // require, not import(): under `--require tsx/cjs` only require goes through tsx's TypeScript hook.
  /* eslint-disable @nx/enforce-module-boundaries -- the check runs the aggregator's own handler on its fixtures */
  const { handler, clients } =
    require('../../apps/dynamodb-aggregator/src/handler') as typeof AggregatorHandler;
  /* eslint-enable @nx/enforce-module-boundaries */
  recordCalls(clients.dynamodb, 'dynamodb', calls);
  const context = { functionName: 'dynamodb-aggregator', getRemainingTimeInMillis: () => 60_000 } as Context;
  const sampled = createSampledDurationModel(defaultLatencyModel, 42);
  const rows: string[][] = [];
  try {
    await createAggregatesTable(dynamodb, tableName);
    for (let i = 0; i < invocations; i++) {
      const event = kinesisEventOf(enrichedEvents({ count: records, seed: 100 + i }), { shardId: 0 });
      calls.length = 0;
      const startMs = performance.now();
      const cpuStartMs = cpuMs();
      await handler(event, context);
      const trace: InvocationTrace = {
        startMs,
        endMs: performance.now(),
        cpuStartMs,
        cpuEndMs: cpuMs(),
        memoryMB: 0,
        cpuShare: availableParallelism(),
        throttled: false,
        calls: [...calls],
      };
      const latencies = calls.map((c) => c.endMs - c.startMs).sort((a, b) => a - b);
      rows.push([
        i === 0 ? `${i + 1} (cold)` : String(i + 1),
        String(event.Records.length),
        String(calls.length),
        `${percentile(latencies, 0.5).toFixed(1)} / ${percentile(latencies, 0.99).toFixed(1)}`,
        (trace.endMs - trace.startMs).toFixed(0),
        (trace.cpuEndMs - trace.cpuStartMs).toFixed(0),
        ioUnionMs(calls).toFixed(0),
        modelDuration(trace).toFixed(0),
        sampled(trace).toFixed(0),
      ]);
    }
    return { rows, bareCpuPerCallMs: await bareUpdateItemCpuMs(dynamodb, tableName, 340, 16) };
  } finally {
    await deleteTable(dynamodb, tableName);
    dynamodb.destroy();
    clients.dynamodb.destroy();
  }
}

async function main(): Promise<void> {
  // The handler's EMF lines and the SDK's Node 20 notice would bury the table.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const records = Number(process.argv[2] ?? 1000);
  const invocations = Number(process.argv[3] ?? 6);
  const stateDir = mkdtempSync(join(tmpdir(), 'latency-check-'));
  let result: { rows: string[][]; bareCpuPerCallMs: number };
  try {
    const stack = await startStackProcess({
      root: join(__dirname, '..', '..'),
      stateFile: join(stateDir, 'stack.json'),
      log: (line) => console.error(line),
      services: ['dynamodb'],
    });
    try {
      result = await measure(stack, records, invocations);
    } finally {
      await stack.stop();
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
  const { rows, bareCpuPerCallMs } = result;
  const header = [
    'invocation',
    'records',
    'calls',
    'local call p50/p99 ms',
    'wall ms',
    'cpu ms',
    'local I/O ms',
    'modeled p50 ms',
    'modeled sampled ms',
  ];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  for (const row of [header, ...rows])
    console.log(row.map((cell, c) => cell.padStart(widths[c]!)).join('  '));
  console.log(
    `\nUnthrottled (cpuShare ${availableParallelism()}, counted as one core), default latency model; ` +
      'modeled = wall outside the calls + per group max(CPU, modeled I/O).',
  );
  console.log(
    `Baseline in this process: a plain UpdateItem through the same client, 16 in flight, costs ` +
      `${bareCpuPerCallMs.toFixed(2)} ms of CPU per call.`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
