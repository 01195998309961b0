import { MAX_PAYLOAD_BYTES, MAX_WINDOW_STATE_BYTES } from './constants';
import { InvalidFunctionResponseError } from './errors';
import { interpretResponse } from './interpretResponse';
import { Notifier, sleep } from './Notifier';
import type {
  Clock,
  DiscardCondition,
  EsmKinesisEvent,
  EsmKinesisRecord,
  InvocationOutcome,
  MappingMetrics,
  ResolvedSettings,
  TumblingWindowFields,
} from './types';

/** A record waiting in a lane. */
export interface LaneRecord {
  record: EsmKinesisRecord;
  arrivalMs: number;
  sizeBytes: number;
  delivered: boolean;
}

/** Result of calling the function once. */
export type InvokeResult =
  | { ok: true; response: unknown; requestId: string }
  | { ok: false; error: unknown; timedOut: boolean; requestId: string };

/** What the last failed invocation of a batch looked like, for the destination message. */
export interface LastFailure {
  requestId: string;
  functionError: boolean;
}

/** What a lane needs from its mapping. */
export interface LaneRuntime {
  settings: ResolvedSettings;
  clock: Clock;
  streamArn: string;
  retryBackoff: { initialMs: number; maxMs: number };
  metrics: MappingMetrics;
  invoke(
    event: EsmKinesisEvent,
    info: { shardId: string; lane: number; invokeCount: number; batchSize: number; isFinal: boolean },
  ): Promise<InvokeResult>;
  reportInvocation(
    info: { shardId: string; lane: number; invokeCount: number; batchSize: number; isFinal: boolean },
    result: InvokeResult,
    outcome: InvocationOutcome,
  ): void;
  discard(
    shardId: string,
    records: LaneRecord[],
    condition: DiscardCondition,
    invokeCount: number,
    lastFailure: LastFailure | undefined,
  ): Promise<void>;
}

interface PendingBatch {
  records: LaneRecord[];
  /** Retries used; bisected halves inherit it, since a split does not count against the quota. */
  retries: number;
  invokes: number;
  lastFailure: LastFailure | undefined;
}

interface OpenWindow {
  startMs: number;
  endMs: number;
  state: Record<string, unknown>;
}

/** An invalid response is reported with the reason Lambda rejects it. */
function withError(result: InvokeResult, outcome: object): InvokeResult {
  return result.ok && 'error' in outcome
    ? { ok: false, error: outcome.error, timedOut: false, requestId: result.requestId }
    : result;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * One of a shard's `parallelization_factor` lanes: it cuts batches from the records routed to it (a
 * partition key always lands in the same lane, so its order is kept), invokes the function, applies
 * the checkpoint, retry, bisect, record-age and tumbling-window rules, and blocks while a batch is
 * being retried, as a shard does on AWS.
 */
export class ShardLane {
  private readonly buffer: LaneRecord[] = [];
  private bufferedBytes = 0;
  private busy = false;
  private closing = false;
  private gatherStartedAt: number | undefined;
  private window: OpenWindow | undefined;
  private readonly arrived = new Notifier();

  constructor(
    private readonly runtime: LaneRuntime,
    readonly shardId: string,
    readonly index: number,
    private readonly signal: AbortSignal,
    private readonly onChange: () => void,
  ) {}

  /** Records waiting or being processed. */
  get pendingCount(): number {
    return this.buffer.length;
  }

  /** Nothing buffered and no batch in flight. */
  get idle(): boolean {
    return this.buffer.length === 0 && !this.busy;
  }

  /** Whether a batch is being processed (retries and backoff included). */
  get inFlight(): boolean {
    return this.busy;
  }

  /** Arrival time of the oldest record not yet checkpointed, if any. */
  oldestPendingArrivalMs: number | undefined;

  /** Adds records in sequence order. */
  push(record: LaneRecord): void {
    this.buffer.push(record);
    this.bufferedBytes += record.sizeBytes;
    this.oldestPendingArrivalMs ??= record.arrivalMs;
    this.arrived.notify();
  }

  /** The shard has ended: finish what is buffered, close the open window, then stop. */
  close(): void {
    this.closing = true;
    this.arrived.notify();
  }

  /** Runs until the mapping stops, or until the lane is closed and empty. */
  async run(): Promise<void> {
    const { settings } = this.runtime;
    const gatherMs = settings.maximumBatchingWindowInSeconds * 1000;
    while (!this.signal.aborted) {
      if (this.buffer.length === 0) {
        this.oldestPendingArrivalMs = undefined;
        if (this.window && (this.closing || this.runtime.clock.now() >= this.window.endMs)) {
          await this.finalizeWindow(false);
          continue;
        }
        if (this.closing) return;
        const untilWindowEnd = this.window
          ? this.window.endMs - this.runtime.clock.now()
          : Number.POSITIVE_INFINITY;
        await this.arrived.wait(untilWindowEnd, this.signal);
        continue;
      }
      if (gatherMs > 0 && !this.closing && !this.batchFull()) {
        this.gatherStartedAt ??= Date.now();
        const remaining = this.gatherStartedAt + gatherMs - Date.now();
        if (remaining > 0) {
          await this.arrived.wait(remaining, this.signal);
          continue;
        }
      }
      this.gatherStartedAt = undefined;
      const batch = this.cutBatch();
      this.busy = true;
      try {
        if (settings.tumblingWindowInSeconds > 0) await this.enterWindowOf(batch);
        await this.processBatch(batch);
      } finally {
        this.busy = false;
        this.oldestPendingArrivalMs = this.buffer[0]?.arrivalMs;
        this.onChange();
      }
    }
  }

  private batchFull(): boolean {
    return this.buffer.length >= this.runtime.settings.batchSize || this.bufferedBytes >= MAX_PAYLOAD_BYTES;
  }

  private windowStartOf(arrivalMs: number): number {
    const lengthMs = this.runtime.settings.tumblingWindowInSeconds * 1000;
    return Math.floor(arrivalMs / lengthMs) * lengthMs;
  }

  /** Up to batch_size records within the 6 MB payload, and within one tumbling window. */
  private cutBatch(): LaneRecord[] {
    const { batchSize, tumblingWindowInSeconds } = this.runtime.settings;
    const first = this.buffer[0];
    const windowStart =
      first && tumblingWindowInSeconds > 0 ? this.windowStartOf(first.arrivalMs) : undefined;
    let count = 0;
    let bytes = 0;
    for (const record of this.buffer) {
      if (count >= batchSize) break;
      if (count > 0 && bytes + record.sizeBytes > MAX_PAYLOAD_BYTES) break;
      if (windowStart !== undefined && this.windowStartOf(record.arrivalMs) !== windowStart) break;
      count += 1;
      bytes += record.sizeBytes;
    }
    this.bufferedBytes -= bytes;
    return this.buffer.splice(0, count);
  }

  private async enterWindowOf(batch: LaneRecord[]): Promise<void> {
    const first = batch[0];
    if (!first) return;
    const startMs = this.windowStartOf(first.arrivalMs);
    if (this.window && this.window.startMs !== startMs) await this.finalizeWindow(false);
    this.window ??= {
      startMs,
      endMs: startMs + this.runtime.settings.tumblingWindowInSeconds * 1000,
      state: {},
    };
  }

  private windowFields(isFinal: boolean, terminatedEarly: boolean): TumblingWindowFields | undefined {
    if (!this.window) return undefined;
    return {
      window: { start: isoSeconds(this.window.startMs), end: isoSeconds(this.window.endMs) },
      state: this.window.state,
      shardId: this.shardId,
      eventSourceARN: this.runtime.streamArn,
      isFinalInvokeForWindow: isFinal,
      isWindowTerminatedEarly: terminatedEarly,
    };
  }

  /**
   * The final invocation of a window carries the aggregated state and no records; Lambda suspends the
   * shard until it succeeds.
   */
  private async finalizeWindow(terminatedEarly: boolean): Promise<void> {
    const fields = this.windowFields(true, terminatedEarly);
    if (!fields) return;
    const wasBusy = this.busy;
    this.busy = true;
    try {
      let invokeCount = 0;
      while (!this.signal.aborted) {
        invokeCount += 1;
        const info = { shardId: this.shardId, lane: this.index, invokeCount, batchSize: 0, isFinal: true };
        const result = await this.runtime.invoke(
          JSON.parse(JSON.stringify({ Records: [], ...fields })),
          info,
        );
        const outcome = this.outcomeOf(result, []);
        this.runtime.reportInvocation(info, withError(result, outcome), outcome.outcome);
        if (outcome.kind !== 'failure') break;
        this.runtime.metrics.retries += 1;
        await sleep(this.backoffMs(invokeCount), this.signal);
      }
      if (terminatedEarly && this.window) this.window = { ...this.window, state: {} };
      else this.window = undefined;
    } finally {
      this.busy = wasBusy;
    }
  }

  private backoffMs(retry: number): number {
    const { initialMs, maxMs } = this.runtime.retryBackoff;
    return Math.min(maxMs, initialMs * 2 ** Math.max(0, retry - 1));
  }

  private outcomeOf(
    result: InvokeResult,
    records: LaneRecord[],
  ):
    | { kind: 'success'; outcome: InvocationOutcome; state?: Record<string, unknown> }
    | { kind: 'partial'; outcome: InvocationOutcome; retryFromIndex: number; state?: Record<string, unknown> }
    | { kind: 'failure'; outcome: InvocationOutcome; functionError: boolean; error?: unknown } {
    if (!result.ok)
      return { kind: 'failure', outcome: result.timedOut ? 'timeout' : 'error', functionError: true };
    const verdict = interpretResponse(
      result.response,
      records.map((r) => r.record.kinesis.sequenceNumber),
      {
        reportBatchItemFailures: this.runtime.settings.reportBatchItemFailures,
        tumblingWindow: this.runtime.settings.tumblingWindowInSeconds > 0,
      },
    );
    if (verdict.kind === 'invalid') {
      const error = new InvalidFunctionResponseError(verdict.reason);
      return { kind: 'failure', outcome: 'invalid-response', functionError: false, error };
    }
    if (verdict.kind === 'partial') return { ...verdict, outcome: 'partial' };
    return { ...verdict, outcome: 'success' };
  }

  private async processBatch(batch: LaneRecord[]): Promise<void> {
    const { settings, clock, metrics } = this.runtime;
    const queue: PendingBatch[] = [{ records: batch, retries: 0, invokes: 0, lastFailure: undefined }];
    while (queue.length > 0 && !this.signal.aborted) {
      const current = queue[0] as PendingBatch;

      if (settings.maximumRecordAgeInSeconds >= 0) {
        const cutoff = clock.now() - settings.maximumRecordAgeInSeconds * 1000;
        let expired = 0;
        current.records.forEach((record, i) => {
          if (record.arrivalMs < cutoff) expired = i + 1;
        });
        if (expired > 0) {
          await this.runtime.discard(
            this.shardId,
            current.records.slice(0, expired),
            'RecordAgeExceeded',
            current.invokes,
            current.lastFailure,
          );
          current.records = current.records.slice(expired);
          if (current.records.length === 0) queue.shift();
          continue;
        }
      }

      current.invokes += 1;
      for (const record of current.records) {
        if (!record.delivered) {
          record.delivered = true;
          metrics.recordsIn += 1;
        }
      }
      const info = {
        shardId: this.shardId,
        lane: this.index,
        invokeCount: current.invokes,
        batchSize: current.records.length,
        isFinal: false,
      };
      const event: EsmKinesisEvent = JSON.parse(
        JSON.stringify({ Records: current.records.map((r) => r.record), ...this.windowFields(false, false) }),
      );
      const result = await this.runtime.invoke(event, info);
      const outcome = this.outcomeOf(result, current.records);
      this.runtime.reportInvocation(info, withError(result, outcome), outcome.outcome);

      if (outcome.kind === 'success' || outcome.kind === 'partial') {
        const done = outcome.kind === 'success' ? current.records.length : outcome.retryFromIndex;
        metrics.recordsOut += done;
        if (outcome.state && this.window) {
          this.window.state = outcome.state;
          if (Buffer.byteLength(JSON.stringify(outcome.state)) > MAX_WINDOW_STATE_BYTES) {
            await this.finalizeWindow(true);
          }
        }
        if (outcome.kind === 'success') {
          queue.shift();
          continue;
        }
        current.records = current.records.slice(done);
        current.lastFailure = { requestId: result.requestId, functionError: false };
        if (done > 0) {
          // The checkpoint moved: the rest is a batch of its own, with a fresh invoke count and retry quota, as
          // recorded on AWS (src/test-helpers/awsOnFailureMessages.ts, "partial batch failure"). With bisection
          // this is the split at the reported record.
          current.invokes = 0;
          current.retries = 0;
          if (settings.bisectBatchOnFunctionError) {
            metrics.bisections += 1;
          } else {
            metrics.retries += 1;
            await sleep(this.backoffMs(1), this.signal);
          }
          continue;
        }
        await this.retryOrDiscard(queue, current);
        continue;
      }

      current.lastFailure = { requestId: result.requestId, functionError: outcome.functionError };
      if (settings.bisectBatchOnFunctionError && current.records.length > 1) {
        const middle = Math.ceil(current.records.length / 2);
        metrics.bisections += 1;
        queue.splice(
          0,
          1,
          { ...current, records: current.records.slice(0, middle), invokes: 0 },
          { ...current, records: current.records.slice(middle), invokes: 0 },
        );
        continue;
      }
      await this.retryOrDiscard(queue, current);
    }
  }

  private async retryOrDiscard(queue: PendingBatch[], current: PendingBatch): Promise<void> {
    const { maximumRetryAttempts } = this.runtime.settings;
    if (maximumRetryAttempts >= 0 && current.retries >= maximumRetryAttempts) {
      await this.runtime.discard(
        this.shardId,
        current.records,
        'RetryAttemptsExhausted',
        current.invokes,
        current.lastFailure,
      );
      queue.shift();
      return;
    }
    current.retries += 1;
    this.runtime.metrics.retries += 1;
    await sleep(this.backoffMs(current.retries), this.signal);
  }
}
