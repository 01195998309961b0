import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  AsyncInvoker,
  startInvokeApi,
  type AsyncHandler,
  type EventInvokeConfig,
  type InvocationRecord,
  type InvokeApi,
} from '@shardline/async-invoke';
import { createClient } from '@shardline/aws';
import type { EsmKinesisEvent } from '@shardline/esm-emulator';
import { useLocalStack, type LocalStack } from '@shardline/local-stack';
import { FunctionPool } from './FunctionPool';

// Lambda's asynchronous invocation of real bundles in the local runtime (one child process per environment),
// with the on-failure queue on fauxqs. Retry waits are AWS's 1 and 2 minutes times 0.001.
const TIME_SCALE = 0.001;

describe('asynchronous invocation of bundles in the local runtime', () => {
  let stack: LocalStack;
  let sqs: SQSClient;
  let dir: string;
  const running: Array<{ stop(): Promise<void> }> = [];

  beforeAll(async () => {
    stack = await useLocalStack(['sqs']);
    sqs = createClient(SQSClient, {
      endpoint: stack.endpoints.sqs!,
      region: stack.region,
      extra: { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    });
    dir = mkdtempSync(join(tmpdir(), 'async-invocation-'));
  }, 120_000);
  afterEach(async () => {
    for (const r of running.splice(0).reverse()) await r.stop();
  });
  afterAll(async () => {
    sqs?.destroy();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(
    fixture: string,
    config: EventInvokeConfig,
    extra: { timeoutSeconds?: number; environment?: Record<string, string> } = {},
  ): Promise<{ invoker: AsyncInvoker; pool: FunctionPool }> {
    const functionName = `${fixture}-${process.pid}`;
    const pool = new FunctionPool({
      functionName,
      bundle: join(__dirname, 'test-helpers', `${fixture}.cjs`),
      environment: { ...stack.env(), ...extra.environment },
      memorySize: 1024,
      logFile: join(dir, `${fixture}.log`),
      cwd: join(__dirname, '..', '..'),
    });
    const handler: AsyncHandler = (event, context) => pool.handler(event as EsmKinesisEvent, context);
    const invoker = new AsyncInvoker({
      functionName,
      handler,
      config,
      sqs,
      functionTimeoutSeconds: extra.timeoutSeconds ?? 10,
      memoryLimitInMB: 1024,
      timeScale: TIME_SCALE,
      region: stack.region,
    });
    running.push(pool, invoker);
    // Cold starts happen before the first event, as in npm start: the function timeout is the handler's time.
    await pool.warm();
    return { invoker, pool };
  }

  async function failureQueue(suffix: string): Promise<string> {
    const name = `async-${process.pid}-${suffix}`;
    return (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  }

  async function receiveOne(queueUrl: string): Promise<InvocationRecord[]> {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    return (Messages ?? []).map((m) => JSON.parse(m.Body!) as InvocationRecord);
  }

  it('retries a bundle that fails twice and succeeds on the third attempt, under one request id', async () => {
    // Prepare
    const failures = await failureQueue('twice');
    const { invoker } = await start('failTwice', {
      destination_config: { on_failure: { destination: failures } },
    });
    const attempts: Array<{ attempt: number; outcome: string; requestId: string }> = [];
    invoker.on('invocation', (r) => attempts.push(r));

    // Act
    const { requestId } = invoker.invoke({ dir });
    await invoker.drain({ idleMs: 300, timeoutMs: 60_000 });

    // Assess
    expect(attempts).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'error', requestId }),
      expect.objectContaining({ attempt: 2, outcome: 'error', requestId }),
      expect.objectContaining({ attempt: 3, outcome: 'success', requestId }),
    ]);
    expect(readFileSync(join(dir, `attempts-${requestId}`), 'utf8')).toBe('3');
    expect(invoker.metrics()).toMatchObject({
      succeeded: 1,
      discarded: { RetriesExhausted: 0, EventAgeExceeded: 0 },
    });
    expect(await receiveOne(failures)).toEqual([]);
  }, 90_000);

  it('sends a bundle that always fails to the on-failure queue with the invocation record', async () => {
    // Prepare
    const failures = await failureQueue('always');
    const { invoker } = await start('alwaysFail', {
      destination_config: { on_failure: { destination: failures } },
    });
    const payload = { Records: [{ s3: { bucket: { name: 'inbox' }, object: { key: 'inbox/bad.ndjson' } } }] };

    // Act
    const { requestId } = invoker.invoke(payload);
    await invoker.drain({ idleMs: 300, timeoutMs: 60_000 });
    const records = await receiveOne(failures);

    // Assess
    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(record).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      requestContext: {
        requestId,
        functionArn: `arn:aws:lambda:${stack.region}:000000000000:function:alwaysFail-${process.pid}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: payload,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: expect.objectContaining({
        errorType: 'TypeError',
        errorMessage: 'the object cannot be read',
      }),
    });
  }, 90_000);

  it('lets a bundle chain itself through the Invoke API until its work is done, each item once', async () => {
    // Prepare: 3 s of function time, 100 ms per item, hands on with 1.5 s left: several links for 40 items.
    const failures = await failureQueue('chain');
    const functions: Record<string, AsyncInvoker> = {};
    const api: InvokeApi = await startInvokeApi({ functions });
    running.push(api);
    const { invoker } = await start(
      'chainItself',
      { destination_config: { on_failure: { destination: failures } } },
      { timeoutSeconds: 3, environment: { AWS_ENDPOINT_URL_LAMBDA: api.endpoint } },
    );
    functions[`chainItself-${process.pid}`] = invoker;
    const items = Array.from({ length: 40 }, (_, i) => i);

    // Act
    invoker.invoke({ items, itemMs: 100, reserveMs: 1500, link: 1, dir });
    await invoker.drain({ idleMs: 1000, timeoutMs: 60_000 });

    // Assess
    const done = readFileSync(join(dir, 'done'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' ').map(Number));
    expect(done.map(([item]) => item)).toEqual(items);
    const links = new Set(done.map(([, link]) => link));
    expect(links.size).toBeGreaterThanOrEqual(3);
    expect(invoker.metrics()).toMatchObject({
      accepted: links.size,
      succeeded: links.size,
      errors: 0,
      discarded: { RetriesExhausted: 0, EventAgeExceeded: 0 },
    });
    expect(api.requests).toEqual({ 'Event 202': links.size - 1 });
  }, 90_000);
});
