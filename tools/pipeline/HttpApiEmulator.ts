import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import {
  fromLambdaResult,
  gatewayError,
  MAX_INTEGRATION_TIMEOUT_MS,
  MAX_INVOKE_REQUEST_BYTES,
  MAX_INVOKE_RESPONSE_BYTES,
  MAX_REQUEST_BYTES,
  newRequestId,
  toHttpApiEvent,
  type GatewayResponse,
} from './httpApiEvent';
import { verifyJwt, type JwtAuthorizerConfig } from './jwtAuthorizer';
import { ACCOUNT_THROTTLE, TokenBucket, type ThrottleSettings } from './TokenBucket';

/** Invokes the integration's function synchronously (`FunctionPool.invoke`). */
export type InvokeFunction = (event: unknown, context: Context) => Promise<unknown>;

/** Options of {@link startHttpApi}. */
export interface HttpApiOptions {
  /** The one route, `<METHOD> <path>` (`POST /v1/events`); anything else is 404 as on an HTTP API. */
  routeKey: string;
  functionName: string;
  invoke: InvokeFunction;
  functionTimeoutSeconds: number;
  memorySize: number;
  /** The route's JWT authorizer; without one the route is open (`authorization_type = NONE`). */
  authorizer?: JwtAuthorizerConfig;
  /** The route's throttling; the account default without it. */
  throttle?: ThrottleSettings;
  /** The throttling's clock in milliseconds (default `performance.now`): tests hold it still. */
  throttleClock?: () => number;
  /** Integration timeout, 50 ms to 30 s (default 30 s). */
  integrationTimeoutMs?: number;
  accountId: string;
  region: string;
  apiId?: string;
  /** Port on 127.0.0.1; 0 (default) for an ephemeral one. */
  port?: number;
  /** One record per request, as API Gateway's access log would hold it. */
  onAccess?: (entry: AccessLogEntry) => void;
}

/** What the emulator logs of a request (the fields of an HTTP API JSON access log). */
export interface AccessLogEntry {
  requestId: string;
  routeKey: string;
  status: number;
  /** Why API Gateway answered itself (throttled, unauthorized, too large, timed out...), when it did. */
  gatewayError?: string;
  integrationError?: string;
  requestBytes: number;
  responseBytes: number;
  latencyMs: number;
  integrationLatencyMs?: number;
}

/** Counts by outcome. */
export interface HttpApiStats {
  requests: number;
  throttled: number;
  unauthorized: number;
  tooLarge: number;
  integrationTimeouts: number;
  integrationErrors: number;
  byStatus: Record<number, number>;
}

/** A running emulated HTTP API. */
export interface HttpApi {
  /** `http://127.0.0.1:<port>` */
  url: string;
  stats: HttpApiStats;
  stop(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

function send(response: ServerResponse, answer: GatewayResponse, requestId: string): number {
  response.statusCode = answer.statusCode;
  for (const [name, values] of Object.entries(answer.headers))
    response.setHeader(name, values.length === 1 ? values[0]! : values);
  response.setHeader('apigw-requestid', requestId);
  response.setHeader('content-length', answer.body.length);
  response.end(answer.body);
  return answer.body.length;
}

/**
 * An API Gateway HTTP API on 127.0.0.1 in front of one function, as AWS runs one: route match (404), route
 * throttling (429), the 10 MB request quota (413), the JWT authorizer (401/403), Lambda's 6 MB synchronous
 * request limit on the event (413), the integration timeout (503), a function error, an invalid result or one
 * over Lambda's 6 MB response limit (500), and payload format 2.0 both ways (`httpApiEvent.ts`).
 *
 * @example
 * ```ts
 * const api = await startHttpApi({ routeKey: 'POST /v1/events', functionName, invoke: pool.invoke, ... });
 * await fetch(`${api.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
 * ```
 */
export async function startHttpApi(options: HttpApiOptions): Promise<HttpApi> {
  const [routeMethod, routePath] = options.routeKey.split(' ');
  if (!routeMethod || !routePath)
    throw new RangeError(`routeKey must be '<METHOD> <path>', got '${options.routeKey}'`);
  const integrationTimeoutMs = options.integrationTimeoutMs ?? MAX_INTEGRATION_TIMEOUT_MS;
  if (!(integrationTimeoutMs >= 50 && integrationTimeoutMs <= MAX_INTEGRATION_TIMEOUT_MS))
    throw new RangeError(`the integration timeout must be 50 ms to 30 s, got ${integrationTimeoutMs} ms`);
  const bucket = new TokenBucket(options.throttle ?? ACCOUNT_THROTTLE, options.throttleClock);
  const apiId = options.apiId ?? 'local';
  const domainName = `${apiId}.execute-api.${options.region}.amazonaws.com`;
  const stats: HttpApiStats = {
    requests: 0,
    throttled: 0,
    unauthorized: 0,
    tooLarge: 0,
    integrationTimeouts: 0,
    integrationErrors: 0,
    byStatus: {},
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const receivedAt = new Date();
    const started = performance.now();
    const requestId = newRequestId();
    stats.requests++;
    let requestBytes = 0;
    let integrationLatencyMs: number | undefined = undefined;
    const finish = (answer: GatewayResponse, why?: { gatewayError?: string; integrationError?: string }) => {
      stats.byStatus[answer.statusCode] = (stats.byStatus[answer.statusCode] ?? 0) + 1;
      const responseBytes = send(response, answer, requestId);
      options.onAccess?.({
        requestId,
        routeKey: options.routeKey,
        status: answer.statusCode,
        ...why,
        requestBytes,
        responseBytes,
        latencyMs: Math.round(performance.now() - started),
        ...(integrationLatencyMs === undefined ? {} : { integrationLatencyMs }),
      });
    };
    const target = request.url ?? '/';
    const path = target.split('?')[0];
    if (request.method !== routeMethod || path !== routePath) {
      request.resume();
      return finish(gatewayError(404), { gatewayError: `no route ${request.method} ${path}` });
    }
    if (!bucket.take()) {
      stats.throttled++;
      request.resume();
      return finish(gatewayError(429), { gatewayError: 'route throttled' });
    }
    let body: Buffer;
    try {
      body = await readBody(request, MAX_REQUEST_BYTES);
      requestBytes = body.length;
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      stats.tooLarge++;
      return finish(gatewayError(413), { gatewayError: `request body over ${MAX_REQUEST_BYTES} bytes` });
    }
    let jwt = { claims: {}, scopes: null } as Parameters<typeof toHttpApiEvent>[2];
    if (options.authorizer) {
      const verdict = await verifyJwt(request.headers.authorization, options.authorizer);
      if (!verdict.ok) {
        stats.unauthorized++;
        const header = `Bearer scope="${(options.authorizer.scopes ?? []).join(' ')}" error="${
          verdict.statusCode === 403 ? 'insufficient_scope' : 'invalid_token'
        }" error_description="${verdict.reason}"`;
        return finish(gatewayError(verdict.statusCode, { 'www-authenticate': header }), {
          gatewayError: verdict.reason,
        });
      }
      jwt = verdict.jwt;
    }
    const event = toHttpApiEvent(
      {
        method: request.method,
        target,
        httpVersion: request.httpVersion,
        rawHeaders: request.rawHeaders,
        body,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        requestId,
        receivedAt,
      },
      { accountId: options.accountId, apiId, domainName, routeKey: options.routeKey },
      jwt,
    );
    const eventBytes = Buffer.byteLength(JSON.stringify(event));
    if (eventBytes > MAX_INVOKE_REQUEST_BYTES) {
      stats.tooLarge++;
      return finish(gatewayError(413), {
        integrationError: `event of ${eventBytes} bytes over Lambda's ${MAX_INVOKE_REQUEST_BYTES}-byte invoke request limit`,
      });
    }
    const invokeStarted = performance.now();
    const deadline = Date.now() + options.functionTimeoutSeconds * 1000;
    const context = {
      functionName: options.functionName,
      awsRequestId: requestId,
      memoryLimitInMB: String(options.memorySize),
      // Whole milliseconds, as Lambda's (AbortSignal.timeout and setTimeout refuse fractions).
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    } as Context;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), integrationTimeoutMs);
    });
    // The function keeps running past the integration timeout, as on AWS: only the client stops waiting.
    const invocation = options.invoke(event, context).then(
      (result) => ({ ok: true as const, result }),
      (error: unknown) => ({
        ok: false as const,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    const outcome = await Promise.race([invocation, timedOut]);
    clearTimeout(timer);
    integrationLatencyMs = Math.round(performance.now() - invokeStarted);
    if (outcome === 'timeout') {
      stats.integrationTimeouts++;
      return finish(gatewayError(503), { integrationError: `no answer within ${integrationTimeoutMs} ms` });
    }
    if (!outcome.ok) {
      stats.integrationErrors++;
      return finish(gatewayError(500), { integrationError: outcome.error });
    }
    const resultBytes = Buffer.byteLength(JSON.stringify(outcome.result ?? null));
    if (resultBytes > MAX_INVOKE_RESPONSE_BYTES) {
      stats.integrationErrors++;
      return finish(gatewayError(500), {
        integrationError: `response of ${resultBytes} bytes over Lambda's ${MAX_INVOKE_RESPONSE_BYTES}-byte limit`,
      });
    }
    try {
      return finish(fromLambdaResult(outcome.result));
    } catch (error) {
      stats.integrationErrors++;
      return finish(gatewayError(500), { integrationError: (error as Error).message });
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, gatewayError(500), 'error');
      options.onAccess?.({
        requestId: 'error',
        routeKey: options.routeKey,
        status: 500,
        gatewayError: String(error),
        requestBytes: 0,
        responseBytes: 0,
        latencyMs: 0,
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
