// "Interesting" register and memory values for the fuzzer: integer edge cases, and binary32 /
// binary64 bit patterns around zero, the subnormal range, overflow, conversion limits, ties and NaNs.

const BOX = 0xffffffff00000000n;
const M64 = (1n << 64n) - 1n;
const scratch = new DataView(new ArrayBuffer(8));

export const u64 = (v) => BigInt.asUintN(64, BigInt(v));

export function f64bits(x) {
  scratch.setFloat64(0, x);
  return scratch.getBigUint64(0);
}

export function f32bits(x) {
  scratch.setFloat32(0, x);
  return scratch.getUint32(0);
}

/** A binary32 bit pattern NaN-boxed into an FP register value. */
export const boxed = (b32) => BOX | BigInt(b32 >>> 0);

const INT_SPECIAL = [
  0n, 1n, -1n, 2n, -2n, 3n, 5n, 7n, 31n, 32n, 33n, 63n, 64n, 65n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn,
  0x7fffffffn, 0x80000000n, 0x80000001n, 0xffffffffn, 0x100000000n, 0x1ffffffffn, -0x80000000n, -0x80000001n,
  -0x7fffffffn, 0x7fffffffffffffffn, -0x8000000000000000n, -0x7fffffffffffffffn, 0x7ffffffffffffffen,
  0xfffffffffffffffen, 0x5555555555555555n, 0xaaaaaaaaaaaaaaaan, 0x00000000deadbeefn, 0xffffffff80000000n,
  0x0000000080000000n, 0x8000000080000000n, 16777216n, 16777217n, 9007199254740992n, 9007199254740993n,
  -9007199254740993n, 0x20000000000001n, 0x7fffffffffffffc0n, 0x7ffffffffffffe00n,
].map(u64);

const DOUBLE_SPECIAL = [
  0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3.5, 0.1, -0.75, 2, 3, 10, 1e300, -1e300, 1e-300,
  Infinity, -Infinity, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE,
  2.2250738585072014e-308, 2.225073858507201e-308, -2.2250738585072014e-308,
  2147483647, 2147483647.5, 2147483647.4, 2147483648, 2147483648.5, -2147483648, -2147483648.5, -2147483649,
  -2147483648.4, 4294967295, 4294967295.5, 4294967296, -0.4, -0.6, -1.5,
  9223372036854775807, 9223372036854774784, -9223372036854775808, -9223372036854777856, 18446744073709551615,
  18446744073709549568, 18446744073709551616, 3.4028234663852886e38, 3.4028235677973366e38, 3.4028236e38,
  1.1754943508222875e-38, 1.401298464324817e-45, 7.006492321624085e-46, 7.006492321624087e-46, 1.0000000596046448,
  1.0000000298023224, 16777217, 16777216.5, 9007199254740991, 9007199254740993,
].map(f64bits);
const DOUBLE_NAN = [
  0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff8000000000123n, 0x7ff0000000000001n, 0x7ff4000000000000n,
  0xfff0000000000001n, 0x7fffffffffffffffn, 0x7ff7ffffffffffffn,
];
const SINGLE_SPECIAL = [
  0, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0xbf000000, 0x3fc00000, 0x40200000, 0xc0200000, 0x40000000,
  0x7f800000, 0xff800000, 0x7f7fffff, 0xff7fffff, 0x00000001, 0x80000001, 0x007fffff, 0x00800000, 0x80800000,
  0x00400000, 0x4f000000, 0x4effffff, 0xcf000000, 0xcf000001, 0x4f800000, 0x4f7fffff, 0x5f000000, 0x5effffff,
  0xdf000000, 0xdf000001, 0x5f800000, 0x5f7fffff, 0x4b800000, 0x4b7fffff, 0x3dcccccd, 0xbecccccd, 0xbf19999a,
];
const SINGLE_NAN = [0x7fc00000, 0xffc00000, 0x7fc00123, 0x7f800001, 0x7fa00000, 0xff800001, 0x7fffffff, 0x7fbfffff];

function bitsOfNumberLike(hi, lo) {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** A random binary64 with a chosen exponent region and mantissa shape. */
export function randomDouble(rng) {
  const sign = rng.chance(0.4) ? 1n : 0n;
  const exp = rng.weighted([
    [3, () => 0],
    [3, () => rng.range(1, 3)],
    [10, () => 1023 + rng.range(-10, 10)],
    [5, () => 1023 + rng.range(-64, 64)],
    [4, () => 1023 + rng.range(-540, -480)],
    [4, () => 1023 + rng.range(480, 540)],
    [3, () => rng.range(2040, 2046)],
    [3, () => 1023 + rng.pick([30, 31, 32, 62, 63, 64, -1, -2])],
    [3, () => 1023 + rng.range(-152, -124)],
    [3, () => 1023 + rng.range(125, 129)],
    [1, () => 2047],
    [6, () => rng.range(0, 2046)],
  ])();
  const mant = rng.weighted([
    [8, () => rng.u64() & 0xfffffffffffffn],
    [3, () => 0n],
    [4, () => (rng.u64() & 0xfffffffffffffn) >> BigInt(rng.range(20, 50)) << BigInt(rng.range(20, 50)) & 0xfffffffffffffn],
    [1, () => 0xfffffffffffffn],
    [2, () => 1n << BigInt(rng.range(0, 51))],
    // binary32 rounding ties and near-ties for fcvt.s.d
    [3, () => ((rng.u64() & 0x7fffffn) << 29n) | (1n << 28n) | BigInt(rng.pick([0, 0, 1, -1]) & 1)],
    [2, () => ((rng.u64() & 0x7fffffn) << 29n) | ((1n << 28n) - 1n)],
  ])();
  if (exp === 2047 && mant === 0n && rng.chance(0.5)) return (sign << 63n) | (2047n << 52n) | 1n;
  return (sign << 63n) | (BigInt(exp) << 52n) | (mant & 0xfffffffffffffn);
}

/** A random binary32 bit pattern (not boxed). */
export function randomSingle(rng) {
  const sign = rng.chance(0.4) ? 1 : 0;
  const exp = rng.weighted([
    [3, () => 0],
    [3, () => rng.range(1, 3)],
    [10, () => 127 + rng.range(-10, 10)],
    [5, () => 127 + rng.range(-30, 30)],
    [3, () => rng.range(1, 40)],
    [3, () => rng.range(215, 254)],
    [3, () => 127 + rng.pick([30, 31, 32, 62, 63, 64, -1, -2])],
    [1, () => 255],
    [5, () => rng.range(0, 254)],
  ])();
  const mant = rng.weighted([
    [8, () => rng.u32() & 0x7fffff],
    [3, () => 0],
    [4, () => ((rng.u32() & 0x7fffff) >>> rng.range(8, 20)) << rng.range(8, 20) & 0x7fffff],
    [1, () => 0x7fffff],
    [2, () => 1 << rng.range(0, 22)],
  ])();
  let m = mant;
  if (exp === 255 && m === 0 && rng.chance(0.5)) m = 1;
  return ((sign << 31) | (exp << 23) | m) >>> 0;
}

/** n + 0.5 (or n ± 0.5 ± one ulp) for an integer n of a random size that keeps the .5 exact. */
function halfway(rng, mantBits) {
  const mag = 2 ** rng.pick([0, 1, 2, 3, rng.range(0, mantBits - 1), mantBits - 1, 31, 32, 63]);
  const n = Math.floor(rng.u32() / 4294967296 * mag) * (rng.chance(0.4) ? -1 : 1);
  const v = n + 0.5;
  return rng.chance(0.8) ? v : v + (rng.chance(0.5) ? 1 : -1) * Math.abs(v) * 2 ** -mantBits;
}

/** A binary64 value for an FP register (unsigned BigInt bits). */
export function fpValueD(rng) {
  return rng.weighted([
    [6, () => rng.pick([0n, 1n << 63n])],
    [2, () => rng.pick([f64bits(Infinity), f64bits(-Infinity)])],
    [2, () => rng.pick(DOUBLE_NAN)],
    [14, () => rng.pick(DOUBLE_SPECIAL)],
    [30, () => randomDouble(rng)],
    [5, () => f64bits(rng.range(-100000, 100000) / rng.pick([1, 1, 2, 4, 8, 3, 10]))],
    // halfway between integers: ties for the conversions to integers
    [4, () => f64bits(halfway(rng, 52))],
    // exactly representable in binary32
    [3, () => {
      scratch.setUint32(0, randomSingle(rng));
      return f64bits(scratch.getFloat32(0));
    }],
  ])();
}

/** A NaN-boxed binary32 value for an FP register; now and then one that is not properly boxed. */
export function fpValueS(rng) {
  return rng.weighted([
    [6, () => boxed(rng.pick([0, 0x80000000]))],
    [2, () => boxed(rng.pick([0x7f800000, 0xff800000]))],
    [2, () => boxed(rng.pick(SINGLE_NAN))],
    [16, () => boxed(rng.pick(SINGLE_SPECIAL))],
    [30, () => boxed(randomSingle(rng))],
    [5, () => boxed(f32bits(rng.range(-100000, 100000) / rng.pick([1, 1, 2, 4, 8, 3, 10])))],
    [4, () => boxed(f32bits(halfway(rng, 23)))],
    // not NaN-boxed: reads as the canonical NaN in single-precision instructions
    [1, () => BigInt(randomSingle(rng))],
    [0.5, () => bitsOfNumberLike(rng.range(0, 0xfffffffe), rng.u32())],
  ])();
}

/** A 64-bit value for an FP register or FP data in memory, of either format. */
export function fpValue(rng) {
  return rng.chance(0.5) ? fpValueD(rng) : fpValueS(rng);
}

/** A 64-bit value for an integer register or integer data in memory (unsigned BigInt). */
export function intValue(rng) {
  return rng.weighted([
    [30, () => rng.pick(INT_SPECIAL)],
    [15, () => u64(rng.range(-40, 40))],
    [15, () => rng.u64()],
    [10, () => u64(BigInt.asIntN(32, BigInt(rng.u32())))],
    [5, () => BigInt(rng.u32())],
    [10, () => {
      const p = 1n << BigInt(rng.range(0, 63));
      const v = p + BigInt(rng.range(-1, 1));
      return u64(rng.chance(0.3) ? -v : v);
    }],
    [10, () => fpValue(rng)],
    [5, () => u64(rng.range(-2048, 2047))],
  ])() & M64;
}
