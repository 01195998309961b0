export { createClient } from './createClient';
export type { ClientOptions, ClientConstructor } from './createClient';
export { loadConfig, str, optionalStr, int, url, oneOf } from './loadConfig';
export type { ConfigVar, ConfigOf } from './loadConfig';
export { AwsHelperError, ConfigError } from './errors';
export type { ConfigProblem } from './errors';
export { putRecords, chunkEntries, PUT_RECORDS_MAX_BYTES, PUT_RECORDS_MAX_ENTRIES } from './putRecords';
export type { PutEntry, FailedPut, PutRecordsOptions } from './putRecords';
