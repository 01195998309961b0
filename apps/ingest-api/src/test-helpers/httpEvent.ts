import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** Options of {@link httpEvent}. */
export interface HttpEventOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** Gzip the body and send it base64-encoded with `content-encoding: gzip`, as API Gateway passes it. */
  gzip?: boolean;
  /** Send the body base64-encoded (API Gateway does so for binary bodies). */
  base64?: boolean;
  /** JWT claims the authorizer passes. */
  claims?: Record<string, string>;
}

/**
 * An API Gateway HTTP API event (payload format 2.0) for `POST /v1/events`, as API Gateway builds it: lower-case
 * header names, a base64 body for compressed or binary content.
 */
export function httpEvent(body: string | Buffer, options: HttpEventOptions = {}): APIGatewayProxyEventV2 {
  const method = options.method ?? 'POST';
  const path = options.path ?? '/v1/events';
  const headers: Record<string, string> = {
    'content-type': 'application/cloudevents+json',
    ...options.headers,
  };
  let bytes = typeof body === 'string' ? Buffer.from(body) : body;
  if (options.gzip) {
    bytes = gzipSync(bytes);
    headers['content-encoding'] = 'gzip';
  }
  const base64 = options.gzip || options.base64 || typeof body !== 'string';
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      requestId: `req-${Math.random().toString(16).slice(2)}`,
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims, scopes: [] } } } : {}),
    },
    body: base64 ? bytes.toString('base64') : bytes.toString('utf8'),
    isBase64Encoded: base64,
  } as APIGatewayProxyEventV2;
}

/** The answer body of a request, parsed. */
export function bodyOf<T = Record<string, unknown>>(response: { body?: string }): T {
  return JSON.parse(response.body ?? 'null') as T;
}
