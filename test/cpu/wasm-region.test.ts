// What is particular to the compiled tier's WebAssembly back end (src/cpu/wasm/region.ts), each
// against the interpreter (the tier off) on the same program:
// - a region reads and writes the registers in the hart's register slot of the memory it runs in,
//   so a hart without a slot there (all taken, or homed in another address space) must never
//   enter one: the interpreter runs it (interp.ts), even where regions are already compiled;
// - registers a region writes are the hart's (h.x, h.x64, h.f64bits) once run() returns;
// - calls out to JavaScript (FP ops, CSRs, mulh) read the registers from the slot and write them
//   there: the region must have written its results through before the call, and must not use a
//   copy it held of a register the call wrote;
// - division: WebAssembly traps on x/0 and on MIN/-1 where RISC-V has defined results;
// - a store to a page holding decoded code must leave to the interpreter (the permission byte in
//   the memory has PAGE_CODE), so that the new instruction is what runs;
// - addresses are 64-bit registers but the memory is 4 GiB: an access at 2^32 or above, or one
//   that crosses into a page it may not touch, must fault exactly as in the interpreter.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Exit, Hart } from "../../src/cpu/hart.js";
import { jitConfig, run } from "../../src/cpu/interp.js";
import { jitCounters } from "../../src/cpu/jit.js";
import { codeCacheOf } from "../../src/cpu/code-cache.js";
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";
import {
  addi, auipc, bne, csrr, ecall, fcvtDL, fcvtLD, fmvXD, jal, jalr, load, reg, store, words, type LoadOp, type RegOp, type StoreOp,
} from "./rv-encode.js";

// The program's page, and a second page of code (CODE2), not next to it: a store to a page drops the
// decoded code of the page before it too (an instruction may straddle them).
const CODE = 0x10000;
const CODE2 = CODE + 0x2000;
const CODE_SIZE = 0x3000;
const DATA = 0x20000; // two pages, read-write; the page after them is unmapped
const DATA_SIZE = 0x2000;
const CSR_INSTRET = 0xc02;
const MIN64 = -(2n ** 63n);

let mem: AddressSpace;
beforeAll(() => {
  mem = new AddressSpace();
});
afterAll(() => mem.release());

/** Harts of the test and register slots it claimed: given back after it. */
const harts: Hart[] = [];
const claimed: number[] = [];
const saved = { ...jitConfig };
afterEach(() => {
  Object.assign(jitConfig, saved);
  for (const h of harts.splice(0)) h.leaveHome();
  for (const slot of claimed.splice(0)) mem.freeRegisterSlot(slot);
});

/** Takes every free register slot of `as` (as other threads would). */
function takeAllSlots(as: AddressSpace): void {
  for (;;) {
    const slot = as.claimRegisterSlot({ evictRegisters() {} });
    if (slot < 0) return;
    claimed.push(slot);
  }
}

type Tier = "interpreter" | "wasm" | "js";

interface Program {
  code: number[];
  /** Code at CODE2. */
  code2?: number[];
  /** Initial integer registers by number. */
  x?: Record<number, bigint>;
  data?: Uint8Array;
  /** Code pages writable too (self-modifying code). */
  writableCode?: boolean;
}

interface RunOptions {
  /** Compile every block before it first runs (threshold 1, decoding ahead); else threshold 3. */
  eager?: boolean;
  /** Run this hart (else a new one). */
  hart?: Hart;
  /** Leave memory and compiled code as the last run left them (else the program is loaded afresh). */
  keepMemory?: boolean;
}

/** Everything observable at the end of a run; memory as hex rows, quick to compare. */
interface Outcome {
  exit: Exit;
  pc: number;
  instret: number;
  trapValue: number;
  trapCode: number;
  trapAddress: bigint;
  x: bigint[];
  f: bigint[];
  data: string[];
  code: string[];
}

function rows(addr: number, len: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < len; k += 64) out.push(`${(addr + k).toString(16)}: ${Buffer.from(mem.read(addr + k, 64)).toString("hex")}`);
  return out;
}

function setTier(tier: Tier, eager: boolean): void {
  jitConfig.enabled = tier !== "interpreter";
  jitConfig.backend = tier === "js" ? "js" : "wasm";
  jitConfig.threshold = eager ? 1 : 3;
  jitConfig.decodeAhead = eager;
  jitConfig.maxRegionsPerPage = 1e9;
}

function loadProgram(p: Program): void {
  mem.unmap(0, 2 ** 32);
  const codeProt = PROT_READ | PROT_EXEC | (p.writableCode ? PROT_WRITE : 0);
  mem.map(CODE, CODE_SIZE, codeProt, "code");
  mem.map(DATA, DATA_SIZE, PROT_READ | PROT_WRITE, "data");
  mem.poke(CODE, words(...p.code));
  if (p.code2) mem.poke(CODE2, words(...p.code2));
  if (p.data) mem.poke(DATA, p.data);
}

/**
 * Runs program p in `tier` until it calls exit (a7 = 93) or traps; other ecalls just go on. Returns
 * the outcome, the hart, and how many regions were compiled meanwhile.
 */
function runIn(tier: Tier, p: Program, opts: RunOptions = {}): { out: Outcome; h: Hart; compiled: number } {
  setTier(tier, opts.eager ?? false);
  if (!opts.keepMemory) loadProgram(p);
  const h = opts.hart ?? new Hart();
  if (!opts.hart) harts.push(h);
  h.pc = CODE;
  for (let n = 1; n < 32; n++) h.setX(n, p.x?.[n] ?? 0n);
  for (let n = 0; n < 32; n++) h.f64bits[n] = 0n;
  h.instret = 0;
  const before = jitCounters().regions;
  let exit: Exit;
  for (;;) {
    // A tripwire: a region leaves its count and exit code in the slot it was given, and the
    // dispatcher reads them from h.state. A region entered by a hart whose slot is elsewhere (the
    // bug the first tests look for) would leave these stale words there, and they would keep the
    // dispatcher calling regions for ever; with a count past any budget it stops at once, and the
    // test fails on its assertions instead of hanging. Correct code writes them before reading.
    h.state[0] = 0x7fffffff;
    h.state[1] = 0;
    exit = run(h, mem, 1_000_000);
    if (exit !== Exit.Ecall || h.getX(17) === 93n) break;
    h.pc += 4;
  }
  const out: Outcome = {
    exit,
    pc: h.pc,
    instret: h.instret,
    trapValue: h.trapValue,
    trapCode: h.trapCode,
    trapAddress: h.trapAddress,
    x: Array.from({ length: 32 }, (_, n) => h.getX(n)),
    f: Array.from(h.f64bits),
    data: rows(DATA, DATA_SIZE),
    code: rows(CODE, CODE_SIZE),
  };
  return { out, h, compiled: jitCounters().regions - before };
}

/** x17 = 93; ecall: the program's end. */
const EXIT = [addi(17, 0, 93), ecall()];

/** A hot loop of 200 iterations over registers and memory (x20 = DATA). */
const busyLoop: Program = {
  code: [
    addi(31, 0, 200),
    // loop (CODE + 4):
    addi(5, 5, 3), reg("xor", 6, 6, 5), reg("mul", 7, 6, 5), load("ld", 8, 20, 0), reg("add", 8, 8, 7),
    store("sd", 8, 20, 8), addi(20, 20, 8), addi(31, 31, -1), bne(31, 0, -32),
    ...EXIT,
  ],
  x: { 5: 0xfffffff0n, 20: BigInt(DATA) },
  data: Uint8Array.from({ length: DATA_SIZE }, (_, k) => (k * 29 + 3) & 0xff),
};

/** The same loop on registers only (no memory), so that it can run twice on one compiled page. */
const registerLoop: Program = {
  code: [addi(31, 0, 200), addi(5, 5, 3), reg("xor", 6, 6, 5), reg("mul", 7, 6, 5), addi(31, 31, -1), bne(31, 0, -16), ...EXIT],
  x: { 5: 0xfffffff0n, 6: 0x0123456789abcdefn },
};

describe("a hart without a register slot in the memory it runs in", () => {
  it("runs in the interpreter when every slot is taken: no region compiled, the same end", () => {
    const reference = runIn("interpreter", busyLoop).out;
    takeAllSlots(mem);
    const unhomed = runIn("wasm", busyLoop);
    expect(unhomed.h.home).toBe(null);
    expect(unhomed.compiled).toBe(0);
    expect(unhomed.out).toEqual(reference);
    // Nor with the JavaScript back end: the page may hold WebAssembly regions, which would read the
    // registers at a slot the hart does not have, so no compiled code runs without one.
    const js = runIn("js", busyLoop);
    expect(js.compiled).toBe(0);
    expect(js.out).toEqual(reference);
    // With a slot free, the WebAssembly back end compiles the same program.
    mem.freeRegisterSlot(claimed.pop()!);
    const homed = runIn("wasm", busyLoop);
    expect(homed.h.home).toBe(mem);
    expect(homed.compiled).toBeGreaterThan(0);
    expect(homed.out).toEqual(reference);
  });

  it("runs in the interpreter when homed in another address space and this one is full", () => {
    const reference = runIn("interpreter", busyLoop).out;
    const other = new AddressSpace();
    try {
      const h = new Hart();
      harts.push(h);
      h.homeIn(other);
      const slotInOther = h.regs;
      takeAllSlots(mem);
      // Its regs address is a slot of the other memory: a region here would read this memory there.
      const r = runIn("wasm", busyLoop, { hart: h });
      expect([r.h.home === other, r.h.regs]).toEqual([true, slotInOther]);
      expect(r.compiled).toBe(0);
      expect(r.out).toEqual(reference);
    } finally {
      other.release();
    }
  });

  it("does not enter regions a homed hart compiled on the same page", () => {
    const reference = runIn("interpreter", registerLoop).out;
    const first = runIn("wasm", registerLoop);
    expect(first.compiled).toBeGreaterThan(0);
    expect(first.out).toEqual(reference);
    // The loop's region is still there (nothing wrote to the page).
    expect(codeCacheOf(mem).peek(CODE >>> 12)?.fns[4 >>> 1]).toBeTypeOf("function");
    const firstRegisters = first.h.x64.slice();
    takeAllSlots(mem);
    const second = runIn("wasm", registerLoop, { keepMemory: true });
    expect(second.h.home).toBe(null);
    expect(second.out).toEqual(reference);
    // Nor did anything write the first hart's slot.
    expect(first.h.x64).toEqual(firstRegisters);
  });
});

describe("registers between a region and the rest", () => {
  it("what a region writes is in h.x, h.x64 and h.f64bits after run()", () => {
    // 500 iterations of: x5 += 3 (crossing 2^32), x6 ^= x5, x7 += x6, x28 = x5 * x6, f3 = the
    // double at DATA + 8·i; values worked out here as well as compared with the interpreter.
    const N = 500;
    const p: Program = {
      code: [
        addi(31, 0, N),
        addi(5, 5, 3), reg("xor", 6, 6, 5), reg("add", 7, 7, 6), reg("mul", 28, 5, 6), load("fld", 3, 20, 0), addi(20, 20, 8),
        addi(31, 31, -1), bne(31, 0, -28),
        ...EXIT,
      ],
      x: { 5: 0xffffff00n, 20: BigInt(DATA) },
      data: Uint8Array.from({ length: DATA_SIZE }, (_, k) => (k * 131 + 17) & 0xff),
    };
    let x5 = 0xffffff00n;
    let x6 = 0n;
    let x7 = 0n;
    let x28 = 0n;
    for (let i = 0; i < N; i++) {
      x5 += 3n;
      x6 ^= x5;
      x7 += x6;
      x28 = BigInt.asIntN(64, x5 * x6);
    }
    const f3 = new DataView(p.data!.buffer).getBigUint64((N - 1) * 8, true);
    const reference = runIn("interpreter", p).out;
    const r = runIn("wasm", p);
    expect(r.compiled).toBeGreaterThan(0);
    expect(r.out).toEqual(reference);
    const { h } = r;
    expect([h.x64[5], h.x64[6], h.x64[7], h.x64[28], h.f64bits[3]]).toEqual([x5, x6, x7, x28, f3]);
    // The int32 pairs are the same registers.
    expect([h.x[10], h.x[11]]).toEqual([Number(BigInt.asIntN(32, x5)), Number(BigInt.asIntN(32, x5 >> 32n))]);
    expect(h.getXNumber(7)).toBe(Number(x7));
  });

  it("calls out (fcvt, fmv.x.d, csrr instret, mulh) see what the region wrote before them, and it sees what they wrote", () => {
    // One block per iteration; each register a call writes was read by the block before the call,
    // so a region using its earlier copy afterwards would compute something else.
    const N = 300;
    const body = [
      reg("add", 22, 22, 6), reg("add", 23, 23, 8), reg("add", 24, 24, 10), reg("add", 25, 25, 13), // read first
      addi(5, 5, 1), // written by the region ...
      fcvtDL(1, 5), // ... read by the call: f1 = x5
      fcvtLD(6, 1), // the call writes x6 = x5 ...
      reg("add", 7, 7, 6), // ... read by the region
      fmvXD(8, 1), // x8 = f1's bits
      reg("xor", 9, 9, 8),
      csrr(10, CSR_INSTRET), // x10 = instructions retired
      reg("add", 11, 11, 10),
      addi(12, 12, 7),
      reg("mulh", 13, 12, 14), // high half of x12 · x14
      reg("add", 15, 15, 13),
      addi(31, 31, -1),
    ];
    const PROLOGUE = 1;
    const p: Program = {
      code: [addi(31, 0, N), ...body, bne(31, 0, -4 * body.length), ...EXIT],
      x: { 12: 0x7ffffffffffff000n, 14: 0x5555555555555555n },
    };
    const bits = new BigUint64Array(1);
    const asDouble = new Float64Array(bits.buffer);
    let x7 = 0n;
    let x9 = 0n;
    let x11 = 0n;
    let x12 = 0x7ffffffffffff000n;
    let x15 = 0n;
    const csrAt = body.indexOf(csrr(10, CSR_INSTRET));
    for (let i = 0; i < N; i++) {
      const x5 = BigInt(i + 1);
      x7 += x5;
      asDouble[0] = Number(x5);
      x9 ^= BigInt.asIntN(64, bits[0]);
      // instret as the interpreter reads it: the instructions retired, this csrr included (alu.ts csr).
      x11 += BigInt(PROLOGUE + i * (body.length + 1) + csrAt + 1);
      x12 = BigInt.asIntN(64, x12 + 7n);
      x15 = BigInt.asIntN(64, x15 + ((x12 * 0x5555555555555555n) >> 64n));
    }
    const reference = runIn("interpreter", p).out;
    expect([reference.x[7], reference.x[9], reference.x[11], reference.x[15]]).toEqual([x7, x9, x11, x15]);
    for (const eager of [false, true]) {
      const r = runIn("wasm", p, { eager });
      expect(r.compiled, `eager ${eager}`).toBeGreaterThan(0);
      expect(r.out, `eager ${eager}`).toEqual(reference);
    }
  });
});

/** RISC-V's results (M extension, chapter "Division Operations"), worked out with BigInt. */
function riscvDivide(op: RegOp, a: bigint, b: bigint): bigint {
  const s64 = (v: bigint) => BigInt.asIntN(64, v);
  const u64 = (v: bigint) => BigInt.asUintN(64, v);
  const s32 = (v: bigint) => BigInt.asIntN(32, v);
  const u32 = (v: bigint) => BigInt.asUintN(32, v);
  switch (op) {
    case "div":
      return b === 0n ? -1n : a === MIN64 && b === -1n ? MIN64 : a / b;
    case "rem":
      return b === 0n ? a : a === MIN64 && b === -1n ? 0n : a % b;
    case "divu":
      return u64(b) === 0n ? -1n : s64(u64(a) / u64(b));
    case "remu":
      return u64(b) === 0n ? a : s64(u64(a) % u64(b));
    case "divw":
      return s32(b) === 0n ? -1n : s32(a) === -(2n ** 31n) && s32(b) === -1n ? -(2n ** 31n) : s32(s32(a) / s32(b));
    case "remw":
      return s32(b) === 0n ? s32(a) : s32(a) === -(2n ** 31n) && s32(b) === -1n ? 0n : s32(s32(a) % s32(b));
    case "divuw":
      return u32(b) === 0n ? -1n : s32(u32(a) / u32(b));
    case "remuw":
      return u32(b) === 0n ? s32(a) : s32(u32(a) % u32(b));
    default:
      throw new Error(op);
  }
}

describe("division in compiled code", () => {
  const OPS: RegOp[] = ["div", "divu", "rem", "remu", "divw", "divuw", "remw", "remuw"];
  // By zero, MIN / -1 in 64 and in 32 bits, 32-bit divisors that are 0 or -1 only in the low word,
  // and ordinary values of every sign.
  const PAIRS: [bigint, bigint][] = [
    [7n, 0n], [-7n, 0n], [0n, 0n], [MIN64, -1n], [MIN64, 1n], [MIN64, MIN64], [2n ** 63n - 1n, -1n],
    [2n ** 31n, -1n], [-(2n ** 31n), -1n], [-(2n ** 31n), 0xffffffffn], [0x100000005n, 0x100000000n], [5n, 0x1ffffffffn],
    [-7n, 2n], [7n, -2n], [-7n, -2n], [-1n, 0xffffffffn], [BigInt.asIntN(64, 0xdeadbeefcafebaben), 0x12345n],
    [0x7fffffffn, -(2n ** 31n)],
  ];

  for (const tier of ["wasm", "js"] as const) {
    it(`div, divu, rem, remu and the w forms by 0 and MIN / -1 equal the interpreter and RISC-V's results (${tier} back end)`, () => {
      // For each pair at x20 (a, b): each op's result stored at x21 + 8k; every block compiled first.
      const body = [load("ld", 5, 20, 0), load("ld", 6, 20, 8)];
      OPS.forEach((op, k) => body.push(reg(op, 7, 5, 6), store("sd", 7, 21, 8 * k)));
      body.push(addi(20, 20, 16), addi(21, 21, 8 * OPS.length), addi(31, 31, -1));
      const code = [addi(31, 0, PAIRS.length), ...body, bne(31, 0, -4 * body.length), ...EXIT];
      const data = new Uint8Array(DATA_SIZE);
      const view = new DataView(data.buffer);
      PAIRS.forEach(([a, b], k) => {
        view.setBigInt64(16 * k, a, true);
        view.setBigInt64(16 * k + 8, b, true);
      });
      const OUT = DATA + 0x1000;
      const p: Program = { code, data, x: { 20: BigInt(DATA), 21: BigInt(OUT) } };
      const reference = runIn("interpreter", p).out;
      const r = runIn(tier, p, { eager: true });
      expect(r.compiled).toBeGreaterThan(0);
      const results = PAIRS.map((_, k) => OPS.map((op, j) => `${op}: ${BigInt.asIntN(64, mem.view.getBigInt64(OUT + 8 * (k * OPS.length + j), true))}`));
      const expected = PAIRS.map(([a, b]) => OPS.map((op) => `${op}: ${riscvDivide(op, a, b)}`));
      expect(results).toEqual(expected);
      expect(r.out).toEqual(reference);
    });
  }
});

describe("stores into code", () => {
  /** addi x10, x10, 100: what the programs write over an addi x10, x10, 1. */
  const ADD100 = BigInt(addi(10, 10, 100));

  it("a store into the region's own block, just before the instruction it rewrites: the new instruction runs", () => {
    // CODE+0 li x31, 5; +4 auipc x20, 0; loop +8: sw x7, 8(x20) (rewrites +12); +12 addi x10, x10, 1;
    // +16 x31 -= 1; +20 bne loop. Every block compiled before it runs, so the first store is the region's.
    const p: Program = {
      code: [addi(31, 0, 5), auipc(20, 0), store("sw", 7, 20, 8), addi(10, 10, 1), addi(31, 31, -1), bne(31, 0, -12), ...EXIT],
      x: { 7: ADD100 },
      writableCode: true,
    };
    const reference = runIn("interpreter", p).out;
    expect(reference.x[10]).toBe(500n);
    const r = runIn("wasm", p, { eager: true });
    expect(r.compiled).toBeGreaterThan(0);
    expect(r.out).toEqual(reference);
  });

  it("a store into another page of decoded code, then a call there: the new instruction runs", () => {
    // CODE2: addi x10, x10, 1; ret. The loop calls it, then rewrites its addi, 40 times.
    const p: Program = {
      code: [
        // x21 = CODE2
        addi(31, 0, 40), auipc(21, (CODE2 - CODE) >> 12), addi(21, 21, -4),
        // loop (CODE + 12): call CODE2; rewrite its first instruction; count down
        jalr(1, 21, 0), store("sw", 7, 21, 0), addi(31, 31, -1), bne(31, 0, -12),
        ...EXIT,
      ],
      code2: [addi(10, 10, 1), jalr(0, 1, 0)],
      x: { 7: ADD100 },
      writableCode: true,
    };
    const reference = runIn("interpreter", p).out;
    expect(reference.x[21]).toBe(BigInt(CODE2));
    expect(reference.x[10]).toBe(1n + 39n * 100n);
    for (const eager of [false, true]) {
      const r = runIn("wasm", p, { eager });
      expect(r.compiled, `eager ${eager}`).toBeGreaterThan(0);
      expect(r.out, `eager ${eager}`).toEqual(reference);
    }
  });
});

describe("accesses the 4 GiB memory cannot hold", () => {
  interface Access {
    what: string;
    insn: number;
    /** x5, the base register, in the access under test. */
    base: bigint;
  }
  const LOAD = (op: LoadOp, imm = 0) => load(op, 6, 5, imm);
  const STORE = (op: StoreOp, imm = 0) => store(op, 6, 5, imm);
  const HI = 2n ** 32n;
  const cases: Access[] = [
    { what: "ld at 2^32 + a mapped address", insn: LOAD("ld"), base: HI + BigInt(DATA) },
    { what: "lw 8 past 0x1234·2^32 + a mapped address", insn: LOAD("lw", 8), base: 0x1234n * HI + BigInt(DATA) },
    { what: "lbu at 2^63 + a mapped address", insn: LOAD("lbu"), base: 2n ** 63n + BigInt(DATA) },
    { what: "fld at 2^32 + a mapped address", insn: LOAD("fld"), base: HI + BigInt(DATA) },
    { what: "ld at -8 + 8 = 0 (wraps to page 0, unmapped)", insn: LOAD("ld", 8), base: -8n },
    { what: "lhu at 2^64 - 1", insn: LOAD("lhu"), base: -1n },
    { what: "ld across 2^32 from the reserved top", insn: LOAD("ld"), base: HI - 4n },
    { what: "lw at 0xffffffff·2^32 + a mapped address", insn: LOAD("lw"), base: -HI + BigInt(DATA) },
    { what: "ld from a mapped page into an unmapped one", insn: LOAD("ld"), base: BigInt(DATA + DATA_SIZE - 4) },
    { what: "sd at 2^33 + a mapped address", insn: STORE("sd"), base: 2n * HI + BigInt(DATA) },
    { what: "sb -1 past 2^32 + a mapped address + 1", insn: STORE("sb", -1), base: HI + BigInt(DATA) + 1n },
    { what: "sw at 0xffffffff·2^32 + a mapped address", insn: STORE("sw"), base: -HI + BigInt(DATA) },
    { what: "fsd at 2^32 + a mapped address", insn: STORE("fsd"), base: HI + BigInt(DATA) },
    { what: "sd across 2^32", insn: STORE("sd"), base: HI - 2n },
    { what: "sd from a mapped page into an unmapped one", insn: STORE("sd"), base: BigInt(DATA + DATA_SIZE - 3) },
  ];
  const data = Uint8Array.from({ length: DATA_SIZE }, (_, k) => (k * 7 + 1) & 0xff);

  for (const c of cases) {
    it(`${c.what}: the interpreter's fault, pc and trap value, memory unchanged`, () => {
      // Compiled before it runs: the access and an exit.
      const once: Program = { code: [c.insn, ...EXIT], x: { 5: c.base, 6: 0x1122334455667788n }, data };
      // A hot loop: the access 40 times at DATA + 64, compiled on the way, then at the address under
      // test (x8). 0: insn; 4: x9 -= 1; 8: bne x9, x0, 0; 12: bne x10, x0, +20; 16: x5 = x8;
      // 20: x10 = 1; 24: x9 = 1; 28: jal 0; 32: exit.
      const hot: Program = {
        code: [c.insn, addi(9, 9, -1), bne(9, 0, -8), bne(10, 0, 20), addi(5, 8, 0), addi(10, 0, 1), addi(9, 0, 1), jal(0, -28), ...EXIT],
        x: { 5: BigInt(DATA + 64), 6: 0x1122334455667788n, 8: c.base, 9: 40n },
        data,
      };
      loadProgram(once);
      const initial = rows(DATA, DATA_SIZE);
      for (const [name, p, eager] of [["compiled first", once, true], ["hot loop", hot, false]] as const) {
        const reference = runIn("interpreter", p).out;
        expect(reference.exit, name).toBe(Exit.MemFault);
        // (The hot loop's stores before the fault wrote DATA + 64.)
        if (p === once) expect(reference.data).toEqual(initial);
        const r = runIn("wasm", p, { eager });
        expect(r.compiled, name).toBeGreaterThan(0);
        expect(r.out, name).toEqual(reference);
      }
    });
  }
});
