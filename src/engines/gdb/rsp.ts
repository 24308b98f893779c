// The GDB remote serial protocol's framing (gdb manual, "Overview" of Remote Protocol):
// `$payload#cc` with cc the modulo-256 sum of the payload in two hex digits, `+`/`-`
// acknowledgements until QStartNoAckMode, a bare 0x03 byte for an interrupt, and `}` escaping
// (the escaped byte XOR 0x20) for `#`, `$`, `}` and `*` inside binary payloads (X packets, replies).

/** What the decoder finds in the byte stream from gdb. */
export type RspEvent =
  | { kind: "packet"; data: Buffer }
  | { kind: "interrupt" }
  | { kind: "bad-checksum" };

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum = (sum + b) & 0xff;
  return sum;
}

/** `$…#cc` around a payload; `#$}*` in it are escaped so that binary data goes through. */
export function framePacket(payload: string | Buffer): Buffer {
  const raw = typeof payload === "string" ? Buffer.from(payload, "latin1") : payload;
  const out: number[] = [];
  for (const b of raw) {
    if (b === 0x23 || b === 0x24 || b === 0x7d || b === 0x2a) out.push(0x7d, b ^ 0x20);
    else out.push(b);
  }
  const body = Buffer.from(out);
  const cc = checksum(body).toString(16).padStart(2, "0");
  return Buffer.concat([Buffer.from("$"), body, Buffer.from(`#${cc}`)]);
}

/** Splits gdb's byte stream into packets (unescaped), interrupts and acknowledgements. */
export class RspDecoder {
  private buf: Buffer = Buffer.alloc(0);

  /** Feeds bytes; returns the complete events found. `+` and `-` acks are dropped here. */
  push(chunk: Buffer): RspEvent[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const events: RspEvent[] = [];
    let i = 0;
    while (i < this.buf.length) {
      const c = this.buf[i];
      if (c === 0x03) {
        events.push({ kind: "interrupt" });
        i++;
        continue;
      }
      if (c !== 0x24) {
        i++; // '+', '-' or noise between packets
        continue;
      }
      const hash = this.buf.indexOf(0x23, i + 1);
      if (hash < 0 || hash + 2 >= this.buf.length) break; // incomplete: wait for more bytes
      const body = this.buf.subarray(i + 1, hash);
      const cc = parseInt(this.buf.subarray(hash + 1, hash + 3).toString("latin1"), 16);
      i = hash + 3;
      if (cc !== checksum(body)) {
        events.push({ kind: "bad-checksum" });
        continue;
      }
      events.push({ kind: "packet", data: unescape(body) });
    }
    this.buf = this.buf.subarray(i);
    return events;
  }
}

function unescape(body: Buffer): Buffer {
  if (!body.includes(0x7d)) return Buffer.from(body);
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] === 0x7d && i + 1 < body.length) out.push(body[++i] ^ 0x20);
    else out.push(body[i]);
  }
  return Buffer.from(out);
}

/** Bytes as lower-case hex (gdb's memory and register encoding). */
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

/** Hex text to bytes; throws on odd length or a non-hex digit. */
export function fromHex(text: string): Uint8Array {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) throw new Error(`bad hex: ${text}`);
  return Uint8Array.from(Buffer.from(text, "hex"));
}

/** A value as little-endian bytes in hex, `size` bytes wide (registers travel in target order). */
export function leHex(value: bigint, size: number): string {
  const b = Buffer.alloc(size);
  let v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) {
    b[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return b.toString("hex");
}

/** Little-endian hex bytes back to an unsigned value. */
export function fromLeHex(text: string): bigint {
  const b = fromHex(text);
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
}
