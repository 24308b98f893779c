// src/cpu/fpu/softfloat.ts on its own against qemu-riscv64: the BigInt implementation that rounds
// an exact value once, which the interpreter calls only off its fast paths (NaNs, infinities,
// subnormal or huge operands), and whose conversions to and from integers (sfToInt, sfFromInt)
// and subtraction (sfSub) the interpreter does not call at all. Each vector of fpu-vectors.json
// and fpu-vectors-edge.json (qemu's result and flags per rounding mode) whose op has a softfloat
// counterpart is computed here by that function alone, with the operand handling the instruction
// does itself (NaN unboxing of singles, the sign flips of FMSUB/FNMSUB/FNMADD, the integer
// source read as signed or unsigned, 32 or 64 bits) done by the test.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  F32, F64, sfAdd, sfCvt, sfDiv, sfFma, sfFromInt, sfMul, sfSqrt, sfSub, sfTakeFlags, sfToInt, type Fmt,
} from "../../src/cpu/fpu/softfloat.js";

const M64 = (1n << 64n) - 1n;
const BOX = 0xffffffff00000000n;
const CANON_S = 0x7fc00000n;

/** A single-precision operand as the instruction reads it: improperly boxed is the canonical NaN. */
const unboxS = (x: bigint): bigint => ((x & BOX) === BOX ? x & 0xffffffffn : CANON_S);
/** A result in a 64-bit f register: singles NaN-boxed. */
const boxed = (F: Fmt, r: bigint): bigint => (F === F32 ? BOX | r : r);

/**
 * The softfloat computation of op (src/cpu/fpu.ts's ids: 2·kind + fmt) on raw register inputs,
 * as the raw 64-bit destination register; null for ops softfloat has no function for.
 */
function compute(op: number, a: bigint, b: bigint, c: bigint, rm: number): bigint | null {
  const F = op & 1 ? F64 : F32;
  const arg = (x: bigint): bigint => (F === F32 ? unboxS(x) : x);
  const neg = (x: bigint): bigint => x ^ F.signBit;
  const [A, B, C] = [arg(a), arg(b), arg(c)];
  switch (op >> 1) {
    case 0: return boxed(F, sfAdd(F, A, B, rm));
    case 1: return boxed(F, sfSub(F, A, B, rm));
    case 2: return boxed(F, sfMul(F, A, B, rm));
    case 3: return boxed(F, sfDiv(F, A, B, rm));
    case 4: return boxed(F, sfSqrt(F, A, rm));
    case 14: return BigInt.asUintN(64, sfToInt(F, A, rm, true, 32));
    case 15: return BigInt.asUintN(64, sfToInt(F, A, rm, false, 32));
    case 16: return BigInt.asUintN(64, sfToInt(F, A, rm, true, 64));
    case 17: return BigInt.asUintN(64, sfToInt(F, A, rm, false, 64));
    case 18: return boxed(F, sfFromInt(F, BigInt.asIntN(32, a), rm));
    case 19: return boxed(F, sfFromInt(F, BigInt.asUintN(32, a), rm));
    case 20: return boxed(F, sfFromInt(F, BigInt.asIntN(64, a), rm));
    case 21: return boxed(F, sfFromInt(F, BigInt.asUintN(64, a), rm));
    // fcvt.s.d (fmt 0: to single) reads a double; fcvt.d.s a single.
    case 22: return F === F32 ? boxed(F32, sfCvt(F64, F32, a, rm)) : sfCvt(F32, F64, unboxS(a), rm);
    case 25: return boxed(F, sfFma(F, A, B, C, rm));
    case 26: return boxed(F, sfFma(F, A, B, neg(C), rm));
    case 27: return boxed(F, sfFma(F, neg(A), B, C, rm));
    case 28: return boxed(F, sfFma(F, neg(A), B, neg(C), rm));
    default: return null;
  }
}

function check(file: string): { checked: number; failures: string[] } {
  const { vectors } = JSON.parse(readFileSync(new URL(file, import.meta.url), "utf8")) as { vectors: string[] };
  const failures: string[] = [];
  let checked = 0;
  sfTakeFlags();
  for (const line of vectors) {
    const [opS, aS, bS, cS, ...results] = line.split(" ");
    const op = Number(opS);
    const [a, b, c] = [aS, bS, cS].map((x) => BigInt("0x" + x) & M64);
    results.forEach((want, rm) => {
      const r = compute(op, a, b, c, rm);
      if (r === null) return;
      const got = `${r.toString(16)}/${sfTakeFlags().toString(16)}`;
      checked++;
      if (got !== want) failures.push(`op ${op} rm=${rm} ${aS} ${bS} ${cS}: want ${want}, got ${got}`);
    });
  }
  return { checked, failures };
}

describe("softfloat reproduces qemu-riscv64's results and flags", () => {
  for (const [file, atLeast] of [["./fpu-vectors.json", 5000], ["./fpu-vectors-edge.json", 20000], ["./fpu-vectors-targeted.json", 80]] as const) {
    it(file.slice(2), () => {
      const { checked, failures } = check(file);
      expect(failures.slice(0, 20)).toEqual([]);
      expect(checked).toBeGreaterThan(atLeast);
    });
  }
});
