import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** Lambda's Invoke API, as far as an asynchronous self-invocation needs it: it records the payloads. */
export interface InvokeRecorder {
  readonly url: string;
  readonly invocations: Array<{ functionName: string; invocationType: string; payload: unknown }>;
  stop(): Promise<void>;
}

/**
 * Serves `POST /2015-03-31/functions/<name>/invocations` on a loopback port: an `Event` invocation is answered
 * 202 (Lambda queued it) and recorded, so a test runs the continuation itself, when it chooses.
 */
export async function startInvokeRecorder(): Promise<InvokeRecorder> {
  const invocations: InvokeRecorder['invocations'] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
        return;
      }
      invocations.push({
        functionName: decodeURIComponent(match[1]!),
        invocationType: String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse'),
        payload: JSON.parse(body.toString()),
      });
      res.writeHead(202, { 'x-amzn-requestid': `req-${invocations.length}` }).end();
    });
  });
  const url = await listen(server);
  return { url, invocations, stop: () => close(server) };
}

/** A proxy in front of DynamoDB Local that can fail chosen operations, as a dying process would. */
export interface DynamoFaultProxy {
  readonly url: string;
  /** Resets the connection of every call of `operation` (an X-Amz-Target suffix such as `PutItem`) after the
   * first `after` of them, while set. */
  fail?: { operation: string; after: number };
  stop(): Promise<void>;
}

/** Starts a {@link DynamoFaultProxy} forwarding to `upstream`. */

export async function startDynamoFaultProxy(upstream: string): Promise<DynamoFaultProxy> {
  const target = new URL(upstream);
  const proxy: DynamoFaultProxy = { url: '', stop: async () => undefined };
  const calls = new Map<string, number>();
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const operation =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      calls.set(operation, (calls.get(operation) ?? 0) + 1);
      if (proxy.fail?.operation === operation && calls.get(operation)! > proxy.fail.after) {
        req.socket.destroy();
        return;
      }
      const forward = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 500, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  const url = await listen(server);
  return Object.assign(proxy, { url, stop: () => close(server) });
}
