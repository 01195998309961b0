import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One record of a PutRecords request, as the proxy sees it. */
export interface ProxiedRecord {
  partitionKey: string;
  /** The record's data, decoded (the ingest API stores JSON text). */
  text: string;
}

/** What the proxy does with one PutRecords request, given its records and its 1-based PutRecords call number. */
export interface PutRecordsFault {
  /** Answer the whole request with this Kinesis error without forwarding it. */
  error?: 'ProvisionedThroughputExceededException' | 'InternalFailure';
  /** Positions of records answered ProvisionedThroughputExceededException: cut out before forwarding. */
  throttle?: ReadonlySet<number>;
}

/** A fault-injecting proxy in front of a Kinesis endpoint, on a loopback ephemeral port. */
export interface KinesisFaultProxy {
  readonly url: string;
  /** PutRecords requests seen so far. */
  readonly putRecordsCalls: number;
  stop(): Promise<void>;
}

interface PutRecordsBody {
  StreamName?: string;
  StreamARN?: string;
  Records: Array<{ Data: string; PartitionKey: string }>;
}

interface PutRecordsAnswer {
  FailedRecordCount: number;
  Records: Array<{ SequenceNumber?: string; ShardId?: string; ErrorCode?: string; ErrorMessage?: string }>;
}

const THROTTLED = {
  ErrorCode: 'ProvisionedThroughputExceededException',
  ErrorMessage: 'Rate exceeded for shard (injected by the fault proxy).',
};

/**
 * Starts a proxy that forwards every Kinesis call to `upstream` unchanged, except PutRecords, for which `fault`
 * may fail the whole call or throttle chosen records: those are cut out of the request before it is forwarded (so
 * the stream really never stores them) and answered ProvisionedThroughputExceededException in their positions,
 * as Kinesis reports a partially failed PutRecords.
 */
export async function startKinesisFaultProxy(
  upstream: string,
  fault: (records: ProxiedRecord[], call: number) => PutRecordsFault | undefined,
): Promise<KinesisFaultProxy> {
  let putRecordsCalls = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      let forward = body;
      let throttled: number[] = [];
      let request: PutRecordsBody | undefined;
      if (target.endsWith('.PutRecords')) {
        putRecordsCalls += 1;
        request = JSON.parse(body) as PutRecordsBody;
        const records = request.Records.map((r) => ({
          partitionKey: r.PartitionKey,
          text: Buffer.from(r.Data, 'base64').toString('utf8'),
        }));
        const decision = fault(records, putRecordsCalls) ?? {};
        if (decision.error) {
          const status = decision.error === 'InternalFailure' ? 500 : 400;
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ __type: decision.error, message: 'injected by the fault proxy' }));
          return;
        }
        throttled = records.flatMap((_, i) => (decision.throttle?.has(i) ? [i] : []));
        if (throttled.length === records.length) {
          answer(res, 200, { FailedRecordCount: throttled.length, Records: throttled.map(() => THROTTLED) });
          return;
        }
        forward = JSON.stringify({
          ...request,
          Records: request.Records.filter((_, i) => !throttled.includes(i)),
        });
      }
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'x-amz-target', 'authorization', 'x-amz-date']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const response = await fetch(new URL(req.url ?? '/', upstream), {
        method: req.method ?? 'POST',
        headers,
        body: forward,
      });
      const text = await response.text();
      if (throttled.length === 0 || !response.ok) {
        res.writeHead(response.status, {
          'content-type': response.headers.get('content-type') ?? 'application/json',
        });
        res.end(text);
        return;
      }
      const merged = JSON.parse(text) as PutRecordsAnswer;
      for (const position of throttled) merged.Records.splice(position, 0, THROTTLED);
      merged.FailedRecordCount += throttled.length;
      answer(res, 200, merged);
    })().catch((error: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get putRecordsCalls() {
      return putRecordsCalls;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
