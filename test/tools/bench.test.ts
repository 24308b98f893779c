// The bench's logic (tools/bench/*.mjs), without timing anything: medians and the table, the
// commands a row becomes (the sysroot's -L/-0 form, the tier switch, the skip when a program is not
// fetched), the generated input, and the check that fails a row whose output differs from qemu's.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-ignore -- plain ES modules without type declarations
import { cells, markdownTable, median, summarize } from "../../tools/bench/table.mjs";
// @ts-ignore
import { commandsFor } from "../../tools/bench/rows.mjs";
// @ts-ignore
import { instructionCount, measure } from "../../tools/bench/measure.mjs";
// @ts-ignore
import { generateText } from "../../tools/bench/inputs.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "rvtrace-bench-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("median and the table", () => {
  it("takes the middle value, or the mean of the middle two, without reordering its input", () => {
    const odd = [5, 1, 3];
    expect(median(odd)).toBe(3);
    expect(odd).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow(/no values/);
  });

  it("derives the ratio, the speed and the tier's gain from the medians", () => {
    const f = summarize({ rvtrace: [2, 9, 4], qemu: [1, 0.5, 3], noJit: [1, 2, 3] }, 8e6);
    expect(f).toEqual({ instructions: 8e6, rvtrace: 4, qemu: 1, ratio: 4, mips: 2, noJit: 2, tierGain: 0.5 });
  });

  it("prints a measured row's figures and a skipped or failed row's reason", () => {
    const figures = summarize({ rvtrace: [2], qemu: [0.5], noJit: [3] }, 1234567);
    expect(cells({ name: "x", figures })).toEqual(["x", "1,234,567", "2.000", "0.500", "4.0×", "0.6", "3.000", "1.50×"]);
    expect(cells({ name: "py", skipped: "run tools/fetch-sysroot.sh" }).slice(0, 2)).toEqual(["py", "skipped: run tools/fetch-sysroot.sh"]);
    expect(cells({ name: "bad", failed: "stdout differs" })[1]).toBe("FAILED: stdout differs");
  });

  it("makes a Markdown table with the figures' columns right-aligned", () => {
    expect(markdownTable(["a", "b"], [["x", "1"]])).toBe("| a | b |\n| --- | ---: |\n| x | 1 |");
  });
});

describe("a row's commands", () => {
  const root = path.join(scratch, "repo");
  const sysroot = path.join(root, "guests", "sysroot");
  mkdirSync(path.join(sysroot, "usr", "bin"), { recursive: true });
  mkdirSync(path.join(root, "guests", "bin"), { recursive: true });
  writeFileSync(path.join(sysroot, "usr", "bin", "python3"), "");
  writeFileSync(path.join(root, "guests", "bin", "bench-x"), "");

  it("runs a sysroot program through --sysroot under rvtrace and -L/-0 under qemu", () => {
    const c = commandsFor({ name: "py", argv: ["sysroot:/usr/bin/python3", "-c", "pass"] }, root);
    expect(c.qemu.argv).toEqual(["-L", sysroot, "-0", "/usr/bin/python3", path.join(sysroot, "usr", "bin", "python3"), "-c", "pass"]);
    expect(c.rvtrace.argv.slice(-5)).toEqual(["--sysroot", sysroot, "/usr/bin/python3", "-c", "pass"]);
    expect(c.rvtrace.argv).toContain("--stats");
    expect(c.rvtrace.argv).toContain("PYTHONDONTWRITEBYTECODE=1");
    expect(c.qemu.env.PYTHONDONTWRITEBYTECODE).toBe("1");
  });

  it("turns the compiled tier off only in the third command", () => {
    const c = commandsFor({ name: "x", argv: ["guest:bench-x", "7"] }, root);
    expect(c.rvtrace.env.RVTRACE_NO_JIT).toBeUndefined();
    expect(c.noJit.env.RVTRACE_NO_JIT).toBe("1");
    expect(c.noJit.argv).toEqual(c.rvtrace.argv);
    expect(c.qemu.argv).toEqual([path.join(root, "guests", "bin", "bench-x"), "7"]);
    expect(c.rvtrace.argv).not.toContain("--sysroot");
  });

  it("says how to get a program that is missing", () => {
    expect(commandsFor({ name: "lua", argv: ["sysroot:/usr/bin/lua5.4"] }, root)).toEqual({ skipped: "run tools/fetch-sysroot.sh" });
    expect(commandsFor({ name: "sh", argv: ["shell:bash"] }, root)).toEqual({ skipped: "run tools/fetch-shells.sh" });
    expect(() => commandsFor({ name: "odd", argv: ["bin/x"] }, root)).toThrow(/guest:, shell: or sysroot:/);
  });
});

describe("measuring a row", () => {
  /** A stand-in command: Node printing `out` on stdout and a --stats line on stderr, exiting with `status`. */
  const fake = (out: string, status = 0) => ({
    cmd: process.execPath,
    argv: ["-e", `process.stdout.write(${JSON.stringify(out)}); console.error("rvtrace: 42 instructions in 0.1 s"); process.exit(${status})`],
    env: {},
  });

  it("reads the instruction count from the --stats line", () => {
    expect(instructionCount("guest says hi\nrvtrace: 123456 instructions in 0.5 s (0.2 M/s), host work 7\n")).toBe(123456);
    expect(() => instructionCount("no stats")).toThrow(/--stats/);
  });

  it("gives every run's seconds and count when all outputs agree", () => {
    const r = measure({ name: "same" }, { rvtrace: fake("ok\n"), qemu: fake("ok\n"), noJit: fake("ok\n") }, 2, scratch);
    expect(r.instructions).toEqual([42, 42]);
    for (const v of ["rvtrace", "qemu", "noJit"]) expect(r.seconds[v]).toHaveLength(2);
  });

  it("fails the row when rvtrace's output, either tier, differs from qemu's", () => {
    expect(() => measure({ name: "jit" }, { rvtrace: fake("1\n"), qemu: fake("2\n"), noJit: fake("2\n") }, 1, scratch)).toThrow(
      /jit: rvtrace's stdout .* differs from qemu-riscv64's/,
    );
    expect(() => measure({ name: "nojit" }, { rvtrace: fake("2\n"), qemu: fake("2\n"), noJit: fake("3\n") }, 1, scratch)).toThrow(
      /nojit: rvtrace with RVTRACE_NO_JIT=1's stdout/,
    );
  });

  it("fails the row on an exit status other than the row's", () => {
    expect(() => measure({ name: "st" }, { rvtrace: fake("", 3), qemu: fake("", 3), noJit: fake("", 3) }, 1, scratch)).toThrow(/exited with 3, not 0/);
    expect(measure({ name: "st", status: 3 }, { rvtrace: fake("", 3), qemu: fake("", 3), noJit: fake("", 3) }, 1, scratch).instructions).toEqual([42]);
  });
});

describe("the generated text", () => {
  it("is the same bytes on every call, of the size asked, in lines", () => {
    const a = generateText(100_000);
    expect(a.length).toBe(100_000);
    expect(a.equals(generateText(100_000))).toBe(true);
    const lines = a.toString("latin1").split("\n").slice(0, -1);
    expect(lines.length).toBeGreaterThan(2000);
    for (const l of lines) expect(l).toMatch(/^[a-z]+ [a-z]+ \d+ [a-z]+-\d$/);
    expect(new Set(lines).size).toBeGreaterThan(lines.length * 0.9);
  });
});
