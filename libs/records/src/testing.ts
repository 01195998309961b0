// Test fixtures: Lambda events and contexts. For specs, test helpers, benchmarks and tools only; production code
// cannot import this entry point (eslint.config.mjs).
export { makeKinesisEvent, makeKinesisRecord } from './makeKinesisRecord';
export type { KinesisEventOptions, KinesisRecordData, KinesisRecordOptions } from './makeKinesisRecord';
export { makeLambdaContext } from './makeLambdaContext';
export { captureEmf } from './captureEmf';
