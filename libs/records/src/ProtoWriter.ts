/**
 * Minimal protobuf writer for the KPL encoder: varints and length-delimited fields into a growing buffer.
 */
export class ProtoWriter {
  private buf = Buffer.allocUnsafe(256);
  private pos = 0;

  /** Writes a varint (non-negative safe integers only). */
  public varint(value: number): this {
    this.ensure(10);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
    return this;
  }

  /** Writes a field tag. */
  public tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  /** Writes a length-delimited field (bytes, string or embedded message). */
  public bytes(field: number, data: Uint8Array): this {
    this.tag(field, 2).varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
    return this;
  }

  /** Writes a varint field. */
  public uint(field: number, value: number): this {
    return this.tag(field, 0).varint(value);
  }

  /** The bytes written so far (a copy). */
  public finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + extra));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}
