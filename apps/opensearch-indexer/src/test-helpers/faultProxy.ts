import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one bulk request, given the `_id`s of its actions and its 1-based bulk call number. */
export interface BulkFault {
  /** Answer the whole request with this status without forwarding it. */
  status?: number;
  /** Answer these items with 429 (they are not forwarded); the others reach OpenSearch. */
  throttle?: ReadonlySet<string>;
}

/** A fault-injecting HTTP proxy in front of OpenSearch, on a loopback ephemeral port. */
export interface FaultProxy {
  readonly url: string;
  /** Bulk requests seen so far. */
  readonly bulkCalls: number;
  stop(): Promise<void>;
}

const THROTTLED = {
  status: 429,
  error: { type: 'rejected_execution_exception', reason: 'injected by the fault proxy' },
};

/**
 * Starts a proxy that forwards every request to `upstream` unchanged, except `_bulk` requests, for which `fault`
 * may answer the whole request with an error status or throttle chosen items: those items are cut out of the body
 * before it is forwarded (so OpenSearch really never sees them) and answered 429 in their original positions.
 */
export async function startFaultProxy(
  upstream: string,
  fault: (ids: string[], call: number) => BulkFault | undefined,
): Promise<FaultProxy> {
  let bulkCalls = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = req.url ?? '/';
      let forwardBody = body;
      let throttledAt: number[] = [];
      if (req.method === 'POST' && path.startsWith('/_bulk')) {
        bulkCalls += 1;
        const lines = body.split('\n').filter((line) => line !== '');
        const ids = lines
          .filter((_, i) => i % 2 === 0)
          .map((l) => (JSON.parse(l) as { index: { _id: string } }).index._id);
        const decision = fault(ids, bulkCalls) ?? {};
        if (decision.status !== undefined) {
          res.writeHead(decision.status, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              error: { type: 'injected', reason: 'injected by the fault proxy' },
              status: decision.status,
            }),
          );
          return;
        }
        throttledAt = ids.flatMap((id, i) => (decision.throttle?.has(id) ? [i] : []));
        forwardBody = lines
          .filter((_, i) => !throttledAt.includes(Math.floor(i / 2)))
          .map((l) => `${l}\n`)
          .join('');
        if (forwardBody === '') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: true, items: ids.map(() => ({ index: THROTTLED })) }));
          return;
        }
      }
      const headers: Record<string, string> = {};
      if (req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
      const response = await fetch(new URL(path, upstream), {
        method: req.method ?? 'GET',
        headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : forwardBody,
      });
      let text = await response.text();
      if (throttledAt.length > 0 && response.ok) {
        const parsed = JSON.parse(text) as { errors?: boolean; items: unknown[] };
        for (const position of throttledAt) parsed.items.splice(position, 0, { index: THROTTLED });
        parsed.errors = true;
        text = JSON.stringify(parsed);
      }
      res.writeHead(response.status, {
        'content-type': response.headers.get('content-type') ?? 'application/json',
      });
      res.end(text);
    })().catch((error: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get bulkCalls() {
      return bulkCalls;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
