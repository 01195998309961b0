import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The services a consumer reaches through a proxy. */
export type ProxiedService = 's3' | 'dynamodb' | 'opensearch' | 'sqs';

/** Options of {@link startChaosProxy}. */
export interface ChaosProxyOptions {
  service: ProxiedService;
  /** Base URL of the real local service. */
  target: string;
  /** Share of requests answered with a transient fault; 0 forwards everything. */
  probability: number;
  /** Uniform [0, 1) source, seeded by the caller for reproducible runs. */
  random: () => number;
}

/** What a proxy saw. */
export interface ChaosProxyStats {
  requests: number;
  /** Faults answered without forwarding (the service never saw the request). */
  faultsBefore: number;
  /** Faults answered after the service applied the request (the response is lost). */
  faultsAfter: number;
  /** Successful (2xx) requests by operation, e.g. `PutObject`, `UpdateItem`, `_bulk`, `SendMessage`. */
  ok: Record<string, number>;
  /** SQS messages sent successfully (single and batch). */
  messagesSent: number;
}

/** A running proxy. */
export interface ChaosProxy {
  readonly endpoint: string;
  readonly stats: ChaosProxyStats;
  stop(): Promise<void>;
}

interface Fault {
  status: number;
  contentType: string;
  body: string;
}

// Before forwarding: the throttling answers each service gives under load. After forwarding: a 5xx whose outcome
// is unknown to the caller, as when a response is lost, which is what makes idempotent sinks necessary.
const FAULTS: Record<ProxiedService, { before: Fault; after: Fault }> = {
  s3: {
    before: {
      status: 503,
      contentType: 'application/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>CHAOS</RequestId></Error>',
    },
    after: {
      status: 500,
      contentType: 'application/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>CHAOS</RequestId></Error>',
    },
  },
  dynamodb: {
    before: {
      status: 400,
      contentType: 'application/x-amz-json-1.0',
      body: '{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}',
    },
    after: {
      status: 500,
      contentType: 'application/x-amz-json-1.0',
      body: '{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}',
    },
  },
  opensearch: {
    before: {
      status: 429,
      contentType: 'application/json',
      body: '{"error":{"root_cause":[{"type":"es_rejected_execution_exception","reason":"rejected execution (chaos)"}],"type":"es_rejected_execution_exception","reason":"rejected execution (chaos)"},"status":429}',
    },
    after: { status: 504, contentType: 'application/json', body: '{"message":"Gateway Timeout"}' },
  },
  sqs: {
    before: { status: 500, contentType: 'application/x-amz-json-1.0', body: '{"__type":"InternalError"}' },
    after: { status: 500, contentType: 'application/x-amz-json-1.0', body: '{"__type":"InternalError"}' },
  },
};

/** The operation a request performs, for counting. */
export function operationOf(service: ProxiedService, req: IncomingMessage): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  if (service === 's3') return `${req.method} ${req.method === 'PUT' ? 'PutObject' : 'object'}`;
  if (service === 'opensearch') {
    const path = (req.url ?? '').split('?')[0] ?? '';
    return path.endsWith('/_bulk') || path === '/_bulk' ? '_bulk' : `${req.method} ${path.split('/').pop()}`;
  }
  return req.method ?? 'request';
}

function answer(res: ServerResponse, fault: Fault): void {
  res.writeHead(fault.status, {
    'content-type': fault.contentType,
    'content-length': Buffer.byteLength(fault.body),
  });
  res.end(fault.body);
}

/**
 * Starts an HTTP proxy on 127.0.0.1 in front of one local service. A share `probability` of requests gets a
 * transient fault, half before forwarding (throttling) and half after the service applied it (a 5xx with the
 * response lost). Clients are pointed at it through their endpoint variables, so handlers run unchanged.
 *
 * @example
 * ```ts
 * const proxy = await startChaosProxy({ service: 's3', target: stack.endpoints.s3!, probability: 0.2, random });
 * env.AWS_ENDPOINT_URL_S3 = proxy.endpoint;
 * ```
 */
export async function startChaosProxy(options: ChaosProxyOptions): Promise<ChaosProxy> {
  const target = new URL(options.target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const stats: ChaosProxyStats = { requests: 0, faultsBefore: 0, faultsAfter: 0, ok: {}, messagesSent: 0 };
  const faults = FAULTS[options.service];

  const server = createServer((req, res) => {
    stats.requests++;
    const operation = operationOf(options.service, req);
    const draw = options.probability > 0 ? options.random() : 1;
    if (draw < options.probability / 2) {
      stats.faultsBefore++;
      req.resume();
      req.once('end', () => answer(res, faults.before));
      return;
    }
    const faultAfter = draw < options.probability;
    const chunks: Buffer[] = [];
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (response) => {
        const status = response.statusCode ?? 502;
        if (faultAfter) {
          stats.faultsAfter++;
          response.resume();
          response.once('end', () => answer(res, faults.after));
          return;
        }
        if (status >= 200 && status < 300) {
          stats.ok[operation] = (stats.ok[operation] ?? 0) + 1;
          if (operation === 'SendMessage') stats.messagesSent++;
          if (operation === 'SendMessageBatch')
            stats.messagesSent += countBatchEntries(Buffer.concat(chunks));
        }
        res.writeHead(status, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) answer(res, { status: 502, contentType: 'text/plain', body: error.message });
      else res.destroy(error);
    });
    if (options.service === 'sqs') req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

function countBatchEntries(body: Buffer): number {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { Entries?: unknown[] };
    return parsed.Entries?.length ?? 0;
  } catch {
    // The query protocol (form-encoded) numbers its entries.
    return (body.toString('utf8').match(/SendMessageBatchRequestEntry\.\d+\.Id=/g) ?? []).length;
  }
}
