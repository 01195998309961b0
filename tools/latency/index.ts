export { modelDuration, createSampledDurationModel } from './modelDuration';
export type { ModelDurationOptions } from './modelDuration';
export {
  defaultLatencyModel,
  loadLatencyModel,
  parseLatencyModel,
  latencyOf,
  callLatencyMs,
} from './latencyModel';
export type { CallLatency, LatencyModel, LatencySource } from './latencyModel';
export { LatencyModelError } from './errors';
