// fadd.d, fsub.d, fmul.d and the fused multiply-adds fmadd.d, fmsub.d, fnmsub.d, fnmadd.d in compiled
// WebAssembly regions (src/cpu/wasm/region.ts fpFast, fp-inline.ts fmaFast), against qemu-riscv64's answers (the FPU's vector files, the same ones test/cpu/fpu.test.ts and
// fpu-directed.test.ts give to execFp directly).
//
// With the rounding mode RNE (static, or dynamic while frm is RNE) a region computes these in
// line, as the FPU's fast paths do (fpu/arith.ts addCoreD, mulCoreD; the fused ones likewise), and raises NX in fcsr in the
// register slot; anything those fast paths would decline, and every other rounding mode, must go to
// the FPU (execFp) instead. So each vector runs, in a compiled loop, with every rounding mode it has
// answers for, both as a static rm and as rm = DYN with frm holding the mode; the static ones run
// with frm set to anything (reserved values too), which they must ignore. Before each instruction
// fcsr is set to frm plus some fflags already raised: afterwards it must hold that frm and those
// flags, with the instruction's flags ORed in. Registers: plain, high numbers (f0 as rd), rd = rs1,
// rd = rs2 and (for the fused ops, whose third source c is rs3) rd = rs3, so that the fast path's
// loads, store and their order are all exercised.
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Exit, Hart } from "../../src/cpu/hart.js";
import { jitConfig, run } from "../../src/cpu/interp.js";
import { jitCounters } from "../../src/cpu/jit.js";
import { decodeFp } from "../../src/cpu/fpu.js";
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";
import { addi, bne, csrr, csrrw, ecall, fpArithD, fpFusedD, load, store, words } from "./rv-encode.js";

const CODE = 0x10000;
const IN = 0x100000; // one record per vector: a, b, c, fcsr before (8 bytes each)
const OUT = 0x200000; // one record per vector: the destination register, fcsr after
const AREA = 0x10000;
const IN_RECORD = 32;
const OUT_RECORD = 16;
const CSR_FCSR = 0x003;
const DYN = 7;
/** What the destination holds before the instruction (a signalling NaN nobody computes). */
const SENTINEL = 0x7ff4dead0000beefn;

interface Op {
  /** decodeFp's id (fpu.ts FpOp). */
  id: number;
  name: string;
  /** Whether it reads rs3 (R4 format). */
  fused: boolean;
  encode(rd: number, rs1: number, rs2: number, rs3: number, rm: number): number;
}
const OPS: Op[] = [
  ...(["fadd.d", "fsub.d", "fmul.d"] as const).map((name, k) => ({
    id: 1 + 2 * k,
    name,
    fused: false,
    encode: (rd: number, rs1: number, rs2: number, _rs3: number, rm: number) => fpArithD(name, rd, rs1, rs2, rm),
  })),
  ...(["fmadd.d", "fmsub.d", "fnmsub.d", "fnmadd.d"] as const).map((name, k) => ({
    id: 51 + 2 * k,
    name,
    fused: true,
    encode: (rd: number, rs1: number, rs2: number, rs3: number, rm: number) => fpFusedD(name, rd, rs1, rs2, rs3, rm),
  })),
];

// ---- the vectors ----

interface Vector {
  a: bigint;
  b: bigint;
  c: bigint;
  /** qemu's destination register and fflags, hex, as the files have them. */
  want: string;
  /** Where it comes from, for failure messages. */
  from: string;
}

/** vectors.get(op)[rm]: every vector of op with an answer for rounding mode rm (0..4). */
const vectors = new Map<number, Vector[][]>(OPS.map((op) => [op.id, [[], [], [], [], []]]));
/** Directed vectors whose instruction qemu rejected (a reserved static rm, or DYN with frm 5..7). */
const illegal: { op: Op; rm: number; frm: number; a: bigint; b: bigint; c: bigint; from: string }[] = [];

function readVectors(name: string): string[] {
  return (JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), "utf8")) as { vectors: string[] }).vectors;
}

// "op a b c r0/f0 r1/f1 r2/f2 r3/f3 r4/f4": an answer per rounding mode RNE, RTZ, RDN, RUP, RMM.
for (const name of ["fpu-vectors.json", "fpu-vectors-edge.json", "fpu-vectors-targeted.json"]) {
  readVectors(name).forEach((line, k) => {
    const [opS, aS, bS, cS, ...results] = line.split(" ");
    const byRm = vectors.get(Number(opS));
    if (byRm === undefined) return;
    const [a, b, c] = [aS, bS, cS].map((v) => BigInt("0x" + v));
    results.forEach((want, rm) => byRm[rm].push({ a, b, c, want, from: `${name}#${k}` }));
  });
}
// "WORD a b c frm r/flags" (sources f1, f2, f4; destination f3), or "ill": the word's own rm, or frm for DYN.
readVectors("fpu-vectors-directed.json").forEach((line, k) => {
  const [w, aS, bS, cS, frmS, want] = line.split(" ");
  const word = parseInt(w, 16) >>> 0;
  const field = (word >>> 12) & 7;
  const frm = parseInt(frmS, 16);
  const a = BigInt("0x" + aS);
  const b = BigInt("0x" + bS);
  const c = BigInt("0x" + cS);
  const from = `fpu-vectors-directed.json#${k}`;
  // Ours if it is one of the ops' words with these registers (whatever its rm field).
  const ours = OPS.find((op) => op.encode(3, 1, 2, 4, field) === word);
  if (ours === undefined) return;
  if (want === "ill") illegal.push({ op: ours, rm: field, frm, a, b, c, from });
  else vectors.get(ours.id)![field === DYN ? frm : field].push({ a, b, c, want, from });
});

// ---- running compiled code ----

let mem: AddressSpace;
beforeAll(() => {
  mem = new AddressSpace();
});
afterAll(() => mem.release());

const harts: Hart[] = [];
const saved = { ...jitConfig };
afterEach(() => {
  Object.assign(jitConfig, saved);
  for (const h of harts.splice(0)) h.leaveHome();
});

interface Layout {
  name: string;
  rd: number;
  rs1: number;
  rs2: number;
  /** Read by the fused ops only. */
  rs3: number;
  /** Only for the fused ops (rd = rs3). */
  fusedOnly?: boolean;
}
const LAYOUTS: Layout[] = [
  { name: "f3 = f1 op f2 (f4)", rd: 3, rs1: 1, rs2: 2, rs3: 4 },
  { name: "f0 = f31 op f16 (f9)", rd: 0, rs1: 31, rs2: 16, rs3: 9 },
  { name: "rd = rs1", rd: 5, rs1: 5, rs2: 6, rs3: 10 },
  { name: "rd = rs2", rd: 7, rs1: 8, rs2: 7, rs3: 11 },
  { name: "rd = rs3", rd: 12, rs1: 13, rs2: 14, rs3: 12, fusedOnly: true },
];
const layoutsOf = (op: Op) => LAYOUTS.filter((L) => op.fused || !L.fusedOnly);

/** Where the op's word sits in loopProgram's code. */
const OP_INDEX = 5;

/**
 * The loop x31 times: rs1, rs2, rs3 and fcsr from the record at x20; the op; rd and fcsr to the record
 * at x21. Then exit (a7 = 93).
 */
function loopProgram(op: Op, L: Layout, rm: number): number[] {
  const body = [
    load("fld", L.rs1, 20, 0),
    load("fld", L.rs2, 20, 8),
    load("fld", L.rs3, 20, 16),
    load("ld", 5, 20, 24),
    csrrw(0, CSR_FCSR, 5),
    op.encode(L.rd, L.rs1, L.rs2, L.rs3, rm),
    csrr(6, CSR_FCSR),
    store("fsd", L.rd, 21, 0),
    store("sd", 6, 21, 8),
    addi(20, 20, IN_RECORD),
    addi(21, 21, OUT_RECORD),
    addi(31, 31, -1),
  ];
  return [...body, bne(31, 0, -4 * body.length), addi(17, 0, 93), ecall()];
}

/**
 * Loads `code` and the records, and runs it on a fresh hart with the compiled tier on, compiling
 * every block before it first runs, until an ecall with a7 = 93 or a trap. Returns the hart, how it
 * stopped and how many regions were compiled meanwhile.
 */
function runCompiled(code: number[], records: bigint[], x: Record<number, bigint>): { h: Hart; exit: Exit; compiled: number } {
  jitConfig.enabled = true;
  jitConfig.backend = "wasm";
  jitConfig.threshold = 1;
  jitConfig.decodeAhead = true;
  jitConfig.maxRegionsPerPage = 1e9;
  mem.unmap(0, 2 ** 32);
  mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC, "code");
  mem.map(IN, AREA, PROT_READ | PROT_WRITE, "in");
  mem.map(OUT, AREA, PROT_READ | PROT_WRITE, "out");
  mem.poke(CODE, words(...code));
  mem.poke(IN, new Uint8Array(BigUint64Array.from(records).buffer));
  const h = new Hart();
  harts.push(h);
  h.pc = CODE;
  for (const [n, v] of Object.entries(x)) h.setX(Number(n), v);
  for (let n = 0; n < 32; n++) h.f64bits[n] = SENTINEL;
  const before = jitCounters().regions;
  let exit: Exit;
  for (;;) {
    exit = run(h, mem, 1_000_000);
    if (exit !== Exit.Ecall || h.getX(17) === 93n) break;
    h.pc += 4;
  }
  expect(h.home).toBe(mem);
  return { h, exit, compiled: jitCounters().regions - before };
}

/** fflags already raised before vector k: none every other time (so the op's own are seen alone). */
const PRE_FLAGS = [0, 0x1e, 0, 0x01, 0, 0x1f, 0, 0x10, 0, 0x0a];

const hex = (v: bigint | number) => v.toString(16);

/**
 * Runs every vector of op for rounding mode rm through the op compiled with static rm (dynamic:
 * false) or with DYN and frm = rm, in each register layout; returns the mismatches.
 */
function sweep(op: Op, rm: number, dynamic: boolean): { failures: string[]; checked: number } {
  const list = vectors.get(op.id)![rm];
  expect(list.length * IN_RECORD).toBeLessThanOrEqual(AREA);
  const failures: string[] = [];
  let checked = 0;
  for (const L of layoutsOf(op)) {
    const fcsrIn = list.map((_, k) => ((dynamic ? rm : k % 8) << 5) | PRE_FLAGS[k % PRE_FLAGS.length]);
    const records = list.flatMap((v, k) => [v.a, v.b, v.c, BigInt(fcsrIn[k])]);
    const code = loopProgram(op, L, dynamic ? DYN : rm);
    expect(decodeFp(code[OP_INDEX] | 0)).toBe(op.id);
    const { exit, compiled } = runCompiled(code, records, {
      20: BigInt(IN),
      21: BigInt(OUT),
      31: BigInt(list.length),
    });
    const what = `${op.name} rm=${dynamic ? `dyn(frm=${rm})` : rm} ${L.name}`;
    expect(exit, what).toBe(Exit.Ecall);
    expect(compiled, what).toBeGreaterThan(0);
    const out = new BigUint64Array(mem.read(OUT, list.length * OUT_RECORD).slice().buffer);
    list.forEach((v, k) => {
      const [wantR, wantFlags] = v.want.split("/");
      const want = `${wantR}/${hex(fcsrIn[k] | parseInt(wantFlags, 16))}`;
      const got = `${hex(out[2 * k])}/${hex(out[2 * k + 1])}`;
      checked++;
      const c = op.fused ? ` c=${hex(v.c)}` : "";
      if (got !== want) failures.push(`${what} ${v.from} a=${hex(v.a)} b=${hex(v.b)}${c} fcsr=${hex(fcsrIn[k])}: want ${want}, got ${got}`);
    });
  }
  return { failures, checked };
}

describe("fadd.d, fsub.d, fmul.d and the fused multiply-adds in WebAssembly regions against qemu's vectors", () => {
  for (const op of OPS) {
    for (const dynamic of [false, true]) {
      it(`${op.name}, ${dynamic ? "rm = DYN with frm set to each mode" : "static rm, each mode"}`, () => {
        const failures: string[] = [];
        let checked = 0;
        for (let rm = 0; rm < 5; rm++) {
          const r = sweep(op, rm, dynamic);
          failures.push(...r.failures);
          checked += r.checked;
        }
        expect(failures.slice(0, 20)).toEqual([]);
        // Every vector ran in every layout, and each vector file (all have every one of these ops)
        // contributed: fpu.test.ts and fpu-directed.test.ts count them too.
        const all = vectors.get(op.id)!.flat();
        expect(checked).toBe(layoutsOf(op).length * all.length);
        const files = new Set(all.map((v) => v.from.split("#")[0]));
        for (const f of ["fpu-vectors.json", "fpu-vectors-edge.json", "fpu-vectors-directed.json"]) expect(files).toContain(f);
        expect(all.length).toBeGreaterThan(5 * 400);
      });
    }
  }

  it("traps as illegal, leaving rd and fcsr alone, with a reserved rm or DYN with frm 5..7", () => {
    // Every op has some (fpu-directed.test.ts checks the same words against execFp).
    for (const op of OPS) expect(illegal.filter((c) => c.op === op).length, op.name).toBeGreaterThanOrEqual(5);
    for (const c of illegal) {
      const L = LAYOUTS[0];
      const fcsr = (c.frm << 5) | 0x15;
      const body = loopProgram(c.op, L, c.rm);
      const records = [c.a, c.b, c.c, BigInt(fcsr)];
      const { h, exit, compiled } = runCompiled(body, records, { 20: BigInt(IN), 21: BigInt(OUT), 31: 1n });
      const what = `${c.op.name} ${c.from} rm=${c.rm} frm=${c.frm}`;
      expect(compiled, what).toBeGreaterThan(0);
      expect([exit, h.pc, h.trapValue >>> 0], what).toEqual([Exit.Illegal, CODE + 4 * OP_INDEX, body[OP_INDEX]]);
      expect([hex(h.f64bits[L.rd]), hex(h.fcsr)], what).toEqual([hex(SENTINEL), hex(fcsr)]);
    }
  });
});
