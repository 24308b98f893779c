// The F and D instructions read the registers their word names: the other FP tests put the first
// source in register 1, where a wrong index such as 2/rs1 for 2·rs1 reads the same register. Here
// every register holds a different value, the sources are f5/x5 and f6, the destination is f9/x9,
// and each result is the one the RISC-V spec gives for those two sources.
import { describe, expect, it } from "vitest";
import { Hart } from "../../src/cpu/hart.js";
import { decodeFp, execFp } from "../../src/cpu/fpu.js";

const RS1 = 5;
const RS2 = 6;
const RD = 9;
const SIGN = 1n << 63n;
const M64 = (1n << 64n) - 1n;
const bitsOf = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0];
const NEG_INF = bitsOf(-Infinity);
const SNAN = 0x7ff4000000000001n;

/** An OP-FP word: funct5, fmt (0 single, 1 double), funct3, rs2 field. */
const word = (f5: number, fmt: number, f3: number, rs2 = RS2): number =>
  (f5 << 27) | (fmt << 25) | (rs2 << 20) | (RS1 << 15) | (f3 << 12) | (RD << 7) | 0x53;

/** A hart whose f and x registers all differ (f_i = ±(i + 0.25), x_i = i·0x0101...), then `set`. */
function hart(set: (h: Hart) => void): Hart {
  const h = new Hart();
  for (let i = 1; i < 32; i++) {
    h.f64bits[i] = bitsOf((i % 2 ? -1 : 1) * (i + 0.25));
    h.x64[i] = BigInt.asIntN(64, 0x0101010101010101n * BigInt(i) + BigInt(i));
  }
  set(h);
  return h;
}

function exec(h: Hart, w: number): void {
  const op = decodeFp(w | 0);
  expect(op).toBeGreaterThanOrEqual(0);
  expect(execFp(h, op, w | 0)).toBe(true);
}

describe("F/D instructions with sources other than register 1", () => {
  it("fsgnj.d, fsgnjn.d, fsgnjx.d take the magnitude of rs1 and a sign from rs2", () => {
    // Low word not zero: both halves of rs1 must be read from rs1.
    const a = 0x400c000000000123n;
    const b = bitsOf(-7);
    for (const [f3, sign] of [[0, SIGN], [1, 0n], [2, SIGN]] as const) {
      const h = hart((h) => {
        h.f64bits[RS1] = a;
        h.f64bits[RS2] = b;
      });
      exec(h, word(0x04, 1, f3));
      expect(h.f64bits[RD]).toBe((a & ~SIGN) | sign);
    }
  });

  it("fmin.d and fmax.d compare rs1 with rs2 (−0 below +0), and flag a signaling NaN in rs1", () => {
    for (const [f3, want] of [[0, bitsOf(-2)], [1, bitsOf(8)]] as const) {
      const h = hart((h) => {
        h.f64bits[RS1] = bitsOf(8);
        h.f64bits[RS2] = bitsOf(-2);
      });
      exec(h, word(0x05, 1, f3));
      expect(h.f64bits[RD]).toBe(want);
    }
    // −0 is below +0: the sign of rs1 decides between equal values.
    for (const [f3, want] of [[0, bitsOf(-0)], [1, bitsOf(0)]] as const) {
      const z = hart((h) => {
        h.f64bits[RS1] = bitsOf(-0);
        h.f64bits[RS2] = bitsOf(0);
      });
      exec(z, word(0x05, 1, f3));
      expect(z.f64bits[RD]).toBe(want);
    }
    // Signaling NaNs with the payload in the high word, and only in the low word.
    for (const snan of [SNAN, 0x7ff0000000000001n]) {
      const h = hart((h) => {
        h.f64bits[RS1] = snan;
        h.f64bits[RS2] = bitsOf(1);
      });
      h.fcsr &= ~31;
      exec(h, word(0x05, 1, 0));
      expect([h.f64bits[RD], h.fcsr & 31]).toEqual([bitsOf(1), 16]);
    }
  });

  it("fcvt.{w,wu,l,lu}.d with rd = x0 write nothing: x0 is hardwired to zero", () => {
    for (const kind of [0, 1, 2, 3]) {
      const h = hart((h) => (h.f64bits[RS1] = bitsOf(5e9)));
      h.x64[0] = 0n;
      // rs2 names the integer type; rd (bits 7-11) cleared to x0; rm RTZ.
      exec(h, word(0x18, 1, 1, kind) & ~(31 << 7));
      expect(h.x64[0]).toBe(0n);
    }
  });

  it("fclass.d classifies rs1", () => {
    const h = hart((h) => (h.f64bits[RS1] = NEG_INF));
    exec(h, word(0x1c, 1, 1, 0));
    expect(h.x64[RD]).toBe(1n);
  });

  it("fmv.x.w, fmv.x.d move rs1's bits to x; fmv.w.x, fmv.d.x move x rs1's bits to f", () => {
    const bits = 0x89abcdef87654321n;
    const h = hart((h) => {
      h.f64bits[RS1] = bits;
      h.x64[RS1] = BigInt.asIntN(64, bits);
    });
    exec(h, word(0x1c, 0, 0, 0));
    expect(BigInt.asUintN(64, h.x64[RD])).toBe(0xffffffff87654321n);
    exec(h, word(0x1c, 1, 0, 0));
    expect(BigInt.asUintN(64, h.x64[RD])).toBe(bits);
    exec(h, word(0x1e, 0, 0, 0));
    expect(h.f64bits[RD]).toBe(0xffffffff87654321n);
    exec(h, word(0x1e, 1, 0, 0));
    expect(h.f64bits[RD] & M64).toBe(bits);
  });
});
