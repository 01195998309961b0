import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { buildInvocationRecord } from './buildInvocationRecord';
import { DEFAULTS, RETRY_DELAYS_MS } from './constants';
import { DrainTimeoutError, InvalidInvokeConfigError, InvokerStateError } from './errors';
import { functionErrorPayload } from './functionErrorPayload';
import { resolveInvokeConfig } from './resolveInvokeConfig';
import type {
  AsyncInvokerEvents,
  AsyncInvokerMetrics,
  AsyncInvokerOptions,
  Clock,
  InvocationRecord,
  InvocationResult,
  RecordCondition,
  ResolvedInvokeConfig,
} from './types';

/** One event in the function's asynchronous queue. */
interface QueuedEvent {
  requestId: string;
  payload: unknown;
  acceptedAt: number;
  attempts: number;
  last: InvocationResult | undefined;
}

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Lambda's asynchronous invocation of one function, emulated: `invoke(payload)` queues the event and returns at
 * once (Invoke with InvocationType `Event`, answered 202); the queue runs the function up to `maxConcurrency` at a
 * time; a function error or timeout is retried `maximum_retry_attempts` times (0..2, default 2) after about one
 * minute, then two (times `timeScale`), under the same request id; an event whose next attempt would come after
 * `maximum_event_age_in_seconds` is discarded at once (as AWS does), and every discarded event is described to the
 * on-failure destination with AWS's invocation record.
 *
 * @example
 * ```ts
 * const invoker = new AsyncInvoker({
 *   functionName: 's3-import', handler, functionTimeoutSeconds: 900, timeScale: 0.01,
 *   config: { maximum_retry_attempts: 2, destination_config: { on_failure: { destination: queueUrl } } }, sqs,
 * });
 * invoker.invoke({ Records: [] });
 * await invoker.drain();
 * await invoker.stop();
 * ```
 */
export class AsyncInvoker extends EventEmitter<AsyncInvokerEvents> {
  /** The unqualified ARN of the function. */
  readonly functionArn: string;
  readonly settings: ResolvedInvokeConfig;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly maxConcurrency: number;
  private readonly timeScale: number;
  private readonly ready: QueuedEvent[] = [];
  private readonly waiting = new Map<QueuedEvent, unknown>();
  private readonly pending = new Set<Promise<void>>();
  private readonly counters: Omit<AsyncInvokerMetrics, 'queued' | 'inFlight'> = {
    accepted: 0,
    invocations: 0,
    errors: 0,
    timeouts: 0,
    retries: 0,
    succeeded: 0,
    discarded: { RetriesExhausted: 0, EventAgeExceeded: 0 },
    destinationMessages: 0,
    destinationErrors: 0,
  };
  private inFlight = 0;
  private stopped = false;

  constructor(private readonly options: AsyncInvokerOptions) {
    super();
    this.settings = resolveInvokeConfig(options.config);
    if ((this.settings.onFailureDestination || this.settings.onSuccessDestination) && !options.sqs) {
      throw new InvalidInvokeConfigError('a destination is configured but no sqs client was given');
    }
    this.timeScale = options.timeScale ?? DEFAULTS.timeScale;
    if (!(this.timeScale > 0))
      throw new InvalidInvokeConfigError(`timeScale must be > 0, got ${this.timeScale}`);
    this.maxConcurrency = options.maxConcurrency ?? DEFAULTS.maxConcurrency;
    if (!Number.isInteger(this.maxConcurrency) || this.maxConcurrency < 1) {
      throw new InvalidInvokeConfigError(
        `maxConcurrency must be an integer >= 1, got ${this.maxConcurrency}`,
      );
    }
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = (options.functionTimeoutSeconds ?? DEFAULTS.functionTimeoutSeconds) * 1000;
    const region = options.region ?? DEFAULTS.region;
    const account = options.accountId ?? DEFAULTS.accountId;
    this.functionArn = `arn:aws:lambda:${region}:${account}:function:${options.functionName}`;
  }

  /** Queues one event (InvocationType `Event`) and returns its request id; the function runs later. */
  invoke(payload: unknown): { requestId: string } {
    if (this.stopped) throw new InvokerStateError(`${this.options.functionName}: the invoker is stopped`);
    const requestId = (this.options.newRequestId ?? randomUUID)();
    this.counters.accepted++;
    this.ready.push({ requestId, payload, acceptedAt: this.clock.now(), attempts: 0, last: undefined });
    this.pump();
    return { requestId };
  }

  /**
   * Runs the function once, synchronously for the caller (InvocationType `RequestResponse`): no queue, no retry.
   * Resolves with what the function answered (its response or the runtime's error document).
   */
  async invokeSync(payload: unknown): Promise<InvocationResult & { requestId: string }> {
    if (this.stopped) throw new InvokerStateError(`${this.options.functionName}: the invoker is stopped`);
    const requestId = (this.options.newRequestId ?? randomUUID)();
    this.counters.invocations++;
    const result = await this.run(requestId, payload);
    return { ...result, requestId };
  }

  /** Counters and gauges so far. */
  metrics(): AsyncInvokerMetrics {
    return {
      ...this.counters,
      discarded: { ...this.counters.discarded },
      queued: this.ready.length + this.waiting.size,
      inFlight: this.inFlight,
    };
  }

  /** Whether nothing is queued, waiting for a retry, running or being sent to a destination. */
  get idle(): boolean {
    return this.ready.length === 0 && this.waiting.size === 0 && this.pending.size === 0;
  }

  /**
   * Resolves once the queue has stayed empty for `idleMs` (new events may arrive from a running function that
   * chains itself); rejects with {@link DrainTimeoutError} after `timeoutMs`.
   */
  async drain(options: { idleMs?: number; timeoutMs?: number } = {}): Promise<void> {
    const idleMs = options.idleMs ?? 200;
    const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
    let idleSince: number | undefined;
    for (;;) {
      if (this.idle) {
        idleSince ??= Date.now();
        if (Date.now() - idleSince >= idleMs) return;
      } else {
        idleSince = undefined;
      }
      if (Date.now() > deadline) {
        const m = this.metrics();
        throw new DrainTimeoutError(
          `${this.options.functionName}: ${m.queued} events queued and ${m.inFlight} running after ${options.timeoutMs} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Stops accepting events, cancels the waiting retries and waits for the running invocations. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const handle of this.waiting.values()) this.clock.clearTimeout(handle);
    this.waiting.clear();
    this.ready.length = 0;
    await Promise.allSettled([...this.pending]);
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => {
      this.pending.delete(work);
      this.pump();
    });
  }

  private pump(): void {
    while (!this.stopped && this.inFlight < this.maxConcurrency && this.ready.length > 0) {
      const event = this.ready.shift()!;
      // An event that waited in the queue past its maximum age is discarded without an invocation.
      if (this.clock.now() - event.acceptedAt > this.maxAgeMs()) {
        this.track(this.discard(event, 'EventAgeExceeded'));
        continue;
      }
      this.inFlight++;
      this.track(this.attempt(event).finally(() => this.inFlight--));
    }
  }

  private maxAgeMs(): number {
    return this.settings.maximumEventAgeInSeconds * 1000 * this.timeScale;
  }

  private async attempt(event: QueuedEvent): Promise<void> {
    event.attempts++;
    this.counters.invocations++;
    if (event.attempts > 1) this.counters.retries++;
    const result = await this.run(event.requestId, event.payload);
    event.last = result;
    this.emit('invocation', {
      requestId: event.requestId,
      attempt: event.attempts,
      outcome: result.outcome,
      durationMs: result.durationMs,
      payload: result.payload,
    });
    if (result.outcome === 'success') {
      this.counters.succeeded++;
      if (this.settings.onSuccessDestination) {
        await this.send(this.settings.onSuccessDestination, this.record(event, 'Success'));
      }
      return;
    }
    if (event.attempts > this.settings.maximumRetryAttempts) return this.discard(event, 'RetriesExhausted');
    const delayMs = RETRY_DELAYS_MS[event.attempts - 1]! * this.timeScale;
    // AWS gives up at once when the next attempt would come after the event's maximum age.
    if (this.clock.now() + delayMs - event.acceptedAt >= this.maxAgeMs()) {
      return this.discard(event, 'EventAgeExceeded');
    }
    const handle = this.clock.setTimeout(() => {
      if (!this.waiting.delete(event)) return;
      this.ready.push(event);
      this.pump();
    }, delayMs);
    this.waiting.set(event, handle);
  }

  private async run(requestId: string, payload: unknown): Promise<InvocationResult> {
    const started = this.clock.now();
    const deadline = Date.now() + this.timeoutMs;
    const context = this.contextFor(requestId, deadline);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = Symbol('timeout');
    try {
      // The local deadline is wall time, whatever the clock: a function's duration is real.
      const response = await Promise.race([
        Promise.resolve().then(() => this.options.handler(payload, context)),
        new Promise<typeof timedOut>((resolve) => {
          timer = setTimeout(() => resolve(timedOut), this.timeoutMs);
        }),
      ]);
      const durationMs = this.clock.now() - started;
      if (response === timedOut) {
        this.counters.errors++;
        this.counters.timeouts++;
        const payloadOut = functionErrorPayload(undefined, {
          requestId,
          timedOutAfterSeconds: this.timeoutMs / 1000,
        });
        return { outcome: 'timeout', payload: payloadOut, durationMs };
      }
      return { outcome: 'success', payload: response ?? null, durationMs };
    } catch (error) {
      this.counters.errors++;
      const errorPayload = functionErrorPayload(error, { requestId, timedOutAfterSeconds: undefined });
      return { outcome: 'error', payload: errorPayload, durationMs: this.clock.now() - started };
    } finally {
      clearTimeout(timer);
    }
  }

  private contextFor(requestId: string, deadline: number): Context {
    const name = this.options.functionName;
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.functionArn,
      memoryLimitInMB: String(this.options.memoryLimitInMB ?? DEFAULTS.memoryLimitInMB),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: `local/[$LATEST]${requestId.replaceAll('-', '')}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
  }

  private record(event: QueuedEvent, condition: RecordCondition): InvocationRecord {
    return buildInvocationRecord({
      requestId: event.requestId,
      functionArn: this.functionArn,
      condition,
      approximateInvokeCount: event.attempts,
      requestPayload: event.payload,
      last: event.last,
      timestampMs: this.clock.now(),
    });
  }

  private async discard(
    event: QueuedEvent,
    condition: 'RetriesExhausted' | 'EventAgeExceeded',
  ): Promise<void> {
    this.counters.discarded[condition]++;
    const record = this.record(event, condition);
    const destination = this.settings.onFailureDestination;
    const sent = destination ? await this.send(destination, record) : false;
    this.emit('discarded', { requestId: event.requestId, condition, record, sentToDestination: sent });
  }

  private async send(destination: string, record: InvocationRecord): Promise<boolean> {
    try {
      const queueUrl = this.options.destinationQueueUrlFor
        ? await this.options.destinationQueueUrlFor(destination)
        : destination;
      await this.options.sqs!.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(record) }),
      );
      this.counters.destinationMessages++;
      return true;
    } catch (error) {
      this.counters.destinationErrors++;
      this.emit('destinationError', { error, record });
      return false;
    }
  }
}
