// signal-delivery.ts with a process of two threads (guest utb-threads): what sending to the
// process decides from all its live threads, and which threads a group stop reports to. A
// single-threaded process cannot tell "one thread" from "every thread", nor a dead thread from a
// live one, so these need a second thread.
import { describe, expect, it } from "vitest";
import { UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_RESUME, type Task } from "../../src/index.js";
import { sendProcessSignal, stopGroup } from "../../src/kernel/signal-delivery.js";
import { start, type Run } from "../utrace/helpers-b.js";
import { turnsUntil } from "../utrace/turns.js";

const SIGKILL = 9;
const SIGSTOP = 19;
const SIGWINCH = 28;

/** Starts utb-threads and waits until both its threads are blocked in their reads. */
async function bothBlocked(): Promise<{ r: Run; second: Task }> {
  const r = start("utb-threads");
  const settled = () => !r.p.alive || (r.p.tasks.length === 2 && r.p.tasks.every((t) => t.state === "blocked"));
  await turnsUntil(settled, "utb-threads to block in its reads");
  expect(r.p.tasks.map((t) => t.state)).toEqual(["blocked", "blocked"]);
  return { r, second: r.p.tasks[1] };
}

async function finish(r: Run): Promise<void> {
  r.k.killProcess(r.p, SIGKILL);
  await r.wait();
}

describe("sendProcessSignal to a process of two threads", () => {
  it("keeps an ignored signal when an engine of one thread, not the other, watches ignored signals", async () => {
    const { r, second } = await bothBlocked();
    const e = r.k.utrace.attachTask(second, UTRACE_ATTACH_CREATE, { reportSignal: () => UTRACE_RESUME }, null);
    expect(r.k.utrace.setEvents(second, e, UTRACE_EVENT.SIGNAL_IGN)).toBe(0);
    // SIGWINCH's default action is to ignore it, and neither thread blocks it: without the engine
    // it would be dropped at once. One watching thread is enough to keep it.
    sendProcessSignal(r.k, r.p, { signo: SIGWINCH, code: 0 });
    expect(r.p.sharedPending.map((s) => s.signo)).toEqual([SIGWINCH]);
    await finish(r);
  });
});

describe("a group stop of a process whose leader has ended", () => {
  it("reports job control to the live thread only, not to the dead leader", async () => {
    const log: string[] = [];
    const r0 = start("utb-threads", ["leader-ends"]);
    // JCTL without any death event: the leader's engine stays attached, its flags unchanged, after
    // the leader ends (no death pass resets them).
    const e = r0.k.utrace.attachTask(r0.task, UTRACE_ATTACH_CREATE, {
      reportJctl: (_a, _e, type) => (log.push(`leader ${type}`), UTRACE_RESUME),
    }, null);
    expect(r0.k.utrace.setEvents(r0.task, e, UTRACE_EVENT.JCTL)).toBe(0);
    await turnsUntil(() => !r0.p.alive || (r0.task.state === "dead" && r0.p.tasks[1]?.state === "blocked"), "the leader to end");
    const second = r0.p.tasks[1];
    expect([r0.task.state, second.state, r0.task.utraceFlags & UTRACE_EVENT.JCTL]).toEqual(["dead", "blocked", UTRACE_EVENT.JCTL]);
    const e2 = r0.k.utrace.attachTask(second, UTRACE_ATTACH_CREATE, {
      reportJctl: (_a, _e, type) => (log.push(`second ${type}`), UTRACE_RESUME),
    }, null);
    expect(r0.k.utrace.setEvents(second, e2, UTRACE_EVENT.JCTL)).toBe(0);
    stopGroup(r0.k, r0.p, SIGSTOP, second);
    // CLD_STOPPED (5) to the second thread's engine alone.
    expect(log).toEqual(["second 5"]);
    await finish(r0);
  });
});
