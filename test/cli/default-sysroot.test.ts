// The sysroot a run gets when no --sysroot/-L is given: QEMU_LD_PREFIX from rvtrace's environment
// counts as -L, as it does for qemu-riscv64 (the option wins; an empty value or one naming no
// directory is ignored, as qemu ignores it); otherwise a dynamic program whose loader is in Debian's
// cross sysroot (/usr/riscv64-linux-gnu, libc6-riscv64-cross, which .ci/run installs) runs with that
// as the guest's /, and --verbose says so. A static program is left without a sysroot.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { ensureBuilt } from "../build.js";
import { DEBIAN_CROSS_SYSROOT, withDefaultSysroot } from "../../src/cli/sandbox-options.js";
import { Kernel, SpawnError } from "../../src/kernel/kernel.js";

const root = path.resolve(__dirname, "../..");
const guests = path.join(root, "guests");
const cli = path.join(root, "bin", "rvtrace.js");
const LOADER = "/lib/ld-linux-riscv64-lp64d.so.1";
const AUTO_NOTE =
  `rvtrace: dynamic program and no --sysroot: ${DEBIAN_CROSS_SYSROOT} is the guest's / (as with --sysroot ${DEBIAN_CROSS_SYSROOT}); ` +
  `the loader ${LOADER} and the libraries come from there\n`;

/** rvtrace's environment without QEMU_LD_PREFIX. */
function withoutPrefix(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.QEMU_LD_PREFIX;
  return env;
}

/** rvtrace with an environment that has no QEMU_LD_PREFIX but the one given. */
function rvtrace(args: string[], prefix?: string) {
  const env = withoutPrefix();
  if (prefix !== undefined) env.QEMU_LD_PREFIX = prefix;
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: guests, env, input: "", encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const scratch = mkdtempSync(path.join(os.tmpdir(), "rvtrace-default-sysroot-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(ensureBuilt, 120_000);

/** A sysroot holding our static hello as /bin/true (the host's /bin/true is an x86-64 program). */
function sysrootWithTrue(): string {
  const dir = path.join(scratch, "with-true");
  mkdirSync(path.join(dir, "bin"), { recursive: true });
  copyFileSync(path.join(guests, "bin", "hello"), path.join(dir, "bin", "true"));
  chmodSync(path.join(dir, "bin", "true"), 0o755);
  return dir;
}

describe("a dynamic program with no --sysroot", () => {
  it("runs through Debian's cross sysroot: the same output as with --sysroot naming it", () => {
    const given = rvtrace(["run", "--sysroot", DEBIAN_CROSS_SYSROOT, "bin/dyn-hello", "a", "b"]);
    expect(given.status).toBe(0);
    expect(given.stdout).toContain("cos(0.5) = 0.877582562");
    expect(rvtrace(["run", "bin/dyn-hello", "a", "b"])).toEqual(given);
  });

  it("a plain `riscv64-linux-gnu-gcc hello.c -o hello` runs with no option", () => {
    const dir = path.join(scratch, "plain");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "hello.c"), '#include <stdio.h>\nint main(int argc, char **argv) { printf("hello from %s, %d args\\n", argv[0], argc); return 7; }\n');
    const cc = spawnSync("riscv64-linux-gnu-gcc", ["hello.c", "-o", "hello"], { cwd: dir, encoding: "utf8" });
    expect(cc.status, cc.stderr).toBe(0);
    const r = spawnSync(process.execPath, [cli, "run", "./hello", "x"], { cwd: dir, input: "", encoding: "utf8", env: withoutPrefix() });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 7, stdout: "hello from ./hello, 2 args\n", stderr: "" });
  });

  it("--verbose says where the loader and libraries came from (run and trace)", () => {
    const r = rvtrace(["run", "--verbose", "bin/dyn-hello"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(AUTO_NOTE);
    const t = rvtrace(["trace", "--verbose", "-e", "trace=none", "bin/dyn-hello"]);
    expect(t.stderr).toBe(`+++ exited with 0 +++\n${AUTO_NOTE}`);
  });

  it("a static program gets no sysroot: the loader's path is not in its file system", () => {
    const r = rvtrace(["run", "--verbose", "bin/cat", LOADER]);
    expect(r.stderr).toBe(`cat: ${LOADER}: No such file or directory\n`);
    expect(r.status).toBe(1);
  });
});

describe("QEMU_LD_PREFIX", () => {
  it("is -L for every program, static ones too, as for qemu-riscv64", () => {
    const r = rvtrace(["run", "--verbose", "/bin/true"], sysrootWithTrue());
    expect(r.stdout).toBe("Hello, world!\n");
    expect(r.stderr).toBe(`rvtrace: QEMU_LD_PREFIX: ${sysrootWithTrue()} is the guest's / (as with --sysroot ${sysrootWithTrue()})\n`);
  });

  it("loses to -L given on the command line", () => {
    const r = rvtrace(["run", "-L", DEBIAN_CROSS_SYSROOT, "bin/dyn-hello"], sysrootWithTrue());
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("cos(0.5) = 0.877582562");
    expect(rvtrace(["run", "-L", sysrootWithTrue(), "/bin/true"], DEBIAN_CROSS_SYSROOT).stdout).toBe("Hello, world!\n");
  });

  it("naming no directory is ignored, and the dynamic program still finds Debian's sysroot", () => {
    const missing = path.join(scratch, "no-such-dir");
    const r = rvtrace(["run", "--verbose", "bin/dyn-hello"], missing);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`rvtrace: QEMU_LD_PREFIX=${missing} ignored: not a directory (as qemu-riscv64 ignores it)\n${AUTO_NOTE}`);
  });

  it("empty is no prefix at all", () => {
    expect(withDefaultSysroot({}, { QEMU_LD_PREFIX: "" })).toEqual({ fallbackSysroot: DEBIAN_CROSS_SYSROOT });
  });
});

describe("KernelOptions.fallbackSysroot", () => {
  const quiet = () => new Writable({ write: (_c, _e, cb) => cb() });

  it("a fallback without the program's loader is not used: the usual missing-loader error", () => {
    const empty = path.join(scratch, "empty");
    mkdirSync(empty, { recursive: true });
    const kernel = new Kernel({ cwd: guests, fallbackSysroot: empty });
    expect(() => kernel.spawn("bin/dyn-hello", ["dyn-hello"], { env: {}, stdin: Readable.from([]), stdout: quiet(), stderr: quiet() }))
      .toThrow(new SpawnError(`bin/dyn-hello: interpreter ${LOADER}: No such file or directory`));
    expect(kernel.sysroot).toBeUndefined();
    expect(kernel.notes).toEqual([]);
  });

  it("a given sysroot wins over the fallback", async () => {
    const kernel = new Kernel({ cwd: guests, sysroot: DEBIAN_CROSS_SYSROOT, fallbackSysroot: path.join(scratch, "empty") });
    const p = kernel.spawn("bin/dyn-hello", ["dyn-hello"], { env: {}, stdin: Readable.from([]), stdout: quiet(), stderr: quiet() });
    expect((await p.wait()).exitCode).toBe(0);
    expect(kernel.sysroot).toBe(DEBIAN_CROSS_SYSROOT);
    expect(kernel.notes).toEqual([]);
  });
});
