// Strings as strace prints them (strace src/util.c string_quote, printstr_ex, printpathn):
// C escapes for `"` `\` and \f \n \r \t \v; other non-printable bytes in octal, three digits only when
// an octal digit follows (`\0001` but `\18`); -x switches the whole string to \xNN as soon as it holds
// a byte that is neither printable ASCII nor whitespace; -xx always does. A buffer longer than -s
// bytes is cut there and followed by `...`; file names are printed whole.
import type { DecodeOptions, GuestMemory } from "./types.js";
import { hex } from "./numbers.js";

/** PATH_MAX: the longest file name strace prints (names longer than that end in `...`). */
const PATH_MAX = 4096;
const PAGE = 4096n;

export interface QuoteStyle {
  /** 0, 1 (-x) or 2 (-xx). */
  hex: 0 | 1 | 2;
  /** Print every byte as \xNN (getrandom's buffer). */
  forceHex?: boolean;
  /** Printable characters that are escaped anyway (`<>` in -y paths). */
  escape?: string;
  /** Leave out the surrounding quotes. */
  bare?: boolean;
}

function needsHex(bytes: Uint8Array, escape: string): boolean {
  for (const c of bytes) {
    if (c > 0x7e) return true;
    if (c < 0x20 && (c < 9 || c > 13)) return true;
    if (escape !== "" && escape.includes(String.fromCharCode(c))) return true;
  }
  return false;
}

const HEX = "0123456789abcdef";

/** Quotes bytes as strace's string_quote does. */
export function quote(bytes: Uint8Array, style: QuoteStyle): string {
  const escape = style.escape ?? "";
  const useHex = style.forceHex === true || style.hex === 2 || (style.hex === 1 && needsHex(bytes, escape));
  let s = style.bare ? "" : '"';
  if (useHex) {
    for (const c of bytes) s += "\\x" + HEX[c >> 4] + HEX[c & 15];
  } else {
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      switch (c) {
        case 0x22: s += '\\"'; break;
        case 0x5c: s += "\\\\"; break;
        case 0x0c: s += "\\f"; break;
        case 0x0a: s += "\\n"; break;
        case 0x0d: s += "\\r"; break;
        case 0x09: s += "\\t"; break;
        case 0x0b: s += "\\v"; break;
        default: {
          const ch = String.fromCharCode(c);
          if (c >= 0x20 && c <= 0x7e && !escape.includes(ch)) {
            s += ch;
            break;
          }
          s += "\\";
          const next = i + 1 < bytes.length ? bytes[i + 1] : -1;
          if (next >= 0x30 && next <= 0x37) {
            s += String(c >> 6) + String((c >> 3) & 7);
          } else if (c >> 3 !== 0) {
            if (c >> 6 !== 0) s += String(c >> 6);
            s += String((c >> 3) & 7);
          }
          s += String(c & 7);
        }
      }
    }
  }
  return style.bare ? s : s + '"';
}

/** Reads `len` bytes, or null when unreadable; a zero length reads nothing and succeeds. */
export function readBytes(mem: GuestMemory, addr: bigint, len: number): Uint8Array | null {
  if (len === 0) return new Uint8Array(0);
  return mem.read(addr, len);
}

/**
 * Reads a NUL-terminated string of at most `max` bytes (not counting the NUL). Returns the bytes and
 * whether the NUL was found within them, or null when memory runs out first.
 */
export function readCString(mem: GuestMemory, addr: bigint, max: number): { bytes: Uint8Array; terminated: boolean } | null {
  const parts: Uint8Array[] = [];
  let total = 0;
  let at = addr;
  // Read up to max + 1 bytes, a page at a time so a string ending just before an unmapped page is read.
  while (total <= max) {
    const room = Number(PAGE - (at % PAGE));
    const chunk = readSome(mem, at, Math.min(room, max + 1 - total));
    if (chunk === null) return null;
    const nul = chunk.indexOf(0);
    if (nul >= 0) {
      parts.push(chunk.subarray(0, nul));
      return { bytes: concat(parts, total + nul), terminated: true };
    }
    parts.push(chunk);
    total += chunk.length;
    at += BigInt(chunk.length);
  }
  return { bytes: concat(parts, total).subarray(0, max), terminated: false };
}

/**
 * Reads up to `want` bytes at `addr`: all of them when readable, else the longest readable run found
 * by halving (a memory that is not page-granular may end mid-page); null when not even a byte is.
 */
function readSome(mem: GuestMemory, addr: bigint, want: number): Uint8Array | null {
  let n = want;
  while (n > 0) {
    const b = mem.read(addr, n);
    if (b !== null) return b;
    n >>= 1;
  }
  return null;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p.subarray(0, Math.min(p.length, total - off)), off);
    off += p.length;
    if (off >= total) break;
  }
  return out;
}

function styleOf(o: DecodeOptions): QuoteStyle {
  return { hex: o.hexStrings };
}

/**
 * A buffer of `len` bytes at `addr` (read/write data): at most -s bytes quoted, then `...` when
 * the buffer is longer; the address when unreadable; NULL for 0.
 */
export function printStrN(mem: GuestMemory, addr: bigint, len: bigint, o: DecodeOptions, forceHex = false): string {
  if (addr === 0n) return "NULL";
  const limit = BigInt(o.stringLimit);
  const size = len < limit ? len : limit;
  const bytes = readBytes(mem, addr, Number(size));
  if (bytes === null) return hex(addr);
  return quote(bytes, { hex: o.hexStrings, forceHex }) + (len > limit ? "..." : "");
}

/** A NUL-terminated string (argv entries, utsname fields): at most `limit` (-s) bytes, then `...`. */
export function printCStr(mem: GuestMemory, addr: bigint, o: DecodeOptions, limit = o.stringLimit): string {
  if (addr === 0n) return "NULL";
  const s = readCString(mem, addr, limit);
  if (s === null) return hex(addr);
  return quote(s.bytes, styleOf(o)) + (s.terminated ? "" : "...");
}

/**
 * A NUL-terminated string in a buffer of `len` bytes (PR_SET_NAME's 16, memfd_create's 250): strace
 * reads min(len, -s) bytes and prints at most one less, then `...` when no NUL came first.
 */
export function printCStrBounded(mem: GuestMemory, addr: bigint, len: number, o: DecodeOptions): string {
  return printCStr(mem, addr, o, Math.max(Math.min(len, o.stringLimit) - 1, 0));
}

/** A file name: printed whole (up to PATH_MAX), whatever -s says. */
export function printPath(mem: GuestMemory, addr: bigint, o: DecodeOptions): string {
  return printCStr(mem, addr, o, PATH_MAX);
}

/** A file name of known length (readlinkat's and getcwd's result): printed whole. */
export function printPathN(mem: GuestMemory, addr: bigint, len: number, o: DecodeOptions): string {
  if (addr === 0n) return "NULL";
  const bytes = readBytes(mem, addr, Math.min(len, PATH_MAX));
  if (bytes === null) return hex(addr);
  const nul = bytes.indexOf(0);
  return quote(nul >= 0 ? bytes.subarray(0, nul) : bytes, styleOf(o));
}

/** A fixed-size char array field, NUL-terminated within it (utsname): printed whole unless `limit`. */
export function quoteCharArray(bytes: Uint8Array, o: DecodeOptions, limit = Infinity): string {
  const nul = bytes.indexOf(0);
  const s = nul >= 0 ? bytes.subarray(0, nul) : bytes;
  if (s.length > limit) return quote(s.subarray(0, limit), styleOf(o)) + "...";
  return quote(s, styleOf(o));
}

/** The `<...>` text -y appends to a descriptor: the path with `<` and `>` escaped, no quotes. */
export function fdPathText(path: string, o: DecodeOptions): string {
  return "<" + quote(new TextEncoder().encode(path), { hex: o.hexStrings, escape: "<>", bare: true }) + ">";
}
