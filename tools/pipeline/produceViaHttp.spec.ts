import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { PipelineError } from './errors';
import { produceViaHttp, retryAfterMs } from './produceViaHttp';

type Answer = { status: number; headers?: Record<string, string>; body: unknown };

/** A stand-in API on loopback: records each request's decoded lines, answers with `answer(lines, n)`. */
async function fakeApi(answer: (lines: string[], request: number) => Answer) {
  const seen: Array<{ lines: string[]; headers: IncomingMessage['headers'] }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const lines = body
        .toString()
        .split('\n')
        .filter((l) => l !== '');
      seen.push({ lines, headers: req.headers });
      const a = answer(lines, seen.length);
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/events`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const records = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    data: Buffer.from(JSON.stringify({ id: `e${i}` })),
    partitionKey: 'k',
  }));
const idOf = (line: string) => (JSON.parse(line) as { id: string }).id;

describe('produceViaHttp', () => {
  it('sends NDJSON batches with gzip and the token, and resends only the retryable events after Retry-After', async () => {
    // Prepare: the first answer to carry e1 says it was not stored; e3 is refused.
    let throttledOnce = false;
    const api = await fakeApi((lines) => {
      const events = lines.flatMap((line, index) => {
        if (idOf(line) === 'e3')
          return [{ status: 'refused', index, reason: 'MISSING_ATTRIBUTE', message: 'no' }];
        if (idOf(line) === 'e1' && !throttledOnce) {
          throttledOnce = true;
          return [{ status: 'retryable', index, reason: 'THROTTLED', message: 'again' }];
        }
        return [];
      });
      const retryable = events.some((e) => e.status === 'retryable');
      return {
        status: retryable ? 429 : events.length > 0 ? 207 : 200,
        headers: (retryable ? { 'retry-after': '0' } : {}) as Record<string, string>,
        body: { accepted: lines.length - events.length, events },
      };
    });

    try {
      // Act
      const production = await produceViaHttp({
        eventsUrl: api.url,
        token: 't0k',
        records: records(5),
        rate: 10_000,
        requestEvents: 2,
      });

      // Assess
      expect(api.seen.map((r) => r.lines.map(idOf))).toEqual(
        expect.arrayContaining([['e0', 'e1'], ['e2', 'e3'], ['e4'], ['e1']]),
      );
      expect(api.seen).toHaveLength(4);
      expect(api.seen[0]!.headers).toMatchObject({
        authorization: 'Bearer t0k',
        'content-type': 'application/x-ndjson',
        'content-encoding': 'gzip',
      });
      expect([...production.acceptedAt.keys()].sort()).toEqual([0, 1, 2, 4]);
      expect(production.refused).toEqual([{ index: 3, reason: 'MISSING_ATTRIBUTE', message: 'no' }]);
      expect(production).toMatchObject({ failed: [], requests: 4, resent: 1 });
      expect(production.statuses).toEqual({ 200: 2, 207: 1, 429: 1 });
    } finally {
      await api.close();
    }
  });

  it("resends a whole request after API Gateway's own 503, and gives up after maxAttempts", async () => {
    // Prepare
    const api = await fakeApi(() => ({
      status: 503,
      headers: { 'retry-after': '0' },
      body: { message: 'Service Unavailable' },
    }));

    try {
      // Act
      const production = await produceViaHttp({
        eventsUrl: api.url,
        token: 't',
        records: records(3),
        rate: 10_000,
        requestEvents: 3,
        gzip: false,
        maxAttempts: 3,
      });

      // Assess
      expect(api.seen).toHaveLength(3);
      expect(api.seen[0]!.headers['content-encoding']).toBeUndefined();
      expect(production).toMatchObject({ failed: [0, 1, 2], resent: 6, refused: [] });
      expect(production.acceptedAt.size).toBe(0);
    } finally {
      await api.close();
    }
  });

  it('counts a request refused as a whole (413) as refused events, with its error code', async () => {
    // Prepare
    const api = await fakeApi(() => ({ status: 413, body: { error: 'BODY_TOO_LARGE', message: 'too big' } }));

    try {
      // Act
      const production = await produceViaHttp({
        eventsUrl: api.url,
        token: 't',
        records: records(2),
        rate: 10_000,
        requestEvents: 5,
      });

      // Assess
      expect(production.refused).toEqual([
        { index: 0, reason: 'BODY_TOO_LARGE', message: 'too big' },
        { index: 1, reason: 'BODY_TOO_LARGE', message: 'too big' },
      ]);
      expect(api.seen).toHaveLength(1);
    } finally {
      await api.close();
    }
  });

  it('stops on a refused token, and before sending a record that holds a line break', async () => {
    // Prepare
    const api = await fakeApi(() => ({ status: 401, body: { message: 'Unauthorized' } }));
    const broken = [{ data: Buffer.from('{"a":\n1}'), partitionKey: 'k' }];

    try {
      // Act & Assess
      await expect(
        produceViaHttp({ eventsUrl: api.url, token: 'bad', records: records(1), rate: 10, requestEvents: 1 }),
      ).rejects.toThrow(
        new PipelineError('the ingest API refused the token: 401 {"message":"Unauthorized"}'),
      );
      await expect(
        produceViaHttp({ eventsUrl: api.url, token: 't', records: broken, rate: 10, requestEvents: 1 }),
      ).rejects.toThrow('record 0 holds a line break');
      expect(api.seen).toHaveLength(1);
    } finally {
      await api.close();
    }
  });
});

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates, and nothing else', () => {
    // Act & Assess
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('Tue, 01 Dec 2026 10:00:05 GMT', Date.parse('2026-12-01T10:00:00Z'))).toBe(5000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
