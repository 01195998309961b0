import { gzipSync } from 'node:zlib';
import { gunzipStream, isGzip, skipBytes } from './openObject';

async function* pieces(buffer: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

async function text(chunks: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString();
}

describe('reading an inbox object', () => {
  const content = Array.from({ length: 2000 }, (_, i) => `{"id":"e-${i}"}`).join('\n');

  it('tells gzip by its magic bytes', () => {
    // Assess
    expect(isGzip(gzipSync('x'))).toBe(true);
    expect(isGzip(Buffer.from('{"id":1}'))).toBe(false);
    expect(isGzip(Buffer.alloc(0))).toBe(false);
  });

  it('inflates gzip as it streams, several members too, from small pieces', async () => {
    // Prepare
    const half = content.length / 2;
    const twoMembers = Buffer.concat([gzipSync(content.slice(0, half)), gzipSync(content.slice(half))]);

    // Act
    const inflated = await text(gunzipStream(pieces(twoMembers, 7)));

    // Assess
    expect(inflated).toBe(content);
  });

  it('fails the read on a corrupt gzip stream', async () => {
    // Prepare
    const corrupt = gzipSync(content);
    corrupt.fill(0, 20, 60);

    // Assess
    await expect(text(gunzipStream(pieces(corrupt, 100)))).rejects.toThrow();
  });

  it('skips the bytes a checkpoint covers, across pieces', async () => {
    // Act
    const rest = await text(skipBytes(pieces(Buffer.from(content), 13), 1000));

    // Assess
    expect(rest).toBe(content.slice(1000));
  });
});
