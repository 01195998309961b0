import { randomUUID } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkNotificationConfigs,
  createSequencer,
  matchesNotification,
  s3NotificationEvent,
  type LambdaNotificationConfig,
  type ObjectCreatedEvent,
} from './s3Notification';

/** Where a bucket's notifications go: one configuration and the function (an {@link AsyncInvoker}) it invokes. */
export interface NotificationTarget {
  configuration: LambdaNotificationConfig;
  target: { invoke(event: unknown): unknown };
}

/** Options of {@link startS3NotificationProxy}. */
export interface S3NotificationProxyOptions {
  /** Base URL of the S3 service behind the proxy (fauxqs). */
  target: string;
  /** Notification configurations by bucket name (Terraform's `aws_s3_bucket_notification`). */
  buckets: Record<string, NotificationTarget[]>;
  region: string;
  /** Told of a notification that could not be built or delivered (the object could not be read back...). */
  onError?: (error: unknown) => void;
}

/** A running proxy. */
export interface S3NotificationProxy {
  /** The S3 endpoint to give clients (path-style addressing). */
  readonly endpoint: string;
  /** Notifications emitted, by `<bucket>/<configuration id>`. */
  readonly emitted: Record<string, number>;
  /** Resolves when every notification of the objects created so far has been handed to its function. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/** The object-creating operation a request is, if it is one (path-style: `/<bucket>/<key>`). */
function createdBy(
  method: string,
  url: URL,
  headers: IncomingMessage['headers'],
): ObjectCreatedEvent | undefined {
  const query = [...url.searchParams.keys()].filter((k) => k !== 'x-id');
  if (method === 'PUT' && query.length === 0 && headers['x-amz-copy-source'] === undefined)
    return 'ObjectCreated:Put';
  if (method === 'POST' && query.length === 1 && query[0] === 'uploadId')
    return 'ObjectCreated:CompleteMultipartUpload';
  return undefined;
}

function bucketAndKey(url: URL): { bucket: string; key: string } | undefined {
  const path = url.pathname.slice(1);
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) return undefined;
  return { bucket: decodeURIComponent(path.slice(0, slash)), key: decodeURIComponent(path.slice(slash + 1)) };
}

/**
 * A thin S3 proxy in front of the local S3 (fauxqs, which has no bucket notifications of its own): every request
 * is passed through unchanged, and once a PutObject or a CompleteMultipartUpload succeeded on a bucket with
 * notification configurations, the object is read back (HeadObject: size, ETag, version) and the S3 event of each
 * matching configuration is queued to its function, as S3 does after it stored an object. Path-style only.
 *
 * @example
 * ```ts
 * const proxy = await startS3NotificationProxy({
 *   target: stack.endpoints.s3!, region: stack.region,
 *   buckets: { inbox: [{ configuration: { id: 'import', events: ['s3:ObjectCreated:*'], filter_suffix: '.gz' }, target: invoker }] },
 * });
 * // S3Client({ endpoint: proxy.endpoint, forcePathStyle: true }) ... PutObject -> invoker.invoke(event)
 * ```
 */
export async function startS3NotificationProxy(
  options: S3NotificationProxyOptions,
): Promise<S3NotificationProxy> {
  for (const targets of Object.values(options.buckets))
    checkNotificationConfigs(targets.map((t) => t.configuration));
  const target = new URL(options.target);
  const agent = new Agent({ keepAlive: true });
  const sequencers = new Map<string, () => string>();
  const emitted: Record<string, number> = {};
  const pending = new Set<Promise<void>>();

  // The emulation reads the object back as S3 knows it; the local S3 takes unsigned requests.
  const head = (bucket: string, key: string) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const path = `/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
      const req = request(
        { host: target.hostname, port: target.port, path, method: 'HEAD', agent },
        (res) => {
          res.resume();
          resolve(res);
        },
      );
      req.on('error', reject);
      req.end();
    });

  const notify = async (
    eventName: ObjectCreatedEvent,
    bucket: string,
    key: string,
    request: IncomingMessage,
  ): Promise<void> => {
    const targets = (options.buckets[bucket] ?? []).filter((t) =>
      matchesNotification(t.configuration, eventName, key),
    );
    if (targets.length === 0) return;
    const stored = await head(bucket, key);
    if (stored.statusCode !== 200)
      throw new Error(`${bucket}/${key} created, but HeadObject answered ${stored.statusCode}`);
    let sequencer = sequencers.get(bucket);
    if (!sequencer) sequencers.set(bucket, (sequencer = createSequencer()));
    const version = stored.headers['x-amz-version-id'];
    const object = {
      bucket,
      key,
      size: Number(stored.headers['content-length'] ?? 0),
      eTag: String(stored.headers.etag ?? ''),
      ...(typeof version === 'string' && version !== 'null' ? { versionId: version } : {}),
      eventName,
      eventTimeMs: Date.now(),
      sequencer: sequencer(),
      requestId: randomUUID().replaceAll('-', '').slice(0, 16).toUpperCase(),
      sourceIPAddress: request.socket.remoteAddress?.replace('::ffff:', '') ?? '127.0.0.1',
    };
    for (const t of targets) {
      t.target.invoke(s3NotificationEvent(object, t.configuration, options.region));
      const counter = `${bucket}/${t.configuration.id}`;
      emitted[counter] = (emitted[counter] ?? 0) + 1;
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const located = bucketAndKey(url);
    const eventName = located ? createdBy(req.method ?? 'GET', url, req.headers) : undefined;
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        // A CompleteMultipartUpload can fail with a 200 whose body is an <Error>: its small body is kept to look.
        if (eventName === 'ObjectCreated:CompleteMultipartUpload')
          answer.on('data', (c: Buffer) => chunks.push(c));
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => {
          if (!located || !eventName || answer.statusCode !== 200) return;
          if (chunks.length > 0 && Buffer.concat(chunks).includes('<Error>')) return;
          const work = notify(eventName, located.bucket, located.key, req).catch((error: unknown) =>
            options.onError?.(error),
          );
          pending.add(work);
          void work.finally(() => pending.delete(work));
        });
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>BadGateway</Code><Message>${String(error.message)}</Message></Error>`,
      );
    });
    req.pipe(upstream);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    emitted,
    settled: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}
