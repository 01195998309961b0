import { gunzipSync } from 'node:zlib';
import { CONTENT_ENCODINGS } from './constants';
import { RequestError } from './errors';

/** Bounds on a request body. */
export interface BodyLimits {
  /** Largest body as sent (after base64 decoding, before inflation). */
  maxBodyBytes: number;
  /** Largest inflated gzip body; inflation stops at this bound. */
  maxInflatedBytes: number;
}

/** The parts of a payload format 2.0 event a body is read from. */
export interface BodySource {
  body?: string;
  isBase64Encoded: boolean;
  /** Lower-case names, as API Gateway passes them. */
  headers: Record<string, string | undefined>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a request body into text: base64-decoded when API Gateway encoded it (binary and compressed bodies),
 * size-checked, inflated when `Content-Encoding: gzip` without ever holding more than `maxInflatedBytes` of
 * output (so a gzip bomb costs no more than that), and checked to be UTF-8.
 *
 * @throws {RequestError} 400 for an empty, undecodable or non-UTF-8 body, 413 over a limit, 415 for an unknown
 *   encoding.
 *
 * @example
 * ```ts
 * const text = readBody(event, { maxBodyBytes: 4_194_304, maxInflatedBytes: 16_777_216 });
 * ```
 */
export function readBody(source: BodySource, limits: BodyLimits): string {
  const encoding = contentEncoding(source.headers['content-encoding']);
  const body = source.body ?? '';
  // Checked before decoding: base64 text is 4/3 of its bytes, so a body far too large is never allocated twice.
  const sentBytes = source.isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body);
  if (sentBytes > limits.maxBodyBytes + 2) tooLarge(sentBytes, limits.maxBodyBytes);
  let bytes: Buffer = source.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.byteLength > limits.maxBodyBytes) tooLarge(bytes.byteLength, limits.maxBodyBytes);
  if (bytes.byteLength === 0) throw new RequestError(400, 'EMPTY_BODY', 'the request has no body');
  if (encoding === 'gzip') bytes = inflate(bytes, limits.maxInflatedBytes);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new RequestError(400, 'BODY_NOT_UTF8', 'the request body is not valid UTF-8');
  }
}

function contentEncoding(header: string | undefined): 'gzip' | 'identity' {
  const value = (header ?? 'identity').trim().toLowerCase();
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'identity' || value === '') return 'identity';
  throw new RequestError(
    415,
    'UNSUPPORTED_CONTENT_ENCODING',
    `Content-Encoding '${value.slice(0, 80)}' is not supported; send ${CONTENT_ENCODINGS.join(' or ')}`,
    { 'accept-encoding': CONTENT_ENCODINGS.join(', ') },
    { supportedEncodings: CONTENT_ENCODINGS },
  );
}

function inflate(bytes: Buffer, maxInflatedBytes: number): Buffer {
  try {
    // zlib stops inflating once the output would pass maxOutputLength, and throws ERR_BUFFER_TOO_LARGE.
    return gunzipSync(bytes, { maxOutputLength: maxInflatedBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new RequestError(
        413,
        'INFLATED_BODY_TOO_LARGE',
        `the gzip body inflates to more than ${maxInflatedBytes} bytes, the most this API inflates`,
        {},
        { maxInflatedBytes },
      );
    }
    throw new RequestError(
      400,
      'GZIP_INVALID',
      `the body is not valid gzip (Content-Encoding: gzip): ${(error as Error).message}`,
    );
  }
}

function tooLarge(bytes: number, maxBodyBytes: number): never {
  throw new RequestError(
    413,
    'BODY_TOO_LARGE',
    `the request body is ${bytes} bytes, over the limit of ${maxBodyBytes} bytes; split it into several requests`,
    {},
    { maxBodyBytes },
  );
}
