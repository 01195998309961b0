// Shardline's Nx generators.
export { consumerGenerator, CONSUMER_NAME_PATTERN, STREAM_EVENTS } from './generators/consumer/consumer';
export type { ConsumerGeneratorOptions } from './generators/consumer/consumer';
