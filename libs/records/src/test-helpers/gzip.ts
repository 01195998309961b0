import { gzipSync } from 'node:zlib';

/** Gzip-compressed JSON text of a value, as producers that compress send it. */
export function gzipJson(value: unknown): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(value), 'utf8'));
}
