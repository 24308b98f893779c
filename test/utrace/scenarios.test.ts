// End-to-end scenarios with real guests: the things utrace exists for (issue 3, item 7). Each test
// runs a small guest under the kernel with engines attached through the public API and checks, to
// the byte, what the engines logged and what the guest did (its output and its exit status).
//
// Guests (guests/src/utc-*.S, no libc, so the syscall sequence is exact):
//   utc-write   write(1, "hello, world\n", 13), then exit_group(<what write returned>)
//   utc-steps   getpid(), write(1, "one\n", 4), write(1, "two\n", 4), exit_group(0)
//   utc-getpid  exit_group(<what getpid returned>)
import { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  Kernel, Engine, Regs, Task, Process, type EngineOps,
  UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_STOP, UTRACE_REPORT, UTRACE_RESUME,
  UTRACE_SYSCALL_RESUMED, utraceResumeAction, utraceSyscallAction,
} from "../../src/index.js";

const GUESTS = fileURLToPath(new URL("../../guests", import.meta.url));
const SYS_WRITE = 64n;
const SYS_GETPID = 172n;
const SYS_EXIT_GROUP = 94n;
const ESRCH = 3;
const SIGKILL = 9;
const SIGCHLD = 17;
const EV = UTRACE_EVENT;

/** A Writable that keeps everything written to it. */
function sink(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString("latin1") };
}

interface Run {
  k: Kernel;
  p: Process;
  task: Task;
  stdout(): string;
  stderr(): string;
  diagnostics(): string[];
}

/** Spawns guests/bin/<prog> with captured stdio and diagnostics; attach engines right after. */
function start(prog: string): Run {
  const out = sink();
  const err = sink();
  const diag = sink();
  const k = new Kernel({ cwd: GUESTS, diagnostics: diag.stream });
  const p = k.spawn(`bin/${prog}`, [prog], { env: {}, stdin: Readable.from([]), stdout: out.stream, stderr: err.stream });
  return {
    k, p, task: p.leader,
    stdout: out.text,
    stderr: err.text,
    diagnostics: () => diag.text().split("\n").filter((l) => l !== ""),
  };
}

// Engines here carry their state in closures, so they are all Engine<unknown>: utrace.setEvents and
// utrace.control take Engine<unknown>, which an Engine<D> with a typed D is not assignable to.
function attach(run: Run, ops: EngineOps, data: unknown, events: number): Engine {
  const e = run.k.utrace.attachTask(run.task, UTRACE_ATTACH_CREATE, ops, data);
  expect(run.k.utrace.setEvents(run.task, e, events)).toBe(0);
  return e;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The syscall at entry as strace would print it (only the calls these guests make). */
function describeCall(task: Task, regs: Regs): string {
  const nr = regs.syscallNumber;
  if (nr === SYS_WRITE) {
    const len = Number(regs.arg(2));
    const text = Buffer.from(task.readBytes(regs.arg(1), len)).toString("latin1");
    return `write(${BigInt.asIntN(64, regs.arg(0))}, ${JSON.stringify(text)}, ${len})`;
  }
  if (nr === SYS_GETPID) return "getpid()";
  if (nr === SYS_EXIT_GROUP) return `exit_group(${BigInt.asIntN(64, regs.arg(0))})`;
  return `syscall_${nr}(…)`;
}

/** An action argument in words: the resume action, the syscall action and RESUMED. */
function describeAction(action: number): string {
  const names = ["STOP", "INTERRUPT", "REPORT", "SINGLESTEP", "BLOCKSTEP", "RESUME", "DETACH"];
  const parts = [names[utraceResumeAction(action)], utraceSyscallAction(action) ? "ABORT" : "RUN"];
  if (action & UTRACE_SYSCALL_RESUMED) parts.push("RESUMED");
  return parts.join("|");
}

// ---------------------------------------------------------------------------------------------

describe("B §8 a tracing-only engine re-examines after another engine's asynchronous rewrite", () => {
  it("§8.1, §3 report_syscall_entry: REPORT on seeing STOP, then the RESUMED pass shows the arguments that really run", async () => {
    const run = start("utc-write");
    const trace: string[] = [];
    const rewriterLog: string[] = [];
    // The tracing-only engine, attached first: at entry it is called after the newer rewriter.
    attach(run, {
      name: "tracer",
      reportSyscallEntry(action, engine, regs) {
        if (utraceResumeAction(action) === UTRACE_STOP) {
          trace.push(`[${describeAction(action)}] someone stopped: will look again`);
          return UTRACE_REPORT;
        }
        trace.push(`[${describeAction(action)}] ${describeCall(engine.task, regs)}`);
        return UTRACE_RESUME;
      },
      reportSyscallExit(_action, _engine, regs) {
        trace.push(`= ${regs.returnValue}`);
        return UTRACE_RESUME;
      },
    }, null, EV.SYSCALL_ENTRY | EV.SYSCALL_EXIT);
    // The rewriter: stops at the write and decides later, in an async function.
    let rewritten = false;
    attach(run, {
      name: "rewriter",
      reportSyscallEntry(action, engine, regs) {
        rewriterLog.push(`[${describeAction(action)}] ${describeCall(engine.task, regs)}`);
        if (regs.syscallNumber !== SYS_WRITE || rewritten) return UTRACE_RESUME;
        void (async () => {
          await delay(5);
          regs.setArg(2, 5n);
          rewritten = true;
          rewriterLog.push(`rewrote the length to 5, control(RESUME) = ${run.k.utrace.control(engine.task, engine, UTRACE_RESUME)}`);
        })();
        return UTRACE_STOP;
      },
    }, null, EV.SYSCALL_ENTRY);

    const status = await run.p.wait();

    expect(rewriterLog).toEqual([
      '[RESUME|RUN] write(1, "hello, world\\n", 13)',
      "rewrote the length to 5, control(RESUME) = 0",
      '[RESUME|RUN|RESUMED] write(1, "hello", 5)',
      "[RESUME|RUN] exit_group(5)",
    ]);
    expect(trace).toEqual([
      "[STOP|RUN] someone stopped: will look again",
      '[RESUME|RUN|RESUMED] write(1, "hello", 5)',
      "= 5",
      "[RESUME|RUN] exit_group(5)",
    ]);
    expect(run.stdout()).toBe("hello");
    expect(run.stderr()).toBe("");
    expect(status).toEqual({ exitCode: 5, signal: null, coreDumped: false });
    expect(run.diagnostics()).toEqual([]);
  });

  it("§8.2 point 1: without a REPORT from anyone, a plain RESUME makes no repeat pass (the tracer saw only the stop)", async () => {
    // The same engines, but the tracer returns RESUME even when it sees STOP: it gets no second
    // look, so it never learns what really ran -- the reason for the REPORT idiom.
    const run = start("utc-write");
    const trace: string[] = [];
    attach(run, {
      name: "careless tracer",
      reportSyscallEntry(action, engine, regs) {
        trace.push(`[${describeAction(action)}] ${describeCall(engine.task, regs)}`);
        return UTRACE_RESUME;
      },
    }, null, EV.SYSCALL_ENTRY);
    let rewritten = false;
    attach(run, {
      name: "rewriter",
      reportSyscallEntry(_action, engine, regs) {
        if (regs.syscallNumber !== SYS_WRITE || rewritten) return UTRACE_RESUME;
        void (async () => {
          await delay(5);
          regs.setArg(2, 5n);
          rewritten = true;
          run.k.utrace.control(engine.task, engine, UTRACE_RESUME);
        })();
        return UTRACE_STOP;
      },
    }, null, EV.SYSCALL_ENTRY);

    const status = await run.p.wait();

    expect(trace).toEqual([
      '[STOP|RUN] write(1, "hello, world\\n", 13)',
      "[RESUME|RUN] exit_group(5)",
    ]);
    expect(run.stdout()).toBe("hello");
    expect(status.exitCode).toBe(5);
  });
});

describe("B §8 an engine that wants the arguments as they came from the guest", () => {
  it("§8.2 point 3: ignores UTRACE_SYSCALL_RESUMED callbacks and logs the originals once", async () => {
    const run = start("utc-write");
    // The rewriter is attached first, so at entry it is called last (farthest from user mode); it
    // resumes with REPORT, which makes a full RESUMED pass (that needs QUIESCE).
    let rewritten = false;
    const controls: number[] = [];
    attach(run, {
      name: "rewriter",
      reportQuiesce: () => UTRACE_RESUME,
      reportSyscallEntry(action, engine, regs) {
        if (regs.syscallNumber !== SYS_WRITE || rewritten) return utraceSyscallAction(action) | UTRACE_RESUME;
        void (async () => {
          await delay(5);
          regs.setArg(0, 2n);
          regs.setArg(2, 5n);
          rewritten = true;
          controls.push(run.k.utrace.control(engine.task, engine, UTRACE_REPORT));
        })();
        return UTRACE_STOP;
      },
    }, null, EV.QUIESCE | EV.SYSCALL_ENTRY);
    const originals: string[] = [];
    const ignored: string[] = [];
    attach(run, {
      name: "originals",
      reportSyscallEntry(action, engine, regs) {
        if (action & UTRACE_SYSCALL_RESUMED) {
          ignored.push(describeCall(engine.task, regs));
          return utraceSyscallAction(action) | UTRACE_RESUME;
        }
        originals.push(`[${describeAction(action)}] ${describeCall(engine.task, regs)}`);
        return UTRACE_RESUME;
      },
    }, null, EV.SYSCALL_ENTRY);

    const status = await run.p.wait();

    expect(controls).toEqual([0]);
    expect(originals).toEqual([
      '[RESUME|RUN] write(1, "hello, world\\n", 13)',
      "[RESUME|RUN] exit_group(5)",
    ]);
    // It was called again after the stop, with what really ran, and chose to ignore it.
    expect(ignored).toEqual(['write(2, "hello", 5)']);
    expect(run.stdout()).toBe("");
    expect(run.stderr()).toBe("hello");
    expect(status).toEqual({ exitCode: 5, signal: null, coreDumped: false });
  });
});

// ---------------------------------------------------------------------------------------------

interface RewriterState {
  /** idle → stopped (rewrite in flight) → done, for the write only. */
  state: "idle" | "stopped" | "done";
}

/**
 * A stacking-friendly rewriter: at the write's entry it waits (REPORT) while an engine nearer to
 * user mode holds the task, then stops, rewrites asynchronously and resumes with REPORT so the
 * engines behind it get a RESUMED look. `atExit` may rewrite the result synchronously. Every
 * callback is logged to `log`, shared by the engines of a test.
 */
function stackedRewriter(
  run: Run,
  log: string[],
  name: string,
  rewrite: (task: Task, regs: Regs) => string,
  atExit?: (regs: Regs) => string,
): void {
  const st: RewriterState = { state: "idle" };
  const ops: EngineOps = {
    name,
    reportQuiesce: () => UTRACE_RESUME,
    reportSyscallEntry(action, engine, regs) {
      const seen = `${name} entry [${describeAction(action)}] ${describeCall(engine.task, regs)}`;
      if (regs.syscallNumber !== SYS_WRITE || st.state === "done") {
        log.push(seen);
        return utraceSyscallAction(action) | UTRACE_RESUME;
      }
      if (utraceResumeAction(action) === UTRACE_STOP) {
        log.push(`${seen}: waits`);
        return utraceSyscallAction(action) | UTRACE_REPORT;
      }
      log.push(`${seen}: stops`);
      st.state = "stopped";
      void (async () => {
        await delay(3);
        const what = rewrite(engine.task, regs);
        st.state = "done";
        log.push(`${name} ${what}, control(REPORT) = ${run.k.utrace.control(engine.task, engine, UTRACE_REPORT)}`);
      })();
      return utraceSyscallAction(action) | UTRACE_STOP;
    },
    reportSyscallExit(_action, _engine, regs) {
      const seen = `${name} exit = ${regs.returnValue}`;
      log.push(atExit ? `${seen}: ${atExit(regs)}` : seen);
      return UTRACE_RESUME;
    },
  };
  attach(run, ops, st, EV.QUIESCE | EV.SYSCALL_ENTRY | EV.SYSCALL_EXIT);
}

/** An strace-like observer: originals at entry (RESUMED ignored), results at exit. */
function observer(run: Run, log: string[], prefix = ""): void {
  attach(run, {
    name: "strace",
    reportSyscallEntry(action, engine, regs) {
      if (action & UTRACE_SYSCALL_RESUMED) return utraceSyscallAction(action) | UTRACE_RESUME;
      log.push(`${prefix}${describeCall(engine.task, regs)}`);
      return UTRACE_RESUME;
    },
    reportSyscallExit(_action, _engine, regs) {
      log.push(`${prefix}= ${regs.returnValue}`);
      return UTRACE_RESUME;
    },
  }, null, EV.SYSCALL_ENTRY | EV.SYSCALL_EXIT);
}

describe("B §5.1, §8, §11 stacked rewriting engines nest", () => {
  it("§5.1, §8: three asynchronous entry rewriters each see the previous rewrite (newest first); strace attached last sees the guest's call and the guest's result", async () => {
    const run = start("utc-write");
    const log: string[] = [];
    // Attach order vm1 (farthest from user mode), vm2, vm3, then strace (closest).
    stackedRewriter(run, log, "vm1", (task, regs) => {
      const len = Number(regs.arg(2));
      const text = Buffer.from(task.readBytes(regs.arg(1), len)).toString("latin1");
      task.writeBytes(regs.arg(1), Buffer.from(text.toUpperCase(), "latin1"));
      return "uppercased the buffer";
    });
    stackedRewriter(run, log, "vm2", (_task, regs) => {
      regs.setArg(0, 2n);
      return "set fd 2";
    });
    stackedRewriter(
      run,
      log,
      "vm3",
      (_task, regs) => {
        regs.setArg(2, 5n);
        return "set length 5";
      },
      (regs) => {
        regs.returnValue = 13n;
        return "reports 13 (all of it)";
      },
    );
    observer(run, log, "strace ");

    const status = await run.p.wait();

    expect(log).toEqual([
      'strace write(1, "hello, world\\n", 13)',
      'vm3 entry [RESUME|RUN] write(1, "hello, world\\n", 13): stops',
      'vm2 entry [STOP|RUN] write(1, "hello, world\\n", 13): waits',
      'vm1 entry [STOP|RUN] write(1, "hello, world\\n", 13): waits',
      "vm3 set length 5, control(REPORT) = 0",
      'vm3 entry [RESUME|RUN|RESUMED] write(1, "hello", 5)',
      'vm2 entry [RESUME|RUN|RESUMED] write(1, "hello", 5): stops',
      'vm1 entry [STOP|RUN|RESUMED] write(1, "hello", 5): waits',
      "vm2 set fd 2, control(REPORT) = 0",
      'vm3 entry [RESUME|RUN|RESUMED] write(2, "hello", 5)',
      'vm2 entry [RESUME|RUN|RESUMED] write(2, "hello", 5)',
      'vm1 entry [RESUME|RUN|RESUMED] write(2, "hello", 5): stops',
      "vm1 uppercased the buffer, control(REPORT) = 0",
      'vm3 entry [RESUME|RUN|RESUMED] write(2, "HELLO", 5)',
      'vm2 entry [RESUME|RUN|RESUMED] write(2, "HELLO", 5)',
      'vm1 entry [RESUME|RUN|RESUMED] write(2, "HELLO", 5)',
      "vm1 exit = 5",
      "vm2 exit = 5",
      "vm3 exit = 5: reports 13 (all of it)",
      "strace = 13",
      "strace exit_group(13)",
      "vm3 entry [RESUME|RUN] exit_group(13)",
      "vm2 entry [RESUME|RUN] exit_group(13)",
      "vm1 entry [RESUME|RUN] exit_group(13)",
    ]);
    // strace's own view: the call as the guest made it, the result as the guest got it.
    expect(log.filter((l) => l.startsWith("strace "))).toEqual([
      'strace write(1, "hello, world\\n", 13)',
      "strace = 13",
      "strace exit_group(13)",
    ]);
    // The combined effect: fd 2, 5 bytes, uppercase; the guest believes all 13 bytes went out.
    expect(run.stdout()).toBe("");
    expect(run.stderr()).toBe("HELLO");
    expect(status).toEqual({ exitCode: 13, signal: null, coreDumped: false });
    expect(run.diagnostics()).toEqual([]);
  });

  it("§5.1: at syscall exit rewriters run oldest first, so each sees the previous result and strace (newest) sees what the guest gets", async () => {
    const run = start("utc-getpid");
    const log: string[] = [];
    const rewriteAtExit = (name: string, f: (v: bigint) => bigint): EngineOps => ({
      name,
      reportSyscallExit(_action, _engine, regs) {
        if (regs.syscallNumber !== SYS_GETPID) return UTRACE_RESUME;
        const seen = regs.returnValue;
        regs.returnValue = f(seen);
        log.push(`${name} saw ${seen}, returns ${regs.returnValue}`);
        return UTRACE_RESUME;
      },
    });
    attach(run, rewriteAtExit("pidns", () => 1n), null, EV.SYSCALL_EXIT);
    attach(run, rewriteAtExit("plus40", (v) => v + 40n), null, EV.SYSCALL_EXIT);
    attach(run, rewriteAtExit("plus1", (v) => v + 1n), null, EV.SYSCALL_EXIT);
    observer(run, log, "strace ");

    const status = await run.p.wait();

    expect(log).toEqual([
      "strace getpid()",
      `pidns saw ${run.p.pid}, returns 1`,
      "plus40 saw 1, returns 41",
      "plus1 saw 41, returns 42",
      "strace = 42",
      "strace exit_group(42)",
    ]);
    expect(status).toEqual({ exitCode: 42, signal: null, coreDumped: false });
  });
});

// ---------------------------------------------------------------------------------------------

describe("B §6.4 SIGKILL while a task is stopped at syscall entry", () => {
  /** Logs the final callbacks; `stopAtWrite` also stops the task at the write's entry. */
  function finalWatcher(run: Run, name: string, log: string[], stopAtWrite: () => void): Engine {
    return attach(run, {
      name,
      reportSyscallEntry(_action, engine, regs) {
        log.push(`${name} entry ${describeCall(engine.task, regs)}`);
        if (regs.syscallNumber !== SYS_WRITE) return UTRACE_RESUME;
        stopAtWrite();
        return UTRACE_STOP;
      },
      reportExit(_action, _engine, origCode, code) {
        log.push(`${name} exit ${origCode}/${code.value}`);
        return UTRACE_RESUME;
      },
      reportDeath(_engine, groupDead, signal) {
        log.push(`${name} death groupDead=${groupDead} signal=${signal}`);
        return UTRACE_RESUME;
      },
      reportReap(engine, task) {
        log.push(`${name} reap ${task === engine.task}`);
      },
    }, null, EV.SYSCALL_ENTRY | EV.EXIT | EV.DEATH | EV.REAP);
  }

  it("§6.4: Process.kill(9) while stopped: the write never runs, the process dies of SIGKILL, engines get exit, death, reap", async () => {
    const run = start("utc-write");
    const log: string[] = [];
    let stoppedResolve!: () => void;
    const stopped = new Promise<void>((resolve) => (stoppedResolve = resolve));
    const holder = finalWatcher(run, "holder", log, () => stoppedResolve());
    const other = finalWatcher(run, "other", log, () => {});

    await stopped;
    await delay(5);
    log.push("test: kill(9)");
    run.p.kill(SIGKILL);
    const status = await run.p.wait();

    expect(status).toEqual({ exitCode: null, signal: SIGKILL, coreDumped: false });
    expect(run.stdout()).toBe("");
    // Entry is newest first (other, then holder); exit, death and reap are in attach order.
    expect(log).toEqual([
      'other entry write(1, "hello, world\\n", 13)',
      'holder entry write(1, "hello, world\\n", 13)',
      "test: kill(9)",
      `holder exit ${SIGKILL}/${SIGKILL}`,
      `other exit ${SIGKILL}/${SIGKILL}`,
      `holder death groupDead=true signal=${SIGCHLD}`,
      `other death groupDead=true signal=${SIGCHLD}`,
      "holder reap true",
      "other reap true",
    ]);
    // Both engines are gone with the task: the stop they held cannot be released any more.
    expect(run.k.utrace.control(run.task, holder, UTRACE_RESUME)).toBe(-ESRCH);
    expect(run.k.utrace.control(run.task, other, UTRACE_RESUME)).toBe(-ESRCH);
    expect(run.diagnostics()).toEqual([]);
  });

  it("§6.4: an engine that decides asynchronously to kill (kernel sendSignal) instead of resuming: same end", async () => {
    const run = start("utc-write");
    const log: string[] = [];
    const controlAfter: number[] = [];
    const engine: Engine = finalWatcher(run, "policy", log, () => {
      void (async () => {
        await delay(5);
        log.push("policy: denied, SIGKILL");
        run.k.sendSignal(run.task, { signo: SIGKILL, code: 0 });
        // The task is dying but not dead yet: RESUME still succeeds (§6.2) and changes nothing.
        controlAfter.push(run.k.utrace.control(run.task, engine, UTRACE_RESUME));
      })();
    });

    const status = await run.p.wait();

    expect(status).toEqual({ exitCode: null, signal: SIGKILL, coreDumped: false });
    expect(run.stdout()).toBe("");
    expect(log).toEqual([
      'policy entry write(1, "hello, world\\n", 13)',
      "policy: denied, SIGKILL",
      `policy exit ${SIGKILL}/${SIGKILL}`,
      `policy death groupDead=true signal=${SIGCHLD}`,
      "policy reap true",
    ]);
    expect(controlAfter).toEqual([0]);
    expect(run.k.utrace.control(run.task, engine, UTRACE_RESUME)).toBe(-ESRCH);
  });
});

// ---------------------------------------------------------------------------------------------

describe("A.2 an engine that throws is detached and reported; the guest and the other engines go on", () => {
  /** Logs every syscall entry and exit. */
  function logger(run: Run, log: string[]): void {
    attach(run, {
      name: "logger",
      reportSyscallEntry(_action, engine, regs) {
        log.push(describeCall(engine.task, regs));
        return UTRACE_RESUME;
      },
      reportSyscallExit(_action, _engine, regs) {
        log.push(`= ${regs.returnValue}`);
        return UTRACE_RESUME;
      },
    }, null, EV.SYSCALL_ENTRY | EV.SYSCALL_EXIT);
  }

  /** Counts its callbacks and throws in `where` at the first write. */
  function thrower(run: Run, where: "entry" | "exit", calls: string[], released: string[]): Engine {
    const boom = (what: string, regs: Regs) => {
      calls.push(`${what} ${regs.syscallNumber}`);
      if (regs.syscallNumber === SYS_WRITE && what === where) throw new Error("boom");
      return UTRACE_RESUME;
    };
    return attach(run, {
      name: "thrower",
      reportSyscallEntry: (_a, _e, regs) => boom("entry", regs),
      reportSyscallExit: (_a, _e, regs) => boom("exit", regs),
      reportExit: () => (calls.push("exit"), UTRACE_RESUME),
      reportDeath: () => (calls.push("death"), UTRACE_RESUME),
      reportReap: () => void calls.push("reap"),
      release: (data) => void released.push(String(data)),
    }, "data", EV.SYSCALL_ENTRY | EV.SYSCALL_EXIT | EV.EXIT | EV.DEATH | EV.REAP);
  }

  const FULL_LOG = (pid: number) => ["getpid()", `= ${pid}`, 'write(1, "one\\n", 4)', "= 4", 'write(1, "two\\n", 4)', "= 4", "exit_group(0)"];

  it("A.2: a throw in reportSyscallEntry: one diagnostics line naming engine and event; no more callbacks; the logger and guest unaffected", async () => {
    const run = start("utc-steps");
    const log: string[] = [];
    const calls: string[] = [];
    const released: string[] = [];
    logger(run, log);
    const t = thrower(run, "entry", calls, released); // newer: called before the logger at entry

    const status = await run.p.wait();

    const diag = run.diagnostics();
    expect(diag).toHaveLength(1);
    expect(diag[0]).toContain("thrower");
    expect(diag[0]).toMatch(/report_?syscall_?entry|syscall[ _-]entry/i);
    expect(calls).toEqual(["entry 172", "exit 172", "entry 64"]);
    expect(log).toEqual(FULL_LOG(run.p.pid));
    expect(run.stdout()).toBe("one\ntwo\n");
    expect(status).toEqual({ exitCode: 0, signal: null, coreDumped: false });
    // Detached: the API says so, and dropping the caller's reference releases the data.
    expect(run.k.utrace.control(run.task, t, UTRACE_RESUME)).toBe(-ESRCH);
    expect(released).toEqual([]);
    t.put();
    expect(released).toEqual(["data"]);
  });

  it("A.2: a throw in reportSyscallExit (oldest engine, called first at exit): the next engine still sees the real result", async () => {
    const run = start("utc-steps");
    const log: string[] = [];
    const calls: string[] = [];
    const released: string[] = [];
    const t = thrower(run, "exit", calls, released); // older: called before the logger at exit
    logger(run, log);

    const status = await run.p.wait();

    const diag = run.diagnostics();
    expect(diag).toHaveLength(1);
    expect(diag[0]).toContain("thrower");
    expect(diag[0]).toMatch(/report_?syscall_?exit|syscall[ _-]exit/i);
    expect(calls).toEqual(["entry 172", "exit 172", "entry 64", "exit 64"]);
    expect(log).toEqual(FULL_LOG(run.p.pid));
    expect(run.stdout()).toBe("one\ntwo\n");
    expect(status).toEqual({ exitCode: 0, signal: null, coreDumped: false });
    expect(run.k.utrace.control(run.task, t, UTRACE_RESUME)).toBe(-ESRCH);
  });

  it("A.2: an engine that throws while another engine holds the task stopped does not leave the task stuck", async () => {
    const run = start("utc-write");
    const calls: string[] = [];
    const released: string[] = [];
    thrower(run, "entry", calls, released); // oldest: called last at entry, after the stopper
    let resumed = -1;
    attach(run, {
      name: "stopper",
      reportSyscallEntry(_action, engine, regs) {
        if (regs.syscallNumber === SYS_WRITE && resumed < 0) {
          void delay(5).then(() => (resumed = run.k.utrace.control(engine.task, engine, UTRACE_RESUME)));
          return UTRACE_STOP;
        }
        return UTRACE_RESUME;
      },
    }, null, EV.SYSCALL_ENTRY);

    const status = await run.p.wait();

    expect(resumed).toBe(0);
    expect(calls).toEqual(["entry 64"]);
    expect(run.diagnostics()).toHaveLength(1);
    expect(run.stdout()).toBe("hello, world\n");
    expect(status).toEqual({ exitCode: 13, signal: null, coreDumped: false });
  });
});
