// utrace-spec.md Part B §2: the event bits (values, aggregates, which callback each selects and its
// side effects on the emulated kernel) and utrace.setEvents (return codes and when a change takes
// effect, including the report_quiesce rule).
//
// §2.2 step 5 (-EINPROGRESS when clearing bits while a callback to this engine runs on the target,
// which is not current): in rvtrace a callback runs synchronously on its task's turn, so the only
// code that can run while a task is inside a callback to an engine is that callback itself (or what
// it calls), and there the target is current. The positive case therefore cannot be constructed;
// the tests below check every "otherwise 0" case: on current, from another task, on a stopped task,
// on a running task outside a callback, and when only adding bits.
import { describe, expect, it } from "vitest";
import {
  UTRACE_ATTACH_CREATE, UTRACE_DETACH, UTRACE_EVENT, UTRACE_EVENT_SIGNAL_ALL, UTRACE_EVENT_SYSCALL, UTRACE_RESUME,
  UTRACE_STOP, type Engine,
} from "../../src/index.js";
import { ERRNO, collect, isStopped, nextTurns, spawnGuest, waitUntil, withTimeout } from "./helpers.js";

const CREATE = UTRACE_ATTACH_CREATE;
const {
  QUIESCE, REAP, CLONE, EXEC, EXIT, DEATH, SYSCALL_ENTRY, SYSCALL_EXIT, SIGNAL, SIGNAL_IGN, SIGNAL_STOP, SIGNAL_TERM,
  SIGNAL_CORE, JCTL,
} = UTRACE_EVENT;

const UTA_CALLS_ENTRIES = ["172/1", "172/2", "172/3", "64/1", "94/0"];
const UTA_CALLS_EXITS = ["172/1", "172/2", "172/3", "64/1"];

describe("B §2.1 event bits", () => {
  it("§2.1: each UTRACE_EVENT bit is 1 << its index in the table", () => {
    const table: [keyof typeof UTRACE_EVENT, number, number][] = [
      ["QUIESCE", 0, 0x0001], ["REAP", 1, 0x0002], ["CLONE", 2, 0x0004], ["EXEC", 3, 0x0008],
      ["EXIT", 4, 0x0010], ["DEATH", 5, 0x0020], ["SYSCALL_ENTRY", 6, 0x0040], ["SYSCALL_EXIT", 7, 0x0080],
      ["SIGNAL", 8, 0x0100], ["SIGNAL_IGN", 9, 0x0200], ["SIGNAL_STOP", 10, 0x0400], ["SIGNAL_TERM", 11, 0x0800],
      ["SIGNAL_CORE", 12, 0x1000], ["JCTL", 13, 0x2000],
    ];
    for (const [name, index, mask] of table) {
      expect(UTRACE_EVENT[name], name).toBe(mask);
      expect(1 << index, name).toBe(mask);
    }
    expect(Object.keys(UTRACE_EVENT).sort()).toEqual(table.map(([n]) => n).sort());
  });

  it("§2.1: the event bits are 14 distinct bits below bit 14 (0x4000 is the internal ENGINE_STOP bit)", () => {
    const all = Object.values(UTRACE_EVENT).reduce((a, b) => a | b, 0);
    expect(all).toBe(0x3fff);
    expect(Object.values(UTRACE_EVENT)).not.toContain(0x4000);
  });

  it("§2.1: UTRACE_EVENT_SIGNAL_ALL = 0x1F00, the five SIGNAL_* bits", () => {
    expect(UTRACE_EVENT_SIGNAL_ALL).toBe(0x1f00);
    expect(SIGNAL | SIGNAL_IGN | SIGNAL_STOP | SIGNAL_TERM | SIGNAL_CORE).toBe(UTRACE_EVENT_SIGNAL_ALL);
  });

  it("§2.1: UTRACE_EVENT_SYSCALL = 0x00C0 = SYSCALL_ENTRY | SYSCALL_EXIT", () => {
    expect(UTRACE_EVENT_SYSCALL).toBe(0x00c0);
    expect(SYSCALL_ENTRY | SYSCALL_EXIT).toBe(UTRACE_EVENT_SYSCALL);
  });

  it("§2.1: each bit selects its own callback: SYSCALL_ENTRY, SYSCALL_EXIT, EXIT, DEATH, REAP, QUIESCE (one engine per bit on one task)", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const logs: Record<string, string[]> = {};
    const bits: [string, number][] = [
      ["entry", SYSCALL_ENTRY], ["sysexit", SYSCALL_EXIT], ["exit", EXIT], ["death", DEATH], ["reap", REAP],
      ["quiesce", QUIESCE], ["unused", CLONE | EXEC | JCTL],
    ];
    for (const [name, bit] of bits) {
      logs[name] = [];
      const e = u.attachTask(g.task, CREATE, collect(name, logs[name]), null);
      expect(u.setEvents(g.task, e, bit)).toBe(0);
    }
    await g.proc.wait();
    expect(g.stdout()).toBe("ok\n");
    expect(logs.entry).toEqual(UTA_CALLS_ENTRIES.map((s) => `entry sysentry ${s}`));
    expect(logs.sysexit).toEqual(UTA_CALLS_EXITS.map((s) => `sysexit sysexit ${s}`));
    expect(logs.exit).toEqual(["exit exit 0"]);
    expect(logs.death).toEqual(["death death"]);
    expect(logs.reap).toEqual(["reap reap"]);
    expect(logs.unused).toEqual([]);
    // QUIESCE: before every event pass, whatever event it is; a death report too; never before reap.
    expect(logs.quiesce).toEqual([
      "quiesce quiesce SYSCALL_ENTRY", "quiesce quiesce SYSCALL_EXIT",
      "quiesce quiesce SYSCALL_ENTRY", "quiesce quiesce SYSCALL_EXIT",
      "quiesce quiesce SYSCALL_ENTRY", "quiesce quiesce SYSCALL_EXIT",
      "quiesce quiesce SYSCALL_ENTRY", "quiesce quiesce SYSCALL_EXIT",
      "quiesce quiesce SYSCALL_ENTRY",
      "quiesce quiesce EXIT",
      "quiesce quiesce DEATH",
    ]);
  });

  it("§2.1: UTRACE_EVENT_SYSCALL selects both syscall callbacks", async () => {
    const g = spawnGuest("uta-calls");
    const log: string[] = [];
    const e = g.kernel.utrace.attachTask(g.task, CREATE, collect("A", log), null);
    g.kernel.utrace.setEvents(g.task, e, UTRACE_EVENT_SYSCALL);
    await g.proc.wait();
    expect(log).toEqual([
      "A sysentry 172/1", "A sysexit 172/1", "A sysentry 172/2", "A sysexit 172/2", "A sysentry 172/3",
      "A sysexit 172/3", "A sysentry 64/1", "A sysexit 64/1", "A sysentry 94/0",
    ]);
  });

  it("§2.1: DEATH or QUIESCE makes the death report run; an engine with neither gets no death report", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const q = u.attachTask(g.task, CREATE, collect("Q", log), null);
    u.setEvents(g.task, q, QUIESCE);
    const d = u.attachTask(g.task, CREATE, collect("D", log), null);
    u.setEvents(g.task, d, DEATH);
    const n = u.attachTask(g.task, CREATE, collect("N", log), null);
    u.setEvents(g.task, n, EXIT | REAP);
    await g.proc.wait();
    expect(log.slice(-5)).toEqual(["Q quiesce EXIT", "N exit 0", "Q quiesce DEATH", "D death", "N reap"]);
  });

  it("§2.1: SIGNAL selects report_signal for signals about to run a handler (DELIVER)", async () => {
    const g = spawnGuest("signals");
    const log: string[] = [];
    const e = g.kernel.utrace.attachTask(g.task, CREATE, collect("S", log), null);
    g.kernel.utrace.setEvents(g.task, e, SIGNAL);
    const st = await g.proc.wait();
    expect(st.signal).toBe(10);
    expect(log).toEqual([10, 12, 10, 12, 11, 11, 11, 4, 5].map((n) => `S signal ${n} DELIVER`));
  });

  it("§2.1: SIGNAL_IGN selects report_signal for ignored signals, which are then queued rather than dropped at send time", async () => {
    const g = spawnGuest("signals");
    const log: string[] = [];
    const e = g.kernel.utrace.attachTask(g.task, CREATE, collect("I", log), null);
    g.kernel.utrace.setEvents(g.task, e, SIGNAL_IGN);
    await g.proc.wait();
    expect(log).toEqual(["I signal 12 IGN"]); // signal(SIGUSR2, SIG_IGN); raise(SIGUSR2)
    expect(g.stdout()).toContain("  ignored SIGUSR2: usr2=1\n");
  });

  it("§2.1: SIGNAL_TERM selects report_signal for signals that terminate", async () => {
    const g = spawnGuest("signals");
    const log: string[] = [];
    const e = g.kernel.utrace.attachTask(g.task, CREATE, collect("T", log), null);
    g.kernel.utrace.setEvents(g.task, e, SIGNAL_TERM);
    const st = await g.proc.wait();
    expect(log).toEqual(["T signal 10 TERM"]);
    expect(st).toEqual({ exitCode: null, signal: 10, coreDumped: false });
  });

  it("§2.1: SIGNAL_CORE selects report_signal for signals that dump core", async () => {
    const g = spawnGuest("exit-segv");
    const log: string[] = [];
    const e = g.kernel.utrace.attachTask(g.task, CREATE, collect("C", log), null);
    g.kernel.utrace.setEvents(g.task, e, SIGNAL_CORE);
    const st = await g.proc.wait();
    expect(log).toEqual(["C signal 11 CORE"]);
    expect(st).toEqual({ exitCode: null, signal: 11, coreDumped: true });
  });

  it("§2.1: UTRACE_EVENT_SIGNAL_ALL selects every signal report", async () => {
    const g = spawnGuest("signals");
    const log: string[] = [];
    const e = g.kernel.utrace.attachTask(g.task, CREATE, collect("A", log), null);
    g.kernel.utrace.setEvents(g.task, e, UTRACE_EVENT_SIGNAL_ALL);
    await g.proc.wait();
    expect(log).toEqual([
      "A signal 10 DELIVER", "A signal 12 DELIVER", "A signal 10 DELIVER", "A signal 12 IGN", "A signal 12 DELIVER",
      "A signal 11 DELIVER", "A signal 11 DELIVER", "A signal 11 DELIVER", "A signal 4 DELIVER", "A signal 5 DELIVER",
      "A signal 10 TERM",
    ]);
  });
});

describe("B §2.2 setEvents: mask and return codes", () => {
  it("§2.2: setEvents returns 0 and replaces the mask (a second call does not OR into it)", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const e = u.attachTask(g.task, CREATE, collect("A", log), null);
    expect(u.setEvents(g.task, e, SYSCALL_ENTRY | DEATH)).toBe(0);
    expect(e.flags).toBe(SYSCALL_ENTRY | DEATH);
    expect(u.setEvents(g.task, e, SYSCALL_EXIT)).toBe(0);
    expect(e.flags).toBe(SYSCALL_EXIT);
    await g.proc.wait();
    expect(log).toEqual(UTA_CALLS_EXITS.map((s) => `A sysexit ${s}`));
  });

  it("§2.2: the internal ENGINE_STOP bit (0x4000) in the mask is ignored: not in flags, and the task is not held", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const e = u.attachTask(g.task, CREATE, collect("A", log), null);
    expect(u.setEvents(g.task, e, QUIESCE | SYSCALL_ENTRY | 0x4000)).toBe(0);
    expect(e.flags).toBe(QUIESCE | SYSCALL_ENTRY);
    expect(u.prepareExamine(g.task, e)).toBe(-ERRNO.EINVAL); // the engine holds no stop
    const st = await withTimeout(g.proc.wait(), "the guest runs to completion, not held");
    expect(st.exitCode).toBe(0);
  });

  it("§2.2: the engine's own stop bit is preserved by a setEvents that does not mention it", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const e = u.attachTask(g.task, CREATE, collect("A", log, { syscallEntry: () => UTRACE_STOP }), null);
    u.setEvents(g.task, e, QUIESCE | SYSCALL_ENTRY);
    await waitUntil(() => isStopped(g.task), "A stops the task at its first syscall entry");
    expect(u.setEvents(g.task, e, QUIESCE)).toBe(0);
    await nextTurns(20);
    expect(isStopped(g.task)).toBe(true);
    expect(u.prepareExamine(g.task, e)).toBe(0);
    expect(u.control(g.task, e, UTRACE_RESUME)).toBe(0);
    await withTimeout(g.proc.wait(), "the task runs once A resumes it");
  });

  it("§2.2: -ESRCH for an engine marked detached (running task) and for one fully detached", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const e = u.attachTask(g.task, CREATE, collect("A", []), null);
    u.setEvents(g.task, e, QUIESCE);
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    expect(u.control(g.task, e, UTRACE_DETACH)).toBe(0);
    expect(u.setEvents(g.task, e, SYSCALL_ENTRY)).toBe(-ERRNO.ESRCH);
    g.stdin.write("x");
    await waitUntil(() => e.ops === null, "the detach completes at the next pass");
    expect(u.setEvents(g.task, e, SYSCALL_ENTRY)).toBe(-ERRNO.ESRCH);
    expect(u.setEvents(g.task, e, 0)).toBe(-ERRNO.ESRCH);
    g.stdin.end();
    await g.proc.wait();
  });

  it("§2.2: -ESRCH once the task is reaped: inside report_reap and afterwards", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    let inReap = 0;
    const e = u.attachTask(g.task, CREATE, collect("A", [], {
      reap(engine, task) {
        inReap = u.setEvents(task, engine, 0);
      },
    }), null);
    u.setEvents(g.task, e, REAP);
    await g.proc.wait();
    expect(inReap).toBe(-ERRNO.ESRCH);
    expect(u.setEvents(g.task, e, REAP)).toBe(-ERRNO.ESRCH);
  });

  it("§2.2: clearing DEATH while the DEATH pass runs → -EALREADY and the mask is unchanged", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    let rc = 0;
    let after = 0;
    const e = u.attachTask(g.task, CREATE, collect("A", [], {
      death(engine) {
        rc = u.setEvents(engine.task, engine, REAP);
        after = engine.flags;
      },
    }), null);
    u.setEvents(g.task, e, DEATH | REAP);
    await g.proc.wait();
    expect(rc).toBe(-ERRNO.EALREADY);
    expect(after).toBe(DEATH | REAP);
  });

  it("§2.2: clearing QUIESCE while the DEATH pass runs → -EALREADY and the mask is unchanged", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    let rc = 0;
    let after = 0;
    const e = u.attachTask(g.task, CREATE, collect("A", [], {
      death(engine) {
        rc = u.setEvents(engine.task, engine, DEATH);
        after = engine.flags;
      },
    }), null);
    u.setEvents(g.task, e, QUIESCE | DEATH);
    await g.proc.wait();
    expect(rc).toBe(-ERRNO.EALREADY);
    expect(after).toBe(QUIESCE | DEATH);
  });

  it("§2.2: clearing another engine's DEATH from a report_death → -EALREADY, and that engine's report_death still runs", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let rc = 0;
    let bFlags = 0;
    let b: Engine<unknown> | undefined;
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      death(engine) {
        rc = u.setEvents(engine.task, b!, 0);
        bFlags = b!.flags;
      },
    }), null);
    b = u.attachTask(g.task, CREATE, collect("B", log), null);
    u.setEvents(g.task, a, DEATH);
    u.setEvents(g.task, b, DEATH);
    await g.proc.wait();
    expect(rc).toBe(-ERRNO.EALREADY);
    expect(bFlags).toBe(DEATH);
    expect(log).toEqual(["A death", "B death"]);
  });

  it("§2.2: during the DEATH pass, a change that keeps DEATH and QUIESCE → 0", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    let rc = 1;
    const e = u.attachTask(g.task, CREATE, collect("A", [], {
      death(engine) {
        rc = u.setEvents(engine.task, engine, QUIESCE | DEATH);
      },
    }), null);
    u.setEvents(g.task, e, QUIESCE | DEATH | SYSCALL_ENTRY | REAP);
    await g.proc.wait();
    expect(rc).toBe(0);
  });

  it("§2.2: newly setting DEATH or QUIESCE once the task has an exit_state → -EALREADY, no change, and no such report follows", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const rcs: number[] = [];
    const masks: number[] = [];
    let b: Engine<unknown> | undefined;
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      death(engine) {
        rcs.push(u.setEvents(engine.task, b!, REAP | DEATH));
        rcs.push(u.setEvents(engine.task, b!, REAP | QUIESCE));
        rcs.push(u.setEvents(engine.task, engine, DEATH | QUIESCE)); // QUIESCE is new for A
        masks.push(b!.flags, engine.flags);
      },
    }), null);
    b = u.attachTask(g.task, CREATE, collect("B", log), null);
    u.setEvents(g.task, a, DEATH);
    u.setEvents(g.task, b, REAP);
    await g.proc.wait();
    expect(rcs).toEqual([-ERRNO.EALREADY, -ERRNO.EALREADY, -ERRNO.EALREADY]);
    expect(masks).toEqual([REAP, DEATH]);
    expect(log).toEqual(["A death", "B reap"]);
  });

  it("§2.2: newly setting DEATH before the exit_state (from report_exit) → 0, and report_death then runs", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let rc = 1;
    let b: Engine<unknown> | undefined;
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      exit(_action, engine) {
        rc = u.setEvents(engine.task, b!, DEATH);
      },
    }), null);
    b = u.attachTask(g.task, CREATE, collect("B", log), null);
    u.setEvents(g.task, a, EXIT);
    await g.proc.wait();
    expect(rc).toBe(0);
    expect(log).toEqual(["A exit 0", "B death"]);
  });
});

describe("B §2.2 setEvents: -EINPROGRESS only while a callback to the engine runs on another task", () => {
  it("§2.2: clearing bits of the engine being called, from its own callback (target is current) → 0, never -EINPROGRESS", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const rcs: number[] = [];
    const e = u.attachTask(g.task, CREATE, collect("A", log, {
      syscallEntry(_action, engine) {
        rcs.push(u.setEvents(engine.task, engine, QUIESCE));
      },
      quiesce(_action, engine, event) {
        if (event === SYSCALL_EXIT) rcs.push(u.setEvents(engine.task, engine, QUIESCE));
      },
    }), null);
    u.setEvents(g.task, e, QUIESCE | SYSCALL_ENTRY | SYSCALL_EXIT);
    await g.proc.wait();
    expect(rcs.length).toBeGreaterThan(0);
    expect(new Set(rcs)).toEqual(new Set([0]));
  });

  it("§2.2: clearing another engine's bits from a callback on the same task (target is current) → 0", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let rc = 1;
    let b: Engine<unknown> | undefined;
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      syscallEntry(_action, engine) {
        if (rc === 1) rc = u.setEvents(engine.task, b!, 0);
      },
    }), null);
    b = u.attachTask(g.task, CREATE, collect("B", log), null);
    u.setEvents(g.task, a, SYSCALL_ENTRY);
    u.setEvents(g.task, b, SYSCALL_ENTRY | SYSCALL_EXIT);
    await g.proc.wait();
    expect(rc).toBe(0);
    // B is newer: it was called first in that entry pass, and never again.
    expect(log.filter((l) => l.startsWith("B "))).toEqual(["B sysentry 172/1"]);
  });

  it("§2.2: clearing bits of a running task (blocked in read) from outside any callback → 0; the cleared events are not reported", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const log: string[] = [];
    const e = u.attachTask(g.task, CREATE, collect("A", log), null);
    u.setEvents(g.task, e, SYSCALL_ENTRY | SYSCALL_EXIT | DEATH);
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    expect(u.setEvents(g.task, e, DEATH)).toBe(0);
    g.stdin.end("z");
    await g.proc.wait();
    expect(log).toEqual(["A sysentry 63/0", "A death"]);
  });

  it("§2.2: clearing bits from another process' engine callback while the target task runs → 0", async () => {
    const g1 = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g1.kernel.utrace;
    const log1: string[] = [];
    const e1 = u.attachTask(g1.task, CREATE, collect("A", log1), null);
    u.setEvents(g1.task, e1, SYSCALL_ENTRY | SYSCALL_EXIT);
    await waitUntil(() => g1.task.state === "blocked", "the first guest blocks in read");
    const g2 = spawnGuest("uta-calls", [], { kernel: g1.kernel });
    let rc = 1;
    const e2 = u.attachTask(g2.task, CREATE, collect("B", [], {
      syscallEntry() {
        if (rc === 1) rc = u.setEvents(g1.task, e1, 0);
      },
    }), null);
    u.setEvents(g2.task, e2, SYSCALL_ENTRY);
    await g2.proc.wait();
    g1.stdin.end("q");
    await g1.proc.wait();
    expect(rc).toBe(0);
    expect(log1).toEqual(["A sysentry 63/0"]);
  });

  it("§2.2: only adding bits never yields -EINPROGRESS: from the engine's own callback, from outside on a running task, on a stopped task", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const log: string[] = [];
    const rcs: number[] = [];
    let stopOnce = true;
    const e = u.attachTask(g.task, CREATE, collect("A", log, {
      syscallEntry(_action, engine) {
        rcs.push(u.setEvents(engine.task, engine, engine.flags | SYSCALL_EXIT));
        if (stopOnce) {
          stopOnce = false;
          return UTRACE_STOP;
        }
      },
    }), null);
    u.setEvents(g.task, e, SYSCALL_ENTRY);
    await waitUntil(() => isStopped(g.task), "A stops the task at the first read");
    rcs.push(u.setEvents(g.task, e, e.flags | EXIT));
    u.control(g.task, e, UTRACE_RESUME);
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    rcs.push(u.setEvents(g.task, e, e.flags | DEATH));
    g.stdin.end();
    await g.proc.wait();
    expect(rcs).toEqual([0, 0, 0, 0]);
    expect(log.slice(-2)).toEqual(["A exit 0", "A death"]);
  });

  it("§2.2: on a stopped task, after a 0 return no callback for a cleared event is ever made; with QUIESCE kept, report_quiesce follows the resume", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let first = true;
    const e = u.attachTask(g.task, CREATE, collect("A", log, {
      syscallEntry() {
        if (first) {
          first = false;
          return UTRACE_STOP;
        }
      },
    }), null);
    u.setEvents(g.task, e, QUIESCE | SYSCALL_ENTRY | SYSCALL_EXIT);
    await waitUntil(() => isStopped(g.task), "A stops the task at its first syscall entry");
    expect(u.setEvents(g.task, e, QUIESCE)).toBe(0);
    log.length = 0;
    expect(u.control(g.task, e, UTRACE_RESUME)).toBe(0);
    await g.proc.wait();
    expect(log.filter((l) => !l.startsWith("A quiesce"))).toEqual([]);
    expect(log.length).toBeGreaterThan(0);
  });
});

describe("B §2.2 setEvents inside a callback", () => {
  it("§2.2: clearing SYSCALL_EXIT in report_syscall_entry takes effect at once: no exit report for that syscall", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const e = u.attachTask(g.task, CREATE, collect("A", log, {
      syscallEntry(_action, engine, regs) {
        if (regs.arg(0) === 2n) u.setEvents(engine.task, engine, SYSCALL_ENTRY);
      },
    }), null);
    u.setEvents(g.task, e, SYSCALL_ENTRY | SYSCALL_EXIT);
    await g.proc.wait();
    expect(log).toEqual([
      "A sysentry 172/1", "A sysexit 172/1", "A sysentry 172/2", "A sysentry 172/3", "A sysentry 64/1", "A sysentry 94/0",
    ]);
  });

  it("§2.2: report_quiesce can add the bit of the event being reported and then gets that event's callback in the same pass", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let added = false;
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      quiesce(_action, engine, event) {
        if (!added && event === SYSCALL_ENTRY) {
          added = true;
          expect(u.setEvents(engine.task, engine, QUIESCE | SYSCALL_ENTRY)).toBe(0);
        }
      },
    }), null);
    u.setEvents(g.task, a, QUIESCE);
    const b = u.attachTask(g.task, CREATE, collect("B", log), null); // makes the entry passes happen
    u.setEvents(g.task, b, SYSCALL_ENTRY);
    await g.proc.wait();
    // Entry passes go newest first: B, then A.
    expect(log.slice(0, 3)).toEqual(["B sysentry 172/1", "A quiesce SYSCALL_ENTRY", "A sysentry 172/1"]);
  });

  it("§2.2: report_quiesce can remove the bit of the event being reported and then that callback is skipped", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      quiesce(_action, engine, event) {
        if (event === SYSCALL_EXIT) u.setEvents(engine.task, engine, QUIESCE);
      },
    }), null);
    u.setEvents(g.task, a, QUIESCE | SYSCALL_EXIT);
    await g.proc.wait();
    expect(log.filter((l) => l.includes("sysexit"))).toEqual([]);
    expect(log[0]).toBe("A quiesce SYSCALL_EXIT");
  });

  it("§2.2: a bit added by a callback takes effect at the next event even when no other engine wants that event", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      syscallEntry(_action, engine, regs) {
        if (regs.arg(0) === 3n) u.setEvents(engine.task, engine, SYSCALL_ENTRY | SYSCALL_EXIT);
      },
    }), null);
    u.setEvents(g.task, a, SYSCALL_ENTRY);
    await g.proc.wait();
    expect(log).toEqual([
      "A sysentry 172/1", "A sysentry 172/2", "A sysentry 172/3", "A sysexit 172/3", "A sysentry 64/1", "A sysexit 64/1",
      "A sysentry 94/0",
    ]);
  });
});
