// utrace-spec.md Part B §6 (utrace.control and friends: the §6.1 checks, every §6.2 action, the
// §6.3 stop bookkeeping, §6.4 SIGKILL primacy, §6.5 barrier, §6.6 examine), the Part A.3 rows about
// stops, and Part A.2 (other tasks and the event loop run while a task is stopped; determinism).
//
// Not constructible in rvtrace, so no test (each is said in the report):
// * §6.1 "task dead, DETACH, not yet reaped, no DEATH pass → 0": a process has one task, and its
//   death pass and reap follow each other synchronously, so no JavaScript runs in between.
// * §6.5 "barrier waits while a callback to the engine is in progress": callbacks are synchronous;
//   the only code running during one is the callback itself, where the task is current (→ 0).
// * §6.6 prepareExamine "task dead → -ESRCH": the engine's stop is gone by the time any code other
//   than the task's own callbacks (where it is current) can run after its death.
// * §6.7 control_pid / set_events_pid / barrier_pid: rvtrace's API has attachPid only (see
//   engines.test.ts for attachPid → ESRCH).
import { describe, expect, it } from "vitest";
import {
  UTRACE_ATTACH_CREATE, UTRACE_BLOCKSTEP, UTRACE_DETACH, UTRACE_EVENT, UTRACE_INTERRUPT, UTRACE_REPORT,
  UTRACE_RESUME, UTRACE_RESUME_MAX, UTRACE_SINGLESTEP, UTRACE_STOP, UTRACE_EVENT_SIGNAL_ALL,
  type Engine, type Kernel,
} from "../../src/index.js";
import {
  ERRNO, SYS, collect, isStopped, newKernel, nextTurns, spawnGuest, waitUntil, withTimeout, type Guest,
} from "./helpers.js";

const CREATE = UTRACE_ATTACH_CREATE;
const { QUIESCE, SYSCALL_ENTRY, SYSCALL_EXIT, EXIT, DEATH, REAP } = UTRACE_EVENT;
const SIGNAL_ALL_AND_DEATH = UTRACE_EVENT_SIGNAL_ALL | DEATH;
/** A resume report as the spec allows it: report_quiesce(0), or report_signal(UTRACE_SIGNAL_REPORT). */
const RESUME_REPORT = (name: string) => new RegExp(`^${name} (quiesce 0|signal \\d+ REPORT)$`);

/** Attaches `name` with `events`; its report_syscall_entry returns STOP for the first syscall only. */
function stopAtFirstEntry(g: Guest, name: string, log: string[], events: number = SYSCALL_ENTRY): Engine<unknown> {
  let first = true;
  const u = g.kernel.utrace;
  const e = u.attachTask(g.task, CREATE, collect(name, log, {
    syscallEntry() {
      if (!first) return;
      first = false;
      return UTRACE_STOP;
    },
  }), null);
  u.setEvents(g.task, e, events);
  return e;
}

/** uta-cat, blocked in its first read. */
async function blockedCat(): Promise<Guest> {
  const g = spawnGuest("uta-cat", [], { openStdin: true });
  await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
  return g;
}

/** True if `p` has not settled after `turns` event-loop turns. */
async function stillPending(p: Promise<unknown>, turns = 20): Promise<boolean> {
  let settled = false;
  void p.then(() => (settled = true), () => (settled = true));
  await nextTurns(turns);
  return !settled;
}

describe("B §6.1 common checks", () => {
  it("§6.1: action >= UTRACE_RESUME_MAX → -EINVAL", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const e = u.attachTask(g.task, CREATE, collect("A", []), null);
    u.setEvents(g.task, e, QUIESCE);
    for (const action of [UTRACE_RESUME_MAX, 8, 0x10, 1000, -1]) {
      expect(u.control(g.task, e, action), `action ${action}`).toBe(-ERRNO.EINVAL);
    }
    g.stdin.end();
    expect((await g.proc.wait()).exitCode).toBe(0);
  });

  it("§6.1: REPORT, SINGLESTEP and BLOCKSTEP on an engine without QUIESCE → -EINVAL; INTERRUPT is not checked", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const e = u.attachTask(g.task, CREATE, collect("A", []), null);
    u.setEvents(g.task, e, SYSCALL_ENTRY | SYSCALL_EXIT | SIGNAL_ALL_AND_DEATH);
    for (const action of [UTRACE_REPORT, UTRACE_SINGLESTEP, UTRACE_BLOCKSTEP]) {
      expect(u.control(g.task, e, action), `action ${action}`).toBe(-ERRNO.EINVAL);
    }
    expect(u.control(g.task, e, UTRACE_INTERRUPT)).toBe(0);
    g.stdin.end();
    await g.proc.wait();
  });

  it("§6.1/A.3: with QUIESCE, REPORT → 0 and SINGLESTEP/BLOCKSTEP → 0 (single-step is supported, no -EOPNOTSUPP)", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const e = u.attachTask(g.task, CREATE, collect("A", []), null);
    u.setEvents(g.task, e, QUIESCE);
    expect(u.control(g.task, e, UTRACE_REPORT)).toBe(0);
    expect(u.control(g.task, e, UTRACE_SINGLESTEP)).toBe(0);
    expect(u.control(g.task, e, UTRACE_BLOCKSTEP)).toBe(0);
    g.proc.kill(9);
    await g.proc.wait();
  });

  it("§6.1: an engine detached (callback returned DETACH) → -ESRCH for every action", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    let e: Engine<unknown> | undefined;
    const rcs: Record<number, number> = {};
    e = u.attachTask(g.task, CREATE, collect("A", [], { quiesce: () => UTRACE_DETACH }), null);
    u.setEvents(g.task, e, QUIESCE | SYSCALL_ENTRY);
    const b = u.attachTask(g.task, CREATE, collect("B", [], {
      syscallExit(_action, engine) {
        if (Object.keys(rcs).length > 0) return;
        for (const action of [UTRACE_STOP, UTRACE_INTERRUPT, UTRACE_RESUME, UTRACE_DETACH]) {
          rcs[action] = u.control(engine.task, e!, action);
        }
      },
    }), null);
    u.setEvents(g.task, b, SYSCALL_EXIT);
    await g.proc.wait();
    expect(rcs).toEqual({
      [UTRACE_STOP]: -ERRNO.ESRCH, [UTRACE_INTERRUPT]: -ERRNO.ESRCH, [UTRACE_RESUME]: -ERRNO.ESRCH,
      [UTRACE_DETACH]: -ERRNO.ESRCH,
    });
  });

  it("§6.1: a reaped task → -ESRCH for every action", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const e = u.attachTask(g.task, CREATE, collect("A", []), null);
    u.setEvents(g.task, e, QUIESCE);
    await g.proc.wait();
    // (REPORT and the step actions are left out: the reaped engine's flags no longer have QUIESCE,
    // and that -EINVAL check comes first.)
    for (const action of [UTRACE_STOP, UTRACE_INTERRUPT, UTRACE_RESUME, UTRACE_DETACH]) {
      expect(u.control(g.task, e, action), `action ${action}`).toBe(-ERRNO.ESRCH);
    }
  });

  it("§6.1: a dead task (inside report_death), any action but DETACH → -ESRCH; DETACH during the DEATH pass → -EALREADY", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const rcs: Record<number, number> = {};
    const e = u.attachTask(g.task, CREATE, collect("A", [], {
      death(engine) {
        for (const action of [UTRACE_STOP, UTRACE_INTERRUPT, UTRACE_REPORT, UTRACE_SINGLESTEP, UTRACE_BLOCKSTEP, UTRACE_RESUME]) {
          rcs[action] = u.control(engine.task, engine, action);
        }
        rcs[UTRACE_DETACH] = u.control(engine.task, engine, UTRACE_DETACH);
      },
    }), null);
    u.setEvents(g.task, e, QUIESCE | DEATH);
    await g.proc.wait();
    expect(rcs).toEqual({
      [UTRACE_STOP]: -ERRNO.ESRCH, [UTRACE_INTERRUPT]: -ERRNO.ESRCH, [UTRACE_REPORT]: -ERRNO.ESRCH,
      [UTRACE_SINGLESTEP]: -ERRNO.ESRCH, [UTRACE_BLOCKSTEP]: -ERRNO.ESRCH, [UTRACE_RESUME]: -ERRNO.ESRCH,
      [UTRACE_DETACH]: -ERRNO.EALREADY,
    });
  });
});

describe("B §6.2 actions", () => {
  it("§6.2/A.3: STOP on a task blocked in a syscall → -EINPROGRESS; it does not interrupt the syscall; the task stops at the resume point after it (no engine has QUIESCE)", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const e = u.attachTask(g.task, CREATE, collect("A", []), null);
    expect(u.control(g.task, e, UTRACE_STOP)).toBe(-ERRNO.EINPROGRESS);
    await nextTurns(20);
    expect(g.task.state).toBe("blocked");
    expect(u.prepareExamine(g.task, e)).toBe(-ERRNO.EAGAIN);
    g.stdin.write("one");
    await waitUntil(() => isStopped(g.task), "the task stops once the read returns");
    await nextTurns(20);
    expect(g.stdout()).toBe(""); // stopped before the write
    expect(u.prepareExamine(g.task, e)).toBe(0);
    expect(u.control(g.task, e, UTRACE_STOP)).toBe(0); // already stopped
    expect(u.control(g.task, e, UTRACE_RESUME)).toBe(0);
    await waitUntil(() => g.stdout() === "one", "the task copies the data once resumed");
    g.stdin.end();
    expect((await withTimeout(g.proc.wait(), "the guest ends")).exitCode).toBe(0);
  });

  it("§6.2: STOP before the task ran any instruction → -EINPROGRESS, and it stops before its first instruction", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const e = u.attachTask(g.task, CREATE, collect("A", log), null);
    u.setEvents(g.task, e, SYSCALL_ENTRY);
    const pc0 = g.task.hart.pc;
    expect(u.control(g.task, e, UTRACE_STOP)).toBe(-ERRNO.EINPROGRESS);
    await waitUntil(() => isStopped(g.task), "the task stops");
    expect(g.task.hart.pc).toBe(pc0);
    expect(Number(g.task.hart.instret)).toBe(0);
    expect(log).toEqual([]);
    expect(u.control(g.task, e, UTRACE_RESUME)).toBe(0);
    await withTimeout(g.proc.wait(), "the guest ends");
    expect(log[0]).toBe("A sysentry 172/1");
  });

  it("§6.2: with QUIESCE, the safe point makes report_quiesce(0)/report_signal(REPORT); returning STOP there keeps the task stopped", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const log: string[] = [];
    let hold = true;
    const e = u.attachTask(g.task, CREATE, collect("A", log, {
      quiesce: (_a, _e, event) => (event === 0 && hold ? UTRACE_STOP : UTRACE_RESUME),
      signal: (action) => (hold ? (action & ~7) | UTRACE_STOP : undefined),
    }), null);
    u.setEvents(g.task, e, QUIESCE);
    expect(u.control(g.task, e, UTRACE_STOP)).toBe(-ERRNO.EINPROGRESS);
    g.stdin.write("q");
    await waitUntil(() => isStopped(g.task), "the task stops at its safe point");
    expect(log.length).toBeGreaterThan(0);
    expect(log[log.length - 1]).toMatch(RESUME_REPORT("A"));
    hold = false;
    expect(u.control(g.task, e, UTRACE_RESUME)).toBe(0);
    g.stdin.end();
    await withTimeout(g.proc.wait(), "the guest ends");
    expect(g.stdout()).toBe("q");
  });

  it("§6.2/§5.2: with QUIESCE, an engine whose safe-point report returns RESUME after control(STOP) lets the task go (its own later return wins)", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const log: string[] = [];
    const e = u.attachTask(g.task, CREATE, collect("A", log), null);
    u.setEvents(g.task, e, QUIESCE);
    expect(u.control(g.task, e, UTRACE_STOP)).toBe(-ERRNO.EINPROGRESS);
    g.stdin.end("r");
    await withTimeout(g.proc.wait(), "the guest is not held");
    expect(log.some((l) => RESUME_REPORT("A").test(l))).toBe(true);
  });

  it("§6.2: RESUME on a running task → 0 and has no effect (no report, no stop)", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const log: string[] = [];
    const e = u.attachTask(g.task, CREATE, collect("A", log), null);
    u.setEvents(g.task, e, QUIESCE | SYSCALL_ENTRY);
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    expect(log).toEqual(["A quiesce SYSCALL_ENTRY", "A sysentry 63/0"]);
    log.length = 0;
    expect(u.control(g.task, e, UTRACE_RESUME)).toBe(0);
    await nextTurns(10);
    expect(g.task.state).toBe("blocked");
    g.stdin.end("s");
    await g.proc.wait();
    expect(log).toEqual([
      "A quiesce SYSCALL_ENTRY", "A sysentry 64/1", "A quiesce SYSCALL_ENTRY", "A sysentry 63/0",
      "A quiesce SYSCALL_ENTRY", "A sysentry 94/0", "A quiesce DEATH",
    ]);
  });

  it("§6.2: RESUME of the only engine holding a stop wakes the task", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const e = stopAtFirstEntry(g, "A", []);
    await waitUntil(() => isStopped(g.task), "A stops the task");
    expect(u.control(g.task, e, UTRACE_RESUME)).toBe(0);
    expect((await withTimeout(g.proc.wait(), "the guest ends")).exitCode).toBe(0);
    expect(g.stdout()).toBe("ok\n");
  });

  it("§6.2: REPORT on a stopped task → 0; a resume report comes before the task runs user code again", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const log: string[] = [];
    let hold = false;
    const e = u.attachTask(g.task, CREATE, collect("A", log, {
      quiesce: (_a, _e, event) => (event === 0 && hold ? UTRACE_STOP : UTRACE_RESUME),
      signal: (action) => (hold ? (action & ~7) | UTRACE_STOP : undefined),
    }), null);
    u.setEvents(g.task, e, QUIESCE | SYSCALL_ENTRY);
    hold = true;
    expect(u.control(g.task, e, UTRACE_STOP)).toBe(-ERRNO.EINPROGRESS);
    g.stdin.write("t");
    await waitUntil(() => isStopped(g.task), "the task stops at the resume point");
    hold = false;
    log.length = 0;
    expect(u.control(g.task, e, UTRACE_REPORT)).toBe(0);
    await waitUntil(() => g.stdout() === "t", "the task copies the data");
    g.stdin.end();
    await g.proc.wait();
    expect(log[0]).toMatch(RESUME_REPORT("A"));
    expect(log.indexOf("A sysentry 64/1")).toBeGreaterThan(0);
  });

  it("§6.2: REPORT on a task blocked in a syscall → 0; it keeps blocking; the resume report comes when the syscall returns, before user code", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const log: string[] = [];
    const e = u.attachTask(g.task, CREATE, collect("A", log), null);
    u.setEvents(g.task, e, QUIESCE | SYSCALL_ENTRY);
    expect(u.control(g.task, e, UTRACE_REPORT)).toBe(0);
    await nextTurns(20);
    expect(g.task.state).toBe("blocked");
    expect(log).toEqual([]);
    g.stdin.end("u");
    await g.proc.wait();
    expect(log[0]).toMatch(RESUME_REPORT("A"));
    expect(log.slice(1, 3)).toEqual(["A quiesce SYSCALL_ENTRY", "A sysentry 64/1"]);
  });

  it("§6.2: REPORT while another engine keeps the task stopped → the report comes only after that engine releases it", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const log: string[] = [];
    const a = u.attachTask(g.task, CREATE, collect("A", log), null);
    u.setEvents(g.task, a, QUIESCE | SYSCALL_ENTRY);
    const b = u.attachTask(g.task, CREATE, collect("B", []), null);
    expect(u.control(g.task, b, UTRACE_STOP)).toBe(-ERRNO.EINPROGRESS);
    g.stdin.write("v");
    await waitUntil(() => isStopped(g.task), "B's stop takes effect at the resume point");
    log.length = 0;
    expect(u.control(g.task, a, UTRACE_REPORT)).toBe(0);
    await nextTurns(20);
    expect(isStopped(g.task)).toBe(true);
    expect(log).toEqual([]);
    expect(u.control(g.task, b, UTRACE_RESUME)).toBe(0);
    await waitUntil(() => g.stdout() === "v", "the task copies the data");
    g.stdin.end();
    await g.proc.wait();
    expect(log[0]).toMatch(RESUME_REPORT("A"));
    expect(log.indexOf("A sysentry 64/1")).toBeGreaterThan(0);
  });

  it("§6.2/§5.5: INTERRUPT on a task blocked in read → 0; the read is interrupted for a report_signal(REPORT) pass, then restarts", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const log: string[] = [];
    const e = u.attachTask(g.task, CREATE, collect("A", log), null);
    u.setEvents(g.task, e, QUIESCE);
    expect(u.control(g.task, e, UTRACE_INTERRUPT)).toBe(0);
    await waitUntil(() => log.some((l) => /^A signal \d+ REPORT$/.test(l)), "a report_signal(REPORT) pass is made");
    await waitUntil(() => g.task.state === "blocked", "the read restarts and blocks again");
    expect(g.stdout()).toBe("");
    g.stdin.end("w");
    const st = await withTimeout(g.proc.wait(), "the guest ends");
    expect(st.exitCode).toBe(0);
    expect(g.stdout()).toBe("w");
  });

  it("§6.2: INTERRUPT on a stopped task → 0; it is woken and a report_signal(REPORT) pass comes before it runs user code", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const e = stopAtFirstEntry(g, "A", log, QUIESCE | SYSCALL_ENTRY);
    await waitUntil(() => isStopped(g.task), "A stops the task at its first syscall entry");
    log.length = 0;
    expect(u.control(g.task, e, UTRACE_INTERRUPT)).toBe(0);
    await withTimeout(g.proc.wait(), "the guest ends");
    const report = log.findIndex((l) => /^A signal \d+ REPORT$/.test(l));
    expect(report).toBeGreaterThanOrEqual(0);
    expect(report).toBeLessThan(log.indexOf("A sysentry 172/2"));
  });

  it("§6.2: DETACH on a stopped task → 0, synchronous, wakes it; on a running task → 0 outside callbacks", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const e = stopAtFirstEntry(g, "A", []);
    await waitUntil(() => isStopped(g.task), "A stops the task");
    expect(u.control(g.task, e, UTRACE_DETACH)).toBe(0);
    expect(e.ops).toBeNull();
    await withTimeout(g.proc.wait(), "the detach wakes the task");
    const g2 = await blockedCat();
    const e2 = g2.kernel.utrace.attachTask(g2.task, CREATE, collect("A", []), null);
    expect(g2.kernel.utrace.control(g2.task, e2, UTRACE_DETACH)).toBe(0);
    g2.stdin.end();
    await g2.proc.wait();
  });
});

describe("B §6.3 stop bookkeeping", () => {
  it("§6.3: a task stays stopped while any engine holds a stop: two engines stop it, it runs only after both resume", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const a = stopAtFirstEntry(g, "A", []);
    const b = stopAtFirstEntry(g, "B", []);
    await waitUntil(() => isStopped(g.task), "A and B stop the task");
    expect(u.control(g.task, a, UTRACE_RESUME)).toBe(0);
    await nextTurns(20);
    expect(isStopped(g.task)).toBe(true);
    expect(g.stdout()).toBe("");
    expect(u.prepareExamine(g.task, b)).toBe(0);
    expect(u.control(g.task, b, UTRACE_RESUME)).toBe(0);
    await withTimeout(g.proc.wait(), "the guest runs once both released it");
    expect(g.stdout()).toBe("ok\n");
  });

  it("§6.3: each engine releases only its own stop: RESUME, REPORT, INTERRUPT and DETACH of an engine that holds none leave the task stopped", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const a = stopAtFirstEntry(g, "A", []);
    const b = u.attachTask(g.task, CREATE, collect("B", []), null);
    u.setEvents(g.task, b, QUIESCE);
    await waitUntil(() => isStopped(g.task), "A stops the task");
    for (const action of [UTRACE_RESUME, UTRACE_REPORT, UTRACE_INTERRUPT, UTRACE_DETACH]) {
      expect(u.control(g.task, b, action), `B action ${action}`).toBe(0);
      await nextTurns(10);
      expect(isStopped(g.task), `after B action ${action}`).toBe(true);
    }
    expect(g.stdout()).toBe("");
    expect(u.control(g.task, a, UTRACE_RESUME)).toBe(0);
    await withTimeout(g.proc.wait(), "the guest runs once A released it");
  });

  it("§6.2/§6.3: STOP on an already stopped task → 0, and the task then stays stopped until this engine resumes it too", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const a = stopAtFirstEntry(g, "A", []);
    const b = u.attachTask(g.task, CREATE, collect("B", []), null);
    await waitUntil(() => isStopped(g.task), "A stops the task");
    expect(u.control(g.task, b, UTRACE_STOP)).toBe(0);
    expect(u.control(g.task, a, UTRACE_RESUME)).toBe(0);
    await nextTurns(20);
    expect(isStopped(g.task)).toBe(true);
    expect(u.control(g.task, b, UTRACE_RESUME)).toBe(0);
    await withTimeout(g.proc.wait(), "the guest runs once B released it");
  });

  it("§6.2/§6.3: an engine attached while the task is stopped can hold the stop too: STOP → 0, and the task waits for it", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const a = stopAtFirstEntry(g, "A", []);
    await waitUntil(() => isStopped(g.task), "A stops the task");
    const b = u.attachTask(g.task, CREATE, collect("B", []), null);
    expect(u.control(g.task, b, UTRACE_STOP)).toBe(0);
    expect(u.prepareExamine(g.task, b)).toBe(0);
    expect(u.control(g.task, a, UTRACE_RESUME)).toBe(0);
    await nextTurns(20);
    expect(isStopped(g.task)).toBe(true);
    expect(u.control(g.task, b, UTRACE_RESUME)).toBe(0);
    await withTimeout(g.proc.wait(), "the guest runs once B released it");
  });

  it("§6.3: a pass that ends in STOP does not stop the task if the engine's stop was released during the pass (nobody holds one)", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    let rc = 1;
    let a: Engine<unknown> | undefined;
    // B is older, so in the (newest-first) entry pass it is called after A's STOP.
    const b = u.attachTask(g.task, CREATE, collect("B", [], {
      syscallEntry(_action, engine) {
        if (rc === 1) rc = u.control(engine.task, a!, UTRACE_RESUME);
      },
    }), null);
    u.setEvents(g.task, b, SYSCALL_ENTRY);
    let first = true;
    a = u.attachTask(g.task, CREATE, collect("A", [], {
      syscallEntry() {
        if (!first) return;
        first = false;
        return UTRACE_STOP;
      },
    }), null);
    u.setEvents(g.task, a, SYSCALL_ENTRY);
    const st = await withTimeout(g.proc.wait(), "the task is not stopped once A's stop was released", 3000);
    expect(rc).toBe(0);
    expect(st.exitCode).toBe(0);
  });

  it("A.3/§9.2.3: a sticky stop without QUIESCE cannot park the task with nobody holding it", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let rc = 1;
    const a = u.attachTask(g.task, CREATE, collect("A", log), null); // no QUIESCE; returns RESUME
    u.setEvents(g.task, a, SYSCALL_ENTRY);
    // B is newer, so it runs first in the entry pass and gives A a stop A's own callback then drops.
    const b = u.attachTask(g.task, CREATE, collect("B", log, {
      syscallEntry(_action, engine) {
        if (rc === 1) rc = u.control(engine.task, a, UTRACE_STOP);
      },
    }), null);
    u.setEvents(g.task, b, SYSCALL_ENTRY);
    const st = await withTimeout(g.proc.wait(), "the task is not parked with no engine holding a stop", 3000);
    expect(rc).toBe(-ERRNO.EINPROGRESS);
    expect(st.exitCode).toBe(0);
    expect(log.slice(0, 2)).toEqual(["B sysentry 172/1", "A sysentry 172/1"]);
  });

  it("A.3: …whereas if that engine's callback returns STOP, the task parks, held by it, until it resumes the task", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    let rc = 1;
    const a = u.attachTask(g.task, CREATE, collect("A", [], { syscallEntry: () => UTRACE_STOP }), null);
    u.setEvents(g.task, a, SYSCALL_ENTRY);
    const b = u.attachTask(g.task, CREATE, collect("B", [], {
      syscallEntry(_action, engine) {
        if (rc === 1) rc = u.control(engine.task, a, UTRACE_STOP);
      },
    }), null);
    u.setEvents(g.task, b, SYSCALL_ENTRY);
    await waitUntil(() => isStopped(g.task), "A's STOP parks the task");
    expect(u.prepareExamine(g.task, a)).toBe(0);
    u.setEvents(g.task, a, 0);
    expect(u.control(g.task, a, UTRACE_RESUME)).toBe(0);
    await withTimeout(g.proc.wait(), "the guest ends");
  });

  it("A.3/§9.2.1: a deferred STOP (from report_syscall_exit) with no QUIESCE engine is honoured at the resume point", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let first = true;
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      syscallExit() {
        if (!first) return;
        first = false;
        return UTRACE_STOP;
      },
    }), null);
    u.setEvents(g.task, a, SYSCALL_EXIT);
    const b = u.attachTask(g.task, CREATE, collect("B", log), null);
    u.setEvents(g.task, b, SYSCALL_ENTRY);
    await waitUntil(() => isStopped(g.task), "the task stops at the resume point after getpid");
    await nextTurns(20);
    expect(log).toEqual(["B sysentry 172/1", "A sysexit 172/1"]);
    expect(u.prepareExamine(g.task, a)).toBe(0);
    expect(u.control(g.task, a, UTRACE_RESUME)).toBe(0);
    await withTimeout(g.proc.wait(), "the guest ends");
    expect(log.slice(2, 4)).toEqual(["B sysentry 172/2", "A sysexit 172/2"]);
  });
});

describe("B §6.4 SIGKILL primacy", () => {
  it("§6.4: SIGKILL ends a stop at syscall entry held by two engines: the syscall does not run, the task dies, exit/death/reap reports follow", async () => {
    const g = spawnGuest("uta-calls");
    const log: string[] = [];
    const stopAtWrite = (_action: number, _engine: Engine<unknown>, regs: { syscallNumber: bigint }) =>
      regs.syscallNumber === BigInt(SYS.write) ? UTRACE_STOP : undefined;
    const u = g.kernel.utrace;
    const a = u.attachTask(g.task, CREATE, collect("A", log, { syscallEntry: stopAtWrite }), null);
    const b = u.attachTask(g.task, CREATE, collect("B", [], { syscallEntry: stopAtWrite }), null);
    u.setEvents(g.task, a, SYSCALL_ENTRY | EXIT | DEATH | REAP);
    u.setEvents(g.task, b, SYSCALL_ENTRY);
    await waitUntil(() => isStopped(g.task), "the task stops at the write's entry");
    log.length = 0;
    g.proc.kill(9);
    const st = await withTimeout(g.proc.wait(), "SIGKILL ends the stop");
    expect(st).toEqual({ exitCode: null, signal: 9, coreDumped: false });
    expect(g.stdout()).toBe("");
    const tail = log.filter((l) => !l.includes("sys"));
    expect(tail).toHaveLength(3);
    expect(tail[0]).toMatch(/^A exit /);
    expect(tail.slice(1)).toEqual(["A death", "A reap"]);
  });

  it("§6.4/§9.2.7: a STOP returned from report_exit does not hold a task dying from SIGKILL", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const log: string[] = [];
    const e = u.attachTask(g.task, CREATE, collect("A", log, { exit: () => UTRACE_STOP }), null);
    u.setEvents(g.task, e, EXIT | DEATH);
    g.proc.kill(9);
    const st = await withTimeout(g.proc.wait(), "the killed task is not held in report_exit");
    expect(st.signal).toBe(9);
    expect(log).toEqual([expect.stringMatching(/^A exit /), "A death"]);
  });

  it("§6.4: a killed task never enters a utrace stop, even with a stop requested before the kill", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const e = u.attachTask(g.task, CREATE, collect("A", [], { quiesce: () => UTRACE_STOP }), null);
    u.setEvents(g.task, e, QUIESCE | SYSCALL_ENTRY | SYSCALL_EXIT | EXIT);
    expect(u.control(g.task, e, UTRACE_STOP)).toBe(-ERRNO.EINPROGRESS);
    g.proc.kill(9);
    expect((await withTimeout(g.proc.wait(), "the killed task does not stop")).signal).toBe(9);
  });

  it("§6.4: a killed task never enters a utrace stop, even with a stop requested after the kill", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const e = u.attachTask(g.task, CREATE, collect("A", [], { quiesce: () => UTRACE_STOP, exit: () => UTRACE_STOP }), null);
    u.setEvents(g.task, e, QUIESCE | EXIT);
    g.proc.kill(9);
    u.control(g.task, e, UTRACE_STOP);
    expect((await withTimeout(g.proc.wait(), "the killed task does not stop")).signal).toBe(9);
  });

  it("§6.4: after SIGKILL broke a stop, control and setEvents tell which final callbacks still run: -ESRCH / -EALREADY in report_death, -ESRCH after the reap", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const rcs: Record<string, number> = {};
    let first = true;
    const e = u.attachTask(g.task, CREATE, collect("A", [], {
      syscallEntry() {
        if (!first) return;
        first = false;
        return UTRACE_STOP;
      },
      death(engine) {
        rcs.resume = u.control(engine.task, engine, UTRACE_RESUME);
        rcs.stop = u.control(engine.task, engine, UTRACE_STOP);
        rcs.clearDeath = u.setEvents(engine.task, engine, SYSCALL_ENTRY | REAP);
        rcs.detach = u.control(engine.task, engine, UTRACE_DETACH);
      },
    }), null);
    u.setEvents(g.task, e, SYSCALL_ENTRY | DEATH | REAP);
    await waitUntil(() => isStopped(g.task), "A stops the task");
    g.proc.kill(9);
    await withTimeout(g.proc.wait(), "SIGKILL ends the stop");
    expect(rcs).toEqual({ resume: -ERRNO.ESRCH, stop: -ERRNO.ESRCH, clearDeath: -ERRNO.EALREADY, detach: -ERRNO.EALREADY });
    expect(u.control(g.task, e, UTRACE_RESUME)).toBe(-ERRNO.ESRCH);
    expect(u.control(g.task, e, UTRACE_DETACH)).toBe(-ERRNO.ESRCH);
    expect(u.setEvents(g.task, e, 0)).toBe(-ERRNO.ESRCH);
  });
});

describe("B §6.5 barrier", () => {
  it("§6.5: barrier on current (from inside a callback) → 0, for the engine being called and for another", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const results: Promise<number>[] = [];
    let b: Engine<unknown> | undefined;
    const a = u.attachTask(g.task, CREATE, collect("A", [], {
      syscallEntry(_action, engine) {
        if (results.length === 0) results.push(u.barrier(engine.task, engine), u.barrier(engine.task, b!));
      },
    }), null);
    b = u.attachTask(g.task, CREATE, collect("B", []), null);
    u.setEvents(g.task, a, SYSCALL_ENTRY);
    await g.proc.wait();
    expect(await Promise.all(results)).toEqual([0, 0]);
  });

  it("§6.5: barrier on a live engine with no callback in progress → 0 (running task and stopped task)", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const e = u.attachTask(g.task, CREATE, collect("A", []), null);
    u.setEvents(g.task, e, QUIESCE | SYSCALL_ENTRY);
    expect(await withTimeout(u.barrier(g.task, e), "barrier on a running task")).toBe(0);
    const g2 = spawnGuest("uta-calls");
    const e2 = stopAtFirstEntry(g2, "A", []);
    await waitUntil(() => isStopped(g2.task), "A stops the task");
    expect(await withTimeout(g2.kernel.utrace.barrier(g2.task, e2), "barrier on a stopped task")).toBe(0);
    // The returned STOP was recorded before the barrier returned.
    expect(g2.kernel.utrace.prepareExamine(g2.task, e2)).toBe(0);
    g.stdin.end();
    g2.proc.kill(9);
    await Promise.all([g.proc.wait(), g2.proc.wait()]);
  });

  it("§6.5: barrier on a fully detached engine → -ESRCH", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const e = u.attachTask(g.task, CREATE, collect("A", [], { syscallEntry: () => UTRACE_DETACH }), null);
    u.setEvents(g.task, e, SYSCALL_ENTRY);
    await g.proc.wait();
    expect(await withTimeout(u.barrier(g.task, e), "barrier")).toBe(-ERRNO.ESRCH);
  });

  it("§6.5: barrier on an engine marked detached but not yet unlinked waits, and → -ESRCH once the task's next pass unlinks it", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const e = u.attachTask(g.task, CREATE, collect("A", []), null);
    u.setEvents(g.task, e, QUIESCE | SYSCALL_ENTRY);
    expect(u.control(g.task, e, UTRACE_DETACH)).toBe(0);
    const p = u.barrier(g.task, e);
    expect(await stillPending(p)).toBe(true);
    g.stdin.write("x");
    expect(await withTimeout(p, "barrier after the unlink")).toBe(-ERRNO.ESRCH);
    g.stdin.end();
    await g.proc.wait();
  });
});

describe("B §6.6 prepareExamine / finishExamine", () => {
  it("§6.6: prepareExamine without a stop held by the engine → -EINVAL (running task; task stopped by another engine)", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const e = u.attachTask(g.task, CREATE, collect("A", []), null);
    expect(u.prepareExamine(g.task, e)).toBe(-ERRNO.EINVAL);
    expect(u.finishExamine(g.task, e)).toBe(-ERRNO.EINVAL);
    g.stdin.end();
    await g.proc.wait();

    const g2 = spawnGuest("uta-calls");
    stopAtFirstEntry(g2, "A", []);
    const b = g2.kernel.utrace.attachTask(g2.task, CREATE, collect("B", []), null);
    await waitUntil(() => isStopped(g2.task), "A stops the task");
    expect(g2.kernel.utrace.prepareExamine(g2.task, b)).toBe(-ERRNO.EINVAL);
    g2.proc.kill(9);
    await g2.proc.wait();
  });

  it("§6.6: prepareExamine while the engine holds a stop but the task is not stopped yet → -EAGAIN", async () => {
    const g = await blockedCat();
    const u = g.kernel.utrace;
    const e = u.attachTask(g.task, CREATE, collect("A", []), null);
    expect(u.control(g.task, e, UTRACE_STOP)).toBe(-ERRNO.EINPROGRESS);
    expect(u.prepareExamine(g.task, e)).toBe(-ERRNO.EAGAIN);
    g.proc.kill(9);
    await g.proc.wait();
  });

  it("§6.6: on a stopped task prepareExamine → 0 and finishExamine → 0 when it has not run in between", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const e = stopAtFirstEntry(g, "A", []);
    await waitUntil(() => isStopped(g.task), "A stops the task");
    expect(u.prepareExamine(g.task, e)).toBe(0);
    await nextTurns(10);
    expect(u.finishExamine(g.task, e)).toBe(0);
    expect(u.control(g.task, e, UTRACE_RESUME)).toBe(0);
    await g.proc.wait();
  });

  it("§6.6: finishExamine → -EAGAIN when the task ran in between (resumed and stopped again by the same engine)", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const e = u.attachTask(g.task, CREATE, collect("A", [], { syscallEntry: () => UTRACE_STOP }), null);
    u.setEvents(g.task, e, SYSCALL_ENTRY);
    await waitUntil(() => isStopped(g.task), "A stops the task at getpid 1");
    expect(u.prepareExamine(g.task, e)).toBe(0);
    expect(u.control(g.task, e, UTRACE_RESUME)).toBe(0);
    await waitUntil(() => isStopped(g.task) && g.task.hart.x64[10] === 2n, "A stops the task again at getpid 2");
    expect(u.finishExamine(g.task, e)).toBe(-ERRNO.EAGAIN);
    g.proc.kill(9);
    await g.proc.wait();
  });

  it("§6.6: finishExamine → -EINVAL when the engine released its stop after prepareExamine", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const e = stopAtFirstEntry(g, "A", []);
    await waitUntil(() => isStopped(g.task), "A stops the task");
    expect(u.prepareExamine(g.task, e)).toBe(0);
    expect(u.control(g.task, e, UTRACE_RESUME)).toBe(0);
    expect(u.finishExamine(g.task, e)).toBe(-ERRNO.EINVAL);
    await g.proc.wait();
  });

  it("§6.6: prepareExamine and finishExamine on current (inside a callback) → 0, even without a stop", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const rcs: number[] = [];
    const e = u.attachTask(g.task, CREATE, collect("A", [], {
      syscallEntry(_action, engine) {
        if (rcs.length === 0) rcs.push(u.prepareExamine(engine.task, engine), u.finishExamine(engine.task, engine));
      },
    }), null);
    u.setEvents(g.task, e, SYSCALL_ENTRY);
    await g.proc.wait();
    expect(rcs).toEqual([0, 0]);
  });
});

describe("Part A.2 time and concurrency", () => {
  it("A.2: while process A's task is stopped, process B in the same kernel runs to completion", async () => {
    const k = newKernel();
    const ga = spawnGuest("uta-calls", [], { kernel: k });
    const a = stopAtFirstEntry(ga, "A", []);
    await waitUntil(() => isStopped(ga.task), "A stops process A's task");
    const gb = spawnGuest("uta-calls", [], { kernel: k });
    const st = await withTimeout(gb.proc.wait(), "process B runs while A is stopped");
    expect(st.exitCode).toBe(0);
    expect(gb.stdout()).toBe("ok\n");
    expect(isStopped(ga.task)).toBe(true);
    expect(ga.stdout()).toBe("");
    expect(k.utrace.control(ga.task, a, UTRACE_RESUME)).toBe(0);
    expect((await withTimeout(ga.proc.wait(), "process A ends once resumed")).exitCode).toBe(0);
  });

  it("A.2: the event loop keeps running while a task is stopped (a setTimeout fires during the stop)", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const e = stopAtFirstEntry(g, "A", []);
    await waitUntil(() => isStopped(g.task), "A stops the task");
    const stoppedWhenFired = await withTimeout(
      new Promise<boolean>((resolve) => setTimeout(() => resolve(isStopped(g.task)), 20)),
      "a timer fires while the task is stopped",
    );
    expect(stoppedWhenFired).toBe(true);
    expect(u.control(g.task, e, UTRACE_RESUME)).toBe(0);
    await g.proc.wait();
  });

  it("A.2: determinism: the same guests and engines give the same callback order on every run", async () => {
    async function once(): Promise<string[]> {
      const k: Kernel = newKernel();
      const log: string[] = [];
      const guests = [spawnGuest("uta-calls", [], { kernel: k }), spawnGuest("signals", [], { kernel: k })];
      guests.forEach((g, i) => {
        const u = k.utrace;
        const all = QUIESCE | SYSCALL_ENTRY | SYSCALL_EXIT | EXIT | DEATH | REAP | UTRACE_EVENT_SIGNAL_ALL;
        const e1 = u.attachTask(g.task, CREATE, collect(`p${i}.A`, log), null);
        u.setEvents(g.task, e1, all);
        let stops = 0;
        const e2 = u.attachTask(g.task, CREATE, collect(`p${i}.B`, log, {
          syscallEntry(_action, engine) {
            if (stops++ % 3 !== 0) return;
            void Promise.resolve().then(() => u.control(engine.task, engine, UTRACE_RESUME));
            return UTRACE_STOP;
          },
        }), null);
        u.setEvents(g.task, e2, SYSCALL_ENTRY | SIGNAL_ALL_AND_DEATH);
      });
      await Promise.all(guests.map((g) => g.proc.wait()));
      return log;
    }
    const first = await once();
    const second = await once();
    expect(first.length).toBeGreaterThan(50);
    expect(second).toEqual(first);
  });
});
