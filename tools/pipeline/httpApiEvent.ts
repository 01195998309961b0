/**
 * API Gateway HTTP API's Lambda proxy integration, payload format 2.0, as pure functions: an HTTP request into
 * the event the function receives, and the function's result into the HTTP response the client gets.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';

/** HTTP API's request payload quota: larger requests are answered 413 before anything runs. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** Lambda's synchronous invocation request limit, on the event JSON (6 MiB; Lambda says "smaller than 6291456"). */
export const MAX_INVOKE_REQUEST_BYTES = 6 * 1024 * 1024;
/** Lambda's synchronous invocation response limit (6 MiB + 100 bytes, as Lambda enforces it). */
export const MAX_INVOKE_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;
/** HTTP API's integration timeout: 30 s at most (and by default); the client gets 503 past it. */
export const MAX_INTEGRATION_TIMEOUT_MS = 30_000;

/**
 * Content types whose body reaches the function as a UTF-8 string; every other type (a missing one included) and
 * every body with a Content-Encoding arrives base64-encoded with `isBase64Encoded: true`, as measured on HTTP APIs
 * (AWS documents the mechanism, "binary payloads are base64-encoded", not the list).
 */
const TEXT_TYPES = new Set(['application/json', 'application/xml', 'application/javascript']);

/** An HTTP response as API Gateway sends it. */
export interface GatewayResponse {
  statusCode: number;
  /** Header name -> values (several values: several header lines, as `set-cookie`). */
  headers: Record<string, string[]>;
  body: Buffer;
}

/** API Gateway's own answers, with the bodies HTTP APIs send. */
export function gatewayError(
  statusCode: 401 | 403 | 404 | 413 | 429 | 500 | 503,
  extraHeaders: Record<string, string> = {},
): GatewayResponse {
  const messages = {
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    413: 'Request Entity Too Large',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  } as const;
  return {
    statusCode,
    headers: {
      'content-type': ['application/json'],
      ...Object.fromEntries(Object.entries(extraHeaders).map(([k, v]) => [k, [v]])),
    },
    body: Buffer.from(JSON.stringify({ message: messages[statusCode] })),
  };
}

/** What the API knows of one request when it invokes the function. */
export interface HttpApiRequest {
  method: string;
  /** The request target as received: path and query string, still percent-encoded. */
  target: string;
  /** `1.1`, `2.0`. */
  httpVersion: string;
  /** Node's `rawHeaders`: name, value, name, value... */
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  requestId: string;
  receivedAt: Date;
}

/** The API the request came through. */
export interface HttpApiIdentity {
  accountId: string;
  apiId: string;
  domainName: string;
  /** The route that matched: `POST /v1/events`. */
  routeKey: string;
}

/** The JWT authorizer's output: the token's claims, and its scopes when the route requires some. */
export interface JwtContext {
  claims: Record<string, string | number | boolean | string[]>;
  scopes: string[] | null;
}

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
export function requestTime(at: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(at.getUTCDate())}/${months[at.getUTCMonth()]}/${at.getUTCFullYear()}:` +
    `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000`
  );
}

/** An id shaped like HTTP API's (`JKJaXmPLvHcESHA=`). */
export function newRequestId(): string {
  return randomBytes(10).toString('base64');
}

/** Whether API Gateway hands this body to the function base64-encoded. */
export function isBinaryBody(contentType: string | undefined, contentEncoding: string | undefined): boolean {
  if (contentEncoding !== undefined && contentEncoding.trim() !== '') return true;
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType.startsWith('text/')) return false;
  return !TEXT_TYPES.has(mediaType);
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * The payload format 2.0 event of a request: header names lower-cased and repeated values joined by commas,
 * cookies moved out of the headers into `cookies`, query parameters decoded and joined by commas, the body as
 * a string or base64 (see {@link isBinaryBody}), the JWT authorizer's claims and scopes.
 *
 * @example
 * ```ts
 * const event = toHttpApiEvent(request, { accountId, apiId, domainName, routeKey: 'POST /v1/events' }, jwt);
 * event.requestContext.authorizer.jwt.claims.sub;
 * ```
 */
export function toHttpApiEvent(
  request: HttpApiRequest,
  api: HttpApiIdentity,
  jwt: JwtContext,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!.toLowerCase();
    const value = request.rawHeaders[i + 1]!;
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter((c) => c !== ''),
      );
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  headers['x-forwarded-for'] =
    'x-forwarded-for' in headers ? `${headers['x-forwarded-for']}, ${request.sourceIp}` : request.sourceIp;
  headers['x-forwarded-proto'] ??= 'https';
  headers['x-forwarded-port'] ??= '443';
  headers['x-amzn-trace-id'] ??=
    `Root=1-${Math.floor(request.receivedAt.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

  const queryAt = request.target.indexOf('?');
  const rawPath = queryAt < 0 ? request.target : request.target.slice(0, queryAt);
  const rawQueryString = queryAt < 0 ? '' : request.target.slice(queryAt + 1);
  const query: Record<string, string> = {};
  for (const pair of rawQueryString.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
    query[key] = key in query ? `${query[key]},${value}` : value;
  }

  const binary = isBinaryBody(headers['content-type'], headers['content-encoding']);
  const hasBody = request.body.length > 0;
  return {
    version: '2.0',
    routeKey: api.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: api.accountId,
      apiId: api.apiId,
      authorizer: { principalId: '', integrationLatency: 0, jwt },
      domainName: api.domainName,
      domainPrefix: api.domainName.split('.')[0]!,
      http: {
        method: request.method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: api.routeKey,
      stage: '$default',
      time: requestTime(request.receivedAt),
      timeEpoch: request.receivedAt.getTime(),
    },
    ...(hasBody ? { body: request.body.toString(binary ? 'base64' : 'utf8') } : {}),
    isBase64Encoded: hasBody && binary,
  };
}

/** A function result API Gateway cannot turn into a response (it answers 500). */
export class InvalidLambdaResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidLambdaResponseError';
  }
}

function headerValue(name: string, value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  throw new InvalidLambdaResponseError(`header '${name}' is a ${value === null ? 'null' : typeof value}`);
}

/**
 * The HTTP response of a function result, as payload format 2.0 reads it: an object with a `statusCode` is a
 * structured response (`headers`, `cookies` as `set-cookie` lines, `body`, base64 when `isBase64Encoded`); any
 * other JSON value (a string, an object without `statusCode`) is a 200 `application/json` response whose body is
 * the value (a string as is, anything else as JSON).
 * @throws {InvalidLambdaResponseError} on a malformed structured response (API Gateway answers 500).
 */
export function fromLambdaResult(result: unknown): GatewayResponse {
  const structured =
    typeof result === 'object' && result !== null && !Array.isArray(result) && 'statusCode' in result;
  if (!structured) {
    return {
      statusCode: 200,
      headers: { 'content-type': ['application/json'] },
      body: Buffer.from(typeof result === 'string' ? result : JSON.stringify(result ?? null)),
    };
  }
  const r = result as Record<string, unknown>;
  const status = r.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new InvalidLambdaResponseError(`statusCode ${JSON.stringify(status)} is not an HTTP status`);
  }
  const headers: Record<string, string[]> = {};
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers))
      throw new InvalidLambdaResponseError('headers is not an object');
    for (const [name, value] of Object.entries(r.headers))
      headers[name.toLowerCase()] = [headerValue(name, value)];
  }
  if (r.cookies !== undefined && r.cookies !== null) {
    if (!Array.isArray(r.cookies) || r.cookies.some((c) => typeof c !== 'string'))
      throw new InvalidLambdaResponseError('cookies is not an array of strings');
    headers['set-cookie'] = [...(headers['set-cookie'] ?? []), ...(r.cookies as string[])];
  }
  let body = Buffer.alloc(0);
  if (r.body !== undefined && r.body !== null) {
    if (typeof r.body !== 'string')
      throw new InvalidLambdaResponseError(`body is a ${typeof r.body}, not a string`);
    body = Buffer.from(r.body, r.isBase64Encoded === true ? 'base64' : 'utf8');
  }
  return { statusCode: status, headers, body };
}
