// The printing primitives every decoder uses, following strace's printxval, printflags, printsignal,
// sprintsigmask_n, printfd, print_dirfd and sprinttime (src/xlat.c, src/signal.c, src/util.c),
// including -X raw|abbrev|verbose and -y.
import type { Xlat } from "../../../abi/xlat/types.js";
import { signalName as abiSignalName } from "../../../abi/signals.js";
import type { DecodeOptions } from "./types.js";
import { fdPathText } from "./strings.js";
import { hex, int, ptr, s64, u32, u64 } from "./numbers.js";

// The register views and number formats are in numbers.ts (strings.ts needs them too); every
// decoder takes them from here.
export { hex, int, ptr, s64, u32, u64 };

/** Number formats for printxval's raw part. */
export type ValFmt = "x" | "d" | "u";

function num(v: bigint, fmt: ValFmt, bits: number): string {
  switch (fmt) {
    case "d": return String(BigInt.asIntN(bits, v));
    case "u": return String(BigInt.asUintN(bits, v));
    default: return hex(BigInt.asUintN(bits, v));
  }
}

function lookup(x: Xlat, v: bigint, bits: number): string | undefined {
  for (const [name, val] of x.entries) if (BigInt.asUintN(bits, val) === v) return name;
  return undefined;
}

export interface XvalOpts {
  /** The C width of the value (32 for int arguments); table values are compared at this width. */
  bits?: 32 | 64;
  /** How the number is printed when raw or unknown. */
  fmt?: ValFmt;
}

/** A single constant (strace printxval): its name, or the number and a `dflt` comment. */
export function xval(v: bigint, x: Xlat, dflt: string | undefined, o: DecodeOptions, opts: XvalOpts = {}): string {
  const bits = opts.bits ?? 64;
  const val = BigInt.asUintN(bits, v);
  const n = num(val, opts.fmt ?? "x", bits);
  if (o.constStyle === "raw") return n;
  const name = lookup(x, val, bits);
  if (name !== undefined) return o.constStyle === "verbose" ? `${n} /* ${name} */` : name;
  return dflt !== undefined ? `${n} /* ${dflt} */` : n;
}

/** The names of the bits of `v` in table order, and the bits no name covers (strace printflags_ex). */
export function matchFlags(v: bigint, x: Xlat): { names: string[]; rest: bigint } {
  const names: string[] = [];
  let rest = v;
  for (const [name, val] of x.entries) {
    if (rest === 0n && names.length > 0) break;
    if (rest === val || (val !== 0n && (rest & val) === val)) {
      names.push(name);
      rest &= ~val;
    }
  }
  return { names, rest };
}

/**
 * A set of flags (strace printflags): `A|B|0x40`; an unnamed non-zero value as the number with a
 * `dflt` comment;
 * zero as "0" when there is a default (or a name for 0), else as nothing, as strace does.
 */
export function flags(v: bigint, x: Xlat, dflt: string | undefined, o: DecodeOptions): string {
  if (o.constStyle === "raw") return hex(v);
  const { names, rest } = matchFlags(v, x);
  const named = names.join("|") + (names.length > 0 && rest !== 0n ? "|" + hex(rest) : "");
  if (o.constStyle === "verbose") {
    if (names.length > 0) return `${hex(v)} /* ${named} */`;
    return v !== 0n && dflt !== undefined ? `${hex(v)} /* ${dflt} */` : hex(v);
  }
  if (names.length > 0) return named;
  if (v !== 0n) return dflt !== undefined ? `${hex(v)} /* ${dflt} */` : hex(v);
  return dflt !== undefined ? "0" : "";
}

/** The number of the first real-time signal as the kernel counts (SIGRTMIN). */
const SIGRTMIN = 32;
const SIGRTMAX = 64;

/** A signal's name as strace prints it: SIGINT, SIGRTMIN, SIGRT_1 … SIGRT_32, or the number. */
export function signame(sig: number): string {
  if (sig > 0 && sig < SIGRTMIN) return abiSignalName(sig);
  if (sig === SIGRTMIN) return "SIGRTMIN";
  if (sig > SIGRTMIN && sig <= SIGRTMAX) return `SIGRT_${sig - SIGRTMIN}`;
  return String(sig);
}

/** A signal number argument (strace printsignal). */
export function signal(sig: number, o: DecodeOptions): string {
  const known = sig > 0 && sig <= SIGRTMAX;
  if (o.constStyle === "raw" || !known) return String(sig);
  if (o.constStyle === "verbose") return `${sig} /* ${signame(sig)} */`;
  return signame(sig);
}

/**
 * A signal set of `bytes.length` bytes (strace sprintsigmask_n): `[INT TERM]`, or `~[...]` listing
 * the signals left out when at least half are in.
 */
export function sigset(bytes: Uint8Array, o: DecodeOptions): string {
  const nsig = bytes.length * 8;
  let count = 0;
  for (const b of bytes) for (let m = b; m !== 0; m &= m - 1) count++;
  const invert = count >= nsig / 2;
  const parts: string[] = [];
  for (let i = 0; i < nsig; i++) {
    const set = ((bytes[i >> 3] >> (i & 7)) & 1) === 1;
    if (set === invert) continue;
    const sig = i + 1;
    const name = sig <= SIGRTMAX ? signame(sig).replace(/^SIG/, "") : String(sig);
    if (o.constStyle === "raw" || !Number.isNaN(Number(name))) parts.push(String(sig));
    else if (o.constStyle === "verbose") parts.push(`${sig} /* ${name} */`);
    else parts.push(name);
  }
  return (invert ? "~[" : "[") + parts.join(" ") + "]";
}

/** A permission mode in strace's %#03o: 0644, 000, 04755. */
export function mode(v: bigint): string {
  return v === 0n ? "000" : ("0" + v.toString(8)).padStart(3, "0");
}

/** A file descriptor argument (strace printfd), with -y's `<path>`. */
export function fd(v: bigint, o: DecodeOptions): string {
  const n = int(v);
  return String(n) + fdSuffix(n, o);
}

/** -y's `<path>` for a descriptor, or "" when -y is off or the descriptor has no path. */
export function fdSuffix(n: number, o: DecodeOptions): string {
  if (!o.decodeFds || n < 0 || o.fdPath === undefined) return "";
  const path = o.fdPath(n);
  return path === undefined ? "" : fdPathText(path, o);
}

const AT_FDCWD = -100;

/** A directory descriptor argument (strace print_dirfd): AT_FDCWD by name, with -y the cwd. */
export function dirfd(v: bigint, o: DecodeOptions): string {
  const n = int(v);
  if (n !== AT_FDCWD) return fd(v, o);
  const cwd = o.decodeFds && o.cwd !== undefined ? fdPathText(o.cwd(), o) : "";
  switch (o.constStyle) {
    case "raw": return `${AT_FDCWD}${cwd}`;
    case "verbose": return `${AT_FDCWD}${cwd} /* AT_FDCWD */`;
    default: return `AT_FDCWD${cwd}`;
  }
}

/**
 * The `/* 2023-11-14T22:13:20.000000123+0000 *\/` comment strace adds to a timestamp (in UTC, so
 * traces do not depend on the host's time zone); none for the epoch itself or out-of-range values.
 */
export function timeComment(sec: bigint, frac: bigint, digits: 6 | 9): string {
  if (sec === 0n && frac === 0n) return "";
  const limit = digits === 9 ? 1_000_000_000n : 1_000_000n;
  if (frac < 0n || frac >= limit) return "";
  const ms = Number(sec) * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return "";
  const d = new Date(ms);
  const p2 = (n: number): string => String(n).padStart(2, "0");
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) return "";
  let s = `${String(year).padStart(4, "0")}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  if (frac !== 0n) s += "." + frac.toString().padStart(digits, "0");
  return ` /* ${s}+0000 */`;
}
