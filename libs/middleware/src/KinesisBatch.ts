import {
  compareSequenceNumbers,
  type DecodedRecord,
  type RecordOrigin,
  type RejectedRecord,
} from '@shardline/records';
import type { QuarantineMessage } from './types';

/** Reason code for a record that decoded and validated but that a sink refuses for good (e.g. a mapping error). */
export const SINK_REJECTED = 'SINK_REJECTED';

/** Something that can record a sink call's latency, such as Powertools Metrics. */
export interface LatencyRecorder {
  (sink: string, milliseconds: number): void;
}

/**
 * The decoded, validated records of one Kinesis invocation, and the ledger of what happened to each.
 *
 * The handler reads `records` (only good ones), reports transient failures with `fail()`, permanent rejections
 * with `reject()`, and may mark progress with `complete()` so that a timeout loses only the unfinished tail.
 * The `kinesisBatch` middleware turns the ledger into quarantine messages and `batchItemFailures`.
 *
 * @example
 * ```ts
 * for (const chunk of chunks(batch.records, 500)) {
 *   if (batch.signal.aborted) break;                   // the timeout guard fired: stop starting work
 *   const failed = await putRecords(chunk);
 *   batch.fail(failed, 'ProvisionedThroughputExceeded');
 *   batch.complete(chunk);
 * }
 * ```
 */
export class KinesisBatch<T> {
  /** Records that decoded and passed the schema, in sequence order. */
  readonly records: ReadonlyArray<DecodedRecord<T>>;
  /** Aborted when the timeout guard fires; pass it to SDK calls and stop starting new work. */
  signal: AbortSignal;

  readonly #consumer: string;
  readonly #failed = new Map<string, string>();
  readonly #poison: QuarantineMessage[] = [];
  readonly #poisonSeq = new Set<string>();
  readonly #completed = new Set<DecodedRecord<T>>();
  readonly #deadline: number;
  readonly #latency: LatencyRecorder | undefined;
  readonly #originalData: (sequenceNumber: string) => string | undefined;

  constructor(options: {
    consumer: string;
    records: ReadonlyArray<DecodedRecord<T>>;
    rejected: ReadonlyArray<RejectedRecord>;
    /** Epoch ms after which the handler should stop starting work. */
    deadline?: number;
    signal?: AbortSignal;
    latency?: LatencyRecorder;
    /** The original base64 data of the Kinesis record with this sequence number, for quarantine messages. */
    originalData?: (sequenceNumber: string) => string | undefined;
  }) {
    this.#consumer = options.consumer;
    this.records = options.records;
    this.#deadline = options.deadline ?? Number.POSITIVE_INFINITY;
    this.signal = options.signal ?? new AbortController().signal;
    this.#latency = options.latency;
    this.#originalData = options.originalData ?? (() => undefined);
    for (const r of options.rejected) this.#quarantine(r, r.reason, r.message, r.data);
  }

  /** Milliseconds left before the handler should stop starting new work. */
  timeLeftMs(): number {
    return this.#deadline - Date.now();
  }

  /** Reports records whose sink call failed transiently; the event source mapping retries them. */
  fail(records: DecodedRecord<T> | Iterable<DecodedRecord<T>>, cause: string): void {
    for (const r of iterate(records)) {
      if (!this.#failed.has(r.sequenceNumber)) this.#failed.set(r.sequenceNumber, cause);
    }
  }

  /** Quarantines a record that a sink refuses for good; it is never retried. */
  reject(record: DecodedRecord<T>, message: string, reason: string = SINK_REJECTED): void {
    const data =
      this.#originalData(record.sequenceNumber) ?? Buffer.from(record.text, 'utf8').toString('base64');
    this.#quarantine(record, reason, message, data);
    this.#completed.add(record);
  }

  /** Marks records as durably written, so that a timeout does not report them. */
  complete(records: DecodedRecord<T> | Iterable<DecodedRecord<T>>): void {
    for (const r of iterate(records)) this.#completed.add(r);
  }

  /** Times one sink call and records its latency. */
  async timeSink<R>(sink: string, call: () => Promise<R>): Promise<R> {
    const started = performance.now();
    try {
      return await call();
    } finally {
      this.#latency?.(sink, performance.now() - started);
    }
  }

  /** Quarantine messages produced so far (decode, schema and sink rejections). */
  get quarantined(): readonly QuarantineMessage[] {
    return this.#poison;
  }

  /** Sequence numbers reported as transient failures so far, with their causes. */
  get failures(): ReadonlyMap<string, string> {
    return this.#failed;
  }

  /**
   * The partial batch response.
   * @param options.timedOut every record not completed counts as failed (the handler was cut short).
   * @param options.quarantineFailed quarantine delivery failed: poison records are retried rather than lost.
   */
  itemFailures(options: { timedOut?: boolean; quarantineFailed?: boolean } = {}): string[] {
    const failed = new Set(this.#failed.keys());
    if (options.quarantineFailed) for (const seq of this.#poisonSeq) failed.add(seq);
    if (options.timedOut) {
      for (const r of this.records) if (!this.#completed.has(r)) failed.add(r.sequenceNumber);
    }
    return [...failed].sort(compareSequenceNumbers);
  }

  #quarantine(origin: RecordOrigin, reason: string, message: string, data: string): void {
    const entry: QuarantineMessage = {
      consumer: this.#consumer,
      reason,
      message,
      shardId: origin.shardId,
      sequenceNumber: origin.sequenceNumber,
      partitionKey: origin.partitionKey,
      approximateArrivalTimestamp: origin.approximateArrivalTimestamp,
      eventSourceARN: origin.eventSourceARN,
      data,
      quarantinedAt: new Date().toISOString(),
    };
    if (origin.subSequenceNumber !== undefined) entry.subSequenceNumber = origin.subSequenceNumber;
    this.#poison.push(entry);
    this.#poisonSeq.add(origin.sequenceNumber);
  }
}

function iterate<R>(value: R | Iterable<R>): Iterable<R> {
  return value !== null && typeof value === 'object' && Symbol.iterator in value
    ? (value as Iterable<R>)
    : [value as R];
}
