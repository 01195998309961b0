import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { DescribeStreamSummaryCommand, ListShardsCommand, type Shard } from '@aws-sdk/client-kinesis';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { buildOnFailureMessage } from './buildOnFailureMessage';
import { DEFAULTS } from './constants';
import { DrainTimeoutError, FunctionTimeoutError, InvalidSettingsError, MappingStateError } from './errors';
import { sleep } from './Notifier';
import { resolveSettings } from './resolveSettings';
import type { InvokeResult, LaneRecord, LastFailure } from './ShardLane';
import { type PollerRuntime, ShardPoller, type ShardStart } from './ShardPoller';
import type {
  DiscardCondition,
  EsmKinesisEvent,
  EventSourceMappingEvents,
  EventSourceMappingOptions,
  InvocationOutcome,
  MappingMetrics,
  ResolvedSettings,
} from './types';

interface KnownShard {
  parents: string[];
  initial: boolean;
  state: 'waiting' | 'running' | 'ended';
  poller?: ShardPoller;
}

function emptyMetrics(): MappingMetrics {
  return {
    invocations: 0,
    errors: 0,
    timeouts: 0,
    invalidResponses: 0,
    partialFailures: 0,
    throttles: 0,
    duration: { sumMs: 0, maxMs: 0, lastMs: 0 },
    iteratorAgeMs: 0,
    recordsIn: 0,
    recordsOut: 0,
    retries: 0,
    bisections: 0,
    recordsDiscarded: 0,
    recordsSentToDestination: 0,
    destinationMessages: 0,
    destinationErrors: 0,
    filtered: 0,
    batchesInFlight: 0,
    activeShards: 0,
  };
}

function parseArn(arn: string): { region: string; accountId: string; resource: string } | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return { region: parts[3] ?? '', accountId: parts[4] ?? '', resource: parts.slice(5).join(':') };
}

/**
 * Emulates Lambda's event source mapping for a Kinesis stream, in process: it polls every shard of a
 * stream (kinesalite locally), cuts batches and invokes a handler with the exact Lambda event, and
 * applies AWS's checkpoint, retry, bisect, record-age, filter, parallelization, tumbling-window and
 * on-failure-destination rules. Settings are those of Terraform's `aws_lambda_event_source_mapping`.
 *
 * @example
 * ```ts
 * const mapping = new EventSourceMapping({
 *   kinesis,
 *   streamName: 'raw',
 *   functionName: 'enrichment',
 *   handler: async (event) => ({ batchItemFailures: [] }),
 *   settings: { starting_position: 'TRIM_HORIZON', function_response_types: ['ReportBatchItemFailures'] },
 * });
 * await mapping.start();
 * await mapping.drain();
 * await mapping.stop();
 * console.log(mapping.metrics().recordsOut);
 * ```
 */
export class EventSourceMapping extends EventEmitter<EventSourceMappingEvents> {
  /** The validated settings, AWS defaults applied. */
  readonly settings: ResolvedSettings;
  private readonly options: EventSourceMappingOptions;
  private readonly counters = emptyMetrics();
  private readonly shards = new Map<string, KnownShard>();
  private readonly runs = new Set<Promise<void>>();
  private abort = new AbortController();
  private runtime: PollerRuntime | undefined;
  private phase: 'new' | 'starting' | 'running' | 'stopped' = 'new';
  /** Shard listings under way: children of an ended shard are not known until they finish. */
  private refreshing = 0;

  constructor(options: EventSourceMappingOptions) {
    super();
    this.settings = resolveSettings(options.settings);
    if (!options.streamName && !options.eventSourceArn && !options.settings.event_source_arn) {
      throw new InvalidSettingsError('give streamName, eventSourceArn or settings.event_source_arn');
    }
    if (typeof options.handler !== 'function') throw new InvalidSettingsError('handler must be a function');
    if (!options.functionName) throw new InvalidSettingsError('functionName is required');
    if (this.settings.onFailureDestinationArn !== undefined && !options.sqs) {
      throw new InvalidSettingsError(
        'destination_config needs an `sqs` client to send to the on-failure queue',
      );
    }
    const timeout = options.functionTimeoutSeconds ?? DEFAULTS.functionTimeoutSeconds;
    if (!(timeout > 0 && timeout <= 900)) {
      throw new InvalidSettingsError(`functionTimeoutSeconds must be within (0, 900], got ${timeout}`);
    }
    this.options = options;
  }

  /** Finds the stream and its shards and starts polling (unless `enabled` is false). */
  async start(): Promise<void> {
    if (this.phase !== 'new') throw new MappingStateError(`start() called on a ${this.phase} mapping`);
    this.phase = 'starting';
    const { options } = this;
    const arnOption = options.eventSourceArn ?? options.settings.event_source_arn;
    const streamName = options.streamName ?? arnOption?.split('/').pop() ?? '';
    const summary = await options.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    const streamArn = arnOption ?? summary.StreamDescriptionSummary?.StreamARN ?? '';
    const arn = parseArn(streamArn);
    const region = arn?.region || DEFAULTS.region;
    const accountId = arn?.accountId || DEFAULTS.accountId;
    this.runtime = {
      kinesis: options.kinesis,
      streamName,
      streamArn,
      region,
      invokeIdentityArn:
        options.executionRoleArn ?? `arn:aws:iam::${accountId}:role/${options.functionName}-role`,
      encrypted: summary.StreamDescriptionSummary?.EncryptionType === 'KMS',
      idlePollIntervalMs: options.idlePollIntervalMs ?? DEFAULTS.idlePollIntervalMs,
      settings: this.settings,
      clock: options.clock ?? Date,
      retryBackoff: {
        initialMs: options.retryBackoff?.initialMs ?? DEFAULTS.retryInitialBackoffMs,
        maxMs: options.retryBackoff?.maxMs ?? DEFAULTS.retryMaxBackoffMs,
      },
      metrics: this.counters,
      invoke: (event, info) =>
        this.invoke(event, info, `arn:aws:lambda:${region}:${accountId}:function:${options.functionName}`),
      reportInvocation: (info, result, outcome) => this.reportInvocation(info, result, outcome),
      discard: (shardId, records, condition, invokeCount, lastFailure) =>
        this.discard(
          shardId,
          records,
          condition,
          invokeCount,
          lastFailure,
          `arn:aws:lambda:${region}:${accountId}:function:${options.functionName}`,
        ),
      emit: (event, ...args) => {
        (this.emit as (name: string, ...payload: unknown[]) => boolean)(event, ...args);
      },
    };
    this.phase = 'running';
    if (!this.settings.enabled) return;
    await this.refreshShards(true);
    this.track(this.discoverShards());
  }

  /**
   * Resolves once every shard is caught up (a poll started after the last activity returned nothing)
   * and no batch is in flight, and this has held for `idleMs`.
   *
   * @throws DrainTimeoutError after `timeoutMs` (default 120 s), e.g. while a batch is retried forever.
   */
  async drain(options: { idleMs?: number; timeoutMs?: number } = {}): Promise<void> {
    if (this.phase !== 'running') throw new MappingStateError(`drain() called on a ${this.phase} mapping`);
    const idleMs = options.idleMs ?? DEFAULTS.drainIdleMs;
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    let quietSince = Date.now();
    for (;;) {
      if (this.phase !== 'running') return;
      const running = [...this.shards.values()].filter((s) => s.state === 'running');
      const startable = [...this.shards.values()].some((s) => s.state === 'waiting' && this.parentsEnded(s));
      if (startable || this.refreshing > 0 || running.some((s) => !s.poller?.idle)) {
        quietSince = Date.now();
      } else if (
        running.every(
          (s) => s.poller?.ended || (s.poller?.lastEmptyPollStartedAt ?? -Infinity) >= quietSince,
        ) &&
        Date.now() - quietSince >= idleMs
      ) {
        return;
      }
      if (Date.now() > deadline) {
        throw new DrainTimeoutError(
          `mapping of ${this.options.functionName} not caught up after ${options.timeoutMs ?? 120_000} ms`,
        );
      }
      await sleep(10, this.abort.signal);
    }
  }

  /** Stops polling; waits for batches in flight (each bounded by the function timeout). */
  async stop(): Promise<void> {
    if (this.phase === 'stopped') return;
    this.phase = 'stopped';
    this.abort.abort();
    await Promise.all([...this.runs]);
  }

  /** A snapshot of the mapping's counters and gauges. */
  metrics(): MappingMetrics {
    const now = (this.options.clock ?? Date).now();
    const pollers = [...this.shards.values()].flatMap((s) =>
      s.state === 'running' && s.poller ? [s.poller] : [],
    );
    return {
      ...this.counters,
      duration: { ...this.counters.duration },
      iteratorAgeMs: Math.max(0, ...pollers.map((p) => p.iteratorAgeMs(now))),
      batchesInFlight: pollers.reduce((sum, p) => sum + p.lanes.filter((lane) => lane.inFlight).length, 0),
      activeShards: pollers.length,
    };
  }

  private track(run: Promise<void>): void {
    this.runs.add(run);
    void run.finally(() => this.runs.delete(run));
  }

  private parentsEnded(shard: KnownShard): boolean {
    return shard.parents.every(
      (parent) =>
        this.shards.get(parent)?.state !== 'waiting' && this.shards.get(parent)?.state !== 'running',
    );
  }

  private async listShards(): Promise<Shard[]> {
    const runtime = this.runtime as PollerRuntime;
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      const out = await runtime.kinesis.send(
        nextToken
          ? new ListShardsCommand({ NextToken: nextToken })
          : new ListShardsCommand({ StreamName: runtime.streamName }),
      );
      shards.push(...(out.Shards ?? []));
      nextToken = out.NextToken;
    } while (nextToken);
    return shards;
  }

  private async refreshShards(initial: boolean): Promise<void> {
    this.refreshing += 1;
    let shards: Shard[];
    try {
      shards = await this.listShards();
    } finally {
      this.refreshing -= 1;
    }
    for (const shard of shards) {
      if (!shard.ShardId || this.shards.has(shard.ShardId)) continue;
      this.shards.set(shard.ShardId, {
        parents: [shard.ParentShardId, shard.AdjacentParentShardId].filter((p): p is string => Boolean(p)),
        initial,
        state: 'waiting',
      });
    }
    this.startReadyShards();
  }

  private startReadyShards(): void {
    if (this.abort.signal.aborted) return;
    const runtime = this.runtime as PollerRuntime;
    for (const [shardId, shard] of this.shards) {
      if (shard.state !== 'waiting' || !this.parentsEnded(shard)) continue;
      // Shards found at start honour starting_position; children of a reshard are read from their start.
      const start: ShardStart = shard.initial
        ? { type: this.settings.startingPosition, timestamp: this.settings.startingPositionTimestamp }
        : { type: 'TRIM_HORIZON' };
      const poller = new ShardPoller(runtime, shardId, start, this.abort.signal);
      shard.poller = poller;
      shard.state = 'running';
      this.emit('shardStarted', { shardId });
      this.track(
        poller.run().then(async () => {
          if (!poller.ended) return;
          shard.state = 'ended';
          this.emit('shardEnded', { shardId });
          await this.refreshShards(false).catch((error: unknown) =>
            this.emit('pollError', { shardId, error }),
          );
        }),
      );
    }
  }

  private async discoverShards(): Promise<void> {
    const interval = this.options.shardDiscoveryIntervalMs ?? DEFAULTS.shardDiscoveryIntervalMs;
    while (!this.abort.signal.aborted) {
      await sleep(interval, this.abort.signal);
      if (this.abort.signal.aborted) return;
      await this.refreshShards(false).catch((error: unknown) =>
        this.emit('pollError', { shardId: '*', error }),
      );
    }
  }

  private async invoke(
    event: EsmKinesisEvent,
    _info: { shardId: string },
    functionArn: string,
  ): Promise<InvokeResult> {
    const { options } = this;
    const requestId = randomUUID();
    const timeoutMs = (options.functionTimeoutSeconds ?? DEFAULTS.functionTimeoutSeconds) * 1000;
    const deadline = Date.now() + timeoutMs;
    const context: Context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: options.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: functionArn,
      memoryLimitInMB: String(options.memoryLimitInMB ?? DEFAULTS.memoryLimitInMB),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${options.functionName}`,
      logStreamName: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${requestId.replace(/-/g, '')}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    this.counters.invocations += 1;
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const run = Promise.resolve().then(() => options.handler(event, context));
    // The handler may settle after its timeout; its result is abandoned, as on Lambda.
    run.catch(() => undefined);
    try {
      const response = await Promise.race([
        run,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new FunctionTimeoutError(`Task timed out after ${timeoutMs / 1000} seconds`)),
            timeoutMs,
          );
        }),
      ]);
      // Lambda serializes the response: undefined becomes null, class instances plain JSON.
      const serialized = JSON.stringify(response ?? null);
      return { ok: true, response: JSON.parse(serialized ?? 'null'), requestId };
    } catch (error) {
      return { ok: false, error, timedOut: error instanceof FunctionTimeoutError, requestId };
    } finally {
      clearTimeout(timer);
      const durationMs = performance.now() - started;
      this.counters.duration.sumMs += durationMs;
      this.counters.duration.maxMs = Math.max(this.counters.duration.maxMs, durationMs);
      this.counters.duration.lastMs = durationMs;
    }
  }

  private reportInvocation(
    info: { shardId: string; lane: number; invokeCount: number; batchSize: number; isFinal: boolean },
    result: InvokeResult,
    outcome: InvocationOutcome,
  ): void {
    if (outcome === 'error' || outcome === 'timeout') this.counters.errors += 1;
    if (outcome === 'timeout') this.counters.timeouts += 1;
    if (outcome === 'invalid-response') this.counters.invalidResponses += 1;
    if (outcome === 'partial') this.counters.partialFailures += 1;
    this.emit('invocation', {
      shardId: info.shardId,
      lane: info.lane,
      requestId: result.requestId,
      batchSize: info.batchSize,
      durationMs: this.counters.duration.lastMs,
      outcome,
      invokeCount: info.invokeCount,
      isFinalInvokeForWindow: info.isFinal,
      ...(result.ok ? {} : { error: result.error }),
    });
    this.emit('progress', this.metrics());
  }

  private async discard(
    shardId: string,
    records: LaneRecord[],
    condition: DiscardCondition,
    invokeCount: number,
    lastFailure: LastFailure | undefined,
    functionArn: string,
  ): Promise<void> {
    const runtime = this.runtime as PollerRuntime;
    const batch = {
      requestId: lastFailure?.requestId ?? randomUUID(),
      functionArn,
      timestampMs: runtime.clock.now(),
      shardId,
      streamArn: runtime.streamArn,
      records: records.map((r) => ({
        sequenceNumber: r.record.kinesis.sequenceNumber,
        arrivalMs: r.arrivalMs,
      })),
    };
    const message = buildOnFailureMessage(
      condition === 'RetryAttemptsExhausted'
        ? {
            ...batch,
            condition,
            approximateInvokeCount: invokeCount,
            functionError: lastFailure?.functionError ?? false,
          }
        : { ...batch, condition },
    );
    this.counters.recordsDiscarded += records.length;
    let sent = false;
    const destinationArn = this.settings.onFailureDestinationArn;
    if (destinationArn !== undefined && this.options.sqs) {
      try {
        const queueUrl = await this.queueUrlFor(destinationArn);
        await this.options.sqs.send(
          new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }),
        );
        sent = true;
        this.counters.destinationMessages += 1;
        this.counters.recordsSentToDestination += records.length;
      } catch (error) {
        this.counters.destinationErrors += 1;
        this.emit('destinationError', { error, message });
      }
    }
    this.emit('discarded', {
      shardId,
      condition,
      batchSize: records.length,
      message,
      sentToDestination: sent,
    });
  }

  private async queueUrlFor(destinationArn: string): Promise<string> {
    if (this.options.destinationQueueUrlFor) return this.options.destinationQueueUrlFor(destinationArn);
    if (/^https?:\/\//.test(destinationArn)) return destinationArn;
    throw new InvalidSettingsError(
      `no queue URL for ${destinationArn}: pass destinationQueueUrlFor to map destination ARNs to queue URLs`,
    );
  }
}
