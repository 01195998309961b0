import { AsyncInvoker } from './AsyncInvoker';
import { InvalidInvokeConfigError } from './errors';
import { FakeClock, settle } from './test-helpers/FakeClock';
import { RecordingSqs } from './test-helpers/RecordingSqs';
import type { AsyncHandler, AsyncInvokerOptions, InvocationRecord } from './types';

const DLQ = 'http://sqs.local/000000000000/failures';
const MINUTE = 60_000;

function setup(handler: AsyncHandler, options: Partial<AsyncInvokerOptions> = {}) {
  const clock = new FakeClock();
  const sqs = new RecordingSqs();
  const calls: { at: number; requestId: string }[] = [];
  const invoker = new AsyncInvoker({
    functionName: 'importer',
    handler: async (event, context) => {
      calls.push({ at: clock.now(), requestId: context.awsRequestId });
      return handler(event, context);
    },
    clock,
    sqs,
    config: { destination_config: { on_failure: { destination: DLQ } } },
    newRequestId: () => 'req-1',
    ...options,
  });
  return { clock, sqs, calls, invoker };
}

const failing: AsyncHandler = async () => {
  throw new TypeError('cannot read the object');
};

describe('AsyncInvoker: retries (invocation-async: "two more times, one minute, then two")', () => {
  it('retries a failing event twice by default, after 1 then 2 minutes, under the same request id', async () => {
    // Prepare
    const { clock, calls, invoker } = setup(failing);

    // Act
    invoker.invoke({ n: 1 });
    await clock.advance(10 * MINUTE);

    // Assess
    const start = calls[0]!.at;
    expect(calls.map((c) => c.at - start)).toEqual([0, MINUTE, 3 * MINUTE]);
    expect(new Set(calls.map((c) => c.requestId))).toEqual(new Set(['req-1']));
    expect(invoker.metrics()).toMatchObject({ invocations: 3, retries: 2, errors: 3, queued: 0 });
  });

  it('succeeds on the third attempt of a function that fails twice, and sends nothing to the destination', async () => {
    // Prepare
    let attempts = 0;
    const { clock, sqs, invoker } = setup(async () => {
      if (++attempts <= 2) throw new Error(`attempt ${attempts} fails`);
      return { imported: 3 };
    });

    // Act
    invoker.invoke({ n: 1 });
    await clock.advance(10 * MINUTE);

    // Assess
    expect(invoker.metrics()).toMatchObject({
      invocations: 3,
      succeeded: 1,
      discarded: { RetriesExhausted: 0 },
    });
    expect(sqs.sent).toEqual([]);
  });

  it.each([0, 1, 2])(
    'with maximum_retry_attempts %i, invokes once plus that many retries',
    async (retries) => {
      // Prepare
      const { clock, calls, invoker } = setup(failing, {
        config: { maximum_retry_attempts: retries, destination_config: { on_failure: { destination: DLQ } } },
      });

      // Act
      invoker.invoke({});
      await clock.advance(10 * MINUTE);

      // Assess
      expect(calls).toHaveLength(1 + retries);
      expect(invoker.metrics().discarded.RetriesExhausted).toBe(1);
    },
  );

  it('scales the waits between attempts by timeScale', async () => {
    // Prepare
    const { clock, calls, invoker } = setup(failing, { timeScale: 0.01 });

    // Act
    invoker.invoke({});
    await clock.advance(10_000);

    // Assess
    const start = calls[0]!.at;
    expect(calls.map((c) => c.at - start)).toEqual([0, 600, 1800]);
  });

  it('does not retry an invocation that succeeded', async () => {
    // Prepare
    const { clock, calls, invoker } = setup(async () => 'ok');

    // Act
    invoker.invoke({});
    await clock.advance(10 * MINUTE);

    // Assess
    expect(calls).toHaveLength(1);
    expect(invoker.metrics()).toMatchObject({ succeeded: 1, errors: 0, retries: 0 });
  });
});

describe('AsyncInvoker: the on-failure destination (invocation-async-retain-records)', () => {
  it('sends the record of an event whose retries ran out: RetriesExhausted, 3 invocations, the last error', async () => {
    // Prepare
    const { clock, sqs, invoker } = setup(failing);
    const payload = { Records: [{ s3: { object: { key: 'inbox/a.ndjson' } } }] };

    // Act
    invoker.invoke(payload);
    await clock.advance(10 * MINUTE);

    // Assess
    expect(sqs.sent).toHaveLength(1);
    const { queueUrl, body } = sqs.sent[0]!;
    const record = body as InvocationRecord;
    expect(queueUrl).toBe(DLQ);
    expect(Object.keys(record)).toEqual([
      'version',
      'timestamp',
      'requestContext',
      'requestPayload',
      'responseContext',
      'responsePayload',
    ]);
    expect(record).toEqual({
      version: '1.0',
      timestamp: new Date(clock.now() - 7 * MINUTE).toISOString(),
      requestContext: {
        requestId: 'req-1',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:importer:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: payload,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: {
        errorType: 'TypeError',
        errorMessage: 'cannot read the object',
        trace: expect.arrayContaining(['TypeError: cannot read the object']),
      },
    });
  });

  it('gives up at once with EventAgeExceeded when the first retry would come after the maximum age (60 s)', async () => {
    // Prepare: AWS, recorded: maximum age 60 s, first retry due after 60 s -> 1 invocation, then the record.
    const { clock, sqs, calls, invoker } = setup(failing, {
      config: { maximum_event_age_in_seconds: 60, destination_config: { on_failure: { destination: DLQ } } },
    });

    // Act
    invoker.invoke({});
    await clock.advance(1000);

    // Assess
    expect(calls).toHaveLength(1);
    const record = sqs.sent[0]!.body as InvocationRecord;
    expect(record.requestContext).toMatchObject({ condition: 'EventAgeExceeded', approximateInvokeCount: 1 });
    expect(record.responseContext).toEqual({
      statusCode: 200,
      executedVersion: '$LATEST',
      functionError: 'Unhandled',
    });
    expect(clock.pendingTimers).toBe(0);
  });

  it('retries once and then gives up with EventAgeExceeded under a maximum age of 90 s', async () => {
    // Prepare: AWS, recorded: 90 s leaves room for the first retry (at 60 s), not the second (at 180 s).
    const { clock, sqs, calls, invoker } = setup(failing, {
      config: { maximum_event_age_in_seconds: 90, destination_config: { on_failure: { destination: DLQ } } },
    });

    // Act
    invoker.invoke({});
    await clock.advance(10 * MINUTE);

    // Assess
    expect(calls).toHaveLength(2);
    expect((sqs.sent[0]!.body as InvocationRecord).requestContext).toMatchObject({
      condition: 'EventAgeExceeded',
      approximateInvokeCount: 2,
    });
  });

  it('discards an event that waited in the queue past its maximum age without invoking it', async () => {
    // Prepare: one environment, busy with a first event for longer than the second event may wait.
    let release: () => void = () => undefined;
    let ids = 0;
    const { clock, sqs, calls, invoker } = setup(
      (event) =>
        (event as { slow?: boolean }).slow ? new Promise<string>((r) => (release = () => r('done'))) : 'ok',
      {
        maxConcurrency: 1,
        newRequestId: () => `req-${++ids}`,
        timeScale: 0.001,
        functionTimeoutSeconds: 60,
        config: {
          maximum_event_age_in_seconds: 60,
          destination_config: { on_failure: { destination: DLQ } },
        },
      },
    );

    // Act
    invoker.invoke({ slow: true });
    invoker.invoke({ second: true });
    await clock.advance(61); // 60 s x 0.001
    release();
    await settle();

    // Assess
    expect(calls.map((c) => c.requestId)).toEqual(['req-1']);
    expect(sqs.sent).toHaveLength(1);
    expect(sqs.sent[0]!.body).toEqual({
      version: '1.0',
      timestamp: new Date(clock.now()).toISOString(),
      requestContext: {
        requestId: 'req-2',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:importer:$LATEST',
        condition: 'EventAgeExceeded',
        approximateInvokeCount: 0,
      },
      requestPayload: { second: true },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
    });
  });

  it('reports a timed-out invocation as the runtime does and retries it', async () => {
    // Prepare
    const { clock, sqs, invoker } = setup(() => new Promise(() => undefined), {
      functionTimeoutSeconds: 0.05,
      config: { maximum_retry_attempts: 0, destination_config: { on_failure: { destination: DLQ } } },
    });

    // Act
    invoker.invoke({});
    await new Promise((resolve) => setTimeout(resolve, 100));
    await clock.advance(0);

    // Assess
    expect(invoker.metrics()).toMatchObject({ timeouts: 1, errors: 1 });
    expect((sqs.sent[0]!.body as InvocationRecord).responsePayload).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'RequestId: req-1 Error: Task timed out after 0.05 seconds',
    });
  });

  it('sends a Success record with the response to the on-success destination', async () => {
    // Prepare
    const { clock, sqs, invoker } = setup(async () => ({ imported: 2 }), {
      config: { destination_config: { on_success: { destination: 'http://sqs.local/000000000000/ok' } } },
    });

    // Act
    invoker.invoke({ a: 1 });
    await clock.advance(0);

    // Assess
    expect(sqs.sent).toEqual([
      {
        queueUrl: 'http://sqs.local/000000000000/ok',
        body: expect.objectContaining({
          requestContext: expect.objectContaining({ condition: 'Success', approximateInvokeCount: 1 }),
          responseContext: { statusCode: 200, executedVersion: '$LATEST' },
          responsePayload: { imported: 2 },
        }),
      },
    ]);
  });

  it('counts a record the destination refused and tells who listens', async () => {
    // Prepare
    const { clock, sqs, invoker } = setup(failing, {
      config: { maximum_retry_attempts: 0, destination_config: { on_failure: { destination: DLQ } } },
    });
    sqs.failing = true;
    const refused: unknown[] = [];
    invoker.on('destinationError', (e) => refused.push(e.error));

    // Act
    invoker.invoke({});
    await clock.advance(0);

    // Assess
    expect(invoker.metrics()).toMatchObject({ destinationErrors: 1, destinationMessages: 0 });
    expect(refused).toHaveLength(1);
  });
});

describe('AsyncInvoker: settings', () => {
  it.each([
    [{ maximum_retry_attempts: 3 }, 'maximum_retry_attempts must be an integer from 0 to 2, got 3'],
    [
      { maximum_event_age_in_seconds: 59 },
      'maximum_event_age_in_seconds must be an integer from 60 to 21600',
    ],
    [{ maximum_retry_attemps: 1 }, "unknown event invoke config setting 'maximum_retry_attemps'"],
  ])('refuses %j', (config, message) => {
    // Act
    const make = () =>
      new AsyncInvoker({
        functionName: 'f',
        handler: () => null,
        config: config as AsyncInvokerOptions['config'],
      });

    // Assess
    expect(make).toThrow(InvalidInvokeConfigError);
    expect(make).toThrow(message);
  });

  it('refuses a destination without an SQS client', () => {
    expect(
      () =>
        new AsyncInvoker({
          functionName: 'f',
          handler: () => null,
          config: { destination_config: { on_failure: { destination: DLQ } } },
        }),
    ).toThrow('a destination is configured but no sqs client was given');
  });

  it('runs at most maxConcurrency invocations at once', async () => {
    // Prepare
    let running = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const { clock, invoker } = setup(
      () =>
        new Promise<void>((resolve) => {
          peak = Math.max(peak, ++running);
          releases.push(() => {
            running--;
            resolve();
          });
        }),
      { maxConcurrency: 2, functionTimeoutSeconds: 60 },
    );

    // Act
    for (let i = 0; i < 5; i++) invoker.invoke({ i });
    await clock.advance(0);
    const first = releases.length;
    while (releases.length > 0) {
      releases.shift()!();
      await clock.advance(0);
    }

    // Assess
    expect(first).toBe(2);
    expect(peak).toBe(2);
    expect(invoker.metrics()).toMatchObject({ succeeded: 5, inFlight: 0, queued: 0 });
  });
});
