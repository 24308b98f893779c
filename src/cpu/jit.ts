// The compiled tier: turns hot guest code into JavaScript functions ("regions") with
// `new Function`, which V8 then optimises like any other code (reference/emulators.md §4.6).
//
// Regions. When the interpreter (interp.ts) has started a block at some position of a page
// jitConfig.threshold times, compileRegion takes that block and, following branches, jumps and
// fall-through within the page, the blocks the interpreter has started often enough (heat), up to
// MAX_REGION instructions; only code that has run is taken, nothing is decoded ahead. The region
// is one function: a loop around a `switch` over its blocks, so loops inside it stay inside it. Any
// other way out returns a pc to the dispatch loop (enterRegions here, then the interpreter), which
// enters the region registered at that pc or interprets.
//
// Exactness. Registers live in the register file; a block keeps copies in locals only to avoid
// reloading them and writes every result through, so any exit sees exactly the interpreter's
// state. Each block checks before it starts that all of its instructions fit in the budget (else
// it leaves at its own pc) and adds its length to the count as it ends. Whatever the region does not
// do itself it leaves to the interpreter at that instruction, with the count up to it: a memory
// access that is not the plain in-page, permitted case (page-crossing, faulting, or a store to a
// page holding decoded code), a jalr out of the address space, ebreak, an illegal instruction,
// atomics. An ecall returns −Exit.Ecall (counted, pc at the ecall, as the interpreter does); an FP
// or CSR instruction that turns out illegal at run time sets the trap value and returns
// −Exit.Illegal. The interpreter's instret CSR count is reproduced exactly.
//
// Code changes. Regions never store to a page holding decoded code (PAGE_CODE keeps such stores
// off their fast path), so a region never runs stale code; a store by the interpreter or the
// kernel drops the page's decoded code and its regions together (code-cache.ts).
//
// Cold code. With the WebAssembly back end, code that is not hot runs in the WebAssembly
// interpreter (wasm/interpreter.ts; runWasmInterpreter here), which enters regions through the
// index and counts heat in the reserved memory; planRegion then reads the heat there and decodes
// the blocks it takes.
//
// The tier is off under single-step and block-step (run() enters no region then), and when
// RVTRACE_NO_JIT is set, for differential testing against the plain interpreter.
import { Exit, Hart } from "./hart.js";
import { Op } from "./ops.js";
import {
  codeCacheOf, CodeCache, CodePage, detachedPage, newRegionTable, NO_REGIONS, REGION_GO, REGION_HOT, REGION_INTERPRET, SLOTS_PER_PAGE, type RegionFn,
} from "./code-cache.js";
import { execFp, fpOpWritesX } from "./fpu.js";
import { blockExtent, MAX_BLOCK, planRegion, slotInsn, stopsForInterpreter, type RegionPlan } from "./region-plan.js";
import { compileWasmRegion } from "./wasm/region.js";
import { WasmRegionIndex } from "./wasm/dispatch.js";
import { heatAddress, HEAT_THRESHOLD } from "./wasm/interpreter.js";
import { divide64, mulHigh, csr } from "./alu.js";
import type { AddressSpace } from "../mem/address-space.js";

export { MAX_BLOCK } from "./region-plan.js";

const noJit = process.env.RVTRACE_NO_JIT;
const eager = process.env.RVTRACE_JIT_EAGER;

/**
 * Block starts before a region is compiled, per back end. V8's optimising compiler spends about
 * 5 ms on a JavaScript region (roughly 60 µs per guest instruction, measured on Debian's bash and
 * python3), and a compiled instruction saves some 20 ns over the interpreter, so a JavaScript region
 * pays for itself only after its code has run a few thousand times more: at 2000 bash and python3
 * spent 40–140% more CPU time with the tier on than off. A WebAssembly region costs a few hundred
 * microseconds whatever its size, so it pays for itself far sooner; since the WebAssembly
 * interpreter runs cold code several times faster than the JavaScript one, it pays later than at
 * first: 10,000 took python3's start-up from 0.62 to 0.49 s and the bash loop from 1.57 to 1.44 s,
 * and cost the compute guests 2–5% (figures in docs/performance.md). Uint16 heat counters bound
 * both at 65535.
 */
const DEFAULT_THRESHOLD = { wasm: 10000, js: 32000 };

/** RVTRACE_JIT_THRESHOLD=N (1..65535), for measuring and for the fuzzer's shipped-settings tier. */
function thresholdFromEnv(): number | undefined {
  const text = process.env.RVTRACE_JIT_THRESHOLD;
  const n = Number(text);
  return text && Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * Settings of the compiled tier, from the environment:
 * - RVTRACE_NO_JIT=1: off (the plain interpreter, for differential testing);
 * - RVTRACE_JIT_EAGER=1: compile at the first block start and decode ahead of execution, which puts
 *   every block of a program through the compiler (for testing the compiler);
 * - RVTRACE_JIT_THRESHOLD=N: compile after N block starts instead of DEFAULT_THRESHOLD;
 * - RVTRACE_JIT_BACKEND=js: regions as JavaScript instead of WebAssembly (wasm/region.ts);
 * - RVTRACE_NO_WARMUP=1: no start-up training of the interpreter (warmup.ts);
 * - RVTRACE_JIT_DEBUG=1 / 2: print each region's size / source on stderr.
 */
const backend: "js" | "wasm" = process.env.RVTRACE_JIT_BACKEND === "js" ? "js" : "wasm";

export const jitConfig = {
  /** Whether run() may compile and enter regions. */
  enabled: noJit === undefined || noJit === "" || noJit === "0",
  /** Block starts the interpreter counts at a position before it compiles a region there (1..65535). */
  threshold: eager === "1" ? 1 : thresholdFromEnv() ?? DEFAULT_THRESHOLD[backend],
  /** Whether the compiler decodes code that has not run yet (normally it takes only what ran). */
  decodeAhead: eager === "1",
  /** Regions compiled per page before the page gives up compiling. */
  maxRegionsPerPage: eager === "1" ? 1e9 : 128,
  /** What regions are compiled to: WebAssembly, or JavaScript through `new Function`. */
  backend,
  /**
   * Whether code that is not hot runs in the WebAssembly interpreter (wasm/interpreter.ts) once
   * the address space has regions (WebAssembly back end only; RVTRACE_WASM_INTERP=0 turns it off).
   */
  wasmInterpreter: backend === "wasm" && process.env.RVTRACE_WASM_INTERP !== "0",
  /** Whether the first run() trains the interpreter on a built-in program first (warmup.ts). */
  warmUp: process.env.RVTRACE_NO_WARMUP === undefined,
};

const LIMIT = 4294967296;
/** The most budget a region is given: any more would not fit WebAssembly's int32. */
const MAX_REGION_BUDGET = 0x7fff0000;
/** Calls a new region spends on short runs first (see compileRegion). */
const WARM_CALLS = 16;

/** The generated functions take these, in this order, from the factory. */
const FACTORY_PARAMS = ["MAP", "view", "perms", "execFp", "divide64", "mulHigh", "csr"];

let compiledRegions = 0;
let compiledInsns = 0;

/** Counts for tests and --stats-like diagnostics. */
export function jitCounters(): { regions: number; instructions: number } {
  return { regions: compiledRegions, instructions: compiledInsns };
}

/**
 * Compiles a region of page pg entered at slot `entry` and registers it at each of its block
 * starts. Returns false when nothing could be compiled there.
 */
export function compileRegion(mem: AddressSpace, pg: CodePage, entry: number): boolean {
  if (pg.compiled >= jitConfig.maxRegionsPerPage) return false;
  pg.compiled++;
  try {
    return compile(mem, pg, entry);
  } catch (e) {
    // A bug in the compiler must not take the guest down: the interpreter runs this code instead.
    if (process.env.RVTRACE_JIT_DEBUG) process.stderr.write(`rvtrace: region compile failed: ${String(e)}\n`);
    return false;
  }
}

function compile(mem: AddressSpace, pg: CodePage, entry: number): boolean {
  let index: WasmRegionIndex | null = null;
  if (jitConfig.backend === "wasm") {
    const cache = codeCacheOf(mem);
    index = (cache.regionIndex as WasmRegionIndex | null) ?? (cache.regionIndex = newRegionIndex(mem));
  }
  const base = pg.page * 4096;
  // Under the WebAssembly interpreter blocks count their heat in the memory too, and the code it
  // ran has not been decoded.
  const heatOf = index?.interpreter ? (s: number) => pg.heat[s] + mem.u16[heatAddress(base + s * 2) >>> 1] : null;
  const plan = planRegion(mem, pg, entry, jitConfig.decodeAhead, jitConfig.threshold, heatOf);
  if (plan === null) return false;
  const { leaders, total } = plan;
  const fn = index !== null ? compileWasmRegion(mem, pg, plan) : compileJs(mem, pg, plan);
  if (process.env.RVTRACE_JIT_DEBUG === "1") {
    process.stderr.write(`rvtrace: region ${base.toString(16)}+${(entry * 2).toString(16)}: ${leaders.length} blocks, ${total} insns\n`);
  }
  if (pg.fns === NO_REGIONS) pg.fns = newRegionTable();
  // Regions already there keep their entries (they may be optimised by now); this one takes the rest.
  const taken = leaders.filter((s) => pg.fns[s] === undefined);
  for (const s of taken) pg.fns[s] = fn;
  index?.add(pg.page, fn, taken.map((s) => base + s * 2));
  compiledRegions++;
  compiledInsns += total;
  return true;
}

/** The index of WebAssembly regions of an address space, with the WebAssembly interpreter if it is on. */
function newRegionIndex(mem: AddressSpace): WasmRegionIndex {
  return new WasmRegionIndex(mem, jitConfig.wasmInterpreter);
}

/**
 * Runs the WebAssembly interpreter (wasm/interpreter.ts) from pc, a block start, compiling a region
 * wherever it finds a block hot, until it leaves something to the JavaScript interpreter (with
 * REGION_INTERPRET, or a trap) or the budget is spent (REGION_GO). Returns the pc; the hart's state
 * words hold the count and the code, as after enterRegions.
 */
export function runWasmInterpreter(f: RegionFn, h: Hart, mem: AddressSpace, cache: CodeCache, pc: number, n: number, budget: number): number {
  const st = h.state;
  if (budget > MAX_REGION_BUDGET) budget = MAX_REGION_BUDGET;
  // A threshold of 0 (the warm-up's "never") is one no 16-bit count reaches (nor one plus it).
  mem.i32[HEAT_THRESHOLD >>> 2] = jitConfig.threshold || 0x7fffffff;
  for (;;) {
    pc = f(h, pc, n, budget, h.regs) >>> 0;
    if (st[1] !== REGION_HOT) return pc;
    n = st[0];
    // No region there (none could be compiled, or one is there that the index had no room for):
    // the block is the JavaScript interpreter's, which goes on to the next block start (calling
    // back at once would find the block hot again).
    const pg = cache.page(pc >>> 12);
    const slot = (pc & 4095) >>> 1;
    if (pg.fns[slot] !== undefined || !compileRegion(mem, pg, slot)) {
      st[1] = REGION_INTERPRET;
      return pc;
    }
  }
}

/** The JavaScript back end: a region as the source of a function, compiled by `new Function`. */
function compileJs(mem: AddressSpace, pg: CodePage, plan: RegionPlan): RegionFn {
  const { leaders, isLeader } = plan;
  const d = pg.d;
  const base = pg.page * 4096;
  const entry = leaders[0];

  // ---- generate ----
  const map = new Int16Array(SLOTS_PER_PAGE).fill(-1);
  leaders.forEach((s, k) => (map[s] = k));
  const g = new Gen(d, base, map, isLeader);
  for (let k = 0; k < leaders.length; k++) g.block(k, leaders[k], k + 1 < leaders.length ? leaders[k + 1] : -1);

  // Every way out goes through the one tail at the end, so V8 has type feedback for it once the
  // region has returned a few times (optimised code meeting an operation it has no feedback for is
  // thrown away; the exits themselves only assign locals and break). To be sure it has returned a
  // few times before it loops long enough to be optimised, its first calls run with a budget that
  // ends them after a block or two (the caller, which keeps the real budget, just calls it again).
  const src =
    `"use strict";\nlet warm = ${WARM_CALLS};\n` +
    `return function region_${base.toString(16)}_${entry.toString(16)}(h, pc, n, budget) {\n` +
    `if (warm !== 0) { warm--; budget = n + ${MAX_BLOCK}; }\n` +
    `const x = h.x, fi = h.fi, x64 = h.x64;\n` +
    `let b = MAP[(pc - ${base}) >>> 1], out = pc, k = 0, code = 0;\n` +
    `exit: for (;;) {\nswitch (b) {\n${g.out.join("\n")}\ndefault: break exit;\n}\n}\n` +
    `const st = h.state; st[0] = n + k; st[1] = code; return out;\n};`;
  if (process.env.RVTRACE_JIT_DEBUG === "2") process.stderr.write(src + "\n");
  const factory = new Function(...FACTORY_PARAMS, src) as (...args: unknown[]) => RegionFn;
  return factory(map, mem.view, mem.perms, execFp, divide64, mulHigh, csr);
}

/**
 * Runs region f from pc (through the index's dispatcher, for WebAssembly regions), then the region
 * registered wherever it leaves, for as long as there is one and more than MAX_BLOCK instructions of
 * budget are left. Returns the pc the last region
 * returned (as an unsigned number); the hart's `state` holds the count and what to do at that pc.
 *
 * This is the only place that calls regions. Its call site sees many different functions, so V8
 * never inlines one region into the interpreter (a deoptimisation of the interpreter every time a
 * new region turns up); `warmUp` below makes the site megamorphic from the start.
 */
export function enterRegions(f: RegionFn, h: Hart, cache: CodeCache, pc: number, n: number, budget: number): number {
  let pg: CodePage | undefined;
  let base = -LIMIT;
  const st = h.state;
  const regs = h.regs;
  const index = cache.regionIndex;
  // WebAssembly regions take the budget as an int32 (the interpreter goes on past this).
  if (budget > MAX_REGION_BUDGET) budget = MAX_REGION_BUDGET;
  // The region to call next, when known without a lookup.
  let next: RegionFn | undefined = f;
  if (index !== null) {
    next = undefined;
    // WebAssembly regions: the dispatcher (one function, so V8 soon calls it through a wrapper
    // made for it, where each region's own export would go through the generic one) runs them
    // for as long as the index knows the next pc.
    pc = index.dispatch(h, pc, n, budget, regs) >>> 0;
    if (st[1] !== REGION_GO) return pc;
    n = st[0];
    if (budget - n <= MAX_BLOCK) return pc;
  }
  for (;;) {
    // Here for JavaScript regions, and for a WebAssembly region the index does not hold (it was full).
    if (next === undefined) {
      if (!(pc >= base && pc < base + 4096)) {
        // A page with a CodePage is mapped executable (changing that drops the CodePage). Regions
        // write no code, so a page looked up here stays valid while regions run.
        pg = cache.peek(pc >>> 12);
        if (pg === undefined) return pc;
        base = pg.page * 4096;
      }
      next = pg!.fns[(pc - base) >>> 1];
      if (next === undefined) return pc;
    }
    pc = next(h, pc, n, budget, regs) >>> 0;
    next = undefined;
    if (st[1] !== REGION_GO) return pc;
    n = st[0];
    if (pc >= LIMIT || budget - n <= MAX_BLOCK) return pc;
    if (index !== null) {
      pc = index.dispatch(h, pc, n, budget, regs) >>> 0;
      if (st[1] !== REGION_GO) return pc;
      n = st[0];
      if (budget - n <= MAX_BLOCK) return pc;
    }
  }
}

/**
 * Runs enterRegions through all its paths before any real region exists, with stand-in regions and
 * caches: its call site then is megamorphic from the start (see above), and V8 has type feedback
 * for every operation in it (a pc that is not a small integer included) when it optimises it, so
 * that it is not thrown away and recompiled the first time one of them runs.
 */
function warmUp(): void {
  const h = new Hart();
  const far = 2 ** 31 + 4; // a pc V8 holds as a heap number
  const page = detachedPage(Math.floor(far / 4096));
  page.fns = newRegionTable();
  const go = (pc: number): RegionFn => (h) => {
    const st = h.state;
    st[1] = REGION_GO;
    st[0] = 0;
    return pc;
  };
  // At `far` a region that goes on to far + 2, in the same page, where one stops.
  page.fns[(far % 4096) >>> 1] = go(far + 2);
  page.fns[((far + 2) % 4096) >>> 1] = (h) => ((h.state[1] = REGION_INTERPRET), 0);
  const cacheWith = { peek: () => page, regionIndex: null } as unknown as CodeCache;
  const cacheWithout = { peek: () => undefined, regionIndex: null } as unknown as CodeCache;
  // Distinct functions (not closures of one literal, which V8 could still treat as one target).
  const traps: RegionFn[] = [
    (h) => ((h.state[1] = -Exit.Ecall), 0),
    (h) => ((h.state[1] = -Exit.Ebreak), 0),
  ];
  // Three rounds: V8 gives a function a feedback vector (and records feedback) only after its
  // first few calls.
  for (let round = 0; round < 3; round++) {
    for (const f of traps) enterRegions(f, h, cacheWithout, 0, 0, 1000);
    enterRegions(go(far), h, cacheWithout, 0, 0, 1000);
    enterRegions(go(far), h, cacheWith, 0, 0, 1000);
    enterRegions(go(8), h, cacheWithout, 0, 0, 1000);
    enterRegions(go(LIMIT), h, cacheWith, 0, 0, 1000);
    enterRegions(go(far), h, cacheWith, 0, 0, 10);
  }
}
warmUp();

/** Builds the source of one region, block by block. */
class Gen {
  readonly out: string[] = [];
  private tmpCount = 0;
  /** Locals holding register-file words in the current block, by slot index. */
  private cache: (string | undefined)[] = [];

  constructor(
    private readonly d: Int32Array,
    private readonly base: number,
    private readonly map: Int16Array,
    private readonly isLeader: Uint8Array,
  ) {}

  private emit(s: string): void {
    this.out.push(s);
  }

  private tmp(): string {
    return `t${this.tmpCount++}`;
  }

  /** An expression for register-file word i (x0's words are constant 0). */
  private reg(i: number): string {
    if (i < 2) return "0";
    let v = this.cache[i];
    if (v === undefined) {
      v = this.tmp();
      this.emit(`const ${v} = x[${i}];`);
      this.cache[i] = v;
    }
    return v;
  }

  private lo(r: number): string {
    return this.reg(r);
  }

  private hi(r: number): string {
    return this.reg(r + 1);
  }

  /** Writes register slot rd (64 = x0: dropped). */
  private set(rd: number, loExpr: string, hiExpr: string): void {
    if (rd === 64) return;
    const a = this.value(loExpr);
    const b = this.value(hiExpr);
    this.emit(`x[${rd}] = ${a}; x[${rd + 1}] = ${b};`);
    this.cache[rd] = a;
    this.cache[rd + 1] = b;
  }

  /** A 32-bit result sign-extended to 64 bits. */
  private setW(rd: number, e: string): void {
    if (rd === 64) return;
    const r = this.value(e);
    this.set(rd, r, `${r} >> 31`);
  }

  /** A local or literal holding an expression's value as an int32. */
  private value(e: string): string {
    if (/^-?\d+$/.test(e) || /^t\d+$/.test(e)) return e;
    const t = this.tmp();
    this.emit(`const ${t} = (${e}) | 0;`);
    return t;
  }

  /** Forgets the locals of register slot rd (a helper wrote it in the register file). */
  private forget(rd: number): void {
    this.cache[rd] = undefined;
    this.cache[rd + 1] = undefined;
  }

  /** Leaves the region: `code` at `pc`, with `counted` instructions of this block done. */
  private leave(pc: number, counted: number, code: number): string {
    return `out = ${pc};${counted ? ` k = ${counted};` : ""}${code ? ` code = ${code};` : ""} break exit;`;
  }

  /** Code that goes on at `target` (the block's count already added); "" to fall into the next case. */
  private goto(target: number, fallsInto: number): string {
    const off = target - this.base;
    if (off >= 0 && off < 4096 && (off & 1) === 0 && this.isLeader[off >> 1]) {
      if (fallsInto === off >> 1) return "";
      return `b = ${this.map[off >> 1]}; continue;`;
    }
    return this.leave(target, 0, REGION_GO);
  }

  /** Emits block number k, starting at slot s; `nextLeader` is the following block's slot (or −1). */
  block(k: number, s: number, nextLeader: number): void {
    const d = this.d;
    this.cache = [];
    const { slots, end, next: t } = blockExtent(d, this.base, this.isLeader, s);
    const L = slots.length;
    this.emit(`case ${k}: {`);
    this.emit(`if (n > budget - ${L}) { ${this.leave(this.base + s * 2, 0, REGION_GO)} }`);
    for (let j = 0; j < L; j++) this.insn(slots[j], j, L, nextLeader);
    const nextPc = this.base + t * 2;
    if (end === "fall") {
      this.emit(`n += ${L};`);
      this.emit(this.goto(nextPc, nextLeader));
    } else if (end === "stop") {
      // The page ends, the code there has not run yet, or the interpreter must run it.
      this.emit(this.leave(nextPc, L, stopsForInterpreter(d, t) ? REGION_INTERPRET : REGION_GO));
    }
    this.emit(`}`);
  }

  /** Emits one instruction: slot s, index j in a block of L instructions. */
  private insn(s: number, j: number, L: number, nextLeader: number): void {
    const { op, rd, rs1, rs2, imm, raw, pc, next } = slotInsn(this.d, this.base, s);
    /** Hands this instruction to the interpreter (rare cases: slow memory access, faults). */
    const interpret = this.leave(pc, j, REGION_INTERPRET);

    switch (op) {
      case Op.Li:
      case Op.Lui:
        this.set(rd, String(imm), String(imm >> 31));
        return;
      case Op.Mv:
        this.set(rd, this.lo(rs1), this.hi(rs1));
        return;
      case Op.Addi: {
        const l = this.lo(rs1);
        const h = this.hi(rs1);
        const r = this.value(`${l} + ${imm}`);
        this.set(rd, r, `${h} + ${imm >> 31} + ((${r} >>> 0) < (${l} >>> 0) ? 1 : 0)`);
        return;
      }
      case Op.Addiw:
        this.setW(rd, `${this.lo(rs1)} + ${imm}`);
        return;
      case Op.Add: {
        const l = this.lo(rs1);
        const r = this.value(`${l} + ${this.lo(rs2)}`);
        this.set(rd, r, `${this.hi(rs1)} + ${this.hi(rs2)} + ((${r} >>> 0) < (${l} >>> 0) ? 1 : 0)`);
        return;
      }
      case Op.Sub: {
        const l = this.lo(rs1);
        const m = this.lo(rs2);
        this.set(rd, `${l} - ${m}`, `${this.hi(rs1)} - ${this.hi(rs2)} - ((${l} >>> 0) < (${m} >>> 0) ? 1 : 0)`);
        return;
      }
      case Op.Addw:
        this.setW(rd, `${this.lo(rs1)} + ${this.lo(rs2)}`);
        return;
      case Op.Subw:
        this.setW(rd, `${this.lo(rs1)} - ${this.lo(rs2)}`);
        return;
      case Op.Auipc: {
        const v = pc + imm;
        this.set(rd, String(v | 0), String(Math.floor(v / LIMIT) | 0));
        return;
      }
      case Op.Xori:
      case Op.Ori:
      case Op.Andi: {
        const o = op === Op.Xori ? "^" : op === Op.Ori ? "|" : "&";
        this.set(rd, `${this.lo(rs1)} ${o} ${imm}`, `${this.hi(rs1)} ${o} ${imm >> 31}`);
        return;
      }
      case Op.Xor:
      case Op.Or:
      case Op.And: {
        const o = op === Op.Xor ? "^" : op === Op.Or ? "|" : "&";
        this.set(rd, `${this.lo(rs1)} ${o} ${this.lo(rs2)}`, `${this.hi(rs1)} ${o} ${this.hi(rs2)}`);
        return;
      }
      case Op.Slti:
      case Op.Sltiu:
      case Op.Slt:
      case Op.Sltu: {
        const signed = op === Op.Slti || op === Op.Slt;
        const withImm = op === Op.Slti || op === Op.Sltiu;
        const la = this.lo(rs1);
        const ha = this.hi(rs1);
        const lb = withImm ? String(imm) : this.lo(rs2);
        const hb = withImm ? String(imm >> 31) : this.hi(rs2);
        this.set(rd, `${less(signed, la, ha, lb, hb)} ? 1 : 0`, "0");
        return;
      }
      case Op.Slli:
      case Op.Srli:
      case Op.Srai: {
        const [l, h] = shiftConst(op, this.lo(rs1), this.hi(rs1), imm);
        this.set(rd, l, h);
        return;
      }
      case Op.Sll:
      case Op.Srl:
      case Op.Sra: {
        const l = this.lo(rs1);
        const h = this.hi(rs1);
        const sh = this.value(`${this.lo(rs2)} & 63`);
        const rl = this.tmp();
        const rh = this.tmp();
        this.emit(`let ${rl}, ${rh};`);
        this.emit(`if (${sh} === 0) { ${rl} = ${l}; ${rh} = ${h}; }`);
        if (op === Op.Sll) {
          this.emit(`else if (${sh} < 32) { ${rh} = (${h} << ${sh}) | (${l} >>> (32 - ${sh})); ${rl} = ${l} << ${sh}; }`);
          this.emit(`else { ${rh} = ${l} << (${sh} - 32); ${rl} = 0; }`);
        } else if (op === Op.Srl) {
          this.emit(`else if (${sh} < 32) { ${rl} = (${l} >>> ${sh}) | (${h} << (32 - ${sh})); ${rh} = (${h} >>> ${sh}) | 0; }`);
          this.emit(`else { ${rl} = (${h} >>> (${sh} - 32)) | 0; ${rh} = 0; }`);
        } else {
          this.emit(`else if (${sh} < 32) { ${rl} = (${l} >>> ${sh}) | (${h} << (32 - ${sh})); ${rh} = ${h} >> ${sh}; }`);
          this.emit(`else { ${rl} = ${h} >> (${sh} - 32); ${rh} = ${h} >> 31; }`);
        }
        this.set(rd, rl, rh);
        return;
      }
      case Op.Slliw:
        this.setW(rd, `${this.lo(rs1)} << ${imm}`);
        return;
      case Op.Srliw:
        this.setW(rd, `${this.lo(rs1)} >>> ${imm}`);
        return;
      case Op.Sraiw:
        this.setW(rd, `${this.lo(rs1)} >> ${imm}`);
        return;
      case Op.Sllw:
        this.setW(rd, `${this.lo(rs1)} << (${this.lo(rs2)} & 31)`);
        return;
      case Op.Srlw:
        this.setW(rd, `${this.lo(rs1)} >>> (${this.lo(rs2)} & 31)`);
        return;
      case Op.Sraw:
        this.setW(rd, `${this.lo(rs1)} >> (${this.lo(rs2)} & 31)`);
        return;

      // ---- M ----
      case Op.Mul: {
        const al = this.lo(rs1);
        const ah = this.hi(rs1);
        const bl = this.lo(rs2);
        const bh = this.hi(rs2);
        if (rd === 64) return;
        // The low 64 bits of the product from 16-bit limbs, as the interpreter's mul64.
        const [a0, a1, b0, b1, p01, p10, mid, carry] = [0, 0, 0, 0, 0, 0, 0, 0].map(() => this.tmp());
        this.emit(
          `const ${a0} = ${al} & 0xffff, ${a1} = ${al} >>> 16, ${b0} = ${bl} & 0xffff, ${b1} = ${bl} >>> 16;` +
            ` const ${p01} = ${a0} * ${b1}, ${p10} = ${a1} * ${b0};` +
            ` const ${mid} = ((${a0} * ${b0}) >>> 16) + (${p01} & 0xffff) + (${p10} & 0xffff);` +
            ` const ${carry} = ${a1} * ${b1} + (${p01} >>> 16) + (${p10} >>> 16) + (${mid} >>> 16);`,
        );
        this.set(rd, `Math.imul(${al}, ${bl})`, `${carry} + Math.imul(${al}, ${bh}) + Math.imul(${ah}, ${bl})`);
        return;
      }
      case Op.Mulw:
        this.setW(rd, `Math.imul(${this.lo(rs1)}, ${this.lo(rs2)})`);
        return;
      case Op.Mulh:
      case Op.Mulhu:
      case Op.Mulhsu:
        this.emit(`mulHigh(x64, ${op}, ${rd >> 1}, ${rs1 >> 1}, ${rs2 >> 1});`);
        this.forget(rd);
        return;
      case Op.Div:
      case Op.Divu:
      case Op.Rem:
      case Op.Remu:
        this.emit(`divide64(x64, ${op}, ${rd >> 1}, ${rs1 >> 1}, ${rs2 >> 1});`);
        this.forget(rd);
        return;
      case Op.Divw: {
        const p = this.lo(rs1);
        const q = this.lo(rs2);
        this.setW(rd, `${q} === 0 ? -1 : (${p} / ${q}) | 0`);
        return;
      }
      case Op.Divuw: {
        const p = this.lo(rs1);
        const q = this.lo(rs2);
        this.setW(rd, `${q} === 0 ? -1 : ((${p} >>> 0) / (${q} >>> 0)) | 0`);
        return;
      }
      case Op.Remw: {
        const p = this.lo(rs1);
        const q = this.lo(rs2);
        this.setW(rd, `${q} === 0 ? ${p} : ${q} === -1 ? 0 : (${p} % ${q}) | 0`);
        return;
      }
      case Op.Remuw: {
        const p = this.lo(rs1);
        const q = this.lo(rs2);
        this.setW(rd, `${q} === 0 ? ${p} : ((${p} >>> 0) % (${q} >>> 0)) | 0`);
        return;
      }

      // ---- memory: the fast case inline, anything else to the interpreter ----
      case Op.Lb:
      case Op.Lbu:
      case Op.Lh:
      case Op.Lhu:
      case Op.Lw:
      case Op.Lwu:
      case Op.Ld:
      case Op.Flw:
      case Op.Fld: {
        const size = op === Op.Lb || op === Op.Lbu ? 1 : op === Op.Lh || op === Op.Lhu ? 2 : op === Op.Ld || op === Op.Fld ? 8 : 4;
        const ea = this.address(rs1, imm, size, "(perms[EA >>> 12] & 1) === 0", interpret);
        switch (op) {
          case Op.Lb:
            this.setW(rd, `view.getInt8(${ea})`);
            return;
          case Op.Lbu:
            this.set(rd, `view.getUint8(${ea})`, "0");
            return;
          case Op.Lh:
            this.setW(rd, `view.getInt16(${ea}, true)`);
            return;
          case Op.Lhu:
            this.set(rd, `view.getUint16(${ea}, true)`, "0");
            return;
          case Op.Lw:
            this.setW(rd, `view.getInt32(${ea}, true)`);
            return;
          case Op.Lwu:
            this.set(rd, `view.getInt32(${ea}, true)`, "0");
            return;
          case Op.Ld:
            if (rd === 64) return;
            this.set(rd, `view.getInt32(${ea}, true)`, `view.getInt32(${ea} + 4, true)`);
            return;
          case Op.Flw:
            this.emit(`fi[${rd}] = view.getInt32(${ea}, true); fi[${rd + 1}] = -1;`);
            return;
          default:
            this.emit(`fi[${rd}] = view.getInt32(${ea}, true); fi[${rd + 1}] = view.getInt32(${ea} + 4, true);`);
            return;
        }
      }
      case Op.Sb:
      case Op.Sh:
      case Op.Sw:
      case Op.Sd:
      case Op.Fsw:
      case Op.Fsd: {
        const size = op === Op.Sb ? 1 : op === Op.Sh ? 2 : op === Op.Sd || op === Op.Fsd ? 8 : 4;
        const fp = op === Op.Fsw || op === Op.Fsd;
        // PAGE_CODE keeps stores to pages with decoded code (this region's too) off the fast path.
        const ea = this.address(rs1, imm, size, "(perms[EA >>> 12] & 10) !== 2", interpret);
        const vl = fp ? `fi[${rs2}]` : this.lo(rs2);
        const vh = fp ? `fi[${rs2 + 1}]` : this.hi(rs2);
        if (size === 1) this.emit(`view.setInt8(${ea}, ${vl});`);
        else if (size === 2) this.emit(`view.setInt16(${ea}, ${vl}, true);`);
        else if (size === 4) this.emit(`view.setInt32(${ea}, ${vl}, true);`);
        else this.emit(`view.setInt32(${ea}, ${vl}, true); view.setInt32(${ea} + 4, ${vh}, true);`);
        return;
      }

      // ---- F/D arithmetic ----
      case Op.Fp:
        this.emit(`if (!execFp(h, ${imm}, ${raw})) { h.trapValue = ${raw}; ${this.leave(pc, j, -Exit.Illegal)} }`);
        if (fpOpWritesX(imm)) this.forget(((raw >>> 7) & 31) * 2);
        return;

      // ---- system ----
      case Op.Fence:
      case Op.FenceI:
        return;
      case Op.Csr:
        this.emit(`if (!csr(h, ${rd}, ${rs1}, ${imm}, n + ${j + 1})) { h.trapValue = ${raw}; ${this.leave(pc, j, -Exit.Illegal)} }`);
        this.forget(rd);
        return;

      // ---- block ends ----
      case Op.Ecall:
        // Counted, as the interpreter counts it; h.pc stays at the ecall.
        this.emit(this.leave(pc, j + 1, -Exit.Ecall));
        return;
      case Op.Jal:
        if (rd !== 64) this.emit(`x[${rd}] = ${next | 0}; x[${rd + 1}] = 0;`);
        this.emit(`n += ${L};`);
        this.emit(this.goto(pc + imm, nextLeader));
        return;
      case Op.Jalr: {
        const tg = this.tmp();
        this.emit(`const ${tg} = ${this.hi(rs1)} * ${LIMIT} + (${this.lo(rs1)} >>> 0) + ${imm};`);
        // A target outside the address space: the interpreter reports the fetch fault.
        this.emit(`if (${tg} < 0 || ${tg} >= ${LIMIT}) { ${interpret} }`);
        if (rd !== 64) this.emit(`x[${rd}] = ${next | 0}; x[${rd + 1}] = 0;`);
        const o = this.tmp();
        this.emit(`const ${o} = (${tg} - (${tg} % 2)) >>> 0; n += ${L};`);
        this.emit(
          `if (${o} >= ${this.base} && ${o} < ${this.base + 4096}) { const nb = MAP[(${o} - ${this.base}) >>> 1]; if (nb >= 0) { b = nb; continue; } }`,
        );
        this.emit(`out = ${o}; break exit;`);
        return;
      }
      case Op.Beq:
      case Op.Bne:
      case Op.Blt:
      case Op.Bge:
      case Op.Bltu:
      case Op.Bgeu: {
        const cond = branchCondition(op, this.lo(rs1), this.hi(rs1), this.lo(rs2), this.hi(rs2), rs1, rs2);
        this.emit(`n += ${L};`);
        this.emit(`if (${cond}) { ${this.goto(pc + imm, -1)} }`);
        this.emit(this.goto(next, nextLeader));
        return;
      }
      default:
        // Ebreak, Illegal: the interpreter reports them.
        this.emit(interpret);
        return;
    }
  }

  /**
   * Emits the effective address of an access of `size` bytes at rs1 + imm, and the test sending
   * it to the slow path (`slow`) unless it is below 2^32, within one page, and the page passes
   * `permTest`. Returns the local holding the address.
   */
  private address(rs1: number, imm: number, size: number, permTest: string, slow: string): string {
    const l = this.lo(rs1);
    const h = this.hi(rs1);
    const ea = this.tmp();
    this.emit(`const ${ea} = (${l} >>> 0) + ${imm};`);
    const c: string[] = [];
    if (h !== "0") c.push(`${h} !== 0`);
    if (imm < 0) c.push(`${ea} < 0`);
    if (imm > 0) c.push(`${ea} >= ${LIMIT}`);
    if (size > 1) c.push(`(${ea} & 4095) > ${4096 - size}`);
    c.push(permTest.replace("EA", ea));
    this.emit(`if (${c.join(" || ")}) { ${slow} }`);
    return ea;
  }
}

/** (a < b) for 64-bit values as int32 pairs, signed or unsigned. */
function less(signed: boolean, la: string, ha: string, lb: string, hb: string): string {
  const h = signed ? `${ha} < ${hb}` : `(${ha} >>> 0) < (${hb} >>> 0)`;
  return `(${h} || (${ha} === ${hb} && (${la} >>> 0) < (${lb} >>> 0)))`;
}

function branchCondition(op: Op, la: string, ha: string, lb: string, hb: string, rs1: number, rs2: number): string {
  const zero2 = rs2 === 0;
  switch (op) {
    case Op.Beq:
      return zero2 ? `(${la} | ${ha}) === 0` : `${la} === ${lb} && ${ha} === ${hb}`;
    case Op.Bne:
      return zero2 ? `(${la} | ${ha}) !== 0` : `${la} !== ${lb} || ${ha} !== ${hb}`;
    case Op.Blt:
      return zero2 ? `${ha} < 0` : less(true, la, ha, lb, hb);
    case Op.Bge:
      return zero2 ? `${ha} >= 0` : `!${less(true, la, ha, lb, hb)}`;
    case Op.Bltu:
      return rs1 === 0 ? `(${lb} | ${hb}) !== 0` : less(false, la, ha, lb, hb);
    default:
      return zero2 ? "true" : `!${less(false, la, ha, lb, hb)}`;
  }
}

/** slli/srli/srai by a constant: [lo, hi] expressions. */
function shiftConst(op: Op, l: string, h: string, sh: number): [string, string] {
  if (sh === 0) return [l, h];
  if (op === Op.Slli) {
    if (sh < 32) return [`${l} << ${sh}`, `(${h} << ${sh}) | (${l} >>> ${32 - sh})`];
    return ["0", `${l} << ${sh - 32}`];
  }
  if (op === Op.Srli) {
    if (sh < 32) return [`(${l} >>> ${sh}) | (${h} << ${32 - sh})`, `${h} >>> ${sh}`];
    return [`${h} >>> ${sh - 32}`, "0"];
  }
  if (sh < 32) return [`(${l} >>> ${sh}) | (${h} << ${32 - sh})`, `${h} >> ${sh}`];
  return [`${h} >> ${sh - 32}`, `${h} >> 31`];
}
