// F/D instructions aimed at single rounding decisions, against qemu-riscv64
// (test/cpu/fpu-vectors-directed.json, from `node tools/fp-vectors.mjs --directed`): results at
// the overflow threshold in every rounding mode and for both signs (a directed step from the
// largest finite number to an infinity raises OF), products and fused results exactly halfway
// between two neighbours (RMM rounds them away from zero, RNE to even), results near the smallest
// normal number; every op with a rounding-mode field with the reserved modes 5 and 6, and with
// the dynamic mode (7) while frm holds 4 to 7, which qemu rejects as an illegal instruction when
// the mode is reserved. Each vector is the instruction word qemu
// ran, so the interpreter decodes and executes exactly that word here.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Hart } from "../../src/cpu/hart.js";
import { decodeFp, execFp, FP_OP_NAMES, fpOpWritesX } from "../../src/cpu/fpu.js";

/**
 * Runs one word with x6/f1 = a, f2 = b, f4 = c and frm; returns "destination/fflags" in hex as the
 * file has it, or "ill" when the hart rejects the word (decodeFp or execFp refuses it: an illegal
 * instruction).
 */
function runWord(h: Hart, word: number, a: bigint, b: bigint, c: bigint, frm: number): string {
  const op = decodeFp(word);
  if (op < 0) return "ill";
  h.fcsr = (h.fcsr & ~0xe0) | (frm << 5);
  h.x64[6] = BigInt.asIntN(64, a);
  h.f64bits[1] = a;
  h.f64bits[2] = b;
  h.f64bits[4] = c;
  h.f64bits[3] = 0n;
  h.x64[7] = 0n;
  h.fcsr &= ~31;
  if (!execFp(h, op, word)) return "ill";
  const r = fpOpWritesX(op) ? BigInt.asUintN(64, h.x64[7]) : h.f64bits[3];
  return `${r.toString(16)}/${(h.fcsr & 31).toString(16)}`;
}

describe("directed F/D vectors from qemu-riscv64", () => {
  it("reproduces every result and flag", () => {
    const { vectors } = JSON.parse(readFileSync(new URL("./fpu-vectors-directed.json", import.meta.url), "utf8")) as { vectors: string[] };
    const h = new Hart();
    const failures: string[] = [];
    for (const line of vectors) {
      const [w, aS, bS, cS, frm, want] = line.split(" ");
      const word = parseInt(w, 16) | 0;
      const got = runWord(h, word, BigInt("0x" + aS), BigInt("0x" + bS), BigInt("0x" + cS), parseInt(frm, 16));
      if (got !== want) failures.push(`${FP_OP_NAMES[decodeFp(word)]} ${line}: got ${got}`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(vectors.length).toBeGreaterThan(10000);
  });
});

describe("execFp", () => {
  it("refuses an op id that decodeFp never returns (58 is one past the last)", () => {
    expect(execFp(new Hart(), 58, 0x53)).toBe(false);
  });
});
