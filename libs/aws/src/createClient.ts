import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Options every SDK client of the pipeline shares. */
export interface ClientOptions {
  /** Defaults to AWS_REGION, which Lambda always sets. */
  region?: string;
  /** Overrides the endpoint; without it the SDK honours AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL. */
  endpoint?: string;
  /** Attempts per call, including the first (SDK standard retry mode). */
  maxAttempts?: number;
  /** Socket timeout of one HTTP request, in milliseconds. */
  requestTimeoutMs?: number;
  /** TCP connect timeout, in milliseconds. */
  connectionTimeoutMs?: number;
  /** Extra client configuration, merged last. */
  extra?: Record<string, unknown>;
}

/** The constructor shape shared by all AWS SDK v3 clients. */
export type ClientConstructor<C> = new (config: Record<string, unknown>) => C;

/**
 * The one factory for every AWS SDK v3 client in the pipeline.
 *
 * - HTTP/1.1 with keep-alive for all services: Kinesis defaults to HTTP/2, which kinesalite cannot speak and which
 *   a polling consumer does not need; keep-alive saves a TLS handshake per call on AWS.
 * - Bounded timeouts and the standard retry mode, so a hung call cannot eat the function's time budget.
 * - Path-style S3 addressing whenever an endpoint override points at a local emulator.
 *
 * @example
 * ```ts
 * import { KinesisClient } from '@aws-sdk/client-kinesis';
 * const kinesis = createClient(KinesisClient, { maxAttempts: 3 });
 * ```
 */
export function createClient<C>(Client: ClientConstructor<C>, options: ClientOptions = {}): C {
  const keepAlive = { keepAlive: true, maxSockets: 50 };
  const config: Record<string, unknown> = {
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    maxAttempts: options.maxAttempts ?? 3,
    retryMode: 'standard',
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent(keepAlive),
      httpsAgent: new HttpsAgent(keepAlive),
      connectionTimeout: options.connectionTimeoutMs ?? 3_000,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
    }),
  };
  if (options.endpoint) config.endpoint = options.endpoint;
  if (options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL) {
    // Local S3 emulators only route path-style requests; other clients ignore the setting.
    config.forcePathStyle = true;
  }
  if (options.endpoint ?? process.env.AWS_ENDPOINT_URL_SQS ?? process.env.AWS_ENDPOINT_URL) {
    // The SQS client normally sends to the host inside each queue URL; a local emulator's queue URLs may name a
    // host that does not resolve, so send to the configured endpoint instead. Other clients ignore the setting.
    config.useQueueUrlAsEndpoint = false;
  }
  return new Client({ ...config, ...options.extra });
}
