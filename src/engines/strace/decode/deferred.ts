// Small pieces the generic decoder and the family files share: arguments printed at exit, a
// descriptor return value, ids and clocks, a word of guest memory. Kept below generic.ts, which
// imports the family files' struct printers, so that the family files need not import it.
import { CLOCK_NAMES } from "../../../abi/xlat/time.js";
import type { Arg, DecodeOptions, Exit, GuestMemory } from "./types.js";
import { fdSuffix, int, ptr, s64, u32, xval } from "./print.js";

/** A deferred argument that prints `show` at exit, or the address when the call failed. */
export function out(addr: bigint, show: (x: Exit) => string): Arg {
  return (x) => (x.failed ? ptr(addr) : show(x));
}

/** A descriptor return value, with -y's path. */
export function fdRet(x: Exit): string {
  const n = int(x.ret);
  return String(s64(x.ret)) + fdSuffix(n, x.o);
}

/** A 32-bit id (uid/gid): -1 as -1, others unsigned. */
export function idText(v: bigint): string {
  return int(v) === -1 ? "-1" : String(u32(v));
}

/** A clock id. */
export function clockName(v: bigint, o: DecodeOptions): string {
  return xval(u32(v), CLOCK_NAMES, "CLOCK_???", o, { bits: 32 });
}

/** Reads a 64-bit word, or undefined when unreadable. */
export function readWord(mem: GuestMemory, addr: bigint): bigint | undefined {
  const b = mem.read(addr, 8);
  if (b === null) return undefined;
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
}
