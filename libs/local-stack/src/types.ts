/** A service the local stack can run. */
export type ServiceName = 'kinesis' | 'dynamodb' | 's3' | 'sqs' | 'opensearch';

/** Receives one line of diagnostic output, prefixed with the service it came from. */
export type LogLine = (line: string) => void;

/** A running (or shared) set of local services. */
export interface LocalStack {
  /** Base URL of each running service, e.g. `http://127.0.0.1:40123`. */
  readonly endpoints: Partial<Record<ServiceName, string>>;
  /** Region the services answer for (`us-east-1`). */
  readonly region: string;
  /**
   * Environment variables that point the AWS SDK v3 and the handlers at this stack: AWS_REGION,
   * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, per running service, AWS_ENDPOINT_URL_KINESIS,
   * AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_SQS, OPENSEARCH_ENDPOINT.
   */
  env(): Record<string, string>;
  /** Stops what this handle started and waits until every child process has exited. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startLocalStack}. */
export interface StartLocalStackOptions {
  /** Services to run; duplicates are ignored. */
  services: ServiceName[];
  /** Receives the services' own output and progress lines; silent when absent. */
  log?: LogLine;
}

/** What the serve tool writes to its state file and {@link useLocalStack} reads back. */
export interface LocalStackState {
  endpoints: Partial<Record<ServiceName, string>>;
  region: string;
  env: Record<string, string>;
}

/** One started service, as the stack orchestrator sees it. */
export interface RunningService {
  /** Base URL of the service. */
  readonly endpoint: string;
  /** Stops the service; resolves when it is gone. */
  stop(): Promise<void>;
}
