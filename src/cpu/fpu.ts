// The F and D extensions' computational instructions (RV64): decode to a small op id, execute on a
// hart with all five rounding modes and exact accrued flags.
//
// How results are rounded. JavaScript arithmetic rounds to nearest-even, so each double operation
// is done in JS and then the exact relation between the true result and the JS result is recovered
// with an error-free transformation: TwoSum for add (the rounding error is itself a double),
// Dekker's TwoProduct (Veltkamp splitting) for mul, the exact remainder a − q·b for div and
// a − s·s for sqrt. Knowing the sign of (exact − rounded) — and, for round-to-max-magnitude, whether
// the exact value is a tie — every other mode is at most one ulp away. The fused multiply-adds
// compute a·b + c as an unevaluated sum of doubles and round it once. These transformations are
// exact only away from overflow and underflow, so each fast path (./fpu/arith.ts) checks its
// operand ranges and hands everything else (NaNs, infinities, subnormal or huge operands, results
// that are tiny or overflow) to the BigInt implementation in ./fpu/softfloat.ts, which rounds an
// exact value once by the book. Single precision is computed in double (sums, products and
// quotients of binary32 values are exact in binary64 or carry a known residual) and rounded to
// binary32 by roundF32, which takes the residual's sign as a sticky bit, so there is no double
// rounding.
//
// Register conventions: single-precision operands are NaN-unboxed (upper 32 bits not all ones →
// the canonical NaN) and results NaN-boxed. NaN results are always canonical; only the sign
// injections and moves carry bits through unchanged. Integer results are written to h.x as 64-bit
// values (32-bit ones sign-extended), never to x0.

import type { Hart } from "./hart.js";
import {
  addCoreD,
  addCoreS,
  cvtToInt,
  divCoreD,
  divCoreS,
  fmaCoreD,
  fmaCoreS,
  intToD,
  intToS,
  mulCoreD,
  mulCoreS,
  roundF32,
  sqrtCoreD,
  sqrtCoreS,
  takeFlags,
  writeX,
} from "./fpu/arith.js";
import { F32, F64, sfAdd, sfCvt, sfDiv, sfFma, sfMul, sfSqrt, sfTakeFlags } from "./fpu/softfloat.js";
import { RNE, RTZ, RDN, RUP, RMM, NV, DZ, OF, UF, NX } from "./fpu/softfloat.js";

export { RNE, RTZ, RDN, RUP, RMM, NV, DZ, OF, UF, NX };

const TWO_32 = 4294967296;
const SIGN64 = 1n << 63n;
const SIGN32 = 1n << 31n;
const CANON_NAN_S = 0x7fc00000;
const CANON_NAN_D_HI = 0x7ff80000;

// ---- op ids ----
//
// id = 2·kind + fmt, where fmt is 0 for single and 1 for double (for FCVT.S.D / FCVT.D.S, the
// destination's format; for the moves, .W = 0, .D = 1).

export const FpOp = {
  FADD_S: 0,
  FADD_D: 1,
  FSUB_S: 2,
  FSUB_D: 3,
  FMUL_S: 4,
  FMUL_D: 5,
  FDIV_S: 6,
  FDIV_D: 7,
  FSQRT_S: 8,
  FSQRT_D: 9,
  FSGNJ_S: 10,
  FSGNJ_D: 11,
  FSGNJN_S: 12,
  FSGNJN_D: 13,
  FSGNJX_S: 14,
  FSGNJX_D: 15,
  FMIN_S: 16,
  FMIN_D: 17,
  FMAX_S: 18,
  FMAX_D: 19,
  FEQ_S: 20,
  FEQ_D: 21,
  FLT_S: 22,
  FLT_D: 23,
  FLE_S: 24,
  FLE_D: 25,
  FCLASS_S: 26,
  FCLASS_D: 27,
  FCVT_W_S: 28,
  FCVT_W_D: 29,
  FCVT_WU_S: 30,
  FCVT_WU_D: 31,
  FCVT_L_S: 32,
  FCVT_L_D: 33,
  FCVT_LU_S: 34,
  FCVT_LU_D: 35,
  FCVT_S_W: 36,
  FCVT_D_W: 37,
  FCVT_S_WU: 38,
  FCVT_D_WU: 39,
  FCVT_S_L: 40,
  FCVT_D_L: 41,
  FCVT_S_LU: 42,
  FCVT_D_LU: 43,
  FCVT_S_D: 44,
  FCVT_D_S: 45,
  FMV_X_W: 46,
  FMV_X_D: 47,
  FMV_W_X: 48,
  FMV_D_X: 49,
  FMADD_S: 50,
  FMADD_D: 51,
  FMSUB_S: 52,
  FMSUB_D: 53,
  FNMSUB_S: 54,
  FNMSUB_D: 55,
  FNMADD_S: 56,
  FNMADD_D: 57,
} as const;

/** Mnemonics indexed by op id. */
export const FP_OP_NAMES: readonly string[] = Object.keys(FpOp).map((k) => k.toLowerCase().replace(/_/g, "."));

/** Whether the op writes an integer register (rd is an x register) rather than an f register. */
export function fpOpWritesX(op: number): boolean {
  return (op >= FpOp.FEQ_S && op <= FpOp.FCVT_LU_D) || op === FpOp.FMV_X_W || op === FpOp.FMV_X_D;
}

/** Whether the op reads an integer register (rs1 is an x register). */
export function fpOpReadsX(op: number): boolean {
  return (op >= FpOp.FCVT_S_W && op <= FpOp.FCVT_D_LU) || op === FpOp.FMV_W_X || op === FpOp.FMV_D_X;
}

// ---- decoding ----

/**
 * Decodes an FP computational instruction (OP-FP, FMADD, FMSUB, FNMSUB, FNMADD; single and double
 * formats). Returns the op id, or -1 for anything that is not a valid F/D instruction.
 */
export function decodeFp(insn: number): number {
  const fmt = (insn >>> 25) & 3;
  if (fmt > 1) return -1;
  const rm = (insn >>> 12) & 7;
  const rmOk = rm !== 5 && rm !== 6;
  switch (insn & 0x7f) {
    case 0x43:
      return rmOk ? FpOp.FMADD_S + fmt : -1;
    case 0x47:
      return rmOk ? FpOp.FMSUB_S + fmt : -1;
    case 0x4b:
      return rmOk ? FpOp.FNMSUB_S + fmt : -1;
    case 0x4f:
      return rmOk ? FpOp.FNMADD_S + fmt : -1;
    case 0x53:
      break;
    default:
      return -1;
  }
  const rs2 = (insn >>> 20) & 31;
  switch (insn >>> 27) {
    case 0x00:
      return rmOk ? FpOp.FADD_S + fmt : -1;
    case 0x01:
      return rmOk ? FpOp.FSUB_S + fmt : -1;
    case 0x02:
      return rmOk ? FpOp.FMUL_S + fmt : -1;
    case 0x03:
      return rmOk ? FpOp.FDIV_S + fmt : -1;
    case 0x0b:
      return rmOk && rs2 === 0 ? FpOp.FSQRT_S + fmt : -1;
    case 0x04:
      return rm <= 2 ? FpOp.FSGNJ_S + 2 * rm + fmt : -1;
    case 0x05:
      return rm <= 1 ? FpOp.FMIN_S + 2 * rm + fmt : -1;
    case 0x08:
      if (!rmOk) return -1;
      if (fmt === 0 && rs2 === 1) return FpOp.FCVT_S_D;
      if (fmt === 1 && rs2 === 0) return FpOp.FCVT_D_S;
      return -1;
    case 0x14:
      // funct3: 2 = feq, 1 = flt, 0 = fle
      return rm <= 2 ? FpOp.FLE_S - 2 * rm + fmt : -1;
    case 0x18:
      return rmOk && rs2 <= 3 ? FpOp.FCVT_W_S + 2 * rs2 + fmt : -1;
    case 0x1a:
      return rmOk && rs2 <= 3 ? FpOp.FCVT_S_W + 2 * rs2 + fmt : -1;
    case 0x1c:
      if (rs2 !== 0) return -1;
      if (rm === 0) return FpOp.FMV_X_W + fmt;
      if (rm === 1) return FpOp.FCLASS_S + fmt;
      return -1;
    case 0x1e:
      return rs2 === 0 && rm === 0 ? FpOp.FMV_W_X + fmt : -1;
    default:
      return -1;
  }
}

// ---- register access ----

/** The binary32 value of f[n] (NaN if f[n] is not properly NaN-boxed). */
function readS(h: Hart, n: number): number {
  return h.fi[2 * n + 1] === -1 ? h.f32[2 * n] : NaN;
}

/** The binary32 bit pattern of f[n] after NaN-unboxing. */
function bitsS(h: Hart, n: number): number {
  return h.fi[2 * n + 1] === -1 ? h.fi[2 * n] : CANON_NAN_S;
}

function isSNaNS(h: Hart, n: number): boolean {
  const b = bitsS(h, n);
  return (b & 0x7fc00000) === 0x7f800000 && (b & 0x3fffff) !== 0;
}

function isSNaND(h: Hart, n: number): boolean {
  const hi = h.fi[2 * n + 1];
  return (hi & 0x7ff80000) === 0x7ff00000 && ((hi & 0x7ffff) !== 0 || h.fi[2 * n] !== 0);
}

function writeS(h: Hart, rd: number, v: number): void {
  if (v !== v) {
    h.fi[2 * rd] = CANON_NAN_S;
  } else {
    h.f32[2 * rd] = v;
  }
  h.fi[2 * rd + 1] = -1;
}

function writeD(h: Hart, rd: number, v: number): void {
  if (v !== v) {
    h.fi[2 * rd] = 0;
    h.fi[2 * rd + 1] = CANON_NAN_D_HI;
  } else {
    h.f[rd] = v;
  }
}

function bigS(h: Hart, n: number): bigint {
  return BigInt(bitsS(h, n) >>> 0);
}

function writeBigS(h: Hart, rd: number, bits: bigint): void {
  h.fi[2 * rd] = Number(bits) | 0;
  h.fi[2 * rd + 1] = -1;
}

/** The effective rounding mode, or -1 if it is reserved (rm 5/6, or rm 7 with frm ≥ 5). */
function rmOf(h: Hart, insn: number): number {
  const rm = (insn >>> 12) & 7;
  if (rm < 5) return rm;
  if (rm !== 7) return -1;
  const frm = (h.fcsr >>> 5) & 7;
  return frm < 5 ? frm : -1;
}

// ---- the other instructions ----

function classify(sign: boolean, expAll: boolean, expZero: boolean, fracZero: boolean, quiet: boolean): number {
  if (expAll) {
    if (!fracZero) return quiet ? 1 << 9 : 1 << 8;
    return sign ? 1 << 0 : 1 << 7;
  }
  if (expZero) {
    if (fracZero) return sign ? 1 << 3 : 1 << 4;
    return sign ? 1 << 2 : 1 << 5;
  }
  return sign ? 1 << 1 : 1 << 6;
}

function fclassS(h: Hart, n: number): number {
  const b = bitsS(h, n);
  const e = (b >>> 23) & 0xff;
  return classify(b < 0, e === 0xff, e === 0, (b & 0x7fffff) === 0, (b & 0x400000) !== 0);
}

function fclassD(h: Hart, n: number): number {
  const hi = h.fi[2 * n + 1];
  const e = (hi >>> 20) & 0x7ff;
  return classify(hi < 0, e === 0x7ff, e === 0, (hi & 0xfffff) === 0 && h.fi[2 * n] === 0, (hi & 0x80000) !== 0);
}

/** minimumNumber / maximumNumber; a and b are the operand values, neg1 whether a's sign is set. */
function minMax(a: number, b: number, neg1: boolean, isMax: boolean): number {
  if (a !== a) return b; // NaN if both are
  if (b !== b) return a;
  if (a === b) return neg1 !== isMax ? a : b; // also orders −0 below +0
  return a < b !== isMax ? a : b;
}

/** feq (kind 0), flt (1), fle (2) of a and b; sNaN whether either operand is a signaling NaN. */
function compare(h: Hart, a: number, b: number, kind: number, sNaN: boolean): number {
  if (a !== a || b !== b) {
    if (kind !== 0 || sNaN) h.fcsr |= NV;
    return 0;
  }
  if (kind === 0) return a === b ? 1 : 0;
  if (kind === 1) return a < b ? 1 : 0;
  return a <= b ? 1 : 0;
}

// ---- execution ----

/** Slow path for the double-precision ops that round. */
function slowD(h: Hart, op: number, rd: number, rs1: number, rs2: number, rs3: number, rm: number): void {
  const bits = h.f64bits;
  const a = bits[rs1];
  const b = bits[rs2];
  let r: bigint;
  switch (op) {
    case FpOp.FADD_D:
      r = sfAdd(F64, a, b, rm);
      break;
    case FpOp.FSUB_D:
      r = sfAdd(F64, a, b ^ SIGN64, rm);
      break;
    case FpOp.FMUL_D:
      r = sfMul(F64, a, b, rm);
      break;
    case FpOp.FDIV_D:
      r = sfDiv(F64, a, b, rm);
      break;
    case FpOp.FSQRT_D:
      r = sfSqrt(F64, a, rm);
      break;
    default: {
      const c = bits[rs3];
      const negA = op === FpOp.FNMSUB_D || op === FpOp.FNMADD_D;
      const negC = op === FpOp.FMSUB_D || op === FpOp.FNMADD_D;
      r = sfFma(F64, negA ? a ^ SIGN64 : a, b, negC ? c ^ SIGN64 : c, rm);
    }
  }
  h.fcsr |= sfTakeFlags();
  bits[rd] = r;
}

/** Slow path for the single-precision ops that round. */
function slowS(h: Hart, op: number, rd: number, rs1: number, rs2: number, rs3: number, rm: number): void {
  const a = bigS(h, rs1);
  const b = bigS(h, rs2);
  let r: bigint;
  switch (op) {
    case FpOp.FADD_S:
      r = sfAdd(F32, a, b, rm);
      break;
    case FpOp.FSUB_S:
      r = sfAdd(F32, a, b ^ SIGN32, rm);
      break;
    case FpOp.FMUL_S:
      r = sfMul(F32, a, b, rm);
      break;
    case FpOp.FDIV_S:
      r = sfDiv(F32, a, b, rm);
      break;
    case FpOp.FSQRT_S:
      r = sfSqrt(F32, a, rm);
      break;
    default: {
      const c = bigS(h, rs3);
      const negA = op === FpOp.FNMSUB_S || op === FpOp.FNMADD_S;
      const negC = op === FpOp.FMSUB_S || op === FpOp.FNMADD_S;
      r = sfFma(F32, negA ? a ^ SIGN32 : a, b, negC ? c ^ SIGN32 : c, rm);
    }
  }
  h.fcsr |= sfTakeFlags();
  writeBigS(h, rd, r);
}

/** Writes a double result of a fast path, or runs the slow path if it declined (NaN). */
function finishD(h: Hart, r: number, op: number, insn: number, rm: number): void {
  const rd = (insn >>> 7) & 31;
  if (r === r) {
    h.f[rd] = r;
    const f = takeFlags();
    if (f !== 0) h.fcsr |= f;
  } else {
    slowD(h, op, rd, (insn >>> 15) & 31, (insn >>> 20) & 31, insn >>> 27, rm);
  }
}

/** Writes a single result of a fast path (NaN-boxed), or runs the slow path if it declined. */
function finishS(h: Hart, r: number, op: number, insn: number, rm: number): void {
  const rd = (insn >>> 7) & 31;
  if (r === r) {
    h.f32[2 * rd] = r;
    h.fi[2 * rd + 1] = -1;
    const f = takeFlags();
    if (f !== 0) h.fcsr |= f;
  } else {
    slowS(h, op, rd, (insn >>> 15) & 31, (insn >>> 20) & 31, insn >>> 27, rm);
  }
}

/** Writes a single result computed by roundF32 (never NaN) and its flags. */
function putS(h: Hart, rd: number, r: number): void {
  h.f32[2 * rd] = r;
  h.fi[2 * rd + 1] = -1;
  const f = takeFlags();
  if (f !== 0) h.fcsr |= f;
}

function sgnjS(h: Hart, rd: number, rs1: number, rs2: number, kind: number): void {
  const a = bitsS(h, rs1);
  const b = bitsS(h, rs2);
  const s = kind === 0 ? b : kind === 1 ? ~b : a ^ b;
  h.fi[2 * rd] = (a & 0x7fffffff) | (s & 0x80000000);
  h.fi[2 * rd + 1] = -1;
}

function sgnjD(h: Hart, rd: number, rs1: number, rs2: number, kind: number): void {
  const lo = h.fi[2 * rs1];
  const a = h.fi[2 * rs1 + 1];
  const b = h.fi[2 * rs2 + 1];
  const s = kind === 0 ? b : kind === 1 ? ~b : a ^ b;
  h.fi[2 * rd] = lo;
  h.fi[2 * rd + 1] = (a & 0x7fffffff) | (s & 0x80000000);
}

function minMaxS(h: Hart, rd: number, rs1: number, rs2: number, isMax: boolean): void {
  if (isSNaNS(h, rs1) || isSNaNS(h, rs2)) h.fcsr |= NV;
  writeS(h, rd, minMax(readS(h, rs1), readS(h, rs2), bitsS(h, rs1) < 0, isMax));
}

function minMaxD(h: Hart, rd: number, rs1: number, rs2: number, isMax: boolean): void {
  if (isSNaND(h, rs1) || isSNaND(h, rs2)) h.fcsr |= NV;
  writeD(h, rd, minMax(h.f[rs1], h.f[rs2], h.fi[2 * rs1 + 1] < 0, isMax));
}

function cmpS(h: Hart, rd: number, rs1: number, rs2: number, kind: number): void {
  writeX(h, rd, compare(h, readS(h, rs1), readS(h, rs2), kind, isSNaNS(h, rs1) || isSNaNS(h, rs2)), 0);
}

function cmpD(h: Hart, rd: number, rs1: number, rs2: number, kind: number): void {
  writeX(h, rd, compare(h, h.f[rs1], h.f[rs2], kind, isSNaND(h, rs1) || isSNaND(h, rs2)), 0);
}

function toIntS(h: Hart, insn: number, kind: number): boolean {
  const rm = rmOf(h, insn);
  if (rm < 0) return false;
  cvtToInt(h, (insn >>> 7) & 31, readS(h, (insn >>> 15) & 31), rm, kind);
  const f = takeFlags();
  if (f !== 0) h.fcsr |= f;
  return true;
}

function toIntD(h: Hart, insn: number, kind: number): boolean {
  const rm = rmOf(h, insn);
  if (rm < 0) return false;
  cvtToInt(h, (insn >>> 7) & 31, h.f[(insn >>> 15) & 31], rm, kind);
  const f = takeFlags();
  if (f !== 0) h.fcsr |= f;
  return true;
}

/** FCVT.S.{W,WU,L,LU}: kind 0..3. */
function fromIntS(h: Hart, insn: number, kind: number): boolean {
  const rm = rmOf(h, insn);
  if (rm < 0) return false;
  const rs1 = (insn >>> 15) & 31;
  const lo = h.x[2 * rs1];
  const hi = h.x[2 * rs1 + 1];
  let r: number;
  if (kind === 0) r = roundF32(lo, 0, rm);
  else if (kind === 1) r = roundF32(lo >>> 0, 0, rm);
  else r = intToS(kind === 2 ? hi * TWO_32 : (hi >>> 0) * TWO_32, lo >>> 0, rm);
  putS(h, (insn >>> 7) & 31, r);
  return true;
}

/** FCVT.D.{W,WU,L,LU}: kind 0..3. */
function fromIntD(h: Hart, insn: number, kind: number): boolean {
  const rm = rmOf(h, insn);
  if (rm < 0) return false;
  const rs1 = (insn >>> 15) & 31;
  const lo = h.x[2 * rs1];
  const hi = h.x[2 * rs1 + 1];
  const rd = (insn >>> 7) & 31;
  if (kind === 0) h.f[rd] = lo;
  else if (kind === 1) h.f[rd] = lo >>> 0;
  else {
    h.f[rd] = intToD(kind === 2 ? hi * TWO_32 : (hi >>> 0) * TWO_32, lo >>> 0, rm);
    const f = takeFlags();
    if (f !== 0) h.fcsr |= f;
  }
  return true;
}

function cvtSD(h: Hart, insn: number): boolean {
  const rm = rmOf(h, insn);
  if (rm < 0) return false;
  const rd = (insn >>> 7) & 31;
  const rs1 = (insn >>> 15) & 31;
  const v = h.f[rs1];
  if (v - v === 0) {
    putS(h, rd, roundF32(v, 0, rm));
  } else {
    const r = sfCvt(F64, F32, h.f64bits[rs1], rm);
    h.fcsr |= sfTakeFlags();
    writeBigS(h, rd, r);
  }
  return true;
}

function cvtDS(h: Hart, insn: number): boolean {
  if (rmOf(h, insn) < 0) return false;
  const rs1 = (insn >>> 15) & 31;
  const v = readS(h, rs1);
  if (v !== v && isSNaNS(h, rs1)) h.fcsr |= NV;
  writeD(h, (insn >>> 7) & 31, v);
  return true;
}

/**
 * Executes op (from decodeFp) with the instruction bits insn on hart h. Returns false if the
 * instruction is illegal at run time (a dynamic rounding mode while frm holds a reserved value).
 */
export function execFp(h: Hart, op: number, insn: number): boolean {
  // Case labels are literals (see FpOp) so that the switch compiles to a jump table.
  switch (op) {
    case 0: // fadd.s
    case 2: // fsub.s
    case 4: // fmul.s
    case 6: // fdiv.s
    case 8: {
      // fsqrt.s
      const rm = rmOf(h, insn);
      if (rm < 0) return false;
      const a = readS(h, (insn >>> 15) & 31);
      const b = readS(h, (insn >>> 20) & 31);
      const r =
        op === 0
          ? addCoreS(a, b, rm)
          : op === 2
            ? addCoreS(a, -b, rm)
            : op === 4
              ? mulCoreS(a, b, rm)
              : op === 6
                ? divCoreS(a, b, rm)
                : sqrtCoreS(a, rm);
      finishS(h, r, op, insn, rm);
      return true;
    }
    case 1: {
      // fadd.d
      const rm = rmOf(h, insn);
      if (rm < 0) return false;
      finishD(h, addCoreD(h.f[(insn >>> 15) & 31], h.f[(insn >>> 20) & 31], rm), op, insn, rm);
      return true;
    }
    case 3: {
      // fsub.d
      const rm = rmOf(h, insn);
      if (rm < 0) return false;
      finishD(h, addCoreD(h.f[(insn >>> 15) & 31], -h.f[(insn >>> 20) & 31], rm), op, insn, rm);
      return true;
    }
    case 5: {
      // fmul.d
      const rm = rmOf(h, insn);
      if (rm < 0) return false;
      finishD(h, mulCoreD(h.f[(insn >>> 15) & 31], h.f[(insn >>> 20) & 31], rm), op, insn, rm);
      return true;
    }
    case 7: {
      // fdiv.d
      const rm = rmOf(h, insn);
      if (rm < 0) return false;
      finishD(h, divCoreD(h.f[(insn >>> 15) & 31], h.f[(insn >>> 20) & 31], rm), op, insn, rm);
      return true;
    }
    case 9: {
      // fsqrt.d
      const rm = rmOf(h, insn);
      if (rm < 0) return false;
      finishD(h, sqrtCoreD(h.f[(insn >>> 15) & 31], rm), op, insn, rm);
      return true;
    }
    case 10: // fsgnj.s
    case 12: // fsgnjn.s
    case 14: // fsgnjx.s
      sgnjS(h, (insn >>> 7) & 31, (insn >>> 15) & 31, (insn >>> 20) & 31, (op - 10) >> 1);
      return true;
    case 11: // fsgnj.d
    case 13: // fsgnjn.d
    case 15: // fsgnjx.d
      sgnjD(h, (insn >>> 7) & 31, (insn >>> 15) & 31, (insn >>> 20) & 31, (op - 11) >> 1);
      return true;
    case 16: // fmin.s
    case 18: // fmax.s
      minMaxS(h, (insn >>> 7) & 31, (insn >>> 15) & 31, (insn >>> 20) & 31, op === 18);
      return true;
    case 17: // fmin.d
    case 19: // fmax.d
      minMaxD(h, (insn >>> 7) & 31, (insn >>> 15) & 31, (insn >>> 20) & 31, op === 19);
      return true;
    case 20: // feq.s
    case 22: // flt.s
    case 24: // fle.s
      cmpS(h, (insn >>> 7) & 31, (insn >>> 15) & 31, (insn >>> 20) & 31, (op - 20) >> 1);
      return true;
    case 21: // feq.d
    case 23: // flt.d
    case 25: // fle.d
      cmpD(h, (insn >>> 7) & 31, (insn >>> 15) & 31, (insn >>> 20) & 31, (op - 21) >> 1);
      return true;
    case 26: // fclass.s
      writeX(h, (insn >>> 7) & 31, fclassS(h, (insn >>> 15) & 31), 0);
      return true;
    case 27: // fclass.d
      writeX(h, (insn >>> 7) & 31, fclassD(h, (insn >>> 15) & 31), 0);
      return true;
    case 28: // fcvt.w.s
    case 30: // fcvt.wu.s
    case 32: // fcvt.l.s
    case 34: // fcvt.lu.s
      return toIntS(h, insn, (op - 28) >> 1);
    case 29: // fcvt.w.d
    case 31: // fcvt.wu.d
    case 33: // fcvt.l.d
    case 35: // fcvt.lu.d
      return toIntD(h, insn, (op - 29) >> 1);
    case 36: // fcvt.s.w
    case 38: // fcvt.s.wu
    case 40: // fcvt.s.l
    case 42: // fcvt.s.lu
      return fromIntS(h, insn, (op - 36) >> 1);
    case 37: // fcvt.d.w
    case 39: // fcvt.d.wu
    case 41: // fcvt.d.l
    case 43: // fcvt.d.lu
      return fromIntD(h, insn, (op - 37) >> 1);
    case 44: // fcvt.s.d
      return cvtSD(h, insn);
    case 45: // fcvt.d.s
      return cvtDS(h, insn);
    case 46: {
      // fmv.x.w
      const v = h.fi[2 * ((insn >>> 15) & 31)];
      writeX(h, (insn >>> 7) & 31, v, v >> 31);
      return true;
    }
    case 47: {
      // fmv.x.d
      const rs1 = (insn >>> 15) & 31;
      writeX(h, (insn >>> 7) & 31, h.fi[2 * rs1], h.fi[2 * rs1 + 1]);
      return true;
    }
    case 48: {
      // fmv.w.x
      const rd = (insn >>> 7) & 31;
      h.fi[2 * rd] = h.x[2 * ((insn >>> 15) & 31)];
      h.fi[2 * rd + 1] = -1;
      return true;
    }
    case 49: {
      // fmv.d.x
      const rd = (insn >>> 7) & 31;
      const rs1 = (insn >>> 15) & 31;
      h.fi[2 * rd] = h.x[2 * rs1];
      h.fi[2 * rd + 1] = h.x[2 * rs1 + 1];
      return true;
    }
    case 50: // fmadd.s
    case 52: // fmsub.s
    case 54: // fnmsub.s
    case 56: {
      // fnmadd.s
      const rm = rmOf(h, insn);
      if (rm < 0) return false;
      const a = readS(h, (insn >>> 15) & 31);
      const c = readS(h, insn >>> 27);
      const r = fmaCoreS(op >= 54 ? -a : a, readS(h, (insn >>> 20) & 31), op === 52 || op === 56 ? -c : c, rm);
      finishS(h, r, op, insn, rm);
      return true;
    }
    case 51: // fmadd.d
    case 53: // fmsub.d
    case 55: // fnmsub.d
    case 57: {
      // fnmadd.d
      const rm = rmOf(h, insn);
      if (rm < 0) return false;
      const f = h.f;
      const a = f[(insn >>> 15) & 31];
      const c = f[insn >>> 27];
      const r = fmaCoreD(op >= 55 ? -a : a, f[(insn >>> 20) & 31], op === 53 || op === 57 ? -c : c, rm);
      finishD(h, r, op, insn, rm);
      return true;
    }
    default:
      return false;
  }
}
