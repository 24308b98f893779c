// The syscall entry and exit passes (src/utrace/utrace.ts syscallPass) against utrace-spec.md Part B
// §4.4, §5, §8 and §1.2-§1.4, with the fake kernel of fake-host.ts. The pass calls an engine without
// QUIESCE and without a held stop in line, and leaves the others, and every return but a plain
// RESUME, to the general step: these tests mix the two kinds in one pass and check what the engines
// are shown (the order, the action argument, the task and engine the API sees as reporting), and
// what becomes of a stop, a detach, a throw and an engine attached from inside a callback.
// Every test runs twice: with resume work pending (the general pass, syscallPass), and with none
// (task.utraceResumeWork clear), where a pass starts in observe() and hands over to syscallPass at
// the first engine or return that is not a plain observer's RESUME.
import { beforeEach, describe, expect, it } from "vitest";
import {
  UTRACE_EVENT, UTRACE_STOP, UTRACE_REPORT, UTRACE_RESUME, UTRACE_DETACH, UTRACE_SYSCALL_ABORT, UTRACE_SYSCALL_RESUMED,
  UTRACE_ATTACH_CREATE, type Engine, type EngineOps,
} from "../../src/index.js";
import { STOPPED } from "../../src/utrace/utrace.js";
import { attachTo as attachEngine, setup } from "./fake-host.js";

const E = UTRACE_EVENT;
const SYSCALLS = E.SYSCALL_ENTRY | E.SYSCALL_EXIT;
const EINPROGRESS = -115;

/** Ops that log "<who>:entry(action)" / "<who>:exit(action)" / "<who>:quiesce" and return what `ret` says. */
function logging(who: string, log: string[], ret: (cb: "entry" | "exit", action: number) => number = () => UTRACE_RESUME): EngineOps<unknown> {
  return {
    name: who,
    reportSyscallEntry: (action) => (log.push(`${who}:entry(${action.toString(16)})`), ret("entry", action)),
    reportSyscallExit: (action) => (log.push(`${who}:exit(${action.toString(16)})`), ret("exit", action)),
    reportQuiesce: (action, _e, event) => (log.push(`${who}:quiesce(${event.toString(16)})`), action),
  };
}

/** Whether attachTo lets the task through a quiet resume point, so that passes start in observe(). */
let quiet = false;

/** Attaches as fake-host's attachTo does; with `quiet`, the engine is spliced in and the bit cleared. */
function attachTo(...args: Parameters<typeof attachEngine>): Engine<unknown> {
  const [ut, t] = args;
  const e = attachEngine(...args);
  if (quiet) {
    expect(ut.resumePoint(t, false)).toBe("go");
    expect(ut.quietResume(t)).toBe(true);
    expect(t.utraceResumeWork).toBe(false);
  }
  return e;
}

describe.each(["resume work pending", "no resume work pending"])("%s", (mode) => {
  beforeEach(() => {
    quiet = mode === "no resume work pending";
  });

  describe("order and the action argument (§5.1, §4.4)", () => {
    it("entry runs newest first and passes each engine's syscall bits on; exit runs oldest first with resume bits only", () => {
      const log: string[] = [];
      const s = setup();
      attachTo(s.ut, s.t, logging("A", log, () => UTRACE_RESUME), SYSCALLS);
      attachTo(s.ut, s.t, logging("B", log), SYSCALLS);
      attachTo(s.ut, s.t, logging("C", log, (cb) => (cb === "entry" ? UTRACE_SYSCALL_ABORT | UTRACE_RESUME : UTRACE_RESUME)), SYSCALLS);
      // B echoes nothing: it returns RUN, so A sees RUN again and the decision is A's (the last callback).
      expect(s.ut.reportSyscallEntry(s.t)).toBe("run");
      s.ut.reportSyscallExit(s.t);
      expect(log).toEqual(["C:entry(5)", "B:entry(15)", "A:entry(5)", "A:exit(5)", "B:exit(5)", "C:exit(5)"]);
    });

    it("the oldest engine's syscall bits decide: ABORT from the last callback aborts", () => {
      const log: string[] = [];
      const s = setup();
      attachTo(s.ut, s.t, logging("A", log, (_cb, action) => (action & 0xf0) | UTRACE_SYSCALL_ABORT | UTRACE_RESUME), E.SYSCALL_ENTRY);
      attachTo(s.ut, s.t, logging("B", log), E.SYSCALL_ENTRY);
      expect(s.ut.reportSyscallEntry(s.t)).toBe("abort");
      expect(log).toEqual(["B:entry(5)", "A:entry(5)"]);
    });

    it("a QUIESCE engine between plain ones gets its quiesce before its entry callback, in the same newest-first walk", () => {
      const log: string[] = [];
      const s = setup();
      attachTo(s.ut, s.t, logging("A", log), SYSCALLS);
      attachTo(s.ut, s.t, logging("Q", log), SYSCALLS | E.QUIESCE);
      attachTo(s.ut, s.t, logging("C", log, () => UTRACE_SYSCALL_ABORT | UTRACE_RESUME), SYSCALLS);
      expect(s.ut.reportSyscallEntry(s.t)).toBe("run");
      s.ut.reportSyscallExit(s.t);
      expect(log).toEqual([
        "C:entry(5)", "Q:quiesce(40)", "Q:entry(15)", "A:entry(5)",
        "A:exit(5)", "Q:quiesce(80)", "Q:exit(5)", "C:exit(5)",
      ]);
    });

    it("a return that is not an integer keeps the bits the engine was given; an engine without the callback passes them on", () => {
      const log: string[] = [];
      const s = setup();
      attachTo(s.ut, s.t, logging("A", log), E.SYSCALL_ENTRY);
      attachTo(s.ut, s.t, { name: "nothing" }, E.SYSCALL_ENTRY);
      attachTo(s.ut, s.t, { reportSyscallEntry: () => 1.5 }, E.SYSCALL_ENTRY);
      attachTo(s.ut, s.t, logging("D", log, () => UTRACE_SYSCALL_ABORT | UTRACE_RESUME), E.SYSCALL_ENTRY);
      // D's ABORT reaches A through both; A's RUN is the last word.
      expect(s.ut.reportSyscallEntry(s.t)).toBe("run");
      expect(log).toEqual(["D:entry(5)", "A:entry(15)"]);
    });

    it("an engine whose flags lack the event is skipped, and a later setEvents is seen at the next pass", () => {
      const log: string[] = [];
      const s = setup();
      const a = attachTo(s.ut, s.t, logging("A", log), E.SYSCALL_EXIT);
      attachTo(s.ut, s.t, logging("B", log), SYSCALLS);
      s.ut.reportSyscallEntry(s.t);
      expect(s.ut.setEvents(s.t, a, SYSCALLS)).toBe(0);
      s.ut.reportSyscallEntry(s.t);
      expect(log).toEqual(["B:entry(5)", "B:entry(5)", "A:entry(5)"]);
    });
  });

  describe("what the API sees from inside a callback (§1.4, §2.2, §6)", () => {
    it("only the engine being called is 'reporting': DETACH of itself is -EINPROGRESS, of another engine 0; after the pass, 0", () => {
      const s = setup();
      const seen: number[] = [];
      let a: Engine<unknown> | null = null;
      let b: Engine<unknown> | null = null;
      let c: Engine<unknown> | null = null;
      a = attachTo(s.ut, s.t, { reportSyscallEntry: () => (seen.push(s.ut.control(s.t, a!, UTRACE_DETACH)), UTRACE_RESUME) }, E.SYSCALL_ENTRY);
      b = attachTo(s.ut, s.t, { reportSyscallEntry: () => (seen.push(s.ut.control(s.t, c!, UTRACE_DETACH)), UTRACE_RESUME) }, E.SYSCALL_ENTRY);
      c = attachTo(s.ut, s.t, { reportSyscallEntry: () => UTRACE_RESUME }, E.SYSCALL_ENTRY);
      s.ut.reportSyscallEntry(s.t);
      // B ran before A (newest first) and detached C, which had already been called.
      expect(seen).toEqual([0, EINPROGRESS]);
      expect(s.ut.control(s.t, b, UTRACE_DETACH)).toBe(0);
    });

    it("the task is current during every callback of the pass (examine is 0 at once); after it, neither it nor the last engine is marked", () => {
      const s = setup();
      const seen: number[] = [];
      const ops: EngineOps<unknown> = { reportSyscallExit: (_a, e) => (seen.push(s.ut.prepareExamine(s.t, e)), UTRACE_RESUME) };
      const engines = [attachTo(s.ut, s.t, ops, E.SYSCALL_EXIT), attachTo(s.ut, s.t, ops, E.SYSCALL_EXIT), attachTo(s.ut, s.t, ops, E.SYSCALL_EXIT)];
      s.ut.reportSyscallExit(s.t);
      expect(seen).toEqual([0, 0, 0]);
      // Outside a callback, from a tracer: the engine holds no stop.
      expect(s.ut.prepareExamine(s.t, engines[1])).toBe(-22);
      // Nor is the last engine called still "reporting": clearing its events is not -EINPROGRESS.
      expect(s.ut.setEvents(s.t, engines[2], 0)).toBe(0);
    });
  });

  describe("stops, detaches, throws and attaches on the syscall path", () => {
    it("STOP at entry stops before the syscall; engines after the stopper see STOP in their action; RESUME lets it run without a repeat pass", () => {
      const log: string[] = [];
      const s = setup();
      attachTo(s.ut, s.t, logging("A", log), E.SYSCALL_ENTRY);
      const b = attachTo(s.ut, s.t, logging("B", log, () => UTRACE_STOP), E.SYSCALL_ENTRY);
      expect(s.ut.reportSyscallEntry(s.t)).toBe(STOPPED);
      expect(s.host.take()).toEqual(["park 1"]);
      expect(log).toEqual(["B:entry(5)", "A:entry(0)"]);
      expect(s.ut.control(s.t, b, UTRACE_RESUME)).toBe(0);
      expect(s.host.take()).toContain("unpark 1");
      expect(s.ut.reportSyscallEntry(s.t)).toBe("run");
      expect(log).toEqual(["B:entry(5)", "A:entry(0)"]);
    });

    it("an engine that returned REPORT beside the stopper gets a RESUMED repeat pass, as does everyone", () => {
      const log: string[] = [];
      const s = setup();
      attachTo(s.ut, s.t, logging("A", log, (_cb, action) => (action & UTRACE_SYSCALL_RESUMED ? UTRACE_RESUME : UTRACE_REPORT)), E.SYSCALL_ENTRY);
      const b = attachTo(s.ut, s.t, logging("B", log, (_cb, action) => (action & UTRACE_SYSCALL_RESUMED ? UTRACE_RESUME : UTRACE_STOP)), E.SYSCALL_ENTRY);
      expect(s.ut.reportSyscallEntry(s.t)).toBe(STOPPED);
      s.ut.control(s.t, b, UTRACE_RESUME);
      expect(s.ut.reportSyscallEntry(s.t)).toBe("run");
      expect(log).toEqual(["B:entry(5)", "A:entry(0)", "B:entry(105)", "A:entry(105)"]);
    });

    it("STOP at exit becomes a REPORT request: the task stops at the resume point, not in the pass (no QUIESCE needed, A.3)", () => {
      const s = setup();
      const e = attachTo(s.ut, s.t, { reportSyscallExit: () => UTRACE_STOP }, E.SYSCALL_EXIT);
      attachTo(s.ut, s.t, { reportSyscallExit: () => UTRACE_RESUME }, E.SYSCALL_EXIT);
      s.ut.reportSyscallExit(s.t);
      expect(s.host.take()).toEqual(["notify 1"]);
      expect(s.ut.quietResume(s.t)).toBe(false);
      expect(s.ut.resumePoint(s.t, false)).toBe(STOPPED);
      expect(s.host.take()).toEqual(["park 1"]);
      expect(s.ut.control(s.t, e, UTRACE_RESUME)).toBe(0);
    });

    it("a callback that asks utrace_control(STOP) for itself and returns RESUME does not stop; returning STOP does", () => {
      const s = setup();
      let e: Engine<unknown> | null = null;
      let ret = UTRACE_RESUME;
      e = attachTo(s.ut, s.t, { reportSyscallEntry: () => (s.ut.control(s.t, e!, UTRACE_STOP), ret) }, E.SYSCALL_ENTRY);
      expect(s.ut.reportSyscallEntry(s.t)).toBe("run");
      // Its RESUME released the stop it asked for: the REPORT that control(STOP) requested finds none.
      expect(e.holdsStop).toBe(false);
      expect(s.ut.resumePoint(s.t, false)).toBe("go");
      ret = UTRACE_STOP;
      expect(s.ut.reportSyscallEntry(s.t)).toBe(STOPPED);
    });

    it("DETACH returned from the pass: no more callbacks, the attachment reference is dropped, the others go on", () => {
      const log: string[] = [];
      const s = setup();
      attachTo(s.ut, s.t, logging("A", log), SYSCALLS);
      const b = attachTo(s.ut, s.t, logging("B", log, () => UTRACE_SYSCALL_ABORT | UTRACE_DETACH), SYSCALLS);
      expect(s.ut.reportSyscallEntry(s.t)).toBe("run");
      s.ut.reportSyscallExit(s.t);
      expect(log).toEqual(["B:entry(5)", "A:entry(15)", "A:exit(5)"]);
      expect(b.refCount).toBe(1);
    });

    it("an engine that detaches itself from inside its callback and returns RESUME is unlinked and released at the end of that pass", () => {
      const log: string[] = [];
      let released = 0;
      const s = setup();
      attachTo(s.ut, s.t, logging("A", log), SYSCALLS);
      let b: Engine<unknown> | null = null;
      b = attachTo(s.ut, s.t, {
        release: () => void released++,
        reportSyscallExit: () => (log.push(`B:detach ${s.ut.control(s.t, b!, UTRACE_DETACH)}`), UTRACE_RESUME),
      }, SYSCALLS);
      b.put();
      attachTo(s.ut, s.t, logging("C", log), SYSCALLS);
      s.ut.reportSyscallExit(s.t);
      expect(log).toEqual(["A:exit(5)", `B:detach ${EINPROGRESS}`, "C:exit(5)"]);
      expect(released).toBe(1);
      expect(s.ut.setEvents(s.t, b, SYSCALLS)).toBe(-3);
    });

    it("a throwing engine is detached with one line of diagnostics; its result bits are those it was given and the pass goes on", () => {
      const log: string[] = [];
      const s = setup();
      attachTo(s.ut, s.t, logging("A", log), SYSCALLS);
      const b = attachTo(s.ut, s.t, { name: "thrower", reportSyscallEntry: () => { throw new Error("boom\nmore"); } }, SYSCALLS);
      attachTo(s.ut, s.t, logging("C", log, () => UTRACE_SYSCALL_ABORT | UTRACE_RESUME), SYSCALLS);
      expect(s.ut.reportSyscallEntry(s.t)).toBe("run");
      expect(s.host.lines).toEqual(["rvtrace: engine thrower threw in reportSyscallEntry: boom (detached)"]);
      s.ut.reportSyscallExit(s.t);
      expect(log).toEqual(["C:entry(5)", "A:entry(15)", "A:exit(5)", "C:exit(5)"]);
      expect(b.refCount).toBe(1);
      // Not reporting any more: a detach from outside is "no such engine".
      expect(s.ut.control(s.t, b, UTRACE_DETACH)).toBe(-3);
    });

    it("an engine attached from inside a callback misses that pass and gets the next", () => {
      const log: string[] = [];
      const s = setup();
      let added = false;
      attachTo(s.ut, s.t, {
        reportSyscallEntry: () => {
          if (!added) {
            added = true;
            const n = s.ut.attachTask(s.t, UTRACE_ATTACH_CREATE, logging("new", log), null);
            expect(s.ut.setEvents(s.t, n, SYSCALLS)).toBe(0);
          }
          return UTRACE_RESUME;
        },
      }, SYSCALLS);
      s.ut.reportSyscallEntry(s.t);
      s.ut.reportSyscallExit(s.t);
      expect(log).toEqual(["new:exit(5)"]);
    });

    it("an entry no engine wants any more (its event removed) is a spurious pass, which recomputes the task's flags (§2.2)", () => {
      const s = setup();
      const a = attachTo(s.ut, s.t, {}, SYSCALLS);
      expect(s.ut.reportSyscallEntry(s.t)).toBe("run");
      expect(s.ut.setEvents(s.t, a, E.SYSCALL_EXIT)).toBe(0);
      // A removed event stays in the task's flags until a reset (spec note 5).
      expect(s.t.utraceFlags & E.SYSCALL_ENTRY).toBe(E.SYSCALL_ENTRY);
      expect(s.ut.reportSyscallEntry(s.t)).toBe("run");
      expect(s.t.utraceFlags & SYSCALLS).toBe(E.SYSCALL_EXIT);
    });

    it("an engine detached by another between passes is finished off by its sentinel quiesce in the next syscall pass", () => {
      const log: string[] = [];
      let released = 0;
      const s = setup();
      const a = attachTo(s.ut, s.t, { ...logging("A", log), release: () => void released++ }, SYSCALLS);
      attachTo(s.ut, s.t, logging("B", log), SYSCALLS);
      s.ut.reportSyscallEntry(s.t);
      a.put();
      expect(s.ut.control(s.t, a, UTRACE_DETACH)).toBe(0);
      expect(released).toBe(0);
      s.ut.reportSyscallExit(s.t);
      expect(log).toEqual(["B:entry(5)", "A:entry(5)", "B:exit(5)"]);
      expect(released).toBe(1);
    });
  });
});

describe("the quiet resume point (returnToUser asks it first)", () => {
  it("is quiet with nothing pending and drops the handler note; not with a request, a held stop or an engine waiting to be spliced in", () => {
    const s = setup();
    const e = attachEngine(s.ut, s.t, { reportQuiesce: () => UTRACE_RESUME }, E.QUIESCE | E.SYSCALL_ENTRY);
    expect(s.ut.quietResume(s.t)).toBe(false); // attached, not yet spliced in
    s.ut.reportSyscallEntry(s.t);
    expect(s.ut.quietResume(s.t)).toBe(true);
    s.ut.handlerSetUp(s.t, false);
    expect(s.ut.quietResume(s.t)).toBe(true);
    expect(s.ut.takeSignalReport(s.t).natural).not.toBe(0x70); // the HANDLER note was dropped
    expect(s.ut.control(s.t, e, UTRACE_REPORT)).toBe(0);
    expect(s.ut.quietResume(s.t)).toBe(false);
  });
});
