import { subscribe } from 'node:diagnostics_channel';
import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { recogniseCall, type IoCall } from './invocationTrace';

/** Cumulative user+system CPU of this process, ms. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Bytes of a chunk given to a stream's write/end/push (a string in `encoding`, or bytes). */
export function byteLength(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string')
    return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}

function header(request: ClientRequest, name: string): string | undefined {
  const value = request.getHeader(name);
  return value === undefined ? undefined : String(value);
}

/**
 * Records every node:http(s) client request of this process (the SDK's @smithy/node-http-handler and the
 * OpenSearch client both use them). Requests are seen where they are created, by wrapping `request` and `get` of
 * node:http and node:https before the bundle loads (Node 20's `http.client.request.start` channel fires only once
 * the body is written, too late to time or count it); responses through the `http.client.response.finish`
 * channel, which Node 20 and 22 publish before the response reaches the caller. Bodies are counted by wrapping
 * the request's write/end and the response's push, which changes neither flow mode nor error handling: no
 * listener is added that could swallow an error or consume a body.
 */
export class HttpRecorder {
  private current: IoCall[] | undefined;
  private readonly open = new Map<ClientRequest, IoCall>();

  constructor() {
    for (const module of [http, https]) {
      const request = module.request as (...args: unknown[]) => ClientRequest;
      module.request = ((...args: unknown[]) => {
        const created = request(...args);
        this.onStart(created);
        return created;
      }) as typeof module.request;
      // The modules' own `get` calls their internal `request`, not the export: route it through the wrapper.
      module.get = ((...args: unknown[]) => {
        const created = (module.request as (...a: unknown[]) => ClientRequest)(...args);
        created.end();
        return created;
      }) as typeof module.get;
    }
    subscribe('http.client.response.finish', (message) => {
      const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
      this.onResponse(request, response);
    });
  }

  /** Starts collecting the calls of one invocation. */
  begin(): void {
    this.current = [];
  }

  /** Ends the invocation: calls still in flight are closed at `atMs` with status 0. */
  end(atMs: number): IoCall[] {
    const calls = this.current ?? [];
    this.current = undefined;
    for (const [request, call] of this.open) {
      if (!calls.includes(call)) continue;
      this.open.delete(request);
      call.endMs = atMs;
      call.cpuAtEndMs = cpuMs();
    }
    return calls;
  }

  private onStart(request: ClientRequest): void {
    const calls = this.current;
    if (!calls) return; // init-time calls (configuration reads at module load) belong to no invocation
    const now = performance.now();
    const call: IoCall = {
      ...recogniseCall({
        method: request.method,
        path: request.path,
        authority: header(request, 'host') ?? request.host,
        amzTarget: header(request, 'x-amz-target'),
        authorization: header(request, 'authorization'),
      }),
      startMs: now,
      endMs: now,
      cpuAtStartMs: cpuMs(),
      cpuAtEndMs: 0,
      requestBytes: 0,
      responseBytes: 0,
      status: 0,
    };
    calls.push(call);
    this.open.set(request, call);
    const { write, end } = request;
    request.write = function (this: ClientRequest, chunk: unknown, ...rest: unknown[]) {
      call.requestBytes += byteLength(chunk, rest[0]);
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as ClientRequest['write'];
    request.end = function (this: ClientRequest, chunk?: unknown, ...rest: unknown[]) {
      if (typeof chunk !== 'function') call.requestBytes += byteLength(chunk, rest[0]);
      return (end as (...args: unknown[]) => ClientRequest).call(this, chunk, ...rest);
    } as ClientRequest['end'];
    // 'close' comes last whatever happened (response done, socket error, abort): the end of a failed call.
    request.once('close', () => this.finish(request));
  }

  private onResponse(request: ClientRequest, response: IncomingMessage): void {
    const call = this.open.get(request);
    if (!call) return;
    call.status = response.statusCode ?? 0;
    const push = response.push;
    response.push = function (this: IncomingMessage, chunk: unknown, encoding?: BufferEncoding) {
      if (chunk === null) {
        // The parser pushes null when the whole response has arrived: that is when the call ends for the caller.
        call.endMs = performance.now();
        call.cpuAtEndMs = cpuMs();
      } else {
        call.responseBytes += byteLength(chunk, encoding);
      }
      return push.call(this, chunk, encoding);
    };
  }

  private finish(request: ClientRequest): void {
    const call = this.open.get(request);
    if (!call) return;
    this.open.delete(request);
    if (call.cpuAtEndMs === 0) {
      call.endMs = performance.now();
      call.cpuAtEndMs = cpuMs();
    }
  }
}
