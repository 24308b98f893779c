// The syscall fuzzer (tools/sysfuzz.mjs): a fixed-seed share of 5,000 calls under rvtrace is clean
// (CI runs 200,000 in .ci/run); the guest's table is the one the generator makes from the current
// syscall tables; and the run's checks are not vacuous: a change next to the guest's directory is
// seen, and rvtrace's internal errors, stack traces and unfinished guests are reported.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../build.js";
// @ts-ignore -- plain ES modules without type declarations
import { buildHeader, HEADER } from "../../tools/sysfuzz/table.mjs";
// @ts-ignore
import { compare, prepare, snapshot } from "../../tools/sysfuzz/watch.mjs";

type Fuzz = typeof import("../../tools/sysfuzz/run.mjs");
// @ts-ignore
const load = (): Promise<Fuzz> => import("../../tools/sysfuzz/run.mjs");

beforeAll(() => ensureBuilt());

describe("a fixed-seed share", () => {
  it("5,000 calls: no internal error, no crash, the guest finishes, nothing watched changes", async () => {
    const { runFuzz, tally } = await load();
    const r = await runFuzz({ seed: 11, count: 5000 });
    expect(r.problems).toEqual([]);
    const t = await tally(r.stdout);
    expect(t.calls).toBe(5000);
    // The calls reach rvtrace's handlers, not only ENOSYS: successes and many different errors.
    expect(t.byErrno.get("success")).toBeGreaterThan(500);
    expect(t.byErrno.size).toBeGreaterThan(10);
  });

  it("3,000 calls twice under --deterministic print the same results, byte for byte", async () => {
    const { runFuzz } = await load();
    const r = await runFuzz({ seed: 13, count: 3000, rvtraceArgs: ["--deterministic"] });
    const again = await runFuzz({ seed: 13, count: 3000, rvtraceArgs: ["--deterministic"] });
    expect(r.problems).toEqual([]);
    expect(again.problems).toEqual([]);
    expect(again.stdout).toBe(r.stdout);
    // Without it the results differ (times(), clocks): the comparison can tell.
    const host = await runFuzz({ seed: 13, count: 3000 });
    expect(host.stdout).not.toBe(r.stdout);
  });

  it("2,000 calls under rvtrace trace: the strace decoders read every hostile argument, and stay quiet", async () => {
    const { runFuzz } = await load();
    const r = await runFuzz({ seed: 12, count: 2000, trace: true });
    expect(r.problems).toEqual([]);
  });
});

describe("the guest's table", () => {
  it("is what tools/sysfuzz/table.mjs makes from the current syscall tables (regenerate it, then make -C guests)", async () => {
    expect(readFileSync(HEADER, "utf8")).toBe(await buildHeader());
  });
});

describe("the host watch", () => {
  it("sees a file changed or created next to the guest's directory, and not one changed inside it", () => {
    const dirs = prepare(mkdtempSync(path.join(tmpdir(), "sysfuzz-watch-")));
    try {
      const before = snapshot(dirs);
      writeFileSync(path.join(dirs.work, "inside"), "x");
      expect(compare(before, snapshot(dirs))).toEqual([]);
      writeFileSync(path.join(dirs.top, "outside", "secret"), "changed\n");
      writeFileSync(path.join(dirs.top, "escaped"), "x");
      const changes: string[] = compare(before, snapshot(dirs));
      expect(changes.some((c) => c.startsWith("changed:") && c.includes("secret"))).toBe(true);
      expect(changes.some((c) => c.startsWith("created:") && c.includes("escaped"))).toBe(true);
    } finally {
      rmSync(dirs.top, { recursive: true, force: true });
    }
  });
});

describe("the run's checks", () => {
  /** Runs the fuzzer with a stand-in for rvtrace that does `script` (a Node program). */
  async function withFakeRvtrace(script: string) {
    const dir = mkdtempSync(path.join(tmpdir(), "sysfuzz-fake-"));
    const fake = path.join(dir, "fake.js");
    writeFileSync(fake, script);
    try {
      const { runFuzz } = await load();
      return await runFuzz({ seed: 1, count: 3, cli: fake });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("report an internal error and a stack trace on stderr, even when the guest finished", async () => {
    const r = await withFakeRvtrace(`
      process.stdout.write("0 getpid 1\\n1 getpid 1\\n2 getpid 1\\ndone 3 skipped 0 dropped 0\\n");
      process.stderr.write("rvtrace: internal error in syscall x at pc 0x10: boom\\n    at f (file.js:1:2)\\n");`);
    expect(r.problems).toContain("rvtrace reported an internal error");
    expect(r.problems).toContain("rvtrace printed a JavaScript stack trace");
  });

  it("report a guest that did not finish, and a crash", async () => {
    const r = await withFakeRvtrace(`process.stdout.write("0 getpid 1\\n"); process.exit(139);`);
    expect(r.problems.some((p: string) => p.includes("status 139"))).toBe(true);
    expect(r.problems.some((p: string) => p.startsWith("the guest did not finish"))).toBe(true);
  });
});
