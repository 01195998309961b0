import { gzipSync } from 'node:zlib';
import { GZIP_LEVEL } from './constants';

const LINE_BREAK = /[\r\n]/g;

/**
 * Joins the records' JSON texts as NDJSON (one line each, newline-terminated) and gzips it.
 *
 * The texts are written as received, without serialising again. A raw CR or LF inside a JSON text can only be
 * insignificant whitespace (JSON strings escape them), so it is replaced by a space to keep one record per line.
 *
 * @example
 * ```ts
 * const body = encodeNdjsonGzip(['{"a":1}', '{"a":2}']); // gunzips to '{"a":1}\n{"a":2}\n'
 * ```
 */
export function encodeNdjsonGzip(texts: Iterable<string>, level: number = GZIP_LEVEL): Buffer {
  const lines: string[] = [];
  for (const text of texts)
    lines.push(text.includes('\n') || text.includes('\r') ? text.replace(LINE_BREAK, ' ') : text);
  lines.push('');
  return gzipSync(Buffer.from(lines.join('\n'), 'utf8'), { level });
}
