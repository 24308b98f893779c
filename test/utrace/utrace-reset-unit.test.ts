// When utrace.ts recomputes utrace_flags (utrace_reset), with the fake kernel of fake-host.ts.
// utrace-spec.md Part B §2.2 step 4 and the notes (point 5): utrace_flags only grows in set_events
// and shrinks only in utrace_reset, which runs after a spurious pass (no callback made) or one in
// which an engine detached (§5.3), when control acts on a stopped task (§6.2), and in utrace_stop
// when no engine holds ENGINE_STOP any more (§5.4). An event an engine removed stays in the flags
// until then, and so a QUIESCE engine still gets report_quiesce for it. Each test removes an event
// and checks that it is still there after a step that must not reset, or gone after one that must.
import { describe, expect, it } from "vitest";
import {
  UTRACE_EVENT, UTRACE_STOP, UTRACE_RESUME, UTRACE_SIGNAL_DELIVER, UTRACE_SIGNAL_IGN, UTRACE_REPORT,
  type EngineOps, type KSigAction,
} from "../../src/index.js";
import { STOPPED } from "../../src/utrace/utrace.js";
import { attachTo, bareTask, setup } from "./fake-host.js";

const E = UTRACE_EVENT;
const ENGINE_STOP = 0x4000;
const CLONE_VFORK = 0x4000;
const SIGCHLD = 17;
const SIGUSR1 = 10;
const EXEC_INFO = { path: "/x", argv: [], envp: [] };
const ka = (handler: bigint): KSigAction => ({ handler, flags: 0n, mask: 0n });
const resume = () => UTRACE_RESUME;

/**
 * A task with one engine of `ops` whose events were `events | removed`, then set to `events`:
 * utrace_flags still has `removed` until a reset. A first pass splices the engine in.
 */
function withRemoved(ops: EngineOps<unknown>, events: number, removed = E.CLONE) {
  const s = setup();
  const e = attachTo(s.ut, s.t, ops, events | removed);
  s.ut.reportJctl(s.t, 5, 0);
  expect(s.ut.setEvents(s.t, e, events)).toBe(0);
  expect(s.t.utraceFlags & removed).toBe(removed);
  s.host.take();
  return { ...s, e };
}

describe("utrace_flags keep a removed event until a reset", () => {
  it("after control RESUME of a running task (only a stopped one is reset)", () => {
    const s = withRemoved({ reportExec: resume }, E.EXEC);
    expect(s.ut.control(s.t, s.e, UTRACE_RESUME)).toBe(0);
    expect(s.t.utraceFlags & E.CLONE).toBe(E.CLONE);
  });

  it("after a pass whose only callback was report_quiesce (not spurious)", () => {
    const s = withRemoved({ reportQuiesce: resume }, E.QUIESCE);
    s.ut.reportSyscallExit(s.t);
    expect(s.t.utraceFlags & E.CLONE).toBe(E.CLONE);
  });

  it("after a pass with an event callback (not spurious)", () => {
    const s = withRemoved({ reportExec: resume }, E.EXEC);
    s.ut.reportExec(s.t, EXEC_INFO);
    expect(s.t.utraceFlags & E.CLONE).toBe(E.CLONE);
  });

  it("after a signal pass with a report_signal callback, or report_quiesce in its place", () => {
    const signal = withRemoved({ reportSignal: () => UTRACE_SIGNAL_DELIVER | UTRACE_RESUME }, E.SIGNAL);
    signal.ut.reportSignal(signal.t, { signo: SIGUSR1, errno: 0, code: 0 }, ka(0x1000n), ka(0x1000n), UTRACE_SIGNAL_DELIVER, E.SIGNAL);
    expect(signal.t.utraceFlags & E.CLONE).toBe(E.CLONE);
    const quiesce = withRemoved({ reportQuiesce: resume }, E.QUIESCE);
    quiesce.ut.reportSignal(quiesce.t, { signo: SIGUSR1, errno: 0, code: 0 }, ka(0x1000n), ka(0x1000n), UTRACE_SIGNAL_DELIVER, E.SIGNAL);
    expect(quiesce.t.utraceFlags & E.CLONE).toBe(E.CLONE);
  });

  it("after a resume report with a report_quiesce callback", () => {
    const s = withRemoved({ reportQuiesce: resume }, E.QUIESCE);
    expect(s.ut.control(s.t, s.e, UTRACE_REPORT)).toBe(0);
    expect(s.ut.resumePoint(s.t, false)).toBe("go");
    expect(s.t.utraceFlags & E.CLONE).toBe(E.CLONE);
  });

  it("while stopped at syscall entry by an engine that holds the stop", () => {
    const s = withRemoved({ reportSyscallEntry: () => UTRACE_STOP }, E.SYSCALL_ENTRY);
    expect(s.ut.reportSyscallEntry(s.t)).toBe(STOPPED);
    expect(s.t.utraceFlags & (E.CLONE | ENGINE_STOP)).toBe(E.CLONE | ENGINE_STOP);
  });

  it("after a vfork's clone report and an exit report that nobody stopped", () => {
    const clone = withRemoved({ reportClone: resume }, E.CLONE, E.EXEC);
    expect(clone.ut.reportClone(clone.t, CLONE_VFORK | SIGCHLD, bareTask(2))).toBe(undefined);
    expect(clone.t.utraceFlags & E.EXEC).toBe(E.EXEC);
    const exit = withRemoved({ reportExit: resume }, E.EXIT);
    expect(exit.ut.reportExit(exit.t, 0)).toBe(0);
    expect(exit.t.utraceFlags & E.CLONE).toBe(E.CLONE);
  });
});

describe("utrace_stop resets when no engine holds the stop any more", () => {
  it("an engine's STOP taken back in its own callback: the pass ends in STOP, the task does not stop, ENGINE_STOP leaves the flags", () => {
    const s = setup();
    const e = attachTo(s.ut, s.t, { reportSyscallEntry: resume }, E.SYSCALL_ENTRY);
    // A STOP request of a running task: sticky (ENGINE_STOP) until the engine returns otherwise.
    s.ut.control(s.t, e, UTRACE_STOP);
    s.host.take();
    expect(s.ut.reportSyscallEntry(s.t)).toBe("run");
    expect(s.host.take()).toEqual([]);
    expect(s.t.utraceFlags & ENGINE_STOP).toBe(0);
  });

  it("a signal pass: a STOP an engine holds from before its callback keeps the pass's STOP although it returns RESUME (§5.2)", () => {
    const s = setup();
    const e = attachTo(s.ut, s.t, { reportSignal: () => UTRACE_SIGNAL_IGN | UTRACE_RESUME }, E.SIGNAL);
    s.ut.reportExec(s.t, EXEC_INFO);
    s.ut.control(s.t, e, UTRACE_STOP);
    s.host.take();
    // The pass ends in STOP with an ignored signal: the task stops here (and the engine's own
    // RESUME has cleared its bit, so the stop is refused and the flags are reset).
    const r = s.ut.reportSignal(s.t, { signo: SIGUSR1, errno: 0, code: 0 }, ka(0x1000n), ka(0x1000n), UTRACE_SIGNAL_DELIVER, E.SIGNAL);
    expect(r).toBe(UTRACE_SIGNAL_IGN);
    expect(s.t.utraceFlags & ENGINE_STOP).toBe(0);
  });
});
