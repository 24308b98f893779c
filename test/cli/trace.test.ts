// `rvtrace trace`: the strace-style self-checking guests (guests/src/st-*.c print the exact trace
// lines they expect; the trace must end with them), exit statuses, output places, the summary,
// --json, the run options, and one-line refusals of what rvtrace does not do.
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuilt } from "../build.js";
import { SELF_CHECKS } from "./self-checks.js";

const root = path.resolve(__dirname, "../..");
const guests = path.join(root, "guests");
const cli = path.join(root, "bin", "rvtrace.js");
const bin = (name: string) => path.join(guests, "bin", name);

function rvtrace(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: opts.cwd ?? guests,
    input: opts.input ?? "",
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function scratch(): string {
  return mkdtempSync(path.join(os.tmpdir(), "rvtrace-trace-"));
}

beforeAll(ensureBuilt, 120_000);

describe("strace-style self-checking guests", () => {
  it.each(SELF_CHECKS)("%s: the trace ends with the lines the guest expects", (name, set, status, extra) => {
    const dir = scratch();
    try {
      const log = path.join(dir, "trace.log");
      const r = rvtrace(["trace", ...extra, "-e", `trace=${set}`, "-o", log, bin(name)], { cwd: dir });
      expect(r.status, r.stderr).toBe(status);
      const expected = r.stdout;
      const trace = readFileSync(log, "utf8");
      expect(expected.length).toBeGreaterThan(0);
      // Everything before the guest's first expected line is the C library's start-up.
      const lines = trace.split("\n");
      const want = expected.split("\n");
      expect(lines.slice(lines.length - want.length).join("\n")).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the same lines on stderr, after the guest's own output", () => {
    const dir = scratch();
    try {
      const r = rvtrace(["trace", "-a0", "-e", "trace=mmap,mprotect,madvise,mremap,munmap,brk", bin("st-mem")], { cwd: dir });
      expect(r.status).toBe(0);
      expect(r.stderr.endsWith(r.stdout)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("output and status", () => {
  it("keeps the guest's stdout clean and writes the trace to stderr", () => {
    const r = rvtrace(["trace", "bin/hello"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("Hello, world!\n");
    expect(r.stderr).toMatch(/^execve\("bin\/hello", \["bin\/hello"\], 0x[0-9a-f]+ \/\* \d+ vars \*\/\) = 0\n/);
    expect(r.stderr).toContain('write(1, "Hello, world!\\n", 14)         = 14\n');
    expect(r.stderr).toMatch(/exit_group\(0\) +?= \?\n\+\+\+ exited with 0 \+\+\+\n$/);
  });

  it("exits with the guest's status, 128+N for a signal, and says how the guest died", () => {
    let r = rvtrace(["trace", "-e", "trace=none", "bin/exit-exit3"]);
    expect(r.status).toBe(3);
    expect(r.stderr.endsWith("+++ exited with 3 +++\n")).toBe(true);
    r = rvtrace(["trace", "-e", "trace=none", "bin/exit-abort"]);
    expect(r.status).toBe(134);
    expect(r.stderr).toMatch(/--- SIGABRT \{si_signo=SIGABRT, si_code=SI_TKILL, si_pid=1000, si_uid=\d+\} ---\n\+\+\+ killed by SIGABRT \(core dumped\) \+\+\+\n$/);
    r = rvtrace(["trace", "-e", "trace=none", "bin/exit-segv"]);
    expect(r.status).toBe(139);
    expect(r.stderr).toMatch(/--- SIGSEGV \{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10\} ---\n\+\+\+ killed by SIGSEGV \(core dumped\) \+\+\+\n$/);
  });

  it("-o FILE (and -A appends); -f -o puts the pid in a column; -ff -o writes FILE.pid", () => {
    const dir = scratch();
    try {
      const f = path.join(dir, "t");
      expect(rvtrace(["trace", "-o", f, "-e", "trace=getpid", "bin/utc-getpid"]).stderr).toBe("");
      expect(readFileSync(f, "utf8")).toBe("getpid()                                = 1000\n+++ exited with 232 +++\n");
      rvtrace(["trace", "-A", "-o", f, "-e", "trace=getpid", "bin/utc-getpid"]);
      expect(readFileSync(f, "utf8").split("getpid()").length).toBe(3);
      rvtrace(["trace", "-f", "-o", f, "-a0", "-e", "trace=getpid", "bin/utc-getpid"]);
      expect(readFileSync(f, "utf8")).toBe("1000  getpid() = 1000\n1000  +++ exited with 232 +++\n");
      rvtrace(["trace", "-ff", "-o", f, "-a0", "-e", "trace=getpid", "bin/utc-getpid"]);
      expect(readFileSync(`${f}.1000`, "utf8")).toBe("getpid() = 1000\n+++ exited with 232 +++\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("-o in a directory that does not exist: one line, status 2", () => {
    const r = rvtrace(["trace", "-o", "/nonexistent/dir/t", "bin/hello"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("rvtrace: Can't fopen '/nonexistent/dir/t': No such file or directory\n");
  });

  it("-c prints the summary table only; -C the trace and the table", () => {
    let r = rvtrace(["trace", "-c", "bin/hello"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("Hello, world!\n");
    const lines = r.stderr.split("\n");
    expect(lines[0]).toBe("% time     seconds  usecs/call     calls    errors syscall");
    expect(lines[1]).toBe("------ ----------- ----------- --------- --------- ----------------");
    expect(r.stderr).toMatch(/\n *\d+\.\d\d +\d+\.\d{6} +\d+ +1 +write\n/);
    expect(r.stderr).toMatch(/\n------ -+ -+ -+ -+ -+\n100\.00 +\d+\.\d{6} +\d+ +\d+ +\d* total\n$/);
    expect(r.stderr).not.toContain("exit_group");
    r = rvtrace(["trace", "-C", "-e", "trace=write", "bin/hello"]);
    expect(r.stderr).toMatch(/^write\(1, "Hello, world!\\n", 14\) += 14\n\+\+\+ exited with 0 \+\+\+\n% time/);
  });

  it("-T, -tt, -r stamp the lines", () => {
    const r = rvtrace(["trace", "-T", "-tt", "-a0", "-e", "trace=getpid", "bin/utc-getpid"]);
    expect(r.stderr).toMatch(/^\d\d:\d\d:\d\d\.\d{6} getpid\(\) = 1000 <\d+\.\d{6}>\n\d\d:\d\d:\d\d\.\d{6} \+\+\+ exited with 232 \+\+\+\n$/);
    const rel = rvtrace(["trace", "-r", "-a0", "-e", "trace=getpid", "bin/utc-getpid"]);
    expect(rel.stderr).toMatch(/^ {5}0\.000000 getpid\(\) = 1000\n +\d+\.\d{6} \+\+\+ exited with 232 \+\+\+\n$/);
  });

  it("-y shows the paths of descriptors and of the working directory", () => {
    const r = rvtrace(["trace", "-y", "-a0", "-e", "trace=openat,close", "bin/readdata", "data/poem.txt"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`openat(AT_FDCWD<${guests}>, "data/poem.txt", O_RDONLY) = 3<${guests}/data/poem.txt>\n`);
    expect(r.stderr).toContain(`close(3<${guests}/data/poem.txt>) = 0\n`);
  });

  it("--json writes one object per event", () => {
    const r = rvtrace(["trace", "--json", "-e", "trace=write,exit_group", "bin/hello"]);
    expect(r.stdout).toBe("Hello, world!\n");
    const events = r.stderr.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e.type)).toEqual(["syscall", "syscall", "exit"]);
    expect(events[0]).toMatchObject({ name: "write", nr: 64, pid: 1000, tid: 1000, ret: "14", retval: "14" });
    expect(events[0].args).toEqual(["1", '"Hello, world!\\n"', "14"]);
    expect(events[1]).toMatchObject({ name: "exit_group", unfinished: true });
    expect(events[2]).toMatchObject({ type: "exit", status: 0, exitCode: 0 });
  });
});

describe("run options work under trace too", () => {
  it("--clear-env, --env and -E", () => {
    const r = rvtrace(["trace", "-e", "trace=none", "--clear-env", "--env", "A=1", "-E", "B=two", "-E", "A", "bin/env", "all"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("environ[0] = B=two\n1 variables\n");
    expect(r.stdout).not.toContain("A=1");
  });

  it("--mount shows a host directory; --max-insns kills with SIGXCPU", () => {
    const dir = scratch();
    try {
      writeFileSync(path.join(dir, "in.txt"), "mounted\n");
      const r = rvtrace(["trace", "-e", "trace=openat", "-a0", "--mount", `${dir}:/data:ro`, "bin/readdata", "/data/in.txt"]);
      expect(r.stdout).toContain("/data/in.txt: 8 bytes");
      expect(r.stderr).toContain('openat(AT_FDCWD, "/data/in.txt", O_RDONLY) = 3\n');
      const k = rvtrace(["trace", "-e", "trace=none", "--max-insns", "1000", "bin/hello"]);
      expect(k.status).toBe(128 + 24);
      expect(k.stderr).toBe("rvtrace: instruction limit (1000) reached: guest killed with SIGXCPU\n+++ killed by SIGXCPU (core dumped) +++\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a missing program: status 127; not an ELF: 126", () => {
    expect(rvtrace(["trace", "bin/no-such-program"]).status).toBe(127);
    expect(rvtrace(["trace", "cases.json"]).status).toBe(126);
  });
});

describe("one-line refusals, status 2", () => {
  it.each([
    [["-k"], "rvtrace: -k is not supported\n"],
    [["-p", "1"], "rvtrace: -p is not supported\n"],
    [["--seccomp-bpf"], "rvtrace: --seccomp-bpf is not supported\n"],
    [["-e", "trace-fds=3"], "rvtrace: -e trace-fds is not supported\n"],
    [["-P", "/etc/passwd"], "rvtrace: -P is not supported\n"],
    [["--kill-on-exit"], "rvtrace: --kill-on-exit is not supported\n"],
    [["-yy"], "rvtrace: -yy is not supported (rvtrace decodes paths only)\n"],
    [["-e", "trace=nosuchcall"], "rvtrace: invalid system call 'nosuchcall'\n"],
    [["-Q"], "rvtrace: invalid option -- 'Q'\n"],
    [["--verbose=all"], "rvtrace: --verbose=SET is not supported (rvtrace's --verbose lists unimplemented syscalls)\n"],
    [["--mount", "onlyhost"], "rvtrace: --mount expects HOST:GUEST or HOST:GUEST:ro, got 'onlyhost'\n"],
  ])("%j", (opts, message) => {
    const r = rvtrace(["trace", ...opts, "bin/hello"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(message);
    expect(r.stdout).toBe("");
  });

  it("no program", () => {
    const r = rvtrace(["trace", "-f"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("rvtrace: must have PROG [ARGS]\n");
  });

  it("-h prints the options", () => {
    const r = rvtrace(["trace", "-h"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: rvtrace trace/);
    expect(r.stdout).toContain("--max-insns=N");
  });

  it("every guest binary the tests use is built", () => {
    for (const [name] of SELF_CHECKS) expect(existsSync(bin(name)), name).toBe(true);
  });
});
