import { createHash } from 'node:crypto';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import { GET_RECORDS_LIMIT, MAX_BUFFERED_RECORDS_PER_SHARD } from './constants';
import { filterSubject, toLambdaRecord } from './lambdaEvent';
import { matchesFilterCriteria } from './matchesFilterPattern';
import { Notifier, sleep } from './Notifier';
import { type LaneRuntime, ShardLane } from './ShardLane';
import type { EventSourceMappingEvents } from './types';

/** Where a shard's reading starts. */
export interface ShardStart {
  type: ShardIteratorType;
  timestamp?: Date;
}

/** What a poller needs from its mapping, on top of what its lanes need. */
export interface PollerRuntime extends LaneRuntime {
  kinesis: KinesisClient;
  streamName: string;
  region: string;
  invokeIdentityArn: string;
  encrypted: boolean;
  idlePollIntervalMs: number;
  emit<K extends keyof EventSourceMappingEvents>(event: K, ...args: EventSourceMappingEvents[K]): void;
}

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'ThrottlingException',
]);

/** The lane of a partition key: stable, so one key's records keep their order. */
export function laneOf(partitionKey: string, lanes: number): number {
  if (lanes <= 1) return 0;
  return createHash('md5').update(partitionKey).digest().readUInt32BE(0) % lanes;
}

/**
 * Polls one shard: follows shard iterators across GetRecords calls, back to back while records come
 * and about once per `idlePollIntervalMs` while idle, filters records, routes them to lanes, and ends
 * when the shard is closed and read to its end.
 */
export class ShardPoller {
  readonly lanes: ShardLane[];
  /** Start time (ms) of the last GetRecords call that returned no records. */
  lastEmptyPollStartedAt = Number.NEGATIVE_INFINITY;
  /** The shard returned no next iterator: it is closed and fully read. */
  ended = false;
  millisBehindLatest = 0;
  private iterator: string | undefined;
  private lastSequenceNumber: string | undefined;
  private readonly room = new Notifier();
  private readonly laneAbort = new AbortController();

  constructor(
    private readonly runtime: PollerRuntime,
    readonly shardId: string,
    private readonly start: ShardStart,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => this.laneAbort.abort(), { once: true });
    this.lanes = Array.from(
      { length: runtime.settings.parallelizationFactor },
      (_, i) => new ShardLane(runtime, shardId, i, this.laneAbort.signal, () => this.room.notify()),
    );
  }

  /** Lanes hold nothing and run nothing. */
  get idle(): boolean {
    return this.lanes.every((lane) => lane.idle);
  }

  /** Milliseconds this shard is behind: the age of its oldest unprocessed record, else MillisBehindLatest. */
  iteratorAgeMs(now: number): number {
    const oldest = Math.min(
      ...this.lanes.map((lane) => lane.oldestPendingArrivalMs ?? Number.POSITIVE_INFINITY),
    );
    return Number.isFinite(oldest)
      ? Math.max(0, now - oldest, this.millisBehindLatest)
      : this.millisBehindLatest;
  }

  /** Polls until the mapping stops or the shard is read to its end and its lanes are done. */
  async run(): Promise<void> {
    const laneRuns = this.lanes.map((lane) => lane.run());
    try {
      await this.poll();
    } finally {
      for (const lane of this.lanes) lane.close();
      await Promise.all(laneRuns);
    }
  }

  private pending(): number {
    return this.lanes.reduce((sum, lane) => sum + lane.pendingCount, 0);
  }

  private async poll(): Promise<void> {
    const { kinesis, idlePollIntervalMs } = this.runtime;
    while (!this.signal.aborted) {
      if (this.pending() >= MAX_BUFFERED_RECORDS_PER_SHARD) {
        await this.room.wait(idlePollIntervalMs, this.signal);
        continue;
      }
      const startedAt = Date.now();
      try {
        this.iterator ??= await this.getIterator();
        const out = await kinesis.send(
          new GetRecordsCommand({ ShardIterator: this.iterator, Limit: GET_RECORDS_LIMIT }),
        );
        const records = out.Records ?? [];
        this.millisBehindLatest = out.MillisBehindLatest ?? 0;
        for (const record of records) this.route(record);
        if (records.length === 0) this.lastEmptyPollStartedAt = startedAt;
        if (!out.NextShardIterator) {
          this.ended = true;
          return;
        }
        this.iterator = out.NextShardIterator;
        if (records.length === 0) await sleep(idlePollIntervalMs, this.signal);
      } catch (error) {
        if (this.signal.aborted) return;
        const name = (error as { name?: string }).name ?? '';
        if (name === 'ExpiredIteratorException') {
          this.iterator = undefined;
        } else if (THROTTLING.has(name)) {
          this.runtime.metrics.throttles += 1;
          await sleep(idlePollIntervalMs, this.signal);
        } else {
          this.runtime.emit('pollError', { shardId: this.shardId, error });
          await sleep(idlePollIntervalMs, this.signal);
        }
      }
    }
  }

  private async getIterator(): Promise<string> {
    const { kinesis, streamName } = this.runtime;
    const input =
      this.lastSequenceNumber !== undefined
        ? {
            ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const,
            StartingSequenceNumber: this.lastSequenceNumber,
          }
        : { ShardIteratorType: this.start.type, Timestamp: this.start.timestamp };
    const out = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: streamName, ShardId: this.shardId, ...input }),
    );
    if (!out.ShardIterator) throw new Error(`no shard iterator for ${this.shardId}`);
    return out.ShardIterator;
  }

  private route(raw: {
    PartitionKey?: string;
    SequenceNumber?: string;
    Data?: Uint8Array;
    ApproximateArrivalTimestamp?: Date;
    EncryptionType?: string;
  }): void {
    const { settings } = this.runtime;
    const sequenceNumber = raw.SequenceNumber ?? '';
    const partitionKey = raw.PartitionKey ?? '';
    const arrivalMs = raw.ApproximateArrivalTimestamp?.getTime() ?? this.runtime.clock.now();
    this.lastSequenceNumber = sequenceNumber;
    const record = toLambdaRecord(
      {
        partitionKey,
        sequenceNumber,
        data: raw.Data ?? new Uint8Array(),
        approximateArrivalTimestampMs: arrivalMs,
        encrypted: this.runtime.encrypted || raw.EncryptionType === 'KMS',
      },
      {
        shardId: this.shardId,
        region: this.runtime.region,
        streamArn: this.runtime.streamArn,
        invokeIdentityArn: this.runtime.invokeIdentityArn,
      },
    );
    if (
      settings.filterPatterns.length > 0 &&
      !matchesFilterCriteria(settings.filterPatterns, filterSubject(record))
    ) {
      this.runtime.metrics.filtered += 1;
      this.runtime.emit('filtered', { shardId: this.shardId, sequenceNumber });
      return;
    }
    const lane = this.lanes[laneOf(partitionKey, this.lanes.length)] as ShardLane;
    lane.push({
      record,
      arrivalMs,
      sizeBytes: Buffer.byteLength(JSON.stringify(record)) + 1,
      delivered: false,
    });
  }
}
