// Exact IEEE 754 binary32 / binary64 arithmetic on raw bit patterns, done with BigInt.
//
// This is the FPU's slow path and its reference: every result is computed exactly (or, for divide
// and square root, with enough quotient bits plus a sticky bit) and rounded once by `roundPack`,
// in any of the five RISC-V rounding modes, with the accrued flags RISC-V specifies (tininess is
// detected after rounding; underflow is signalled only when the result is also inexact). The fast
// paths in ../fpu.ts hand every unusual case (NaN, infinity, zero results, subnormals, overflow,
// operands outside the ranges where their error-free transformations are exact) to these functions.
//
// Bit patterns are bigints: a binary32 value in the low 32 bits, a binary64 value in 64 bits.
// NaN results are always the canonical NaN; nothing here looks at NaN payloads except to tell a
// signaling NaN from a quiet one.

/** Rounding modes, as encoded in the rm field and in frm. */
export const RNE = 0;
export const RTZ = 1;
export const RDN = 2;
export const RUP = 3;
export const RMM = 4;

/** Accrued exception flags, as laid out in fflags. */
export const NV = 16;
export const DZ = 8;
export const OF = 4;
export const UF = 2;
export const NX = 1;

/** Everything the code needs to know about one binary interchange format. */
export interface Fmt {
  /** Precision in bits, counting the hidden bit. */
  readonly p: number;
  readonly bias: number;
  /** Exponent of the smallest normal number. */
  readonly emin: number;
  /** Exponent of the largest finite number. */
  readonly emax: number;
  /** Exponent field of infinities and NaNs (all ones). */
  readonly expAll: number;
  readonly fracBits: bigint;
  readonly fracMask: bigint;
  readonly hidden: bigint;
  readonly signBit: bigint;
  readonly quietBit: bigint;
  readonly nan: bigint;
  readonly inf: bigint;
  readonly maxFinite: bigint;
}

function makeFmt(p: number, ebits: number): Fmt {
  const bias = (1 << (ebits - 1)) - 1;
  const fracBits = BigInt(p - 1);
  const expAll = (1 << ebits) - 1;
  const inf = BigInt(expAll) << fracBits;
  return {
    p,
    bias,
    emin: 1 - bias,
    emax: bias,
    expAll,
    fracBits,
    fracMask: (1n << fracBits) - 1n,
    hidden: 1n << fracBits,
    signBit: 1n << BigInt(p + ebits - 1),
    quietBit: 1n << (fracBits - 1n),
    nan: inf | (1n << (fracBits - 1n)),
    inf,
    maxFinite: inf - 1n,
  };
}

export const F32: Fmt = makeFmt(24, 8);
export const F64: Fmt = makeFmt(53, 11);

let flags = 0;

/** Returns the flags raised since the last call, and clears them. */
export function sfTakeFlags(): number {
  const f = flags;
  flags = 0;
  return f;
}

// ---- unpacking ----

const K_ZERO = 0;
const K_FINITE = 1;
const K_INF = 2;
const K_QNAN = 3;
const K_SNAN = 4;

/** A decoded operand: for zero and finite values, (-1)^s · m · 2^e. */
interface Unpacked {
  k: number;
  s: number;
  m: bigint;
  e: number;
}

function unpack(bits: bigint, F: Fmt): Unpacked {
  const s = (bits & F.signBit) !== 0n ? 1 : 0;
  const ef = Number((bits >> F.fracBits) & BigInt(F.expAll));
  const frac = bits & F.fracMask;
  if (ef === F.expAll) {
    const k = frac === 0n ? K_INF : (frac & F.quietBit) !== 0n ? K_QNAN : K_SNAN;
    return { k, s, m: 0n, e: 0 };
  }
  if (ef === 0) {
    return { k: frac === 0n ? K_ZERO : K_FINITE, s, m: frac, e: F.emin - F.p + 1 };
  }
  return { k: K_FINITE, s, m: frac | F.hidden, e: ef - F.bias - F.p + 1 };
}

function isNaN_(u: Unpacked): boolean {
  return u.k >= K_QNAN;
}

function signed(s: number, F: Fmt, magnitude: bigint): bigint {
  return s ? magnitude | F.signBit : magnitude;
}

/** Number of significant bits of m > 0. */
export function bitLength(m: bigint): number {
  const hex = m.toString(16);
  return (hex.length - 1) * 4 + 32 - Math.clz32(parseInt(hex[0], 16));
}

// ---- rounding ----

let lastInexact = false;

/**
 * Rounds m (plus, when sticky, something strictly between 0 and 1 unit of its last place) right by
 * `shift` bits in mode rm for a value of sign s. Sets lastInexact. When sticky, shift must be ≥ 2.
 */
function roundShift(m: bigint, shift: number, sticky: boolean, s: number, rm: number): bigint {
  if (shift <= 0) {
    lastInexact = sticky;
    return m << BigInt(-shift);
  }
  const sh = BigInt(shift);
  const q = m >> sh;
  const rem = m - (q << sh);
  lastInexact = rem !== 0n || sticky;
  if (!lastInexact) return q;
  const half = 1n << (sh - 1n);
  let up: boolean;
  switch (rm) {
    case RNE:
      up = rem > half || (rem === half && (sticky || (q & 1n) === 1n));
      break;
    case RTZ:
      up = false;
      break;
    case RDN:
      up = s === 1;
      break;
    case RUP:
      up = s === 0;
      break;
    default:
      up = rem >= half;
      break;
  }
  return up ? q + 1n : q;
}

function overflowResult(s: number, F: Fmt, rm: number): bigint {
  const toMax = rm === RTZ || (rm === RDN && s === 0) || (rm === RUP && s === 1);
  return signed(s, F, toMax ? F.maxFinite : F.inf);
}

/**
 * Rounds (-1)^s · (m + δ) · 2^e to format F in mode rm, where δ ∈ (0, 1) when sticky and δ = 0
 * otherwise, raising NX/UF/OF. m must be non-zero; when sticky, m must have at least p + 2 bits.
 */
export function roundPack(s: number, m: bigint, e: number, sticky: boolean, F: Fmt, rm: number): bigint {
  const n = bitLength(m);
  const top = e + n - 1;
  let tiny = false;
  if (top < F.emin) {
    // Tininess after rounding: round to p bits as if the exponent range were unbounded.
    const qu = roundShift(m, n - F.p, sticky, s, rm);
    tiny = qu < F.hidden << 1n || top + 1 < F.emin;
  }
  const lsb = Math.max(top, F.emin) - F.p + 1;
  let q = roundShift(m, lsb - e, sticky, s, rm);
  if (lastInexact) flags |= tiny ? NX | UF : NX;
  if (q === 0n) return signed(s, F, 0n);
  if (q < F.hidden) return signed(s, F, q); // subnormal
  let exp = lsb + F.p - 1;
  if (q === F.hidden << 1n) {
    q >>= 1n;
    exp += 1;
  }
  if (exp > F.emax) {
    flags |= OF | NX;
    return overflowResult(s, F, rm);
  }
  return signed(s, F, (BigInt(exp + F.bias) << F.fracBits) | (q - F.hidden));
}

// ---- arithmetic ----

function nanResult(F: Fmt, ...ops: Unpacked[]): bigint {
  for (const u of ops) if (u.k === K_SNAN) flags |= NV;
  return F.nan;
}

/** Adds two zero-or-finite values exactly and rounds once. */
function addFinite(sa: number, ma: bigint, ea: number, sb: number, mb: bigint, eb: number, F: Fmt, rm: number): bigint {
  if (ma === 0n && mb === 0n) return signed(sa === sb ? sa : rm === RDN ? 1 : 0, F, 0n);
  if (ma === 0n) return roundPack(sb, mb, eb, false, F, rm);
  if (mb === 0n) return roundPack(sa, ma, ea, false, F, rm);
  const e = Math.min(ea, eb);
  const va = (sa ? -ma : ma) << BigInt(ea - e);
  const vb = (sb ? -mb : mb) << BigInt(eb - e);
  const sum = va + vb;
  if (sum === 0n) return signed(rm === RDN ? 1 : 0, F, 0n);
  return sum < 0n ? roundPack(1, -sum, e, false, F, rm) : roundPack(0, sum, e, false, F, rm);
}

export function sfAdd(F: Fmt, a: bigint, b: bigint, rm: number): bigint {
  const A = unpack(a, F);
  const B = unpack(b, F);
  if (isNaN_(A) || isNaN_(B)) return nanResult(F, A, B);
  if (A.k === K_INF) {
    if (B.k === K_INF && A.s !== B.s) {
      flags |= NV;
      return F.nan;
    }
    return signed(A.s, F, F.inf);
  }
  if (B.k === K_INF) return signed(B.s, F, F.inf);
  return addFinite(A.s, A.m, A.e, B.s, B.m, B.e, F, rm);
}

export function sfSub(F: Fmt, a: bigint, b: bigint, rm: number): bigint {
  return sfAdd(F, a, b ^ F.signBit, rm);
}

export function sfMul(F: Fmt, a: bigint, b: bigint, rm: number): bigint {
  const A = unpack(a, F);
  const B = unpack(b, F);
  if (isNaN_(A) || isNaN_(B)) return nanResult(F, A, B);
  const s = A.s ^ B.s;
  if (A.k === K_INF || B.k === K_INF) {
    if (A.k === K_ZERO || B.k === K_ZERO) {
      flags |= NV;
      return F.nan;
    }
    return signed(s, F, F.inf);
  }
  if (A.k === K_ZERO || B.k === K_ZERO) return signed(s, F, 0n);
  return roundPack(s, A.m * B.m, A.e + B.e, false, F, rm);
}

/** a·b + c with a single rounding. FMSUB/FNMSUB/FNMADD are this with operand signs flipped. */
export function sfFma(F: Fmt, a: bigint, b: bigint, c: bigint, rm: number): bigint {
  const A = unpack(a, F);
  const B = unpack(b, F);
  const C = unpack(c, F);
  const infTimesZero = (A.k === K_INF && B.k === K_ZERO) || (A.k === K_ZERO && B.k === K_INF);
  if (isNaN_(A) || isNaN_(B) || isNaN_(C)) {
    // The product ∞·0 is invalid even when the addend is a quiet NaN.
    if (infTimesZero) flags |= NV;
    return nanResult(F, A, B, C);
  }
  if (infTimesZero) {
    flags |= NV;
    return F.nan;
  }
  const ps = A.s ^ B.s;
  if (A.k === K_INF || B.k === K_INF) {
    if (C.k === K_INF && C.s !== ps) {
      flags |= NV;
      return F.nan;
    }
    return signed(ps, F, F.inf);
  }
  if (C.k === K_INF) return signed(C.s, F, F.inf);
  return addFinite(ps, A.m * B.m, A.e + B.e, C.s, C.m, C.e, F, rm);
}

export function sfDiv(F: Fmt, a: bigint, b: bigint, rm: number): bigint {
  const A = unpack(a, F);
  const B = unpack(b, F);
  if (isNaN_(A) || isNaN_(B)) return nanResult(F, A, B);
  const s = A.s ^ B.s;
  if (A.k === K_INF) {
    if (B.k === K_INF) {
      flags |= NV;
      return F.nan;
    }
    return signed(s, F, F.inf);
  }
  if (B.k === K_INF) return signed(s, F, 0n);
  if (B.k === K_ZERO) {
    if (A.k === K_ZERO) {
      flags |= NV;
      return F.nan;
    }
    flags |= DZ;
    return signed(s, F, F.inf);
  }
  if (A.k === K_ZERO) return signed(s, F, 0n);
  // Enough quotient bits that the quotient has at least p + 3 of them; the remainder is the sticky.
  const k = Math.max(0, F.p + 3 + bitLength(B.m) - bitLength(A.m));
  const num = A.m << BigInt(k);
  const q = num / B.m;
  return roundPack(s, q, A.e - B.e - k, q * B.m !== num, F, rm);
}

/** floor(sqrt(n)) for n > 0. */
export function isqrt(n: bigint): bigint {
  // Start above the root (Math.sqrt's estimate is good to ~2^-52 relative), then Newton downwards.
  const approx = Math.sqrt(Number(n));
  let x = BigInt(Math.ceil(approx * (1 + 2 ** -40))) + 2n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

export function sfSqrt(F: Fmt, a: bigint, rm: number): bigint {
  const A = unpack(a, F);
  if (isNaN_(A)) return nanResult(F, A);
  if (A.k === K_ZERO) return a;
  if (A.s === 1) {
    flags |= NV;
    return F.nan;
  }
  if (A.k === K_INF) return a;
  let m = A.m;
  let e = A.e;
  if (e & 1) {
    m <<= 1n;
    e -= 1;
  }
  // Scale by an even power of two so the root has at least p + 3 bits.
  const k = Math.max(0, Math.ceil((2 * (F.p + 3) - bitLength(m)) / 2));
  const n = m << BigInt(2 * k);
  const r = isqrt(n);
  return roundPack(0, r, (e - 2 * k) / 2, r * r !== n, F, rm);
}

// ---- conversions ----

/** Converts between formats (widening is exact; narrowing rounds). */
export function sfCvt(from: Fmt, to: Fmt, a: bigint, rm: number): bigint {
  const A = unpack(a, from);
  if (isNaN_(A)) return nanResult(to, A);
  if (A.k === K_INF) return signed(A.s, to, to.inf);
  if (A.k === K_ZERO) return signed(A.s, to, 0n);
  return roundPack(A.s, A.m, A.e, false, to, rm);
}

/**
 * Converts to a 32- or 64-bit integer, signed or unsigned, saturating as RISC-V specifies. Returns
 * the value the integer register receives, as a signed 64-bit bigint (32-bit results are
 * sign-extended, also for the unsigned conversion).
 */
export function sfToInt(F: Fmt, a: bigint, rm: number, isSigned: boolean, width: 32 | 64): bigint {
  const A = unpack(a, F);
  const w = BigInt(width);
  const max = isSigned ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
  const min = isSigned ? -(1n << (w - 1n)) : 0n;
  let v: bigint;
  if (isNaN_(A) || (A.k === K_INF && A.s === 0)) {
    flags |= NV;
    v = max;
  } else if (A.k === K_INF) {
    flags |= NV;
    v = min;
  } else if (A.k === K_ZERO) {
    v = 0n;
  } else {
    const q = roundShift(A.m, -A.e, false, A.s, rm);
    const inexact = lastInexact;
    v = A.s ? -q : q;
    if (v > max) {
      flags |= NV;
      v = max;
    } else if (v < min) {
      flags |= NV;
      v = min;
    } else if (inexact) {
      flags |= NX;
    }
  }
  return BigInt.asIntN(width, v);
}

/** Converts an exact integer to format F. */
export function sfFromInt(F: Fmt, v: bigint, rm: number): bigint {
  if (v === 0n) return 0n;
  return v < 0n ? roundPack(1, -v, 0, false, F, rm) : roundPack(0, v, 0, false, F, rm);
}
