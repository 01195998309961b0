/**
 * What the local runtime measures of each invocation: the AWS calls a function environment made, seen at its HTTP
 * layer, and the invocation's time, CPU and memory. A latency model reads the trace to replace local I/O times
 * with AWS's (tools/latency).
 */

/** One AWS call an invocation made, seen at the HTTP layer inside the function environment. */
export interface IoCall {
  /** 'dynamodb' | 'kinesis' | 's3' | 'sqs' | 'opensearch', or host:port when unknown. */
  service: string;
  /** 'UpdateItem', 'PutRecords', 'PutObject', 'SendMessageBatch', 'Bulk', ... */
  operation: string;
  /** performance.now() of the environment. */
  startMs: number;
  endMs: number;
  /** process.cpuUsage() user+system of the environment, cumulative, ms. */
  cpuAtStartMs: number;
  cpuAtEndMs: number;
  /** Body bytes sent and received. */
  requestBytes: number;
  responseBytes: number;
  /** HTTP status; 0 when the request failed without a response. */
  status: number;
}

/** The handler's run inside its environment, with the calls it made. */
export interface InvocationTrace {
  /** performance.now() of the environment around the handler. */
  startMs: number;
  endMs: number;
  /** process.cpuUsage() user+system, cumulative, ms. */
  cpuStartMs: number;
  cpuEndMs: number;
  memoryMB: number;
  /** The vCPUs the environment was given (cpuShareFor, capped at the machine's cores), or the machine's when unthrottled. */
  cpuShare: number;
  /** False when the CPU quota could not be set. */
  throttled: boolean;
  calls: IoCall[];
}

/** One invocation as the pool saw it, given to `FunctionPoolOptions.onInvocation`. */
export interface InvocationReport {
  functionName: string;
  memoryMB: number;
  ok: boolean;
  error?: string;
  /** Measured locally, end to end (sent to the environment -> its answer or its death). */
  wallMs: number;
  /** durationModel(trace) when a model is given, else wallMs. */
  durationMs: number;
  cpuMs: number;
  /** The environment's peak resident set so far, as Lambda's "Max Memory Used". */
  maxRssMB: number;
  /** stdout+stderr the invocation wrote (what CloudWatch Logs would ingest: log lines and EMF). */
  logBytes: number;
  /** Set on the first invocation of an environment: the time its bundle took to load. */
  initMs?: number;
  trace: InvocationTrace;
}

/** What a request looks like at the HTTP layer, enough to name the AWS call. */
export interface HttpRequestShape {
  method: string;
  /** Path with query string. */
  path: string;
  /** host:port */
  authority: string;
  amzTarget?: string;
  authorization?: string;
}

// X-Amz-Target prefixes of the JSON protocols (DynamoDB_20120810.UpdateItem, Kinesis_20131202.PutRecords...).
const TARGET_PREFIXES: Record<string, string> = {
  DynamoDB_20120810: 'dynamodb',
  DynamoDBStreams_20120810: 'dynamodbstreams',
  Kinesis_20131202: 'kinesis',
  AmazonSQS: 'sqs',
  Firehose_20150804: 'firehose',
};

// SigV4 signing names that differ from the service's short name.
const SIGNING_NAMES: Record<string, string> = { es: 'opensearch', aoss: 'opensearch' };

function s3Operation(method: string, path: string): string {
  const [pathname = '/', query = ''] = path.split('?', 2);
  const params = new URLSearchParams(query);
  const segments = pathname.split('/').filter(Boolean);
  const hasKey = segments.length > 1;
  if (params.has('uploads')) return 'CreateMultipartUpload';
  if (params.has('uploadId')) {
    if (method === 'PUT') return 'UploadPart';
    if (method === 'POST') return 'CompleteMultipartUpload';
    if (method === 'DELETE') return 'AbortMultipartUpload';
    return 'ListParts';
  }
  if (method === 'POST' && params.has('delete')) return 'DeleteObjects';
  if (!hasKey) {
    if (method === 'GET') return params.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    if (method === 'PUT') return 'CreateBucket';
    if (method === 'HEAD') return 'HeadBucket';
    if (method === 'DELETE') return 'DeleteBucket';
  }
  const byMethod: Record<string, string> = {
    GET: 'GetObject',
    PUT: 'PutObject',
    HEAD: 'HeadObject',
    DELETE: 'DeleteObject',
  };
  return byMethod[method] ?? `${method} ${pathname}`;
}

// OpenSearch REST endpoints by their `_` path segment; anything else under an index is a document or index call.
const OPENSEARCH_ENDPOINTS: Record<string, string> = {
  _bulk: 'Bulk',
  _search: 'Search',
  _msearch: 'MultiSearch',
  _count: 'Count',
  _refresh: 'Refresh',
  _mget: 'MultiGet',
  _update: 'Update',
  _delete_by_query: 'DeleteByQuery',
  _cluster: 'Cluster',
  _cat: 'Cat',
  _index_template: 'IndexTemplate',
  _mapping: 'Mapping',
};

function openSearchOperation(method: string, path: string, signed: boolean): string | undefined {
  const segments = (path.split('?', 1)[0] ?? '').split('/').filter(Boolean);
  for (const segment of segments) {
    const known = OPENSEARCH_ENDPOINTS[segment];
    if (known) return known;
  }
  if (segments.includes('_doc') || segments.includes('_create')) {
    return method === 'GET' ? 'Get' : method === 'DELETE' ? 'Delete' : 'Index';
  }
  // Paths without a `_` endpoint look like any REST API's: OpenSearch's only when signed for it.
  if (!signed) return undefined;
  if (segments.length === 0) return method === 'HEAD' ? 'Ping' : 'Info';
  if (segments.length === 1 && !segments[0]!.startsWith('_')) {
    return { HEAD: 'IndicesExists', PUT: 'IndicesCreate', DELETE: 'IndicesDelete', GET: 'IndicesGet' }[
      method
    ];
  }
  return undefined;
}

/**
 * Names the AWS call of an HTTP request: the JSON protocols by X-Amz-Target, S3 by method and path, OpenSearch by
 * its REST path, else the SigV4 service with method and path, else host:port.
 *
 * @example
 * ```ts
 * recogniseCall({ method: 'POST', path: '/', authority: '127.0.0.1:8000', amzTarget: 'DynamoDB_20120810.UpdateItem' });
 * // { service: 'dynamodb', operation: 'UpdateItem' }
 * ```
 */
export function recogniseCall(request: HttpRequestShape): { service: string; operation: string } {
  const { method, path, amzTarget, authorization } = request;
  if (amzTarget) {
    const [prefix = '', operation = amzTarget] = amzTarget.split('.', 2);
    const service = TARGET_PREFIXES[prefix];
    if (service) return { service, operation };
  }
  // Credential=AKID/20261201/us-east-1/s3/aws4_request
  const signed = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization ?? '')?.[1];
  const service = signed ? (SIGNING_NAMES[signed] ?? signed) : undefined;
  if (service === 's3') return { service, operation: s3Operation(method, path) };
  if (service === undefined || service === 'opensearch') {
    // The local OpenSearch is unsigned: its REST paths are recognisable on their own.
    const operation = openSearchOperation(method, path, service === 'opensearch');
    if (operation) return { service: 'opensearch', operation };
  }
  if (service) return { service, operation: `${method} ${path.split('?', 1)[0]}` };
  return { service: request.authority, operation: `${method} ${path.split('?', 1)[0]}` };
}
