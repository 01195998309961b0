const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** One line of an NDJSON file. */
export interface Line {
  /** 1-based line number in the file. */
  number: number;
  /** The line without its line ending; for a line over the limit, only its first `maxLineBytes` bytes. */
  bytes: Buffer;
  /** The line's full length in bytes, without the line ending. */
  length: number;
  /** Offset in the content of the line's first byte. */
  start: number;
  /** Offset in the content just past this line's line ending: where the next line starts. */
  end: number;
}

/** Options of {@link splitLines}. */
export interface SplitLinesOptions {
  /** Longest line kept whole; longer lines are cut to this many bytes (and reported by their `length`). */
  maxLineBytes: number;
  /** Number of the first line the chunks start with minus one (the lines already consumed). Default 0. */
  linesBefore?: number;
  /** Content offset of the first chunk's first byte. Default 0. */
  offset?: number;
}

/**
 * Splits a byte stream into lines at `\n` (a trailing `\r` is dropped), across chunk boundaries, holding at most
 * `maxLineBytes` of any line in memory: a line of gigabytes without a newline costs no more than a short one.
 * The last line needs no line ending.
 *
 * @example
 * ```ts
 * for await (const line of splitLines(body, { maxLineBytes: 256 * 1024 })) console.log(line.number, line.end);
 * ```
 */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  options: SplitLinesOptions,
): AsyncGenerator<Line> {
  const max = options.maxLineBytes;
  let number = options.linesBefore ?? 0;
  let offset = options.offset ?? 0;
  let parts: Buffer[] = [];
  let kept = 0;
  let length = 0;
  let start = offset;
  const keep = (piece: Buffer) => {
    length += piece.length;
    if (kept < max) {
      const take = piece.subarray(0, max - kept);
      parts.push(take);
      kept += take.length;
    }
  };
  const emit = (end: number): Line => {
    let bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, kept);
    let full = length;
    if (full <= max && bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN) {
      bytes = bytes.subarray(0, bytes.length - 1);
      full--;
    }
    parts = [];
    kept = 0;
    length = 0;
    number++;
    const line = { number, bytes, length: full, start, end };
    start = end;
    return line;
  };
  for await (const chunk of chunks) {
    const buffer = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let from = 0;
    for (let nl = buffer.indexOf(NEWLINE, from); nl !== -1; nl = buffer.indexOf(NEWLINE, from)) {
      keep(buffer.subarray(from, nl));
      yield emit(offset + nl + 1);
      from = nl + 1;
    }
    keep(buffer.subarray(from));
    offset += buffer.length;
  }
  if (length > 0) yield emit(offset);
}
