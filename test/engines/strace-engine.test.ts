// The strace printer as a utrace engine (src/engines/strace/engine.ts), on real guests: what it
// shows next to other engines (the guest's view by default, the real call with --trace-inner,
// skipped calls, RESUMED passes), signals, exits, the summary and --json.
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import {
  Kernel, UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_RESUME, UTRACE_STOP, UTRACE_SYSCALL_ABORT, UTRACE_SYSCALL_RESUMED,
  utraceSyscallAction, type Engine, type Process, type Regs, type Task,
} from "../../src/index.js";
import { StraceEngine } from "../../src/engines/strace/engine.js";
import { parseTraceArgs, STRACE_OPTIONS, type StraceSettings } from "../../src/engines/strace/options.js";
import type { TraceClock, TraceSink } from "../../src/engines/strace/printer.js";

const GUESTS = path.resolve(__dirname, "../../guests");

class Buf implements TraceSink {
  text = "";
  write(t: string): void {
    this.text += t;
  }
  flush(): void {}
  close(): void {}
}

class TextSink extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _e: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** A clock that stands still: every duration is 0. */
const still: TraceClock = { realtimeNs: () => 0n, monotonicNs: () => 0n, cpuNs: () => 0n };

function settings(...argv: string[]): StraceSettings {
  return parseTraceArgs([...argv, "prog"], [STRACE_OPTIONS]).ctx.settings;
}

interface Run {
  kernel: Kernel;
  proc: Process;
  task: Task;
  printer: StraceEngine;
  trace: Buf;
  stdout: TextSink;
}

/** Spawns guests/bin/NAME in a scratch directory with the printer attached (not yet running). */
function start(name: string, opts: string[], before?: (k: Kernel, t: Task) => void, after?: (k: Kernel, t: Task) => void): Run {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-strace-"));
  const kernel = new Kernel({ cwd: dir, diagnostics: new TextSink() });
  const stdout = new TextSink();
  const stdin = new PassThrough();
  stdin.end();
  const proc = kernel.spawn(path.join(GUESTS, "bin", name), [name], { env: {}, stdin, stdout, stderr: new TextSink() });
  const trace = new Buf();
  const s = settings(...opts);
  const printer = new StraceEngine(kernel.utrace, { settings: s, output: { sinkFor: () => trace, main: trace }, clock: still });
  const task = proc.leader;
  if (s.inner) printer.attach(task);
  before?.(kernel, task);
  if (!s.inner) printer.attach(task);
  after?.(kernel, task);
  printer.announceExec(task);
  proc.wait().then(() => rmSync(dir, { recursive: true, force: true }));
  return { kernel, proc, task, printer, trace, stdout };
}

async function finish(r: Run): Promise<number> {
  const st = await r.proc.wait();
  r.printer.finish();
  return st.signal !== null ? 128 + st.signal : st.exitCode ?? 0;
}

/** An engine that rewrites calls at entry (attached before the printer unless --trace-inner). */
function rewriter(k: Kernel, t: Task, onEntry: (regs: Regs, action: number, engine: Engine<null>) => number | void): void {
  const e = k.utrace.attachTask(t, UTRACE_ATTACH_CREATE, {
    name: "rewriter",
    reportSyscallEntry(action, engine, regs) {
      const r = onEntry(regs, action, engine);
      return typeof r === "number" ? r : utraceSyscallAction(action) | UTRACE_RESUME;
    },
  }, null);
  k.utrace.setEvents(t, e, UTRACE_EVENT.SYSCALL_ENTRY);
}

const NR = { getppid: 173, umask: 166, getpid: 172 };

describe("the guest's own view", () => {
  it("prints st-proc's calls exactly as the guest expects them", async () => {
    const r = start("st-proc", ["-a0", "-e", "trace=getpid,getppid,gettid,getuid,geteuid,getgid,getegid,umask,uname,prlimit64,sched_yield,kill,tgkill,rt_sigprocmask,rt_sigaction,exit_group"]);
    expect(await finish(r)).toBe(7);
    const expected = r.stdout.text;
    expect(expected).toMatch(/^getpid\(\) = 1000\n/);
    // Before the guest's first line: the C library's start-up (prlimit64).
    expect(r.trace.text.endsWith(expected)).toBe(true);
    expect(r.trace.text.slice(0, -expected.length)).toMatch(/^prlimit64\(0, RLIMIT_STACK, NULL, \{rlim_cur=8192\*1024, rlim_max=RLIM64_INFINITY\}\) = 0\n$/);
  });

  it("begins with the execve that started the program, and ends with the exit", async () => {
    const r = start("utc-getpid", ["-a0"]);
    expect(await finish(r)).toBe(1000 & 0xff);
    const lines = r.trace.text.split("\n");
    expect(lines[0]).toMatch(/^execve\(".*utc-getpid", \["utc-getpid"\], 0x[0-9a-f]+ \/\* 0 vars \*\/\) = 0$/);
    expect(lines.slice(1)).toEqual(["getpid() = 1000", "exit_group(1000) = ?", "+++ exited with 232 +++", ""]);
  });

  it("a fatal signal: the signal line and '+++ killed by ... (core dumped) +++'", async () => {
    const r = start("st-segv", ["-a0", "-e", "trace=none"]);
    expect(await finish(r)).toBe(139);
    expect(r.trace.text).toBe(r.stdout.text);
  });

  it("shows each call as the guest made it and the result it got, beneath a rewriting engine", async () => {
    // The rewriter turns umask(027) into umask(077): the guest still made umask(027).
    const r = start("st-proc", ["-a0", "-e", "signal=none", "-e", "trace=umask"], (k, t) =>
      rewriter(k, t, (regs) => {
        if (regs.syscallNumber === BigInt(NR.umask) && regs.arg(0) === 0o27n) regs.setArg(0, 0o77n);
      }),
    );
    await finish(r);
    expect(r.trace.text).toBe("umask(027) = 022\numask(022) = 077\n+++ exited with 7 +++\n");
  });

  it("a call another engine skips shows the value the guest got", async () => {
    const r = start("st-proc", ["-a0", "-e", "signal=none", "-e", "trace=getppid"], (k, t) =>
      rewriter(k, t, (regs) => {
        if (regs.syscallNumber !== BigInt(NR.getppid)) return;
        regs.returnValue = 4242n;
        return UTRACE_SYSCALL_ABORT | UTRACE_RESUME;
      }),
    );
    await finish(r);
    expect(r.trace.text).toBe("getppid() = 4242\n+++ exited with 7 +++\n");
  });

  it("keeps the first view when another engine stops the task and the entry report is repeated", async () => {
    const seen: string[] = [];
    const r = start("st-proc", ["-a0", "-e", "signal=none", "-e", "trace=umask"], (k, t) =>
      rewriter(k, t, (regs, action, engine) => {
        if (regs.syscallNumber !== BigInt(NR.umask)) return;
        seen.push(action & UTRACE_SYSCALL_RESUMED ? "resumed" : "first");
        if (action & UTRACE_SYSCALL_RESUMED || regs.arg(0) !== 0o27n) return;
        setImmediate(() => {
          regs.setArg(0, 0o77n);
          k.utrace.control(t, engine, UTRACE_RESUME);
        });
        return UTRACE_STOP;
      }),
    );
    await finish(r);
    expect(r.trace.text).toBe("umask(027) = 022\numask(022) = 077\n+++ exited with 7 +++\n");
    expect(seen).toEqual(["first", "first"]);
  });
});

describe("--trace-inner", () => {
  it("shows the call as it really ran, from the RESUMED pass after another engine's stop", async () => {
    const seen: string[] = [];
    const r = start("st-proc", ["--trace-inner", "-a0", "-e", "signal=none", "-e", "trace=umask"], undefined, (k, t) =>
      rewriter(k, t, (regs, action, engine) => {
        if (regs.syscallNumber !== BigInt(NR.umask)) return;
        seen.push(action & UTRACE_SYSCALL_RESUMED ? "resumed" : "first");
        if (action & UTRACE_SYSCALL_RESUMED || regs.arg(0) !== 0o27n) return;
        setImmediate(() => {
          regs.setArg(0, 0o77n);
          k.utrace.control(t, engine, UTRACE_RESUME);
        });
        return UTRACE_STOP;
      }),
    );
    await finish(r);
    expect(r.trace.text).toBe("umask(077) = 022\numask(022) = 077\n+++ exited with 7 +++\n");
    // The printer asked for the resumed pass (UTRACE_REPORT), so the rewriter saw one too.
    expect(seen).toEqual(["first", "resumed", "first"]);
  });

  it("shows a call another engine skipped with the result the guest got, noted as skipped", async () => {
    const r = start("st-proc", ["--trace-inner", "-a0", "-e", "signal=none", "-e", "trace=getppid,getpid"], undefined, (k, t) =>
      rewriter(k, t, (regs) => {
        if (regs.syscallNumber !== BigInt(NR.getppid)) return;
        regs.returnValue = 4242n;
        return UTRACE_SYSCALL_ABORT | UTRACE_RESUME;
      }),
    );
    await finish(r);
    expect(r.trace.text).toBe("getpid() = 1000\ngetppid() = 4242 (skipped by an engine)\n+++ exited with 7 +++\n");
  });

  it("shows the real call when another engine changes the syscall number", async () => {
    const rw = (k: Kernel, t: Task) =>
      rewriter(k, t, (regs) => {
        if (regs.syscallNumber === BigInt(NR.getppid)) regs.syscallNumber = BigInt(NR.getpid);
      });
    const outer = start("st-proc", ["-a0", "-e", "signal=none", "-e", "trace=getppid,getpid"], rw);
    await finish(outer);
    expect(outer.trace.text).toBe("getpid() = 1000\ngetppid() = 1000\n+++ exited with 7 +++\n");
    const inner = start("st-proc", ["--trace-inner", "-a0", "-e", "signal=none", "-e", "trace=getppid,getpid"], undefined, rw);
    await finish(inner);
    expect(inner.trace.text).toBe("getpid() = 1000\ngetpid() = 1000\n+++ exited with 7 +++\n");
  });
});

describe("filters, notes, summary, JSON", () => {
  it("-e status=failed (-Z) keeps only failed calls; -e signal=none hides signals", async () => {
    const r = start("st-proc", ["-a0", "-Z", "-e", "signal=none", "-e", "trace=kill,getpid,exit_group"]);
    await finish(r);
    expect(r.trace.text).toBe("kill(-999999, SIGUSR2) = -1 ESRCH (No such process)\n+++ exited with 7 +++\n");
  });

  it("-qq hides '+++ exited' lines", async () => {
    const r = start("utc-getpid", ["-a0", "-qq", "-e", "trace=getpid"]);
    await finish(r);
    expect(r.trace.text).toBe("getpid() = 1000\n");
  });

  it("annotate() adds a note to the current call's line", async () => {
    let printer: StraceEngine | null = null;
    const r = start("utc-getpid", ["-a0", "-e", "trace=getpid"], (k, t) =>
      rewriter(k, t, (regs) => {
        if (regs.syscallNumber === BigInt(NR.getpid)) printer?.annotate(t, "INJECTED");
      }),
    );
    printer = r.printer;
    await finish(r);
    expect(r.trace.text).toBe("getpid() = 1000 (INJECTED)\n+++ exited with 232 +++\n");
  });

  it("-c counts calls and errors per syscall and prints only the table", async () => {
    const r = start("st-proc", ["-c", "-S", "name", "-U", "name,calls,errors", "-e", "trace=kill,getpid,umask"]);
    await finish(r);
    expect(r.trace.text).toBe(
      "syscall              calls    errors\n" +
        "---------------- --------- ---------\n" +
        "getpid                   1          \n" +
        "kill                     3         1\n" +
        "umask                    2          \n" +
        "---------------- --------- ---------\n" +
        "total                    6         1\n",
    );
  });

  it("-c --json: the summary as one object", async () => {
    const r = start("st-proc", ["-c", "--json", "-e", "trace=kill,getpid"]);
    await finish(r);
    const o = JSON.parse(r.trace.text) as { type: string; syscalls: { name: string; calls: number; errors: number }[]; total: { calls: number } };
    expect(o.type).toBe("summary");
    expect(o.syscalls.map((x) => [x.name, x.calls, x.errors]).sort()).toEqual([["getpid", 1, 0], ["kill", 3, 1]]);
    expect(o.total.calls).toBe(4);
  });

  it("--json: one object per event, with decoded and raw arguments, errno, instruction counts", async () => {
    const r = start("st-proc", ["--json", "-e", "trace=kill,exit_group,umask"]);
    await finish(r);
    const events = r.trace.text.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const types = events.map((e) => `${e.type}:${e.name ?? e.signal ?? ""}`);
    expect(types).toEqual([
      "syscall:umask", "syscall:umask", "syscall:kill", "syscall:kill", "signal:SIGUSR2", "signal:SIGUSR2",
      "syscall:kill", "syscall:exit_group", "exit:",
    ]);
    const umask = events[0];
    expect(umask).toMatchObject({ type: "syscall", pid: 1000, tid: 1000, nr: NR.umask, name: "umask", ret: "18" });
    expect((umask.raw as string[])[0]).toBe("0x17");
    expect((umask.args as string[])[0]).toBe("027");
    const failed = events[6];
    expect(failed).toMatchObject({ name: "kill", ret: "-3", errno: "ESRCH" });
    expect(events[4]).toMatchObject({ type: "signal", signo: 12, signal: "SIGUSR2", code: 0 });
    expect(events[7]).toMatchObject({ name: "exit_group", unfinished: true });
    expect(events[8]).toMatchObject({ type: "exit", status: 7, exitCode: 7, signal: null, coreDumped: false });
    const insns = events.map((e) => e.insns as number);
    expect(insns.every((n, i) => Number.isInteger(n) && n > 0 && (i === 0 || n >= insns[i - 1]))).toBe(true);
  });
});
