// The kit's example engines (examples/kit/) loaded with `rvtrace trace --engine`, as a user runs
// them, each checked against the trace the strace printer writes of the same run.
import { describe, it, expect, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuilt } from "../build.js";

const root = path.resolve(__dirname, "../..");
const guests = path.join(root, "guests");
const cli = path.join(root, "bin", "rvtrace.js");
const example = (name: string) => path.join(root, "examples", "kit", name);

beforeAll(ensureBuilt, 120_000);

/** rvtrace trace -o TRACE [args]; the trace file's lines too. */
function trace(args: string[], cwd = guests) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-kit-"));
  const file = path.join(dir, "trace");
  const r = spawnSync(process.execPath, [cli, "trace", "-o", file, ...args], { cwd, encoding: "utf8" });
  return { ...r, lines: readFileSync(file, "utf8").split("\n").filter((l) => l !== "") };
}

const tmpdir = () => mkdtempSync(path.join(os.tmpdir(), "rvtrace-kit-cwd-"));

describe("examples/kit", () => {
  it("every example has a test here", () => {
    expect(readdirSync(path.join(root, "examples", "kit")).sort()).toEqual([
      "approve-unlink.mjs", "count-syscalls.mjs", "read-only-fs.mjs", "upcase-writes.mjs",
    ]);
  });

  it("count-syscalls.mjs: the counts of the calls strace printed, most frequent first", () => {
    const r = trace(["-f", "--engine", example("count-syscalls.mjs"), "bin/pipeline"]);
    expect(r.status).toBe(0);
    // the printer's calls, less the execve that started the program (made before any engine)
    const expected = new Map<string, number>();
    for (const l of r.lines.slice(1)) {
      const m = /^(?:\d+ +)?(\w+)\(/.exec(l); // "PID  name(" with -f -o
      if (!m || l.includes(" resumed>") || l.startsWith("+++") || l.startsWith("---")) continue;
      expected.set(m[1], (expected.get(m[1]) ?? 0) + 1);
    }
    const out = r.stderr.split("\n");
    const head = /^count-syscalls: (\d+) calls$/.exec(out[0])!;
    expect(head).not.toBeNull();
    const rows = out.slice(1).filter((l) => l !== "").map((l) => l.trim().split(/\s+/));
    const got = new Map(rows.map(([n, name]) => [name, Number(n)]));
    expect(got).toEqual(expected);
    expect(Number(head[1])).toBe([...expected.values()].reduce((a, b) => a + b, 0));
    const counts = rows.map(([n]) => Number(n));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const top = trace(["--engine", `${example("count-syscalls.mjs")}:top=2`, "bin/hello"]);
    expect(top.stderr.split("\n").filter((l) => l !== "")).toHaveLength(3);
  });

  it("read-only-fs.mjs: calls that would change the file system fail with EROFS (or the errno given); reads go on", () => {
    const cwd = tmpdir();
    const r = trace(["--engine", example("read-only-fs.mjs"), path.join(guests, "bin", "fs-copy")], cwd);
    expect(r.lines.find((l) => l.startsWith("mkdirat("))).toMatch(/^mkdirat\(AT_FDCWD, "tmp-fs-copy", 0755\) += -1 EROFS \(Read-only file system\)$/);
    const changing = r.lines.filter((l) => /^(mkdirat|unlinkat|symlinkat|linkat|renameat2?|fchownat|fchmodat)\(/.test(l) || /^openat\(.*O_(WRONLY|RDWR|CREAT)/.test(l));
    expect(changing.length).toBeGreaterThan(3);
    for (const l of changing) expect(l).toMatch(/= -1 EROFS \(Read-only file system\)$/);
    expect(readdirSync(cwd)).toEqual([]);
    // reading is not affected
    expect(r.lines.some((l) => /^readlinkat\(.*\) = \d+$/.test(l))).toBe(true);
    const other = trace(["--engine", `${example("read-only-fs.mjs")}:EACCES`, path.join(guests, "bin", "fs-copy")], tmpdir());
    expect(other.lines.find((l) => l.startsWith("mkdirat("))).toMatch(/= -1 EACCES \(Permission denied\)$/);
  });

  it("upcase-writes.mjs: stdout in capitals; the guest's own buffer untouched (the printer nearest the guest shows it)", () => {
    const poem = readFileSync(path.join(guests, "data", "poem.txt"), "utf8");
    const r = trace(["--engine", example("upcase-writes.mjs"), "bin/cat", "data/poem.txt"]);
    expect(r.stdout).toBe(poem.toUpperCase());
    const write = r.lines.find((l) => l.startsWith("write(1, "))!;
    expect(write).toContain('"The emulator hums');
    // --trace-inner: the printer beneath the engine sees what the call really got
    const inner = trace(["--trace-inner", "--engine", example("upcase-writes.mjs"), "bin/cat", "data/poem.txt"]);
    expect(inner.lines.find((l) => l.startsWith("write(1, "))!).toContain('"THE EMULATOR HUMS');
    // stderr only when asked
    const both = spawnSync(process.execPath, [cli, "trace", "-o", "/dev/null", "--engine", `${example("upcase-writes.mjs")}:1,2`, "bin/cat", "nothing-here"], { cwd: guests, encoding: "utf8" });
    expect(both.stderr).toBe("CAT: NOTHING-HERE: NO SUCH FILE OR DIRECTORY\n");
  });

  it("approve-unlink.mjs: asks before each unlink and waits; a no is EACCES, a yes lets it run", () => {
    const cwd = tmpdir();
    const answers = path.join(mkdtempSync(path.join(os.tmpdir(), "rvtrace-kit-answers-")), "answers");
    writeFileSync(answers, "n\ny\ny\nyes\ny\ny\n");
    const r = trace(["-e", "trace=unlinkat", "--engine", `${example("approve-unlink.mjs")}:answers=${answers}`, path.join(guests, "bin", "fs-copy")], cwd);
    expect(r.status).toBe(0);
    const questions = r.stderr.split("? [y/N] ").filter((q) => q !== "");
    expect(questions).toEqual([
      'approve-unlink: unlink "src" (pid 1000)', 'approve-unlink: unlink "dst" (pid 1000)',
      'approve-unlink: unlink "part" (pid 1000)', 'approve-unlink: unlink "range" (pid 1000)',
      'approve-unlink: unlink "link" (pid 1000)', 'approve-unlink: remove directory "tmp-fs-copy" (pid 1000)',
    ]);
    const calls = r.lines.filter((l) => l.startsWith("unlinkat("));
    expect(calls[0]).toMatch(/"src", 0\) += -1 EACCES \(Permission denied\)$/);
    for (const c of calls.slice(1, 5)) expect(c).toMatch(/ = 0$/);
    expect(calls[5]).toMatch(/= -1 ENOTEMPTY/); // src is still there
    expect(readdirSync(path.join(cwd, "tmp-fs-copy"))).toEqual(["src"]);
    expect(existsSync(path.join(cwd, "tmp-fs-copy", "dst"))).toBe(false);
  });
});
