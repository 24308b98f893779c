// src/utrace/utrace.ts on its own, against utrace-spec.md Part B, with a fake kernel (fake-host.ts)
// that records what utrace asks of it: park/unpark, notify-resume kicks, stepping. The guest-level
// tests (the other files here) show the same rules end to end; these pin down the bookkeeping
// they cannot see one step at a time: utrace_flags, resume requests, when a stop is taken or
// refused, what a reset does, and the diagnostics of a throwing engine.
import { describe, expect, it } from "vitest";
import {
  UTRACE_EVENT, UTRACE_STOP, UTRACE_INTERRUPT, UTRACE_REPORT, UTRACE_SINGLESTEP, UTRACE_BLOCKSTEP, UTRACE_RESUME,
  UTRACE_DETACH, UTRACE_SIGNAL_DELIVER, UTRACE_SIGNAL_REPORT, UTRACE_SIGNAL_HANDLER, UTRACE_SIGNAL_TERM,
  UTRACE_SIGNAL_IGN, utraceSignalAction, type EngineOps, type KSigAction, type UtraceSigInfo,
} from "../../src/index.js";
import { STOPPED } from "../../src/utrace/utrace.js";
import { attachTo, bareTask, setup } from "./fake-host.js";

const E = UTRACE_EVENT;
const REAP = E.REAP;
const ENGINE_STOP = 0x4000;
const ESRCH = 3;
const EINVAL = 22;
const EAGAIN = 11;
const EINPROGRESS = 115;
const SIGCHLD = 17;
const CLONE_VFORK = 0x4000;
const CLD_STOPPED = 5;

const info = (signo: number): UtraceSigInfo => ({ signo, errno: 0, code: 0 });
const ka = (handler: bigint): KSigAction => ({ handler, flags: 0n, mask: 0n });

/** Ops whose every callback returns `r` and logs `who:callback`. */
function all(who: string, log: string[], r: number = UTRACE_RESUME): EngineOps<unknown> {
  const note = (cb: string) => {
    log.push(`${who}:${cb}`);
    return r;
  };
  return {
    reportQuiesce: () => note("quiesce"),
    reportSyscallEntry: () => note("entry"),
    reportSyscallExit: () => note("exit"),
    reportExec: () => note("exec"),
    reportClone: () => note("clone"),
    reportJctl: () => note("jctl"),
    reportExit: () => note("exitev"),
    reportSignal: (a) => utraceSignalAction(a) | (note("signal") & 7),
  };
}

/** Makes a pass with no callbacks, so engines attached so far are on the attached list. */
function spliceIn(s: ReturnType<typeof setup>): void {
  s.ut.reportExec(s.t, { path: "/x", argv: [], envp: [] });
  s.host.take();
}

/** Stops t at syscall entry with an engine that says STOP there; returns the engine. */
function stopAtEntry(s: ReturnType<typeof setup>, extra: EngineOps<unknown> = {}) {
  const e = attachTo(s.ut, s.t, { reportSyscallEntry: () => UTRACE_STOP, ...extra }, E.SYSCALL_ENTRY | E.QUIESCE);
  expect(s.ut.reportSyscallEntry(s.t)).toBe(STOPPED);
  expect(s.host.take()).toEqual(["park 1"]);
  return e;
}

describe("attach (§1.2)", () => {
  it("the first engine makes utrace_flags REAP; a lookup finds it and takes a reference", () => {
    const { ut, t } = setup();
    const e = ut.attachTask(t, 0x10, { reportReap() {} }, "d");
    expect(t.utraceFlags).toBe(REAP);
    const found = ut.attachTask(t, 0, null, null);
    expect(found).toBe(e);
    expect(e.refCount).toBe(3);
  });
});

describe("set_events and control check the engine's task (§6.1)", () => {
  it("an engine of another task is -ESRCH", () => {
    const { ut, t } = setup();
    const other = bareTask(2);
    attachTo(ut, other, {}, 0);
    const e = attachTo(ut, t, {}, 0);
    expect(ut.setEvents(other, e, E.EXEC)).toBe(-ESRCH);
    expect(ut.control(other, e, UTRACE_RESUME)).toBe(-ESRCH);
  });
});

describe("control (§6.2)", () => {
  it("DETACH of a dead task before its death pass: 0 at once, and the engine is gone", () => {
    const { host, ut, t } = setup();
    const e = attachTo(ut, t, {}, E.EXIT);
    host.dead.add(t);
    expect(ut.control(t, e, UTRACE_DETACH)).toBe(0);
    expect(e.live).toBe(false);
    expect(t.utraceFlags).toBe(0);
    expect(ut.control(t, e, UTRACE_DETACH)).toBe(-ESRCH);
  });

  it("STOP of a running task: -EINPROGRESS, ENGINE_STOP beside the events, a REPORT request", () => {
    const { host, ut, t } = setup();
    const e = attachTo(ut, t, {}, E.EXEC | E.QUIESCE);
    expect(ut.control(t, e, UTRACE_STOP)).toBe(-EINPROGRESS);
    expect(t.utraceFlags).toBe(E.EXEC | E.QUIESCE | REAP | ENGINE_STOP);
    expect(host.take()).toEqual(["notify 1"]);
    expect(ut.wantsSignalReport(t)).toBe(true);
  });

  it("RESUME of a running task changes nothing: no kick", () => {
    const { host, ut, t } = setup();
    const e = attachTo(ut, t, {}, E.EXEC);
    expect(ut.control(t, e, UTRACE_RESUME)).toBe(0);
    expect(host.take()).toEqual([]);
  });

  it("the most urgent resume request wins: INTERRUPT, then REPORT, leaves INTERRUPT (§5.5)", () => {
    const { host, ut, t } = setup();
    const e = attachTo(ut, t, {}, E.QUIESCE);
    expect(ut.control(t, e, UTRACE_INTERRUPT)).toBe(0);
    expect(ut.control(t, e, UTRACE_REPORT)).toBe(0);
    expect(ut.interruptPending(t)).toBe(true);
    expect(host.take()).toEqual(["notify 1", "interrupt 1", "notify 1"]);
  });

  it("RESUME of a stopped task wakes it with stepping off; SINGLESTEP wakes it and steps at the resume point, without a report", () => {
    for (const [action, atWake, atResume] of [
      [UTRACE_RESUME, ["step 1 0", "unpark 1"], []],
      [UTRACE_SINGLESTEP, ["notify 1", "unpark 1"], ["step 1 3"]],
      [UTRACE_BLOCKSTEP, ["notify 1", "unpark 1"], ["step 1 4"]],
    ] as const) {
      const s = setup();
      const log: string[] = [];
      const e = stopAtEntry(s, { reportQuiesce: () => (log.push("quiesce"), UTRACE_RESUME) });
      log.length = 0;
      expect(s.ut.control(s.t, e, action)).toBe(0);
      expect(s.host.take()).toEqual(atWake);
      // The entry report is made again only on request; a step is not a request for one.
      expect(s.ut.reportSyscallEntry(s.t)).toBe("run");
      expect(s.ut.resumePoint(s.t, false)).toBe("go");
      expect(s.host.take()).toEqual(atResume);
      expect(log).toEqual([]);
    }
  });

  it("a woken task is not stopped any more: STOP on it is -EINPROGRESS again", () => {
    const s = setup();
    const e = stopAtEntry(s);
    expect(s.ut.control(s.t, e, UTRACE_STOP)).toBe(0);
    expect(s.ut.control(s.t, e, UTRACE_RESUME)).toBe(0);
    expect(s.ut.control(s.t, e, UTRACE_STOP)).toBe(-EINPROGRESS);
  });
});

describe("examine (§6.6)", () => {
  it("prepare/finish: 0 while stopped, -EAGAIN once the task has run, -ESRCH for a dead task", () => {
    const s = setup();
    const e = stopAtEntry(s);
    expect(s.ut.prepareExamine(s.t, e)).toBe(0);
    expect(s.ut.finishExamine(s.t, e)).toBe(0);
    // SIGKILL wakes the task; the engine still holds its stop, but the examination is void.
    s.ut.killed(s.t);
    expect(s.ut.finishExamine(s.t, e)).toBe(-EAGAIN);
    s.host.dead.add(s.t);
    expect(s.ut.prepareExamine(s.t, e)).toBe(-ESRCH);
    expect(s.ut.prepareExamine(s.t, attachTo(s.ut, s.t, {}, 0))).toBe(-EINVAL);
  });
});

describe("callbacks' return values (§4.1, §5.2)", () => {
  it("a return that is not an integer keeps the fallback: no stop, no request", () => {
    for (const r of [undefined, 0.5, "0"]) {
      const { host, ut, t } = setup();
      const e = attachTo(ut, t, { reportSyscallExit: () => r as unknown as number }, E.SYSCALL_EXIT);
      ut.reportSyscallExit(t);
      expect(e.holdsStop).toBe(false);
      expect(host.take()).toEqual([]);
    }
  });

  it("DETACH from a callback unlinks the engine at the end of the pass: its release runs then", () => {
    const released: string[] = [];
    const { ut, t } = setup();
    const e = attachTo(ut, t, { reportSyscallExit: () => UTRACE_DETACH, release: (d) => released.push(String(d)) }, E.SYSCALL_EXIT);
    e.put();
    ut.reportSyscallExit(t);
    expect(released).toEqual(["null"]);
    expect(t.utraceFlags).toBe(0);
  });

  it("…and from report_signal, and from report_death", () => {
    const released: string[] = [];
    const s = setup();
    const e = attachTo(s.ut, s.t, { reportSignal: () => UTRACE_DETACH, release: () => released.push("signal") }, E.SIGNAL);
    e.put();
    s.ut.reportSignal(s.t, info(10), ka(0x1000n), ka(0x1000n), UTRACE_SIGNAL_DELIVER, E.SIGNAL);
    expect(released).toEqual(["signal"]);
    const d = setup();
    const f = attachTo(d.ut, d.t, { reportDeath: () => UTRACE_DETACH, release: () => released.push("death") }, E.DEATH);
    f.put();
    d.host.dead.add(d.t);
    d.ut.reportDeath(d.t, true, 0);
    expect(released).toEqual(["signal", "death"]);
  });

  it("an engine that throws is detached and named in one line, with the callback and the first line of the message", () => {
    const kinds: [string, number, (s: ReturnType<typeof setup>) => void][] = [
      ["reportQuiesce", E.QUIESCE, (s) => s.ut.reportSyscallExit(s.t)],
      ["reportSyscallEntry", E.SYSCALL_ENTRY, (s) => s.ut.reportSyscallEntry(s.t)],
      ["reportSyscallExit", E.SYSCALL_EXIT, (s) => s.ut.reportSyscallExit(s.t)],
      ["reportExec", E.EXEC, (s) => s.ut.reportExec(s.t, { path: "/x", argv: [], envp: [] })],
      ["reportClone", E.CLONE, (s) => s.ut.reportClone(s.t, SIGCHLD, bareTask(2))],
      ["reportExit", E.EXIT, (s) => s.ut.reportExit(s.t, 0)],
      ["reportDeath", E.DEATH, (s) => (s.host.dead.add(s.t), s.ut.reportDeath(s.t, true, 0))],
      ["reportSignal", E.SIGNAL, (s) => s.ut.reportSignal(s.t, info(10), ka(0x1000n), ka(0x1000n), UTRACE_SIGNAL_DELIVER, E.SIGNAL)],
      ["reportReap", REAP, (s) => s.ut.reportReap(s.t)],
      ["reportJctl", E.JCTL, (s) => s.ut.reportJctl(s.t, CLD_STOPPED, 0)],
    ];
    for (const [cb, event, fire] of kinds) {
      const s = setup();
      const boom = () => {
        throw new Error("boom\nmore");
      };
      attachTo(s.ut, s.t, { name: "E", [cb]: boom }, event);
      fire(s);
      expect(s.host.lines).toEqual([`rvtrace: engine E threw in ${cb}: boom (detached)`]);
    }
  });

  it("an engine without report_reap is reaped quietly", () => {
    const { host, ut, t } = setup();
    attachTo(ut, t, {}, REAP);
    ut.reportReap(t);
    ut.reportReap(t);
    expect(host.lines).toEqual([]);
  });

  it("report_reap is made once", () => {
    const log: string[] = [];
    const { ut, t } = setup();
    attachTo(ut, t, { reportReap: () => void log.push("reap") }, REAP);
    ut.reportReap(t);
    ut.reportReap(t);
    expect(log).toEqual(["reap"]);
  });
});

describe("pass order (§5.1)", () => {
  it("attach order for every event but syscall entry, which goes newest first", () => {
    const log: string[] = [];
    const { ut, t } = setup();
    const events = E.SYSCALL_ENTRY | E.SYSCALL_EXIT | E.EXEC | E.CLONE | E.JCTL | E.EXIT;
    attachTo(ut, t, all("A", log), events);
    attachTo(ut, t, all("B", log), events);
    ut.reportSyscallEntry(t);
    ut.reportSyscallExit(t);
    ut.reportExec(t, { path: "/x", argv: [], envp: [] });
    ut.reportClone(t, SIGCHLD, bareTask(2));
    ut.reportJctl(t, CLD_STOPPED, 0);
    ut.reportExit(t, 0);
    expect(log).toEqual([
      "B:entry", "A:entry", "A:exit", "B:exit", "A:exec", "B:exec", "A:clone", "B:clone", "A:jctl", "B:jctl", "A:exitev", "B:exitev",
    ]);
  });
});

describe("where a STOP takes effect (§7)", () => {
  it("at syscall exit, exec, clone and jctl: later, as a REPORT request (a kick), not at once", () => {
    const sites: [number, (s: ReturnType<typeof setup>) => unknown][] = [
      [E.SYSCALL_EXIT, (s) => s.ut.reportSyscallExit(s.t)],
      [E.EXEC, (s) => s.ut.reportExec(s.t, { path: "/x", argv: [], envp: [] })],
      [E.CLONE, (s) => s.ut.reportClone(s.t, SIGCHLD, bareTask(2))],
      [E.JCTL, (s) => s.ut.reportJctl(s.t, CLD_STOPPED, 0)],
    ];
    for (const [event, fire] of sites) {
      const s = setup();
      attachTo(s.ut, s.t, all("A", [], UTRACE_STOP), event);
      expect(fire(s)).toBe(undefined);
      expect(s.host.take()).toEqual(["notify 1"]);
      expect(s.ut.wantsSignalReport(s.t)).toBe(true);
    }
  });

  it("at a vfork's clone report: at once", () => {
    const s = setup();
    attachTo(s.ut, s.t, all("A", [], UTRACE_STOP), E.CLONE);
    expect(s.ut.reportClone(s.t, CLONE_VFORK | SIGCHLD, bareTask(2))).toBe(STOPPED);
    expect(s.host.take()).toEqual(["park 1"]);
  });

  it("a pass everyone resumed asks for nothing (no kick)", () => {
    const s = setup();
    attachTo(s.ut, s.t, all("A", []), E.SYSCALL_EXIT);
    s.ut.reportSyscallExit(s.t);
    expect(s.host.take()).toEqual([]);
  });

  it("not when the engine that said STOP took it back later in the pass (no one holds a stop)", () => {
    const s = setup();
    attachTo(s.ut, s.t, { reportQuiesce: () => UTRACE_STOP, reportSyscallEntry: () => UTRACE_RESUME }, E.QUIESCE | E.SYSCALL_ENTRY);
    expect(s.ut.reportSyscallEntry(s.t)).toBe("run");
    expect(s.host.take()).toEqual([]);
  });

  it("never on a task SIGKILL is ending (§6.4): the syscall is aborted", () => {
    const s = setup();
    attachTo(s.ut, s.t, { reportSyscallEntry: () => UTRACE_STOP }, E.SYSCALL_ENTRY);
    s.host.killed.add(s.t);
    expect(s.ut.reportSyscallEntry(s.t)).toBe("abort");
    expect(s.host.take()).toEqual([]);
  });

  it("a stop broken by SIGKILL: the task is unparked and its syscall aborted", () => {
    const s = setup();
    stopAtEntry(s);
    s.host.killed.add(s.t);
    s.ut.killed(s.t);
    expect(s.host.take()).toEqual(["unpark 1"]);
    expect(s.ut.reportSyscallEntry(s.t)).toBe("abort");
  });

  it("a stopped syscall entry resumed without a REPORT is not reported again", () => {
    const log: string[] = [];
    const s = setup();
    const e = stopAtEntry(s, { reportQuiesce: () => (log.push("quiesce"), UTRACE_RESUME) });
    log.length = 0;
    expect(s.ut.control(s.t, e, UTRACE_RESUME)).toBe(0);
    expect(s.ut.reportSyscallEntry(s.t)).toBe("run");
    expect(log).toEqual([]);
  });
});

describe("utrace_reset (§5.3)", () => {
  it("a pass with no callbacks recomputes utrace_flags from the engines", () => {
    const { ut, t } = setup();
    const e = attachTo(ut, t, {}, E.SYSCALL_EXIT);
    expect(ut.setEvents(t, e, 0)).toBe(0);
    expect(t.utraceFlags).toBe(E.SYSCALL_EXIT | REAP);
    ut.reportSyscallExit(t);
    expect(t.utraceFlags).toBe(REAP);
  });

  it("after the last engine: flags 0 and no HANDLER mark; an engine still attaching keeps REAP and its events", () => {
    const s = setup();
    const e = stopAtEntry(s);
    s.ut.handlerSetUp(s.t, false);
    const a = setup();
    const f = stopAtEntry(a);
    a.ut.attachTask(a.t, 0x10, { reportExec: () => UTRACE_RESUME }, null);
    const late = a.ut.attachTask(a.t, 0x10, { reportExec: () => UTRACE_RESUME }, null);
    a.ut.setEvents(a.t, late, E.EXEC);
    s.host.take();
    expect(s.ut.control(s.t, e, UTRACE_DETACH)).toBe(0);
    expect(s.t.utraceFlags).toBe(0);
    expect(s.ut.takeSignalReport(s.t).natural).toBe(UTRACE_SIGNAL_REPORT);
    expect(a.ut.control(a.t, f, UTRACE_DETACH)).toBe(0);
    expect(a.t.utraceFlags).toBe(REAP | E.EXEC);
  });

  it("on a dead task only REAP and the death events are kept", () => {
    const s = setup();
    attachTo(s.ut, s.t, {}, E.SYSCALL_ENTRY | E.DEATH | E.EXIT);
    const e = attachTo(s.ut, s.t, {}, E.EXEC);
    s.host.dead.add(s.t);
    expect(s.ut.control(s.t, e, UTRACE_DETACH)).toBe(0);
    expect(s.t.utraceFlags).toBe(REAP | E.DEATH);
  });
});

describe("the death report (§2.1, §1.4)", () => {
  it("is made only with DEATH or QUIESCE: without it, DETACH after death is still 0", () => {
    const s = setup();
    const e = attachTo(s.ut, s.t, {}, E.EXIT);
    s.host.dead.add(s.t);
    s.ut.reportDeath(s.t, true, 0);
    expect(s.ut.control(s.t, e, UTRACE_DETACH)).toBe(0);
  });
});

describe("the resume point (§5.4)", () => {
  it("INTERRUPT is left for the signal path", () => {
    const s = setup();
    const e = attachTo(s.ut, s.t, {}, E.QUIESCE);
    s.ut.control(s.t, e, UTRACE_INTERRUPT);
    expect(s.ut.resumePoint(s.t, false)).toBe("go");
    expect(s.ut.interruptPending(s.t)).toBe(true);
  });

  it("a REPORT request makes report_quiesce(0); its return is applied: RESUME steps off, INTERRUPT goes on to the signal path, SINGLESTEP steps", () => {
    for (const [r, calls, interrupt] of [
      [UTRACE_RESUME, ["step 1 0"], false],
      [UTRACE_INTERRUPT, [], true],
      [UTRACE_SINGLESTEP, ["step 1 3"], false],
    ] as const) {
      const s = setup();
      const log: string[] = [];
      const e = attachTo(s.ut, s.t, { reportQuiesce: (_a, _e, ev) => (log.push(`quiesce ${ev}`), r) }, E.QUIESCE);
      expect(s.ut.control(s.t, e, UTRACE_REPORT)).toBe(0);
      s.host.take();
      expect(s.ut.resumePoint(s.t, false)).toBe("go");
      expect(log).toEqual(["quiesce 0"]);
      expect(s.host.take()).toEqual(calls);
      expect(s.ut.interruptPending(s.t)).toBe(interrupt);
    }
  });

  it("a plain resume drops the HANDLER mark: a later signal-path report is a REPORT one", () => {
    const s = setup();
    attachTo(s.ut, s.t, {}, E.QUIESCE);
    spliceIn(s);
    s.ut.handlerSetUp(s.t, false);
    expect(s.ut.resumePoint(s.t, false)).toBe("go");
    expect(s.ut.takeSignalReport(s.t).natural).toBe(UTRACE_SIGNAL_REPORT);
    // Also on the slow path taken for a newly attaching engine.
    s.ut.handlerSetUp(s.t, false);
    s.ut.attachTask(s.t, 0x10, {}, null);
    expect(s.ut.resumePoint(s.t, false)).toBe("go");
    expect(s.ut.takeSignalReport(s.t).natural).toBe(UTRACE_SIGNAL_REPORT);
  });
});

describe("signal passes (§4.2, §5.4)", () => {
  it("REPORT and INTERRUPT returned from a signal pass are downgraded to RESUME (no livelock)", () => {
    for (const r of [UTRACE_REPORT, UTRACE_INTERRUPT]) {
      const s = setup();
      attachTo(s.ut, s.t, { reportSignal: (a) => utraceSignalAction(a) | r }, E.QUIESCE);
      const d = s.ut.reportSignal(s.t, info(0), null, ka(0n), UTRACE_SIGNAL_REPORT, 0);
      expect(d).toBe(UTRACE_SIGNAL_REPORT);
      expect(s.ut.wantsSignalReport(s.t)).toBe(false);
      expect(s.host.take()).toEqual(["step 1 0"]);
    }
  });

  it("a STOP with TERM stops at the next report, not at the signal pass, even if return_ka ignores the signal", () => {
    const s = setup();
    attachTo(s.ut, s.t, {
      reportSignal: (_a, _e, _r, _i, _o, ret) => {
        ret.handler = 1n;
        return UTRACE_SIGNAL_TERM | UTRACE_STOP;
      },
    }, E.SIGNAL_TERM);
    const d = s.ut.reportSignal(s.t, info(15), ka(0n), ka(0n), UTRACE_SIGNAL_TERM, E.SIGNAL_TERM);
    expect(d).toBe(UTRACE_SIGNAL_TERM);
    expect(s.host.take()).toEqual(["notify 1"]);
    expect(s.ut.interruptPending(s.t)).toBe(true);
  });

  it("a STOP with IGN stops right at the signal pass", () => {
    const s = setup();
    attachTo(s.ut, s.t, { reportSignal: () => UTRACE_SIGNAL_IGN | UTRACE_STOP }, E.SIGNAL);
    expect(s.ut.reportSignal(s.t, info(10), ka(0x1000n), ka(0x1000n), UTRACE_SIGNAL_DELIVER, E.SIGNAL)).toBe(STOPPED);
    expect(s.host.take()).toEqual(["park 1"]);
  });

  it("the HANDLER mark is taken by one report", () => {
    const s = setup();
    attachTo(s.ut, s.t, {}, E.QUIESCE);
    spliceIn(s);
    s.ut.handlerSetUp(s.t, false);
    expect(s.ut.takeSignalReport(s.t).natural).toBe(UTRACE_SIGNAL_HANDLER);
    expect(s.ut.takeSignalReport(s.t).natural).toBe(UTRACE_SIGNAL_REPORT);
  });
});
