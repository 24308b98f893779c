// Runs every example engine in examples/engines/ as a user would (`node examples/engines/<x>.mjs`,
// importing the built package from dist/) and checks what it prints, line for line.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { ensureBuilt } from "../build.js";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const EXAMPLES = path.join(ROOT, "examples", "engines");

/** Runs one example from an unrelated working directory; returns its stdout lines. */
function runExample(name: string, args: string[] = []): string[] {
  const r = spawnSync(process.execPath, [path.join(EXAMPLES, name), ...args], {
    cwd: path.join(ROOT, "test"),
    encoding: "utf8",
    timeout: 60000,
  });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout.split("\n").slice(0, -1);
}

beforeAll(() => ensureBuilt(), 300000);

describe("examples/engines", () => {
  it("every example has a test here", () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith(".mjs")).sort();
    expect(files).toEqual([
      "count-writes.mjs",
      "rewrite-and-trace.mjs",
      "sigkill-while-stopped.mjs",
      "stacked-rewriters.mjs",
      "syscall-logger.mjs",
      "throwing-engine.mjs",
    ]);
  });

  it("(a) syscall-logger.mjs: every syscall with its result, the guest's output in between", () => {
    expect(runExample("syscall-logger.mjs")).toEqual([
      "getpid() = 1000",
      "one",
      'write(1, "one\\n", 4) = 4',
      "two",
      'write(1, "two\\n", 4) = 4',
      "exit_group(0) = ?",
      "+++ exited with 0 +++",
      'status: {"exitCode":0,"signal":null,"coreDumped":false}',
    ]);
  });

  it("(a) syscall-logger.mjs bin/hello: a libc program's startup calls, then its write", () => {
    const lines = runExample("syscall-logger.mjs", ["bin/hello"]);
    // glibc's start-up: the first call asks where the heap is; set_tid_address returns the tid.
    expect(lines[0]).toMatch(/^brk\(0x0, 0x[0-9a-f]+, 0x[0-9a-f]+\) = \d+$/);
    expect(lines.filter((l) => l.startsWith("set_tid_address("))).toHaveLength(1);
    expect(lines.find((l) => l.startsWith("set_tid_address("))).toMatch(/\) = 1000$/);
    expect(lines.slice(-5)).toEqual([
      "Hello, world!",
      'write(1, "Hello, world!\\n", 14) = 14',
      "exit_group(0) = ?",
      "+++ exited with 0 +++",
      'status: {"exitCode":0,"signal":null,"coreDumped":false}',
    ]);
  });

  it("(b) rewrite-and-trace.mjs: the asynchronous rewrite shows in the output; 'careful' logs it on the RESUMED pass", () => {
    expect(runExample("rewrite-and-trace.mjs")).toEqual([
      'original: write(1, "hello, world\\n", 13)',
      'redactor: stops the task at write(1, "hello, world\\n", 13) and asks the policy',
      "careful:  the task is being stopped; asking for another look (UTRACE_REPORT)",
      'redactor: policy says "hello, *****\\n"; resuming: control(RESUME) = 0',
      'careful:  write(1, "hello, *****\\n", 13) (RESUMED pass)',
      "careful:  = 13",
      'guest stdout: "hello, *****\\n"',
      "guest exit code: 13",
    ]);
  });

  it("(c) stacked-rewriters.mjs: each vm sees the previous rewrite; strace sees the guest's call and result", () => {
    expect(runExample("stacked-rewriters.mjs")).toEqual([
      'strace: write(1, "hello, world\\n", 13)',
      'vm3: first pass, sees write(1, "hello, world\\n", 13): STOP and decide',
      'vm2: first pass, sees write(1, "hello, world\\n", 13), but a vm nearer to user mode stopped the task: REPORT',
      'vm1: first pass, sees write(1, "hello, world\\n", 13), but a vm nearer to user mode stopped the task: REPORT',
      "vm3: length 13 -> 5; control(REPORT) = 0",
      'vm2: RESUMED pass, sees write(1, "hello", 5): STOP and decide',
      'vm1: RESUMED pass, sees write(1, "hello", 5), but a vm nearer to user mode stopped the task: REPORT',
      "vm2: fd 1 -> 2; control(REPORT) = 0",
      'vm1: RESUMED pass, sees write(2, "hello", 5): STOP and decide',
      "vm1: uppercased the buffer; control(REPORT) = 0",
      "vm1: exit, result 5",
      "vm2: exit, result 5",
      "vm3: exit, result 5: reports 13 to the guest",
      "strace: = 13",
      "strace: exit_group(13)",
      'guest stdout: ""',
      'guest stderr: "HELLO"',
      "guest exit code (what write returned to it): 13",
    ]);
  });

  it("(d) sigkill-while-stopped.mjs: the write never runs; exit, death, reap; then -ESRCH", () => {
    expect(runExample("sigkill-while-stopped.mjs")).toEqual([
      "holder: stops the task at write(1, ..., 13) and keeps it",
      "main: the task has been stopped for 50 ms; sending SIGKILL",
      "holder: reportExit, wait status 9 (killed by signal 9)",
      "holder: reportDeath, last thread of its process: true",
      "holder: reportReap (the engine is detached after this)",
      'main: status {"exitCode":null,"signal":9,"coreDumped":false}',
      'main: guest stdout "" (the write never ran)',
      "main: control(RESUME) now = -3 (-ESRCH: detached at reap)",
    ]);
  });

  it("(e) throwing-engine.mjs: one diagnostics line, the engine is detached, the guest and the logger go on", () => {
    expect(runExample("throwing-engine.mjs")).toEqual([
      "buggy: getpid",
      "logger: getpid",
      "logger:   = 1000",
      "buggy: write",
      "diagnostics: rvtrace: engine buggy threw in reportSyscallEntry: cannot handle write (detached)",
      "logger: write",
      "guest stdout: one",
      "logger:   = 4",
      "logger: write",
      "guest stdout: two",
      "logger:   = 4",
      "logger: exit_group",
      "main: guest exit code 0",
      "main: control(buggy, RESUME) = -3 (-ESRCH: detached)",
      "main: dropping our reference to buggy",
      'buggy: release({"state":"buggy\'s data"})',
    ]);
  });
  it("(f) count-writes.mjs, an --engine module: counts write calls, or with stdout-only those to fd 1", () => {
    const run = (spec: string, program: string, args: string[] = []) => {
      const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "rvtrace.js"), "trace", "-qq", "-e", "trace=none",
        "--engine", spec, program, ...args], { cwd: ROOT, encoding: "utf8", timeout: 60000 });
      expect(r.status).toBe(0);
      return r.stderr;
    };
    const engine = path.join(EXAMPLES, "count-writes.mjs");
    expect(run(`${engine}:stdout-only`, "guests/bin/hello")).toBe("count-writes: 1 writes\n");
    // On a pipe, stdio-kinds seek-only writes its line to stdout, then lseek's error to stderr.
    expect(run(`${engine}:stdout-only`, "guests/bin/stdio-kinds", ["seek-only"])).toBe(
      "lseek(1, 0, SEEK_SET): Illegal seek\ncount-writes: 1 writes\n",
    );
    expect(run(engine, "guests/bin/stdio-kinds", ["seek-only"])).toBe("lseek(1, 0, SEEK_SET): Illegal seek\ncount-writes: 2 writes\n");
  });
});
