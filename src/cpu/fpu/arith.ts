// The FPU's fast paths: correctly rounded binary64 and binary32 arithmetic in JavaScript numbers,
// in all five rounding modes, with exact accrued flags. See ../fpu.ts for the overall scheme.
//
// The *Core functions return the correctly rounded result and accumulate the exception flags they
// raise (read them with takeFlags), or return NaN when the case belongs to the BigInt slow path
// in ./softfloat.ts (NaN or infinite operands, and whatever lies outside the ranges where the
// error-free transformations used here are exact); the slow path then computes result and flags.
// No fast path ever produces a NaN result, so NaN is free to mean "not handled".

import type { Hart } from "../hart.js";

// Rounding modes and flags, as in ./softfloat.ts; repeated as local constants because V8 optimizes
// local constants better than imported bindings on these hot paths.
const RNE = 0;
const RTZ = 1;
const RDN = 2;
const RUP = 3;
const RMM = 4;
const NV = 16;
const OF = 4;
const UF = 2;
const NX = 1;

// ---- constants and scratch ----

const SAFE_LO_D = 2 ** -1021;
const TWO_M1000 = 2 ** -1000;
const TWO_M900 = 2 ** -900;
const TWO_995 = 2 ** 995;
const TWO_1000 = 2 ** 1000;
const TWO_1020 = 2 ** 1020;
const TWO_32 = 4294967296;
const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;
const TWO_M126 = 2 ** -126;
const TWO_M127 = 2 ** -127;
const TWO_M149 = 2 ** -149;
const TWO_128 = 2 ** 128;
const F32_MAX = (2 - 2 ** -23) * 2 ** 127;
/** Veltkamp's splitting constant for binary64: 2^27 + 1. */
const SPLIT = 134217729;
/** Splitting constant that rounds a binary64 number to 25 bits: 2^28 + 1. */
const SPLIT25 = 268435457;

const scratch = new Float64Array(1);
const scratchI = new Int32Array(scratch.buffer);

/** Flags raised since the last takeFlags(). */
let fl = 0;

/** Returns the flags raised since the last call, and clears them. */
export function takeFlags(): number {
  const f = fl;
  fl = 0;
  return f;
}

// ---- double-precision helpers ----

/** The double one unit in the last place further from zero than x (finite, non-zero). */
function stepAway(x: number): number {
  scratch[0] = x;
  const lo = scratchI[0];
  if (lo === -1) {
    scratchI[0] = 0;
    scratchI[1] = scratchI[1] + 1;
  } else {
    scratchI[0] = lo + 1;
  }
  return scratch[0];
}

/** The double one unit in the last place closer to zero than x (finite, non-zero). */
function stepTowardZero(x: number): number {
  scratch[0] = x;
  const lo = scratchI[0];
  if (lo === 0) {
    scratchI[0] = -1;
    scratchI[1] = scratchI[1] - 1;
  } else {
    scratchI[0] = lo - 1;
  }
  return scratch[0];
}

/** Half the distance from x (normal) to its neighbour away from zero (away) or toward zero. */
function halfGap(x: number, away: boolean): number {
  const n = away ? stepAway(x) : stepTowardZero(x);
  return Math.abs(n - x) * 0.5;
}

/**
 * Finishes an inexact double result: v is the round-to-nearest-even value (normal, |v| > 2^-1022,
 * finite), d the sign of (exact − v), tie whether the exact value lies halfway between v and its
 * neighbour (only needed for RMM). Raises NX, and OF if a directed step overflows.
 */
function inexactD(v: number, d: number, rm: number, tie: boolean): number {
  fl |= NX;
  return rm === RNE ? v : directedD(v, d, rm, tie);
}

function directedD(v: number, d: number, rm: number, tie: boolean): number {
  let r = v;
  switch (rm) {
    case RTZ:
      if (d > 0 !== v > 0) r = stepTowardZero(v);
      break;
    case RDN:
      if (d < 0) r = v > 0 ? stepTowardZero(v) : stepAway(v);
      break;
    case RUP:
      if (d > 0) r = v > 0 ? stepAway(v) : stepTowardZero(v);
      break;
    case RMM:
      if (tie && d > 0 === v > 0) r = stepAway(v);
      break;
  }
  if (r === Infinity || r === -Infinity) fl |= OF;
  return r;
}

/** Whether an RNE result v with rounding error err (exact = v + err) was a tie; only for RMM. */
function isTie(v: number, err: number): boolean {
  return Math.abs(err) === halfGap(v, err > 0 === v > 0);
}

/** The error of the product p = fl(a·b): a·b = p + result exactly, when nothing over/underflows. */
function twoProductErr(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return al * bl - (((p - ah * bh) - al * bh) - ah * bl);
}

/** The exact zero sum x + y (both summands zero, or cancelling) in round-down mode. */
function zeroSumRdn(x: number, y: number): number {
  return Object.is(x, 0) && Object.is(y, 0) ? 0 : -0;
}

// The *CoreD functions return the correctly rounded double result and raise flags in fl, or NaN
// when the case is for the BigInt slow path (which then computes the result and flags itself).

export function addCoreD(a: number, b: number, rm: number): number {
  const s = a + b;
  const as = Math.abs(s);
  if (as >= SAFE_LO_D && as < Infinity) {
    const bb = s - a;
    const err = a - (s - bb) + (b - bb);
    if (err === 0) return s;
    // An operand near the overflow threshold can overflow TwoSum's intermediates (err not finite).
    if (!(Math.abs(err) < Infinity)) return NaN;
    return inexactD(s, err, rm, rm === RMM && isTie(s, err));
  }
  // Sums below 2^-1021 in magnitude are exact (both operands are multiples of 2^-1074).
  if (as < SAFE_LO_D) return s === 0 && rm === RDN ? zeroSumRdn(a, b) : s;
  return NaN;
}

export function mulCoreD(a: number, b: number, rm: number): number {
  const p = a * b;
  const ap = Math.abs(p);
  if (ap >= TWO_M900 && ap <= TWO_1020) {
    const aa = Math.abs(a);
    const ab = Math.abs(b);
    if (aa <= TWO_995 && ab <= TWO_995 && aa >= TWO_M1000 && ab >= TWO_M1000) {
      const err = twoProductErr(a, b, p);
      if (err === 0) return p;
      return inexactD(p, err, rm, rm === RMM && isTie(p, err));
    }
  } else if (p === 0 && (a === 0 || b === 0)) {
    return p;
  }
  return NaN;
}

export function divCoreD(a: number, b: number, rm: number): number {
  const q = a / b;
  const aq = Math.abs(q);
  if (aq >= TWO_M1000 && aq <= TWO_995) {
    const aa = Math.abs(a);
    const ab = Math.abs(b);
    if (ab <= TWO_995 && ab >= TWO_M1000 && aa >= TWO_M900 && aa <= TWO_1020) {
      // r = a − q·b is exactly representable; a − ph is exact by Sterbenz's lemma.
      const ph = q * b;
      const r = a - ph - twoProductErr(q, b, ph);
      if (r === 0) return q;
      // A quotient of two binary64 numbers is never exactly halfway between two of them.
      return inexactD(q, r > 0 === b > 0 ? 1 : -1, rm, false);
    }
  } else if (q === 0 && a === 0) {
    return q;
  }
  return NaN;
}

export function sqrtCoreD(a: number, rm: number): number {
  if (a >= TWO_M900 && a <= TWO_1000) {
    const s = Math.sqrt(a);
    const ph = s * s;
    const r = a - ph - twoProductErr(s, s, ph);
    if (r === 0) return s;
    // A square root is never exactly halfway between two binary64 numbers.
    return inexactD(s, r, rm, false);
  }
  if (a === 0) return a;
  return NaN;
}

/**
 * a·b + c rounded once. With (ph, pl) = TwoProduct(a, b), (uh, ul) = TwoSum(c, ph),
 * (t, tl) = TwoSum(ul, pl) and (v, vl) = TwoSum(uh, t), the exact result is v + vl + tl, with
 * v = RNE(uh + t). When |t| ≤ |uh|/16 (no massive cancellation), every quantity here is a multiple
 * of ulp(t), and |tl| ≤ ulp(t)/2, so tl can only decide the direction when vl = 0, and it can
 * make a difference to round-to-nearest only when vl is exactly half a gap (then we go slow).
 */
export function fmaCoreD(a: number, b: number, c: number, rm: number): number {
  const p = a * b;
  const ap = Math.abs(p);
  if (ap >= TWO_M900 && ap <= TWO_1020) {
    const aa = Math.abs(a);
    const ab = Math.abs(b);
    if (aa > TWO_995 || ab > TWO_995 || aa < TWO_M1000 || ab < TWO_M1000 || !(Math.abs(c) <= TWO_1020)) return NaN;
    const pl = twoProductErr(a, b, p);
    const uh = c + p;
    let bb = uh - c;
    const ul = c - (uh - bb) + (p - bb);
    const t = ul + pl;
    bb = t - ul;
    const tl = ul - (t - bb) + (pl - bb);
    if (!(Math.abs(t) * 16 <= Math.abs(uh))) return NaN;
    const v = uh + t;
    bb = v - uh;
    const vl = uh - (v - bb) + (t - bb);
    const av = Math.abs(v);
    if (!(av >= SAFE_LO_D && av < Infinity)) return NaN;
    if (vl === 0) {
      if (tl === 0) return v;
      return inexactD(v, tl, rm, false);
    }
    let tie = false;
    if (tl !== 0 || rm === RMM) {
      if (Math.abs(vl) === halfGap(v, vl > 0 === v > 0)) {
        if (tl !== 0) return NaN;
        tie = true;
      }
    }
    return inexactD(v, vl, rm, tie);
  }
  if (p === 0 && (a === 0 || b === 0) && Math.abs(c) < Infinity) {
    if (c !== 0) return c;
    return rm === RDN ? zeroSumRdn(p, c) : p + c;
  }
  return NaN;
}

// ---- single-precision rounding ----

const M_TZ = 0;
const M_AWAY = 1;
const M_NE = 2;
const M_MM = 3;

function magMode(rm: number, neg: boolean): number {
  switch (rm) {
    case RTZ:
      return M_TZ;
    case RDN:
      return neg ? M_AWAY : M_TZ;
    case RUP:
      return neg ? M_TZ : M_AWAY;
    case RMM:
      return M_MM;
    default:
      return M_NE;
  }
}

let magInexact = false;

/**
 * Rounds the magnitude ax + ε·up (ax > 0 a double, ε a positive infinitesimal, up ∈ {-1, 0, 1}) to
 * 24 significant bits: on binary32's grid, or with an unbounded exponent range when `unbounded`
 * (which needs ax ≥ 2^-127). Sets magInexact. The result may be 2^128 or more (overflow).
 */
function roundMag24(ax: number, up: number, mode: number, unbounded: boolean): number {
  let q: number;
  if (ax < TWO_M126 && !unbounded) {
    q = TWO_M149;
  } else {
    scratch[0] = ax;
    const hi = scratchI[1];
    let k = (hi >>> 20) - 1023;
    // Just below a power of two the grid is twice as fine (except where subnormals begin).
    if (up < 0 && (hi & 0xfffff) === 0 && scratchI[0] === 0 && (unbounded || ax > TWO_M126)) k -= 1;
    q = 2 ** (k - 23);
  }
  const y = ax / q;
  const lo0 = Math.floor(y);
  const frac = y - lo0;
  let lo = lo0;
  let cmp: number;
  if (frac === 0) {
    if (up === 0) {
      magInexact = false;
      return ax;
    }
    if (up > 0) {
      cmp = -1;
    } else {
      lo = lo0 - 1;
      cmp = 1;
    }
  } else {
    cmp = frac < 0.5 ? -1 : frac > 0.5 ? 1 : up;
  }
  magInexact = true;
  let n = lo;
  if (mode === M_AWAY || (mode === M_NE && (cmp > 0 || (cmp === 0 && (lo & 1) === 1))) || (mode === M_MM && cmp >= 0)) {
    n = lo + 1;
  }
  return n * q;
}

/**
 * Rounds x + ε·sgn (x a finite double, ε a positive infinitesimal, sgn ∈ {-1, 0, 1}) to binary32 in
 * mode rm, raising NX, UF (tiny after rounding, and inexact) and OF. Returns the binary32 value.
 */
export function roundF32(x: number, sgn: number, rm: number): number {
  if (sgn === 0 && rm === RNE) {
    const f = Math.fround(x);
    if (f === x) return f;
    // (Tininess is judged on x: a value just below 2^-126 may round up to it and still be tiny.)
    if (Math.abs(x) >= TWO_M126 && Math.abs(f) < Infinity) {
      fl |= NX;
      return f;
    }
  }
  if (x === 0) return x;
  const neg = x < 0;
  const ax = neg ? -x : x;
  const up = neg ? -sgn : sgn;
  const mode = magMode(rm, neg);
  let r = roundMag24(ax, up, mode, false);
  if (r >= TWO_128) {
    // Overflow (the exact value may be representable with 24 bits, but not with 8 exponent bits).
    fl |= OF | NX;
    r = mode === M_TZ ? F32_MAX : Infinity;
  } else if (magInexact) {
    fl |= NX;
    if (ax < TWO_M126 || (ax === TWO_M126 && up < 0)) {
      if (ax < TWO_M127 || roundMag24(ax, up, mode, true) < TWO_M126) fl |= UF;
    }
  }
  return neg ? -r : r;
}

/** Sign of a/b − q for the double q ≈ a/b of binary32 operands. */
function divResidual(a: number, b: number, q: number): number {
  const ph = q * b;
  const r = a - ph - twoProductErr(q, b, ph);
  return r === 0 ? 0 : r > 0 === b > 0 ? 1 : -1;
}

/** Sign of √a − s for the double s ≈ √a. */
function sqrtResidual(a: number, s: number): number {
  const ph = s * s;
  const r = a - ph - twoProductErr(s, s, ph);
  return r === 0 ? 0 : r > 0 ? 1 : -1;
}

// The *CoreS functions take binary32 values (as doubles) and return the binary32 result, or NaN
// for the slow path (a NaN or infinite operand, or division by zero).

export function addCoreS(a: number, b: number, rm: number): number {
  const s = a + b;
  if (s - s !== 0) return NaN;
  if (s === 0) return rm === RDN ? zeroSumRdn(a, b) : s;
  const bb = s - a;
  const err = a - (s - bb) + (b - bb);
  if (rm === RNE) {
    // binary64 has more than 2·24 + 2 bits: rounding the double sum to binary32 is correct.
    const f = Math.fround(s);
    if (Math.abs(s) >= TWO_M126 && Math.abs(f) < Infinity) {
      if (f !== s || err !== 0) fl |= NX;
      return f;
    }
  }
  return roundF32(s, err > 0 ? 1 : err < 0 ? -1 : 0, rm);
}

export function mulCoreS(a: number, b: number, rm: number): number {
  const p = a * b; // exact: 24 × 24 bits
  if (p - p !== 0) return NaN;
  return roundF32(p, 0, rm);
}

export function divCoreS(a: number, b: number, rm: number): number {
  const q = a / b;
  if (q - q !== 0) return NaN;
  if (q === 0) return q;
  if (rm === RNE) {
    const f = Math.fround(q);
    if (Math.abs(q) > TWO_M126 && Math.abs(f) < Infinity) {
      if (f !== q || divResidual(a, b, q) !== 0) fl |= NX;
      return f;
    }
  }
  return roundF32(q, divResidual(a, b, q), rm);
}

export function sqrtCoreS(a: number, rm: number): number {
  if (!(a > 0 && a < Infinity)) return a === 0 ? a : NaN;
  const s = Math.sqrt(a);
  const f = Math.fround(s);
  if (rm === RNE) {
    // Never tiny or overflowing; f is correctly rounded (binary64 has ≥ 2·24 + 2 bits).
    if (f !== s || f * f !== a) fl |= NX;
    return f;
  }
  return roundF32(s, sqrtResidual(a, s), rm);
}

export function fmaCoreS(a: number, b: number, c: number, rm: number): number {
  const p = a * b; // exact
  const s = p + c;
  if (s - s !== 0) return NaN;
  if (s === 0) return rm === RDN ? zeroSumRdn(p, c) : s;
  const bb = s - p;
  const err = p - (s - bb) + (c - bb);
  if (rm === RNE) {
    const f = Math.fround(s);
    if (Math.abs(s) > TWO_M126 && Math.abs(f) < Infinity) {
      if (err === 0) {
        if (f !== s) fl |= NX;
        return f;
      }
      // The exact sum lies within the same gap between 25-bit numbers (binary32 values and the
      // midpoints between them) as its binary64 rounding s, unless s is one of those numbers;
      // Veltkamp-splitting s to 25 bits tells whether it is.
      const t = s * SPLIT25;
      if (t - (t - s) !== s) {
        fl |= NX;
        return f;
      }
    }
  }
  return roundF32(s, err > 0 ? 1 : err < 0 ? -1 : 0, rm);
}

// ---- conversions to integers ----

/** Rounds a double to an integral double in mode rm (infinities stay). */
export function roundToIntegral(v: number, rm: number): number {
  switch (rm) {
    case RTZ:
      return Math.trunc(v);
    case RDN:
      return Math.floor(v);
    case RUP:
      return Math.ceil(v);
    case RMM: {
      const t = Math.trunc(v);
      return Math.abs(v - t) >= 0.5 ? t + (v < 0 ? -1 : 1) : t;
    }
    default: {
      const f = Math.floor(v);
      const d = v - f;
      if (d < 0.5) return f;
      if (d > 0.5) return f + 1;
      return f % 2 === 0 ? f : f + 1;
    }
  }
}

/** Writes a 64-bit integer held exactly in a double (|r| < 2^64) to x[rd]. */
function writeXNum(h: Hart, rd: number, r: number): void {
  if (rd === 0) return;
  const hi = Math.floor(r / TWO_32);
  h.x[2 * rd] = (r - hi * TWO_32) | 0;
  h.x[2 * rd + 1] = hi | 0;
}

export function writeX(h: Hart, rd: number, lo: number, hi: number): void {
  if (rd === 0) return;
  h.x[2 * rd] = lo;
  h.x[2 * rd + 1] = hi;
}

/**
 * FCVT.{W,WU,L,LU}.{S,D} of the value v (NaN for any NaN), kind 0 = W, 1 = WU, 2 = L, 3 = LU:
 * out-of-range and NaN inputs saturate and raise NV only; in-range inexact results raise NX.
 */
export function cvtToInt(h: Hart, rd: number, v: number, rm: number, kind: number): void {
  const nan = v !== v;
  const r = nan ? 0 : roundToIntegral(v, rm);
  switch (kind) {
    case 0:
      if (nan || r > 2147483647) {
        fl |= NV;
        writeX(h, rd, 0x7fffffff, 0);
      } else if (r < -2147483648) {
        fl |= NV;
        writeX(h, rd, -0x80000000, -1);
      } else {
        if (r !== v) fl |= NX;
        writeX(h, rd, r | 0, r < 0 ? -1 : 0);
      }
      return;
    case 1:
      if (nan || r > 4294967295) {
        fl |= NV;
        writeX(h, rd, -1, -1);
      } else if (r < 0) {
        fl |= NV;
        writeX(h, rd, 0, 0);
      } else {
        if (r !== v) fl |= NX;
        const lo = r | 0;
        writeX(h, rd, lo, lo >> 31);
      }
      return;
    case 2:
      if (nan || r >= TWO_63) {
        fl |= NV;
        writeX(h, rd, -1, 0x7fffffff);
      } else if (r < -TWO_63) {
        fl |= NV;
        writeX(h, rd, 0, -0x80000000);
      } else {
        if (r !== v) fl |= NX;
        writeXNum(h, rd, r);
      }
      return;
    default:
      if (nan || r >= TWO_64) {
        fl |= NV;
        writeX(h, rd, -1, -1);
      } else if (r < 0) {
        fl |= NV;
        writeX(h, rd, 0, 0);
      } else {
        if (r !== v) fl |= NX;
        writeXNum(h, rd, r);
      }
      return;
  }
}

/** Rounds the 64-bit integer hi·2^32 + lo (hiV already scaled to a double, lo < 2^32) to double. */
export function intToD(hiV: number, lo: number, rm: number): number {
  const s = hiV + lo;
  const bb = s - hiV;
  const err = hiV - (s - bb) + (lo - bb);
  if (err === 0) return s;
  return inexactD(s, err, rm, rm === RMM && isTie(s, err));
}

/** Rounds the 64-bit integer hi·2^32 + lo to binary32. */
export function intToS(hiV: number, lo: number, rm: number): number {
  const s = hiV + lo;
  const bb = s - hiV;
  const err = hiV - (s - bb) + (lo - bb);
  return roundF32(s, err > 0 ? 1 : err < 0 ? -1 : 0, rm);
}

