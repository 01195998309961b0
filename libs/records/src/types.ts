/**
 * Why a record could not be decoded. `SCHEMA_INVALID` is added by the schema layer, hence the open `string`
 * in {@link RejectedRecord.reason}.
 */
export type RejectReason =
  | 'DATA_NOT_BASE64'
  | 'EMPTY_RECORD'
  | 'RECORD_TOO_LARGE'
  | 'GZIP_INVALID'
  | 'GZIP_TOO_LARGE'
  | 'KPL_INVALID'
  | 'KPL_CHECKSUM_MISMATCH'
  | 'UTF8_INVALID'
  | 'JSON_INVALID'
  | 'JSON_TOO_DEEP'
  | 'JSON_FORBIDDEN_KEY'
  | 'JSON_NOT_OBJECT';

/** Where a record came from: used by logs, the quarantine message and sink keys. */
export interface RecordOrigin {
  /** Parsed from the Lambda eventID, e.g. `shardId-000000000006`. */
  shardId: string;
  /** Kinesis sequence number of the (outer) Kinesis record. */
  sequenceNumber: string;
  /** Position of the sub-record inside a KPL aggregated record; `undefined` for plain records. */
  subSequenceNumber?: number;
  /** Partition key; for KPL sub-records, the sub-record's own key from the partition key table. */
  partitionKey: string;
  /** Epoch seconds as a float (millisecond precision), as Lambda sends it. */
  approximateArrivalTimestamp: number;
  /** ARN of the stream the record was read from. */
  eventSourceARN: string;
}

/** A record decoded into a JSON object. */
export interface DecodedRecord<T = Record<string, unknown>> extends RecordOrigin {
  /** The parsed JSON object. */
  payload: T;
  /** The decoded UTF-8 JSON text, so a consumer can forward an unchanged payload without serialising it again. */
  text: string;
  /** Decoded byte length of {@link DecodedRecord.text} (after gzip inflation). */
  size: number;
}

/** A record that could not be decoded: a poison record, never worth retrying. */
export interface RejectedRecord extends RecordOrigin {
  /** Machine-readable reason code. */
  reason: RejectReason | string;
  /** Human-readable and specific, e.g. `gzip output exceeds 262144 bytes`. */
  message: string;
  /** The original base64 data of the Kinesis record, untouched (the whole aggregated record for KPL). */
  data: string;
}

/** Result of decodeBatch: decoded and rejected records, each in event order. */
export interface DecodeBatchResult {
  /** Records decoded into JSON objects (KPL sub-records each count as one). */
  records: DecodedRecord[];
  /** Poison records with their reason codes. */
  rejected: RejectedRecord[];
}

/** Bounds that hold against hostile input. */
export interface DecodeLimits {
  /** Largest decoded JSON document, in bytes (after gzip inflation). 256 KiB by default. */
  maxRecordBytes: number;
  /** Deepest nesting of objects and arrays; the top-level object is depth 1. */
  maxDepth: number;
  /** Largest gzip output, in bytes; defaults to `maxRecordBytes`. Inflation stops at this bound. */
  maxInflateBytes?: number;
  /**
   * Largest Kinesis record data, in bytes, before gzip inflation or KPL de-aggregation.
   * Defaults to 1 MiB, the Kinesis record limit.
   */
  maxDataBytes?: number;
  /**
   * Total gzip output allowed for all sub-records of one KPL aggregated record, in bytes, so that a 1 MiB
   * record full of small gzip bombs cannot cost gigabytes of inflation. Defaults to 16 MiB.
   */
  maxInflateBytesPerRecord?: number;
}

/** One user record to put into a KPL aggregated record. */
export interface AggregateEntry {
  /** Partition key of the user record. */
  partitionKey: string;
  /** Payload bytes of the user record. */
  data: Uint8Array;
  /** Optional explicit hash key (decimal string). */
  explicitHashKey?: string;
}
