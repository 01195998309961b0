// Test helpers: what a consumer's handler emits against what the contract declares. For specs, test helpers,
// benchmarks and tools only; production code cannot import this entry point (eslint.config.mjs).
export { captureMetrics, declaredMetrics, METRICS_AS_DEPLOYED } from './captureMetrics';
export type { MetricDimensions } from './captureMetrics';
