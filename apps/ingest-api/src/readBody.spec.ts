import { gzipSync } from 'node:zlib';
import { readBody, type BodyLimits } from './readBody';
import { refusal } from './test-helpers/refusal';

const limits: BodyLimits = { maxBodyBytes: 64 * 1024, maxInflatedBytes: 256 * 1024 };
const text = '{"specversion":"1.0","id":"é-1"}';

describe('readBody', () => {
  it('reads a plain body and a base64 one (API Gateway encodes binary bodies) to the same text', () => {
    // Act
    const plain = readBody({ body: text, isBase64Encoded: false, headers: {} }, limits);
    const base64 = readBody(
      { body: Buffer.from(text).toString('base64'), isBase64Encoded: true, headers: {} },
      limits,
    );

    // Assess
    expect(plain).toBe(text);
    expect(base64).toBe(text);
  });

  it('inflates a gzip body, whatever the case of the encoding', () => {
    // Prepare
    const body = gzipSync(text).toString('base64');

    // Act
    const read = readBody({ body, isBase64Encoded: true, headers: { 'content-encoding': ' GZIP ' } }, limits);

    // Assess
    expect(read).toBe(text);
  });

  it('measures a base64 body by its decoded bytes: a body at the limit passes, one byte more is 413', () => {
    // Prepare
    const at = Buffer.alloc(limits.maxBodyBytes, 0x61);
    const over = Buffer.alloc(limits.maxBodyBytes + 1, 0x61);

    // Act
    const read = readBody({ body: at.toString('base64'), isBase64Encoded: true, headers: {} }, limits);
    const error = refusal(() =>
      readBody({ body: over.toString('base64'), isBase64Encoded: true, headers: {} }, limits),
    );

    // Assess
    expect(read).toHaveLength(limits.maxBodyBytes);
    expect(error).toMatchObject({
      statusCode: 413,
      code: 'BODY_TOO_LARGE',
      details: { maxBodyBytes: 65536 },
    });
    expect(error.message).toContain(`${limits.maxBodyBytes + 1} bytes, over the limit of 65536`);
  });

  it('refuses a plain body over the limit, counting UTF-8 bytes rather than characters', () => {
    // Prepare: 40,000 two-byte characters are 80,000 bytes
    const body = 'é'.repeat(40_000);

    // Act
    const error = refusal(() => readBody({ body, isBase64Encoded: false, headers: {} }, limits));

    // Assess
    expect(error).toMatchObject({ statusCode: 413, code: 'BODY_TOO_LARGE' });
  });

  it('refuses a gzip bomb (1 GiB of zeros in about 1 MB) once its output passes the limit, without inflating it', () => {
    // Prepare: 64 gzip members of 16 MiB of zeros each; a gzip stream may hold several members
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    const generous = { maxBodyBytes: 4 * 1024 * 1024, maxInflatedBytes: 1024 * 1024 };

    // Act
    const error = refusal(() =>
      readBody(
        { body: bomb.toString('base64'), isBase64Encoded: true, headers: { 'content-encoding': 'gzip' } },
        generous,
      ),
    );

    // Assess
    expect(bomb.byteLength).toBeLessThan(generous.maxBodyBytes);
    expect(error).toMatchObject({ statusCode: 413, code: 'INFLATED_BODY_TOO_LARGE' });
    expect(error.message).toContain('more than 1048576 bytes');
  });

  it('refuses a body that claims gzip but is not, an empty body and one that is not UTF-8 with 400', () => {
    // Act
    const notGzip = refusal(() =>
      readBody({ body: text, isBase64Encoded: false, headers: { 'content-encoding': 'gzip' } }, limits),
    );
    const empty = refusal(() => readBody({ body: '', isBase64Encoded: false, headers: {} }, limits));
    const latin1 = refusal(() =>
      readBody(
        { body: Buffer.from([0x7b, 0xe9, 0x7d]).toString('base64'), isBase64Encoded: true, headers: {} },
        limits,
      ),
    );

    // Assess
    expect(notGzip).toMatchObject({ statusCode: 400, code: 'GZIP_INVALID' });
    expect(empty).toMatchObject({ statusCode: 400, code: 'EMPTY_BODY' });
    expect(latin1).toMatchObject({ statusCode: 400, code: 'BODY_NOT_UTF8' });
  });

  it('refuses an encoding it does not speak with 415 and the encodings it does', () => {
    // Act
    const error = refusal(() =>
      readBody({ body: text, isBase64Encoded: false, headers: { 'content-encoding': 'br' } }, limits),
    );

    // Assess
    expect(error).toMatchObject({
      statusCode: 415,
      code: 'UNSUPPORTED_CONTENT_ENCODING',
      headers: { 'accept-encoding': 'gzip, identity' },
    });
  });
});
