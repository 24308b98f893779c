// Byte-level encoding of recordings (docs/record-format.md): unsigned LEB128 varints, zigzag for
// signed 64-bit values, length-prefixed byte strings. The reader checks every length against what
// is left and throws RecordFormatError, never a RangeError from a typed array.

/** Below this magnitude a zigzag value fits a safe-integer varint: encoded with Numbers. */
const SMALL = 2n ** 51n;

/** A recording that cannot be read: the message is one line for a person. */
export class RecordFormatError extends Error {}

export class ByteWriter {
  private buf = new Uint8Array(1 << 16);
  private len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.len++] = v & 0xff;
  }

  u32(v: number): void {
    this.room(4);
    for (let i = 0; i < 4; i++) this.buf[this.len++] = (v >>> (8 * i)) & 0xff;
  }

  /** An unsigned integer below 2^53. */
  varint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`varint: ${v}`);
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  /** A signed 64-bit value, zigzag-encoded (small magnitudes are short either side of zero). */
  bigint(v: bigint): void {
    // Most values (small numbers, addresses below 4 GiB) take the Number path: the same encoding.
    if (v > -SMALL && v < SMALL) {
      const n = Number(v);
      this.varint(n >= 0 ? 2 * n : -2 * n - 1);
      return;
    }
    const s = BigInt.asIntN(64, v);
    let z = BigInt.asUintN(64, (s << 1n) ^ (s >> 63n));
    this.room(10);
    while (z >= 0x80n) {
      this.buf[this.len++] = Number(z & 0x7fn) | 0x80;
      z >>= 7n;
    }
    this.buf[this.len++] = Number(z);
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.raw(b);
  }

  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** A string of byte values (the kernel's byte paths) or plain text, one byte per char below 256. */
  latin1(s: string): void {
    this.bytes(Buffer.from(s, "latin1"));
  }

  /** UTF-8 text. */
  text(s: string): void {
    this.bytes(Buffer.from(s, "utf8"));
  }

  get length(): number {
    return this.len;
  }

  /** The bytes written so far (a view). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  reset(): void {
    this.len = 0;
  }
}

export class ByteReader {
  private pos = 0;

  constructor(
    private readonly buf: Uint8Array,
    /** Names the part being read in messages ("a syscall item"). */
    private readonly what: string,
  ) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new RecordFormatError(`${this.what} is cut short`);
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  u32(): number {
    this.need(4);
    let v = 0;
    for (let i = 0; i < 4; i++) v += this.buf[this.pos++] * 2 ** (8 * i);
    return v;
  }

  varint(): number {
    let v = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (i >= 8) throw new RecordFormatError(`${this.what} holds a number too large`);
      const b = this.u8();
      v += (b & 0x7f) * scale;
      scale *= 0x80;
      if ((b & 0x80) === 0) break;
    }
    if (!Number.isSafeInteger(v)) throw new RecordFormatError(`${this.what} holds a number too large`);
    return v;
  }

  bigint(): bigint {
    // Up to 7 bytes (49 bits) the value is decoded as a Number; longer ones as a BigInt.
    const start = this.pos;
    let small = 0;
    let scale = 1;
    for (let i = 0; i < 7 && this.pos < this.buf.length; i++) {
      const b = this.buf[this.pos++];
      small += (b & 0x7f) * scale;
      scale *= 0x80;
      if ((b & 0x80) === 0) return BigInt(small % 2 === 0 ? small / 2 : -(small + 1) / 2);
    }
    this.pos = start;
    let z = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (shift > 63n) throw new RecordFormatError(`${this.what} holds a number too large`);
      const b = this.u8();
      z |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
    }
    z = BigInt.asUintN(64, z);
    return BigInt.asIntN(64, (z >> 1n) ^ -(z & 1n));
  }

  raw(n: number): Uint8Array {
    this.need(n);
    // A plain Uint8Array (a Buffer's slice would be a Buffer), copied out of the file's bytes.
    const out = new Uint8Array(n);
    out.set(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  bytes(): Uint8Array {
    return this.raw(this.varint());
  }

  /** Where the reader is, in the buffer. */
  get offset(): number {
    return this.pos;
  }

  /** The next n bytes without a copy (a view into the buffer). */
  view(n: number): Uint8Array {
    this.need(n);
    this.pos += n;
    return this.buf.subarray(this.pos - n, this.pos);
  }

  latin1(): string {
    return Buffer.from(this.bytes()).toString("latin1");
  }

  text(): string {
    return Buffer.from(this.bytes()).toString("utf8");
  }
}
