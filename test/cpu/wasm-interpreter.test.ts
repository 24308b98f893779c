// The WebAssembly interpreter (src/cpu/wasm/interpreter.ts) against the JavaScript one, one
// instruction at a time: every 16-bit encoding and a sample of 32-bit ones across all major
// opcodes, each from random registers (integer and FP, and fcsr), some of them pointing into a data
// page. For each, the WebAssembly interpreter either ran it (count 1) and left exactly what the
// JavaScript interpreter leaves after that one instruction, or trapped as the JavaScript one does
// (an illegal FP instruction), or left it to JavaScript (count 0) without a trace: registers,
// memory and pc untouched. Every operation it is meant to run must have run at least once, and
// nothing else ever. Then whole programs in budget slices, and the generated module's freshness.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { Exit, Hart } from "../../src/cpu/hart.js";
import { jitConfig, run } from "../../src/cpu/interp.js";
import { Op } from "../../src/cpu/ops.js";
import { decode16, decode32, SLOT_WORDS } from "../../src/cpu/decode.js";
import { codeCacheOf, REGION_GO, REGION_INTERPRET, type RegionFn } from "../../src/cpu/code-cache.js";
import { WasmRegionIndex } from "../../src/cpu/wasm/dispatch.js";
import { jitCounters } from "../../src/cpu/jit.js";
import { FP_INSN_INDEX, heatAddress, HEAT_BASE, HEAT_ENTRIES, HEAT_THRESHOLD, interpreterBytes, interpreterModule } from "../../src/cpu/wasm/interpreter.js";
import { fpInsnHelper, REGION_TYPES } from "../../src/cpu/wasm/region.js";
import { reexportBytes } from "../../src/cpu/wasm/encode.js";
import { decodeFp } from "../../src/cpu/fpu.js";
import { INTERPRETER_WASM } from "../../src/cpu/wasm/interpreter-wasm.js";
import { AddressSpace, PERMS_BASE, PROT_EXEC, PROT_READ, PROT_WRITE, REGION_INDEX_BASE, REGION_INDEX_ENTRIES } from "../../src/mem/address-space.js";
import { addi, amo, bne, ecall, load, store, words } from "./rv-encode.js";

const CODE = 0x10000;
const DATA = 0x20000;

/** The operations the WebAssembly interpreter runs itself (decode.ts's names for them). */
const RUNS = [
  Op.Lui, Op.Auipc, Op.Li, Op.Mv, Op.Addi, Op.Addiw, Op.Slti, Op.Sltiu, Op.Xori, Op.Ori, Op.Andi, Op.Slli, Op.Srli, Op.Srai,
  Op.Slliw, Op.Srliw, Op.Sraiw, Op.Add, Op.Sub, Op.Sll, Op.Slt, Op.Sltu, Op.Xor, Op.Srl, Op.Sra, Op.Or, Op.And,
  Op.Addw, Op.Subw, Op.Sllw, Op.Srlw, Op.Sraw, Op.Mul, Op.Mulw, Op.Div, Op.Divu, Op.Rem, Op.Remu, Op.Divw, Op.Divuw,
  Op.Remw, Op.Remuw, Op.Lb, Op.Lh, Op.Lw, Op.Ld, Op.Lbu, Op.Lhu, Op.Lwu, Op.Sb, Op.Sh, Op.Sw, Op.Sd,
  Op.Beq, Op.Bne, Op.Blt, Op.Bge, Op.Bltu, Op.Bgeu, Op.Jal, Op.Jalr, Op.Fence, Op.FenceI, Op.Ecall,
  Op.Flw, Op.Fld, Op.Fsw, Op.Fsd, Op.Fp,
];

/** A small deterministic generator (xorshift32). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
}

/** Register values worth having: addresses in and around the data page, edges, and noise. */
function registers(next: () => number): bigint[] {
  const x: bigint[] = [0n];
  for (let i = 1; i < 32; i++) {
    const r = next() % 8;
    const v =
      r < 3 ? BigInt(DATA + (next() % 4096)) :
      r === 3 ? BigInt(DATA + 4096 - (next() % 8)) :
      r === 4 ? [0n, 1n, -1n, 2n ** 63n, 2n ** 63n - 1n, 2n ** 31n, -(2n ** 31n), 0xffffffffn][next() % 8] :
      r === 5 ? BigInt(CODE + (next() % 64) * 2) :
      BigInt.asIntN(64, (BigInt(next()) << 32n) | BigInt(next()));
    x.push(BigInt.asIntN(64, v));
  }
  return x;
}

interface Side {
  mem: AddressSpace;
  h: Hart;
}

function side(): Side {
  const mem = new AddressSpace();
  mem.map(CODE, 4096, PROT_READ | PROT_EXEC, "code");
  mem.map(DATA, 4096, PROT_READ | PROT_WRITE, "data");
  const h = new Hart();
  h.homeIn(mem);
  return { mem, h };
}

function setUp(s: Side, insn: Uint8Array, data: Uint8Array, x: bigint[], f: bigint[] = [], fcsr = 0): void {
  s.mem.poke(CODE, insn);
  s.mem.poke(DATA, data);
  x.forEach((v, i) => i > 0 && s.h.setX(i, v));
  f.forEach((v, i) => (s.h.f64bits[i] = v));
  s.h.fcsr = fcsr;
  s.h.pc = CODE;
  s.h.instret = 0;
}

interface State {
  pc: number;
  x: bigint[];
  f: bigint[];
  fcsr: number;
  /** The data page (compared apart: as one Buffer.equals, not 4096 elements). */
  data: Buffer;
}

function state(s: Side): State {
  return {
    pc: s.h.pc,
    x: Array.from(s.h.x64.subarray(0, 32)),
    f: Array.from(s.h.f64bits),
    fcsr: s.h.fcsr,
    data: Buffer.from(s.mem.read(DATA, 4096)),
  };
}

function expectSame(a: State, b: State, label: string): void {
  expect({ pc: a.pc, x: a.x, f: a.f, fcsr: a.fcsr }, label).toEqual({ pc: b.pc, x: b.x, f: b.f, fcsr: b.fcsr });
  expect(a.data.equals(b.data), `${label}: the data page`).toBe(true);
}

/** FP register values: doubles of all kinds, NaN-boxed singles, and raw bits. */
function fpRegisters(next: () => number): bigint[] {
  const bits = (v: number) => new BigUint64Array(new Float64Array([v]).buffer)[0];
  const single = (v: number) => 0xffffffff00000000n | BigInt(new Uint32Array(new Float32Array([v]).buffer)[0]);
  return Array.from({ length: 32 }, () => {
    const r = next() % 6;
    const v = (next() % 2000) / 7 - 140;
    return r === 0 ? bits(v) : r === 1 ? single(v) : r === 2 ? bits([0, -0, Infinity, -Infinity, NaN, 1e-310, 2 ** 60][next() % 7]) :
      r === 3 ? single([0, -0, Infinity, NaN, 1e-40][next() % 5]) : (BigInt(next()) << 32n) | BigInt(next());
  });
}

/** Data pages to start from (random bytes, made once). */
const PAGES = (() => {
  const next = rng(99);
  return Array.from({ length: 8 }, () => Uint8Array.from({ length: 4096 }, () => next() & 0xff));
})();

let wasm: Side;
let js: Side;
let interpreter: RegionFn;

beforeAll(() => {
  wasm = side();
  js = side();
  const index = new WasmRegionIndex(wasm.mem, true);
  codeCacheOf(wasm.mem).regionIndex = index;
  interpreter = index.interpreter!;
  // No block ever gets hot: the interpreter only interprets.
  wasm.mem.i32[HEAT_THRESHOLD >>> 2] = 0x7fffffff;
});

/** What the decoder makes of an instruction (its first 2 or 4 bytes). */
function opOf(bytes: Uint8Array): Op {
  const d = new Int32Array(SLOT_WORDS);
  const lo = bytes[0] | (bytes[1] << 8);
  if ((lo & 3) !== 3) decode16(lo, d, 0);
  else decode32((lo | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0, d, 0);
  return d[0] as Op;
}

/** What the WebAssembly interpreter did with an instruction. */
type Outcome = "ran" | "left" | "trapped";

/** Runs one instruction in both interpreters from the same state and checks the rule above. */
function one(insn: Uint8Array, next: () => number): Outcome {
  const x = registers(next);
  const f = fpRegisters(next);
  // Flags anywhere; the rounding mode mostly valid (5–7 make dynamic-rounding instructions illegal).
  const fcsr = ((next() % 10) << 5) | (next() & 0x1f);
  const data = PAGES[next() % PAGES.length];
  setUp(wasm, insn, data, x, f, fcsr);
  const before = state(wasm);
  const pc = interpreter(wasm.h, CODE, 0, 1, wasm.h.regs) >>> 0;
  const [count, code] = [wasm.h.state[0], wasm.h.state[1]];
  wasm.h.pc = pc;
  const label = `${Buffer.from(insn).toString("hex")} (op ${opOf(insn)})`;
  if (count === 0 && code === REGION_INTERPRET) {
    expectSame(state(wasm), before, label);
    return "left";
  }
  setUp(js, insn, data, x, f, fcsr);
  jitConfig.enabled = false;
  try {
    const exit = run(js.h, js.mem, 1);
    expectSame(state(wasm), state(js), label);
    if (count === 0) {
      // A trap, uncounted, at the instruction, with the same details.
      expect(code, label).toBeLessThan(0);
      expect(exit, label).toBe(-code);
      expect(js.h.instret, label).toBe(0);
      expect(wasm.h.trapValue, label).toBe(js.h.trapValue);
      return "trapped";
    }
    expect(count, label).toBe(1);
    expect(js.h.instret, label).toBe(1);
    // An ecall stops both with the pc at it; all else ran on (the budget) or left the next pc to JavaScript.
    if (code === -Exit.Ecall) expect(exit, label).toBe(Exit.Ecall);
    else {
      expect(exit, label).toBe(Exit.Budget);
      expect([REGION_GO, REGION_INTERPRET], label).toContain(code);
    }
  } finally {
    jitConfig.enabled = true;
  }
  return "ran";
}

/** Runs `encodings` through one(): how many of each op the WebAssembly interpreter ran, and which ops it left or trapped on. */
function sweep(encodings: Iterable<Uint8Array>, seed: number): { ran: Map<Op, number>; left: Set<Op>; trapped: Set<Op> } {
  const next = rng(seed);
  const ran = new Map<Op, number>();
  const left = new Set<Op>();
  const trapped = new Set<Op>();
  for (const insn of encodings) {
    const op = opOf(insn);
    const outcome = one(insn, next);
    if (outcome === "ran") ran.set(op, (ran.get(op) ?? 0) + 1);
    else (outcome === "left" ? left : trapped).add(op);
  }
  return { ran, left, trapped };
}

function* all16(): Generator<Uint8Array> {
  for (let c = 0; c < 0x10000; c++) if ((c & 3) !== 3) yield Uint8Array.of(c & 0xff, c >>> 8, 0x73, 0);
}

function* sample32(count: number, seed: number): Generator<Uint8Array> {
  // Forms a random sample would hardly meet: ecall, mv (addi rd, rs, 0 and add rd, x0, rs), li,
  // and of those left to JavaScript ebreak and lr.w.
  for (const insn of [ecall(), addi(5, 6, 0), 0x006002b3, addi(5, 0, -7), 0x00100073, amo("lr.w", 5, 6, 0)]) yield words(insn);
  const next = rng(seed);
  for (let k = 0; k < count; k++) {
    // Every major opcode equally often, funct7 often 0, 1 or 0x20 as the real encodings have it.
    let insn = (next() & ~0x7f) | ((k % 32) << 2) | 3;
    const f7 = next() % 4;
    if (f7 < 3) insn = (insn & 0x01ffffff) | ([0, 1, 0x20][f7] << 25);
    yield Uint8Array.of(insn & 0xff, (insn >>> 8) & 0xff, (insn >>> 16) & 0xff, insn >>> 24);
  }
}

describe("one instruction: the WebAssembly interpreter or nothing", () => {
  it("every 16-bit encoding", () => {
    const { ran, left, trapped } = sweep(all16(), 1);
    // The 16-bit forms it runs: all of C but c.ebreak.
    for (const op of [Op.Addi, Op.Li, Op.Mv, Op.Addiw, Op.Lui, Op.Srli, Op.Srai, Op.Andi, Op.Sub, Op.Xor, Op.Or, Op.And, Op.Subw,
      Op.Addw, Op.Jal, Op.Beq, Op.Bne, Op.Slli, Op.Lw, Op.Ld, Op.Sw, Op.Sd, Op.Jalr, Op.Add, Op.Fld, Op.Fsd]) {
      expect(ran.get(op) ?? 0, `op ${op}`).toBeGreaterThan(0);
    }
    for (const op of ran.keys()) expect(RUNS, `op ${op}`).toContain(op);
    for (const op of [Op.Ebreak, Op.Illegal]) expect(left.has(op), `op ${op}`).toBe(true);
    expect([...trapped]).toEqual([]);
  }, 60_000);

  it("32-bit encodings of every major opcode", () => {
    const { ran, left, trapped } = sweep(sample32(60_000, 7), 2);
    for (const op of RUNS) expect(ran.get(op) ?? 0, `op ${op}`).toBeGreaterThan(0);
    for (const op of ran.keys()) expect(RUNS, `op ${op}`).toContain(op);
    for (const op of [Op.Csr, Op.Mulh, Op.Mulhu, Op.Mulhsu, Op.AmoD, Op.AmoW, Op.LrW, Op.Ebreak, Op.Illegal]) {
      expect(left.has(op), `op ${op}`).toBe(true);
    }
    expect(left.has(Op.Fp)).toBe(false);
    // Illegal FP encodings (decoded as Illegal) and FP instructions with a reserved rounding mode trap.
    expect(trapped.has(Op.Illegal) && trapped.has(Op.Fp)).toBe(true);
    expect([...trapped].every((op) => op === Op.Illegal || op === Op.Fp)).toBe(true);
  }, 60_000);

  it("division edges: x/0, x%0, MIN/−1 and MIN%−1, 64-bit and word", () => {
    const MIN = -(2n ** 63n);
    const MINW = -(2n ** 31n);
    const next = rng(3);
    // div, divu, rem, remu (funct3 4–7), OP and OP-32, x5 = x6 op x7.
    for (const [opcode, a, b] of [[0x33, MIN, -1n], [0x33, 77n, 0n], [0x33, MIN, 0n], [0x3b, MINW, -1n], [0x3b, 77n, 0n], [0x3b, -5n, 0n]] as const) {
      for (let f3 = 4; f3 < 8; f3++) {
        const insn = (1 << 25) | (7 << 20) | (6 << 15) | (f3 << 12) | (5 << 7) | opcode;
        const bytes = words(insn, ecall());
        const x = registers(next);
        x[6] = a;
        x[7] = b;
        setUp(wasm, bytes, new Uint8Array(4096), x);
        interpreter(wasm.h, CODE, 0, 1, wasm.h.regs);
        expect(wasm.h.state[0]).toBe(1);
        setUp(js, bytes, new Uint8Array(4096), x);
        jitConfig.enabled = false;
        try {
          run(js.h, js.mem, 1);
        } finally {
          jitConfig.enabled = true;
        }
        expect(wasm.h.getX(5), `${opcode.toString(16)} f3 ${f3}: ${a} ${b}`).toBe(js.h.getX(5));
      }
    }
  });
});

describe("at a page's end", () => {
  it("a 4-byte instruction there is left to JavaScript (it checks the next page), a 2-byte one runs", () => {
    const at = CODE + 4094;
    setUp(wasm, new Uint8Array(0), new Uint8Array(4096), registers(rng(5)));
    const before = wasm.h.getX(5);
    wasm.mem.poke(at, Uint8Array.of(0x93, 0x82)); // addi x5, x5, 1: its first half; the second is in the next page
    interpreter(wasm.h, at, 0, 1, wasm.h.regs);
    expect([wasm.h.state[0], wasm.h.state[1]]).toEqual([0, REGION_INTERPRET]);
    expect(wasm.h.getX(5)).toBe(before);
    wasm.mem.poke(at, Uint8Array.of(0x85, 0x02)); // c.addi x5, 1
    const pc = interpreter(wasm.h, at, 0, 1, wasm.h.regs) >>> 0;
    expect([wasm.h.state[0], wasm.h.state[1], pc]).toEqual([1, REGION_GO, CODE + 4096]);
    expect(wasm.h.getX(5)).toBe(BigInt.asIntN(64, before + 1n));
  });
});

describe("programs", () => {
  /** A loop of loads, stores, arithmetic and an ecall per pass, 50 passes. */
  const program = words(
    addi(5, 0, 50), // x5 = 50
    addi(6, 0, 0), // x6 = 0
    load("ld", 7, 10, 0), // loop: x7 = [x10]
    addi(7, 7, 3),
    store("sd", 7, 10, 8), // [x10 + 8] = x7
    addi(6, 6, 7),
    addi(17, 0, 64), // a7 = 64, an ecall the test answers
    ecall(),
    addi(5, 5, -1),
    bne(5, 0, -28),
    addi(17, 0, 93),
    ecall(),
  );

  function runProgram(slice: number, wasmInterpreter: boolean, threshold = 65535): { x: bigint[]; instret: number; pc: number; ecalls: number; data: string } {
    const s = side();
    const saved = { ...jitConfig };
    jitConfig.enabled = wasmInterpreter;
    jitConfig.threshold = threshold;
    try {
      if (wasmInterpreter) codeCacheOf(s.mem).regionIndex = new WasmRegionIndex(s.mem, true);
      s.mem.poke(CODE, program);
      s.h.setX(10, BigInt(DATA + 64));
      s.h.pc = CODE;
      let ecalls = 0;
      for (let k = 0; k < 100_000; k++) {
        const exit = run(s.h, s.mem, slice);
        if (exit === Exit.Budget) continue;
        expect(exit).toBe(Exit.Ecall);
        ecalls++;
        if (s.h.getX(17) === 93n) break;
        s.h.pc += 4;
      }
      if (wasmInterpreter && threshold === 65535) {
        // The loop's blocks started in the WebAssembly interpreter: their heat is counted.
        expect(s.mem.u16[heatAddress(CODE + 8) >>> 1]).toBeGreaterThan(0);
      }
      return { x: Array.from({ length: 32 }, (_, i) => s.h.getX(i)), instret: s.h.instret, pc: s.h.pc, ecalls, data: Buffer.from(s.mem.read(DATA, 256)).toString("hex") };
    } finally {
      Object.assign(jitConfig, saved);
    }
  }

  it("a block it finds hot becomes a region, entered from then on, with the same end", () => {
    const reference = runProgram(1_000_000, false);
    const before = jitCounters().regions;
    expect(runProgram(1_000_000, true, 5)).toEqual(reference);
    expect(jitCounters().regions).toBeGreaterThan(before);
  });

  it("run in slices of any size, they end as in the JavaScript interpreter", () => {
    const reference = runProgram(1_000_000, false);
    expect(reference.ecalls).toBe(51);
    for (const slice of [1, 2, 3, 7, 1_000_000]) expect(runProgram(slice, true), `slice ${slice}`).toEqual(reference);
  });
});

describe("the module and its memory", () => {
  it("interpreter-wasm.ts is what the generator makes (node tools/gen-wasm-interpreter.mjs after a change)", () => {
    expect(Buffer.from(interpreterBytes()).toString("base64")).toBe(INTERPRETER_WASM);
  });

  it("the heat counters and the threshold lie between the region index and the permission table", () => {
    expect(HEAT_BASE).toBe(REGION_INDEX_BASE + REGION_INDEX_ENTRIES * 8);
    expect(HEAT_THRESHOLD).toBe(HEAT_BASE + HEAT_ENTRIES * 2);
    expect(HEAT_THRESHOLD + 4).toBeLessThanOrEqual(PERMS_BASE);
    for (const pc of [0, 2, 4094, 0x10000, 0xffdffffe]) {
      expect(heatAddress(pc)).toBeGreaterThanOrEqual(HEAT_BASE);
      expect(heatAddress(pc)).toBeLessThan(HEAT_THRESHOLD);
    }
  });
});

// ---- the FP fast paths ----
//
// The interpreter runs the common double-precision instructions in line (interpreter.ts opFp,
// fusedD) and calls the FPU for whatever they cannot do exactly. Here each runs from the same
// registers and fcsr in an instance of the interpreter whose FPU helper counts its calls, and in the
// JavaScript interpreter: registers, fcsr (flags accrued onto ones already raised) and the trap, if
// any, must be the same. Operands: edges (zeros, infinities, quiet and signalling NaNs, NaN-boxed and
// badly boxed singles, subnormals, the fast paths' range limits), qemu's FPU vectors, values whose
// results are inexact, ties, and random bits; each under static RNE, dynamic with frm RNE, and
// other modes (static and dynamic, reserved ones too). Every fast path must have run (no call) on
// many of them, inexact ones and signalling NaNs included where the operation allows.

const D = (v: number) => new BigUint64Array(new Float64Array([v]).buffer)[0];
const ULP1 = 0x3ff0000000000001n; // 1 + 2^-52
/** Doubles (as bits) worth trying. */
const FP_EDGES: bigint[] = [
  0n, 1n << 63n, D(Infinity), D(-Infinity),
  0x7ff8000000000000n, 0x7ff8000000000123n, 0xfff8000000000000n, // quiet NaNs
  0x7ff0000000000001n, 0x7ff4000000000000n, 0xfff0000000000001n, // signalling NaNs
  0xffffffff3f800000n, 0xffffffff7fc00000n, 0x000000003f800000n, 0xfffffffe3f800000n, // boxed 1.0f, its NaN; bad boxes
  1n, 0x000fffffffffffffn, 0x800fffffffffffffn, 0x0010000000000000n, // subnormals, the least normal
  D(2 ** -1021), D(2 ** -1021) - 1n, D(2 ** -1000), D(2 ** -1000) - 1n, D(2 ** -900), D(2 ** -900) - 1n,
  D(2 ** 995), D(2 ** 995) + 1n, D(2 ** 1020), D(2 ** 1020) + 1n, D(2 ** 1023), 0x7fefffffffffffffn, 0xffefffffffffffffn,
  D(1), ULP1, D(-1), D(3), D(0.1), D(1 / 3), D(-1.5), D(2 ** 53), D(2 ** -53), D(1e308), D(-1e-308), D(7), D(-0.75),
];
/** Integers (fcvt.d.* sources) worth trying. */
const INT_EDGES: bigint[] = [
  0n, 1n, -1n, 2n ** 31n - 1n, -(2n ** 31n), 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n),
  -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 54n + 2n, 12345n, -7n,
];

/** A double that is mostly an ordinary number of moderate size, so that results are inexact. */
function moderate(next: () => number): bigint {
  const mantissa = 1 + next() / 2 ** 32 + next() / 2 ** 64;
  const v = mantissa * 2 ** ((next() % 121) - 60);
  return D(next() % 2 ? -v : v);
}

const isNaNBits = (v: bigint) => ((v >> 52n) & 2047n) === 2047n && (v & ((1n << 52n) - 1n)) !== 0n;

function operand(next: () => number): bigint {
  const r = next() % 10;
  if (r < 4) return FP_EDGES[next() % FP_EDGES.length];
  if (r < 8) return moderate(next);
  return (BigInt(next()) << 32n) | BigInt(next());
}

/** qemu's vectors (fpu-vectors*.json, "op a b c ..." with op decodeFp's id): their operands by op. */
function vectorOperands(): Map<number, bigint[][]> {
  const byOp = new Map<number, bigint[][]>();
  for (const name of ["fpu-vectors.json", "fpu-vectors-edge.json", "fpu-vectors-targeted.json"]) {
    const { vectors } = JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), "utf8")) as { vectors: string[] };
    for (const v of vectors) {
      const [op, a, b, c] = v.split(" ");
      const list = byOp.get(Number(op)) ?? [];
      list.push([a, b, c].map((h) => BigInt(`0x${h}`)));
      byOp.set(Number(op), list);
    }
  }
  return byOp;
}

const R_TYPE = (f7: number, rs2: number, f3: number) => (rd: number, rs1: number, rs2r: number) =>
  ((f7 << 25) | ((rs2 < 0 ? rs2r : rs2) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x53) >>> 0;

interface FastCase {
  name: string;
  /** decodeFp's id, for qemu's operands. */
  id: number;
  /** The encoding with rounding mode / funct3 f3 (where funct3 is the rounding mode) and registers. */
  encode: (f3: number, rd: number, rs1: number, rs2: number, rs3: number) => number;
  /** Whether funct3 is a rounding mode (else fixed by the operation). */
  rounds: boolean;
  /** rs1 is an integer register; rd is an integer register. */
  readsX?: boolean;
  writesX?: boolean;
  /** Rounds to nearest only in line (the rest is the FPU's). */
  nearestOnly?: boolean;
  /** Never calls the FPU (when legal). */
  neverCalls?: boolean;
  /** Runs in line whatever the operands (NaNs too). */
  anyOperands?: boolean;
}

const arith = (name: string, id: number, f7: number): FastCase => ({
  name, id, rounds: true, nearestOnly: true, encode: (f3, rd, rs1, rs2) => R_TYPE(f7, -1, f3)(rd, rs1, rs2),
});
const fused = (name: string, id: number, opcode: number): FastCase => ({
  name, id, rounds: true, nearestOnly: true,
  encode: (f3, rd, rs1, rs2, rs3) => ((rs3 << 27) | (1 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode) >>> 0,
});
const fixed = (name: string, id: number, f7: number, f3: number, rs2: number, more: Partial<FastCase>): FastCase => ({
  name, id, rounds: false, encode: (_f3, rd, rs1, rs2r) => R_TYPE(f7, rs2, f3)(rd, rs1, rs2r), ...more,
});
const FAST_CASES: FastCase[] = [
  arith("fadd.d", 1, 0x01), arith("fsub.d", 3, 0x05), arith("fmul.d", 5, 0x09), arith("fdiv.d", 7, 0x0d),
  fused("fmadd.d", 51, 0x43), fused("fmsub.d", 53, 0x47), fused("fnmsub.d", 55, 0x4b), fused("fnmadd.d", 57, 0x4f),
  fixed("fsgnj.d", 11, 0x11, 0, -1, { neverCalls: true, anyOperands: true }),
  fixed("fsgnjn.d", 13, 0x11, 1, -1, { neverCalls: true, anyOperands: true }),
  fixed("fsgnjx.d", 15, 0x11, 2, -1, { neverCalls: true, anyOperands: true }),
  fixed("fmin.d", 17, 0x15, 0, -1, {}),
  fixed("fmax.d", 19, 0x15, 1, -1, {}),
  fixed("feq.d", 21, 0x51, 2, -1, { writesX: true }),
  fixed("flt.d", 23, 0x51, 1, -1, { writesX: true }),
  fixed("fle.d", 25, 0x51, 0, -1, { writesX: true }),
  fixed("fclass.d", 27, 0x71, 1, 0, { writesX: true, neverCalls: true, anyOperands: true }),
  fixed("fmv.x.d", 47, 0x71, 0, 0, { writesX: true, neverCalls: true, anyOperands: true }),
  fixed("fmv.d.x", 49, 0x79, 0, 0, { readsX: true, neverCalls: true, anyOperands: true }),
  ...(["fcvt.d.w", "fcvt.d.wu", "fcvt.d.l", "fcvt.d.lu"] as const).map((name, kind): FastCase => ({
    name, id: 37 + 2 * kind, rounds: true, readsX: true, neverCalls: kind < 2, anyOperands: kind < 2,
    encode: (f3, rd, rs1) => R_TYPE(0x69, kind, f3)(rd, rs1, 0),
  })),
];

describe("FP fast paths: the same as the JavaScript interpreter, in line where they can be", () => {
  let fpCalls = 0;
  let counted: RegionFn;
  const vectors = vectorOperands();

  beforeAll(() => {
    // The interpreter again, with its FPU helper (table index FP_INSN_INDEX) counting its calls.
    const real = fpInsnHelper() as unknown as (h: Hart, raw: number) => number;
    const hooks = { fpInsn: (h: Hart, raw: number) => (fpCalls++, real(h, raw)) };
    const helper = new WebAssembly.Instance(new WebAssembly.Module(reexportBytes([REGION_TYPES[4]], ["fpInsn"])), { h: hooks });
    const table = new WebAssembly.Table({ element: "anyfunc", initial: FP_INSN_INDEX + 1 });
    table.set(FP_INSN_INDEX, helper.exports.fpInsn as () => unknown);
    counted = new WebAssembly.Instance(interpreterModule(), { m: { mem: wasm.mem.memory }, t: { table } }).exports.r as RegionFn;
  });

  /** What one run did: whether it ran in line (counted, no call), and the flags it raised anew. */
  interface Run {
    inline: boolean;
    raised: number;
    trapped: boolean;
  }

  /** Runs insn in both interpreters from f (FP registers 5–8: rd, rs1, rs2, rs3), x (x5–x8) and fcsr; fails on any difference. */
  function compare(insn: number, f: bigint[], x: bigint[], fcsr: number, label: string): Run {
    const fRegs = Array.from({ length: 32 }, (_, i) => (i >= 5 && i <= 8 ? f[i - 5] : 0x5555000000000000n + BigInt(i)));
    const xRegs = [0n, ...Array.from({ length: 31 }, (_, i) => (i + 1 >= 5 && i + 1 <= 8 ? x[i - 4] : BigInt(i + 1) * 1000n))];
    const bytes = words(insn);
    const data = new Uint8Array(4096);
    setUp(wasm, bytes, data, xRegs, fRegs, fcsr);
    const calls = fpCalls;
    const pc = counted(wasm.h, CODE, 0, 1, wasm.h.regs) >>> 0;
    const [count, code] = [wasm.h.state[0], wasm.h.state[1]];
    wasm.h.pc = pc;
    setUp(js, bytes, data, xRegs, fRegs, fcsr);
    jitConfig.enabled = false;
    let exit: Exit;
    try {
      exit = run(js.h, js.mem, 1);
    } finally {
      jitConfig.enabled = true;
    }
    const a = state(wasm);
    const b = state(js);
    const same = a.pc === b.pc && a.fcsr === b.fcsr && a.x.every((v, i) => v === b.x[i]) && a.f.every((v, i) => v === b.f[i]);
    if (!same) expectSame(a, b, label);
    const trapped = count === 0;
    if (trapped !== (exit !== Exit.Budget) || (trapped && (code !== -exit || wasm.h.trapValue !== js.h.trapValue))) {
      expect({ count, code, trapValue: wasm.h.trapValue }, label).toEqual({ count: 1, code: -exit, trapValue: js.h.trapValue });
    }
    return { inline: !trapped && fpCalls === calls, raised: a.fcsr & 0x1f & ~fcsr, trapped };
  }

  for (const c of FAST_CASES) {
    it(c.name, () => {
      const next = rng(0x5eed + c.id);
      const tuples: bigint[][] = [...(vectors.get(c.id) ?? [])];
      if (c.readsX) {
        // Integers of every size.
        for (const v of INT_EDGES) tuples.push([v, 0n, 0n]);
        for (let k = 0; k < 400; k++) tuples.push([BigInt.asIntN(64, (BigInt(next()) << 32n) | BigInt(next())) >> BigInt(next() % 64), 0n, 0n]);
      } else {
        for (let k = 0; k < 400; k++) tuples.push([operand(next), operand(next), operand(next)]);
      }
      // Ties under round to nearest: 1 + 2^-53 (to even, down) and 1 + 3·2^-53 (to even, up).
      tuples.push([D(1), D(2 ** -53), D(1)], [ULP1, D(2 ** -53), D(1)], [D(2 ** -53), D(1), D(1)]);
      const tally = { inline: 0, inlineDyn: 0, inexactInline: 0, nanInline: 0, called: 0, directedCalled: 0, trapped: 0 };
      tuples.forEach((t, k) => {
        // Static RNE, dynamic with frm RNE, then another funct3 and frm (any, reserved ones too).
        const modes: [number, number][] = [[0, next() % 8], [7, 0], [next() % 8, next() % 8]];
        for (const [f3, frm] of modes) {
          if (!c.rounds && f3 !== 0) continue;
          const regs = k % 4 === 3 ? [5, 5, 5, 5] : [5, 6, 7, 8]; // now and then rd = every source
          const sources = k % 4 === 3 ? [t[0]] : t.slice(0, c.encode(0, 0, 0, 0, 0) % 128 === 0x53 ? 2 : 3);
          const insn = c.encode(f3, c.writesX && k % 7 === 6 ? 0 : regs[0], regs[1], regs[2], regs[3]);
          const x = c.readsX ? new Array<bigint>(4).fill(BigInt.asIntN(64, t[0])) : [0n, 0n, 0n, 0n];
          const fcsr = (frm << 5) | (next() & 0x1f);
          const label = `${c.name} ${t.map((v) => v.toString(16)).join(" ")} funct3 ${f3} frm ${frm}`;
          const r = compare(insn, c.readsX ? [0n, 0n, 0n, 0n] : [t[0], t[0], t[1], t[2]], x, fcsr, label);
          const rm = c.rounds && f3 === 7 ? frm : f3;
          if (r.trapped) tally.trapped++;
          else if (r.inline) {
            tally.inline++;
            if (f3 === 7) tally.inlineDyn++;
            if (r.raised & 1) tally.inexactInline++;
            if (!c.readsX && sources.some(isNaNBits)) tally.nanInline++;
            if (c.nearestOnly) expect(rm, `${label}: in line, not rounding to nearest`).toBe(0);
          } else {
            tally.called++;
            if (c.nearestOnly && rm !== 0 && rm < 5) tally.directedCalled++;
            if (c.neverCalls) expect.fail(`${label}: called the FPU`);
          }
        }
      });
      const runs = tally.inline + tally.called + tally.trapped;
      // Most runs in line; with rounding modes, NX raised in line (where an operation can be inexact).
      expect(tally.inline, JSON.stringify(tally)).toBeGreaterThan(runs / (c.neverCalls ? 2 : 4));
      if (c.rounds) expect(tally.inlineDyn, JSON.stringify(tally)).toBeGreaterThan(50);
      if (c.nearestOnly || c.id === 41 || c.id === 43) expect(tally.called, JSON.stringify(tally)).toBeGreaterThan(0);
      if (c.nearestOnly) {
        expect(tally.inexactInline, JSON.stringify(tally)).toBeGreaterThan(50);
        expect(tally.directedCalled, JSON.stringify(tally)).toBeGreaterThan(50);
      }
      // NaN operands (signalling ones too) in line only where the operation never looks at them.
      if (c.anyOperands && !c.readsX) expect(tally.nanInline, JSON.stringify(tally)).toBeGreaterThan(20);
      else expect(tally.nanInline, JSON.stringify(tally)).toBe(0);
      // Reserved rounding modes (funct3 5, 6; dynamic with frm 5–7) trap as in JavaScript.
      if (c.rounds) expect(tally.trapped, JSON.stringify(tally)).toBeGreaterThan(0);
    });
  }
  it("the encodings around them: other funct3, rs2 and fmt values run or trap as in JavaScript", () => {
    // Every funct3 and some rs2 values of the OP-FP funct7s with fast paths (and their single and
    // reserved formats), and the fused forms in every format: reserved ones must trap, the rest
    // must do what the FPU does (in line or not).
    const next = rng(0xf00d);
    let trapped = 0;
    let encodings = 0;
    const f7s = [0x01, 0x05, 0x09, 0x0d, 0x11, 0x15, 0x51, 0x69, 0x71, 0x79];
    const insns: number[] = [];
    for (const f7 of f7s) {
      for (const fmt of [0, 1, 2, 3]) {
        for (let f3 = 0; f3 < 8; f3++) {
          for (const rs2 of [0, 1, 2, 3, 4, 7, 17, 31]) insns.push(R_TYPE((f7 & ~3) | fmt, rs2, f3)(5, 6, 0));
        }
      }
    }
    for (const opcode of [0x43, 0x47, 0x4b, 0x4f]) {
      for (const fmt of [0, 1, 2, 3]) {
        for (let f3 = 0; f3 < 8; f3++) insns.push(((8 << 27) | (fmt << 25) | (7 << 20) | (6 << 15) | (f3 << 12) | (5 << 7) | opcode) >>> 0);
      }
    }
    for (const insn of insns) {
      for (const frm of [0, 1, 5, 7]) {
        const f = [operand(next), operand(next), operand(next), operand(next)];
        const x = [0n, BigInt.asIntN(64, f[1]), 0n, 0n];
        const r = compare(insn, f, x, (frm << 5) | (next() & 0x1f), `${insn.toString(16)} frm ${frm}`);
        encodings++;
        if (r.trapped) trapped++;
        // What the decoder finds reserved is: none of it runs.
        if (decodeFp(insn) < 0) expect(r.trapped, `${insn.toString(16)}: reserved, not trapped`).toBe(true);
      }
    }
    expect(trapped).toBeGreaterThan(encodings / 4);
  });
});
