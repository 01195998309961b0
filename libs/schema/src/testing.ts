// Test fixtures: the seeded event generator and the enriched-event stand-in. For specs, test helpers, benchmarks
// and tools only; production code cannot import this entry point (eslint.config.mjs).
export {
  DEFAULT_START_TIME,
  INVALID_REASON_PATHS,
  INVALID_REASONS,
  eventStream,
  generateEvents,
} from './generateEvents';
export { enrichFixture, generateEnrichedEvents } from './enrichFixture';
export type { EventStreamOptions, GenerateEventsOptions, GeneratedEvent, InvalidReason } from './types';
