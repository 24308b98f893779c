// PENDING (rename to test/sysroot-proc-live.test.ts once the guest has /proc/meminfo, /proc/mounts,
// /proc/PID/* and a writable /tmp): busybox's ps, free, df and mktemp under `rvtrace run --sysroot`
// and `qemu-riscv64 -L`. These show the machine, so qemu shows the host (every host process, its
// memory, its mounts, a file made in the host's /tmp) where rvtrace shows the sandbox: the runs are
// compared where they must agree (exit status, stderr, the header busybox prints) and rvtrace's own
// rows are checked for what the sandbox holds. Needs tools/fetch-shells.sh and tools/fetch-sysroot.sh.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(ROOT, "bin", "rvtrace.js");
const SYSROOT = path.join(ROOT, "guests", "sysroot");
const BUSYBOX = path.join(ROOT, "guests", "shells", "busybox");
const ENV = { PATH: "/usr/bin:/bin", LANG: "C.UTF-8", TZ: "UTC" };

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Outcome {
  const r = spawnSync(cmd, args, { cwd: ROOT, env, input: "", encoding: "latin1", timeout: 110_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function underRvtrace(applet: string[]): Outcome {
  const envArgs = Object.entries(ENV).flatMap(([k, v]) => ["--env", `${k}=${v}`]);
  return run(process.execPath, [CLI, "run", "--clear-env", ...envArgs, "--sysroot", SYSROOT, BUSYBOX, ...applet], { PATH: process.env.PATH });
}

function underQemu(applet: string[]): Outcome {
  return run("qemu-riscv64", ["-L", SYSROOT, BUSYBOX, ...applet], ENV);
}

const lines = (text: string) => text.split("\n").filter((l) => l !== "");

/** Both runs succeed, say nothing on stderr and print the same header; rvtrace's rows follow. */
function compare(applet: string[]): string[] {
  expect(existsSync(BUSYBOX), "run sh tools/fetch-shells.sh").toBe(true);
  expect(existsSync(path.join(SYSROOT, "lib")), "run sh tools/fetch-sysroot.sh").toBe(true);
  const qemu = underQemu(applet);
  const ours = underRvtrace(applet);
  expect({ status: ours.status, stderr: ours.stderr }).toEqual({ status: 0, stderr: "" });
  expect({ status: qemu.status, stderr: qemu.stderr }).toEqual({ status: 0, stderr: "" });
  expect(lines(ours.stdout)[0]).toBe(lines(qemu.stdout)[0]);
  return lines(ours.stdout).slice(1);
}

describe("busybox's machine-wide applets show the sandbox where qemu shows the host", () => {
  it("ps: the header, and the guest's own process running ps", () => {
    const rows = compare(["ps"]);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    // PID, USER (from the sysroot's /etc/passwd), the command line from /proc/PID/cmdline.
    expect(rows.some((r) => /^\s*\d+ \S+\s+.*busybox ps$/.test(r)), rows.join("\n")).toBe(true);
  });

  it("free: the header, and a Mem: row whose used and free fit in total", () => {
    const rows = compare(["free"]);
    const mem = rows.find((r) => r.startsWith("Mem:"));
    expect(mem, rows.join("\n")).toBeDefined();
    const [total, used, free] = mem!.split(/\s+/).slice(1).map(Number);
    expect(total).toBeGreaterThan(0);
    expect(used + free).toBeLessThanOrEqual(total);
  });

  it("df: the header, and a row for the guest's /", () => {
    const rows = compare(["df"]);
    expect(rows.some((r) => /\s\d+%\s+\/$/.test(r)), rows.join("\n")).toBe(true);
  });

  it("mktemp and mktemp -d: a fresh name in /tmp", () => {
    for (const applet of [["mktemp"], ["mktemp", "-d"]]) {
      const qemu = underQemu(applet);
      rmSync(qemu.stdout.trim(), { recursive: true, force: true }); // qemu made it in the host's /tmp
      const ours = underRvtrace(applet);
      expect({ ...qemu, stdout: qemu.stdout.replace(/tmp\.\w{6}/, "tmp.XXXXXX") }).toEqual({ status: 0, stderr: "", stdout: "/tmp/tmp.XXXXXX\n" });
      expect({ ...ours, stdout: ours.stdout.replace(/tmp\.\w{6}/, "tmp.XXXXXX") }).toEqual({ status: 0, stderr: "", stdout: "/tmp/tmp.XXXXXX\n" });
    }
  });
});
