import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AsyncInvoker } from './AsyncInvoker';
import { MAX_ASYNC_PAYLOAD_BYTES, MAX_SYNC_PAYLOAD_BYTES } from './constants';

/** A running Invoke API. */
export interface InvokeApi {
  /** Give it to the SDK: `new LambdaClient({ endpoint })`, or `AWS_ENDPOINT_URL_LAMBDA`. */
  readonly endpoint: string;
  /** Requests answered, by invocation type and status. */
  readonly requests: Record<string, number>;
  stop(): Promise<void>;
}

const PATH_PREFIX = '/2015-03-31/functions/';
const PATH_SUFFIX = '/invocations';

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A function name, a full or partial ARN, with `:$LATEST` or no qualifier (all that is emulated). */
function functionNameOf(raw: string, qualifier: string | null): string {
  const parts = raw.split(':');
  // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>], <account>:function:<name>, or <name>
  const at = parts.indexOf('function');
  const name = at >= 0 ? parts[at + 1] : parts[0];
  const inline = at >= 0 ? parts[at + 2] : parts[1];
  for (const q of [inline, qualifier ?? undefined]) {
    if (q !== undefined && q !== '$LATEST') {
      throw new ApiError(
        404,
        'ResourceNotFoundException',
        `Function not found: ${raw} (only $LATEST is emulated)`,
      );
    }
  }
  if (!name || !/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
    throw new ApiError(
      400,
      'ValidationException',
      `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy constraint`,
    );
  }
  return name;
}

async function readBody(req: IncomingMessage, limit: number, operation: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new ApiError(
        413,
        'RequestEntityTooLargeException',
        `Request must be smaller than ${limit} bytes for the ${operation} operation`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parsePayload(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new ApiError(
      400,
      'InvalidRequestContentException',
      `Could not parse request body into json: ${(error as Error).message}`,
    );
  }
}

/**
 * Lambda's Invoke API on 127.0.0.1, in front of local {@link AsyncInvoker}s, as the SDK's `LambdaClient` calls it:
 * `POST /2015-03-31/functions/{FunctionName}/invocations` with `X-Amz-Invocation-Type` `Event` (queued, 202, no
 * body; payload up to 1 MB), `RequestResponse` (the default: run now, 200 with the response, or with the
 * runtime's error document and `X-Amz-Function-Error: Unhandled`; payload up to 6 MB) or `DryRun` (204). Errors
 * come as AWS's: `x-amzn-ErrorType` and `{"Type":"User","message":...}` (404 ResourceNotFoundException for a
 * function it does not serve, 400 InvalidRequestContentException for a payload that is not JSON, 413 for size).
 *
 * @example
 * ```ts
 * const api = await startInvokeApi({ functions: { 's3-import': invoker } });
 * await new LambdaClient({ endpoint: api.endpoint }).send(new InvokeCommand({ FunctionName: 's3-import', InvocationType: 'Event', Payload }));
 * ```
 */
export async function startInvokeApi(options: {
  functions: Record<string, AsyncInvoker>;
}): Promise<InvokeApi> {
  const requests: Record<string, number> = {};
  const count = (type: string, status: number) => {
    requests[`${type} ${status}`] = (requests[`${type} ${status}`] ?? 0) + 1;
  };

  const invoke = async (req: IncomingMessage, res: ServerResponse, type: string): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://lambda');
    if (
      req.method !== 'POST' ||
      !url.pathname.startsWith(PATH_PREFIX) ||
      !url.pathname.endsWith(PATH_SUFFIX)
    ) {
      throw new ApiError(
        404,
        'UnknownOperationException',
        `${req.method} ${url.pathname} is not an operation this emulator serves`,
      );
    }
    const raw = decodeURIComponent(url.pathname.slice(PATH_PREFIX.length, -PATH_SUFFIX.length));
    const name = functionNameOf(raw, url.searchParams.get('Qualifier'));
    const invoker = Object.hasOwn(options.functions, name) ? options.functions[name] : undefined;
    if (!invoker)
      throw new ApiError(
        404,
        'ResourceNotFoundException',
        `Function not found: arn:aws:lambda:::function:${name}`,
      );
    const headers = { 'x-amzn-requestid': randomUUID(), 'x-amz-executed-version': '$LATEST' };
    if (type === 'Event') {
      const payload = parsePayload(await readBody(req, MAX_ASYNC_PAYLOAD_BYTES, 'Invoke'));
      const { requestId } = invoker.invoke(payload);
      res.writeHead(202, { ...headers, 'x-amzn-requestid': requestId, 'content-length': '0' }).end();
      return;
    }
    if (type === 'DryRun') {
      await readBody(req, MAX_SYNC_PAYLOAD_BYTES, 'Invoke');
      res.writeHead(204, headers).end();
      return;
    }
    if (type !== 'RequestResponse') {
      throw new ApiError(
        400,
        'InvalidParameterValueException',
        `X-Amz-Invocation-Type '${type}' is not Event, RequestResponse or DryRun`,
      );
    }
    const payload = parsePayload(await readBody(req, MAX_SYNC_PAYLOAD_BYTES, 'Invoke'));
    const result = await invoker.invokeSync(payload);
    const body = Buffer.from(JSON.stringify(result.payload));
    if (result.outcome === 'success' && body.length > MAX_SYNC_PAYLOAD_BYTES) {
      const error = {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD_BYTES} bytes).`,
      };
      res.writeHead(200, {
        ...headers,
        'x-amzn-requestid': result.requestId,
        'content-type': 'application/json',
        'x-amz-function-error': 'Unhandled',
      });
      res.end(JSON.stringify(error));
      return;
    }
    res.writeHead(200, {
      ...headers,
      'x-amzn-requestid': result.requestId,
      'content-type': 'application/json',
      'content-length': String(body.length),
      ...(result.outcome === 'success' ? {} : { 'x-amz-function-error': 'Unhandled' }),
    });
    res.end(body);
  };

  const server = createServer((req, res) => {
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    invoke(req, res, type).then(
      () => count(type, res.statusCode),
      (error: unknown) => {
        const e =
          error instanceof ApiError
            ? error
            : new ApiError(500, 'ServiceException', String((error as Error)?.message ?? error));
        req.resume();
        if (!res.headersSent) {
          res.writeHead(e.status, {
            'content-type': 'application/json',
            'x-amzn-errortype': e.type,
            'x-amzn-requestid': randomUUID(),
          });
        }
        res.end(JSON.stringify({ Type: e.status >= 500 ? 'Service' : 'User', message: e.message }));
        count(type, e.status);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
