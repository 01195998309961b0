import { inflateRawSync } from 'node:zlib';
import { createDeterministicZip, ZipError } from './zip';

interface ReadEntry {
  name: string;
  data: Buffer;
  time: number;
  date: number;
  mode: number;
}

// A minimal reader, independent of the writer, that walks the central directory.
function readZip(zip: Buffer): ReadEntry[] {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ReadEntry[] = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const localNameLength = zip.readUInt16LE(localOffset + 26);
    const localExtraLength = zip.readUInt16LE(localOffset + 28);
    const dataStart = localOffset + 30 + localNameLength + localExtraLength;
    entries.push({
      name,
      data: inflateRawSync(zip.subarray(dataStart, dataStart + compressedSize)),
      time: zip.readUInt16LE(at + 12),
      date: zip.readUInt16LE(at + 14),
      mode: zip.readUInt32LE(at + 38) >>> 16,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

describe('createDeterministicZip', () => {
  const js = {
    name: 'index.js',
    data: Buffer.from('exports.handler = async () => ({ batchItemFailures: [] });\n'),
  };
  const map = { name: 'index.js.map', data: Buffer.from('{"version":3,"sources":[],"mappings":""}') };

  it('writes the same bytes whatever the order of the entries', () => {
    // Act
    const first = createDeterministicZip([js, map]);
    const second = createDeterministicZip([map, js]);

    // Assess
    expect(first.equals(second)).toBe(true);
  });

  it('stores contents that inflate back to the input, sorted by name', () => {
    // Act
    const entries = readZip(createDeterministicZip([map, js]));

    // Assess
    expect(entries.map((e) => e.name)).toEqual(['index.js', 'index.js.map']);
    expect(entries[0]?.data.equals(js.data)).toBe(true);
    expect(entries[1]?.data.equals(map.data)).toBe(true);
  });

  it('fixes timestamps to 1980-01-01 and permissions to rw-r--r--', () => {
    // Act
    const entries = readZip(createDeterministicZip([js, map]));

    // Assess
    for (const entry of entries) {
      expect(entry.time).toBe(0);
      expect(entry.date).toBe((1 << 5) | 1);
      expect(entry.mode).toBe(0o100644);
    }
  });

  it('changes the archive when one byte of a file changes', () => {
    // Prepare
    const changed = { name: 'index.js', data: Buffer.from(js.data.toString().replace('[]', '[ ]')) };

    // Act
    const before = createDeterministicZip([js, map]);
    const after = createDeterministicZip([changed, map]);

    // Assess
    expect(before.equals(after)).toBe(false);
  });

  it('refuses duplicate and absolute entry names', () => {
    // Assess
    expect(() => createDeterministicZip([js, js])).toThrow(ZipError);
    expect(() => createDeterministicZip([{ name: '/etc/passwd', data: Buffer.alloc(0) }])).toThrow(ZipError);
  });
});
