// The rvtrace command line: exit statuses, one-line errors, and every `run` option.
import { describe, it, expect, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, symlinkSync, mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuilt } from "../build.js";

const root = path.resolve(__dirname, "../..");
const guests = path.join(root, "guests");
const cli = path.join(root, "bin", "rvtrace.js");

function rvtrace(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: opts.cwd ?? guests,
    input: opts.input ?? "",
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** rvtrace's own error: exactly one line, starting "rvtrace: ", no stack trace. */
function expectOneLine(stderr: string, pattern: RegExp) {
  expect(stderr).toMatch(/^rvtrace: [^\n]*\n$/);
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/\bat .*\.js:\d+/);
}

beforeAll(ensureBuilt, 120_000);

describe("exit status", () => {
  it("passes the guest's exit status through and prints nothing of its own", () => {
    const r = rvtrace(["run", "bin/exit-exit3"]);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe(readFileSync(path.join(guests, "expected", "exit-exit3.stderr"), "utf8"));
    expect(rvtrace(["run", "bin/hello"]).stderr).toBe("");
  });
  it("is 128+N when signal N killed the guest", () => {
    expect(rvtrace(["run", "bin/exit-segv"]).status).toBe(139);
    expect(rvtrace(["run", "bin/exit-abort"]).status).toBe(134);
  });
});

describe("bad options and programs", () => {
  it("no command: one line, status 2", () => {
    const r = rvtrace([]);
    expect(r.status).toBe(2);
    expectOneLine(r.stderr, /command|usage|missing/i);
  });
  it("an unknown option: one line naming it, status 2", () => {
    const r = rvtrace(["run", "--bogus", "bin/hello"]);
    expect(r.status).toBe(2);
    expectOneLine(r.stderr, /--bogus/);
  });
  it("an unknown command: one line, status 2", () => {
    const r = rvtrace(["frobnicate"]);
    expect(r.status).toBe(2);
    expectOneLine(r.stderr, /frobnicate/);
  });
  it("run without a program: one line, status 2", () => {
    const r = rvtrace(["run"]);
    expect(r.status).toBe(2);
    expectOneLine(r.stderr, /program/);
  });
  it.each([
    [["--env", "NOEQUALS"], /--env/],
    [["--mount", "onlyhost"], /--mount/],
    [["--mount", "/tmp:relative"], /absolute/],
    [["--mount", "/tmp:/x:rw"], /--mount/],
    [["--mount", "/nonexistent-rvtrace:/x"], /^rvtrace: --mount: \/nonexistent-rvtrace: no such file or directory\n/],
    [["--max-insns", "-5"], /--max-insns/],
    [["--max-insns", "lots"], /--max-insns/],
  ])("bad option value %j: one line, status 2", (opt, pattern) => {
    const r = rvtrace(["run", ...opt, "bin/hello"]);
    expect(r.status).toBe(2);
    expectOneLine(r.stderr, pattern);
  });
  it("a program that does not exist: one line naming it, status 127", () => {
    const r = rvtrace(["run", "bin/no-such-program"]);
    expect(r.status).toBe(127);
    expectOneLine(r.stderr, /bin\/no-such-program: No such file or directory/);
  });
  it.each([["/dev/zero"], ["a FIFO"], ["a directory"]])("%s as the program: refused as Linux does (EACCES), status 126, at once", (what) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-cli-"));
    try {
      let program = "/dev/zero";
      if (what === "a FIFO") {
        program = path.join(dir, "fifo");
        expect(spawnSync("mkfifo", [program]).status).toBe(0);
      } else if (what === "a directory") program = dir;
      const r = rvtrace(["run", program]);
      expect(r.status).toBe(126);
      expectOneLine(r.stderr, new RegExp(`${program}: Permission denied`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("a file that is not ELF: one line naming it and the problem, status 126", () => {
    const r = rvtrace(["run", "data/poem.txt"]);
    expect(r.status).toBe(126);
    expectOneLine(r.stderr, /data\/poem\.txt: not an ELF file/);
  });
  it("a truncated ELF: one line, status 126", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-cli-"));
    const bytes = readFileSync(path.join(guests, "bin", "hello"));
    writeFileSync(path.join(dir, "cut"), bytes.subarray(0, 100));
    const r = rvtrace(["run", path.join(dir, "cut")]);
    expect(r.status).toBe(126);
    expectOneLine(r.stderr, /cut: /);
    rmSync(dir, { recursive: true });
  });
  it("a directory: one line, status 126", () => {
    const r = rvtrace(["run", "data"]);
    expect(r.status).toBe(126);
    expectOneLine(r.stderr, /data: /);
  });
});

describe("options", () => {
  it("--clear-env and --env give the guest exactly those variables, in order", () => {
    const r = rvtrace(["run", "--clear-env", "--env", "B=2", "--env", "A=1", "bin/env", "all"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("environ[0] = B=2\nenviron[1] = A=1\n");
    expect(r.stdout).not.toContain("PATH=");
  });
  it("without --clear-env the guest inherits rvtrace's environment", () => {
    const r = spawnSync(process.execPath, [cli, "run", "--env", "EXTRA=yes", "bin/env", "all"], {
      cwd: guests, encoding: "utf8", env: { ...process.env, RVTRACE_TEST_MARKER: "here" },
    });
    expect(r.stdout).toContain("RVTRACE_TEST_MARKER=here");
    expect(r.stdout).toContain("EXTRA=yes");
  });
  it("--max-insns kills the guest with SIGXCPU", () => {
    const r = rvtrace(["run", "--max-insns", "100000", "bin/bench-sieve"]);
    expect(r.status).toBe(128 + 24);
  });
  it("--max-insns large enough lets the guest finish", () => {
    expect(rvtrace(["run", "--max-insns", "10000000", "bin/hello"]).status).toBe(0);
  });
  it("--verbose lists unimplemented syscalls the guest met", () => {
    const r = rvtrace(["run", "--verbose", "bin/asm-syscalls"]);
    expect(r.status).toBe(42);
    expect(r.stderr).toMatch(/\nrvtrace: unimplemented syscalls met: [^\n]*\(\d+\)[^\n]*\n$/);
  });
  it("--stats prints the instruction count", () => {
    const r = rvtrace(["run", "--stats", "bin/hello"]);
    expect(r.stderr).toMatch(/^rvtrace: \d+ instructions in [\d.]+ s/);
  });
  it("options after the program belong to the guest", () => {
    const r = rvtrace(["run", "bin/argv", "--env", "x", "-v"]);
    expect(r.stdout).toContain("--env");
    expect(r.stdout).toContain("-v");
  });
  it("stdin reaches the guest", () => {
    const r = rvtrace(["run", "bin/stdin-raw"], { input: "abc\n" });
    expect(r.stdout).toBe("ABC\n");
  });
});

describe("the sandbox", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-sandbox-"));
    mkdirSync(path.join(dir, "work"));
    mkdirSync(path.join(dir, "shared"));
    writeFileSync(path.join(dir, "secret.txt"), "SECRET\n");
    writeFileSync(path.join(dir, "shared", "note.txt"), "shared note\n");
    writeFileSync(path.join(dir, "work", "own.txt"), "own file\n");
    symlinkSync("/etc/os-release", path.join(dir, "work", "abs-link"));
    symlinkSync("../secret.txt", path.join(dir, "work", "rel-link"));
    symlinkSync("loop-b", path.join(dir, "work", "loop-a"));
    symlinkSync("loop-a", path.join(dir, "work", "loop-b"));
  });
  const cat = (files: string[], extra: string[] = []) =>
    rvtrace(["run", ...extra, path.join(guests, "bin", "cat"), ...files], { cwd: path.join(dir, "work") });

  it("shows the working directory", () => {
    const r = cat(["own.txt"]);
    expect(r.stdout).toBe("own file\n");
    expect(r.status).toBe(0);
  });
  it.each([
    ["../secret.txt"],
    ["../../../../../../etc/os-release"],
    ["/etc/os-release"],
    ["abs-link"],
    ["rel-link"],
  ])("does not reach %s", (p) => {
    const r = cat([p]);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`cat: ${p}: No such file or directory\n`);
    expect(r.status).toBe(1);
  });
  it("/etc/passwd is the sandbox's own: root, the guest's user and nobody, nothing of the host's", () => {
    const r = cat(["/etc/passwd"], ["--deterministic"]);
    expect(r.stdout).toBe("root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    expect(r.status).toBe(0);
  });
  it("a symlink loop is ELOOP", () => {
    expect(cat(["loop-a"]).stderr).toBe("cat: loop-a: Too many levels of symbolic links\n");
  });
  it("--mount shows a host directory at a guest path", () => {
    const r = cat(["/mnt/shared/note.txt"], ["--mount", `${path.join(dir, "shared")}:/mnt/shared`]);
    expect(r.stdout).toBe("shared note\n");
  });
  const writeFile = (file: string, extra: string[] = []) =>
    rvtrace(["run", ...extra, path.join(guests, "bin", "write-file"), file, "text"], { cwd: path.join(dir, "work") });
  it("a read-only mount refuses writes with EROFS", () => {
    const r = writeFile("/ro/x", ["--mount", `${path.join(dir, "shared")}:/ro:ro`]);
    expect(r.stderr).toBe("write-file: /ro/x: Read-only file system\n");
    expect(r.status).toBe(1);
  });
  it("a writable mount and the working directory take writes", () => {
    expect(writeFile("/rw/x", ["--mount", `${path.join(dir, "shared")}:/rw`]).status).toBe(0);
    expect(readFileSync(path.join(dir, "shared", "x"), "utf8")).toBe("text\n");
    expect(writeFile("made.txt").status).toBe(0);
    expect(readFileSync(path.join(dir, "work", "made.txt"), "utf8")).toBe("text\n");
  });
  it.each([["../escape.txt"], ["/escape.txt"], ["rel-link"]])("cannot create %s outside its mounts", (p) => {
    const r = writeFile(p);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^write-file: .*: (No such file or directory|Permission denied|Read-only file system)\n$/);
    expect(() => readFileSync(path.join(dir, "escape.txt"))).toThrow();
  });
  it("writes to /tmp go to the run's private in-memory /tmp, never to the host's", () => {
    const name = `/tmp/rvtrace-escape-${process.pid}.txt`;
    const r = writeFile(name);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(() => readFileSync(name)).toThrow();
  });
  it("the program file and /proc/self/exe are visible", () => {
    const r = cat(["/proc/self/exe"]);
    expect(r.status).toBe(0);
    expect(r.stdout.slice(1, 4)).toBe("ELF");
  });
});
