// Edge values for the directed units (directed.mjs): integer operands at the limits of the 64- and
// 32-bit ranges (also with junk in the upper half, which the W forms must ignore), shift amounts
// around 31, 32 and 63, and floating-point values at the limits of the integer conversions.
import { f32bits, f64bits } from "./values.mjs";

const M32 = 0xffffffffn;

/** 64-bit integer edges (signed BigInts). */
export const INT_EDGES = [
  0n, 1n, -1n, 2n, -2n, 3n, 7n,
  -(1n << 63n), (1n << 63n) - 1n, -(1n << 63n) + 1n, (1n << 63n) - 2n,
  0x80000000n, 0x7fffffffn, 0xffffffffn, -0x80000000n, -0x7fffffffn, -0x80000001n, 0x80000001n,
  0x100000000n, 0x17fffffffn, 0xffffffff7fffffffn, 0x00000001_00000001n, 0xffffffff_00000000n,
  0x5555555555555555n, -0x5555555555555556n, 1n << 32n, (1n << 53n) + 1n, 1n << 62n,
].map((v) => BigInt.asIntN(64, v));

/** Low words that make the W forms overflow, divide by zero or change sign. */
const LOW_EDGES = [0n, 1n, M32, 0x80000000n, 0x7fffffffn, 0x80000001n, 0xfffffffen, 31n, 32n, 63n];

/** A 64-bit integer operand: an edge, an edge low word under random upper bits, or random. */
export function intEdge(rng) {
  return rng.weighted([
    [6, () => rng.pick(INT_EDGES)],
    [3, () => BigInt.asIntN(64, (BigInt(rng.u32()) << 32n) | rng.pick(LOW_EDGES))],
    [1, () => BigInt.asIntN(64, rng.u64())],
  ])();
}

/** A shift amount register value: the low 6 (or 5) bits at the limits, with junk above them. */
export function shiftEdge(rng) {
  const low = rng.pick([0, 1, 31, 32, 33, 63, 30, 16]);
  return rng.weighted([
    [5, () => BigInt(low)],
    [2, () => BigInt(low + 64 * rng.range(1, 3))],
    [2, () => BigInt.asIntN(64, (rng.u64() & ~63n) | BigInt(low))],
    [1, () => -1n],
  ])();
}

// ---- floating point ----

const P31 = 2 ** 31;
const P32 = 2 ** 32;
const P63 = 2 ** 63;
const P64 = 2 ** 64;

/** Numbers at the limits of fcvt.{w,wu,l,lu}: the bounds, half a unit either side, and more. */
const CONVERSION_EDGES = [
  0, 0.5, 0.75, 1, 1.5, 2.5, -0.25, -0.5, -0.75, -1, -1.5, -2.5,
  P31, P31 - 1, P31 - 0.5, P31 + 0.5, P31 + 1, -P31, -P31 - 0.5, -P31 - 1, -P31 + 0.5, -P31 + 1,
  P32, P32 - 1, P32 - 0.5, P32 + 0.5, P63, -P63, P64, -P64,
  2 ** 52, 2 ** 53, 2 ** 24, 1e10, -1e10, 1e300, -1e300,
];

/** Bit patterns that are no plain number: infinities, zeros, NaNs (quiet, signalling, negative). */
const D_SPECIAL = [
  0n, 1n << 63n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0xfff8000000000000n,
  0x7ff0000000000001n, 0x7ff4000000000000n, 0xfff0000000000001n, 0x7fffffffffffffffn,
  1n, 0x800fffffffffffffn, 0x0010000000000000n, 0x7fefffffffffffffn, 0xffefffffffffffffn,
];
const S_SPECIAL = [
  0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa00000, 0xff800001, 0x7fffffff,
  1, 0x807fffff, 0x00800000, 0x7f7fffff, 0xff7fffff,
];

/** A neighbour of a finite non-zero pattern: one unit in the last place up or down (same sign). */
function nudge(rng, bits, mask) {
  return rng.pick([bits, bits, (bits + 1n) & mask, (bits - 1n) & mask]);
}

/** A binary64 pattern (unsigned BigInt) for a conversion to an integer, or for fclass and moves. */
export function doubleEdge(rng) {
  if (rng.chance(0.3)) return rng.pick(D_SPECIAL);
  const bits = f64bits(rng.pick(CONVERSION_EDGES));
  return bits === 0n ? bits : nudge(rng, bits, (1n << 64n) - 1n);
}

/** A binary32 pattern (unsigned BigInt, not boxed), as doubleEdge. */
export function singleEdge(rng) {
  if (rng.chance(0.3)) return BigInt(rng.pick(S_SPECIAL));
  const bits = BigInt(f32bits(rng.pick(CONVERSION_EDGES)));
  return bits === 0n ? bits : nudge(rng, bits, M32);
}

/**
 * A binary64 pattern for fcvt.s.d: a binary32 edge (largest finite, smallest normal, subnormals)
 * exactly, half a binary32 unit above or below it (a rounding tie), or a double unit off that.
 */
export function narrowingEdge(rng) {
  const s = Number(rng.chance(0.5) ? singleEdge(rng) : BigInt(rng.pick([0x7f7fffff, 0x00800000, 0x007fffff, 1, 0x00000002, 0x3f800001, 0x4b000001])));
  const exp = (s >>> 23) & 0xff;
  if (exp === 0xff) return rng.pick(D_SPECIAL);
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, s);
  const x = view.getFloat32(0);
  // x ± half a binary32 unit is exact in binary64 (at most 25 significant bits).
  const halfUlp = exp === 0 ? 2 ** -150 : 2 ** (exp - 127 - 24);
  const t = rng.pick([0, 1, -1, 1, -1]) * halfUlp;
  const bits = f64bits(x + t);
  return t === 0 ? bits : nudge(rng, bits, (1n << 64n) - 1n);
}
