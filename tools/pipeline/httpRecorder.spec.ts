import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRecorder } from './httpRecorder';

describe('HttpRecorder', () => {
  const recorder = new HttpRecorder();
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => response.end('four'));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  const drain = (response: http.IncomingMessage) =>
    new Promise<void>((resolve) => response.resume().on('end', resolve));

  it('records requests made with request and get, with their bodies and status, only between begin and end', async () => {
    // Prepare
    await new Promise<void>((resolve) =>
      http.get({ port, host: '127.0.0.1', path: '/before' }, (r) => void drain(r).then(resolve)),
    );

    // Act
    recorder.begin();
    await new Promise<void>((resolve) => {
      const request = http.request(
        { port, host: '127.0.0.1', method: 'PUT', path: '/b/k' },
        (r) => void drain(r).then(resolve),
      );
      request.write('abc');
      request.end(Buffer.from('defg'));
    });
    await new Promise<void>((resolve) =>
      http.get({ port, host: '127.0.0.1', path: '/x?y=1' }, (r) => void drain(r).then(resolve)),
    );
    const calls = recorder.end(performance.now());

    // Assess
    expect(
      calls.map(({ service, operation, requestBytes, responseBytes, status }) => ({
        service,
        operation,
        requestBytes,
        responseBytes,
        status,
      })),
    ).toEqual([
      { service: `127.0.0.1:${port}`, operation: 'PUT /b/k', requestBytes: 7, responseBytes: 4, status: 200 },
      { service: `127.0.0.1:${port}`, operation: 'GET /x', requestBytes: 0, responseBytes: 4, status: 200 },
    ]);
    expect(calls.every((c) => c.endMs > c.startMs && c.cpuAtEndMs >= c.cpuAtStartMs)).toBe(true);
  });

  it('records a request that fails without a response with status 0, and leaves its error to the caller', async () => {
    // Prepare
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const deadPort = (closed.address() as AddressInfo).port;
    closed.close();

    // Act
    recorder.begin();
    const error = await new Promise<Error>((resolve) =>
      http.get({ port: deadPort, host: '127.0.0.1', path: '/' }).on('error', resolve),
    );
    await new Promise((resolve) => setImmediate(resolve));
    const calls = recorder.end(performance.now());

    // Assess
    expect(error.message).toContain('ECONNREFUSED');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ status: 0, responseBytes: 0 });
  });
});
