import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { FunctionPool } from './FunctionPool';
import { startHttpApi, type AccessLogEntry, type HttpApi } from './HttpApiEmulator';
import { createDevIssuer, type DevIssuer } from './jwtAuthorizer';

// The emulator in front of a real bundle in the local Lambda runtime (FunctionPool's child processes).
const ROOT = resolve(__dirname, '..', '..');

describe('HTTP API emulator in front of a function', () => {
  let pool: FunctionPool;
  let api: HttpApi;
  let issuer: DevIssuer;
  let token: string;
  /** Set: the throttling clock stands still at it (the throttle test). */
  let clockHeldAt: number | undefined;
  const access: AccessLogEntry[] = [];
  beforeAll(async () => {
    issuer = await createDevIssuer();
    token = await issuer.issue({ sub: 'tester' });
    pool = new FunctionPool({
      functionName: 'http-echo',
      bundle: join(__dirname, 'test-helpers', 'httpEcho.cjs'),
      environment: {},
      memorySize: 512,
      logFile: join(mkdtempSync(join(tmpdir(), 'http-api-')), 'http-echo.log'),
      cwd: ROOT,
      warn: () => undefined,
    });
    await pool.warm();
    api = await startHttpApi({
      routeKey: 'POST /v1/events',
      functionName: 'http-echo',
      invoke: (event, context) => pool.invoke(event, context),
      functionTimeoutSeconds: 29,
      memorySize: 512,
      authorizer: { issuer: issuer.issuer, audience: [issuer.audience], jwks: issuer.jwks },
      throttle: { rate: 1, burst: 40 },
      throttleClock: () => clockHeldAt ?? performance.now(),
      integrationTimeoutMs: 1_000,
      accountId: '000000000000',
      region: 'us-east-1',
      onAccess: (entry) => access.push(entry),
    });
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    await pool?.stop();
  });

  const post = (query: string, init: { headers?: Record<string, string>; body?: Buffer | string } = {}) =>
    fetch(`${api.url}/v1/events${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
      body:
        typeof init.body === 'string' || init.body === undefined
          ? (init.body ?? '{"id":"1"}')
          : new Uint8Array(init.body),
    });

  it('invokes the function with a payload format 2.0 event and answers with its result', async () => {
    // Act
    const response = await post('?mode=echo&x=1', {
      headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', cookie: 'a=1; b=2' },
      body: gzipSync('{"id":"1"}\n{"id":"2"}\n'),
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('x-echo')).toBe('yes');
    // The function's context counts whole milliseconds down from its timeout, as Lambda's does.
    const remaining = Number(response.headers.get('x-remaining-ms'));
    expect(Number.isInteger(remaining)).toBe(true);
    expect(remaining).toBeGreaterThan(20_000);
    expect(remaining).toBeLessThanOrEqual(29_000);
    expect(response.headers.get('set-cookie')).toBe('session=1; HttpOnly');
    expect(response.headers.get('apigw-requestid')).toBeTruthy();
    const event = (await response.json()) as {
      headers: Record<string, string>;
      body: string;
      requestContext: { requestId: string };
    };
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/events',
      rawPath: '/v1/events',
      rawQueryString: 'mode=echo&x=1',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { mode: 'echo', x: '1' },
      isBase64Encoded: true,
      requestContext: {
        stage: '$default',
        http: { method: 'POST', path: '/v1/events', sourceIp: '127.0.0.1' },
        authorizer: { jwt: { claims: { sub: 'tester', iss: issuer.issuer }, scopes: null } },
      },
    });
    expect(event.headers['content-encoding']).toBe('gzip');
    expect(event.requestContext.requestId).toBe(response.headers.get('apigw-requestid'));
    expect(gunzipSync(Buffer.from(event.body, 'base64')).toString()).toBe('{"id":"1"}\n{"id":"2"}\n');
  });

  it('answers a string result as a 200 JSON body and decodes a base64 result', async () => {
    // Act
    const text = await post('?mode=string');
    const binary = await post('?mode=binary');

    // Assess
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toBe('application/json');
    expect(await text.text()).toBe('plain text');
    expect([...new Uint8Array(await binary.arrayBuffer())]).toEqual([0, 255, 1]);
  });

  it.each([
    ['no token', { authorization: '' }],
    ['a bad token', { authorization: 'Bearer abc.def.ghi' }],
  ])('refuses %s with 401 before the function runs', async (_, headers) => {
    // Prepare
    const before = access.length;

    // Act
    const response = await post('?mode=echo', { headers });

    // Assess
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(access.slice(before)).toEqual([expect.objectContaining({ status: 401 })]);
    expect(access.at(-1)!.integrationLatencyMs).toBeUndefined();
  });

  it('refuses an expired token with 401', async () => {
    // Prepare
    const expired = await issuer.issue({ claims: { exp: Math.floor(Date.now() / 1000) - 1 } });

    // Act
    const response = await post('?mode=echo', { headers: { authorization: `Bearer ${expired}` } });

    // Assess
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('the token has expired');
  });

  it('answers 404 for another route', async () => {
    // Act
    const response = await fetch(`${api.url}/v1/other`, { method: 'POST', body: '{}' });

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });

  it('answers 413 over 10 MB, and over Lambda 6 MB of event once base64-encoded', async () => {
    // Act
    const overApi = await post('?mode=echo', { body: Buffer.alloc(10 * 1024 * 1024 + 1, 97) });
    // 4.8 MB of binary is 6.4 MB in base64: under the API's quota, over Lambda's.
    const overLambda = await post('?mode=echo', {
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(4_800_000, 97),
    });

    // Assess
    expect(overApi.status).toBe(413);
    expect(await overApi.json()).toEqual({ message: 'Request Entity Too Large' });
    expect(overLambda.status).toBe(413);
    expect(access.at(-1)!.integrationError).toContain("over Lambda's 6291456-byte invoke request limit");
  });

  it('answers 500 for a function error, a malformed result and a result over 6 MB', async () => {
    // Act
    const statuses = [];
    for (const mode of ['throw', 'malformed', 'huge']) {
      const response = await post(`?mode=${mode}`);
      statuses.push([response.status, await response.json()]);
    }

    // Assess
    expect(statuses).toEqual([
      [500, { message: 'Internal Server Error' }],
      [500, { message: 'Internal Server Error' }],
      [500, { message: 'Internal Server Error' }],
    ]);
  });

  it('answers 503 when the function outlasts the integration timeout', async () => {
    // Act
    const response = await post('?mode=sleep&ms=3000');

    // Assess
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: 'Service Unavailable' });
    expect(api.stats.integrationTimeouts).toBe(1);
  });

  it('throttles beyond the burst with 429', async () => {
    // Prepare: the bucket's clock held still, so no token comes back however slowly the machine answers.
    clockHeldAt = performance.now();
    // Act: 40 tokens at most, refilled at 1/s; earlier tests took some.
    const statuses = await Promise.all(
      Array.from({ length: 45 }, () => post('?mode=string').then((r) => r.status)),
    );

    // Assess
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(api.stats.throttled).toBe(statuses.filter((s) => s === 429).length);
    const throttled = await post('?mode=string');
    expect(throttled.status).toBe(429);
    expect(await throttled.json()).toEqual({ message: 'Too Many Requests' });
  });
});
