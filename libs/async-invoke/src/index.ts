// Emulator of Lambda's asynchronous invocation (the push model's asynchronous half) and of S3 event notifications.
export { AsyncInvoker } from './AsyncInvoker';
export { resolveInvokeConfig } from './resolveInvokeConfig';
export { buildInvocationRecord } from './buildInvocationRecord';
export type { RecordInput } from './buildInvocationRecord';
export { functionErrorPayload } from './functionErrorPayload';
export type { FunctionErrorPayload } from './functionErrorPayload';
export {
  ASYNC_LIMITS,
  DEFAULTS,
  MAX_ASYNC_PAYLOAD_BYTES,
  MAX_SYNC_PAYLOAD_BYTES,
  RETRY_DELAYS_MS,
} from './constants';
export {
  AsyncInvokeError,
  DrainTimeoutError,
  InvalidInvokeConfigError,
  InvalidNotificationConfigError,
  InvokerStateError,
} from './errors';
export type {
  AsyncHandler,
  AsyncInvokerEvents,
  AsyncInvokerMetrics,
  AsyncInvokerOptions,
  Clock,
  DiscardReport,
  EventInvokeConfig,
  InvocationOutcome,
  InvocationRecord,
  InvocationReport,
  InvocationResult,
  RecordCondition,
  ResolvedInvokeConfig,
  SqsSender,
} from './types';
export { startInvokeApi } from './InvokeApi';
export type { InvokeApi } from './InvokeApi';
export {
  checkNotificationConfigs,
  createSequencer,
  encodeS3EventKey,
  matchesNotification,
  s3NotificationEvent,
} from './s3Notification';
export type {
  CreatedObject,
  LambdaNotificationConfig,
  ObjectCreatedEvent,
  S3EventRecord,
} from './s3Notification';
export { startS3NotificationProxy } from './S3NotificationProxy';
export type {
  NotificationTarget,
  S3NotificationProxy,
  S3NotificationProxyOptions,
} from './S3NotificationProxy';
