// A small fixed-seed run of the differential ISA fuzzer (tools/fuzz.mjs): random RV64GC programs run
// under rvtrace (bin/rvtrace.js, i.e. the compiled dist/) and under qemu-riscv64, and the final
// integer and FP registers, fcsr and data windows must be identical. qemu-riscv64 is required: if it
// is missing the test fails (it does not skip). Reproduce a failing program with the command in the
// failure message; `node tools/fuzz.mjs --seed S --programs P` runs more.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-ignore -- plain ES modules without type declarations
import { generateProgram, bodyLength } from "../../tools/fuzz/gen.mjs";
// @ts-ignore
import { assemble } from "../../tools/fuzz/asm.mjs";
// @ts-ignore
import { RVTRACE_CLI, comparePrograms, findQemu, removeTemp, runBoth, writeTemp } from "../../tools/fuzz/run.mjs";
// @ts-ignore
import { diffLines } from "../../tools/fuzz/report.mjs";
// @ts-ignore
import { SPECS } from "../../tools/fuzz/encode.mjs";

const SEED = 0x5eed;
const PROGRAMS = 10;
const LENGTH = 100;

interface Program {
  units: { insns: { name: string }[] }[];
  window: Uint8Array;
  init: { x: bigint[]; f: bigint[]; fcsr: number };
}
interface Dump {
  x: bigint[];
  f: bigint[];
  fcsr: number;
}
type Diff = null | { unknown: true } | { rv: Dump | null; qemu: Dump | null };
interface Run {
  stdout: Buffer;
  stderr: string;
  status: number;
}

const gen = generateProgram as (seed: number, index: number, length: number) => Program;

describe("differential fuzz: rvtrace vs qemu-riscv64", () => {
  it(`${PROGRAMS} random programs × ${LENGTH} instructions (seed ${SEED}) end in the same state`, async () => {
    const qemu = findQemu() as string | null;
    if (!qemu) {
      throw new Error("qemu-riscv64 not found: this test needs it (Debian package qemu-user, or set QEMU_RISCV64); it does not skip");
    }
    expect(existsSync(RVTRACE_CLI), `${RVTRACE_CLI} is missing (build with npx tsc -p .)`).toBe(true);
    const programs = Array.from({ length: PROGRAMS }, (_, i) => gen(SEED, i, LENGTH));
    const { elf } = assemble(programs) as { elf: Uint8Array };
    const path = writeTemp(elf, "fuzz-test") as string;
    try {
      const { rv, qemu: q } = (await runBoth(path, qemu)) as { rv: Run; qemu: Run };
      const diffs = comparePrograms(PROGRAMS, rv, q) as Diff[];
      const problems = diffs.flatMap((d, i) => {
        if (!d) return [];
        const reproduce = `node tools/fuzz.mjs --seed ${SEED} --length ${LENGTH} --only ${i}`;
        if ("unknown" in d) return [`program ${i}: neither emulator got this far (${reproduce})`];
        return [`program ${i} (${reproduce}):\n  ${(diffLines(d.rv, d.qemu) as string[]).join("\n  ")}`];
      });
      expect(problems, `rvtrace stderr: ${rv.stderr}`).toEqual([]);
      expect({ rvtrace: rv.status, qemu: q.status }).toEqual({ rvtrace: 0, qemu: 0 });
    } finally {
      removeTemp(path);
    }
  });

  it("the generator is deterministic and makes programs of the requested length", () => {
    const a = gen(SEED, 3, LENGTH);
    const b = gen(SEED, 3, LENGTH);
    expect(JSON.stringify(a.units)).toEqual(JSON.stringify(b.units));
    expect(Buffer.from(a.window).equals(Buffer.from(b.window))).toBe(true);
    expect(a.init).toEqual(b.init);
    expect(bodyLength(a)).toBeGreaterThanOrEqual(LENGTH);
    expect(bodyLength(a)).toBeLessThan(LENGTH + 8);
    expect(JSON.stringify(gen(SEED, 4, LENGTH).units)).not.toEqual(JSON.stringify(a.units));
  });

  it("the generator uses every RV64GC instruction except ecall, ebreak and c.ebreak", () => {
    const used = new Set<string>();
    for (let i = 0; i < 300; i++) for (const u of gen(1, i, 200).units) for (const insn of u.insns) used.add(insn.name);
    const all = Object.keys(SPECS as Record<string, unknown>);
    expect(all.filter((n) => !used.has(n)).sort()).toEqual(["c.ebreak", "ebreak", "ecall"]);
  });
});
