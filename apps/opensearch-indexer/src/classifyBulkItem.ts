import { CLUSTER_LEVEL_ERROR_TYPES } from './constants';
import type { BulkItemResult, ItemVerdict } from './types';

/**
 * Decides what happens to one bulk item: `ok` (2xx), `retry` (429, 5xx, or a 4xx that describes the cluster
 * rather than the document, such as a write block), `reject` (any other 4xx: mapping and parsing errors; the
 * document would fail the same way every time).
 *
 * @example
 * ```ts
 * classifyBulkItem({ status: 400, error: { type: 'mapper_parsing_exception' } }); // 'reject'
 * ```
 */
export function classifyBulkItem(item: BulkItemResult): ItemVerdict {
  const { status } = item;
  if (status >= 200 && status < 300) return 'ok';
  if (status === 429 || status >= 500 || status < 200) return 'retry';
  if (status === 408 || CLUSTER_LEVEL_ERROR_TYPES.has(item.error?.type ?? '')) return 'retry';
  return 'reject';
}

/**
 * Whether a bulk request that failed as a whole may succeed when sent again: no answer at all (connection
 * error, timeout), 408, 429, 5xx, or 401/403, which on Amazon OpenSearch Service usually means expired
 * credentials or a policy being deployed, not a bad document.
 */
export function isRetryableStatus(status: number | undefined): boolean {
  return (
    status === undefined ||
    status === 408 ||
    status === 429 ||
    status >= 500 ||
    status === 401 ||
    status === 403
  );
}

/** Short description of a failed item for logs and quarantine messages, e.g. `400 mapper_parsing_exception: ...`. */
export function describeBulkItem(item: BulkItemResult): string {
  const type = item.error?.type ?? 'error';
  const reason = item.error?.reason ?? 'no reason given';
  return `OpenSearch answered ${item.status} ${type}: ${reason.slice(0, 1_000)}`;
}
