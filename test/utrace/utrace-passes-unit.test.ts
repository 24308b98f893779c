// More of src/utrace/utrace.ts against utrace-spec.md Part B with the fake kernel of
// fake-host.ts: which callbacks a pass makes (report_quiesce once per engine in a resume report,
// report_death only for DEATH), the resume point with engines attached since the last pass, the
// signal pass's handling of REPORT and INTERRUPT returns, the handler note, a killed task at its
// syscall entry, and the queries the kernel makes of a task that has no utrace state.
import { describe, expect, it } from "vitest";
import {
  UTRACE_EVENT, UTRACE_STOP, UTRACE_INTERRUPT, UTRACE_REPORT, UTRACE_RESUME, UTRACE_SIGNAL_DELIVER,
  UTRACE_SIGNAL_HANDLER, type KSigAction,
} from "../../src/index.js";
import { STOPPED } from "../../src/utrace/utrace.js";
import { attachTo, bareTask, setup } from "./fake-host.js";

const E = UTRACE_EVENT;
const SIGUSR1 = 10;
const ka = (handler: bigint): KSigAction => ({ handler, flags: 0n, mask: 0n });
const EXEC_INFO = { path: "/x", argv: [], envp: [] };

describe("which callbacks a pass makes", () => {
  it("a resume report calls report_quiesce once for a QUIESCE engine, and nothing of an engine without QUIESCE", () => {
    const log: string[] = [];
    const s = setup();
    const note = (what: string) => () => (log.push(what), UTRACE_RESUME);
    const a = attachTo(s.ut, s.t, { reportQuiesce: note("A:quiesce") }, E.QUIESCE);
    attachTo(s.ut, s.t, { reportQuiesce: note("B:quiesce"), reportExec: note("B:exec") }, E.EXEC);
    s.ut.reportExec(s.t, EXEC_INFO);
    log.length = 0;
    expect(s.ut.control(s.t, a, UTRACE_REPORT)).toBe(0);
    expect(s.ut.resumePoint(s.t, false)).toBe("go");
    expect(log).toEqual(["A:quiesce"]);
  });

  it("the death pass calls report_quiesce of a QUIESCE engine, and report_death only of engines with DEATH", () => {
    const log: string[] = [];
    const s = setup();
    const note = (what: string) => () => (log.push(what), UTRACE_RESUME);
    attachTo(s.ut, s.t, { reportQuiesce: note("A:quiesce"), reportDeath: () => void log.push("A:death") }, E.QUIESCE);
    attachTo(s.ut, s.t, { reportDeath: () => void log.push("B:death") }, E.DEATH);
    s.ut.reportExec(s.t, EXEC_INFO);
    log.length = 0;
    s.host.dead.add(s.t);
    s.ut.reportDeath(s.t, true, 0);
    expect(log).toEqual(["A:quiesce", "B:death"]);
  });
});

describe("the resume point and engines attached since the last pass (§1.2, Part A.3)", () => {
  it("an engine that asked for STOP before it was spliced in stops the task, also on its way to the signal path", () => {
    const s = setup();
    const e = attachTo(s.ut, s.t, { reportQuiesce: () => UTRACE_STOP }, E.QUIESCE);
    expect(s.ut.control(s.t, e, UTRACE_STOP)).toBe(-115);
    s.host.take();
    expect(s.ut.resumePoint(s.t, true)).toBe(STOPPED);
    expect(s.host.take()).toEqual(["park 1"]);
  });

  it("an engine that holds a stop stops the task on its way to the signal path (the report is not left to it)", () => {
    const s = setup();
    const e = attachTo(s.ut, s.t, { reportQuiesce: () => UTRACE_STOP }, E.QUIESCE);
    s.ut.reportExec(s.t, EXEC_INFO);
    expect(s.ut.control(s.t, e, UTRACE_STOP)).toBe(-115);
    s.host.take();
    expect(s.ut.resumePoint(s.t, true)).toBe(STOPPED);
  });

  it("a pending INTERRUPT leaves the report to the signal path, also when an engine holds a stop", () => {
    const log: string[] = [];
    const s = setup();
    const a = attachTo(s.ut, s.t, { reportQuiesce: () => (log.push("A:quiesce"), UTRACE_STOP) }, E.QUIESCE);
    const b = attachTo(s.ut, s.t, { reportQuiesce: () => (log.push("B:quiesce"), UTRACE_RESUME) }, E.QUIESCE);
    s.ut.reportExec(s.t, EXEC_INFO);
    log.length = 0;
    s.ut.control(s.t, a, UTRACE_STOP);
    s.ut.control(s.t, b, UTRACE_INTERRUPT);
    expect(s.ut.resumePoint(s.t, true)).toBe("go");
    expect([log, s.ut.interruptPending(s.t)]).toEqual([[], true]);
  });

  it("an engine attached during a pass holds no stop: a STOP taken back in that pass does not stop the task", () => {
    const s = setup();
    const a = attachTo(s.ut, s.t, {
      reportSyscallEntry: () => {
        attachTo(s.ut, s.t, {}, E.QUIESCE);
        return UTRACE_RESUME;
      },
    }, E.SYSCALL_ENTRY);
    s.ut.reportExec(s.t, EXEC_INFO);
    s.ut.control(s.t, a, UTRACE_STOP);
    s.host.take();
    expect(s.ut.reportSyscallEntry(s.t)).toBe("run");
    expect(s.host.take()).toEqual([]);
  });

  it("a just-attached engine that asked for nothing gets no report there; it is spliced in", () => {
    const log: string[] = [];
    const s = setup();
    attachTo(s.ut, s.t, { reportQuiesce: () => (log.push("quiesce"), UTRACE_RESUME) }, E.QUIESCE);
    expect(s.ut.resumePoint(s.t, false)).toBe("go");
    expect([log, s.host.take()]).toEqual([[], []]);
    // Spliced: a handler set up now is noted for the signal path's next report (HANDLER, not REPORT).
    s.ut.handlerSetUp(s.t, false);
    expect(s.ut.control(s.t, s.ut.attachTask(s.t, 0, null, null), UTRACE_REPORT)).toBe(0);
    expect(s.ut.takeSignalReport(s.t).natural).toBe(UTRACE_SIGNAL_HANDLER);
  });

  it("a stale ENGINE_STOP bit that no engine holds makes no report at the next resume point", () => {
    const log: string[] = [];
    const s = setup();
    const e = attachTo(s.ut, s.t, { reportQuiesce: () => (log.push("quiesce"), UTRACE_RESUME), reportExec: () => UTRACE_RESUME }, E.QUIESCE | E.EXEC);
    s.ut.reportExec(s.t, EXEC_INFO);
    s.ut.control(s.t, e, UTRACE_STOP);
    // The engine takes its STOP back in the exec pass: its bit goes, the task's stays until a reset.
    s.ut.reportExec(s.t, EXEC_INFO);
    expect(s.ut.resumePoint(s.t, false)).toBe("go");
    log.length = 0;
    expect(s.ut.resumePoint(s.t, false)).toBe("go");
    expect(log).toEqual([]);
  });
});

describe("the signal pass", () => {
  it("downgrades INTERRUPT and REPORT returns to RESUME: nothing is left pending (no livelock)", () => {
    for (const action of [UTRACE_INTERRUPT, UTRACE_REPORT]) {
      const s = setup();
      attachTo(s.ut, s.t, { reportSignal: () => UTRACE_SIGNAL_DELIVER | action }, E.SIGNAL);
      s.ut.reportExec(s.t, EXEC_INFO);
      s.host.take();
      s.ut.reportSignal(s.t, { signo: SIGUSR1, errno: 0, code: 0 }, ka(0x1000n), ka(0x1000n), UTRACE_SIGNAL_DELIVER, E.SIGNAL);
      expect([s.ut.interruptPending(s.t), s.ut.wantsSignalReport(s.t)]).toEqual([false, false]);
      expect(s.host.take()).toEqual(["step 1 0"]);
    }
  });

  it("the kernel asks for a signal pass only when an engine wants the signal's kind or has QUIESCE", () => {
    const s = setup();
    attachTo(s.ut, s.t, {}, E.EXEC);
    expect([s.ut.wantsSignal(s.t, E.SIGNAL), s.ut.wantsSignal(s.t, E.SIGNAL_IGN)]).toEqual([false, false]);
  });
});

describe("the handler note (§7)", () => {
  it("is not taken, and no report asked for while stepping, when no engine is attached (only attaching)", () => {
    const s = setup();
    attachTo(s.ut, s.t, {}, E.QUIESCE);
    s.ut.handlerSetUp(s.t, true);
    expect(s.host.take()).toEqual([]);
    expect(s.ut.wantsSignalReport(s.t)).toBe(false);
  });
});

describe("syscall entry after a stop, when SIGKILL came meanwhile (§6.4)", () => {
  it("aborts the syscall without another pass", () => {
    const log: string[] = [];
    const s = setup();
    const e = attachTo(s.ut, s.t, { reportSyscallEntry: () => (log.push("entry"), UTRACE_STOP) }, E.SYSCALL_ENTRY | E.QUIESCE);
    expect(s.ut.reportSyscallEntry(s.t)).toBe(STOPPED);
    expect(s.ut.control(s.t, e, UTRACE_REPORT)).toBe(0);
    s.host.killed.add(s.t);
    expect(s.ut.reportSyscallEntry(s.t)).toBe("abort");
    expect(log).toEqual(["entry"]);
  });
});

describe("queries of a task without utrace state", () => {
  it("answer as for a task no engine ever traced", () => {
    const { ut } = setup();
    const t = bareTask(2);
    expect([ut.resumePoint(t, false), ut.interruptPending(t), ut.lastSignal(t)]).toEqual(["go", false, null]);
  });
});

describe("a STOP at the exit report (§7)", () => {
  it("stops the task there and then: no REPORT request is left for a resume point it will not reach", () => {
    const s = setup();
    attachTo(s.ut, s.t, { reportExit: () => UTRACE_STOP }, E.EXIT);
    expect(s.ut.reportExit(s.t, 0)).toBe(STOPPED);
    expect(s.host.take()).toEqual(["park 1"]);
    expect(s.ut.wantsSignalReport(s.t)).toBe(false);
  });
});
