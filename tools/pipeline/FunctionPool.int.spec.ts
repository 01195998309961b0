import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { createClient } from '@shardline/aws';
import type { EsmKinesisEvent } from '@shardline/esm-emulator';
import { useLocalStack, type LocalStack } from '@shardline/local-stack';
import { FunctionPool } from './FunctionPool';
import type { InvocationReport } from './invocationTrace';

describe('FunctionPool traces on the local stack', () => {
  let stack: LocalStack;
  let dir: string;
  let bucket: string;
  let queueUrl: string;
  beforeAll(async () => {
    stack = await useLocalStack(['s3', 'sqs']);
    dir = mkdtempSync(join(tmpdir(), 'function-pool-int-'));
    const extra = { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const s3 = createClient(S3Client, {
      endpoint: stack.endpoints.s3!,
      region: stack.region,
      extra: { ...extra, forcePathStyle: true },
    });
    const sqs = createClient(SQSClient, { endpoint: stack.endpoints.sqs!, region: stack.region, extra });
    bucket = `trace-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `trace-${process.pid}` }))).QueueUrl!;
    s3.destroy();
    sqs.destroy();
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records every AWS call of an invocation with its operation, bytes and status, and the log bytes', async () => {
    // Prepare
    const reports: InvocationReport[] = [];
    const pool = new FunctionPool({
      functionName: 'call-aws',
      bundle: join(__dirname, 'test-helpers', 'callAws.cjs'),
      environment: stack.env(),
      memorySize: 512,
      logFile: join(dir, 'call-aws.log'),
      cwd: dir,
      onInvocation: (r) => reports.push(r),
      durationModel: (trace) => trace.calls.length * 1000,
    });
    const event = { bucket, queueUrl, objects: 3 } as unknown as EsmKinesisEvent;
    const context = { getRemainingTimeInMillis: () => 60_000, memoryLimitInMB: '512' } as Context;

    // Act
    try {
      await pool.handler(event, context);
    } finally {
      await pool.stop();
    }

    // Assess
    expect(reports).toHaveLength(1);
    const [report] = reports as [InvocationReport];
    const { calls } = report.trace;
    const count = (service: string, operation: string) =>
      calls.filter((c) => c.service === service && c.operation === operation).length;
    expect(calls).toHaveLength(5);
    expect([count('s3', 'PutObject'), count('s3', 'GetObject'), count('sqs', 'SendMessageBatch')]).toEqual([
      3, 1, 1,
    ]);
    expect(calls.every((c) => c.status === 200)).toBe(true);
    for (const call of calls) {
      expect(call.startMs).toBeGreaterThanOrEqual(report.trace.startMs);
      expect(call.endMs).toBeGreaterThanOrEqual(call.startMs);
      expect(call.endMs).toBeLessThanOrEqual(report.trace.endMs);
      expect(call.cpuAtEndMs).toBeGreaterThanOrEqual(call.cpuAtStartMs);
    }
    expect(calls.filter((c) => c.operation === 'PutObject').every((c) => c.requestBytes >= 1000)).toBe(true);
    expect(calls.find((c) => c.operation === 'GetObject')!.responseBytes).toBe(1000);
    // The two lines the function logged: "put 3 objects\n", "got 1000 bytes\n".
    expect(report.logBytes).toBe(29);
    expect(report.durationMs).toBe(5000);
    expect(report.cpuMs).toBeGreaterThan(0);
    expect(report.maxRssMB).toBeGreaterThan(20);
  }, 120_000);
});
