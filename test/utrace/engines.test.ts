// utrace-spec.md Part B §1 (engines): the data model, attach and lookup (every flag combination
// and the matching rule, each failure code), the visibility rule, reference counting and detach.
//
// Not testable in rvtrace, so no test: §1.2 -EPERM (there are no kernel threads to attach to) and
// -ENOMEM (allocation does not fail observably in JavaScript).
import { describe, expect, it } from "vitest";
import {
  UTRACE_ATTACH_CREATE, UTRACE_ATTACH_EXCLUSIVE, UTRACE_ATTACH_MATCH_DATA, UTRACE_ATTACH_MATCH_OPS, UTRACE_DETACH,
  UTRACE_EVENT, UTRACE_INTERRUPT, UTRACE_REPORT, UTRACE_RESUME, UTRACE_STOP, UTRACE_SYSCALL_ABORT, UtraceError,
  type Engine, type EngineOps,
} from "../../src/index.js";
import { ERRNO, SYS, attachErrorCode, collect, isStopped, nextTurns, spawnGuest, waitUntil, withTimeout } from "./helpers.js";

const CREATE = UTRACE_ATTACH_CREATE;
const EXCL = UTRACE_ATTACH_EXCLUSIVE;
const M_OPS = UTRACE_ATTACH_MATCH_OPS;
const M_DATA = UTRACE_ATTACH_MATCH_DATA;
const { QUIESCE, SYSCALL_ENTRY, SYSCALL_EXIT, EXIT, DEATH, REAP } = UTRACE_EVENT;

/** An engine with no callbacks at all. */
const bare = (name: string): EngineOps<unknown> => ({ name });

describe("B §1.1 data model", () => {
  it("§1.1/A.1: a created engine has the given ops and data, its task, and an empty event mask", () => {
    const g = spawnGuest("uta-calls");
    const ops = bare("A");
    const data = { tag: "A" };
    const e = g.kernel.utrace.attachTask(g.task, CREATE, ops, data);
    expect(e.ops).toBe(ops);
    expect(e.data).toBe(data);
    expect(e.task).toBe(g.task);
    expect(e.flags).toBe(0);
    g.proc.kill(9);
  });

  it("§1.1: flags reads back the event mask only, never the internal ENGINE_STOP bit, even while the engine holds a stop", async () => {
    const g = spawnGuest("uta-calls");
    const log: string[] = [];
    const e = g.kernel.utrace.attachTask(g.task, CREATE, collect("A", log, { syscallEntry: () => UTRACE_STOP }), null);
    g.kernel.utrace.setEvents(g.task, e, QUIESCE | SYSCALL_ENTRY);
    await waitUntil(() => isStopped(g.task), "A stops the task at its first syscall entry");
    expect(g.kernel.utrace.prepareExamine(g.task, e)).toBe(0); // the engine does hold a stop
    expect(e.flags).toBe(QUIESCE | SYSCALL_ENTRY);
    g.proc.kill(9);
    await g.proc.wait();
  });

  it("A.1: flags is read-only: assigning to it does not change the engine's mask", () => {
    const g = spawnGuest("uta-calls");
    const e = g.kernel.utrace.attachTask(g.task, CREATE, bare("A"), null);
    g.kernel.utrace.setEvents(g.task, e, SYSCALL_ENTRY);
    try {
      (e as unknown as { flags: number }).flags = QUIESCE | DEATH;
    } catch {
      // a getter-only property throws in strict code; either way the mask must not change
    }
    expect(e.flags).toBe(SYSCALL_ENTRY);
    g.proc.kill(9);
  });

  it("§1.1: a detach of a running task leaves the engine marked (sentinel ops, flags QUIESCE only) until the next pass removes it (ops null)", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const log: string[] = [];
    const ops = collect("A", log);
    const e = g.kernel.utrace.attachTask(g.task, CREATE, ops, null);
    g.kernel.utrace.setEvents(g.task, e, SYSCALL_ENTRY | SYSCALL_EXIT | DEATH | REAP);
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    expect(g.kernel.utrace.control(g.task, e, UTRACE_DETACH)).toBe(0);
    expect(e.ops).not.toBe(ops);
    expect(e.ops).not.toBeNull();
    expect(e.flags).toBe(QUIESCE);
    g.stdin.end("x");
    await g.proc.wait();
    expect(e.ops).toBeNull();
    // The sentinel is never the engine's own callbacks: nothing after the detach reached A.
    expect(log).toEqual(["A sysentry 63/0"]);
  });
});

describe("B §1.2 attach and lookup", () => {
  it("§1.2: lookup (no CREATE) on a task that never had an engine → ENOENT", () => {
    const g = spawnGuest("uta-calls");
    expect(attachErrorCode(() => g.kernel.utrace.attachTask(g.task, 0, bare("A"), null))).toBe("ENOENT (errno 2)");
    expect(attachErrorCode(() => g.kernel.utrace.attachTask(g.task, M_OPS, bare("A"), null))).toBe("ENOENT (errno 2)");
    g.proc.kill(9);
  });

  it("§1.2: a failed attach throws a UtraceError with errno and code", () => {
    const g = spawnGuest("uta-calls");
    let caught: unknown;
    try {
      g.kernel.utrace.attachTask(g.task, 0, bare("A"), null);
    } catch (x) {
      caught = x;
    }
    expect(caught).toBeInstanceOf(UtraceError);
    expect((caught as UtraceError).errno).toBe(ERRNO.ENOENT);
    expect((caught as UtraceError).code).toBe("ENOENT");
    g.proc.kill(9);
  });

  it("§1.2: MATCH_OPS lookup finds the engine with the same ops object, ENOENT for other ops", () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const opsA = bare("A");
    const opsB = bare("B");
    const a = u.attachTask(g.task, CREATE, opsA, 1);
    const b = u.attachTask(g.task, CREATE, opsB, 2);
    expect(u.attachTask(g.task, M_OPS, opsA, 99)).toBe(a);
    expect(u.attachTask(g.task, M_OPS, opsB, 99)).toBe(b);
    // Equal contents are not the same ops.
    expect(attachErrorCode(() => u.attachTask(g.task, M_OPS, bare("A"), 1))).toBe("ENOENT (errno 2)");
    g.proc.kill(9);
  });

  it("§1.2: MATCH_DATA lookup compares data by identity, ENOENT for other data", () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const d1 = { n: 1 };
    const d2 = { n: 2 };
    const a = u.attachTask(g.task, CREATE, bare("A"), d1);
    const b = u.attachTask(g.task, CREATE, bare("B"), d2);
    expect(u.attachTask(g.task, M_DATA, bare("other ops"), d1)).toBe(a);
    expect(u.attachTask(g.task, M_DATA, null, d2)).toBe(b);
    expect(attachErrorCode(() => u.attachTask(g.task, M_DATA, null, { n: 1 }))).toBe("ENOENT (errno 2)");
    g.proc.kill(9);
  });

  it("§1.2: MATCH_OPS|MATCH_DATA requires both to hold", () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const opsA = bare("A");
    const opsB = bare("B");
    const d1 = { n: 1 };
    const d2 = { n: 2 };
    const a = u.attachTask(g.task, CREATE, opsA, d1);
    const b = u.attachTask(g.task, CREATE, opsB, d2);
    expect(u.attachTask(g.task, M_OPS | M_DATA, opsA, d1)).toBe(a);
    expect(u.attachTask(g.task, M_OPS | M_DATA, opsB, d2)).toBe(b);
    expect(attachErrorCode(() => u.attachTask(g.task, M_OPS | M_DATA, opsA, d2))).toBe("ENOENT (errno 2)");
    expect(attachErrorCode(() => u.attachTask(g.task, M_OPS | M_DATA, opsB, d1))).toBe("ENOENT (errno 2)");
    g.proc.kill(9);
  });

  it("§1.2: with no MATCH bits every live engine matches: lookup returns the first (attach order)", () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const a = u.attachTask(g.task, CREATE, bare("A"), 1);
    u.attachTask(g.task, CREATE, bare("B"), 2);
    expect(u.attachTask(g.task, 0, bare("X"), 3)).toBe(a);
    g.proc.kill(9);
  });

  it("§1.2: lookup searches the attached list before the attaching list, and finds engines still attaching", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const opsB = bare("B");
    let b: Engine | undefined;
    let found: Engine | undefined;
    let foundB: Engine | undefined;
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      syscallEntry(_action, engine) {
        if (b) return;
        b = u.attachTask(engine.task, CREATE, opsB, null); // not yet visible: on the attaching list
        found = u.attachTask(engine.task, 0, bare("X"), null);
        foundB = u.attachTask(engine.task, M_OPS, opsB, null);
      },
    }), null);
    u.setEvents(g.task, a, SYSCALL_ENTRY);
    await g.proc.wait();
    expect(found).toBe(a);
    expect(foundB).toBe(b);
  });

  it("§1.2: lookup ignores engines marked detached (sentinel ops) even before they are unlinked", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const opsA = bare("A");
    const a = u.attachTask(g.task, CREATE, opsA, null);
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(0);
    expect(attachErrorCode(() => u.attachTask(g.task, M_OPS, opsA, null))).toBe("ENOENT (errno 2)");
    expect(attachErrorCode(() => u.attachTask(g.task, 0, null, null))).toBe("ENOENT (errno 2)");
    g.stdin.end();
    await g.proc.wait();
  });

  it("§1.2: lookup on a task whose engines were all detached and unlinked → ENOENT", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let after = "";
    const opsA = collect("A", log, {
      syscallEntry: () => UTRACE_DETACH,
      // B checks after A's detaching pass is over.
    });
    const a = u.attachTask(g.task, CREATE, opsA, null);
    u.setEvents(g.task, a, SYSCALL_ENTRY);
    const b = u.attachTask(g.task, CREATE, collect("B", log, {
      syscallExit(_action, engine) {
        if (!after) after = attachErrorCode(() => u.attachTask(engine.task, M_OPS, opsA, null));
      },
    }), null);
    u.setEvents(g.task, b, SYSCALL_EXIT);
    await g.proc.wait();
    expect(after).toBe("ENOENT (errno 2)");
  });

  it("§1.2: EXCLUSIVE without CREATE is a plain lookup (returns the match, no EEXIST)", () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const opsA = bare("A");
    const a = u.attachTask(g.task, CREATE, opsA, null);
    expect(u.attachTask(g.task, EXCL | M_OPS, opsA, null)).toBe(a);
    g.proc.kill(9);
  });

  it("§1.2: CREATE with null ops → EINVAL", () => {
    const g = spawnGuest("uta-calls");
    expect(attachErrorCode(() => g.kernel.utrace.attachTask(g.task, CREATE, null, null))).toBe("EINVAL (errno 22)");
    expect(attachErrorCode(() => g.kernel.utrace.attachTask(g.task, CREATE | EXCL | M_OPS, null, null))).toBe("EINVAL (errno 22)");
    g.proc.kill(9);
  });

  it("§1.2: CREATE with the detached sentinel ops → EINVAL", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const a = u.attachTask(g.task, CREATE, bare("A"), null);
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(0);
    const sentinel = a.ops;
    expect(sentinel).not.toBeNull();
    expect(attachErrorCode(() => u.attachTask(g.task, CREATE, sentinel, null))).toBe("EINVAL (errno 22)");
    g.stdin.end();
    await g.proc.wait();
  });

  it("§1.2: CREATE|EXCLUSIVE|MATCH_OPS with a live engine of those ops → EEXIST and nothing is attached", () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const opsA = bare("A");
    u.attachTask(g.task, CREATE, opsA, "first");
    expect(attachErrorCode(() => u.attachTask(g.task, CREATE | EXCL | M_OPS, opsA, "second"))).toBe("EEXIST (errno 17)");
    expect(attachErrorCode(() => u.attachTask(g.task, M_DATA, null, "second"))).toBe("ENOENT (errno 2)");
    g.proc.kill(9);
  });

  it("§1.2: CREATE|EXCLUSIVE|MATCH_OPS succeeds when only engines with other ops exist", () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    u.attachTask(g.task, CREATE, bare("B"), null);
    const opsA = bare("A");
    const a = u.attachTask(g.task, CREATE | EXCL | M_OPS, opsA, null);
    expect(a.ops).toBe(opsA);
    expect(u.attachTask(g.task, M_OPS, opsA, null)).toBe(a);
    g.proc.kill(9);
  });

  it("§1.2: CREATE|EXCLUSIVE|MATCH_DATA → EEXIST iff an engine has that data", () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const d = { n: 1 };
    u.attachTask(g.task, CREATE, bare("A"), d);
    expect(attachErrorCode(() => u.attachTask(g.task, CREATE | EXCL | M_DATA, bare("B"), d))).toBe("EEXIST (errno 17)");
    expect(u.attachTask(g.task, CREATE | EXCL | M_DATA, bare("B"), { n: 1 }).data).toEqual({ n: 1 });
    g.proc.kill(9);
  });

  it("§1.2: CREATE|EXCLUSIVE|MATCH_OPS|MATCH_DATA → EEXIST only when both match", () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const opsA = bare("A");
    const d = { n: 1 };
    u.attachTask(g.task, CREATE, opsA, d);
    const flags = CREATE | EXCL | M_OPS | M_DATA;
    expect(attachErrorCode(() => u.attachTask(g.task, flags, opsA, d))).toBe("EEXIST (errno 17)");
    expect(attachErrorCode(() => u.attachTask(g.task, flags, opsA, { n: 2 }))).toBe("no error");
    expect(attachErrorCode(() => u.attachTask(g.task, flags, bare("A"), d))).toBe("no error");
    g.proc.kill(9);
  });

  it("§1.2: CREATE|EXCLUSIVE without MATCH bits fails with EEXIST if the task has any engine, succeeds if it has none", () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const first = u.attachTask(g.task, CREATE | EXCL, bare("A"), null);
    expect(first.task).toBe(g.task);
    expect(attachErrorCode(() => u.attachTask(g.task, CREATE | EXCL, bare("B"), null))).toBe("EEXIST (errno 17)");
    g.proc.kill(9);
  });

  it("§1.2: CREATE|EXCLUSIVE|MATCH_OPS succeeds once the matching engine is detached (it no longer matches)", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const opsA = bare("A");
    const a = u.attachTask(g.task, CREATE, opsA, null);
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(0); // marked, not yet unlinked
    const again = u.attachTask(g.task, CREATE | EXCL | M_OPS, opsA, null);
    expect(again).not.toBe(a);
    g.stdin.end();
    await g.proc.wait();
  });

  it("§1.2: CREATE without EXCLUSIVE adds another engine even when one matches", () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const opsA = bare("A");
    const a1 = u.attachTask(g.task, CREATE, opsA, null);
    const a2 = u.attachTask(g.task, CREATE | M_OPS, opsA, null);
    expect(a2).not.toBe(a1);
    expect(a2.ops).toBe(opsA);
    g.proc.kill(9);
  });

  it("§1.2: CREATE on a reaped task → ESRCH", async () => {
    const g = spawnGuest("uta-calls");
    await g.proc.wait();
    expect(attachErrorCode(() => g.kernel.utrace.attachTask(g.task, CREATE, bare("A"), null))).toBe("ESRCH (errno 3)");
  });

  it("§1.2: CREATE from inside report_reap (reaping has begun) → ESRCH", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let code = "not called";
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      reap(_engine, task) {
        code = attachErrorCode(() => u.attachTask(task, CREATE, bare("late"), null));
      },
    }), null);
    u.setEvents(g.task, a, REAP);
    await g.proc.wait();
    expect(code).toBe("ESRCH (errno 3)");
  });

  it("§1.2: CREATE on a dead but not yet reaped task (inside report_death) succeeds; the engine is torn down at reap", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let late: Engine<unknown> | undefined;
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      death(engine) {
        late = u.attachTask(engine.task, CREATE, collect("L", log), null);
        late.put(); // keep only the attachment's reference
      },
    }), null);
    u.setEvents(g.task, a, DEATH);
    await g.proc.wait();
    expect(late).toBeDefined();
    expect(log).toEqual(["A death", "L release"]);
    expect(late!.ops).toBeNull();
  });

  it("§1.2: a new engine has an empty event mask: nothing is reported to it (not even report_reap)", async () => {
    const g = spawnGuest("uta-calls");
    const log: string[] = [];
    g.kernel.utrace.attachTask(g.task, CREATE, collect("A", log), null);
    const st = await g.proc.wait();
    expect(st).toEqual({ exitCode: 0, signal: null, coreDumped: false });
    expect(g.stdout()).toBe("ok\n");
    expect(log).toEqual([]);
  });
});

describe("B §1.2 attachPid", () => {
  it("§1.2/§6.7: attachPid of a pid that names no task → ESRCH", () => {
    const g = spawnGuest("uta-calls");
    expect(attachErrorCode(() => g.kernel.utrace.attachPid(999_999, CREATE, bare("A"), null))).toBe("ESRCH (errno 3)");
    expect(attachErrorCode(() => g.kernel.utrace.attachPid(999_999, 0, bare("A"), null))).toBe("ESRCH (errno 3)");
    g.proc.kill(9);
  });

  it("§1.2/§6.7: attachPid of a live pid attaches to that task, and looks up as attachTask does", () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const opsA = bare("A");
    const a = u.attachPid(g.proc.pid, CREATE, opsA, null);
    expect(a.task).toBe(g.task);
    expect(u.attachPid(g.proc.pid, M_OPS, opsA, null)).toBe(a);
    expect(attachErrorCode(() => u.attachPid(g.proc.pid, CREATE | EXCL | M_OPS, opsA, null))).toBe("EEXIST (errno 17)");
    g.proc.kill(9);
  });

  it("§1.2/§6.7: attachPid of a reaped process' pid → ESRCH", async () => {
    const g = spawnGuest("uta-calls");
    await g.proc.wait();
    expect(attachErrorCode(() => g.kernel.utrace.attachPid(g.proc.pid, CREATE, bare("A"), null))).toBe("ESRCH (errno 3)");
  });
});

describe("B §1.2 visibility rule", () => {
  it("§1.2: an engine attached (to current) inside a syscall-entry callback is not called for that entry, but is for the exit and the next entry", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let b: Engine<unknown> | undefined;
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      syscallEntry(_action, engine) {
        if (b) return;
        b = u.attachTask(engine.task, CREATE, collect("B", log), null);
        expect(b.task).toBe(g.task);
        expect(u.setEvents(engine.task, b, QUIESCE | SYSCALL_ENTRY | SYSCALL_EXIT)).toBe(0);
      },
    }), null);
    u.setEvents(g.task, a, SYSCALL_ENTRY | SYSCALL_EXIT);
    await g.proc.wait();
    expect(log.slice(0, 7)).toEqual([
      "A sysentry 172/1",
      "A sysexit 172/1",
      "B quiesce SYSCALL_EXIT",
      "B sysexit 172/1",
      // entry passes run newest first
      "B quiesce SYSCALL_ENTRY",
      "B sysentry 172/2",
      "A sysentry 172/2",
    ]);
  });

  it("§1.2: an engine attached inside report_quiesce is not called in that pass even if it comes later in attach order", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let b: Engine<unknown> | undefined;
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      quiesce(_action, engine, event) {
        if (b || event !== SYSCALL_EXIT) return;
        b = u.attachTask(engine.task, CREATE, collect("B", log), null);
        u.setEvents(engine.task, b, SYSCALL_EXIT);
      },
    }), null);
    u.setEvents(g.task, a, QUIESCE | SYSCALL_EXIT);
    await g.proc.wait();
    expect(log.filter((l) => l.includes("sysexit"))).toEqual([
      "A sysexit 172/1",
      "A sysexit 172/2", "B sysexit 172/2",
      "A sysexit 172/3", "B sysexit 172/3",
      "A sysexit 64/1", "B sysexit 64/1",
    ]);
  });

  it("§1.2/§3: an engine attached to a running task is only spliced in at the next pass: no resume report is made just for attaching", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const log: string[] = [];
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    const b = u.attachTask(g.task, CREATE, collect("B", log), null);
    u.setEvents(g.task, b, QUIESCE | SYSCALL_ENTRY | UTRACE_EVENT.SIGNAL);
    g.stdin.end("hi");
    await g.proc.wait();
    expect(log.slice(0, 2)).toEqual(["B quiesce SYSCALL_ENTRY", "B sysentry 64/1"]);
  });

  it("§1.2: an engine attached from outside while the task is blocked in a syscall is called for that syscall's exit", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const log: string[] = [];
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    const b = u.attachTask(g.task, CREATE, collect("B", log), null);
    u.setEvents(g.task, b, SYSCALL_EXIT);
    g.stdin.end("hi");
    await g.proc.wait();
    expect(g.stdout()).toBe("hi");
    expect(log).toEqual(["B sysexit 63/0", "B sysexit 64/1", "B sysexit 63/0"]);
  });
});

describe("B §1.3 reference counting", () => {
  it("§1.3: a successful CREATE returns an engine holding two references", () => {
    const g = spawnGuest("uta-calls");
    const a = g.kernel.utrace.attachTask(g.task, CREATE, bare("A"), null);
    expect(a.refCount).toBe(2);
    g.proc.kill(9);
  });

  it("§1.3: every successful lookup takes a reference for the caller; a failed one takes none", () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const opsA = bare("A");
    const a = u.attachTask(g.task, CREATE, opsA, null);
    u.attachTask(g.task, M_OPS, opsA, null);
    expect(a.refCount).toBe(3);
    u.attachTask(g.task, 0, null, null);
    expect(a.refCount).toBe(4);
    attachErrorCode(() => u.attachTask(g.task, M_OPS, bare("other"), null));
    attachErrorCode(() => u.attachTask(g.task, CREATE | EXCL | M_OPS, opsA, null));
    expect(a.refCount).toBe(4);
    g.proc.kill(9);
  });

  it("§1.3: put of the caller's reference does not release an attached engine; the reap drops the attachment ref: release(data) once, after report_reap", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const data = { id: "A-data" };
    const released: unknown[] = [];
    const a = u.attachTask(g.task, CREATE, collect<{ id: string }>("A", log, { release: (d) => released.push(d) }), data);
    u.setEvents(g.task, a, DEATH | REAP);
    a.put();
    expect(a.refCount).toBe(1);
    expect(released).toEqual([]);
    await g.proc.wait();
    expect(log).toEqual(["A death", "A reap", "A release"]);
    expect(released).toEqual([data]);
    expect(released[0]).toBe(data);
    expect(a.refCount).toBe(0);
  });

  it("§1.3: release waits for every reference: the caller's and the lookups' refs must be put too", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const opsA = collect("A", log);
    const a = u.attachTask(g.task, CREATE, opsA, null);
    u.attachTask(g.task, M_OPS, opsA, null); // lookup ref
    u.setEvents(g.task, a, REAP);
    a.put(); // caller ref
    await g.proc.wait();
    expect(log).toEqual(["A reap"]);
    expect(a.refCount).toBe(1);
    a.put(); // the lookup's ref is the last one
    expect(log).toEqual(["A reap", "A release"]);
  });

  it("§1.3/§1.4: the attachment ref is dropped when a callback's DETACH is unlinked at the end of that pass (release runs on the traced task)", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let seenInExit: { ops: unknown; refs: number } | undefined;
    const a = u.attachTask(g.task, CREATE, collect("A", log, { syscallEntry: () => UTRACE_DETACH }), null);
    u.setEvents(g.task, a, SYSCALL_ENTRY | SYSCALL_EXIT | DEATH | REAP);
    const b = u.attachTask(g.task, CREATE, collect("B", log, {
      syscallExit() {
        seenInExit ??= { ops: a.ops, refs: a.refCount };
      },
    }), null);
    u.setEvents(g.task, b, SYSCALL_ENTRY | SYSCALL_EXIT);
    a.put();
    await g.proc.wait();
    expect(log.slice(0, 4)).toEqual(["B sysentry 172/1", "A sysentry 172/1", "A release", "B sysexit 172/1"]);
    expect(seenInExit).toEqual({ ops: null, refs: 0 });
    expect(log.filter((l) => l.startsWith("A "))).toEqual(["A sysentry 172/1", "A release"]);
  });

  it("§1.3: when the caller still holds its ref, the unlink leaves one ref and release waits for the caller's put", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const a = u.attachTask(g.task, CREATE, collect("A", log, { syscallEntry: () => UTRACE_DETACH }), null);
    u.setEvents(g.task, a, SYSCALL_ENTRY);
    await g.proc.wait();
    expect(a.ops).toBeNull();
    expect(a.refCount).toBe(1);
    expect(log).toEqual(["A sysentry 172/1"]);
    a.put();
    expect(log).toEqual(["A sysentry 172/1", "A release"]);
  });

  it("§1.3: utrace_control(DETACH) on a stopped task unlinks synchronously: release runs inside the control call", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const a = u.attachTask(g.task, CREATE, collect("A", log, { syscallEntry: () => UTRACE_STOP }), null);
    u.setEvents(g.task, a, SYSCALL_ENTRY);
    a.put();
    await waitUntil(() => isStopped(g.task), "A stops the task");
    expect(log).toEqual(["A sysentry 172/1"]);
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(0);
    expect(log).toEqual(["A sysentry 172/1", "A release"]);
    expect(a.refCount).toBe(0);
    await withTimeout(g.proc.wait(), "the task runs to completion after the detach");
  });

  it("§1.3: every API call on a fully detached engine whose ref the caller holds returns -ESRCH", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const a = u.attachTask(g.task, CREATE, bare("A"), null);
    u.setEvents(g.task, a, QUIESCE);
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(0);
    g.stdin.write("x");
    await waitUntil(() => a.ops === null, "the detach finishes at the next pass");
    expect(u.setEvents(g.task, a, QUIESCE)).toBe(-ERRNO.ESRCH);
    for (const action of [UTRACE_STOP, UTRACE_INTERRUPT, UTRACE_RESUME, UTRACE_DETACH]) {
      expect(u.control(g.task, a, action), `control(${action})`).toBe(-ERRNO.ESRCH);
    }
    expect(await u.barrier(g.task, a)).toBe(-ERRNO.ESRCH);
    g.stdin.end();
    await g.proc.wait();
  });
});

describe("B §1.4 detach", () => {
  it("§1.4(a): DETACH returned from report_quiesce skips the rest of that pass and every later callback", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const a = u.attachTask(g.task, CREATE, collect("A", log, { quiesce: () => UTRACE_DETACH }), null);
    u.setEvents(g.task, a, QUIESCE | SYSCALL_ENTRY | SYSCALL_EXIT | EXIT | DEATH | REAP);
    a.put();
    await g.proc.wait();
    expect(log).toEqual(["A quiesce SYSCALL_ENTRY", "A release"]);
    expect(g.stdout()).toBe("ok\n");
  });

  it("§1.4(a): after a callback returns DETACH there are no exit, death or reap callbacks for that engine", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      syscallExit: (_action, _engine, regs) => (regs.syscallNumber === BigInt(SYS.write) ? UTRACE_DETACH : UTRACE_RESUME),
    }), null);
    u.setEvents(g.task, a, SYSCALL_EXIT | EXIT | DEATH | REAP);
    await g.proc.wait();
    expect(log).toEqual(["A sysexit 172/1", "A sysexit 172/2", "A sysexit 172/3", "A sysexit 64/1"]);
  });

  it("§1.4(b): control(DETACH) on a utrace-stopped task → 0, synchronous, the task is woken and the engine gets no more callbacks", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const a = u.attachTask(g.task, CREATE, collect("A", log, { syscallEntry: () => UTRACE_STOP }), null);
    u.setEvents(g.task, a, QUIESCE | SYSCALL_ENTRY | SYSCALL_EXIT | DEATH | REAP);
    a.put();
    await waitUntil(() => isStopped(g.task), "A stops the task");
    log.length = 0;
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(0);
    expect(a.ops).toBeNull();
    expect(log).toEqual(["A release"]);
    const st = await withTimeout(g.proc.wait(), "the task is woken by the detach");
    expect(st.exitCode).toBe(0);
    expect(g.stdout()).toBe("ok\n");
    expect(log).toEqual(["A release"]);
  });

  it("§1.4(b): control(DETACH) on a stopped task of an engine attached during the stop (not yet spliced) is synchronous too: released at once", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const a = u.attachTask(g.task, CREATE, collect("A", log, { syscallEntry: () => UTRACE_STOP }), null);
    u.setEvents(g.task, a, SYSCALL_ENTRY);
    await waitUntil(() => isStopped(g.task), "A stops the task");
    const b = u.attachTask(g.task, CREATE, collect("B", log), null);
    u.setEvents(g.task, b, QUIESCE | SYSCALL_ENTRY | SYSCALL_EXIT);
    b.put();
    log.length = 0;
    expect(u.control(g.task, b, UTRACE_DETACH)).toBe(0);
    expect(log).toEqual(["B release"]);
    expect(b.ops).toBeNull();
    u.setEvents(g.task, a, 0);
    expect(u.control(g.task, a, UTRACE_RESUME)).toBe(0);
    await withTimeout(g.proc.wait(), "the guest ends");
    expect(log).toEqual(["B release"]);
  });

  it("§1.4(b): control(DETACH) on a stopped task another engine still holds → 0, and the task stays stopped until that engine resumes it", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const a = u.attachTask(g.task, CREATE, collect("A", log, { syscallEntry: () => UTRACE_STOP }), null);
    const b = u.attachTask(g.task, CREATE, collect("B", log, { syscallEntry: () => UTRACE_STOP }), null);
    u.setEvents(g.task, a, SYSCALL_ENTRY);
    u.setEvents(g.task, b, SYSCALL_ENTRY);
    await waitUntil(() => isStopped(g.task), "A and B stop the task");
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(0);
    await nextTurns(20);
    expect(isStopped(g.task)).toBe(true);
    expect(u.prepareExamine(g.task, b)).toBe(0);
    expect(u.setEvents(g.task, b, 0)).toBe(0);
    expect(u.control(g.task, b, UTRACE_RESUME)).toBe(0);
    await withTimeout(g.proc.wait(), "the task runs once B releases it");
    expect(g.stdout()).toBe("ok\n");
  });

  it("§1.4(b): control(DETACH) on a running task outside any callback → 0; no more callbacks; cleaned up (released) at the next pass", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const log: string[] = [];
    const a = u.attachTask(g.task, CREATE, collect("A", log), null);
    u.setEvents(g.task, a, QUIESCE | SYSCALL_ENTRY | SYSCALL_EXIT | EXIT | DEATH | REAP);
    a.put();
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    log.length = 0;
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(0);
    expect(log).toEqual([]); // not released yet: still linked until the task's next pass
    await nextTurns(10);
    expect(log).toEqual([]);
    g.stdin.end("data");
    await g.proc.wait();
    expect(g.stdout()).toBe("data");
    expect(log).toEqual(["A release"]);
  });

  it("§1.4(b): a detach on a running task is finished at the task's next safe point (its REPORT), before the next syscall's entry pass", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const log: string[] = [];
    const a = u.attachTask(g.task, CREATE, collect("A", log), null);
    u.setEvents(g.task, a, QUIESCE | DEATH | REAP);
    a.put();
    const b = u.attachTask(g.task, CREATE, collect("B", log), null);
    u.setEvents(g.task, b, SYSCALL_ENTRY);
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    log.length = 0;
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(0);
    g.stdin.end("data");
    await g.proc.wait();
    expect(log.slice(0, 2)).toEqual(["A release", "B sysentry 64/1"]);
  });

  it("§1.1/§1.4(b): a detach on a running task is finished at its next safe point even when no engine has QUIESCE (the sentinel's quiesce or a reset runs)", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const log: string[] = [];
    const a = u.attachTask(g.task, CREATE, collect("A", log), null);
    u.setEvents(g.task, a, DEATH | REAP); // events that do not happen before the exit
    a.put();
    const b = u.attachTask(g.task, CREATE, collect("B", log), null);
    u.setEvents(g.task, b, SYSCALL_ENTRY);
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    log.length = 0;
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(0);
    g.stdin.end("data");
    await g.proc.wait();
    expect(log.slice(0, 2)).toEqual(["A release", "B sysentry 64/1"]);
  });

  it("§1.1/§1.4(b): a detach on a running task whose engines want no further events is still finished while the task lives", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const a = u.attachTask(g.task, CREATE, collect("A", []), null);
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(0);
    g.stdin.write("once");
    await waitUntil(() => g.stdout() === "once", "the guest copies the first chunk");
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read again");
    expect(a.ops).toBeNull();
    expect(a.refCount).toBe(1);
    g.stdin.end();
    await g.proc.wait();
  });

  it("§1.4(b)/§9.2.4: control(DETACH) on current from inside its own callback → -EINPROGRESS; the return action cannot un-detach, the syscall bits still count", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let rc = 0;
    let exitValue: bigint | undefined;
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      syscallEntry(_action, engine, regs) {
        rc = u.control(engine.task, engine, UTRACE_DETACH);
        regs.returnValue = 4242n;
        return UTRACE_SYSCALL_ABORT | UTRACE_STOP;
      },
    }), null);
    u.setEvents(g.task, a, QUIESCE | SYSCALL_ENTRY | SYSCALL_EXIT);
    const b = u.attachTask(g.task, CREATE, collect("B", log, {
      syscallExit(_action, _engine, regs) {
        exitValue ??= regs.returnValue;
      },
    }), null);
    u.setEvents(g.task, b, SYSCALL_EXIT);
    a.put();
    const st = await withTimeout(g.proc.wait(), "the STOP of a detached engine does not hold the task");
    expect(rc).toBe(-ERRNO.EINPROGRESS);
    expect(st.exitCode).toBe(0);
    expect(exitValue).toBe(4242n); // getpid was aborted: a0 is what A left
    expect(log.filter((l) => l.startsWith("A "))).toEqual(["A quiesce SYSCALL_ENTRY", "A sysentry 172/1", "A release"]);
  });

  it("§1.4(b): control(DETACH) of itself inside report_quiesce → -EINPROGRESS, and the event callback of that pass is not made", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let rc = 0;
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      quiesce(_action, engine) {
        rc = u.control(engine.task, engine, UTRACE_DETACH);
      },
    }), null);
    u.setEvents(g.task, a, QUIESCE | SYSCALL_ENTRY | SYSCALL_EXIT);
    a.put();
    await g.proc.wait();
    expect(rc).toBe(-ERRNO.EINPROGRESS);
    expect(log).toEqual(["A quiesce SYSCALL_ENTRY", "A release"]);
  });

  it("§1.4(b): control(DETACH) of engine A from engine B's callback on the same task → 0 (no callback to A is running); A is skipped for the rest of the pass", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let rc = 1;
    const a = u.attachTask(g.task, CREATE, collect("A", log), null);
    u.setEvents(g.task, a, SYSCALL_ENTRY | SYSCALL_EXIT | DEATH | REAP);
    a.put();
    // B is newer, so it comes first in the (reverse-order) entry pass.
    const b = u.attachTask(g.task, CREATE, collect("B", log, {
      syscallEntry(_action, engine) {
        if (rc === 1) rc = u.control(engine.task, a, UTRACE_DETACH);
      },
    }), null);
    u.setEvents(g.task, b, SYSCALL_ENTRY);
    await g.proc.wait();
    expect(rc).toBe(0);
    expect(log.filter((l) => l.startsWith("A "))).toEqual(["A release"]);
  });

  it("§1.4: a detach drops the stop the engine was holding: STOP (-EINPROGRESS) then DETACH (0) on a running task → it never stops", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const a = u.attachTask(g.task, CREATE, bare("A"), null);
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    expect(u.control(g.task, a, UTRACE_STOP)).toBe(-ERRNO.EINPROGRESS);
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(0);
    g.stdin.end("go");
    const st = await withTimeout(g.proc.wait(), "the task is not held by a detached engine's stop");
    expect(st.exitCode).toBe(0);
    expect(g.stdout()).toBe("go");
  });

  it("§1.4: a second control(DETACH) → -ESRCH (after a synchronous detach of a stopped task)", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const a = u.attachTask(g.task, CREATE, collect("A", [], { syscallEntry: () => UTRACE_STOP }), null);
    u.setEvents(g.task, a, SYSCALL_ENTRY);
    await waitUntil(() => isStopped(g.task), "A stops the task");
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(0);
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(-ERRNO.ESRCH);
    await g.proc.wait();
  });

  it("§1.4: a second control(DETACH) → -ESRCH (engine only marked detached on a running task)", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const a = u.attachTask(g.task, CREATE, bare("A"), null);
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(0);
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(-ERRNO.ESRCH);
    g.stdin.end();
    await g.proc.wait();
  });

  it("§1.4: control(DETACH) after a callback returned DETACH → -ESRCH", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const a = u.attachTask(g.task, CREATE, collect("A", [], { syscallEntry: () => UTRACE_DETACH }), null);
    u.setEvents(g.task, a, SYSCALL_ENTRY);
    await g.proc.wait();
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(-ERRNO.ESRCH);
  });

  it("§1.4: control(DETACH) while the DEATH pass runs → -EALREADY (from the engine's own report_death and from another engine's)", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const rcs: Record<string, number> = {};
    let b: Engine<unknown> | undefined;
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      death(engine) {
        rcs.self = u.control(engine.task, engine, UTRACE_DETACH);
        rcs.other = u.control(engine.task, b!, UTRACE_DETACH);
      },
    }), null);
    b = u.attachTask(g.task, CREATE, collect("B", log), null);
    u.setEvents(g.task, a, DEATH);
    u.setEvents(g.task, b, DEATH | REAP);
    await g.proc.wait();
    expect(rcs).toEqual({ self: -ERRNO.EALREADY, other: -ERRNO.EALREADY });
    expect(log).toContain("B death"); // B's report_death still runs
  });

  it("§1.4: control(DETACH) once reaping has begun (inside report_reap) or after the reap → -ESRCH", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    let inReap = 0;
    const a = u.attachTask(g.task, CREATE, collect("A", [], {
      reap(engine, task) {
        inReap = u.control(task, engine, UTRACE_DETACH);
      },
    }), null);
    u.setEvents(g.task, a, REAP);
    await g.proc.wait();
    expect(inReap).toBe(-ERRNO.ESRCH);
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(-ERRNO.ESRCH);
  });

  it("§1.4: report_death returning DETACH → that engine gets no report_reap (it is still released); others still get theirs", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const a = u.attachTask(g.task, CREATE, collect("A", log, { death: () => UTRACE_DETACH }), null);
    const b = u.attachTask(g.task, CREATE, collect("B", log), null);
    u.setEvents(g.task, a, DEATH | REAP);
    u.setEvents(g.task, b, DEATH | REAP);
    a.put();
    b.put();
    await g.proc.wait();
    expect(log.filter((l) => l.startsWith("A "))).toEqual(["A death", "A release"]);
    expect(log.filter((l) => l.startsWith("B "))).toEqual(["B death", "B reap", "B release"]);
  });

  it("§1.4(c): at reap every engine is detached after report_reap: ops null, attachment ref dropped, control → -ESRCH", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const a = u.attachTask(g.task, CREATE, collect("A", log), null);
    const quiet = u.attachTask(g.task, CREATE, collect("Q", log), null); // no REAP bit: no report_reap
    u.setEvents(g.task, a, REAP);
    await g.proc.wait();
    expect(log).toEqual(["A reap"]);
    for (const e of [a, quiet]) {
      expect(e.ops).toBeNull();
      expect(e.refCount).toBe(1);
      expect(u.control(g.task, e, UTRACE_RESUME)).toBe(-ERRNO.ESRCH);
    }
  });

  it("§1.4: DETACH of current from report_exit → -EINPROGRESS, and the engine gets no report_death/report_reap", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let rc = 0;
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      exit(_action, engine) {
        rc = u.control(engine.task, engine, UTRACE_DETACH);
      },
    }), null);
    u.setEvents(g.task, a, EXIT | DEATH | REAP);
    a.put();
    await g.proc.wait();
    expect(rc).toBe(-ERRNO.EINPROGRESS);
    expect(log).toEqual(["A exit 0", "A release"]);
  });

  it("§1.4: DETACH from another engine's report_exit → 0 (no callback to that engine running), and it gets no report_death", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    let rc = 1;
    let b: Engine<unknown> | undefined;
    const a = u.attachTask(g.task, CREATE, collect("A", log, {
      exit(_action, engine) {
        rc = u.control(engine.task, b!, UTRACE_DETACH);
      },
    }), null);
    b = u.attachTask(g.task, CREATE, collect("B", log), null);
    u.setEvents(g.task, a, EXIT);
    u.setEvents(g.task, b, EXIT | DEATH | REAP);
    await g.proc.wait();
    expect(rc).toBe(0);
    expect(log).toEqual(["A exit 0"]);
  });

  it("§1.4: control(DETACH) before the task has run any instruction → 0; the engine never gets a callback", async () => {
    const g = spawnGuest("uta-calls");
    const u = g.kernel.utrace;
    const log: string[] = [];
    const a = u.attachTask(g.task, CREATE, collect("A", log), null);
    u.setEvents(g.task, a, QUIESCE | SYSCALL_ENTRY | DEATH | REAP);
    a.put();
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(0);
    await g.proc.wait();
    expect(log).toEqual(["A release"]);
  });

  it("§1.3/§6.1: a marked-detached engine (sentinel ops, flags QUIESCE) gets -ESRCH from control for every action, REPORT included, and from setEvents", async () => {
    const g = spawnGuest("uta-cat", [], { openStdin: true });
    const u = g.kernel.utrace;
    const a = u.attachTask(g.task, CREATE, bare("A"), null);
    await waitUntil(() => g.task.state === "blocked", "the guest blocks in read");
    expect(u.control(g.task, a, UTRACE_DETACH)).toBe(0);
    for (const action of [UTRACE_STOP, UTRACE_INTERRUPT, UTRACE_REPORT, UTRACE_RESUME]) {
      expect(u.control(g.task, a, action), `control(${action})`).toBe(-ERRNO.ESRCH);
    }
    expect(u.setEvents(g.task, a, SYSCALL_ENTRY)).toBe(-ERRNO.ESRCH);
    g.stdin.end();
    await g.proc.wait();
  });
});
