import { KplFormatError } from './errors';

/** Protobuf wire types this reader understands (groups, 3 and 4, are deprecated and rejected). */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

/**
 * Minimal protobuf reader for the few KPL fields needed. Every read is bounds-checked and throws
 * {@link KplFormatError} on malformed input, so hostile bytes cannot read past the message.
 */
export class ProtoReader {
  private pos: number;

  public constructor(
    private readonly buf: Uint8Array,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  /** True while unread bytes remain. */
  public more(): boolean {
    return this.pos < this.end;
  }

  /** Reads a field tag; returns `fieldNumber * 8 + wireType` as protobuf encodes it. */
  public tag(): number {
    const tag = this.varint();
    if (tag < 8) throw new KplFormatError(`invalid field number 0 at byte ${this.pos}`);
    return tag;
  }

  /**
   * Reads a varint. Values above 2^53 lose precision, which is harmless here: they are only used as table
   * indexes and lengths, both of which are range-checked.
   */
  public varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new KplFormatError(`truncated varint at byte ${this.pos}`);
      const byte = this.buf[this.pos++] as number;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new KplFormatError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** Reads a length-delimited field and returns its `[start, end)` byte range. */
  public bytesRange(): [number, number] {
    const length = this.varint();
    const start = this.pos;
    if (length > this.end - start) {
      throw new KplFormatError(`length ${length} at byte ${start} runs past the end of the message`);
    }
    this.pos = start + length;
    return [start, this.pos];
  }

  /** Skips a field of the given wire type. */
  public skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.advance(8);
        return;
      case WIRE_BYTES:
        this.bytesRange();
        return;
      case WIRE_FIXED32:
        this.advance(4);
        return;
      default:
        throw new KplFormatError(`unsupported wire type ${wireType} at byte ${this.pos}`);
    }
  }

  private advance(count: number): void {
    if (count > this.end - this.pos)
      throw new KplFormatError(`truncated fixed-size field at byte ${this.pos}`);
    this.pos += count;
  }
}
