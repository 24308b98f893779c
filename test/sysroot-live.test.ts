// Debian's riscv64 programs from a sysroot (tools/fetch-sysroot.sh, into guests/sysroot) under
// `rvtrace run --sysroot SYSROOT PROGRAM` and `qemu-riscv64 -L SYSROOT -0 PROGRAM SYSROOT/PROGRAM`
// (qemu wants the program's host path; -0 gives it the argv[0] rvtrace gives, so messages that
// name the program agree): the same stdout, stderr and exit status. The commands, their files and
// environment are in test/sysroot-cases.ts. Needs `sh tools/fetch-sysroot.sh` first (.ci/run does it)
// and qemu-riscv64; runs with `npm run test:live`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASES, ENV, FILES, FILE_MTIME, type SysrootCase } from "./sysroot-cases.js";

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(ROOT, "bin", "rvtrace.js");
const SYSROOT = path.join(ROOT, "guests", "sysroot");

const scratch = mkdtempSync(path.join(os.tmpdir(), "rvtrace-sysroot-"));
beforeAll(() => {
  for (const [name, text] of Object.entries(FILES)) {
    const at = path.join(scratch, name);
    writeFileSync(at, text);
    utimesSync(at, FILE_MTIME, FILE_MTIME);
  }
  utimesSync(scratch, FILE_MTIME, FILE_MTIME);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

function outcome(cmd: string, args: string[], c: SysrootCase, env: NodeJS.ProcessEnv): Outcome {
  const r = spawnSync(cmd, args, { cwd: scratch, env, input: c.stdin ?? "", encoding: "latin1", timeout: 110_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The program's path as the guest names it, and its host path. */
function program(c: SysrootCase): { guest: string; host: string } {
  const p = c.argv[0];
  if (p.startsWith("guest:")) {
    const host = path.join(ROOT, "guests", "bin", p.slice("guest:".length));
    return { guest: host, host };
  }
  return { guest: p, host: path.join(SYSROOT, p) };
}

function underRvtrace(c: SysrootCase): Outcome {
  const env = { ...ENV, ...c.env };
  const envArgs = Object.entries(env).flatMap(([k, v]) => ["--env", `${k}=${v}`]);
  const { guest } = program(c);
  return outcome(process.execPath, [CLI, "run", "--clear-env", ...envArgs, "--sysroot", SYSROOT, guest, ...c.argv.slice(1)], c, { PATH: process.env.PATH });
}

function underQemu(c: SysrootCase): Outcome {
  const { guest, host } = program(c);
  return outcome("qemu-riscv64", ["-L", SYSROOT, "-0", guest, host, ...c.argv.slice(1)], c, { ...ENV, ...c.env });
}

describe("Debian's riscv64 programs from a sysroot: rvtrace --sysroot matches qemu-riscv64 -L", () => {
  it("has the sysroot fetched and qemu-riscv64 installed", () => {
    expect(existsSync(path.join(SYSROOT, "lib", "ld-linux-riscv64-lp64d.so.1")), "run sh tools/fetch-sysroot.sh").toBe(true);
    expect(spawnSync("qemu-riscv64", ["--version"]).status, "qemu-riscv64 (Debian package qemu-user)").toBe(0);
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  for (const c of CASES) {
    it(c.name, () => {
      const qemu = underQemu(c);
      // The reference did what the case says, so two runs failing alike (a missing library) do not match.
      expect(qemu.status, `qemu-riscv64's status; stderr: ${qemu.stderr}`).toBe(c.status ?? 0);
      expect(qemu.stdout + qemu.stderr).not.toBe("");
      expect(underRvtrace(c)).toEqual(qemu);
    });
  }
});
