// Kinesis record decoding: base64, gzip, KPL de-aggregation, JSON with limits. Fixtures: `@shardline/records/testing`.
export { decodeBatch, decodeRecord, isRejected } from './decodeRecord';
export { aggregateRecords } from './aggregateRecords';
export { parseShardId } from './parseShardId';
export { compareSequenceNumbers } from './compareSequenceNumbers';
export { DEFAULT_DECODE_LIMITS, FORBIDDEN_KEYS } from './constants';
export { EventShapeError, RecordDecodeError } from './errors';
export type {
  AggregateEntry,
  DecodeBatchResult,
  DecodedRecord,
  DecodeLimits,
  RecordOrigin,
  RejectedRecord,
  RejectReason,
} from './types';
