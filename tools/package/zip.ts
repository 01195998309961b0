import { crc32, deflateRawSync } from 'node:zlib';

/** One file to store in a zip archive. */
export interface ZipEntry {
  /** Path inside the archive, forward slashes, no leading slash. */
  readonly name: string;
  /** File contents. */
  readonly data: Buffer;
  /** Unix permission bits; 0o644 when omitted. */
  readonly mode?: number;
}

/** Raised when an entry cannot be stored in a deterministic archive. */
export class ZipError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ZipError';
  }
}

// 1980-01-01 00:00:00, the earliest MS-DOS timestamp: every entry gets it so the archive does not depend on
// when or where it was built.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const VERSION_NEEDED = 20; // 2.0: deflate
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED; // 3 = Unix, so external attributes carry the mode
const METHOD_DEFLATE = 8;
const FLAG_UTF8 = 1 << 11;
const S_IFREG = 0o100000;

/**
 * Builds a zip archive whose bytes depend only on the entries' names and contents: entries are sorted by
 * name, timestamps are fixed, permissions are fixed, compression is raw deflate at level 9 and no extra
 * fields are written. Two builds of the same files give the same SHA-256, so Terraform sees no change.
 *
 * @example
 * ```ts
 * const zip = createDeterministicZip([{ name: 'index.js', data: Buffer.from('exports.handler = 1;') }]);
 * ```
 */
export function createDeterministicZip(entries: readonly ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const seen = new Set<string>();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;

  for (const entry of sorted) {
    if (entry.name.length === 0 || entry.name.startsWith('/') || entry.name.includes('\\')) {
      throw new ZipError(`invalid entry name "${entry.name}"`);
    }
    if (seen.has(entry.name)) throw new ZipError(`duplicate entry "${entry.name}"`);
    seen.add(entry.name);

    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data, { level: 9, memLevel: 9 });
    const crc = crc32(entry.data) >>> 0;
    if (entry.data.length > 0xfffffffe || offset > 0xfffffffe) {
      throw new ZipError(`entry "${entry.name}" needs zip64, which is not supported`);
    }

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(FLAG_UTF8, 6);
    local.writeUInt16LE(METHOD_DEFLATE, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(VERSION_MADE_BY, 4);
    central.writeUInt16LE(VERSION_NEEDED, 6);
    central.writeUInt16LE(FLAG_UTF8, 8);
    central.writeUInt16LE(METHOD_DEFLATE, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra length
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(((S_IFREG | (entry.mode ?? 0o644)) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);

    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }

  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);

  return Buffer.concat([...locals, centralDirectory, end]);
}
