// The return to user mode asks utrace nothing while task.utraceResumeWork is clear (signal-delivery.ts
// returnToUser, signalPath). These run real guests through requests made in the middle of a run, when
// the bit has long been cleared by quiet returns, and check by the order of callbacks that none is
// lost or comes late: a resume report, a stop, and the REPORT/HANDLER kind of a signal-path report.
import { describe, expect, it } from "vitest";
import {
  UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_INTERRUPT, UTRACE_REPORT, UTRACE_RESUME, UTRACE_STOP,
  type Engine, type EngineOps,
} from "../../src/index.js";
import { collect, isStopped, spawnGuest, waitUntil, withTimeout, type Guest, type Hooks } from "./helpers.js";

const { QUIESCE, SYSCALL_ENTRY, SYSCALL_EXIT, SIGNAL } = UTRACE_EVENT;
const GETPID = 172n;
const WRITE = 64n;
const EINPROGRESS = -115;

function attach(g: Guest, ops: EngineOps<unknown>, events: number): Engine<unknown> {
  const e = g.kernel.utrace.attachTask(g.task, UTRACE_ATTACH_CREATE, ops, null);
  expect(g.kernel.utrace.setEvents(g.task, e, events)).toBe(0);
  return e;
}

/** An engine "B" that watches syscall exits and runs `act` at the one `pick` chooses. */
function exitWatcher(g: Guest, log: string[], pick: (nr: bigint, arg0: bigint) => boolean, act: () => void): void {
  const hooks: Hooks<unknown> = {
    syscallExit(_action, _engine, regs) {
      if (pick(regs.syscallNumber, regs.arg(0))) act();
    },
  };
  attach(g, collect("B", log, hooks), SYSCALL_EXIT);
}

describe("requests made mid-run reach the return to user mode", () => {
  it("a REPORT asked for at a syscall exit makes the resume report before the next syscall", async () => {
    // uta-calls: getpid(1), getpid(2), getpid(3), write, exit_group; no libc.
    const g = spawnGuest("uta-calls");
    const log: string[] = [];
    const a = attach(g, collect("A", log), QUIESCE);
    exitWatcher(g, log, (nr, arg0) => nr === GETPID && arg0 === 3n, () => {
      expect(g.kernel.utrace.control(g.task, a, UTRACE_REPORT)).toBe(0);
    });
    expect((await withTimeout(g.proc.wait(), "the guest ends")).exitCode).toBe(0);
    const at = log.indexOf(`B sysexit ${GETPID}/3`);
    const next = log.indexOf(`B sysexit ${WRITE}/1`);
    expect(at).toBeGreaterThan(0);
    // A's quiesce reports for B's passes come before B's callbacks; the resume report (event 0) is
    // the return to user mode after getpid(3), once.
    expect(log.slice(at + 1, next)).toEqual(["A quiesce 0", "A quiesce SYSCALL_EXIT"]);
    expect(log.filter((l) => l === "A quiesce 0")).toHaveLength(1);
  });

  it("a STOP asked for at a syscall exit holds the task before its next syscall entry", async () => {
    const g = spawnGuest("uta-calls");
    const log: string[] = [];
    const a = attach(g, collect("A", log), SYSCALL_ENTRY);
    exitWatcher(g, log, (nr, arg0) => nr === GETPID && arg0 === 2n, () => {
      expect(g.kernel.utrace.control(g.task, a, UTRACE_STOP)).toBe(EINPROGRESS);
    });
    await waitUntil(() => isStopped(g.task), "the task stops");
    expect(log.at(-1)).toBe(`B sysexit ${GETPID}/2`);
    expect(g.kernel.utrace.control(g.task, a, UTRACE_RESUME)).toBe(0);
    expect((await withTimeout(g.proc.wait(), "the guest ends")).exitCode).toBe(0);
    expect(log.slice(log.indexOf(`B sysexit ${GETPID}/2`) + 1, log.indexOf(`B sysexit ${GETPID}/3`))).toEqual([
      `A sysentry ${GETPID}/3`,
    ]);
  });

  it("an INTERRUPT asked for after a handler has run makes a REPORT signal-path report, not a HANDLER one", async () => {
    // utb-sig 10 h: a SIGUSR1 handler, kill(getpid(), SIGUSR1); the handler writes a line and returns
    // (rt_sigreturn), then main writes "after 1". The INTERRUPT comes at the exit of that second write,
    // long after the handler's frame was set up.
    const g = spawnGuest("utb-sig", ["10", "h"]);
    const log: string[] = [];
    const a = attach(g, collect("A", log), QUIESCE | SIGNAL);
    let writes = 0;
    exitWatcher(g, log, (nr) => nr === WRITE && ++writes === 2, () => {
      expect(g.kernel.utrace.control(g.task, a, UTRACE_INTERRUPT)).toBe(0);
    });
    expect((await withTimeout(g.proc.wait(), "the guest ends")).exitCode).toBe(0);
    expect(g.stdout()).toBe("handler 10 10 0\nafter 1\n");
    // The delivery itself, then the report the INTERRUPT asked for, right after that write.
    expect(log.filter((l) => l.startsWith("A signal"))).toEqual(["A signal 10 DELIVER", "A signal 0 REPORT"]);
    expect(log.at(-2)).toBe("A signal 0 REPORT");
  });
});
