/** One AWS call an invocation made, seen at the HTTP layer inside the function environment. */
export interface IoCall {
  service: string;        // 'dynamodb' | 'kinesis' | 's3' | 'sqs' | 'opensearch' | host:port when unknown
  operation: string;      // 'UpdateItem', 'PutRecords', 'PutObject', 'SendMessageBatch', 'Bulk', ...
  startMs: number; endMs: number;          // performance.now() of the environment
  cpuAtStartMs: number; cpuAtEndMs: number; // process.cpuUsage() user+system, cumulative, ms
  requestBytes: number; responseBytes: number; status: number;
}
export interface InvocationTrace {
  startMs: number; endMs: number; cpuStartMs: number; cpuEndMs: number;
  memoryMB: number; cpuShare: number;       // the vCPUs the environment was given (cpuShareFor), or the machine's when unthrottled
  throttled: boolean;                       // false when the CPU quota could not be set
  calls: IoCall[];
}
export interface InvocationReport {
  functionName: string; memoryMB: number; ok: boolean; error?: string;
  wallMs: number;                 // measured locally, end to end
  durationMs: number;             // durationModel(trace) when a model is given, else wallMs
  cpuMs: number; maxRssMB: number; logBytes: number;   // logBytes: stdout+stderr the invocation wrote (CloudWatch Logs ingestion)
  initMs?: number;                // set on the invocation that cold-started the environment
  trace: InvocationTrace;
}
