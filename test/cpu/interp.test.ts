// The interpreter and its compiled tier (src/cpu/interp.ts, jit.ts, decode.ts, warmup.ts).
//
// 1. The hand-written decoders agree with the table-driven ones on every 16-bit encoding and on a
//    large sample of 32-bit ones.
// 2. Differential: hand-assembled programs (loops hot enough to be compiled) run under the plain
//    interpreter and with the compiled tier, and must end in the same state — every register, pc,
//    instret, the exit reason, the trap fields and the data memory — at every budget: runs are cut
//    into slices of many sizes, so budget exits land everywhere inside compiled blocks. Programs
//    cover every instruction kind, faults in the middle of compiled code, self-modifying code,
//    ecalls inside loops, the instret CSR, slow (misaligned, page-crossing) accesses, jalr out of
//    the address space, and single-step / block-step with the tier on.
// 3. Random programs (straight-line code and loops with random instructions and random operands)
//    compared the same way, with every block compiled ahead of execution.
// Parts 2 and 3 run once per back end of the compiled tier (WebAssembly, JavaScript): the two
// compile the same regions (region-plan.ts) to different code, and each must match the interpreter.
import { describe, expect, it } from "vitest";
import { Exit, Hart, StepMode } from "../../src/cpu/hart.js";
import { run, jitConfig } from "../../src/cpu/interp.js";
import { decode16, decode16Table, decode32, decode32Table } from "../../src/cpu/decode.js";
import { jitCounters } from "../../src/cpu/jit.js";
import { regionFpHelperCalls } from "../../src/cpu/wasm/region.js";
import { warmUpResult } from "../../src/cpu/warmup.js";
import { AddressSpace, GUEST_LIMIT, PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";

// ---- a small assembler ----

const R = (f7: number, rs2: number, rs1: number, f3: number, rd: number, op: number) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const I = (imm: number, rs1: number, f3: number, rd: number, op: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const S = (imm: number, rs2: number, rs1: number, f3: number, op = 0x23) =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | op) >>> 0;
const B = (off: number, rs2: number, rs1: number, f3: number) =>
  ((((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) | 0x63) >>> 0;
const J = (off: number, rd: number) =>
  ((((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20) | (((off >> 12) & 0xff) << 12) |
    (rd << 7) | 0x6f) >>> 0;
const U = (imm20: number, rd: number, op: number) => (((imm20 & 0xfffff) << 12) | (rd << 7) | op) >>> 0;

const ALU_R: Record<string, [number, number]> = {
  add: [0, 0], sub: [0x20, 0], sll: [0, 1], slt: [0, 2], sltu: [0, 3], xor: [0, 4], srl: [0, 5], sra: [0x20, 5],
  or: [0, 6], and: [0, 7], mul: [1, 0], mulh: [1, 1], mulhsu: [1, 2], mulhu: [1, 3], div: [1, 4], divu: [1, 5],
  rem: [1, 6], remu: [1, 7],
};
const ALU_RW: Record<string, [number, number]> = {
  addw: [0, 0], subw: [0x20, 0], sllw: [0, 1], srlw: [0, 5], sraw: [0x20, 5], mulw: [1, 0], divw: [1, 4],
  divuw: [1, 5], remw: [1, 6], remuw: [1, 7],
};
const ALU_I: Record<string, number> = { addi: 0, slti: 2, sltiu: 3, xori: 4, ori: 6, andi: 7 };
const LOADS: Record<string, number> = { lb: 0, lh: 1, lw: 2, ld: 3, lbu: 4, lhu: 5, lwu: 6 };
const STORES: Record<string, number> = { sb: 0, sh: 1, sw: 2, sd: 3 };
const BRANCHES: Record<string, number> = { beq: 0, bne: 1, blt: 4, bge: 5, bltu: 6, bgeu: 7 };

/** Assembles a list of instructions and labels ("name:"); branch/jump operands may be labels. */
class Asm {
  private words: (number | ((at: number) => number))[] = [];
  private labels = new Map<string, number>();

  label(name: string): this {
    this.labels.set(name, this.words.length * 4);
    return this;
  }
  raw(w: number): this {
    this.words.push(w >>> 0);
    return this;
  }
  r(name: string, rd: number, rs1: number, rs2: number): this {
    if (name in ALU_R) return this.raw(R(ALU_R[name][0], rs2, rs1, ALU_R[name][1], rd, 0x33));
    return this.raw(R(ALU_RW[name][0], rs2, rs1, ALU_RW[name][1], rd, 0x3b));
  }
  i(name: string, rd: number, rs1: number, imm: number): this {
    if (name === "addiw") return this.raw(I(imm, rs1, 0, rd, 0x1b));
    if (name === "slli" || name === "srli" || name === "srai") {
      const f6 = name === "srai" ? 0x10 : 0;
      return this.raw(I((f6 << 6) | (imm & 63), rs1, name === "slli" ? 1 : 5, rd, 0x13));
    }
    if (name === "slliw" || name === "srliw" || name === "sraiw") {
      const f7 = name === "sraiw" ? 0x20 : 0;
      return this.raw(I((f7 << 5) | (imm & 31), rs1, name === "slliw" ? 1 : 5, rd, 0x1b));
    }
    return this.raw(I(imm, rs1, ALU_I[name], rd, 0x13));
  }
  li(rd: number, imm: number): this {
    return this.i("addi", rd, 0, imm);
  }
  lui(rd: number, imm20: number): this {
    return this.raw(U(imm20, rd, 0x37));
  }
  auipc(rd: number, imm20: number): this {
    return this.raw(U(imm20, rd, 0x17));
  }
  load(name: string, rd: number, rs1: number, imm: number): this {
    return this.raw(I(imm, rs1, LOADS[name], rd, 0x03));
  }
  store(name: string, rs2: number, rs1: number, imm: number): this {
    return this.raw(S(imm, rs2, rs1, STORES[name]));
  }
  fld(rd: number, rs1: number, imm: number): this {
    return this.raw(I(imm, rs1, 3, rd, 0x07));
  }
  fsd(rs2: number, rs1: number, imm: number): this {
    return this.raw(S(imm, rs2, rs1, 3, 0x27));
  }
  branch(name: string, rs1: number, rs2: number, target: string): this {
    this.words.push((at) => B(this.labels.get(target)! - at, rs2, rs1, BRANCHES[name]));
    return this;
  }
  jal(rd: number, target: string): this {
    this.words.push((at) => J(this.labels.get(target)! - at, rd));
    return this;
  }
  jalr(rd: number, rs1: number, imm: number): this {
    return this.raw(I(imm, rs1, 0, rd, 0x67));
  }
  ecall(): this {
    return this.raw(0x73);
  }
  ebreak(): this {
    return this.raw(0x00100073);
  }
  csrr(rd: number, csr: number): this {
    return this.raw(I(csr, 0, 2, rd, 0x73));
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.words.length * 4);
    const v = new DataView(out.buffer);
    this.words.forEach((w, k) => v.setUint32(k * 4, typeof w === "number" ? w : w(k * 4) >>> 0, true));
    return out;
  }
}

// ---- machines ----

const CODE = 0x10000;
const DATA = 0x200000;
const DATA_SIZE = 0x4000;

interface Setup {
  code: Uint8Array;
  /** Initial integer registers (x1..x31). */
  x?: bigint[];
  /** Initial FP registers as bit patterns. */
  f?: bigint[];
  /** Initial data (at DATA). */
  data?: Uint8Array;
  /** Map the code page writable too (self-modifying code). */
  writableCode?: boolean;
}

interface Machine {
  h: Hart;
  mem: AddressSpace;
}

/** One address space, emptied for each machine (creating a 4 GiB memory each time is slow). */
let shared: AddressSpace | undefined;
/** The last machine's hart: it gives its register slot back (the memory has 1024). */
let lastHart: Hart | undefined;

function machine(s: Setup): Machine {
  const mem = (shared ??= new AddressSpace());
  lastHart?.leaveHome();
  mem.unmap(0, 2 ** 32);
  mem.map(CODE, 0x4000, PROT_READ | PROT_EXEC | (s.writableCode ? PROT_WRITE : 0), "code");
  mem.map(DATA, DATA_SIZE, PROT_READ | PROT_WRITE, "data");
  mem.poke(CODE, s.code);
  if (s.data) mem.poke(DATA, s.data);
  const h = new Hart();
  h.pc = CODE;
  s.x?.forEach((v, i) => h.setX(i, v));
  s.f?.forEach((v, i) => (h.f64bits[i] = v));
  h.setX(2, BigInt(DATA + DATA_SIZE / 2));
  lastHart = h;
  return { h, mem };
}

interface Outcome {
  exits: string[];
  x: bigint[];
  f: bigint[];
  fcsr: number;
  pc: number;
  instret: number;
  /** Memory as hex rows (see rows). */
  data: string[];
  code: string[];
}

/**
 * Bytes as rows of 64, in hex, each with its address: a difference shows as the row that differs,
 * and comparing 500 strings is fast where vitest's comparison of two 16 KiB Uint8Arrays takes
 * some 100 ms (most of this file's time, before).
 */
function rows(bytes: Uint8Array, base: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < bytes.length; k += 64) out.push(`${(base + k).toString(16)}: ${Buffer.from(bytes.subarray(k, k + 64)).toString("hex")}`);
  return out;
}

/**
 * Runs a machine to its end: budget slices of the given sizes (cycled), ecalls answered by
 * advancing pc (a0 += 1 as the "syscall result", so the program sees them), until an ecall with
 * a7 = 93 or a trap. Returns everything observable.
 */
function runToEnd(m: Machine, slices: number[], opts: { step?: StepMode } = {}): Outcome {
  const { h, mem } = m;
  const exits: string[] = [];
  h.stepMode = opts.step ?? StepMode.None;
  for (let k = 0; k < 100_000; k++) {
    const exit = run(h, mem, slices[k % slices.length]);
    if (exit === Exit.Ecall) {
      exits.push(`ecall@${h.pc.toString(16)} instret=${h.instret}`);
      if (h.getX(17) === 93n) break;
      h.pc += 4;
      h.setX(10, h.getX(10) + 1n);
      continue;
    }
    if (exit === Exit.Budget || exit === Exit.Step) continue;
    exits.push(`exit${exit}@${h.pc.toString(16)} instret=${h.instret} value=${h.trapValue} code=${h.trapCode} addr=${h.trapAddress}`);
    break;
  }
  return {
    exits,
    x: Array.from({ length: 32 }, (_, i) => h.getX(i)),
    f: Array.from(h.f64bits),
    fcsr: h.fcsr,
    pc: h.pc,
    instret: h.instret,
    data: rows(mem.read(DATA, DATA_SIZE), DATA),
    code: rows(mem.read(CODE, 0x4000), CODE),
  };
}

type Backend = "wasm" | "js";
const BACKENDS: Backend[] = ["wasm", "js"];

interface DiffOptions {
  threshold?: number;
  eager?: boolean;
  step?: StepMode;
  /** The compiled tier's back end. */
  backend: Backend;
}

/** Runs a setup with the tier off and on (threshold `threshold`, back end `backend`), for each slicing; all must agree. */
function differential(s: Setup, opts: DiffOptions): Outcome {
  const saved = { ...jitConfig };
  try {
    jitConfig.enabled = false;
    const reference = runToEnd(machine(s), [1_000_000], opts);
    const regions = jitCounters().regions;
    for (const slices of [[1_000_000], [1], [65, 66, 200, 3], [1000, 1, 2, 3]]) {
      jitConfig.enabled = false;
      expect(runToEnd(machine(s), slices, opts), `interpreter, slices ${slices}`).toEqual(reference);
      jitConfig.enabled = true;
      jitConfig.threshold = opts.threshold ?? 3;
      jitConfig.decodeAhead = opts.eager ?? false;
      jitConfig.maxRegionsPerPage = 1e9;
      jitConfig.backend = opts.backend;
      expect(runToEnd(machine(s), slices, opts), `compiled tier (${opts.backend}), slices ${slices}`).toEqual(reference);
    }
    // The tier must really have run (it stays off under single-step and block-step).
    if (!opts.step) expect(jitCounters().regions).toBeGreaterThan(regions);
    return reference;
  } finally {
    Object.assign(jitConfig, saved);
  }
}

const EXIT = (a: Asm) => a.li(17, 93).ecall();
const rnd = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed;
};
const VALUES = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 31n, -(2n ** 31n), 0xffffffffn, 0x7fffffffn, 0x123456789abcdefn, 63n, 64n, 32n];

// ---- tests ----

describe("decoder", () => {
  it("decode16 agrees with the compressed table on every encoding", () => {
    const a = new Int32Array(4);
    const b = new Int32Array(4);
    for (let c = 0; c < 65536; c++) {
      decode16(c, a, 0);
      decode16Table(c, b, 0);
      if (a.some((v, k) => v !== b[k])) expect([c, ...a]).toEqual([c, ...b]);
    }
  });

  it("decode32 agrees with the table on a large sample", () => {
    const a = new Int32Array(4);
    const b = new Int32Array(4);
    const next = rnd(7);
    const opcodes = [0x37, 0x17, 0x6f, 0x67, 0x63, 0x03, 0x23, 0x13, 0x1b, 0x33, 0x3b, 0x0f, 0x73, 0x2f, 0x07, 0x27, 0x53, 0x43];
    for (let k = 0; k < 400_000; k++) {
      let insn = (next() ^ (next() << 16)) >>> 0;
      if (k % 4 !== 0) insn = ((insn & ~0x7f) | opcodes[next() % opcodes.length]) >>> 0;
      if (k % 8 === 1) insn = ((insn & ~0xfe000000) | ([0, 1, 0x20][next() % 3] << 25)) >>> 0;
      if (k % 16 === 2) insn = ((insn & 0x01ffffff) | ((next() % 32) << 27)) >>> 0;
      decode32(insn, a, 0);
      decode32Table(insn, b, 0);
      if (a.some((v, i) => v !== b[i])) expect([insn, ...a]).toEqual([insn, ...b]);
    }
  });
});

describe("start-up warm-up", () => {
  it("ran its program to the end, compiled its loop, and left the address space as it was", () => {
    const mem = new AddressSpace();
    mem.map(CODE, 4096, PROT_READ | PROT_EXEC, "code");
    mem.poke(CODE, new Asm().ecall().bytes());
    const h = new Hart();
    h.pc = CODE;
    expect(run(h, mem, 10)).toBe(Exit.Ecall);
    expect(h.instret).toBe(1);
    expect(warmUpResult.exit).toBe(Exit.Ecall);
    if (jitConfig.enabled) expect(warmUpResult.regions).toBe(1);
    expect(mem.listMappings()).toEqual([{ start: CODE, end: CODE + 4096, prot: PROT_READ | PROT_EXEC, name: "code" }]);
    // Its three pages, the last of guest memory (the reserved top above them is not the guest's to
    // map), are unmapped again and zero, as unmapped memory always is.
    const warmUpPages = GUEST_LIMIT - 3 * 4096;
    expect(Array.from(mem.perms.subarray(warmUpPages / 4096, GUEST_LIMIT / 4096))).toEqual([0, 0, 0]);
    expect(mem.bytes.subarray(warmUpPages, GUEST_LIMIT).every((b) => b === 0)).toBe(true);
  });
});

for (const backend of BACKENDS) {
  /** differential() with this pass's back end. */
  const diff = (s: Setup, o: Omit<DiffOptions, "backend"> = {}) => differential(s, { ...o, backend });

  describe(`compiled tier against the interpreter (${backend} back end)`, () => {
    it("ALU: every register-register and immediate operation, in a hot loop", () => {
      const a = new Asm().li(31, 40).label("loop");
      const regs = [5, 6, 7, 28, 29, 30, 0];
      let k = 0;
      for (const name of [...Object.keys(ALU_R), ...Object.keys(ALU_RW)]) {
        const rd = regs[k % 6];
        a.r(name, rd, regs[(k + 1) % 7], regs[(k + 3) % 7]);
        a.r("add", 8 + (k % 8), 8 + (k % 8), rd); // fold results into s0..s7-ish
        k++;
      }
      for (const [name, imm] of [["addi", -7], ["slti", 5], ["sltiu", -1], ["xori", -1365], ["ori", 0x555], ["andi", -16],
        ["addiw", 2047], ["slli", 0], ["slli", 31], ["slli", 32], ["slli", 63], ["srli", 1], ["srli", 32], ["srli", 63],
        ["srai", 5], ["srai", 40], ["slliw", 3], ["srliw", 31], ["sraiw", 17]] as [string, number][]) {
        a.i(name, regs[k % 6], regs[(k + 2) % 7], imm);
        a.r("xor", 8 + (k % 8), 8 + (k % 8), regs[k % 6]);
        k++;
      }
      a.lui(5, 0x80000).auipc(6, 0xfffff).r("add", 7, 5, 6);
      a.i("addi", 5, 5, 1).i("addi", 6, 6, 3).i("srli", 7, 28, 1).r("mul", 28, 28, 29).i("addi", 29, 29, -1);
      a.i("addi", 31, 31, -1).branch("bne", 31, 0, "loop");
      EXIT(a);
      const x = VALUES.slice(0, 13).map((v, i) => v + BigInt(i));
      const out = diff({ code: a.bytes(), x: [0n, ...x, ...x, ...x].slice(0, 32) });
      expect(out.exits.at(-1)).toMatch(/^ecall/);
    });

    it("loads and stores of every width, aligned, misaligned and across pages, and FP loads/stores", () => {
      const a = new Asm().li(31, 30).lui(20, DATA >>> 12).label("loop");
      // a page-crossing and a misaligned pointer
      a.lui(21, (DATA + 0x1000) >>> 12).i("addi", 21, 21, -3); // 3 bytes before a page boundary
      for (const [name, off] of [["sb", 1], ["sh", 2], ["sw", 4], ["sd", 8], ["sh", 3], ["sw", 6], ["sd", 13]] as [string, number][]) {
        a.store(name, 31, 20, off * 8);
        a.store(name, 30, 21, off & 7);
      }
      for (const name of Object.keys(LOADS)) {
        a.load(name, 5, 20, 8);
        a.r("add", 29, 29, 5);
        a.load(name, 6, 21, 1);
        a.r("xor", 28, 28, 6);
      }
      a.fld(3, 20, 16).fsd(3, 21, 0).fld(4, 21, 0).fsd(4, 20, 200);
      a.r("add", 30, 30, 29).i("addi", 20, 20, 16);
      a.i("addi", 31, 31, -1).branch("bne", 31, 0, "loop");
      EXIT(a);
      const data = new Uint8Array(DATA_SIZE).map((_, i) => (i * 37 + 11) & 0xff);
      diff({ code: a.bytes(), data, x: [0n, 0n, 0n, 0n, 0n, -1n] });
    });

    it("a fault in the middle of a compiled block: exact pc, instret and fault address", () => {
      const a = new Asm().li(31, 50).lui(20, DATA >>> 12).lui(21, 0x7fff0).label("loop");
      a.i("addi", 5, 5, 1).load("ld", 6, 20, 0).i("addi", 7, 7, 2);
      a.branch("bne", 5, 31, "skip"); // after 50 iterations the next load faults
      a.load("lw", 8, 21, 0x10);
      a.label("skip").i("addi", 9, 9, 3).branch("bne", 0, 31, "loop");
      EXIT(a);
      const out = diff({ code: a.bytes() });
      expect(out.exits.at(-1)).toMatch(/^exit4@/);
    });

    it("a fault on a store, and on a jalr out of the address space", () => {
      const a = new Asm().li(31, 20).label("loop");
      a.i("addi", 5, 5, 1).branch("bne", 5, 31, "loop");
      a.lui(6, 0x80000).i("slli", 6, 6, 12).jalr(1, 6, 4); // 2^63 + ... : beyond 2^32
      EXIT(a);
      const out = diff({ code: a.bytes() });
      expect(out.exits.at(-1)).toMatch(/^exit5@/);
      const b = new Asm().li(31, 20).label("loop");
      b.i("addi", 5, 5, 1).branch("bne", 5, 31, "skip").store("sd", 5, 0, 0x100);
      b.label("skip").branch("bne", 0, 31, "loop");
      EXIT(b);
      expect(diff({ code: b.bytes() }).exits.at(-1)).toMatch(/^exit4@/);
    });

    it("self-modifying code: a hot loop rewrites an instruction of its own page", () => {
      // The loop adds 1 to a0; after 30 iterations it overwrites that addi with "addi a0, a0, 100".
      const a = new Asm().li(31, 60).auipc(20, 0).label("loop");
      a.label("patched").i("addi", 10, 10, 1);
      a.i("addi", 5, 5, 1).li(6, 30).branch("bne", 5, 6, "next");
      a.lui(7, I(100, 10, 0, 10, 0x13) >>> 12).i("addi", 7, 7, I(100, 10, 0, 10, 0x13) & 0xfff);
      a.store("sw", 7, 20, 4); // x20 = the auipc's pc, CODE + 4; the patched addi is at CODE + 8
      a.label("next").i("addi", 31, 31, -1).branch("bne", 31, 0, "loop");
      EXIT(a);
      const out = diff({ code: a.bytes(), writableCode: true });
      expect(out.x[10]).toBe(30n * 1n + 30n * 100n);
    });

    it("ecalls inside a hot loop, and the instret CSR read in compiled code", () => {
      const a = new Asm().li(31, 40).label("loop");
      a.i("addi", 5, 5, 1).li(17, 64).ecall().csrr(6, 0xc02).r("add", 7, 7, 6).csrr(8, 0xc00);
      a.i("addi", 31, 31, -1).branch("bne", 31, 0, "loop");
      EXIT(a);
      const out = diff({ code: a.bytes() });
      expect(out.exits.filter((e) => e.startsWith("ecall")).length).toBe(41);
    });

    it("calls and returns (jal/jalr), and a jump table (jalr to computed targets)", () => {
      const a = new Asm().li(31, 64).auipc(20, 0).label("loop");
      a.i("andi", 5, 31, 3).i("slli", 5, 5, 3).r("add", 5, 5, 20).jalr(1, 5, 36); // to table + 8·(n & 3)
      a.i("addi", 31, 31, -1).branch("bne", 31, 0, "loop");
      EXIT(a);
      a.label("table"); // the auipc's pc + 36: the code above is 10 instructions
      for (let k = 0; k < 4; k++) a.i("addi", 10 + k, 10 + k, k + 1).jalr(0, 1, 0);
      const code = a.bytes();
      // Check the layout assumption: "table" must be at (auipc pc) + 40.
      expect(code.length).toBe((10 + 8) * 4);
      const out = diff({ code });
      expect(out.x.slice(10, 14)).toEqual([16n, 32n, 48n, 64n]);
    });

    it("FP arithmetic (fmadd.d, fadd.d, fcvt) in a hot loop", () => {
      const fmaddD = (rd: number, rs1: number, rs2: number, rs3: number) => ((rs3 << 27) | (1 << 25) | (rs2 << 20) | (rs1 << 15) | (7 << 12) | (rd << 7) | 0x43) >>> 0;
      const faddD = (rd: number, rs1: number, rs2: number) => R(0x01, rs2, rs1, 7, rd, 0x53);
      const fcvtLD = (rd: number, rs1: number) => R(0x61, 2, rs1, 1, rd, 0x53);
      const a = new Asm().li(31, 30).lui(20, DATA >>> 12).label("loop");
      a.fld(1, 20, 0).fld(2, 20, 8).raw(fmaddD(3, 1, 2, 3)).raw(faddD(4, 4, 1)).raw(fcvtLD(5, 3)).fsd(3, 20, 16);
      a.i("addi", 20, 20, 8).i("addi", 31, 31, -1).branch("bne", 31, 0, "loop");
      EXIT(a);
      const data = new Uint8Array(DATA_SIZE);
      const v = new DataView(data.buffer);
      for (let k = 0; k < 64; k++) v.setFloat64(k * 8, 1 + k / 3, true);
      const out = diff({ code: a.bytes(), data });
      expect(out.f[3]).not.toBe(0n);
    });

    // region.ts fpExact and fpRounding: sign injection, moves, fclass, compares, fmin/fmax, the
    // conversions from integers and fdiv.d run in line; a NaN operand (for compares and min/max) and DYN under frm other than
    // RNE go to the FPU. Each runs in a hot loop over operand pairs that include signed zeros,
    // infinities, quiet and signalling NaNs with payloads, subnormals and random bits, with fflags
    // read after each, x0 and x-registers as destinations, and rd equal to a source.
    it("FP operations in line (fsgnj*, fmv, feq/flt/fle, fmin/fmax, fcvt.d.w[u]/l[u], fclass, fdiv) on edge operands", () => {
      const op = (f7: number, rs2: number, rs1: number, f3: number, rd: number) => R(f7, rs2, rs1, f3, rd, 0x53);
      const fsgnj = (rd: number, a: number, b: number, k: number) => op(0x11, b, a, k, rd); // k: 0 j, 1 jn, 2 jx
      const fminmax = (rd: number, a: number, b: number, k: number) => op(0x15, b, a, k, rd); // 0 min, 1 max
      const fcmp = (rd: number, a: number, b: number, k: number) => op(0x51, b, a, k, rd); // 0 fle, 1 flt, 2 feq
      const fmvXD = (rd: number, a: number) => op(0x71, 0, a, 0, rd);
      const fmvDX = (rd: number, a: number) => op(0x79, 0, a, 0, rd);
      const fcvtDW = (rd: number, a: number, unsigned: number, rm: number) => op(0x69, unsigned, a, rm, rd);
      const FFLAGS = 0x001;
      const FRM = 0x002;
      const PAIRS = 40;
      // x20 walks the operand pairs (a, b at +0, +8), x21 the results (24 words a pair).
      const a = new Asm().li(31, PAIRS).lui(20, DATA >>> 12).lui(21, (DATA + 0x1000) >>> 12).label("loop");
      a.fld(1, 20, 0).fld(2, 20, 8).load("ld", 5, 20, 0).load("ld", 6, 20, 8);
      // frm from the pair's index: RNE on most rounds, other modes on some (DYN conversions go to the FPU then).
      a.i("andi", 7, 31, 3).raw(I(FRM, 7, 1, 0, 0x73)); // csrrw x0, frm, x7
      // fflags after each group (x18: compares, x19: fmin/fmax), cleared after each read.
      const flagsTo = (rd: number) => a.csrr(rd, FFLAGS).raw(I(FFLAGS, 0, 1, 0, 0x73)); // csrrw x0, fflags, x0
      a.raw(fsgnj(3, 1, 2, 0)).raw(fsgnj(4, 1, 2, 1)).raw(fsgnj(8, 1, 2, 2)).raw(fsgnj(9, 9, 1, 1));
      a.raw(fcmp(12, 1, 2, 0)).raw(fcmp(13, 1, 2, 1)).raw(fcmp(14, 1, 2, 2)).raw(fcmp(0, 1, 1, 2));
      flagsTo(18);
      a.raw(fminmax(10, 1, 2, 0)).raw(fminmax(11, 1, 2, 1)).raw(fminmax(2, 2, 1, 0));
      flagsTo(19);
      a.raw(fmvXD(15, 1)).raw(fmvXD(0, 2)).raw(fmvDX(12, 6)).raw(fmvDX(13, 0));
      a.raw(fcvtDW(14, 5, 0, 7)).raw(fcvtDW(15, 6, 1, 7)).raw(fcvtDW(16, 5, 1, 0)).raw(fcvtDW(17, 6, 0, 3));
      // fcvt.d.l (RTZ) and fcvt.d.lu (RNE) from the pair's bits (in line up to 2^53), their flags
      // (x23), then fclass.d and fdiv.d (DYN).
      a.raw(fcvtDW(18, 6, 2, 1)).raw(fcvtDW(19, 5, 3, 0));
      flagsTo(23);
      a.raw(op(0x71, 0, 1, 1, 22)).raw(op(0x0d, 2, 1, 7, 20));
      flagsTo(16);
      a.fsd(3, 21, 0).fsd(4, 21, 8).fsd(8, 21, 16).fsd(10, 21, 24).fsd(11, 21, 32).fsd(2, 21, 40);
      a.fsd(12, 21, 48).fsd(13, 21, 56).fsd(14, 21, 64).fsd(15, 21, 72).fsd(16, 21, 80).fsd(17, 21, 88);
      a.store("sd", 12, 21, 96).store("sd", 13, 21, 104).store("sd", 14, 21, 112).store("sd", 15, 21, 120).store("sd", 16, 21, 128);
      a.store("sd", 18, 21, 136).store("sd", 19, 21, 144).store("sd", 22, 21, 152).store("sd", 23, 21, 184);
      a.fsd(18, 21, 160).fsd(19, 21, 168).fsd(20, 21, 176);
      a.i("addi", 20, 20, 16).i("addi", 21, 21, 192).i("addi", 31, 31, -1).branch("bne", 31, 0, "loop");
      EXIT(a);
      const special = [
        0n, 1n << 63n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n,
        0x7ff8000000000000n, 0xfff8000000000123n, 0x7ff0000000000001n, 0xfff4dead0000beefn, 0x0000000000000001n,
        0x800fffffffffffffn, 0x7fefffffffffffffn, 0x00000000ffffffffn, 0xffffffff80000000n, 0x000000007fffffffn,
        // As integers: 2^53 and 2^54 + 3, ±, where fcvt.d.l[u] stops being exact.
        0x0020000000000000n, 0xffe0000000000000n, 0x0040000000000003n, 0xffbffffffffffffdn,
      ];
      const next = rnd(7);
      const bits = () => (BigInt(next() >>> 0) << 32n) | BigInt(next() >>> 0);
      const data = new Uint8Array(DATA_SIZE);
      const v = new DataView(data.buffer);
      // Each special value once as a and once as b, then random pairs (every fifth with a = b).
      for (let k = 0; k < PAIRS; k++) {
        // The generator's high bits: its low ones repeat with a short period.
        const pick = () => ((next() >>> 16) % 3 === 0 ? bits() : special[(next() >>> 16) % special.length]);
        const first = k < special.length ? special[k] : pick();
        v.setBigUint64(k * 16, first, true);
        v.setBigUint64(k * 16 + 8, k < special.length ? special[special.length - 1 - k] : k % 5 === 0 ? first : pick(), true);
      }
      const calls = regionFpHelperCalls();
      const out = diff({ code: a.bytes(), data, f: [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0x7ff4000000000042n] });
      // And in line: the compiled runs make some 2,600 FP operations of these kinds, which with no
      // fast path are as many calls of the FPU helper; in line, only NaN operands and DYN under a
      // frm other than RNE call it (756 calls when written).
      if (backend === "wasm") expect(regionFpHelperCalls() - calls).toBeLessThan(1300);
      // The loop ran to its end (the exit ecall); x0 stayed 0 though written.
      expect(out.exits.at(-1)).toMatch(/^ecall@/);
      expect(out.x[0]).toBe(0n);
    });

    // fcvt.d.w is exact, but under rm = DYN a reserved frm makes it illegal: a compiled loop that
    // ran with frm = RNE must trap once frm is 5.
    it("fcvt.d.w with rm = DYN in compiled code traps when frm becomes reserved", () => {
      const fcvtDWDyn = (rd: number, rs1: number) => R(0x69, 0, rs1, 7, rd, 0x53);
      const a = new Asm().li(8, 0).li(5, -7).label("start").li(31, 20).label("loop");
      a.raw(fcvtDWDyn(14, 5)).i("addi", 31, 31, -1).branch("bne", 31, 0, "loop");
      a.branch("bne", 8, 0, "end");
      a.li(8, 1).li(7, 5).raw(I(0x002, 7, 1, 0, 0x73)); // csrrw x0, frm, x7
      a.jal(0, "start").label("end");
      EXIT(a);
      const out = diff({ code: a.bytes() });
      expect(out.exits.at(-1)).toMatch(new RegExp(`^exit${Exit.Illegal}@`));
      expect(out.f[14]).toBe(0xc01c000000000000n); // -7.0, from the first pass
    });

    it("an illegal instruction and an ebreak reached from compiled code", () => {
      const a = new Asm().li(31, 20).label("loop");
      a.i("addi", 5, 5, 1).branch("bne", 5, 31, "loop").raw(0xffffffff);
      EXIT(a);
      expect(diff({ code: a.bytes() }).exits.at(-1)).toMatch(/^exit3@/);
      const b = new Asm().li(31, 20).label("loop");
      b.i("addi", 5, 5, 1).branch("bne", 5, 31, "loop").ebreak();
      EXIT(b);
      expect(diff({ code: b.bytes() }).exits.at(-1)).toMatch(/^exit2@/);
    });

    it("single-step and block-step are unchanged with the tier on", () => {
      const a = new Asm().li(31, 10).label("loop");
      a.i("addi", 5, 5, 1).r("add", 6, 6, 5).branch("bne", 5, 31, "loop");
      EXIT(a);
      for (const step of [StepMode.Single, StepMode.Block]) diff({ code: a.bytes() }, { step, threshold: 1 });
    });

    it("compiles and enters regions (the tier is really used)", () => {
      const a = new Asm().li(31, 1000).label("loop").i("addi", 5, 5, 1).branch("bne", 5, 31, "loop");
      EXIT(a);
      const saved = { ...jitConfig };
      try {
        jitConfig.enabled = true;
        jitConfig.threshold = 10;
        jitConfig.backend = backend;
        const before = jitCounters().regions;
        const out = runToEnd(machine({ code: a.bytes() }), [1_000_000]);
        expect(jitCounters().regions).toBeGreaterThan(before);
        expect(out.x[5]).toBe(1000n);
        expect(out.instret).toBe(2 + 2000 + 1);
      } finally {
        Object.assign(jitConfig, saved);
      }
    });
  });

  describe(`random programs, compiled ahead of execution (${backend} back end)`, () => {
    const pickReg = (next: () => number) => [5, 6, 7, 8, 9, 10, 11, 12, 28, 29, 0][next() % 11];
    const pickAlu = (next: () => number, a: Asm) => {
      const k = next() % 5;
      const rd = pickReg(next);
      const rs1 = pickReg(next);
      const rs2 = pickReg(next);
      if (k === 0) a.r(Object.keys(ALU_R)[next() % 18], rd, rs1, rs2);
      else if (k === 1) a.r(Object.keys(ALU_RW)[next() % 10], rd, rs1, rs2);
      else if (k === 2) {
        const names = ["addi", "slti", "sltiu", "xori", "ori", "andi", "addiw", "slli", "srli", "srai", "slliw", "srliw", "sraiw"];
        a.i(names[next() % names.length], rd, rs1, ((next() % 4096) - 2048) | 0);
      } else if (k === 3) {
        const off = (next() % 512) & ~7;
        if (next() % 2) a.load(Object.keys(LOADS)[next() % 7], rd, 20, off - 256 + (next() % 8));
        else a.store(Object.keys(STORES)[next() % 4], rs1, 20, off - 256 + (next() % 8));
      } else a.lui(rd, next());
    };

    for (let seed = 1; seed <= 8; seed++) {
      it(`seed ${seed}`, () => {
        const next = rnd(seed * 7919);
        const a = new Asm().lui(20, (DATA + 0x1000) >>> 12).li(31, 5 + (next() % 20)).label("loop");
        for (let k = 0; k < 40; k++) {
          pickAlu(next, a);
          if (next() % 8 === 0) {
            // a forward branch over one instruction
            const name = Object.keys(BRANCHES)[next() % 6];
            const l = `f${k}`;
            a.branch(name, pickReg(next), pickReg(next), l);
            pickAlu(next, a);
            a.label(l);
          }
        }
        a.i("addi", 31, 31, -1).branch("bne", 31, 0, "loop");
        EXIT(a);
        const x = Array.from({ length: 32 }, () => VALUES[next() % VALUES.length] ^ BigInt(next()));
        x[20] = 0n;
        x[31] = 0n;
        const data = new Uint8Array(DATA_SIZE).map(() => next() & 0xff);
        diff({ code: a.bytes(), x, data }, { threshold: 1, eager: true });
        diff({ code: a.bytes(), x, data }, { threshold: 2 });
      });
    }
  });
}
