import { execFileSync } from 'node:child_process';
import { createDeterministicZip, ZipError } from './zip';

interface ReadEntry {
  name: string;
  data: Buffer;
  dateTime: number[];
  mode: number;
}

// Python's zipfile, a reader written independently of ours (python3 is on every development and CI machine):
// it checks every entry's CRC-32 (testzip) and reads back names, contents, timestamps and Unix modes.
const PYTHON_READER = `
import base64, json, sys, zipfile, io
z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))
bad = z.testzip()
if bad is not None: sys.exit("bad CRC in " + bad)
print(json.dumps([{"name": i.filename, "data": base64.b64encode(z.read(i)).decode(),
  "dateTime": list(i.date_time), "mode": i.external_attr >> 16} for i in z.infolist()]))
`;

function readZip(zip: Buffer): ReadEntry[] {
  const out = execFileSync('python3', ['-c', PYTHON_READER], { input: zip, encoding: 'utf8' });
  return (JSON.parse(out) as (Omit<ReadEntry, 'data'> & { data: string })[]).map((e) => ({
    ...e,
    data: Buffer.from(e.data, 'base64'),
  }));
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
      expect(entry.dateTime).toEqual([1980, 1, 1, 0, 0, 0]);
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
