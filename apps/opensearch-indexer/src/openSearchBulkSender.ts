import { errors, type Client } from '@opensearch-project/opensearch';
import { BULK_FILTER_PATH } from './constants';
import { BulkRequestError } from './errors';
import type { BulkItemResult, BulkSender } from './types';

interface BulkResponseBody {
  errors?: boolean;
  items?: Array<Record<string, BulkItemResult>>;
}

/**
 * A {@link BulkSender} over an OpenSearch client: POST `_bulk` with a `filter_path` that keeps one small entry
 * per item, the client's own retries off (the indexer retries per item within its time budget), the request
 * aborted with the invocation's signal.
 *
 * @example
 * ```ts
 * const send = openSearchBulkSender(new Client({ node: 'http://127.0.0.1:9200' }));
 * ```
 */
export function openSearchBulkSender(client: Client): BulkSender {
  return async (body, { signal, timeoutMs }) => {
    if (signal.aborted) throw new BulkRequestError('bulk request not sent: aborted', undefined);
    // The transport passes a string bulk body through as it is: no parse and re-serialise of 5 MB of NDJSON.
    const request = client.transport.request(
      { method: 'POST', path: '/_bulk', bulkBody: body, querystring: { filter_path: BULK_FILTER_PATH } },
      { requestTimeout: timeoutMs, maxRetries: 0 },
    );
    const abort = () => request.abort();
    signal.addEventListener('abort', abort, { once: true });
    try {
      const response = await request;
      const parsed = response.body as BulkResponseBody;
      const items: BulkItemResult[] = (parsed.items ?? []).map((entry) => {
        // Each entry holds one key, the action name (`index` here).
        for (const key in entry) return entry[key]!;
        return { status: 0 };
      });
      return { items };
    } catch (error) {
      if (error instanceof errors.ResponseError) {
        throw new BulkRequestError(
          `bulk request answered ${error.statusCode}: ${describe(error)}`,
          error.statusCode,
          {
            cause: error,
          },
        );
      }
      throw new BulkRequestError(`bulk request failed: ${(error as Error).message}`, undefined, {
        cause: error,
      });
    } finally {
      signal.removeEventListener('abort', abort);
    }
  };
}

function describe(error: InstanceType<typeof errors.ResponseError>): string {
  const body = error.meta?.body as { error?: { type?: string; reason?: string } | string } | undefined;
  if (typeof body?.error === 'string') return body.error.slice(0, 500);
  if (body?.error) return `${body.error.type ?? 'error'}: ${(body.error.reason ?? '').slice(0, 500)}`;
  return error.message.slice(0, 500);
}
