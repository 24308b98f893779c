// utrace-spec.md §8.2, the syscall-entry loop, on the paths syscall-entry.test.ts leaves out: a
// pass that ends in STOP whose stop does not park the task, because by the end of the pass no
// engine holds a stop any more (an older engine, called later in the newest-first pass, lifted or
// detached the stopping one with utrace_control). utrace_stop then returns at once, and the loop
// must still look at utrace.resume: a REPORT or INTERRUPT asked for in the pass gives a repeat pass
// whose every entry callback carries UTRACE_SYSCALL_RESUMED, and no request gives no repeat pass.
// Also: a REPORT asked for by another engine while the task is parked survives the stop.
//
// The guest is guests/src/utb-sys.S: write(1, "one\n", 4); getpid(); write(1, "two\n", 4);
// exit_group(getpid's result).
import { describe, expect, it } from "vitest";
import {
  UTRACE_EVENT, UTRACE_STOP, UTRACE_INTERRUPT, UTRACE_REPORT, UTRACE_RESUME, UTRACE_DETACH, UTRACE_SYSCALL_RUN,
  UTRACE_SYSCALL_RESUMED, UTRACE_SIGNAL_REPORT, UTRACE_SIGNAL_MASK, utraceSyscallAction, type Engine,
} from "../../src/index.js";
import { start, attach, recorder, waitFor, NR, UTB_SYS_CODE, type Ev, type Run } from "./helpers-b.js";

const ENTRY = UTRACE_EVENT.SYSCALL_ENTRY;
const QUIESCE = UTRACE_EVENT.QUIESCE;

/** The entry callbacks of the first write (everything before getpid's first entry callback). */
function firstWrite(log: Ev[]): Ev[] {
  const end = log.findIndex((x) => x.cb === "entry" && x.nr === NR.getpid);
  return log.slice(0, end < 0 ? log.length : end).filter((x) => x.cb === "entry" && x.nr === NR.write);
}

const summary = (evs: Ev[]) => evs.map((x) => `${x.who}${x.action! & UTRACE_SYSCALL_RESUMED ? " resumed" : ""}`);

/**
 * Lets the guest run until it is parked in a utrace stop with `also()` true, or until it ends,
 * whichever comes first (the run reaches one of them on its own: the wait decides nothing).
 * Returns whether it stopped so.
 */
async function endOrPark(run: Run, also: () => boolean = () => true): Promise<boolean> {
  let ended = false;
  let parked = false;
  void run.p.wait().then(() => (ended = true));
  await waitFor(() => {
    if (run.task.state === "stopped" && also()) parked = true;
    return ended || parked;
  }, "the guest to end or park");
  return parked;
}

/**
 * Two engines, attached A then B, so each entry pass calls B first, then A. On the first write's
 * first pass B returns STOP and A, called next, runs `inA` (given B's engine); afterwards both
 * echo the decision. Both have QUIESCE (utrace_control(REPORT) requires it of its target).
 */
function stopThenLift(run: Run, log: Ev[], inA: (b: Engine<unknown>) => number): { a: Engine<unknown>; b: Engine<unknown> } {
  let aCalls = 0;
  let bCalls = 0;
  const engines: { b?: Engine<unknown> } = {};
  const a = attach(run, recorder("A", log, {
    reportSyscallEntry: (action) => (++aCalls === 1 ? inA(engines.b!) : utraceSyscallAction(action) | UTRACE_RESUME),
  }), QUIESCE | ENTRY);
  const b = attach(run, recorder("B", log, {
    reportSyscallEntry: (action) => (++bCalls === 1 ? utraceSyscallAction(action) | UTRACE_STOP : utraceSyscallAction(action) | UTRACE_RESUME),
  }), QUIESCE | ENTRY);
  engines.b = b;
  return { a, b };
}

describe("§8.2: a stop that does not park the task", () => {
  it("REPORT asked for in the pass (utrace_control on the stopping engine): a repeat pass, flagged RESUMED, without parking", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    const results: number[] = [];
    stopThenLift(run, log, (b) => {
      results.push(run.k.utrace.control(run.task, b, UTRACE_REPORT));
      return UTRACE_SYSCALL_RUN | UTRACE_RESUME;
    });
    expect(await endOrPark(run)).toBe(false);
    expect(results).toEqual([0]);
    const w = firstWrite(log);
    expect(summary(w)).toEqual(["B", "A", "B resumed", "A resumed"]);
    // The repeat pass' first callback gets the syscall bits the first pass ended with (A's RUN).
    expect(w[2].action).toBe(UTRACE_SYSCALL_RESUMED | UTRACE_SYSCALL_RUN | UTRACE_RESUME);
    const st = await run.wait();
    expect(run.out()).toBe("one\ntwo\n");
    expect(st.exitCode).toBe(UTB_SYS_CODE);
  });

  it("REPORT returned by the engine that lifted the stop (utrace_stop re-arms the pass' resume action): a repeat pass, RESUMED", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    stopThenLift(run, log, (b) => {
      expect(run.k.utrace.control(run.task, b, UTRACE_RESUME)).toBe(0);
      return UTRACE_SYSCALL_RUN | UTRACE_REPORT;
    });
    expect(await endOrPark(run)).toBe(false);
    expect(summary(firstWrite(log))).toEqual(["B", "A", "B resumed", "A resumed"]);
    await run.wait();
    expect(run.out()).toBe("one\ntwo\n");
  });

  it("INTERRUPT asked for in the pass: a repeat pass, RESUMED, and the INTERRUPT is left for the signal path", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let aCalls = 0;
    let bCalls = 0;
    const engines: { b?: Engine<unknown> } = {};
    const signalReports: number[] = [];
    // As stopThenLift, with B also seeing signal-path reports.
    attach(run, recorder("A", log, {
      reportSyscallEntry(action) {
        if (++aCalls === 1) expect(run.k.utrace.control(run.task, engines.b!, UTRACE_INTERRUPT)).toBe(0);
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
    }), QUIESCE | ENTRY);
    engines.b = attach(run, recorder("B", log, {
      reportSyscallEntry: (action) => (++bCalls === 1 ? utraceSyscallAction(action) | UTRACE_STOP : utraceSyscallAction(action) | UTRACE_RESUME),
      reportSignal(action) {
        signalReports.push(action & UTRACE_SIGNAL_MASK);
        return UTRACE_SIGNAL_REPORT | UTRACE_RESUME;
      },
    }), QUIESCE | ENTRY);
    expect(await endOrPark(run)).toBe(false);
    expect(summary(firstWrite(log))).toEqual(["B", "A", "B resumed", "A resumed"]);
    // The write ran, then the signal path reported (no real signal: disposition REPORT) before
    // any later syscall entry.
    const firstSignal = log.findIndex((x) => x.cb === "signal");
    const getpidEntry = log.findIndex((x) => x.cb === "entry" && x.nr === NR.getpid);
    expect(firstSignal).toBeGreaterThan(log.lastIndexOf(firstWrite(log)[3]));
    expect(firstSignal).toBeLessThan(getpidEntry);
    expect(signalReports[0]).toBe(UTRACE_SIGNAL_REPORT);
    await run.wait();
    expect(run.out()).toBe("one\ntwo\n");
  });

  it("DETACH of the stopping engine in the pass: a repeat pass (detach asks for a report) with the engines left, RESUMED", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    stopThenLift(run, log, (b) => {
      run.k.utrace.control(run.task, b, UTRACE_DETACH);
      return UTRACE_SYSCALL_RUN | UTRACE_RESUME;
    });
    expect(await endOrPark(run)).toBe(false);
    expect(summary(firstWrite(log))).toEqual(["B", "A", "A resumed"]);
    await run.wait();
    expect(run.out()).toBe("one\ntwo\n");
  });

  it("no request: the stop is lifted with plain RESUME in the pass, so there is no repeat pass", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    stopThenLift(run, log, (b) => {
      expect(run.k.utrace.control(run.task, b, UTRACE_RESUME)).toBe(0);
      return UTRACE_SYSCALL_RUN | UTRACE_RESUME;
    });
    expect(await endOrPark(run)).toBe(false);
    expect(summary(firstWrite(log))).toEqual(["B", "A"]);
    for (const x of log.filter((e) => e.cb === "entry")) expect(x.action! & UTRACE_SYSCALL_RESUMED).toBe(0);
    await run.wait();
    expect(run.out()).toBe("one\ntwo\n");
  });
});

describe("§8.2: a stop that parks the task", () => {
  it("REPORT asked for by another engine while the task is parked survives the stop: the repeat pass comes when the holder resumes", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let aCalls = 0;
    // A holds the stop; B only asks, from outside, for another look.
    const a = attach(run, recorder("A", log, {
      reportSyscallEntry: (action) => (++aCalls === 1 ? utraceSyscallAction(action) | UTRACE_STOP : utraceSyscallAction(action) | UTRACE_RESUME),
    }), QUIESCE | ENTRY);
    const b = attach(run, recorder("B", log), QUIESCE | ENTRY);
    expect(await endOrPark(run)).toBe(true);
    expect(run.k.utrace.control(run.task, b, UTRACE_REPORT)).toBe(0);
    // A still holds its stop: the task stays parked.
    expect(run.task.state).toBe("stopped");
    expect(summary(firstWrite(log))).toEqual(["B", "A"]);
    expect(run.k.utrace.control(run.task, a, UTRACE_RESUME)).toBe(0);
    await run.wait();
    expect(summary(firstWrite(log))).toEqual(["B", "A", "B resumed", "A resumed"]);
    expect(run.out()).toBe("one\ntwo\n");
  });

  it("the repeat pass may stop again, and a REPORT asked for in that pass gives a third pass once resumed", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let aCalls = 0;
    // A stops on the first two passes; on the second it also asks (by its return value) for
    // another look, which utrace_stop keeps as the resume request.
    const a = attach(run, recorder("A", log, {
      reportSyscallEntry(action) {
        aCalls++;
        if (aCalls === 1) return utraceSyscallAction(action) | UTRACE_STOP;
        if (aCalls === 2) return utraceSyscallAction(action) | UTRACE_STOP;
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
    }), QUIESCE | ENTRY);
    let bCalls = 0;
    attach(run, recorder("B", log, {
      reportSyscallEntry: (action) => (++bCalls === 2 ? utraceSyscallAction(action) | UTRACE_REPORT : utraceSyscallAction(action) | UTRACE_RESUME),
    }), ENTRY);
    expect(await endOrPark(run)).toBe(true);
    expect(run.k.utrace.control(run.task, a, UTRACE_REPORT)).toBe(0);
    expect(await endOrPark(run, () => firstWrite(log).length >= 4)).toBe(true);
    expect(summary(firstWrite(log))).toEqual(["B", "A", "B resumed", "A resumed"]);
    // Plain RESUME from the holder: B's REPORT from the second pass still gives a third.
    expect(run.k.utrace.control(run.task, a, UTRACE_RESUME)).toBe(0);
    await run.wait();
    expect(summary(firstWrite(log))).toEqual(["B", "A", "B resumed", "A resumed", "B resumed", "A resumed"]);
    expect(run.out()).toBe("one\ntwo\n");
  });
});
