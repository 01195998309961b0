import { gunzipSync, gzipSync } from 'node:zlib';
import {
  fromLambdaResult,
  InvalidLambdaResponseError,
  isBinaryBody,
  requestTime,
  toHttpApiEvent,
  type HttpApiRequest,
} from './httpApiEvent';

const api = {
  accountId: '000000000000',
  apiId: 'abc123',
  domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
  routeKey: 'POST /v1/events',
};
const jwt = { claims: { sub: 'u-1', exp: 1900000000 }, scopes: null };

function request(overrides: Partial<HttpApiRequest> = {}): HttpApiRequest {
  return {
    method: 'POST',
    target: '/v1/events',
    httpVersion: '1.1',
    rawHeaders: ['Host', '127.0.0.1:3000', 'Content-Type', 'application/json', 'User-Agent', 'curl/8.5.0'],
    body: Buffer.from('{"a":1}'),
    sourceIp: '127.0.0.1',
    requestId: 'req-1',
    receivedAt: new Date(Date.UTC(2026, 2, 12, 19, 3, 58, 390)),
    ...overrides,
  };
}

describe('toHttpApiEvent', () => {
  it('builds the payload format 2.0 event with the request context and the authorizer claims', () => {
    // Act
    const event = toHttpApiEvent(request(), api, jwt);

    // Assess
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/events',
      rawPath: '/v1/events',
      rawQueryString: '',
      body: '{"a":1}',
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'abc123',
        domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
        domainPrefix: 'abc123',
        http: {
          method: 'POST',
          path: '/v1/events',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'curl/8.5.0',
        },
        requestId: 'req-1',
        routeKey: 'POST /v1/events',
        stage: '$default',
        time: '12/Mar/2026:19:03:58 +0000',
        timeEpoch: Date.UTC(2026, 2, 12, 19, 3, 58, 390),
        authorizer: { jwt: { claims: { sub: 'u-1', exp: 1900000000 }, scopes: null } },
      },
    });
    expect(event.cookies).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('lower-cases header names, joins repeated values with commas and moves cookies out of the headers', () => {
    // Act
    const event = toHttpApiEvent(
      request({
        rawHeaders: [
          'X-Tag',
          'a',
          'x-tag',
          'b',
          'Cookie',
          'one=1; two=2',
          'cookie',
          'three=3',
          'Content-Type',
          'text/plain',
        ],
      }),
      api,
      jwt,
    );

    // Assess
    expect(event.headers['x-tag']).toBe('a,b');
    expect(event.headers['content-type']).toBe('text/plain');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(['one=1', 'two=2', 'three=3']);
  });

  it('keeps the raw query string and decodes the parameters, joining repeated ones with commas', () => {
    // Act
    const event = toHttpApiEvent(request({ target: '/v1/events?p=a%20b&p=c&flag&q=x+y' }), api, jwt);

    // Assess
    expect(event.rawPath).toBe('/v1/events');
    expect(event.rawQueryString).toBe('p=a%20b&p=c&flag&q=x+y');
    expect(event.queryStringParameters).toEqual({ p: 'a b,c', flag: '', q: 'x y' });
  });

  it('base64-encodes a compressed body, whatever its content type', () => {
    // Prepare
    const gzipped = gzipSync('{"id":"1"}');

    // Act
    const event = toHttpApiEvent(
      request({
        rawHeaders: ['Content-Type', 'application/json', 'Content-Encoding', 'gzip'],
        body: gzipped,
      }),
      api,
      jwt,
    );

    // Assess
    expect(event.isBase64Encoded).toBe(true);
    expect(gunzipSync(Buffer.from(event.body!, 'base64')).toString()).toBe('{"id":"1"}');
  });

  it('base64-encodes the body of a non-text content type and omits an empty body', () => {
    // Act
    const binary = toHttpApiEvent(
      request({
        rawHeaders: ['Content-Type', 'application/cloudevents-batch+json'],
        body: Buffer.from('[{}]'),
      }),
      api,
      jwt,
    );
    const empty = toHttpApiEvent(request({ body: Buffer.alloc(0) }), api, jwt);

    // Assess
    expect(binary).toMatchObject({ isBase64Encoded: true, body: Buffer.from('[{}]').toString('base64') });
    expect(empty.body).toBeUndefined();
    expect(empty.isBase64Encoded).toBe(false);
  });
});

describe('isBinaryBody', () => {
  it.each([
    ['text/plain; charset=utf-8', undefined, false],
    ['application/json', undefined, false],
    ['Application/JSON; charset=utf-8', undefined, false],
    ['application/xml', undefined, false],
    ['application/javascript', undefined, false],
    ['application/x-ndjson', undefined, true],
    ['application/cloudevents+json', undefined, true],
    ['application/x-www-form-urlencoded', undefined, true],
    [undefined, undefined, true],
    ['application/json', 'gzip', true],
    ['application/json', '', false],
  ])('content type %s with encoding %s: %s', (type, encoding, binary) => {
    // Act & Assess
    expect(isBinaryBody(type, encoding)).toBe(binary);
  });
});

describe('requestTime', () => {
  it('formats as API Gateway does, in UTC with zero padding', () => {
    // Act & Assess
    expect(requestTime(new Date(Date.UTC(2026, 0, 5, 3, 4, 5)))).toBe('05/Jan/2026:03:04:05 +0000');
  });
});

describe('fromLambdaResult', () => {
  it('answers a structured result with its status, headers, cookies and body', () => {
    // Act
    const response = fromLambdaResult({
      statusCode: 207,
      headers: { 'Content-Type': 'application/json', 'Retry-After': 2 },
      cookies: ['a=1', 'b=2; Secure'],
      body: '{"ok":true}',
    });

    // Assess
    expect(response.statusCode).toBe(207);
    expect(response.headers).toEqual({
      'content-type': ['application/json'],
      'retry-after': ['2'],
      'set-cookie': ['a=1', 'b=2; Secure'],
    });
    expect(response.body.toString()).toBe('{"ok":true}');
  });

  it('decodes a base64 body', () => {
    // Act
    const response = fromLambdaResult({
      statusCode: 200,
      body: Buffer.from([0, 1, 2, 255]).toString('base64'),
      isBase64Encoded: true,
    });

    // Assess
    expect([...response.body]).toEqual([0, 1, 2, 255]);
  });

  it('answers a string or an object without statusCode as a 200 JSON body, as format 2.0 infers', () => {
    // Act
    const text = fromLambdaResult('Hello from Lambda!');
    const object = fromLambdaResult({ message: 'hi' });

    // Assess
    expect(text).toMatchObject({ statusCode: 200, headers: { 'content-type': ['application/json'] } });
    expect(text.body.toString()).toBe('Hello from Lambda!');
    expect(object.statusCode).toBe(200);
    expect(JSON.parse(object.body.toString())).toEqual({ message: 'hi' });
  });

  it.each([
    [{ statusCode: '200' }, 'statusCode "200" is not an HTTP status'],
    [{ statusCode: 99 }, 'statusCode 99 is not an HTTP status'],
    [{ statusCode: 200, body: { a: 1 } }, 'body is a object, not a string'],
    [{ statusCode: 200, headers: { a: { b: 1 } } }, "header 'a' is a object"],
    [{ statusCode: 200, cookies: 'a=1' }, 'cookies is not an array of strings'],
  ])('refuses the malformed result %j', (result, message) => {
    // Act & Assess
    expect(() => fromLambdaResult(result)).toThrow(new InvalidLambdaResponseError(message));
  });
});
