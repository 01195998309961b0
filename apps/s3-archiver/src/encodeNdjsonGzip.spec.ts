import { gunzipSync } from 'node:zlib';
import { encodeNdjsonGzip } from './encodeNdjsonGzip';

describe('encodeNdjsonGzip', () => {
  it('writes each JSON text as received on its own newline-terminated line', () => {
    // Prepare
    const texts = ['{"id":"a","n":1.50}', '{"id":"b"}'];

    // Act
    const body = encodeNdjsonGzip(texts);

    // Assess
    expect(gunzipSync(body).toString('utf8')).toBe('{"id":"a","n":1.50}\n{"id":"b"}\n');
  });

  it('keeps a pretty-printed record on one line', () => {
    // Prepare
    const text = '{\r\n  "id": "a",\n  "note": "line\\nbreak"\n}';

    // Act
    const lines = gunzipSync(encodeNdjsonGzip([text]))
      .toString('utf8')
      .split('\n');

    // Assess
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0] as string)).toEqual({ id: 'a', note: 'line\nbreak' });
  });

  it('compresses by the level it is given', () => {
    // Prepare
    const texts = Array.from({ length: 500 }, (_, i) =>
      JSON.stringify({ id: `event-${i}`, pad: 'x'.repeat(i % 50) }),
    );

    // Act
    const stored = encodeNdjsonGzip(texts, 0);
    const compressed = encodeNdjsonGzip(texts, 6);

    // Assess
    expect(compressed.byteLength).toBeLessThan(stored.byteLength / 4);
  });
});
