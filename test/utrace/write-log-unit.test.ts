// The utrace side of the syscall write log (docs/engines.md, "Guest memory a syscall wrote") with a
// fake kernel: setSyscallWriteLog answers 0, or -ESRCH for an engine that is detached or not the
// task's; the kernel logs a syscall's writes only while a live engine of the task asked for it
// (wantsSyscallWrites, asked as each syscall starts), including one attached since the last pass.
// And takeStepRequest, which the signal path asks for a step to apply without a report.
import { describe, expect, it } from "vitest";
import { UTRACE_BLOCKSTEP, UTRACE_DETACH, UTRACE_EVENT, UTRACE_RESUME, UTRACE_SINGLESTEP, UTRACE_STOP } from "../../src/index.js";
import { STOPPED } from "../../src/utrace/utrace.js";
import { attachTo, bareTask, setup } from "./fake-host.js";

const E = UTRACE_EVENT;
const ESRCH = 3;

describe("the syscall write log", () => {
  it("is not wanted for a task no engine ever attached to", () => {
    const { ut } = setup();
    expect(ut.wantsSyscallWrites(bareTask(7))).toBe(false);
  });

  it("is off for a new engine until it asks, and on for one still on the attaching list", () => {
    const { ut, t } = setup();
    const e = attachTo(ut, t, {}, E.SYSCALL_EXIT);
    expect(ut.wantsSyscallWrites(t)).toBe(false);
    expect(ut.setSyscallWriteLog(t, e, true)).toBe(0);
    expect(ut.wantsSyscallWrites(t)).toBe(true);
    expect(ut.setSyscallWriteLog(t, e, false)).toBe(0);
    expect(ut.wantsSyscallWrites(t)).toBe(false);
  });

  it("is dropped with a detached engine, which then gets -ESRCH", () => {
    const { ut, t } = setup();
    const e = attachTo(ut, t, {}, E.SYSCALL_EXIT);
    expect(ut.setSyscallWriteLog(t, e, true)).toBe(0);
    expect(ut.control(t, e, UTRACE_DETACH)).toBe(0);
    expect(ut.wantsSyscallWrites(t)).toBe(false);
    expect(ut.setSyscallWriteLog(t, e, true)).toBe(-ESRCH);
    expect(ut.wantsSyscallWrites(t)).toBe(false);
  });

  it("is off again once an attached engine turns it off, and never on for an engine that did not ask", () => {
    const { ut, t } = setup();
    const asker = attachTo(ut, t, {}, E.SYSCALL_EXIT);
    attachTo(ut, t, {}, E.SYSCALL_EXIT);
    ut.reportSyscallExit(t); // a pass moves both onto the attached list
    expect(ut.setSyscallWriteLog(t, asker, true)).toBe(0);
    expect(ut.wantsSyscallWrites(t)).toBe(true);
    expect(ut.setSyscallWriteLog(t, asker, false)).toBe(0);
    expect(ut.wantsSyscallWrites(t)).toBe(false);
  });

  it("is not wanted for a task without utrace state, also once an engine of another task has asked", () => {
    const { ut, t } = setup();
    const e = attachTo(ut, t, {}, E.SYSCALL_EXIT);
    expect(ut.setSyscallWriteLog(t, e, true)).toBe(0);
    expect(ut.wantsSyscallWrites(bareTask(7))).toBe(false);
  });

  it("cannot be set through an engine of another task (-ESRCH)", () => {
    const { ut, t } = setup();
    const other = bareTask(2);
    const e = attachTo(ut, t, {}, E.SYSCALL_EXIT);
    attachTo(ut, other, {}, E.SYSCALL_EXIT);
    expect(ut.setSyscallWriteLog(other, e, true)).toBe(-ESRCH);
    expect(ut.wantsSyscallWrites(other)).toBe(false);
  });
});

describe("takeStepRequest", () => {
  it("hands over a pending SINGLESTEP or BLOCKSTEP once, leaving RESUME", () => {
    for (const step of [UTRACE_SINGLESTEP, UTRACE_BLOCKSTEP]) {
      const s = setup();
      const e = attachTo(s.ut, s.t, { reportSyscallEntry: () => UTRACE_STOP }, E.SYSCALL_ENTRY | E.QUIESCE);
      expect(s.ut.reportSyscallEntry(s.t)).toBe(STOPPED);
      expect(s.ut.control(s.t, e, step)).toBe(0);
      expect(s.ut.takeStepRequest(s.t)).toBe(step);
      expect(s.ut.takeStepRequest(s.t)).toBe(0);
    }
  });

  it("gives 0 for a task without utrace state, or with a plain resume", () => {
    const s = setup();
    expect(s.ut.takeStepRequest(s.t)).toBe(0);
    const e = attachTo(s.ut, s.t, { reportSyscallEntry: () => UTRACE_STOP }, E.SYSCALL_ENTRY | E.QUIESCE);
    expect(s.ut.reportSyscallEntry(s.t)).toBe(STOPPED);
    expect(s.ut.control(s.t, e, UTRACE_RESUME)).toBe(0);
    expect(s.ut.takeStepRequest(s.t)).toBe(0);
  });
});
