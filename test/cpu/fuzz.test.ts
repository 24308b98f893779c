// A small fixed-seed run of the differential ISA fuzzer (tools/fuzz.mjs): random RV64GC programs run
// under rvtrace (bin/rvtrace.js, i.e. the compiled dist/) and under qemu-riscv64, and the final
// integer and FP registers, fcsr, log and data windows must be identical. rvtrace runs in three
// tiers (tools/fuzz/run.mjs: TIERS): the interpreter alone, the compiled tier compiling everything
// at once (RVTRACE_JIT_EAGER=1), and the shipped settings (hot loops compiled); qemu is the reference
// for each. qemu-riscv64 is required: if it is missing the test fails (it does not skip). Reproduce a
// failing program with the command in the failure message; `node tools/fuzz.mjs --seed S --programs P`
// runs more.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-ignore -- plain ES modules without type declarations
import { generateProgram, bodyLength, MAX_UNIT, HOT_LOOP_THRESHOLD } from "../../tools/fuzz/gen.mjs";
// @ts-ignore
import { assemble } from "../../tools/fuzz/asm.mjs";
// @ts-ignore
import { RVTRACE_CLI, compareTiers, countRegions, findQemu, removeTemp, runTiers, writeTemp } from "../../tools/fuzz/run.mjs";
// @ts-ignore
import { diffLines } from "../../tools/fuzz/report.mjs";
// @ts-ignore
import { SPECS, regFiles } from "../../tools/fuzz/encode.mjs";
// @ts-ignore
import { evalLi, liInsns } from "../../tools/fuzz/consts.mjs";
// @ts-ignore
import { INT_EDGES } from "../../tools/fuzz/edges.mjs";

const SEED = 0x5eed;
const PROGRAMS = 40;
const LENGTH = 200;
const TIER_NAMES = ["interp", "jit", "default"];

interface Insn {
  name: string;
  rd?: number;
  rs1?: number;
  rs2?: number;
  imm?: number;
}
interface Program {
  units: { insns: Insn[]; fixed?: boolean }[];
  window: Uint8Array;
  init: { x: bigint[]; f: bigint[]; fcsr: number };
}
interface Dump {
  x: bigint[];
  f: bigint[];
  fcsr: number;
}
type Diff = null | { unknown: true } | { notRun: true } | { rv: Dump | null; qemu: Dump | null; tier: string; tiers: string[] };
interface Run {
  stdout: Buffer;
  stderr: string;
  status: number;
  regions: number;
  insns: number;
}

const gen = generateProgram as (seed: number, index: number, length: number) => Program;

/** The loops of a program: units that end in a backward branch. */
const loops = (p: Program) =>
  p.units.filter((u) => u.fixed && /^(bne|blt|c\.bnez)$/.test(u.insns[u.insns.length - 1].name) && (u.insns[u.insns.length - 1].imm ?? 0) < 0);

describe("differential fuzz: rvtrace vs qemu-riscv64", () => {
  it(`${PROGRAMS} random programs × ${LENGTH} instructions (seed ${SEED}) end in the same state in every tier`, async () => {
    const qemu = findQemu() as string | null;
    if (!qemu) {
      throw new Error("qemu-riscv64 not found: this test needs it (Debian package qemu-user, or set QEMU_RISCV64); it does not skip");
    }
    expect(existsSync(RVTRACE_CLI), `${RVTRACE_CLI} is missing (build with npm run build)`).toBe(true);
    const programs = Array.from({ length: PROGRAMS }, (_, i) => gen(SEED, i, LENGTH));
    const { elf } = assemble(programs) as { elf: Uint8Array };
    const path = writeTemp(elf, "fuzz-test") as string;
    try {
      const run = (await runTiers(path, qemu, TIER_NAMES)) as { qemu: Run; rv: Record<string, Run> };
      const diffs = compareTiers(PROGRAMS, run) as Diff[];
      const problems = diffs.flatMap((d, i) => {
        if (!d) return [];
        if ("unknown" in d || "notRun" in d) return [`program ${i}: not compared (${"unknown" in d ? "neither emulator got this far" : "a tier stopped earlier"})`];
        const reproduce = `node tools/fuzz.mjs --seed ${SEED} --length ${LENGTH} --only ${i} --tier ${d.tier}`;
        return [`program ${i}, tier ${d.tiers.join(", ")} (${reproduce}):\n  ${(diffLines(d.rv, d.qemu) as string[]).join("\n  ")}`];
      });
      const stderr = TIER_NAMES.map((t) => `${t}: ${run.rv[t].stderr.trim()}`).join("\n");
      expect(problems, `rvtrace stderr:\n${stderr}`).toEqual([]);
      expect({ qemu: run.qemu.status, ...Object.fromEntries(TIER_NAMES.map((t) => [t, run.rv[t].status])) })
        .toEqual({ qemu: 0, interp: 0, jit: 0, default: 0 });
      // The tiers are what they claim: the interpreter compiles nothing, the eager tier compiles the
      // programs' code (nearly all of it), and the shipped settings compile the hot loops.
      const total = programs.reduce((n, p) => n + bodyLength(p), 0);
      expect(run.rv.interp.regions).toBe(0);
      expect(run.rv.jit.insns).toBeGreaterThan(total / 2);
      expect(run.rv.default.regions).toBeGreaterThan(0);
    } finally {
      removeTemp(path);
    }
  });

  it("counts only the regions compiled in the programs' code", () => {
    const stderr = [
      "rvtrace: region ffffd000+cc: 3 blocks, 6 insns, 1672 chars", // rvtrace's start-up training code
      "rvtrace: region 10000+0: 1 blocks, 64 insns, 16157 chars",
      "something else",
      "rvtrace: region 11000+4a2: 2 blocks, 35 insns, 7328 chars",
    ].join("\n");
    expect(countRegions(stderr)).toEqual({ regions: 2, insns: 99, stderr: "something else" });
  });

  it("the generator is deterministic and makes programs of the requested length", () => {
    const a = gen(SEED, 3, LENGTH);
    const b = gen(SEED, 3, LENGTH);
    expect(JSON.stringify(a.units)).toEqual(JSON.stringify(b.units));
    expect(Buffer.from(a.window).equals(Buffer.from(b.window))).toBe(true);
    expect(a.init).toEqual(b.init);
    expect(bodyLength(a)).toBeGreaterThanOrEqual(LENGTH);
    expect(bodyLength(a)).toBeLessThan(LENGTH + MAX_UNIT);
    expect(JSON.stringify(gen(SEED, 4, LENGTH).units)).not.toEqual(JSON.stringify(a.units));
  });

  it("the generator uses every RV64GC instruction except ecall, ebreak and c.ebreak", () => {
    const used = new Set<string>();
    for (let i = 0; i < 300; i++) for (const u of gen(1, i, 200).units) for (const insn of u.insns) used.add(insn.name);
    const all = Object.keys(SPECS as Record<string, unknown>);
    expect(all.filter((n) => !used.has(n)).sort()).toEqual(["c.ebreak", "ebreak", "ecall"]);
  });

  it("every loop ends: its counter is set to a positive count and only its decrement writes it", () => {
    let hot = 0;
    let count = 0;
    for (let i = 0; i < 200; i++) {
      const p = gen(2, i, 200);
      for (const u of p.units) expect(u.insns.length).toBeLessThanOrEqual(MAX_UNIT);
      for (const u of loops(p)) {
        count++;
        const [init, ...rest] = u.insns;
        const back = rest.pop()!;
        const dec = rest.pop()!;
        const counter = init.rd!;
        expect(init).toMatchObject({ name: "addi", rs1: 0 });
        expect(init.imm).toBeGreaterThan(0);
        expect(dec.rd === counter && dec.imm === -1 && /^(c\.)?addi$/.test(dec.name)).toBe(true);
        expect([back.rs1, back.rs2]).toContain(counter);
        // (Stores and branches have no rd; c.jalr, which writes x1 without one, is never in a loop.)
        const writers = rest.filter((rec) => rec.rd === counter && regFiles(rec.name).rd === "x");
        expect(writers).toEqual([]);
        if (init.imm! > HOT_LOOP_THRESHOLD) hot++;
      }
    }
    // Some run often enough for the fuzzer's default tier to compile them.
    expect(count).toBeGreaterThan(100);
    expect(hot).toBeGreaterThan(10);
  });

  it("the constant sequences of the directed units produce their values", () => {
    const values = [...(INT_EDGES as bigint[]), 0x7ffff800n, 0x7ffff7ffn, 0x123456789abcdef0n, -0x123456789abcdef0n, 0xfffffffffffff800n];
    for (const v of values) {
      const insns = liInsns(5, v) as Insn[];
      expect(insns.length).toBeLessThanOrEqual(8);
      expect(evalLi(insns), `0x${BigInt.asUintN(64, v).toString(16)}`).toBe(BigInt.asUintN(64, v));
    }
  });
});
