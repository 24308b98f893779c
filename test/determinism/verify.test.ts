// `rvtrace run --verify`: two deterministic runs and their first difference. A repeatable guest
// agrees with itself; one that appends to a file finds it longer the second time, and the first
// syscall whose result differs (the lseek to the end) is named, then stdout.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verify } from "../../src/cli/verify.js";
import { ensureBuilt } from "../build.js";
import { GUESTS_DIR, ROOT } from "./helpers.js";

const PROBE = path.join(GUESTS_DIR, "bin", "det-probe");
const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-verify-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(ensureBuilt, 120_000);

describe("verify (in process)", () => {
  it("a repeatable guest: the runs agree", async () => {
    const v = await verify(PROBE, ["det-probe", "."], {}, { cwd: dir }, new Uint8Array());
    expect(v.differences).toEqual([]);
    expect(v.same).toBe(true);
    expect(v.first.stdout.toString()).toContain("getrandom ");
    expect(v.first.syscalls).toBeGreaterThan(50);
  });

  it("a guest that changes its input: the first differing syscall, then stdout", async () => {
    const file = path.join(dir, "grows");
    const v = await verify(PROBE, ["det-probe", "--append", file], {}, { cwd: dir }, new Uint8Array());
    expect(readFileSync(file, "latin1")).toBe("x\nx\n");
    expect(v.same).toBe(false);
    expect(v.first.stdout.toString()).toBe("size 2\n");
    expect(v.second.stdout.toString()).toBe("size 4\n");
    expect(v.differences[0]).toMatch(/^syscall #\d+ differs: in the first run lseek of task 1000 returned 2; in the second lseek of task 1000 returned 4$/);
    expect(v.differences[1]).toBe("stdout differs from byte 5 (7 bytes in the first run, 7 in the second)");
  });
});

describe("rvtrace run --verify", () => {
  const cli = path.join(ROOT, "bin", "rvtrace.js");
  const run = (args: string[]) => spawnSync(process.execPath, [cli, "run", "--verify", ...args], { cwd: dir, input: "", encoding: "latin1" });

  it("exits 0 and says so when the runs agree, showing the first run's output", () => {
    const r = run([PROBE, "--time"]);
    expect(r.stdout).toBe("time 946684800 2000-01-01 00:00:00 UTC\n");
    expect(r.stderr).toMatch(/^rvtrace: --verify: both runs agree \(exit status 0, \d+ syscalls, \d+ instructions\)\n$/);
    expect(r.status).toBe(0);
  });

  it("exits 1 and lists the differences when they do not", () => {
    const r = run([PROBE, "--append", path.join(dir, "grows-cli")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^rvtrace: --verify: syscall #\d+ differs: .*lseek.*\nrvtrace: --verify: stdout differs from byte 5 /);
  });
});
