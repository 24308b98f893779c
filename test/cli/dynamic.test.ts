// Dynamically linked programs under `rvtrace run --sysroot` and `rvtrace trace`: the dynamic loader
// named by PT_INTERP comes from the sysroot (Debian's riscv64 cross libc, /usr/riscv64-linux-gnu,
// which the guest suite's dyn-* cases also use), its own syscalls show in the trace as it opens and
// maps the libraries, and a missing or unusable loader is one line and a shell's status at the
// first program, and the errno Linux gives at an execve.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuilt } from "../build.js";

const root = path.resolve(__dirname, "../..");
const guests = path.join(root, "guests");
const cli = path.join(root, "bin", "rvtrace.js");
const SYSROOT = "/usr/riscv64-linux-gnu";
const LOADER = "/lib/ld-linux-riscv64-lp64d.so.1";

function rvtrace(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: guests, input: "", encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const scratch = mkdtempSync(path.join(os.tmpdir(), "rvtrace-dyn-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(ensureBuilt, 120_000);

/** A sysroot whose loader path holds `file` (the bytes to write, or a file to copy), executable. */
function sysrootWith(name: string, file: { text: string } | { copy: string } | null): string {
  const dir = path.join(scratch, name);
  mkdirSync(path.join(dir, "lib"), { recursive: true });
  if (file) {
    const at = path.join(dir, LOADER);
    if ("text" in file) writeFileSync(at, file.text);
    else copyFileSync(file.copy, at);
    chmodSync(at, 0o755);
  }
  return dir;
}

describe("the dynamic loader's syscalls under rvtrace trace", () => {
  it("opens libc from the sysroot, maps it from its descriptor, and dlopen does the same for libm", () => {
    const log = path.join(scratch, "dyn-hello.trace");
    const r = rvtrace(["trace", "-o", log, "--sysroot", SYSROOT, "bin/dyn-hello"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("cos(0.5) = 0.877582562");
    const lines = readFileSync(log, "utf8").split("\n");
    expect(lines[0]).toMatch(/^execve\("bin\/dyn-hello", \["bin\/dyn-hello"\], .*\) = 0$/);
    // The loader runs first: nothing of the program's own output comes before it loaded libc.
    const libc = lines.findIndex((l) => /^openat\(AT_FDCWD, "\/lib\/libc\.so\.6", O_RDONLY\|O_CLOEXEC\) = \d+$/.test(l));
    expect(libc).toBeGreaterThan(0);
    const fd = /= (\d+)$/.exec(lines[libc])![1];
    const mappedFrom = (at: number) => {
      const fd = /= (\d+)$/.exec(lines[at])![1];
      return lines.slice(at).find((l) => l.startsWith("mmap(NULL, ") && l.includes(`, ${fd}, 0) = 0x`));
    };
    expect(mappedFrom(libc)).toMatch(/PROT_READ\|PROT_EXEC, MAP_PRIVATE\|MAP_DENYWRITE, \d+, 0\) = 0x[0-9a-f]+$/);
    // dlopen("libm.so.6") at run time: the same search, ending at the sysroot's /lib, the same mapping.
    const libm = lines.findIndex((l) => /^openat\(AT_FDCWD, "\/lib\/libm\.so\.6", O_RDONLY\|O_CLOEXEC\) = \d+$/.test(l));
    expect(libm).toBeGreaterThan(libc);
    expect(mappedFrom(libm)).toMatch(/PROT_READ\|PROT_EXEC, MAP_PRIVATE\|MAP_DENYWRITE, \d+, 0\) = 0x[0-9a-f]+$/);
    expect(lines.some((l) => /^openat\(AT_FDCWD, ".*libno-such-library\.so\.1", .*\) = -1 ENOENT/.test(l))).toBe(true);
  });
});

describe("a missing or unusable dynamic loader", () => {
  it("first program, no loader in the sysroot: one line naming it, status 127 (as a shell's)", () => {
    const r = rvtrace(["run", "-L", sysrootWith("empty", null), "bin/dyn-hello"]);
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      status: 127,
      stdout: "",
      stderr: `rvtrace: bin/dyn-hello: interpreter ${LOADER}: No such file or directory\n`,
    });
  });

  it("first program, a loader that is not an ELF file: one line, status 126", () => {
    const r = rvtrace(["run", "--sysroot", sysrootWith("text", { text: "not a loader\n" }), "bin/dyn-hello"]);
    expect(r.status).toBe(126);
    expect(r.stderr).toBe(`rvtrace: bin/dyn-hello: interpreter ${LOADER}: bad interpreter (not an ELF file)\n`);
  });

  it("first program, a loader that names a loader itself: one line, status 126", () => {
    const r = rvtrace(["run", "--sysroot", sysrootWith("nested", { copy: path.join(guests, "bin", "dyn-hello") }), "bin/dyn-hello"]);
    expect(r.status).toBe(126);
    expect(r.stderr).toBe(`rvtrace: bin/dyn-hello: interpreter ${LOADER}: bad interpreter (it names an interpreter itself: ${LOADER})\n`);
  });

  it("execve: ENOENT for a missing loader, ELIBBAD for one that is not an ELF file", () => {
    const missing = rvtrace(["run", "-L", sysrootWith("empty-exec", null), "bin/exec-report", "bin/dyn-hello"]);
    expect(missing.stdout).toBe("execv bin/dyn-hello: errno 2 (No such file or directory)\n");
    expect(missing.status).toBe(1);
    const bad = rvtrace(["run", "-L", sysrootWith("text-exec", { text: "not a loader\n" }), "bin/exec-report", "bin/dyn-hello"]);
    expect(bad.stdout).toBe("execv bin/dyn-hello: errno 80 (Accessing a corrupted shared library)\n");
  });

  it("execve of a dynamic program from a static one runs it through the sysroot's loader", () => {
    const r = rvtrace(["run", "--sysroot", SYSROOT, "bin/exec-report", "bin/dyn-hello", "from exec"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^argv\[0\] = bin\/dyn-hello\nargv\[1\] = from exec\nAT_BASE is set: yes\nAT_ENTRY is _start: yes\n/);
  });
});

describe("--sysroot and the program's path", () => {
  it("an absolute program path is the sysroot's before the host's", () => {
    // /bin/true exists on the host (an x86-64 program); the guest's / is the sysroot, which has ours.
    const dir = path.join(scratch, "shadow");
    mkdirSync(path.join(dir, "bin"), { recursive: true });
    copyFileSync(path.join(guests, "bin", "hello"), path.join(dir, "bin", "true"));
    chmodSync(path.join(dir, "bin", "true"), 0o755);
    const r = rvtrace(["run", "-L", dir, "/bin/true"]);
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: readFileSync(path.join(guests, "expected", "hello.stdout"), "utf8"), stderr: "" });
  });
});
