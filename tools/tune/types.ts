import type { ConsumerName as App } from '@shardline/contract';

/** What one measured invocation reports: the fields of the runtime's `InvocationReport` tune needs. */
export interface InvocationSample {
  ok: boolean;
  error?: string;
  /** Billed duration: the latency model's when the runtime has one, else the local wall time. */
  durationMs: number;
  wallMs: number;
  /** CPU time of the invocation; undefined when the runtime cannot tell. */
  cpuMs?: number;
  /** stdout + stderr the invocation wrote (CloudWatch Logs ingestion). */
  logBytes: number;
  /** Set on the invocation that cold-started its environment. */
  initMs?: number;
  /** AWS calls the invocation made, by `service Operation` (e.g. `dynamodb UpdateItem`). */
  calls: Record<string, number>;
  /** Distinct EMF metrics (namespace, name, dimension values) the invocation's logs declared. */
  metrics: string[];
  /** Bytes the invocation stored in S3 (the archive's objects), when known. */
  storedBytes?: number;
}

/** One function environment under measurement, at one memory size: a FunctionPool, seen through its reports. */
export interface MeasuredFunction {
  invoke(event: unknown): Promise<InvocationSample>;
  stop(): Promise<void>;
}

/** Starts the consumer's real bundle at `memoryMB`. */
export type MeasuredFunctionFactory = (consumer: App, memoryMB: number) => Promise<MeasuredFunction>;

/** Figures of one grid cell: a consumer at one memory size and one batch size. */
export interface CellMeasurement {
  consumer: App;
  memoryMB: number;
  batchSize: number;
  /** Batches measured (after one warm-up batch that is not counted). */
  batches: number;
  /** Mean bytes of one record on the consumer's stream. */
  recordBytes: number;
  durationMsP50: number;
  durationMsP99: number;
  /** Median CPU time per batch; undefined when the runtime does not report it. */
  cpuMsP50?: number;
  /** Init time of the environment's cold start; undefined when not reported. */
  initMs?: number;
  /** batchSize / duration (p50): what one shard sustains with parallelization factor 1. */
  recordsPerSecPerShard: number;
  logBytesPerInvocation: number;
  /** Mean AWS calls per batch, by `service Operation`. */
  callsPerBatch: Record<string, number>;
  /** Distinct EMF metrics the function declared. */
  metricCount: number;
  /** Bytes stored in S3 per batch, when known. */
  storedBytesPerBatch?: number;
  /** Invocations that failed (each is retried by the mapping on AWS, so a cell with errors is suspect). */
  errors: number;
}
