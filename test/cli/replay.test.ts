// rvtrace record and rvtrace replay (docs/record-format.md): a replay, from the recording alone,
// with the host files gone and from another directory, gives the recorded run's stdout, stderr,
// exit status and strace output; one that goes another way stops with one line and status 125;
// a file that is not a recording is one line and status 2.
//
// The rr-* guests print what they get from outside (clocks, random bytes, files, stdin, host
// signals, an interleaving the host's timing decides), so their output differs on every run: a
// replay that reproduces it reproduces the recorded run, not merely the program.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { ensureBuilt } from "../build.js";

const root = path.resolve(__dirname, "../..");
const guests = path.join(root, "guests");
const cli = path.join(root, "bin", "rvtrace.js");
const DIVERGED = 125;

interface GuestCase {
  name: string;
  program: string;
  args: string[];
  stdin?: string;
  env?: Record<string, string>;
}
const cases = JSON.parse(readFileSync(path.join(guests, "cases.json"), "utf8")) as GuestCase[];

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function rvtrace(args: string[], opts: { cwd: string; input?: string; nodeArgs?: string[] }): Result {
  const r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), cli, ...args], { cwd: opts.cwd, input: opts.input ?? "", encoding: "latin1", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** rvtrace's own error: exactly one line, starting "rvtrace: ", no stack trace. */
function expectOneLine(stderr: string, pattern: RegExp) {
  expect(stderr).toMatch(/^rvtrace: [^\n]*\n$/);
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/\bat .*\.js:\d+/);
}

let scratch: string;
beforeAll(() => {
  ensureBuilt();
  scratch = mkdtempSync(path.join(os.tmpdir(), "rvtrace-replay-"));
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh directory in the scratch space. */
function dir(name: string): string {
  const d = path.join(scratch, name);
  mkdirSync(d, { recursive: true });
  return d;
}

/** A working directory for rr-inputs: its program, a file to read and a directory to list. */
function inputsDir(name: string): string {
  const d = dir(name);
  copyFileSync(path.join(guests, "bin", "rr-inputs"), path.join(d, "rr-inputs"));
  writeFileSync(path.join(d, "in.txt"), `first line of ${name}\nsecond\n`);
  mkdirSync(path.join(d, "list"));
  for (const f of ["one", "two", "three"]) writeFileSync(path.join(d, "list", f), f);
  return d;
}

/**
 * Records `args` under `rvtrace trace -f --record` in `cwd`, then (after `between`) replays it with
 * `rvtrace replay --trace -f` from an empty directory: both results and both traces.
 */
function recordThenReplay(name: string, args: string[], opts: { cwd: string; input?: string; between?: () => void; recordNodeArgs?: string[] }) {
  const out = dir(`${name}-out`);
  const rec = path.join(out, "run.rec");
  const recorded = rvtrace(["trace", "-f", "--record", rec, "-o", path.join(out, "recorded.trace"), ...args], { cwd: opts.cwd, input: opts.input, nodeArgs: opts.recordNodeArgs });
  opts.between?.();
  const elsewhere = dir(`${name}-elsewhere`);
  const replayed = rvtrace(["replay", "--trace", "-f", "-o", path.join(out, "replayed.trace"), rec], { cwd: elsewhere, input: "not the recorded input\n" });
  return {
    recorded,
    replayed,
    recordedTrace: readFileSync(path.join(out, "recorded.trace"), "latin1"),
    replayedTrace: existsSync(path.join(out, "replayed.trace")) ? readFileSync(path.join(out, "replayed.trace"), "latin1") : "",
    rec,
  };
}

function expectSameRun(r: ReturnType<typeof recordThenReplay>) {
  expect(r.replayed.stderr).toBe(r.recorded.stderr);
  expect(r.replayed.stdout).toBe(r.recorded.stdout);
  expect(r.replayed.status).toBe(r.recorded.status);
  expect(r.replayedTrace).toBe(r.recordedTrace);
}

describe("a replay is the recorded run", () => {
  it("clocks, random bytes, a host file read and mapped, a listing, stdin, a sleep and a written file, with the files gone", () => {
    const cwd = inputsDir("inputs");
    const input = "the recorded stdin\nmore\n";
    const r = recordThenReplay("inputs", ["./rr-inputs", "in.txt", "list", "out.txt"], {
      cwd, input, between: () => rmSync(cwd, { recursive: true }),
    });
    expect(r.recorded.stdout).toContain("read 28 bytes, first line: first line of inputs\n");
    expect(r.recorded.stdout).toContain("stdin: 24 bytes, first line: the recorded stdin\n");
    expect(r.recorded.stdout).toMatch(/mapped, last byte 0a, same as read: 1\n/);
    expect(r.recorded.stdout).toMatch(/listing list: (?=.* one)(?=.* two)(?=.* three)/);
    expect(r.recorded.stdout).toMatch(/read back: written at \d+\.\d+\n/);
    expectSameRun(r);
  });

  it("AF_UNIX sockets between guest processes run again in the replay, as pipes do (data, SCM_RIGHTS, fork)", () => {
    const cwd = dir("sockets");
    copyFileSync(path.join(guests, "bin", "unix-sockets"), path.join(cwd, "unix-sockets"));
    mkdirSync(path.join(cwd, "data"));
    copyFileSync(path.join(guests, "data", "poem.txt"), path.join(cwd, "data", "poem.txt"));
    const r = recordThenReplay("sockets", ["./unix-sockets"], { cwd });
    expect(r.recorded.status).toBe(0);
    expect(r.recorded.stdout).toContain("  read 21: from the child's pipe\n");
    expectSameRun(r);
  });

  it("is not the program's output in general: two recordings differ, each replay gives its own", () => {
    const a = inputsDir("twice-a");
    const b = inputsDir("twice-b");
    const ra = recordThenReplay("twice-a", ["./rr-inputs", "in.txt", "list", "/dev/null"], { cwd: a });
    const rb = recordThenReplay("twice-b", ["./rr-inputs", "in.txt", "list", "/dev/null"], { cwd: b });
    const randomLine = (s: string) => s.match(/^getrandom:.*$/m)?.[0];
    expect(randomLine(ra.recorded.stdout)).toBeDefined();
    expect(randomLine(ra.recorded.stdout)).not.toBe(randomLine(rb.recorded.stdout));
    expect(ra.replayed.stdout).toBe(ra.recorded.stdout);
    expect(rb.replayed.stdout).toBe(rb.recorded.stdout);
  });

  it("rvtrace record -o and rvtrace replay, without tracing", () => {
    const cwd = inputsDir("plain");
    const rec = path.join(dir("plain-out"), "run.rec");
    const recorded = rvtrace(["record", "-o", rec, "--clear-env", "--env", "A=1", "./rr-inputs", "in.txt", "list", "out.txt"], { cwd, input: "abc\n" });
    rmSync(cwd, { recursive: true });
    const replayed = rvtrace(["replay", rec], { cwd: dir("plain-elsewhere") });
    expect(recorded.stdout).toContain("stdin: 4 bytes, first line: abc\n");
    expect(replayed).toEqual(recorded);
  });

  it("processes and threads in the order the host's timing gave them", () => {
    const cwd = dir("procs");
    copyFileSync(path.join(guests, "bin", "rr-procs"), path.join(cwd, "rr-procs"));
    const r = recordThenReplay("procs", ["./rr-procs"], { cwd });
    expect(r.recorded.stdout.match(/^child \d: random/gm)).toHaveLength(4);
    expect(r.recorded.stdout).toMatch(/^threads:( t\d\.\d){6}$/m);
    expectSameRun(r);
  });

  // Node's timers may fire before their time (its event loop's clock is read once per turn); a
  // sleep woken early sleeps again, in a slice that runs no instruction. The replay answers sleeps
  // and has no such slices: had the recording counted them, every later wake-up would come a slice
  // late in the replay, at another point of the other thread's work (this test diverged every
  // time before the scheduler stopped counting them).
  it("a sleeper and a worker, recorded on a host whose timers fire early", () => {
    const cwd = dir("wakes");
    copyFileSync(path.join(guests, "bin", "rr-wakes"), path.join(cwd, "rr-wakes"));
    const r = recordThenReplay("wakes", ["./rr-wakes"], { cwd, recordNodeArgs: ["-r", path.join(__dirname, "fixtures", "early-timers.cjs")] });
    expect(r.recorded.stdout).toMatch(/^wake 0 after \d+ chunks\nwake 1 after \d+ chunks\nwake 2 after \d+ chunks\n$/);
    expectSameRun(r);
  });

  // Cases of the guest suite (guests/cases.json) that read files and stdin, fork, pipe, wait, exec
  // programs and #! scripts, use threads, interval timers, sleeps, poll and select, sendfile to
  // stdout and shared mappings, epoll, eventfd, timerfd and signalfd: the recorded run is the
  // expected one, and the replay is that run.
  it.each(["readdata-csv", "wc", "fork-pipe", "pipeline", "exec-self", "shebang", "thread-sync", "alarm", "poll", "fs-copy", "mmap-shared", "events-epoll", "events-fds", "events-signalfd"])("%s", (name) => {
    const c = cases.find((x) => x.name === name)!;
    const env = Object.entries(c.env ?? { PATH: "/usr/bin:/bin", LANG: "C" }).flatMap(([k, v]) => ["-E", `${k}=${v}`]);
    const r = recordThenReplay(name, ["--clear-env", ...env, c.program, ...c.args], { cwd: guests, input: c.stdin ?? "" });
    expect(r.recorded.stdout).toBe(readFileSync(path.join(guests, "expected", `${name}.stdout`), "latin1"));
    expectSameRun(r);
  });

  // A dynamic first program: the replay, which has no file system, starts it with the loader kept in
  // the recording's header; the libraries the loader maps come from the recorded reads.
  it("a dynamically linked program, its loader and libraries from the recording", () => {
    const r = recordThenReplay("dynamic", ["-L", "/usr/riscv64-linux-gnu", "bin/dyn-hello", "recorded"], { cwd: guests });
    expect(r.recorded.stdout).toBe(readFileSync(path.join(guests, "expected", "dyn-hello.stdout"), "latin1").replace("argv[1] = one\nargv[2] = two words\n", "argv[1] = recorded\n"));
    expectSameRun(r);
  });

  it("host signals, at the instruction they came at", async () => {
    const cwd = dir("signal");
    copyFileSync(path.join(guests, "bin", "rr-signal"), path.join(cwd, "rr-signal"));
    const rec = path.join(cwd, "run.rec");
    // rvtrace passes SIGINT and SIGTERM on to the guest; they are sent when the guest says it waits.
    const recorded = await new Promise<Result>((resolve) => {
      // --await-signals: the guest's pause() waits for the SIGTERM from here, which rvtrace would
      // otherwise take for a deadlock if it came late (nothing in the guest can end that wait).
      const child = spawn(process.execPath, [cli, "trace", "--await-signals", "--record", rec, "-o", path.join(cwd, "recorded.trace"), "./rr-signal"], { cwd, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString("latin1");
        if (stdout.endsWith("ready\n")) child.kill("SIGINT");
        if (stdout.endsWith("waiting\n")) child.kill("SIGTERM");
      });
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString("latin1")));
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
    expect(recorded.stdout).toMatch(/^ready\nsignal 2 after \d+ rounds\nwaiting\nsignal 15 in pause\n$/);
    const replayed = rvtrace(["replay", "--trace", "-o", path.join(cwd, "replayed.trace"), rec], { cwd: dir("signal-elsewhere") });
    expect(replayed).toEqual(recorded);
    expect(readFileSync(path.join(cwd, "replayed.trace"), "latin1")).toBe(readFileSync(path.join(cwd, "recorded.trace"), "latin1"));
  });
});

describe("a replay that goes another way", () => {
  it("a program that prints other bytes: stops at that write, one line, status 125", () => {
    const d = dir("patched");
    const rec = path.join(d, "hello.rec");
    expect(rvtrace(["record", "-o", rec, "bin/hello"], { cwd: guests }).stdout).toBe("Hello, world!\n");
    const bytes = readFileSync(path.join(guests, "bin", "hello"));
    const at = bytes.indexOf("Hello, world!");
    expect(at).toBeGreaterThan(0);
    bytes.write("Jello", at, "latin1");
    writeFileSync(path.join(d, "jello"), bytes);
    const r = rvtrace(["replay", "--program", path.join(d, "jello"), rec], { cwd: d });
    expect(r.status).toBe(DIVERGED);
    expect(r.stdout).toBe("");
    expectOneLine(r.stderr, /^rvtrace: replay diverged: at syscall \d+ of the recording \(tid 1000\): write\(1, 0x[0-9a-f]+, 14\) writes other bytes than recorded\n$/);
  });

  it("another program: stops at the first call that differs, naming both", () => {
    const d = dir("other");
    const rec = path.join(d, "argv.rec");
    rvtrace(["record", "-o", rec, "bin/argv", "one", "two"], { cwd: guests });
    const r = rvtrace(["replay", "--program", path.join(guests, "bin", "exit-exit3"), rec], { cwd: d });
    expect(r.status).toBe(DIVERGED);
    expectOneLine(r.stderr, /^rvtrace: replay diverged: at syscall \d+ of the recording \(tid 1000\): the recording has [a-z_0-9]+\(.*\), the guest made [a-z_0-9]+\(.*\)\n$/);
  });
});

describe("files that are not recordings", () => {
  let good: Buffer;
  beforeAll(() => {
    const rec = path.join(dir("good"), "hello.rec");
    rvtrace(["record", "-o", rec, "bin/hello"], { cwd: guests });
    good = readFileSync(rec);
  });
  const magic = () => good.subarray(0, good.indexOf("\n") + 2); // the magic line and the version byte
  it.each<[string, () => Buffer, RegExp]>([
    ["a program", () => readFileSync(path.join(guests, "bin", "hello")), /not an rvtrace recording/],
    ["an empty file", () => Buffer.alloc(0), /not an rvtrace recording/],
    ["a recording cut in half", () => good.subarray(0, good.length >> 1), /damaged/],
    ["a recording with a flipped byte", () => {
      const b = Buffer.from(good);
      b[b.length >> 1] ^= 0xff;
      return b;
    }, /damaged/],
    ["another format version", () => {
      const b = Buffer.from(good);
      b[magic().length - 1] = 99;
      return b;
    }, /format 99 is not supported/],
    ["items that make no sense", () => Buffer.concat([magic(), gzipSync(Buffer.from([1, 5, 0xff, 0xff, 0xff, 0xff, 0xff]))]), /damaged|cut short/],
    ["a recording without its end", () => Buffer.concat([magic(), gzipSync(Buffer.from([1, 0]))]), /cut short/],
  ])("%s: one line naming the file, status 2", (_what, make, pattern) => {
    const file = path.join(dir("bad"), "bad.rec");
    writeFileSync(file, make());
    const r = rvtrace(["replay", file], { cwd: scratch });
    expect(r.status).toBe(2);
    expectOneLine(r.stderr, new RegExp(`^rvtrace: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
    expect(r.stderr).toMatch(pattern);
  });
  it("a file that is not there: one line, status 2", () => {
    const r = rvtrace(["replay", "no-such.rec"], { cwd: scratch });
    expect(r.status).toBe(2);
    expectOneLine(r.stderr, /no-such\.rec: No such file or directory/);
  });
  it("record without -o, or with a file it cannot write: one line, status 2", () => {
    const r = rvtrace(["record", "bin/hello"], { cwd: guests });
    expect(r.status).toBe(2);
    expectOneLine(r.stderr, /-o FILE/);
    const w = rvtrace(["record", "-o", path.join(scratch, "no-dir", "x.rec"), "bin/hello"], { cwd: guests });
    expect(w.status).toBe(2);
    expectOneLine(w.stderr, /cannot write the recording .*No such file or directory/);
  });
  it("trace --record with an engine that changes calls: one line, status 2, nothing run", () => {
    const rec = path.join(dir("refused"), "x.rec");
    const r = rvtrace(["trace", "-e", "inject=read:error=EIO", "--record", rec, "bin/hello"], { cwd: guests });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expectOneLine(r.stderr, /--record cannot be combined with engines that change calls/);
  });
});
