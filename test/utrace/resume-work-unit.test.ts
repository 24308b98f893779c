// task.utraceResumeWork (src/kernel/task.ts), the kernel's one test before it asks utrace anything at
// the return to user mode: clear must mean that the resume point has nothing to do (utrace.quietResume
// would say so). Each test makes the resume point's work one way utrace can (an attach, a resume
// request, a held stop, a handler note), starting from a task whose bit is clear, and checks that the
// work is there and the bit says so. Removing any one of the sets in utrace.ts fails one of these.
import { describe, expect, it } from "vitest";
import {
  UTRACE_EVENT, UTRACE_INTERRUPT, UTRACE_REPORT, UTRACE_RESUME, UTRACE_SINGLESTEP, UTRACE_STOP,
  UTRACE_SIGNAL_DELIVER, UTRACE_ATTACH_CREATE, type Engine,
} from "../../src/index.js";
import { STOPPED, type Utrace } from "../../src/utrace/utrace.js";
import type { Task } from "../../src/kernel/task.js";
import { attachTo, setup } from "./fake-host.js";

const E = UTRACE_EVENT;
const SIGUSR1 = 10;
const ka = (handler: bigint) => ({ handler, flags: 0n, mask: 0n });

/** Whether the resume point has work, read from utrace's state (what quietResume tests, without its side effects). */
function hasWork(t: Task): boolean {
  const u = t.utrace!;
  return u.resume !== UTRACE_RESUME || (t.utraceFlags & 0x4000) !== 0 || u.attaching.length > 0 || u.signalHandler;
}

/** Lets the task through a quiet resume point, as the kernel does: the bit is clear afterwards. */
function settle(ut: Utrace, t: Task): void {
  expect(ut.resumePoint(t, false)).toBe("go");
  expect(ut.quietResume(t)).toBe(true);
  expect(t.utraceResumeWork).toBe(false);
}

/** A task with one engine (events as given), past its first resume point. */
function quietTask(events: number, ops = {}) {
  const s = setup();
  const e: Engine<unknown> = attachTo(s.ut, s.t, { name: "A", ...ops }, events);
  settle(s.ut, s.t);
  return { ...s, e };
}

describe("task.utraceResumeWork is set whenever utrace leaves work for the resume point", () => {
  it("an attach (the new engine waits to be spliced in)", () => {
    const s = setup();
    expect(s.t.utraceResumeWork).toBe(false);
    s.ut.attachTask(s.t, UTRACE_ATTACH_CREATE, { name: "A" }, null);
    expect(hasWork(s.t)).toBe(true);
    expect(s.t.utraceResumeWork).toBe(true);
    settle(s.ut, s.t);
  });

  it("a resume request made with control (REPORT, INTERRUPT, SINGLESTEP) and a STOP asked for on a running task", () => {
    for (const action of [UTRACE_REPORT, UTRACE_INTERRUPT, UTRACE_SINGLESTEP, UTRACE_STOP]) {
      const s = quietTask(E.QUIESCE);
      s.ut.control(s.t, s.e, action);
      expect(hasWork(s.t), `action ${action}`).toBe(true);
      expect(s.t.utraceResumeWork, `action ${action}`).toBe(true);
    }
  });

  it("a STOP returned at syscall entry (the task parks holding it, with no request)", () => {
    const s = quietTask(E.SYSCALL_ENTRY, { reportSyscallEntry: () => UTRACE_STOP });
    expect(s.ut.reportSyscallEntry(s.t)).toBe(STOPPED);
    expect(s.host.take()).toContain("park 1");
    expect(hasWork(s.t)).toBe(true);
    expect(s.t.utraceResumeWork).toBe(true);
  });

  it("a STOP returned at syscall exit (a deferred stop: a REPORT request and a held stop)", () => {
    const s = quietTask(E.SYSCALL_EXIT, { reportSyscallExit: () => UTRACE_STOP });
    s.ut.reportSyscallExit(s.t);
    expect(hasWork(s.t)).toBe(true);
    expect(s.t.utraceResumeWork).toBe(true);
  });

  it("a handler frame set up (the note that makes the next signal-path report HANDLER)", () => {
    const s = quietTask(E.QUIESCE | E.SIGNAL);
    s.ut.handlerSetUp(s.t, false);
    expect(hasWork(s.t)).toBe(true);
    expect(s.t.utraceResumeWork).toBe(true);
    // The quiet resume point drops the note and clears the bit together.
    settle(s.ut, s.t);
    expect(s.t.utrace!.signalHandler).toBe(false);
  });

  it("a signal pass that stops while a handler is to run (an INTERRUPT for the HANDLER report)", () => {
    const s = quietTask(E.QUIESCE | E.SIGNAL, { reportSignal: () => UTRACE_SIGNAL_DELIVER | UTRACE_STOP });
    const d = s.ut.reportSignal(s.t, { signo: SIGUSR1, errno: 0, code: 0 }, ka(0x1000n), ka(0x1000n), UTRACE_SIGNAL_DELIVER, E.SIGNAL);
    expect(d).not.toBe(STOPPED);
    expect(s.t.utrace!.resume).toBe(UTRACE_INTERRUPT);
    expect(s.t.utraceResumeWork).toBe(true);
  });

  it("the bit stays set while work is left: a resume point that stops, and one with a request taken by the signal path", () => {
    const s = quietTask(E.QUIESCE, { reportQuiesce: () => UTRACE_STOP });
    s.ut.control(s.t, s.e, UTRACE_REPORT);
    expect(s.ut.resumePoint(s.t, false)).toBe(STOPPED);
    expect(s.ut.quietResume(s.t)).toBe(false);
    expect(s.t.utraceResumeWork).toBe(true);
    const i = quietTask(E.QUIESCE);
    i.ut.control(i.t, i.e, UTRACE_INTERRUPT);
    expect(i.ut.resumePoint(i.t, true)).toBe("go");
    expect(i.ut.quietResume(i.t)).toBe(false);
    expect(i.t.utraceResumeWork).toBe(true);
  });
});
