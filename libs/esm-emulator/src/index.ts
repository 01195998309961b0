// Emulator of Lambda's Kinesis event source mapping.
export { EventSourceMapping } from './EventSourceMapping';
export { resolveSettings } from './resolveSettings';
export { matchesFilterCriteria, matchesFilterPattern } from './matchesFilterPattern';
export { interpretResponse } from './interpretResponse';
export type { ResponseVerdict } from './interpretResponse';
export { buildOnFailureMessage } from './buildOnFailureMessage';
export type { DiscardedBatch } from './buildOnFailureMessage';
export { toLambdaRecord } from './lambdaEvent';
export type { KinesisRecordLike, RecordOrigin } from './lambdaEvent';
export { LIMITS, MAX_PAYLOAD_BYTES, DEFAULTS } from './constants';
export {
  EsmEmulatorError,
  InvalidSettingsError,
  MappingStateError,
  DrainTimeoutError,
  FunctionTimeoutError,
  InvalidFunctionResponseError,
} from './errors';
export type {
  Clock,
  DiscardCondition,
  DiscardReport,
  EsmHandler,
  EsmKinesisEvent,
  EsmKinesisRecord,
  EventSourceMappingEvents,
  EventSourceMappingOptions,
  EventSourceMappingSettings,
  FilterPattern,
  InvocationOutcome,
  InvocationReport,
  MappingMetrics,
  OnFailureMessage,
  ResolvedSettings,
  SqsSender,
  StartingPosition,
  TumblingWindowFields,
} from './types';
