// Signal delivery (src/kernel/signal-delivery.ts) as engines see it (utrace-spec.md Part B):
// - a fatal signal in a blocking syscall: Linux's get_signal ends the task without returning from
//   the signal path, so the call is neither restarted nor made EINTR; at the exit report a0 still
//   holds its restart code (-ERESTARTSYS for read) and pc is past the ecall;
// - the REPORT pass of the signal path (an engine asked for UTRACE_INTERRUPT): a signal an engine
//   puts there with DELIVER is acted on as its SIG_DFL action says (ignore, continue, stop,
//   terminate); nothing is injected without DELIVER or without a signal number; a REPORT pass that
//   stops holds the signals still pending until the engine resumes the task;
// - a signal parked by an engine and later redelivered to a handler without SA_RESTART still ends
//   the syscall it interrupted with EINTR;
// - single-stepping into a handler makes a HANDLER report before the handler's first instruction;
// - the natural disposition of SIGSTOP (STOP) and SIGTSTP (TSTP), and the notify argument of the
//   JCTL reports of a process with no parent to notify (0).
import { describe, expect, it } from "vitest";
import {
  UTRACE_EVENT, UTRACE_INTERRUPT, UTRACE_REPORT, UTRACE_RESUME, UTRACE_SINGLESTEP, UTRACE_STOP, UTRACE_SIGNAL_DELIVER,
  UTRACE_SIGNAL_HANDLER, UTRACE_SIGNAL_IGN, UTRACE_SIGNAL_REPORT, UTRACE_SIGNAL_STOP, UTRACE_SIGNAL_TSTP,
  utraceSignalAction, utraceSyscallAction, type KSigAction,
} from "../../src/index.js";
import { attach, recorder, start, untilStopped, type Ev } from "./helpers-b.js";
import { turnsUntil } from "./turns.js";

const E = UTRACE_EVENT;
const ERESTARTSYS = 512n;
const NR_READ = 63n;
const NR_KILL = 129n;
const SIGUSR1 = 10;
const SIGTERM = 15;
const SIGCHLD = 17;
const SIGCONT = 18;
const SIGSTOP = 19;
const SIGTSTP = 20;
const CLD_STOPPED = 5;
const CLD_CONTINUED = 6;
const SIG_DFL = 0n;
const EXITED_0 = { exitCode: 0, signal: null, coreDumped: false };

describe("a fatal signal in a blocking read", () => {
  for (const [signo, core] of [[15, false], [3, true]] as const) {
    it(`signal ${signo}: the exit report sees read's restart code in a0 and pc past the ecall`, async () => {
      const r = start("utb-read");
      let entryPc = -1n;
      const atExit: { pc: bigint; a0: bigint }[] = [];
      attach(r, {
        reportSyscallEntry(action, _e, regs) {
          if (regs.syscallNumber === NR_READ) entryPc = regs.pc;
          return utraceSyscallAction(action) | UTRACE_RESUME;
        },
        reportExit() {
          const regs = r.k.utrace.regsOf(r.task);
          atExit.push({ pc: regs.pc, a0: regs.a0 });
          return UTRACE_RESUME;
        },
      }, E.SYSCALL_ENTRY | E.EXIT);
      await turnsUntil(() => r.task.state === "blocked" || !r.p.alive, "utb-read to block in read");
      r.k.sendProcessSignal(r.p, { signo, code: 0 });
      expect(await r.wait()).toEqual({ exitCode: null, signal: signo, coreDumped: core });
      expect(entryPc).toBeGreaterThan(0n);
      expect(atExit).toEqual([{ pc: entryPc, a0: -ERESTARTSYS }]);
    });
  }

  it("signal 15 that an engine DELIVERs (its SIG_DFL action, terminate): the same", async () => {
    // DELIVER takes the path of a handler's delivery (actOnSignal), where SIG_DFL's action is
    // looked up again; a terminating action must end the task there too, without a restart.
    const r = start("utb-read");
    let entryPc = -1n;
    const atExit: { pc: bigint; a0: bigint }[] = [];
    attach(r, {
      reportSyscallEntry(action, _e, regs) {
        if (regs.syscallNumber === NR_READ) entryPc = regs.pc;
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
      reportSignal: () => UTRACE_SIGNAL_DELIVER | UTRACE_RESUME,
      reportExit() {
        const regs = r.k.utrace.regsOf(r.task);
        atExit.push({ pc: regs.pc, a0: regs.a0 });
        return UTRACE_RESUME;
      },
    }, E.SYSCALL_ENTRY | E.EXIT | E.SIGNAL_TERM);
    await turnsUntil(() => r.task.state === "blocked" || !r.p.alive, "utb-read to block in read");
    r.k.sendProcessSignal(r.p, { signo: SIGTERM, code: 0 });
    expect(await r.wait()).toEqual({ exitCode: null, signal: SIGTERM, coreDumped: false });
    expect(entryPc).toBeGreaterThan(0n);
    expect(atExit).toEqual([{ pc: entryPc, a0: -ERESTARTSYS }]);
  });
});

/**
 * Runs hello with an engine that asks for UTRACE_INTERRUPT at the exit of its first syscall (libc's
 * start-up, long before its write), and at the REPORT pass that follows puts `signo` in info and
 * returns `disposition`. `passes` gets info.signo at each REPORT pass (-1 if return_ka was not SIG_DFL).
 */
function injectAtReportPass(signo: number, disposition: number) {
  const r = start("hello");
  let interrupted = false;
  const passes: number[] = [];
  attach(r, {
    reportSyscallExit() {
      if (interrupted) return UTRACE_RESUME;
      interrupted = true;
      return UTRACE_INTERRUPT;
    },
    reportSignal(action, _e, _regs, info, origKa, returnKa) {
      if (origKa !== null || utraceSignalAction(action) !== UTRACE_SIGNAL_REPORT) return utraceSignalAction(action) | UTRACE_RESUME;
      // return_ka of a REPORT pass is SIG_DFL (§3): the injected signal takes its default action.
      passes.push(returnKa.handler === SIG_DFL ? info.signo : -1);
      info.signo = signo;
      return disposition | UTRACE_RESUME;
    },
  }, E.QUIESCE | E.SYSCALL_EXIT);
  return { r, passes };
}

describe("a signal an engine injects at the REPORT pass", () => {
  for (const [name, signo] of [["SIGCHLD (default: ignore)", SIGCHLD], ["SIGCONT (default: continue)", SIGCONT]] as const) {
    it(`${name} with SIG_DFL: the guest goes on to its end`, async () => {
      const { r, passes } = injectAtReportPass(signo, UTRACE_SIGNAL_DELIVER);
      expect(await r.wait()).toEqual(EXITED_0);
      expect(passes).toEqual([0]);
      expect(r.out()).toBe("Hello, world!\n");
    });
  }

  it("SIGTERM with SIG_DFL terminates", async () => {
    const { r } = injectAtReportPass(SIGTERM, UTRACE_SIGNAL_DELIVER);
    expect(await r.wait()).toEqual({ exitCode: null, signal: SIGTERM, coreDumped: false });
  });

  it("SIGTSTP with SIG_DFL stops the process (the first process: its group is not orphaned); SIGCONT ends the stop", async () => {
    const { r } = injectAtReportPass(SIGTSTP, UTRACE_SIGNAL_DELIVER);
    await turnsUntil(() => r.p.jobStopped || !r.p.alive, "the stop");
    expect(r.p.jobReport).toEqual({ stopped: true, signo: SIGTSTP });
    r.k.sendProcessSignal(r.p, { signo: SIGCONT, code: 0 });
    expect(await r.wait()).toEqual(EXITED_0);
  });

  it("nothing is delivered when the engine leaves the disposition at REPORT, or gives DELIVER with no signal number", async () => {
    const left = injectAtReportPass(SIGTERM, UTRACE_SIGNAL_REPORT);
    expect(await left.r.wait()).toEqual(EXITED_0);
    expect(left.passes).toEqual([0]);
    expect(left.r.out()).toBe("Hello, world!\n");
    // (Signal 0 has no action: were it "delivered", its default would end the guest before it writes.)
    const none = injectAtReportPass(0, UTRACE_SIGNAL_DELIVER);
    expect(await none.r.wait()).toEqual(EXITED_0);
    expect(none.passes).toEqual([0]);
    expect(none.r.out()).toBe("Hello, world!\n");
  });
});

describe("a REPORT pass that stops", () => {
  it("holds a signal that is pending until the engine resumes the task; then the signal is reported and handled", async () => {
    const r = start("utb-sig", [String(SIGUSR1), "h"]);
    const log: Ev[] = [];
    let stopped = false;
    const e = attach(r, recorder("A", log, {
      reportSyscallExit(_action, _e, regs) {
        return regs.syscallNumber === NR_KILL ? UTRACE_INTERRUPT : UTRACE_RESUME;
      },
      reportSignal(action, _e, _regs, _info, origKa) {
        if (origKa === null && utraceSignalAction(action) === UTRACE_SIGNAL_REPORT && !stopped) {
          stopped = true;
          return UTRACE_SIGNAL_REPORT | UTRACE_STOP;
        }
        return utraceSignalAction(action) | UTRACE_RESUME;
      },
    }), E.QUIESCE | E.SYSCALL_EXIT | E.SIGNAL);
    await untilStopped(r.task);
    const real = () => log.filter((x) => x.cb === "signal" && x.signo === SIGUSR1 && utraceSignalAction(x.action!) === UTRACE_SIGNAL_DELIVER);
    expect(real()).toEqual([]);
    expect(r.out()).toBe("");
    expect(r.k.utrace.control(r.task, e, UTRACE_RESUME)).toBe(0);
    expect(await r.wait()).toEqual(EXITED_0);
    expect(real()).toHaveLength(1);
    expect(r.out()).toBe("handler 10 10 0\nafter 1\n");
  });
});

describe("a signal parked by an engine, then redelivered", () => {
  it("to a handler without SA_RESTART: the read it interrupted still fails with EINTR", async () => {
    const r = start("restart", ["read"]);
    let saved: KSigAction | null = null;
    const e = attach(r, {
      reportSignal(action, _e, _regs, info, origKa, returnKa) {
        if (origKa !== null && info.signo === SIGUSR1 && !saved) {
          saved = { ...origKa };
          return UTRACE_SIGNAL_IGN | UTRACE_STOP;
        }
        if (origKa === null && utraceSignalAction(action) === UTRACE_SIGNAL_REPORT && saved) {
          Object.assign(returnKa, saved);
          return UTRACE_SIGNAL_DELIVER | UTRACE_RESUME;
        }
        return utraceSignalAction(action) | UTRACE_RESUME;
      },
    }, E.QUIESCE | E.SIGNAL);
    await turnsUntil(() => r.out() === "ready\n" && r.task.state === "blocked", "the guest to block in read");
    r.k.sendProcessSignal(r.p, { signo: SIGUSR1, code: 0 });
    await untilStopped(r.task);
    expect(r.k.utrace.control(r.task, e, UTRACE_INTERRUPT)).toBe(0);
    // Were the read restarted instead, end of file would end it.
    r.stdin.end();
    expect(await r.wait()).toEqual(EXITED_0);
    expect(r.out()).toBe("ready\nread: -1 Interrupted system call, handled 1\n");
  });
});

/**
 * The guest `restart read` (a SIGUSR1 handler without SA_RESTART, then read(0)) is stopped while
 * blocked in its read by `stop`; while it is stopped SIGUSR1 comes, then SIGCONT. As Linux's
 * get_signal goes on after the stop, the handler runs and the read, interrupted by the stop signal,
 * fails with EINTR. Were the restart decided when the task stopped, the read would start again
 * (and the end of stdin would end it with 0).
 */
async function stopInRead(stop: (r: ReturnType<typeof start>) => void, events = 0, ops = {}) {
  const r = start("restart", ["read"]);
  if (events) attach(r, ops, events);
  await turnsUntil(() => r.out() === "ready\n" && r.task.state === "blocked", "the guest to block in read");
  stop(r);
  await turnsUntil(() => r.p.jobStopped || !r.p.alive, "the stop");
  expect(r.p.jobStopped).toBe(true);
  r.k.sendProcessSignal(r.p, { signo: SIGUSR1, code: 0 });
  r.k.sendProcessSignal(r.p, { signo: SIGCONT, code: 0 });
  r.stdin.end();
  expect(await r.wait()).toEqual(EXITED_0);
  expect(r.out()).toBe("ready\nread: -1 Interrupted system call, handled 1\n");
}

describe("a process stopped while blocked in a read, then sent a handled signal and SIGCONT", () => {
  it("by SIGSTOP: the read fails with EINTR after the handler", async () => {
    await stopInRead((r) => r.k.sendProcessSignal(r.p, { signo: SIGSTOP, code: 0 }));
  });

  it("by SIGTSTP that an engine DELIVERs (its SIG_DFL action, stop): the same", async () => {
    await stopInRead((r) => r.k.sendProcessSignal(r.p, { signo: SIGTSTP, code: 0 }), E.SIGNAL_STOP, {
      reportSignal: () => UTRACE_SIGNAL_DELIVER | UTRACE_RESUME,
    });
  });

  it("by SIGTSTP injected at the REPORT pass of an engine's UTRACE_INTERRUPT: the same", async () => {
    let engine: ReturnType<typeof attach> | null = null;
    let injected = false;
    const ops = {
      reportSignal(action: number, _e: unknown, _regs: unknown, info: { signo: number }, origKa: KSigAction | null) {
        if (origKa === null && utraceSignalAction(action) === UTRACE_SIGNAL_REPORT && !injected) {
          injected = true;
          info.signo = SIGTSTP;
          return UTRACE_SIGNAL_DELIVER | UTRACE_RESUME;
        }
        return utraceSignalAction(action) | UTRACE_RESUME;
      },
    };
    await stopInRead((r) => {
      engine = r.k.utrace.attachTask(r.task, 0, null, null);
      expect(r.k.utrace.control(r.task, engine, UTRACE_INTERRUPT)).toBe(0);
    }, E.QUIESCE, ops);
  });

  it("by a REPORT pass that stops (an engine's UTRACE_INTERRUPT, then STOP): after RESUME, the same EINTR", async () => {
    const r = start("restart", ["read"]);
    let stops = 0;
    const e = attach(r, {
      reportSignal(action, _e, _regs, _info, origKa) {
        if (origKa === null && utraceSignalAction(action) === UTRACE_SIGNAL_REPORT && stops++ === 0) return UTRACE_SIGNAL_REPORT | UTRACE_STOP;
        return utraceSignalAction(action) | UTRACE_RESUME;
      },
    }, E.QUIESCE | E.SIGNAL);
    await turnsUntil(() => r.out() === "ready\n" && r.task.state === "blocked", "the guest to block in read");
    expect(r.k.utrace.control(r.task, e, UTRACE_INTERRUPT)).toBe(0);
    await untilStopped(r.task);
    r.k.sendProcessSignal(r.p, { signo: SIGUSR1, code: 0 });
    expect(r.k.utrace.control(r.task, e, UTRACE_RESUME)).toBe(0);
    r.stdin.end();
    expect(await r.wait()).toEqual(EXITED_0);
    expect(r.out()).toBe("ready\nread: -1 Interrupted system call, handled 1\n");
  });
});

describe("single-stepping into a handler", () => {
  it("makes a HANDLER report at the handler's first instruction; RESUME there ends the stepping", async () => {
    const r = start("utb-sig", [String(SIGUSR1), "h"]);
    let handler = -1n;
    const atHandler: bigint[] = [];
    attach(r, {
      reportSignal(action, _e, regs, info, origKa) {
        if (origKa !== null && info.signo === SIGUSR1) {
          handler = origKa.handler;
          return UTRACE_SIGNAL_DELIVER | UTRACE_SINGLESTEP;
        }
        if (utraceSignalAction(action) === UTRACE_SIGNAL_HANDLER) {
          atHandler.push(regs.pc);
          return UTRACE_SIGNAL_HANDLER | UTRACE_RESUME;
        }
        return utraceSignalAction(action) | UTRACE_RESUME;
      },
    }, E.QUIESCE | E.SIGNAL);
    expect(await r.wait()).toEqual(EXITED_0);
    expect(atHandler).toEqual([handler]);
    expect(r.out()).toBe("handler 10 10 0\nafter 1\n");
  });
});

describe("job-control stops as engines see them", () => {
  for (const [signo, natural] of [[SIGSTOP, UTRACE_SIGNAL_STOP], [SIGTSTP, UTRACE_SIGNAL_TSTP]] as const) {
    it(`signal ${signo} comes with its natural disposition; the JCTL reports of a process without a parent notify nobody`, async () => {
      const r = start("hello");
      const seen: string[] = [];
      attach(r, {
        reportSignal(action, _e, _regs, info) {
          seen.push(`signal ${info.signo} ${utraceSignalAction(action).toString(16)}`);
          return utraceSignalAction(action) | UTRACE_RESUME;
        },
        reportJctl(_action, _e, type, notify) {
          seen.push(`jctl ${type} ${notify}`);
          return UTRACE_RESUME;
        },
      }, E.SIGNAL_STOP | E.JCTL);
      r.k.sendProcessSignal(r.p, { signo, code: 0 });
      await turnsUntil(() => r.p.jobStopped || !r.p.alive, "the stop");
      r.k.sendProcessSignal(r.p, { signo: SIGCONT, code: 0 });
      expect(await r.wait()).toEqual(EXITED_0);
      expect(seen).toEqual([`signal ${signo} ${natural.toString(16)}`, `jctl ${CLD_STOPPED} 0`, `jctl ${CLD_CONTINUED} 0`]);
    });
  }
});

describe("a REPORT pass that stops, resumed with UTRACE_REPORT", () => {
  it("goes on in the signal path: the next report is another REPORT pass of report_signal, not a resume report", async () => {
    const r = start("utb-read");
    const log: string[] = [];
    let stops = 0;
    const e = attach(r, {
      reportQuiesce(_action, _e, event) {
        log.push(`quiesce ${event}`);
        return UTRACE_RESUME;
      },
      reportSignal(action, _e, _regs, _info, origKa) {
        const report = origKa === null && utraceSignalAction(action) === UTRACE_SIGNAL_REPORT;
        if (report) log.push("signal REPORT");
        if (report && stops++ === 0) return UTRACE_SIGNAL_REPORT | UTRACE_STOP;
        return utraceSignalAction(action) | UTRACE_RESUME;
      },
    }, E.QUIESCE | E.SIGNAL);
    await turnsUntil(() => r.task.state === "blocked" || !r.p.alive, "utb-read to block in read");
    expect(r.k.utrace.control(r.task, e, UTRACE_INTERRUPT)).toBe(0);
    await untilStopped(r.task);
    expect(log).toEqual(["signal REPORT"]);
    log.length = 0;
    expect(r.k.utrace.control(r.task, e, UTRACE_REPORT)).toBe(0);
    await turnsUntil(() => log.length > 0 || !r.p.alive, "the next report");
    expect(log[0]).toBe("signal REPORT");
    // The read was interrupted with no handler: it restarts, and the end of stdin ends it.
    r.stdin.end();
    expect(await r.wait()).toEqual(EXITED_0);
  });
});
