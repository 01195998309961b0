import type { EsmKinesisRecord } from './types';

/** The fields of a Kinesis record that the Lambda event carries. */
export interface KinesisRecordLike {
  partitionKey: string;
  sequenceNumber: string;
  data: Uint8Array;
  approximateArrivalTimestampMs: number;
  encrypted: boolean;
}

/** Where records come from and which function reads them. */
export interface RecordOrigin {
  shardId: string;
  region: string;
  streamArn: string;
  invokeIdentityArn: string;
}

/**
 * Builds one record of the Lambda Kinesis event, field for field as Lambda sends it:
 * `approximateArrivalTimestamp` in epoch seconds (float), `eventID` as `<shardId>:<sequenceNumber>`,
 * `encryptionType: "KMS"` only on encrypted streams.
 * Source: https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html (example event).
 *
 * @example
 * ```ts
 * toLambdaRecord(
 *   { partitionKey: 'k', sequenceNumber: '1', data: Buffer.from('{}'), approximateArrivalTimestampMs: 1545084650987, encrypted: false },
 *   { shardId: 'shardId-000000000000', region: 'us-east-1', streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s', invokeIdentityArn: 'arn:aws:iam::000000000000:role/r' },
 * ).kinesis.approximateArrivalTimestamp; // 1545084650.987
 * ```
 */
export function toLambdaRecord(record: KinesisRecordLike, origin: RecordOrigin): EsmKinesisRecord {
  const kinesis: EsmKinesisRecord['kinesis'] = {
    kinesisSchemaVersion: '1.0',
    partitionKey: record.partitionKey,
    sequenceNumber: record.sequenceNumber,
    data: Buffer.from(record.data).toString('base64'),
    approximateArrivalTimestamp: record.approximateArrivalTimestampMs / 1000,
  };
  if (record.encrypted) kinesis.encryptionType = 'KMS';
  return {
    kinesis,
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${origin.shardId}:${record.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: origin.invokeIdentityArn,
    awsRegion: origin.region,
    eventSourceARN: origin.streamArn,
  };
}

/**
 * What a filter pattern sees of a record: its metadata, and `data` decoded as JSON (left out when
 * the data is not JSON, so a pattern on `data` cannot match it).
 */
export function filterSubject(record: EsmKinesisRecord): Record<string, unknown> {
  const { data, ...metadata } = record.kinesis;
  const subject: Record<string, unknown> = { ...metadata };
  try {
    subject['data'] = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    // Not JSON: leave `data` out.
  }
  return subject;
}
