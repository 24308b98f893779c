import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Hart } from "../../src/cpu/hart.js";
import { decodeFp, execFp, FpOp, FP_OP_NAMES, fpOpReadsX, fpOpWritesX } from "../../src/cpu/fpu.js";
import { F32, F64, sfAdd, sfDiv, sfFma, sfMul, sfSqrt, sfTakeFlags } from "../../src/cpu/fpu/softfloat.js";

// ---- encoders ----

const RNE = 0;
const RTZ = 1;
const RDN = 2;
const RUP = 3;
const RMM = 4;
const DYN = 7;
const NV = 16;
const DZ = 8;
const OF = 4;
const UF = 2;
const NX = 1;

function opFp(f5: number, fmt: number, rd: number, rs1: number, rs2: number, f3: number): number {
  return ((f5 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x53) | 0;
}

function r4(opcode: number, fmt: number, rd: number, rs1: number, rs2: number, rs3: number, rm: number): number {
  return ((rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | opcode) | 0;
}

/** Encodes op id `op` with rounding mode rm (ignored by ops without one). */
function encode(op: number, rm: number, rd = 3, rs1 = 1, rs2 = 2, rs3 = 4): number {
  const fmt = op & 1;
  const kind = op >> 1;
  const R = (f5: number, r2: number, f3: number): number => opFp(f5, fmt, rd, rs1, r2, f3);
  if (kind <= 3) return R(kind, rs2, rm); // fadd fsub fmul fdiv
  if (kind === 4) return R(0x0b, 0, rm); // fsqrt
  if (kind <= 7) return R(0x04, rs2, kind - 5); // fsgnj[n|x]
  if (kind <= 9) return R(0x05, rs2, kind - 8); // fmin fmax
  if (kind <= 12) return R(0x14, rs2, 12 - kind); // feq flt fle
  if (kind === 13) return R(0x1c, 0, 1); // fclass
  if (kind <= 17) return R(0x18, kind - 14, rm); // fcvt.{w,wu,l,lu}.fmt
  if (kind <= 21) return R(0x1a, kind - 18, rm); // fcvt.fmt.{w,wu,l,lu}
  if (kind === 22) return R(0x08, fmt === 0 ? 1 : 0, rm); // fcvt.s.d / fcvt.d.s
  if (kind === 23) return R(0x1c, 0, 0); // fmv.x.{w,d}
  if (kind === 24) return R(0x1e, 0, 0); // fmv.{w,d}.x
  return r4([0x43, 0x47, 0x4b, 0x4f][kind - 25], fmt, rd, rs1, rs2, rs3, rm);
}

// ---- running one instruction ----

const M64 = (1n << 64n) - 1n;
const BOX = 0xffffffff00000000n;

function bitsOfD(x: number): bigint {
  const f = new Float64Array([x]);
  return new BigUint64Array(f.buffer)[0];
}

function bitsOfS(x: number): bigint {
  const f = new Float32Array([x]);
  return BOX | BigInt(new Uint32Array(f.buffer)[0]);
}

interface Result {
  /** Destination register, raw 64 bits (x or f). */
  r: bigint;
  /** fflags raised. */
  fl: number;
}

/**
 * Executes op with the given raw register inputs: for FP sources f1 = a, f2 = b, f4 = c; for
 * integer sources x1 = a. The destination is register 3 (x3 or f3).
 */
function run(op: number, rm: number, a: bigint, b = 0n, c = 0n, h = new Hart()): Result {
  const insn = encode(op, rm);
  expect(decodeFp(insn)).toBe(op);
  if (fpOpReadsX(op)) h.x64[1] = BigInt.asIntN(64, a);
  else h.f64bits[1] = a & M64;
  h.f64bits[2] = b & M64;
  h.f64bits[4] = c & M64;
  h.f64bits[3] = 0x0123456789abcdefn;
  h.x64[3] = 0x0123456789abcdefn;
  h.fcsr &= ~31;
  expect(execFp(h, op, insn)).toBe(true);
  const r = fpOpWritesX(op) ? BigInt.asUintN(64, h.x64[3]) : h.f64bits[3];
  return { r, fl: h.fcsr & 31 };
}

function hex(r: Result): string {
  return `${r.r.toString(16)}/${r.fl.toString(16)}`;
}

const D = bitsOfD;
const S = bitsOfS;
const CNAN_D = 0x7ff8000000000000n;
const CNAN_S = BOX | 0x7fc00000n;
const SNAN_D = 0x7ff4000000000001n;
const SNAN_S = BOX | 0x7f800001n;
const QNAN_D_PAYLOAD = 0xfff8000000012345n;
const MAX_D = 0x7fefffffffffffffn;
const MIN_SUB_D = 1n;
const MAX_S = BOX | 0x7f7fffffn;

// ---- decoding ----

describe("decodeFp", () => {
  it("decodes every op id from its encoding, and names it", () => {
    for (let op = 0; op < FP_OP_NAMES.length; op++) {
      const rms = [RNE, RTZ, RDN, RUP, RMM, DYN];
      for (const rm of rms) expect(decodeFp(encode(op, rm))).toBe(op);
    }
    expect(FP_OP_NAMES[FpOp.FNMADD_D]).toBe("fnmadd.d");
    expect(FP_OP_NAMES[FpOp.FCVT_WU_S]).toBe("fcvt.wu.s");
    expect(FP_OP_NAMES[FpOp.FMV_X_W]).toBe("fmv.x.w");
    expect(FP_OP_NAMES.length).toBe(58);
  });

  it("matches GNU binutils' encodings", () => {
    // A few words as assembled by riscv64-linux-gnu-as (checked with objdump).
    expect(decodeFp(0xd20781d3 | 0)).toBe(FpOp.FCVT_D_W); // fcvt.d.w ft3,a5
    expect(decodeFp(0x420001d3)).toBe(FpOp.FCVT_D_S); // fcvt.d.s ft3,ft0
    expect(decodeFp(0x021071d3)).toBe(FpOp.FADD_D); // fadd.d ft3,ft0,ft1 (dyn)
    expect(decodeFp(0x1a1071d3)).toBe(FpOp.FDIV_D); // fdiv.d ft3,ft0,ft1
    expect(decodeFp(0x221001d3)).toBe(FpOp.FSGNJ_D); // fmv.d / fsgnj.d ft3,ft0,ft1
    expect(decodeFp(0xe20001d3 | 0)).toBe(FpOp.FMV_X_D);
  });

  it("rejects reserved encodings", () => {
    const bad = [
      opFp(0x00, 2, 1, 2, 3, 0), // fadd.h (fmt 10)
      opFp(0x00, 3, 1, 2, 3, 0), // fadd.q (fmt 11)
      opFp(0x00, 0, 1, 2, 3, 5), // reserved rm 5
      opFp(0x02, 1, 1, 2, 3, 6), // reserved rm 6
      opFp(0x0b, 1, 1, 2, 1, 0), // fsqrt with rs2 != 0
      opFp(0x04, 0, 1, 2, 3, 3), // fsgnj funct3 3
      opFp(0x05, 1, 1, 2, 3, 2), // fminm.d (Zfa)
      opFp(0x14, 0, 1, 2, 3, 3), // fcmp funct3 3
      opFp(0x14, 1, 1, 2, 3, 4), // fleq.d (Zfa)
      opFp(0x08, 0, 1, 2, 0, 0), // fcvt.s.s
      opFp(0x08, 1, 1, 2, 1, 0), // fcvt.d.d
      opFp(0x08, 0, 1, 2, 2, 0), // fcvt.s.h
      opFp(0x08, 1, 1, 2, 4, 0), // fround.d (Zfa)
      opFp(0x08, 1, 1, 2, 0, 5), // fcvt.d.s with reserved rm
      opFp(0x18, 1, 1, 2, 4, 1), // fcvt with rs2 4
      opFp(0x18, 1, 1, 2, 8, 1), // fcvtmod.w.d (Zfa)
      opFp(0x1a, 0, 1, 2, 5, 0), // fcvt.s.? rs2 5
      opFp(0x1c, 0, 1, 2, 0, 2), // funct5 1c funct3 2
      opFp(0x1c, 0, 1, 2, 1, 0), // fmv.x.w with rs2 1 (fmvh.x.d in Zfa)
      opFp(0x1c, 1, 1, 2, 1, 1), // fclass with rs2 1
      opFp(0x1e, 0, 1, 2, 0, 1), // fmv.w.x funct3 1
      opFp(0x1e, 1, 1, 2, 1, 0), // fli.d (Zfa)
      opFp(0x06, 0, 1, 2, 3, 0), // funct5 6
      opFp(0x1f, 1, 1, 2, 3, 0), // funct5 1f
      r4(0x43, 2, 1, 2, 3, 4, 0), // fmadd.h
      r4(0x4f, 3, 1, 2, 3, 4, 0), // fnmadd.q
      r4(0x47, 0, 1, 2, 3, 4, 5), // fmsub.s rm 5
      0x00000013, // addi
      0x00002007 | (1 << 7), // flw (a load: not handled here)
      0x00003027, // fsd
    ];
    for (const insn of bad) expect(decodeFp(insn), insn.toString(16)).toBe(-1);
  });

  it("agrees with objdump on random words with FP opcodes", () => {
    const doc = loadVectors();
    let n = 0;
    for (const line of doc.decode) {
      const [w, want] = line.split(" ");
      expect(decodeFp(parseInt(w, 16) | 0), w).toBe(Number(want));
      n++;
    }
    expect(n).toBeGreaterThan(1000);
  });
});

// ---- rounding modes ----

describe("rounding modes", () => {
  it("uses frm for rm = 7 and rejects reserved frm values at run time", () => {
    const h = new Hart();
    h.f[1] = 1;
    h.f[2] = 2 ** -60;
    const insn = encode(FpOp.FADD_D, DYN);
    const op = decodeFp(insn);
    h.fcsr = RUP << 5;
    expect(execFp(h, op, insn)).toBe(true);
    expect(h.f[3]).toBe(1 + 2 ** -52);
    expect(h.fcsr).toBe((RUP << 5) | NX);
    h.fcsr = RDN << 5;
    h.f[2] = -(2 ** -60);
    expect(execFp(h, op, insn)).toBe(true);
    expect(h.f[3]).toBe(1 - 2 ** -53);
    for (const frm of [5, 6, 7]) {
      h.fcsr = frm << 5;
      h.f[3] = 42;
      expect(execFp(h, op, insn)).toBe(false);
      expect(h.f[3]).toBe(42);
      expect(h.fcsr).toBe(frm << 5);
    }
    // Ops without a rounding mode don't care about frm; exact conversions still check it.
    h.fcsr = 5 << 5;
    expect(execFp(h, FpOp.FSGNJ_D, encode(FpOp.FSGNJ_D, 0))).toBe(true);
    expect(execFp(h, FpOp.FCVT_D_W, encode(FpOp.FCVT_D_W, DYN))).toBe(false);
    expect(execFp(h, FpOp.FCVT_D_W, encode(FpOp.FCVT_D_W, RNE))).toBe(true);
  });

  it("rounds 1 + 2^-53 (a tie) and 1 + 3·2^-54 in every mode", () => {
    const tie = [RNE, RTZ, RDN, RUP, RMM].map((rm) => run(FpOp.FADD_D, rm, D(1), D(2 ** -53)));
    expect(tie.map((r) => r.r)).toEqual([D(1), D(1), D(1), D(1 + 2 ** -52), D(1 + 2 ** -52)]);
    expect(tie.every((r) => r.fl === NX)).toBe(true);
    const neg = [RNE, RTZ, RDN, RUP, RMM].map((rm) => run(FpOp.FSUB_D, rm, D(-1), D(2 ** -53)));
    expect(neg.map((r) => r.r)).toEqual([D(-1), D(-1), D(-1 - 2 ** -52), D(-1), D(-1 - 2 ** -52)]);
    const above = [RNE, RTZ, RDN, RUP, RMM].map((rm) => run(FpOp.FADD_D, rm, D(1), D(3 * 2 ** -54)).r);
    expect(above).toEqual([D(1 + 2 ** -52), D(1), D(1), D(1 + 2 ** -52), D(1 + 2 ** -52)]);
  });

  it("gives exact zero sums the sign IEEE 754 asks for", () => {
    for (const rm of [RNE, RTZ, RUP, RMM]) {
      expect(run(FpOp.FADD_D, rm, D(1.5), D(-1.5)).r).toBe(D(0));
      expect(run(FpOp.FSUB_S, rm, S(3), S(3)).r).toBe(S(0));
      expect(run(FpOp.FADD_D, rm, D(-0), D(0)).r).toBe(D(0));
      expect(run(FpOp.FMADD_D, rm, D(2), D(3), D(-6)).r).toBe(D(0));
    }
    expect(run(FpOp.FADD_D, RDN, D(1.5), D(-1.5))).toEqual({ r: D(-0), fl: 0 });
    expect(run(FpOp.FSUB_S, RDN, S(3), S(3))).toEqual({ r: S(-0), fl: 0 });
    expect(run(FpOp.FADD_D, RDN, D(0), D(0)).r).toBe(D(0));
    expect(run(FpOp.FADD_D, RDN, D(-0), D(0)).r).toBe(D(-0));
    expect(run(FpOp.FADD_D, RNE, D(-0), D(-0)).r).toBe(D(-0));
    expect(run(FpOp.FMADD_D, RDN, D(2), D(3), D(-6)).r).toBe(D(-0));
    expect(run(FpOp.FMADD_S, RDN, S(0), S(3), S(0)).r).toBe(S(0)); // +0 + +0 = +0 even in RDN
    expect(run(FpOp.FNMADD_D, RNE, D(0), D(3), D(0)).r).toBe(D(-0)); // −(0·3) − 0 = −0
  });
});

// ---- arithmetic corner cases ----

describe("arithmetic", () => {
  it("raises the IEEE flags", () => {
    expect(run(FpOp.FADD_D, RNE, D(Infinity), D(-Infinity))).toEqual({ r: CNAN_D, fl: NV });
    expect(run(FpOp.FMUL_D, RNE, D(Infinity), D(0))).toEqual({ r: CNAN_D, fl: NV });
    expect(run(FpOp.FDIV_D, RNE, D(0), D(0))).toEqual({ r: CNAN_D, fl: NV });
    expect(run(FpOp.FDIV_D, RNE, D(-1), D(0))).toEqual({ r: D(-Infinity), fl: DZ });
    expect(run(FpOp.FDIV_S, RNE, S(1), S(-0))).toEqual({ r: S(-Infinity), fl: DZ });
    expect(run(FpOp.FDIV_D, RNE, D(Infinity), D(0))).toEqual({ r: D(Infinity), fl: 0 });
    expect(run(FpOp.FSQRT_D, RNE, D(-1))).toEqual({ r: CNAN_D, fl: NV });
    expect(run(FpOp.FSQRT_D, RNE, D(-0))).toEqual({ r: D(-0), fl: 0 });
    expect(run(FpOp.FSQRT_S, RNE, S(2))).toEqual({ r: S(Math.SQRT2), fl: NX });
    expect(run(FpOp.FSQRT_D, RNE, D(2))).toEqual({ r: D(Math.SQRT2), fl: NX });
    expect(run(FpOp.FSQRT_D, RNE, D(Infinity))).toEqual({ r: D(Infinity), fl: 0 });
    expect(run(FpOp.FSQRT_D, RNE, D(-Infinity))).toEqual({ r: CNAN_D, fl: NV });
    expect(run(FpOp.FADD_D, RNE, D(0.1), D(0.2))).toEqual({ r: D(0.1 + 0.2), fl: NX });
    expect(run(FpOp.FMUL_D, RNE, D(3), D(7))).toEqual({ r: D(21), fl: 0 });
    expect(run(FpOp.FDIV_D, RNE, D(1), D(3))).toEqual({ r: D(1 / 3), fl: NX });
    expect(run(FpOp.FDIV_S, RNE, S(6), S(3))).toEqual({ r: S(2), fl: 0 });
  });

  it("overflows to infinity or the largest finite number by mode", () => {
    expect(run(FpOp.FADD_D, RNE, MAX_D, MAX_D)).toEqual({ r: D(Infinity), fl: OF | NX });
    expect(run(FpOp.FADD_D, RTZ, MAX_D, MAX_D)).toEqual({ r: MAX_D, fl: OF | NX });
    expect(run(FpOp.FMUL_D, RDN, MAX_D, D(-2))).toEqual({ r: D(-Infinity), fl: OF | NX });
    expect(run(FpOp.FMUL_D, RUP, MAX_D, D(-2))).toEqual({ r: MAX_D | (1n << 63n), fl: OF | NX });
    expect(run(FpOp.FMUL_S, RNE, MAX_S, S(2))).toEqual({ r: S(Infinity), fl: OF | NX });
    expect(run(FpOp.FMUL_S, RTZ, MAX_S, S(2))).toEqual({ r: MAX_S, fl: OF | NX });
    // Exactly representable with 24 bits, but not with binary32's exponent range.
    expect(run(FpOp.FADD_S, RNE, S(2 ** 127), S(2 ** 127))).toEqual({ r: S(Infinity), fl: OF | NX });
    // Just above the largest finite number: RNE rounds down without overflowing; RUP overflows.
    expect(run(FpOp.FADD_D, RNE, MAX_D, D(1))).toEqual({ r: MAX_D, fl: NX });
    expect(run(FpOp.FADD_D, RUP, MAX_D, D(1))).toEqual({ r: D(Infinity), fl: OF | NX });
  });

  it("detects tininess after rounding", () => {
    // 2^-126·(1 − 2^-24) rounds up to 2^-126 in binary32, but with an unbounded exponent it is
    // representable and below 2^-126: tiny, and inexact (subnormals lack that bit) → UF.
    expect(run(FpOp.FMUL_S, RNE, BOX | 0x81800000n, BOX | 0xbe7fffffn)).toEqual({ r: BOX | 0x00800000n, fl: UF | NX });
    // Same in binary64: 2^-1022·(1 − 2^-53) is a tie on the subnormal grid (rounds to even,
    // 2^-1022) but exact with an unbounded exponent, so tiny.
    expect(run(FpOp.FMUL_D, RNE, D(2 ** -1022), D(1 - 2 ** -53))).toEqual({ r: D(2 ** -1022), fl: UF | NX });
    // 2^-1022·(1 − 2^-54) rounds to 2^-1022 even with an unbounded exponent: not tiny, no UF.
    const lo = D((1 - 2 ** -27) * 2 ** -511);
    const hi = D((1 + 2 ** -27) * 2 ** -511);
    expect(run(FpOp.FMUL_D, RNE, lo, hi)).toEqual({ r: D(2 ** -1022), fl: NX });
    expect(run(FpOp.FMUL_D, RTZ, lo, hi)).toEqual({ r: D(2 ** -1022 - 2 ** -1074), fl: UF | NX });
    expect(run(FpOp.FMUL_D, RNE, D(2 ** -1000), D(2 ** -60))).toEqual({ r: D(2 ** -1060), fl: 0 }); // exact subnormal
    expect(run(FpOp.FMUL_D, RNE, D(3 * 2 ** -1000), D(2 ** -75))).toEqual({ r: D(2 ** -1073), fl: UF | NX });
    expect(run(FpOp.FMUL_D, RNE, MIN_SUB_D, D(0.5))).toEqual({ r: D(0), fl: UF | NX });
    expect(run(FpOp.FMUL_D, RUP, MIN_SUB_D, D(0.5))).toEqual({ r: MIN_SUB_D, fl: UF | NX });
    expect(run(FpOp.FADD_D, RNE, D(2 ** -1022), D(-(2 ** -1074)))).toEqual({ r: D(2 ** -1022 - 2 ** -1074), fl: 0 });
  });

  it("fuses multiply-add with a single rounding", () => {
    const a = 1 + 2 ** -30;
    const b = 1 - 2 ** -30;
    // a·b = 1 − 2^-60 exactly; a separate multiply would round it to 1.
    expect(run(FpOp.FMADD_D, RNE, D(a), D(b), D(-1))).toEqual({ r: D(-(2 ** -60)), fl: 0 });
    expect(run(FpOp.FMSUB_D, RNE, D(a), D(b), D(1))).toEqual({ r: D(-(2 ** -60)), fl: 0 });
    expect(run(FpOp.FNMSUB_D, RNE, D(a), D(b), D(1))).toEqual({ r: D(2 ** -60), fl: 0 });
    expect(run(FpOp.FNMADD_D, RNE, D(a), D(b), D(-1))).toEqual({ r: D(2 ** -60), fl: 0 });
    // 1 + 2^-80 rounds to 1 (RNE, RDN, RTZ) or up (RUP) — the addend's sticky bits count.
    expect(run(FpOp.FMADD_D, RNE, D(1), D(1), D(2 ** -80))).toEqual({ r: D(1), fl: NX });
    expect(run(FpOp.FMADD_D, RUP, D(1), D(1), D(2 ** -80))).toEqual({ r: D(1 + 2 ** -52), fl: NX });
    expect(run(FpOp.FMADD_D, RDN, D(1), D(-1), D(-(2 ** -80)))).toEqual({ r: D(-1 - 2 ** -52), fl: NX });
    // Single precision: (1 + 2^-12)² − 1 − 2^-11 = 2^-24 exactly.
    expect(run(FpOp.FMADD_S, RNE, S(1 + 2 ** -12), S(1 + 2 ** -12), S(-(1 + 2 ** -11)))).toEqual({ r: S(2 ** -24), fl: 0 });
    // ∞·0 is invalid even when the addend is a quiet NaN.
    expect(run(FpOp.FMADD_D, RNE, D(Infinity), D(0), QNAN_D_PAYLOAD)).toEqual({ r: CNAN_D, fl: NV });
    expect(run(FpOp.FMADD_D, RNE, D(1), D(2), QNAN_D_PAYLOAD)).toEqual({ r: CNAN_D, fl: 0 });
    expect(run(FpOp.FMADD_D, RNE, D(1), D(2), SNAN_D)).toEqual({ r: CNAN_D, fl: NV });
    expect(run(FpOp.FMADD_D, RNE, D(Infinity), D(1), D(-Infinity))).toEqual({ r: CNAN_D, fl: NV });
    expect(run(FpOp.FMSUB_D, RNE, D(Infinity), D(1), D(Infinity))).toEqual({ r: CNAN_D, fl: NV });
    expect(run(FpOp.FMADD_D, RNE, D(Infinity), D(-1), D(-Infinity))).toEqual({ r: D(-Infinity), fl: 0 });
  });

  it("returns the canonical NaN and flags signaling NaNs", () => {
    expect(run(FpOp.FADD_D, RNE, QNAN_D_PAYLOAD, D(1))).toEqual({ r: CNAN_D, fl: 0 });
    expect(run(FpOp.FADD_D, RNE, SNAN_D, D(1))).toEqual({ r: CNAN_D, fl: NV });
    expect(run(FpOp.FMUL_S, RNE, SNAN_S, S(1))).toEqual({ r: CNAN_S, fl: NV });
    expect(run(FpOp.FSQRT_S, RNE, BOX | 0xffc12345n)).toEqual({ r: CNAN_S, fl: 0 });
    expect(run(FpOp.FCVT_D_S, RNE, SNAN_S)).toEqual({ r: CNAN_D, fl: NV });
    expect(run(FpOp.FCVT_S_D, RNE, SNAN_D)).toEqual({ r: CNAN_S, fl: NV });
    expect(run(FpOp.FCVT_S_D, RNE, QNAN_D_PAYLOAD)).toEqual({ r: CNAN_S, fl: 0 });
  });
});

// ---- NaN boxing ----

describe("NaN boxing", () => {
  const unboxed = 0x000000003f800000n; // 1.0f without the box: reads as the canonical NaN
  it("reads improperly boxed singles as the canonical NaN", () => {
    expect(run(FpOp.FADD_S, RNE, unboxed, S(1))).toEqual({ r: CNAN_S, fl: 0 });
    expect(run(FpOp.FCVT_D_S, RNE, unboxed)).toEqual({ r: CNAN_D, fl: 0 });
    expect(run(FpOp.FCLASS_S, RNE, unboxed).r).toBe(1n << 9n);
    expect(run(FpOp.FCLASS_S, RNE, 0xfffffffe3f800000n).r).toBe(1n << 9n);
    expect(run(FpOp.FSGNJ_S, 0, unboxed, S(-1)).r).toBe(BOX | 0xffc00000n);
    expect(run(FpOp.FSGNJ_S, 0, S(-1), unboxed).r).toBe(S(1));
    expect(run(FpOp.FEQ_S, 0, unboxed, unboxed)).toEqual({ r: 0n, fl: 0 });
    expect(run(FpOp.FLT_S, 0, unboxed, S(0))).toEqual({ r: 0n, fl: NV });
    expect(run(FpOp.FMIN_S, 0, unboxed, S(2))).toEqual({ r: S(2), fl: 0 });
    expect(run(FpOp.FCVT_W_S, RNE, unboxed)).toEqual({ r: 0x7fffffffn, fl: NV });
  });
  it("boxes single results and moves raw bits", () => {
    expect(run(FpOp.FADD_S, RNE, S(1), S(2)).r).toBe(S(3));
    expect(run(FpOp.FMV_W_X, 0, 0x12345678_bf800000n).r).toBe(S(-1));
    // fmv.x.w moves the low 32 bits even when unboxed (payload kept), sign-extended.
    expect(run(FpOp.FMV_X_W, 0, 0x00000000ff812345n).r).toBe(0xffffffffff812345n);
    expect(run(FpOp.FMV_X_W, 0, BOX | 0x7f812345n).r).toBe(0x7f812345n);
    expect(run(FpOp.FMV_X_D, 0, 0xfff0000000000001n).r).toBe(0xfff0000000000001n);
    expect(run(FpOp.FMV_D_X, 0, 0x7ff0000000000001n).r).toBe(0x7ff0000000000001n);
    expect(run(FpOp.FCVT_S_W, RNE, 7n).r).toBe(S(7));
  });
});

// ---- sign injection, min/max, compare, classify ----

describe("non-arithmetic ops", () => {
  it("injects signs, keeping NaN payloads", () => {
    expect(run(FpOp.FSGNJ_D, 0, D(1), D(-2)).r).toBe(D(-1));
    expect(run(FpOp.FSGNJN_D, 0, D(1), D(-2)).r).toBe(D(1));
    expect(run(FpOp.FSGNJX_D, 0, D(-1), D(-2)).r).toBe(D(1));
    expect(run(FpOp.FSGNJN_D, 0, SNAN_D, SNAN_D)).toEqual({ r: SNAN_D | (1n << 63n), fl: 0 });
    expect(run(FpOp.FSGNJX_S, 0, S(-3), S(-0)).r).toBe(S(3));
    expect(run(FpOp.FSGNJN_S, 0, SNAN_S, S(1))).toEqual({ r: BOX | 0xff800001n, fl: 0 });
  });

  it("implements minimumNumber / maximumNumber", () => {
    expect(run(FpOp.FMIN_D, 0, D(0), D(-0)).r).toBe(D(-0));
    expect(run(FpOp.FMIN_D, 0, D(-0), D(0)).r).toBe(D(-0));
    expect(run(FpOp.FMAX_D, 0, D(-0), D(0)).r).toBe(D(0));
    expect(run(FpOp.FMAX_D, 0, D(0), D(-0)).r).toBe(D(0));
    expect(run(FpOp.FMIN_S, 0, S(0), S(-0)).r).toBe(S(-0));
    expect(run(FpOp.FMAX_S, 0, S(-0), S(0)).r).toBe(S(0));
    expect(run(FpOp.FMIN_D, 0, D(3), D(-Infinity)).r).toBe(D(-Infinity));
    expect(run(FpOp.FMAX_D, 0, QNAN_D_PAYLOAD, D(-5))).toEqual({ r: D(-5), fl: 0 });
    expect(run(FpOp.FMAX_D, 0, D(-5), SNAN_D)).toEqual({ r: D(-5), fl: NV });
    expect(run(FpOp.FMIN_D, 0, SNAN_D, QNAN_D_PAYLOAD)).toEqual({ r: CNAN_D, fl: NV });
    expect(run(FpOp.FMIN_S, 0, CNAN_S, BOX | 0x7fc00001n)).toEqual({ r: CNAN_S, fl: 0 });
  });

  it("compares quietly (feq) and signalingly (flt, fle)", () => {
    expect(run(FpOp.FEQ_D, 0, D(-0), D(0))).toEqual({ r: 1n, fl: 0 });
    expect(run(FpOp.FLT_D, 0, D(-0), D(0))).toEqual({ r: 0n, fl: 0 });
    expect(run(FpOp.FLE_D, 0, D(-0), D(0))).toEqual({ r: 1n, fl: 0 });
    expect(run(FpOp.FLT_S, 0, S(1), S(2))).toEqual({ r: 1n, fl: 0 });
    expect(run(FpOp.FEQ_D, 0, QNAN_D_PAYLOAD, D(1))).toEqual({ r: 0n, fl: 0 });
    expect(run(FpOp.FEQ_D, 0, SNAN_D, D(1))).toEqual({ r: 0n, fl: NV });
    expect(run(FpOp.FLT_D, 0, QNAN_D_PAYLOAD, D(1))).toEqual({ r: 0n, fl: NV });
    expect(run(FpOp.FLE_S, 0, S(1), CNAN_S)).toEqual({ r: 0n, fl: NV });
  });

  it("classifies", () => {
    const cases: [bigint, number][] = [
      [D(-Infinity), 0],
      [D(-1), 1],
      [0x8000000000000001n, 2],
      [D(-0), 3],
      [D(0), 4],
      [MIN_SUB_D, 5],
      [D(1), 6],
      [D(Infinity), 7],
      [SNAN_D, 8],
      [CNAN_D, 9],
    ];
    for (const [v, bit] of cases) expect(run(FpOp.FCLASS_D, 0, v).r).toBe(1n << BigInt(bit));
    const single: [bigint, number][] = [
      [S(-Infinity), 0],
      [S(-1), 1],
      [BOX | 0x80000001n, 2],
      [S(-0), 3],
      [S(0), 4],
      [BOX | 0x00400000n, 5],
      [S(1), 6],
      [S(Infinity), 7],
      [SNAN_S, 8],
      [CNAN_S, 9],
    ];
    for (const [v, bit] of single) expect(run(FpOp.FCLASS_S, 0, v).r).toBe(1n << BigInt(bit));
  });

  it("never writes x0 but still accrues flags", () => {
    const h = new Hart();
    h.f64bits[1] = SNAN_D;
    const insn = encode(FpOp.FEQ_D, 0, 0, 1, 1);
    h.fcsr = OF;
    expect(execFp(h, FpOp.FEQ_D, insn)).toBe(true);
    expect(h.x64[0]).toBe(0n);
    expect(h.fcsr).toBe(OF | NV);
    h.f[1] = -1;
    expect(execFp(h, FpOp.FCVT_WU_D, encode(FpOp.FCVT_WU_D, RNE, 0, 1))).toBe(true);
    expect(h.x64[0]).toBe(0n);
    expect(execFp(h, FpOp.FMV_X_D, encode(FpOp.FMV_X_D, 0, 0, 1))).toBe(true);
    expect(execFp(h, FpOp.FCLASS_D, encode(FpOp.FCLASS_D, 0, 0, 1))).toBe(true);
    expect(h.x64[0]).toBe(0n);
  });
});

// ---- conversions ----

describe("conversions", () => {
  it("saturates float-to-integer conversions as the spec's table says", () => {
    const W = FpOp.FCVT_W_D;
    const WU = FpOp.FCVT_WU_D;
    const L = FpOp.FCVT_L_D;
    const LU = FpOp.FCVT_LU_D;
    expect(run(W, RNE, CNAN_D)).toEqual({ r: 0x7fffffffn, fl: NV });
    expect(run(W, RNE, D(Infinity))).toEqual({ r: 0x7fffffffn, fl: NV });
    expect(run(W, RNE, D(-Infinity))).toEqual({ r: 0xffffffff80000000n, fl: NV });
    expect(run(W, RNE, D(2 ** 31))).toEqual({ r: 0x7fffffffn, fl: NV });
    expect(run(W, RTZ, D(2 ** 31 - 0.5))).toEqual({ r: 0x7fffffffn, fl: NX });
    expect(run(W, RNE, D(2 ** 31 - 0.5))).toEqual({ r: 0x7fffffffn, fl: NV });
    expect(run(W, RNE, D(-(2 ** 31) - 0.5))).toEqual({ r: 0xffffffff80000000n, fl: NX });
    expect(run(W, RMM, D(-(2 ** 31) - 0.5))).toEqual({ r: 0xffffffff80000000n, fl: NV });
    expect(run(W, RNE, D(-2.5))).toEqual({ r: BigInt.asUintN(64, -2n), fl: NX });
    expect(run(W, RMM, D(-2.5))).toEqual({ r: BigInt.asUintN(64, -3n), fl: NX });
    expect(run(W, RDN, D(2.5))).toEqual({ r: 2n, fl: NX });
    expect(run(W, RUP, D(2.25))).toEqual({ r: 3n, fl: NX });
    expect(run(W, RNE, D(-0))).toEqual({ r: 0n, fl: 0 });
    expect(run(WU, RNE, CNAN_D)).toEqual({ r: M64, fl: NV });
    expect(run(WU, RNE, D(3e9))).toEqual({ r: 0xffffffffb2d05e00n, fl: 0 }); // sign-extended
    expect(run(WU, RNE, D(2 ** 32))).toEqual({ r: M64, fl: NV });
    expect(run(WU, RNE, D(-1))).toEqual({ r: 0n, fl: NV });
    expect(run(WU, RNE, D(-0.7))).toEqual({ r: 0n, fl: NV });
    expect(run(WU, RTZ, D(-0.7))).toEqual({ r: 0n, fl: NX });
    expect(run(WU, RNE, D(-0.3))).toEqual({ r: 0n, fl: NX });
    expect(run(L, RNE, D(2 ** 63))).toEqual({ r: 0x7fffffffffffffffn, fl: NV });
    expect(run(L, RNE, D(-(2 ** 63)))).toEqual({ r: 0x8000000000000000n, fl: 0 });
    expect(run(L, RNE, D(-(2 ** 63) - 2048))).toEqual({ r: 0x8000000000000000n, fl: NV });
    expect(run(L, RNE, D(2 ** 62 + 2 ** 11))).toEqual({ r: (1n << 62n) + 2048n, fl: 0 });
    expect(run(L, RNE, D(-123456789.5))).toEqual({ r: BigInt.asUintN(64, -123456790n), fl: NX });
    expect(run(LU, RNE, D(2 ** 64))).toEqual({ r: M64, fl: NV });
    expect(run(LU, RNE, D(2 ** 64 - 2048))).toEqual({ r: M64 - 2047n, fl: 0 });
    expect(run(LU, RNE, D(-Infinity))).toEqual({ r: 0n, fl: NV });
    expect(run(FpOp.FCVT_L_S, RNE, S(-1.5))).toEqual({ r: M64 - 1n, fl: NX });
    expect(run(FpOp.FCVT_LU_S, RUP, S(1.25))).toEqual({ r: 2n, fl: NX });
  });

  it("rounds integer-to-float conversions", () => {
    const big = (1n << 53n) + 1n; // a tie between 2^53 and 2^53 + 2
    expect(run(FpOp.FCVT_D_L, RNE, big)).toEqual({ r: D(2 ** 53), fl: NX });
    expect(run(FpOp.FCVT_D_L, RMM, big)).toEqual({ r: D(2 ** 53 + 2), fl: NX });
    expect(run(FpOp.FCVT_D_L, RUP, big)).toEqual({ r: D(2 ** 53 + 2), fl: NX });
    expect(run(FpOp.FCVT_D_L, RDN, -big)).toEqual({ r: D(-(2 ** 53) - 2), fl: NX });
    expect(run(FpOp.FCVT_D_L, RTZ, -big)).toEqual({ r: D(-(2 ** 53)), fl: NX });
    expect(run(FpOp.FCVT_D_LU, RNE, M64)).toEqual({ r: D(2 ** 64), fl: NX });
    expect(run(FpOp.FCVT_D_LU, RTZ, M64)).toEqual({ r: D(2 ** 64 - 2048), fl: NX });
    expect(run(FpOp.FCVT_D_L, RNE, M64)).toEqual({ r: D(-1), fl: 0 });
    expect(run(FpOp.FCVT_D_L, RNE, 1n << 63n)).toEqual({ r: D(-(2 ** 63)), fl: 0 });
    // .W conversions read only the low 32 bits.
    expect(run(FpOp.FCVT_D_W, RNE, 0x12345678_ffffffffn)).toEqual({ r: D(-1), fl: 0 });
    expect(run(FpOp.FCVT_D_WU, RNE, 0x12345678_ffffffffn)).toEqual({ r: D(4294967295), fl: 0 });
    expect(run(FpOp.FCVT_S_W, RNE, 0x01000001n)).toEqual({ r: S(2 ** 24), fl: NX });
    expect(run(FpOp.FCVT_S_W, RUP, 0x01000001n)).toEqual({ r: S(2 ** 24 + 2), fl: NX });
    expect(run(FpOp.FCVT_S_WU, RNE, 0xffffffffn)).toEqual({ r: S(2 ** 32), fl: NX });
    expect(run(FpOp.FCVT_S_WU, RTZ, 0xffffffffn)).toEqual({ r: S(2 ** 32 - 256), fl: NX });
    // 2^60 + 2^36 + 1: the double sum rounds to the midpoint 2^60 + 2^36; the +1 decides.
    expect(run(FpOp.FCVT_S_L, RNE, (1n << 60n) + (1n << 36n) + 1n)).toEqual({ r: S(2 ** 60 + 2 ** 37), fl: NX });
    expect(run(FpOp.FCVT_S_LU, RNE, M64)).toEqual({ r: S(2 ** 64), fl: NX });
  });

  it("converts between formats", () => {
    expect(run(FpOp.FCVT_S_D, RNE, D(0.1))).toEqual({ r: S(0.1), fl: NX });
    expect(run(FpOp.FCVT_S_D, RNE, D(1e300))).toEqual({ r: S(Infinity), fl: OF | NX });
    expect(run(FpOp.FCVT_S_D, RTZ, D(-1e300))).toEqual({ r: BOX | 0xff7fffffn, fl: OF | NX });
    expect(run(FpOp.FCVT_S_D, RNE, D(1e-300))).toEqual({ r: S(0), fl: UF | NX });
    expect(run(FpOp.FCVT_S_D, RUP, D(1e-300))).toEqual({ r: BOX | 1n, fl: UF | NX });
    expect(run(FpOp.FCVT_S_D, RNE, D(2 ** -149))).toEqual({ r: BOX | 1n, fl: 0 });
    expect(run(FpOp.FCVT_S_D, RNE, D(2 ** -150))).toEqual({ r: S(0), fl: UF | NX });
    expect(run(FpOp.FCVT_S_D, RMM, D(2 ** -150))).toEqual({ r: BOX | 1n, fl: UF | NX });
    expect(run(FpOp.FCVT_S_D, RNE, D(-Infinity))).toEqual({ r: S(-Infinity), fl: 0 });
    expect(run(FpOp.FCVT_D_S, RNE, BOX | 1n)).toEqual({ r: D(2 ** -149), fl: 0 });
    expect(run(FpOp.FCVT_D_S, RNE, S(-0))).toEqual({ r: D(-0), fl: 0 });
  });
});

// ---- vectors from qemu ----

interface VectorFile {
  vectors: string[];
  decode: string[];
}

let vectorCache: VectorFile | undefined;
function loadVectors(): VectorFile {
  vectorCache ??= JSON.parse(readFileSync(new URL("./fpu-vectors.json", import.meta.url), "utf8")) as VectorFile;
  return vectorCache;
}

describe("qemu-riscv64 vectors", () => {
  it("reproduces every result and flag", () => {
    checkVectors(loadVectors().vectors, 5000);
  });

  // tools/fp-vectors.mjs: every op on operands at the edges of its domain (subnormals, the
  // integer limits of conversions, rounding boundaries, NaNs), each instruction run under qemu.
  it("reproduces every result and flag at the edges (tools/fp-vectors.mjs)", () => {
    const doc = JSON.parse(readFileSync(new URL("./fpu-vectors-edge.json", import.meta.url), "utf8")) as VectorFile;
    checkVectors(doc.vectors, 20000);
  });

  // tools/fp-vectors.mjs --targeted: operands that sit on single decisions of the fast paths (a
  // bound of their exact range, a rounding only one operand pattern reaches), found by mutating
  // each decision; the tool says what each case aims at.
  it("reproduces every result and flag on the targeted operands (tools/fp-vectors.mjs --targeted)", () => {
    const doc = JSON.parse(readFileSync(new URL("./fpu-vectors-targeted.json", import.meta.url), "utf8")) as VectorFile;
    checkVectors(doc.vectors, 80);
  });
});

/** Runs each vector ("op a b c" and a result per rounding mode) and expects qemu's answers. */
function checkVectors(vectors: string[], atLeast: number): void {
  const h = new Hart();
  const failures: string[] = [];
  let checked = 0;
  for (const line of vectors) {
    const [opS, aS, bS, cS, ...results] = line.split(" ");
    const op = Number(opS);
    const a = BigInt("0x" + aS);
    const b = BigInt("0x" + bS);
    const c = BigInt("0x" + cS);
    results.forEach((want, rm) => {
      const got = hex(run(op, rm, a, b, c, h));
      checked++;
      if (got !== want) failures.push(`${FP_OP_NAMES[op]} rm=${rm} ${aS} ${bS} ${cS}: want ${want}, got ${got}`);
    });
  }
  expect(failures.slice(0, 20)).toEqual([]);
  expect(checked).toBeGreaterThan(atLeast);
}

// ---- fast paths against the BigInt reference ----

/** xorshift128+ for reproducible operands. */
function rng(seed: number): () => bigint {
  let s0 = BigInt(seed) | 1n;
  let s1 = 0x9e3779b97f4a7c15n;
  return () => {
    let x = s0;
    const y = s1;
    s0 = y;
    x = (x ^ (x << 23n)) & M64;
    s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return (s1 + y) & M64;
  };
}

/** A random double with its exponent within `spread` binades of 1 (most fast-path cases). */
function randD(next: () => bigint, spread: number): bigint {
  const r = next();
  const exp = BigInt(1023 + Number((r >> 52n) % BigInt(2 * spread + 1)) - spread);
  return ((r & (1n << 63n)) | (exp << 52n) | (next() & ((1n << 52n) - 1n))) & M64;
}

function randS(next: () => bigint, spread: number): bigint {
  const r = next();
  const exp = BigInt(127 + Number((r >> 40n) % BigInt(2 * spread + 1)) - spread);
  return BOX | (r & 0x80000000n) | (exp << 23n) | (next() & 0x7fffffn);
}

function toD(bits: bigint): number {
  return new Float64Array(new BigUint64Array([bits]).buffer)[0];
}

describe("fast paths agree with the BigInt reference", () => {
  const cases: [number, "s" | "d"][] = [
    [FpOp.FADD_D, "d"],
    [FpOp.FSUB_D, "d"],
    [FpOp.FMUL_D, "d"],
    [FpOp.FDIV_D, "d"],
    [FpOp.FSQRT_D, "d"],
    [FpOp.FMADD_D, "d"],
    [FpOp.FNMSUB_D, "d"],
    [FpOp.FADD_S, "s"],
    [FpOp.FMUL_S, "s"],
    [FpOp.FDIV_S, "s"],
    [FpOp.FSQRT_S, "s"],
    [FpOp.FMADD_S, "s"],
  ];
  for (const [op, fmt] of cases) {
    it(FP_OP_NAMES[op], () => {
      const next = rng(op + 1);
      const h = new Hart();
      const F = fmt === "d" ? F64 : F32;
      const sign = fmt === "d" ? 1n << 63n : 1n << 31n;
      const strip = (x: bigint): bigint => (fmt === "d" ? x : x & 0xffffffffn);
      const failures: string[] = [];
      for (let i = 0; i < 1500; i++) {
        const spread = i % 3 === 0 ? 2 : 60;
        let a = fmt === "d" ? randD(next, spread) : randS(next, spread);
        const b = fmt === "d" ? randD(next, spread) : randS(next, spread);
        let c = fmt === "d" ? randD(next, spread) : randS(next, spread);
        if (op === FpOp.FSQRT_D || op === FpOp.FSQRT_S) a &= ~sign;
        if ((op === FpOp.FMADD_D || op === FpOp.FNMSUB_D) && i % 2 === 0) {
          // Massive cancellation: c ≈ ∓a·b, nudged by a few ulps.
          const p = toD(a) * toD(b) * (op === FpOp.FMADD_D ? -1 : 1);
          c = (bitsOfD(p) + BigInt((i % 7) - 3)) & M64;
        }
        if (op === FpOp.FMADD_S && i % 2 === 0) {
          const fa = new Float32Array(new Uint32Array([Number(a & 0xffffffffn)]).buffer)[0];
          const fb = new Float32Array(new Uint32Array([Number(b & 0xffffffffn)]).buffer)[0];
          c = (bitsOfS(-(fa * fb)) + BigInt((i % 5) - 2)) | BOX;
        }
        for (let rm = 0; rm < 5; rm++) {
          const got = run(op, rm, a, b, c, h);
          let want: bigint;
          const A = strip(a);
          const B = strip(b);
          const C = strip(c);
          switch (op) {
            case FpOp.FADD_D:
            case FpOp.FADD_S:
              want = sfAdd(F, A, B, rm);
              break;
            case FpOp.FSUB_D:
              want = sfAdd(F, A, B ^ sign, rm);
              break;
            case FpOp.FMUL_D:
            case FpOp.FMUL_S:
              want = sfMul(F, A, B, rm);
              break;
            case FpOp.FDIV_D:
            case FpOp.FDIV_S:
              want = sfDiv(F, A, B, rm);
              break;
            case FpOp.FSQRT_D:
            case FpOp.FSQRT_S:
              want = sfSqrt(F, A, rm);
              break;
            case FpOp.FNMSUB_D:
              want = sfFma(F, A ^ sign, B, C, rm);
              break;
            default:
              want = sfFma(F, A, B, C, rm);
          }
          const wantFl = sfTakeFlags();
          if (fmt === "s") want |= BOX;
          if (got.r !== want || got.fl !== wantFl) {
            failures.push(`rm=${rm} ${a.toString(16)} ${b.toString(16)} ${c.toString(16)}: want ${want.toString(16)}/${wantFl} got ${hex(got)}`);
          }
        }
      }
      expect(failures.slice(0, 10)).toEqual([]);
    });
  }
});
