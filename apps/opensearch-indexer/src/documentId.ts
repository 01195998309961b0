import { createHash } from 'node:crypto';

/**
 * The `_id` of an event's document: base64url SHA-256 of its identity (source, id), 43 characters whatever the
 * lengths of source (up to 1 KiB) and id, so it always fits OpenSearch's 512-byte `_id` limit. The source is
 * length-prefixed so that no two identities share an input; SHA-256 so that a hostile producer cannot craft a
 * collision and overwrite another event's document.
 *
 * @example
 * ```ts
 * documentId('//shop.example/app', 'evt-1'); // the same 43-character string on every delivery
 * ```
 */
export function documentId(source: string, id: string): string {
  return createHash('sha256').update(`${source.length}:${source}${id}`).digest('base64url');
}
