// Registers as C integer types, and the two number formats everything else builds on: strace's %#x
// and its pointers. Below print.ts and strings.ts, which both need them.

const M32 = 0xffffffffn;

/** A register as C `int`. */
export const int = (v: bigint): number => Number(BigInt.asIntN(32, v));
/** A register as C `unsigned int`. */
export const u32 = (v: bigint): bigint => v & M32;
/** A register as C `long`. */
export const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
/** A register as C `unsigned long`. */
export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** A number in strace's %#x: `0x1f`, and `0` for zero. */
export function hex(v: bigint): string {
  return v === 0n ? "0" : "0x" + v.toString(16);
}

/** A pointer: NULL or its hex address. */
export function ptr(v: bigint): string {
  return v === 0n ? "NULL" : "0x" + u64(v).toString(16);
}
