import type { RecordOrigin } from '@shardline/records';
import type { Context } from 'aws-lambda';
import type { KinesisBatch } from './KinesisBatch';

/**
 * One quarantined record, as it lands on the quarantine queue (one SQS message each): where it came from
 * (shardId, sequenceNumber, subSequenceNumber for a KPL sub-record, partitionKey, arrival in epoch seconds,
 * eventSourceARN), why, and its original bytes.
 */
export interface QuarantineMessage extends RecordOrigin {
  /** The consumer that rejected the record, e.g. `enrichment`. */
  consumer: string;
  /** Machine-readable reason code, e.g. `JSON_INVALID`, `SCHEMA_INVALID`, `SINK_REJECTED`. */
  reason: string;
  /** Human-readable explanation. */
  message: string;
  /** The original Kinesis record data, base64, exactly as received. Absent only when `dataLocation` is set. */
  data?: string;
  /** Where the full message was stored when it was too large for the queue (`s3://bucket/key`). */
  dataLocation?: string;
  /** ISO time the record was quarantined. */
  quarantinedAt: string;
}

/** The partial batch response of a Kinesis-triggered function (ReportBatchItemFailures). */
export interface KinesisBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

/** The Lambda context as seen by a handler behind `kinesisBatch()`. */
export type KinesisBatchContext<T> = Context & { batch: KinesisBatch<T> };
