import * as crypto from 'node:crypto';

// One-shot hashing (Node >= 20.12) skips the Hash object: about twice as fast for inputs this small.
const sha256Base64url: (input: string) => string =
  typeof crypto.hash === 'function'
    ? (input) => crypto.hash('sha256', input, 'base64url')
    : (input) => crypto.createHash('sha256').update(input).digest('base64url');

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
  return sha256Base64url(`${source.length}:${source}${id}`);
}
