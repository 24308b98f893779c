// src/cpu/alu.ts against the RISC-V unprivileged spec: the M extension's 64-bit division (with
// its division by zero and overflow results) and high multiplications, the A extension (LR/SC and
// every AMO, at both widths), the Zicsr instructions on fflags, frm, fcsr and the read-only
// counters, and the trap fields of a jalr out of the address space. The interpreter and the
// compiled tier both call these functions, so the differential tests in interp.test.ts cannot see
// a wrong result here; each expected value below comes from the spec.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Exit, Hart, SEGV_MAPERR } from "../../src/cpu/hart.js";
import { AmoKind, Op } from "../../src/cpu/ops.js";
import { atomic, csr, divide64, jalrFault, mulHigh } from "../../src/cpu/alu.js";
import { AddressSpace, PAGE_CODE, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";

const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;
const U64 = (v: bigint) => BigInt.asIntN(64, v); // an unsigned 64-bit value as the register holds it

/** Runs one register-to-register operation with rs1 = x5, rs2 = x6, rd = x7; returns x7. */
function rr(fn: typeof divide64, op: Op, a: bigint, b: bigint): bigint {
  const x64 = new BigInt64Array(33);
  x64[5] = a;
  x64[6] = b;
  x64[7] = 0x5a5an;
  fn(x64, op, 7, 5, 6);
  return x64[7];
}

describe("divide64", () => {
  const cases: [string, Op, bigint, bigint, bigint][] = [
    ["div", Op.Div, 7n, 2n, 3n],
    ["div", Op.Div, -7n, 2n, -3n], // rounds towards zero
    ["div", Op.Div, 7n, -2n, -3n],
    ["div", Op.Div, MIN, 2n, -(2n ** 62n)],
    ["div", Op.Div, 5n, 0n, -1n], // by zero: all ones
    ["div", Op.Div, MIN, -1n, MIN], // overflow: the dividend
    ["div", Op.Div, 7n, -1n, -7n],
    ["div", Op.Div, MIN, 1n, MIN],
    ["rem", Op.Rem, 7n, 2n, 1n],
    ["rem", Op.Rem, -7n, 2n, -1n], // the sign of the dividend
    ["rem", Op.Rem, 7n, -2n, 1n],
    ["rem", Op.Rem, -7n, 0n, -7n], // by zero: the dividend
    ["rem", Op.Rem, MIN, -1n, 0n], // overflow: zero
    ["rem", Op.Rem, MIN + 1n, -1n, 0n],
    ["rem", Op.Rem, MIN, 3n, -2n],
    ["divu", Op.Divu, -1n, 2n, MAX], // 2^64-1 unsigned
    ["divu", Op.Divu, 7n, 2n, 3n],
    ["divu", Op.Divu, -7n, -1n, 0n],
    ["divu", Op.Divu, -2n, -1n, 0n],
    ["divu", Op.Divu, MIN, 2n, 2n ** 62n],
    ["divu", Op.Divu, 5n, 0n, -1n], // by zero: all ones
    ["divu", Op.Divu, -1n, -1n, 1n],
    ["remu", Op.Remu, -1n, 10n, 5n], // 18446744073709551615 mod 10
    ["remu", Op.Remu, 7n, 2n, 1n],
    ["remu", Op.Remu, -7n, 0n, -7n], // by zero: the dividend
    ["remu", Op.Remu, 3n, -1n, 3n],
    ["remu", Op.Remu, -3n, MIN, MAX - 2n],
  ];
  for (const [name, op, a, b, want] of cases) {
    it(`${name} ${a}, ${b} = ${want}`, () => expect(rr(divide64, op, a, b)).toBe(want));
  }

  it("writes rd when it is also a source", () => {
    const x64 = new BigInt64Array(33);
    x64[5] = 100n;
    x64[6] = 7n;
    divide64(x64, Op.Div, 5, 5, 6);
    expect(x64[5]).toBe(14n);
  });
});

describe("mulHigh", () => {
  const cases: [string, Op, bigint, bigint, bigint][] = [
    ["mulh", Op.Mulh, -1n, -1n, 0n],
    ["mulh", Op.Mulh, -2n, 3n, -1n],
    ["mulh", Op.Mulh, MIN, MIN, 2n ** 62n],
    ["mulh", Op.Mulh, MAX, MAX, 2n ** 62n - 1n],
    ["mulh", Op.Mulh, 2n ** 32n, 2n ** 32n, 1n],
    ["mulhu", Op.Mulhu, -1n, -1n, -2n], // (2^64-1)^2 >> 64 = 2^64-2
    ["mulhu", Op.Mulhu, 2n ** 32n, 2n ** 32n, 1n],
    ["mulhu", Op.Mulhu, -2n, 3n, 2n],
    ["mulhu", Op.Mulhu, MIN, 2n, 1n],
    ["mulhsu", Op.Mulhsu, -1n, -1n, -1n], // -1 · (2^64-1)
    ["mulhsu", Op.Mulhsu, 2n ** 62n, -1n, 2n ** 62n - 1n], // rs2 unsigned
    ["mulhsu", Op.Mulhsu, -2n, 3n, -1n], // rs1 signed
    ["mulhsu", Op.Mulhsu, 2n ** 32n, 2n ** 32n, 1n],
  ];
  for (const [name, op, a, b, want] of cases) {
    it(`${name} ${a}, ${b} = ${want}`, () => expect(rr(mulHigh, op, a, b)).toBe(want));
  }
});

describe("jalrFault", () => {
  it("records the target, its low bit cleared, as the fault address (above 4 GiB)", () => {
    const h = new Hart();
    jalrFault(h, 2 ** 32 + 5);
    expect(h.trapAddress).toBe(2n ** 32n + 4n);
    expect(h.trapValue).toBe(2 ** 32 + 4);
    expect(h.trapCode).toBe(SEGV_MAPERR);
  });

  it("an even negative target is the 64-bit two's complement address", () => {
    const h = new Hart();
    jalrFault(h, -4096);
    expect(h.trapAddress).toBe(2n ** 64n - 4096n);
    expect(h.trapValue).toBe(2 ** 64 - 4096);
    expect(h.trapCode).toBe(SEGV_MAPERR);
  });
});

// ---- A extension ----

const PAGE = 4096;
const DATA = 0x20000;
const RO = DATA + PAGE;
let mem: AddressSpace;
let h: Hart;
beforeAll(() => {
  mem = new AddressSpace();
});
beforeEach(() => {
  mem.unmap(0, 2 ** 32);
  mem.map(DATA, PAGE, PROT_READ | PROT_WRITE, "data");
  mem.map(RO, PAGE, PROT_READ, "ro");
  mem.onCodeInvalidate = null;
  h = new Hart();
});

// Registers: rs1 = x10 (the address), rs2 = x11, rd = x12; atomic() takes slot indices (2n).
const RS1 = 20;
const RS2 = 22;
const RD = 24;
function at(op: Op, addr: number, src: bigint, kind = 0): Exit {
  h.x64[10] = BigInt(addr);
  h.x64[11] = src;
  return atomic(h, mem, op, RD, RS1, RS2, kind);
}
const rd = () => h.x64[12];

describe("LR and SC", () => {
  it("lr.w loads a sign-extended word and holds a reservation that sc.w uses once", () => {
    mem.writeU32(DATA + 8, 0x80000001);
    mem.writeU32(DATA + 12, 0x11111111);
    expect(at(Op.LrW, DATA + 8, 0n)).toBe(Exit.Budget);
    expect(rd()).toBe(-0x7fffffffn);
    h.x64[12] = -1n; // sc must write the whole register
    expect(at(Op.ScW, DATA + 8, 0x1234_5678_9abc_def0n)).toBe(Exit.Budget);
    expect(rd()).toBe(0n);
    expect(mem.readU32(DATA + 8)).toBe(0x9abcdef0);
    expect(mem.readU32(DATA + 12)).toBe(0x11111111); // a word store only
    // The reservation is gone: the same sc again fails and stores nothing.
    h.x64[12] = -1n;
    expect(at(Op.ScW, DATA + 8, 7n)).toBe(Exit.Budget);
    expect(rd()).toBe(1n);
    expect(mem.readU32(DATA + 8)).toBe(0x9abcdef0);
  });

  it("lr.d and sc.d work on doublewords", () => {
    mem.writeU64(DATA + 16, 0x8000_0000_0000_0002n);
    expect(at(Op.LrD, DATA + 16, 0n)).toBe(Exit.Budget);
    expect(rd()).toBe(MIN + 2n);
    expect(at(Op.ScD, DATA + 16, -5n)).toBe(Exit.Budget);
    expect(rd()).toBe(0n);
    expect(mem.readI64(DATA + 16)).toBe(-5n);
  });

  it("sc fails without a reservation, or with one for another address, and clears it", () => {
    expect(at(Op.ScW, DATA, 9n)).toBe(Exit.Budget);
    expect(rd()).toBe(1n);
    at(Op.LrW, DATA + 4, 0n);
    expect(at(Op.ScW, DATA, 9n)).toBe(Exit.Budget);
    expect(rd()).toBe(1n);
    expect(mem.readU32(DATA)).toBe(0);
    expect(h.reservation).toBe(-1);
    expect(at(Op.ScW, DATA + 4, 9n)).toBe(Exit.Budget); // the failed sc cleared it
    expect(rd()).toBe(1n);
  });

  it("lr works on a read-only page, sc there faults", () => {
    mem.poke(RO, Uint8Array.of(5, 0, 0, 0));
    expect(at(Op.LrW, RO, 0n)).toBe(Exit.Budget);
    expect(rd()).toBe(5n);
    expect(at(Op.ScW, RO, 1n)).toBe(Exit.MemFault);
    expect(mem.readU32(RO)).toBe(5);
  });

  it("misaligned addresses trap with the address; unmapped ones fault", () => {
    expect(at(Op.LrW, DATA + 2, 0n)).toBe(Exit.Misaligned);
    expect(h.trapValue).toBe(DATA + 2);
    expect(at(Op.LrD, DATA + 4, 0n)).toBe(Exit.Misaligned);
    expect(h.trapValue).toBe(DATA + 4);
    expect(at(Op.AmoD, DATA + 12, 1n, AmoKind.Add)).toBe(Exit.Misaligned);
    expect(at(Op.AmoW, DATA + 6, 1n, AmoKind.Add)).toBe(Exit.Misaligned);
    expect(at(Op.LrW, DATA - 4, 0n)).toBe(Exit.MemFault);
    expect(at(Op.AmoW, DATA + 2 * PAGE, 1n, AmoKind.Add)).toBe(Exit.MemFault);
    // A doubleword lr that is aligned works.
    expect(at(Op.LrD, DATA + 8, 0n)).toBe(Exit.Budget);
  });

  it("the address is all 64 bits of rs1: above 4 GiB it faults, even where the low half is mapped", () => {
    expect(at(Op.LrW, 2 ** 32 + DATA, 0n)).toBe(Exit.MemFault);
    expect(h.trapAddress).toBe(2n ** 32n + BigInt(DATA));
  });

  it("address 0 is an address like any other when it is mapped", () => {
    mem.map(0, PAGE, PROT_READ | PROT_WRITE, "page zero");
    mem.writeU32(0, 77);
    expect(at(Op.LrW, 0, 0n)).toBe(Exit.Budget);
    expect(rd()).toBe(77n);
  });

  it("a store by sc or an AMO to a page holding decoded code drops that code", () => {
    const dropped: number[] = [];
    mem.onCodeInvalidate = (first) => dropped.push(first);
    mem.perms[DATA / PAGE] |= PAGE_CODE;
    at(Op.AmoW, DATA, 1n, AmoKind.Add);
    expect(dropped).toEqual([DATA / PAGE]);
  });
});

describe("AMOs", () => {
  // [kind, old value in memory, rs2, new value in memory] for the word forms; rd gets the old value.
  const W = 0x1_0000_0000n;
  const word: [string, AmoKind, bigint, bigint, bigint][] = [
    ["swap", AmoKind.Swap, 5n, -9n, -9n],
    ["add", AmoKind.Add, 5n, 7n, 12n],
    ["add wraps at 32 bits", AmoKind.Add, 0x7fffffffn, 1n, -0x80000000n],
    ["xor", AmoKind.Xor, 0b1100n, 0b1010n, 0b0110n],
    ["and", AmoKind.And, 0b1100n, 0b1010n, 0b1000n],
    ["or", AmoKind.Or, 0b1100n, 0b1010n, 0b1110n],
    ["min (signed)", AmoKind.Min, -1n, 1n, -1n],
    ["min (signed), the other order", AmoKind.Min, 1n, -1n, -1n],
    ["max (signed)", AmoKind.Max, -1n, 1n, 1n],
    ["max (signed), the other order", AmoKind.Max, 1n, -1n, 1n],
    ["max of two positive values", AmoKind.Max, 2n, 3n, 3n],
    ["minu", AmoKind.Minu, -1n, 1n, 1n],
    ["minu, the other order", AmoKind.Minu, 1n, -1n, 1n],
    ["maxu", AmoKind.Maxu, -1n, 1n, -1n],
    ["maxu, the other order", AmoKind.Maxu, 1n, -1n, -1n],
    // Only rs2's low word counts for the word forms.
    ["add, rs2's high word ignored", AmoKind.Add, 1n, 3n * W + 2n, 3n],
    ["minu, rs2's high word ignored", AmoKind.Minu, 9n, W + 4n, 4n],
  ];
  for (const [name, kind, old, src, want] of word) {
    it(`amo*.w ${name}`, () => {
      mem.writeU32(DATA + 4, Number(BigInt.asUintN(32, old)));
      mem.writeU32(DATA + 8, 0x33333333);
      expect(at(Op.AmoW, DATA + 4, src, kind)).toBe(Exit.Budget);
      expect(rd()).toBe(old);
      expect(mem.readI32(DATA + 4)).toBe(Number(want));
      expect(mem.readU32(DATA + 8)).toBe(0x33333333);
    });
  }

  const dword: [string, AmoKind, bigint, bigint, bigint][] = [
    ["swap", AmoKind.Swap, 5n, MIN, MIN],
    ["add wraps at 64 bits", AmoKind.Add, MAX, 1n, MIN],
    ["xor", AmoKind.Xor, -1n, W, U64(~W)],
    ["and", AmoKind.And, -1n, W, W],
    ["or", AmoKind.Or, W, 1n, W + 1n],
    ["min (signed)", AmoKind.Min, MIN, 1n, MIN],
    ["max (signed)", AmoKind.Max, MIN, 1n, 1n],
    ["minu", AmoKind.Minu, MIN, 1n, 1n],
    ["maxu", AmoKind.Maxu, MIN, 1n, MIN],
    ["minu above 2^32", AmoKind.Minu, W + 1n, W, W],
  ];
  for (const [name, kind, old, src, want] of dword) {
    it(`amo*.d ${name}`, () => {
      mem.writeU64(DATA + 8, BigInt.asUintN(64, old));
      expect(at(Op.AmoD, DATA + 8, src, kind)).toBe(Exit.Budget);
      expect(rd()).toBe(old);
      expect(mem.readI64(DATA + 8)).toBe(want);
    });
  }

  it("rd may be rs2: the old value lands in it after the source was read", () => {
    mem.writeU32(DATA, 10);
    h.x64[10] = BigInt(DATA);
    h.x64[11] = 3n;
    expect(atomic(h, mem, Op.AmoW, RS2, RS1, RS2, AmoKind.Add)).toBe(Exit.Budget);
    expect(h.x64[11]).toBe(10n);
    expect(mem.readU32(DATA)).toBe(13);
  });
});

// ---- CSRs ----

const FFLAGS = 0x001;
const FRM = 0x002;
const FCSR = 0x003;
const CYCLE = 0xc00;
const TIME = 0xc01;
const INSTRET = 0xc02;
// funct3 of csrrw, csrrs, csrrc and the immediate forms.
const RW = 1, RS = 2, RC = 3, RWI = 5, RSI = 6, RCI = 7;

/** csrXX rd=x12, csr, rs1=x11 (or uimm = src for the immediate forms); returns csr()'s answer. */
function csrOp(num: number, funct3: number, src: number | bigint, n = 1): boolean {
  let rs1 = RS2;
  let field = 11;
  if (funct3 >= 5) {
    field = Number(src);
    rs1 = 2 * field;
  } else if (src === 0 || src === 0n) {
    field = 0;
    rs1 = 0; // x0
  } else h.x64[11] = BigInt(src);
  return csr(h, RD, rs1, num | (funct3 << 12) | (field << 15), n);
}

describe("csr", () => {
  beforeEach(() => {
    h.x64[12] = 0x7777n;
  });

  it("fflags: read, write, set and clear the low five bits of fcsr, keeping frm", () => {
    h.fcsr = (3 << 5) | 0b10001;
    expect(csrOp(FFLAGS, RS, 0)).toBe(true);
    expect(rd()).toBe(0b10001n);
    expect(h.fcsr).toBe((3 << 5) | 0b10001);
    expect(csrOp(FFLAGS, RW, 0xfe)).toBe(true); // only five bits land
    expect(rd()).toBe(0b10001n);
    expect(h.fcsr).toBe((3 << 5) | 0b11110);
    expect(csrOp(FFLAGS, RC, 0b00110)).toBe(true);
    expect(h.fcsr).toBe((3 << 5) | 0b11000);
    expect(csrOp(FFLAGS, RSI, 0b00001)).toBe(true);
    expect(rd()).toBe(0b11000n);
    expect(h.fcsr).toBe((3 << 5) | 0b11001);
    expect(csrOp(FFLAGS, RCI, 0b01000)).toBe(true);
    expect(h.fcsr).toBe((3 << 5) | 0b10001);
    expect(csrOp(FFLAGS, RWI, 0b00010)).toBe(true);
    expect(h.fcsr).toBe((3 << 5) | 0b00010);
  });

  it("frm: bits 7:5 of fcsr, keeping fflags", () => {
    h.fcsr = (5 << 5) | 0b01010;
    expect(csrOp(FRM, RS, 0)).toBe(true);
    expect(rd()).toBe(5n);
    expect(csrOp(FRM, RW, 0xfa)).toBe(true); // only three bits land
    expect(rd()).toBe(5n);
    expect(h.fcsr).toBe((2 << 5) | 0b01010);
    expect(csrOp(FRM, RSI, 1)).toBe(true);
    expect(h.fcsr).toBe((3 << 5) | 0b01010);
    expect(csrOp(FRM, RCI, 2)).toBe(true);
    expect(h.fcsr).toBe((1 << 5) | 0b01010);
  });

  it("fcsr: the low eight bits", () => {
    h.fcsr = 0xa5;
    expect(csrOp(FCSR, RS, 0)).toBe(true);
    expect(rd()).toBe(0xa5n);
    expect(csrOp(FCSR, RW, 0x1ff)).toBe(true);
    expect(rd()).toBe(0xa5n);
    expect(h.fcsr).toBe(0xff);
    expect(csrOp(FCSR, RC, 0x0f)).toBe(true);
    expect(h.fcsr).toBe(0xf0);
    expect(csrOp(FCSR, RS, 0x3)).toBe(true);
    expect(h.fcsr).toBe(0xf3);
  });

  it("a register source with high bits set writes only the CSR's bits", () => {
    h.fcsr = 0;
    expect(csrOp(FCSR, RW, (1n << 40n) | 0x21n)).toBe(true);
    expect(h.fcsr).toBe(0x21);
  });

  it("cycle and instret count this run's instructions too; time comes from the kernel", () => {
    h.instret = 1000;
    expect(csrOp(INSTRET, RS, 0, 5)).toBe(true);
    expect(rd()).toBe(1005n);
    expect(csrOp(CYCLE, RSI, 0, 7)).toBe(true);
    expect(rd()).toBe(1007n);
    h.readTime = () => 123456789n;
    expect(csrOp(TIME, RC, 0)).toBe(true);
    expect(rd()).toBe(123456789n);
  });

  it("writing a counter is illegal, even csrrw from x0; rd is left alone", () => {
    for (const num of [CYCLE, TIME, INSTRET]) {
      for (const [f3, src] of [[RW, 0], [RS, 1], [RC, 1], [RWI, 0], [RSI, 1], [RCI, 3]] as const) {
        h.x64[12] = 0x7777n;
        expect([num, f3, csrOp(num, f3, src)]).toEqual([num, f3, false]);
        expect(rd()).toBe(0x7777n);
      }
    }
  });

  it("csrrs and csrrc with x0 or uimm 0 do not write (reading fcsr leaves it)", () => {
    h.fcsr = 0x5a;
    for (const f3 of [RS, RC, RSI, RCI]) {
      expect(csrOp(FCSR, f3, 0)).toBe(true);
      expect(h.fcsr).toBe(0x5a);
    }
  });

  it("an unknown CSR is illegal", () => {
    for (const num of [0x000, 0x004, 0xc03, 0x300, 0xfff]) {
      expect(csrOp(num, RS, 0)).toBe(false);
      expect(rd()).toBe(0x7777n);
    }
  });
});
