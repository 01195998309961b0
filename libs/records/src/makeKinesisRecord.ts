import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

/**
 * Payload of a fabricated record: bytes are sent as they are, a string as its UTF-8 text (or verbatim as the
 * base64 field with `rawBase64`), anything else as its JSON text.
 */
export type KinesisRecordData = Uint8Array | string | Record<string, unknown> | unknown[];

/** Metadata of a fabricated Lambda Kinesis record; every field has a deterministic default. */
export interface KinesisRecordOptions {
  /** Shard id, as `shardId-000000000006` or as the number 6. Default 0. */
  shardId?: string | number;
  /** Sequence number. Default `49590338271490256608559692538361571095921575989136588898`. */
  sequenceNumber?: string;
  /** Partition key. Default `partition-0`. */
  partitionKey?: string;
  /** Arrival time in epoch seconds (a float, as Lambda sends it). Default 2024-01-01T00:00:00Z. */
  approximateArrivalTimestamp?: number;
  /** AWS region. Default `us-east-1`. */
  region?: string;
  /** AWS account id. Default `123456789012`. */
  accountId?: string;
  /** Stream name. Default `shardline-raw`. */
  streamName?: string;
  /** Execution role ARN of the function (invokeIdentityArn). */
  invokeIdentityArn?: string;
  /** Set to `KMS` to mimic an encrypted stream. */
  encryptionType?: 'KMS';
  /** Use a string `data` verbatim as the base64 field (for malformed-input tests). */
  rawBase64?: boolean;
}

/** Options of {@link makeKinesisEvent}: record options, with per-record partition keys and sequence numbers. */
export interface KinesisEventOptions extends Omit<KinesisRecordOptions, 'partitionKey' | 'sequenceNumber'> {
  /** Partition key of every record, or a function of the record index. Default `partition-<index>`. */
  partitionKey?: string | ((index: number) => string);
  /** Sequence number of the first record; the next ones follow in increasing order. */
  firstSequenceNumber?: string;
}

const DEFAULT_SEQUENCE_NUMBER = '49590338271490256608559692538361571095921575989136588898';
const DEFAULT_ARRIVAL_SECONDS = 1704067200; // 2024-01-01T00:00:00Z

/**
 * Builds a Lambda Kinesis record in the exact shape Lambda delivers (see AWS-FACTS.md): eventID
 * `shardId-<12 digits>:<sequenceNumber>`, arrival time in epoch seconds, base64 data. Pure and deterministic.
 *
 * @example
 * ```ts
 * const record = makeKinesisRecord({ type: 'com.example.ad.click' }, { shardId: 6, partitionKey: 'user-1' });
 * // record.eventID => 'shardId-000000000006:4959…'
 * ```
 */
export function makeKinesisRecord(
  data: KinesisRecordData,
  options: KinesisRecordOptions = {},
): KinesisStreamRecord {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const sequenceNumber = options.sequenceNumber ?? DEFAULT_SEQUENCE_NUMBER;
  const kinesis: KinesisStreamRecord['kinesis'] & { encryptionType?: string } = {
    kinesisSchemaVersion: '1.0',
    partitionKey: options.partitionKey ?? 'partition-0',
    sequenceNumber,
    data: toBase64(data, options.rawBase64 === true),
    approximateArrivalTimestamp: options.approximateArrivalTimestamp ?? DEFAULT_ARRIVAL_SECONDS,
  };
  if (options.encryptionType !== undefined) kinesis.encryptionType = options.encryptionType;
  return {
    kinesis,
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${formatShardId(options.shardId ?? 0)}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: options.invokeIdentityArn ?? `arn:aws:iam::${accountId}:role/shardline-lambda`,
    awsRegion: region,
    eventSourceARN: `arn:aws:kinesis:${region}:${accountId}:stream/${options.streamName ?? 'shardline-raw'}`,
  };
}

/**
 * Builds a Lambda Kinesis event of records from one shard, in increasing sequence order, arriving one
 * millisecond apart. Pure and deterministic.
 *
 * @example
 * ```ts
 * const event = makeKinesisEvent([{ a: 1 }, { a: 2 }], { shardId: 3 });
 * // event.Records[1].kinesis.partitionKey => 'partition-1'
 * ```
 */
export function makeKinesisEvent(
  data: readonly KinesisRecordData[],
  options: KinesisEventOptions = {},
): KinesisStreamEvent {
  const first = BigInt(options.firstSequenceNumber ?? DEFAULT_SEQUENCE_NUMBER);
  const arrival = options.approximateArrivalTimestamp ?? DEFAULT_ARRIVAL_SECONDS;
  const { partitionKey, firstSequenceNumber: _first, ...recordOptions } = options;
  return {
    Records: data.map((item, index) =>
      makeKinesisRecord(item, {
        ...recordOptions,
        partitionKey:
          typeof partitionKey === 'function' ? partitionKey(index) : (partitionKey ?? `partition-${index}`),
        sequenceNumber: (first + BigInt(index)).toString(),
        approximateArrivalTimestamp: Math.round(arrival * 1000 + index) / 1000,
      }),
    ),
  };
}

/** Formats a shard id as Kinesis does: `shardId-` and 12 digits. */
function formatShardId(shardId: string | number): string {
  return typeof shardId === 'number' ? `shardId-${String(shardId).padStart(12, '0')}` : shardId;
}

function toBase64(data: KinesisRecordData, raw: boolean): string {
  if (typeof data === 'string') return raw ? data : Buffer.from(data, 'utf8').toString('base64');
  if (data instanceof Uint8Array)
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  return Buffer.from(JSON.stringify(data), 'utf8').toString('base64');
}
