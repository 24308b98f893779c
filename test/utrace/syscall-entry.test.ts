// utrace-spec.md Part B §7 (the SYSCALL_ENTRY row), §8 (the UTRACE_SYSCALL_RESUMED loop) and the
// Part A.3 decisions about syscall entry (quiesce callbacks keep the decision; number -1 skips).
//
// The guest is guests/src/utb-sys.S: write(1,"one\n",4); getpid(); write(1,"two\n",4);
// exit_group(getpid's result), so the exit code shows what getpid's a0 ended up as.
import { describe, expect, it } from "vitest";
import {
  UTRACE_EVENT, UTRACE_STOP, UTRACE_INTERRUPT, UTRACE_REPORT, UTRACE_RESUME, UTRACE_SYSCALL_RUN,
  UTRACE_SYSCALL_ABORT, UTRACE_SYSCALL_RESUMED, utraceSyscallAction, type Regs,
} from "../../src/index.js";
import { start, attach, recorder, pick, untilStopped, settle, NR, UTB_SYS_CODE, type Ev } from "./helpers-b.js";

const ENTRY = UTRACE_EVENT.SYSCALL_ENTRY;
const EXIT = UTRACE_EVENT.SYSCALL_EXIT;
const QUIESCE = UTRACE_EVENT.QUIESCE;

/** The entry callbacks one engine got for the first write (before getpid's entry). */
function firstWriteEntries(log: Ev[], who: string): Ev[] {
  const out: Ev[] = [];
  for (const x of log) {
    if (x.cb === "entry" && x.nr === NR.getpid) break;
    if (x.cb === "entry" && x.who === who && x.nr === NR.write) out.push(x);
  }
  return out;
}

describe("B §7 where SYSCALL_ENTRY stops", () => {
  it("§7: a STOP at syscall entry takes effect immediately after the pass, before the syscall runs", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let stopped = false;
    const a = attach(run, recorder("A", log, {
      reportSyscallEntry(action) {
        if (!stopped) {
          stopped = true;
          return utraceSyscallAction(action) | UTRACE_STOP;
        }
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
    }), ENTRY);
    await untilStopped(run.task);
    await settle(50);
    expect(run.task.state).toBe("stopped");
    expect(run.out()).toBe(""); // write(1, "one\n") has not run
    expect(pick(log, "entry").map((x) => x.nr)).toEqual([NR.write]);
    expect(run.k.utrace.control(run.task, a, UTRACE_RESUME)).toBe(0);
    const st = await run.wait();
    expect(run.out()).toBe("one\ntwo\n");
    expect(st.exitCode).toBe(UTB_SYS_CODE);
  });
});

describe("B §8 the syscall-entry RESUMED loop", () => {
  it("§8 point 1: without a real stop there is no repeat pass, even when an engine returns REPORT", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    attach(run, recorder("A", log, {
      reportSyscallEntry: (action) => utraceSyscallAction(action) | UTRACE_REPORT,
    }), QUIESCE | ENTRY);
    const st = await run.wait();
    expect(st.exitCode).toBe(UTB_SYS_CODE);
    const entries = pick(log, "entry");
    expect(entries.map((x) => x.nr)).toEqual([NR.write, NR.getpid, NR.write, NR.exit_group]);
    for (const x of entries) expect(x.action! & UTRACE_SYSCALL_RESUMED).toBe(0);
  });

  it("§8 point 1: a plain RESUME after the stop means no repeat pass; the syscall runs with the last pass' decision", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let n = 0;
    const a = attach(run, recorder("A", log, {
      reportSyscallEntry: (action) => (++n === 1 ? UTRACE_SYSCALL_ABORT | UTRACE_STOP : utraceSyscallAction(action) | UTRACE_RESUME),
    }), QUIESCE | ENTRY);
    await untilStopped(run.task);
    expect(run.k.utrace.control(run.task, a, UTRACE_RESUME)).toBe(0);
    await run.wait();
    expect(firstWriteEntries(log, "A")).toHaveLength(1);
    expect(run.out()).toBe("two\n"); // the first write stayed aborted
  });

  for (const [name, how] of [["REPORT", UTRACE_REPORT], ["INTERRUPT", UTRACE_INTERRUPT]] as const) {
    it(`§8 point 1: utrace_control(${name}) on the stopped task gives a repeat pass flagged RESUMED`, async () => {
      const run = start("utb-sys");
      const log: Ev[] = [];
      let n = 0;
      const a = attach(run, recorder("A", log, {
        reportSyscallEntry: (action) => (++n === 1 ? UTRACE_SYSCALL_RUN | UTRACE_STOP : utraceSyscallAction(action) | UTRACE_RESUME),
      }), QUIESCE | ENTRY);
      await untilStopped(run.task);
      expect(run.out()).toBe("");
      expect(run.k.utrace.control(run.task, a, how)).toBe(0);
      const st = await run.wait();
      const w = firstWriteEntries(log, "A");
      expect(w).toHaveLength(2);
      expect(w[0].action! & UTRACE_SYSCALL_RESUMED).toBe(0);
      expect(w[1].action! & UTRACE_SYSCALL_RESUMED).toBe(UTRACE_SYSCALL_RESUMED);
      expect(run.out()).toBe("one\ntwo\n");
      expect(st.exitCode).toBe(UTB_SYS_CODE);
    });
  }

  it("§8 point 1 / §4.1: STOP by A and REPORT by B in one pass → a repeat pass once A lifts its stop with plain RESUME", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let na = 0;
    let nb = 0;
    const a = attach(run, recorder("A", log, {
      reportSyscallEntry: (action) => (++na === 1 ? utraceSyscallAction(action) | UTRACE_STOP : utraceSyscallAction(action) | UTRACE_RESUME),
    }), ENTRY);
    attach(run, recorder("B", log, {
      reportSyscallEntry: (action) => (++nb === 1 ? utraceSyscallAction(action) | UTRACE_REPORT : utraceSyscallAction(action) | UTRACE_RESUME),
    }), ENTRY);
    await untilStopped(run.task);
    expect(run.k.utrace.control(run.task, a, UTRACE_RESUME)).toBe(0);
    await run.wait();
    // newest first: B then A, twice; the second pass is RESUMED
    const w = log.filter((x) => x.cb === "entry" && x.nr === NR.write).slice(0, 4);
    expect(w.map((x) => x.who)).toEqual(["B", "A", "B", "A"]);
    expect(w.map((x) => x.action! & UTRACE_SYSCALL_RESUMED)).toEqual([0, 0, UTRACE_SYSCALL_RESUMED, UTRACE_SYSCALL_RESUMED]);
    expect(firstWriteEntries(log, "A")).toHaveLength(2);
  });

  it("§8 point 2: a repeat pass is a full pass, newest first, with report_quiesce(SYSCALL_ENTRY) whose action has no RESUMED bit", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let n = 0;
    const a = attach(run, recorder("A", log, {
      reportSyscallEntry: (action) => (++n === 1 ? utraceSyscallAction(action) | UTRACE_STOP : utraceSyscallAction(action) | UTRACE_RESUME),
    }), QUIESCE | ENTRY);
    attach(run, recorder("B", log), QUIESCE | ENTRY);
    await untilStopped(run.task);
    expect(run.k.utrace.control(run.task, a, UTRACE_REPORT)).toBe(0);
    await run.wait();
    // the first two entry passes (both for the first write): [B quiesce, B entry, A quiesce, A entry] twice
    const passes = log.filter((x) => (x.cb === "quiesce" ? x.event === ENTRY : x.cb === "entry")).slice(0, 8);
    expect(passes.filter((x) => x.cb === "entry").map((x) => x.nr)).toEqual([NR.write, NR.write, NR.write, NR.write]);
    expect(passes.map((x) => `${x.who}.${x.cb}`)).toEqual([
      "B.quiesce", "B.entry", "A.quiesce", "A.entry",
      "B.quiesce", "B.entry", "A.quiesce", "A.entry",
    ]);
    // the repeat pass' first quiesce: resume action only (RESUME), no RESUMED, no syscall bits
    expect(passes[4].action).toBe(UTRACE_RESUME);
    for (const q of passes.filter((x) => x.cb === "quiesce")) expect(q.action! & ~7).toBe(0);
  });

  it("§8 point 3: every entry callback of a repeat pass has RESUMED; the first sees the syscall bits the previous pass ended with", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let na = 0;
    const a = attach(run, recorder("A", log, {
      // oldest engine = last callback of a pass: ends pass 1 with ABORT and a stop, then echoes
      reportSyscallEntry: (action) => (++na === 1 ? UTRACE_SYSCALL_ABORT | UTRACE_STOP : utraceSyscallAction(action) | UTRACE_RESUME),
    }), QUIESCE | ENTRY);
    let nb = 0;
    attach(run, recorder("B", log, {
      // in the repeat pass B turns RUN back into ABORT
      reportSyscallEntry: (action) => (++nb === 2 ? UTRACE_SYSCALL_ABORT | UTRACE_RESUME : utraceSyscallAction(action) | UTRACE_RESUME),
    }), ENTRY);
    let nc = 0;
    attach(run, recorder("C", log, {
      // newest engine = first callback: returns RUN both times
      reportSyscallEntry: () => (++nc, UTRACE_SYSCALL_RUN | UTRACE_RESUME),
    }), ENTRY);
    await untilStopped(run.task);
    expect(run.k.utrace.control(run.task, a, UTRACE_REPORT)).toBe(0);
    await run.wait();
    const w = log.filter((x) => x.cb === "entry" && x.nr === NR.write).slice(0, 6);
    expect(w.map((x) => x.who)).toEqual(["C", "B", "A", "C", "B", "A"]);
    expect(w.map((x) => x.action)).toEqual([
      UTRACE_RESUME,
      UTRACE_SYSCALL_RUN | UTRACE_RESUME,
      UTRACE_SYSCALL_RUN | UTRACE_RESUME,
      UTRACE_SYSCALL_RESUMED | UTRACE_SYSCALL_ABORT | UTRACE_RESUME, // first of the repeat pass: pass 1's ABORT
      UTRACE_SYSCALL_RESUMED | UTRACE_SYSCALL_RUN | UTRACE_RESUME,
      UTRACE_SYSCALL_RESUMED | UTRACE_SYSCALL_ABORT | UTRACE_RESUME,
    ]);
    expect(run.out()).toBe("two\n");
  });

  it("§8 point 4: the loop repeats as long as each pass stops and a report is requested after it", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let n = 0;
    const a = attach(run, recorder("A", log, {
      reportSyscallEntry: (action) => (++n <= 2 ? utraceSyscallAction(action) | UTRACE_STOP : utraceSyscallAction(action) | UTRACE_RESUME),
    }), QUIESCE | ENTRY);
    await untilStopped(run.task);
    expect(run.k.utrace.control(run.task, a, UTRACE_REPORT)).toBe(0);
    await settle(20);
    await untilStopped(run.task);
    expect(firstWriteEntries(log, "A")).toHaveLength(2);
    expect(run.out()).toBe("");
    expect(run.k.utrace.control(run.task, a, UTRACE_REPORT)).toBe(0);
    await run.wait();
    const w = firstWriteEntries(log, "A");
    expect(w.map((x) => x.action! & UTRACE_SYSCALL_RESUMED)).toEqual([0, UTRACE_SYSCALL_RESUMED, UTRACE_SYSCALL_RESUMED]);
    expect(run.out()).toBe("one\ntwo\n");
  });

  it("§8 point 4: a REPORT is consumed by the repeat pass: a further stop resumed with plain RESUME gives no third pass", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let n = 0;
    const a = attach(run, recorder("A", log, {
      reportSyscallEntry: (action) => (++n <= 2 ? utraceSyscallAction(action) | UTRACE_STOP : utraceSyscallAction(action) | UTRACE_RESUME),
    }), QUIESCE | ENTRY);
    await untilStopped(run.task);
    expect(run.k.utrace.control(run.task, a, UTRACE_REPORT)).toBe(0);
    await settle(20);
    await untilStopped(run.task);
    expect(run.k.utrace.control(run.task, a, UTRACE_RESUME)).toBe(0);
    await run.wait();
    expect(firstWriteEntries(log, "A")).toHaveLength(2);
  });

  it("§8 point 4: an INTERRUPT is not consumed by the repeat pass: a further stop resumed with plain RESUME repeats again", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let n = 0;
    const a = attach(run, recorder("A", log, {
      reportSyscallEntry: (action) => (++n <= 2 ? utraceSyscallAction(action) | UTRACE_STOP : utraceSyscallAction(action) | UTRACE_RESUME),
    }), QUIESCE | ENTRY);
    await untilStopped(run.task);
    expect(run.k.utrace.control(run.task, a, UTRACE_INTERRUPT)).toBe(0);
    await settle(20);
    await untilStopped(run.task);
    expect(firstWriteEntries(log, "A")).toHaveLength(2);
    expect(run.k.utrace.control(run.task, a, UTRACE_RESUME)).toBe(0);
    await run.wait();
    const w = firstWriteEntries(log, "A");
    expect(w.map((x) => x.action! & UTRACE_SYSCALL_RESUMED)).toEqual([0, UTRACE_SYSCALL_RESUMED, UTRACE_SYSCALL_RESUMED]);
    expect(run.out()).toBe("one\ntwo\n");
  });

  it("§8 point 5: an engine attached while the task is stopped takes part in the repeat pass, its first entry callback carrying RESUMED", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let n = 0;
    const a = attach(run, recorder("A", log, {
      reportSyscallEntry: (action) => (++n === 1 ? utraceSyscallAction(action) | UTRACE_STOP : utraceSyscallAction(action) | UTRACE_RESUME),
    }), QUIESCE | ENTRY);
    await untilStopped(run.task);
    attach(run, recorder("late", log), ENTRY);
    expect(run.k.utrace.control(run.task, a, UTRACE_REPORT)).toBe(0);
    await run.wait();
    const w = log.filter((x) => x.cb === "entry" && x.nr === NR.write).slice(0, 3);
    expect(w.map((x) => x.who)).toEqual(["A", "late", "A"]);
    expect(w[1].action! & UTRACE_SYSCALL_RESUMED).toBe(UTRACE_SYSCALL_RESUMED);
  });

  it("§8 point 6: the final decision is the syscall bits of the last callback of the pass (oldest engine): B ABORT, A RUN → runs", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    attach(run, recorder("A", log, { reportSyscallEntry: () => UTRACE_SYSCALL_RUN | UTRACE_RESUME }), ENTRY);
    attach(run, recorder("B", log, { reportSyscallEntry: () => UTRACE_SYSCALL_ABORT | UTRACE_RESUME }), ENTRY);
    const st = await run.wait();
    expect(run.out()).toBe("one\ntwo\n");
    expect(st.exitCode).toBe(UTB_SYS_CODE);
  });

  it("§8 point 6: …and B RUN, A ABORT → aborted (the decision is A's, the last callback)", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    attach(run, recorder("A", log, {
      reportSyscallEntry: (_action, _e, regs) => (regs.syscallNumber === BigInt(NR.write) ? UTRACE_SYSCALL_ABORT : UTRACE_SYSCALL_RUN) | UTRACE_RESUME,
    }), ENTRY);
    attach(run, recorder("B", log, { reportSyscallEntry: () => UTRACE_SYSCALL_RUN | UTRACE_RESUME }), ENTRY);
    const st = await run.wait();
    expect(run.out()).toBe("");
    expect(st.exitCode).toBe(UTB_SYS_CODE);
  });

  it("§8 point 6: across passes, the last pass decides: ABORT in the stopped pass, RUN in the repeat pass → runs", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let n = 0;
    const a = attach(run, recorder("A", log, {
      reportSyscallEntry: (action) => (++n === 1 ? UTRACE_SYSCALL_ABORT | UTRACE_STOP : UTRACE_SYSCALL_RUN | UTRACE_RESUME),
    }), QUIESCE | ENTRY);
    await untilStopped(run.task);
    expect(run.k.utrace.control(run.task, a, UTRACE_REPORT)).toBe(0);
    await run.wait();
    const w = firstWriteEntries(log, "A");
    expect(w).toHaveLength(2);
    expect(utraceSyscallAction(w[1].action!)).toBe(UTRACE_SYSCALL_ABORT);
    expect(run.out()).toBe("one\ntwo\n");
  });

  it("§8 point 6 / §6.4: SIGKILL during the stop forces ABORT: the syscall never runs, though the engines chose RUN", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let n = 0;
    attach(run, recorder("A", log, {
      reportSyscallEntry: () => (++n === 1 ? UTRACE_SYSCALL_RUN | UTRACE_STOP : UTRACE_SYSCALL_RUN | UTRACE_RESUME),
    }), QUIESCE | ENTRY | EXIT);
    await untilStopped(run.task);
    run.p.kill(9);
    const st = await run.wait();
    expect(st).toEqual({ exitCode: null, signal: 9, coreDumped: false });
    expect(run.out()).toBe("");
    expect(firstWriteEntries(log, "A")).toHaveLength(1);
  });

  it("§8 point 7: ptrace idiom — the tracer rewrites args during the stop, the closer engine re-examines them on the RESUMED pass, echoing keeps RUN", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let saved: Regs | null = null;
    let n = 0;
    // A: ptrace, attached first (farthest from user mode); stops with RUN|STOP, echoes on RESUMED
    const a = attach(run, recorder("ptrace", log, {
      reportSyscallEntry(action, _e, regs) {
        if (action & UTRACE_SYSCALL_RESUMED) return utraceSyscallAction(action) | UTRACE_RESUME;
        if (++n === 1) {
          saved = regs;
          return UTRACE_SYSCALL_RUN | UTRACE_STOP;
        }
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
    }), QUIESCE | ENTRY);
    // B: strace, attached later (closest to user mode): logs the length argument each time
    const lens: bigint[] = [];
    attach(run, recorder("strace", log, {
      reportSyscallEntry(action, _e, regs) {
        if (regs.syscallNumber === BigInt(NR.write)) lens.push(regs.arg(2));
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
    }), ENTRY);
    await untilStopped(run.task);
    expect(saved).not.toBeNull();
    saved!.setArg(2, 2n); // the tracer shortens write(1, "one\n", 4) to 2 bytes
    expect(run.k.utrace.control(run.task, a, UTRACE_REPORT)).toBe(0);
    await run.wait();
    expect(lens.slice(0, 2)).toEqual([4n, 2n]);
    expect(run.out()).toBe("ontwo\n");
  });

  it("§8 point 7: SYSEMU idiom — an engine returning ABORT|REPORT every time keeps the syscall aborted through the repeat pass", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let n = 0;
    // A: oldest, holds a stop in the first pass and echoes the decision
    const a = attach(run, recorder("A", log, {
      reportSyscallEntry: (action) => (++n === 1 ? utraceSyscallAction(action) | UTRACE_STOP : utraceSyscallAction(action) | UTRACE_RESUME),
    }), ENTRY);
    // B: newest, SYSEMU-like on the first write only
    let writes = 0;
    attach(run, recorder("sysemu", log, {
      reportSyscallEntry(action, _e, regs) {
        if (regs.syscallNumber === BigInt(NR.write) && !(action & UTRACE_SYSCALL_RESUMED)) writes++;
        return writes === 1 && regs.syscallNumber === BigInt(NR.write) ? UTRACE_SYSCALL_ABORT | UTRACE_REPORT : utraceSyscallAction(action) | UTRACE_RESUME;
      },
    }), ENTRY);
    await untilStopped(run.task);
    expect(run.k.utrace.control(run.task, a, UTRACE_RESUME)).toBe(0);
    await run.wait();
    const w = log.filter((x) => x.cb === "entry" && x.nr === NR.write).slice(0, 4);
    expect(w.map((x) => x.who)).toEqual(["sysemu", "A", "sysemu", "A"]);
    expect(utraceSyscallAction(w[3].action!)).toBe(UTRACE_SYSCALL_ABORT);
    expect(run.out()).toBe("two\n");
  });

  it("§8 point 8: an aborted syscall does not run, its exit report still happens, and registers are as the engines left them", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    const exitA0: bigint[] = [];
    const exitA1: bigint[] = [];
    let a1AtEntry = -1n;
    attach(run, recorder("A", log, {
      reportSyscallEntry(action, _e, regs) {
        if (regs.syscallNumber !== BigInt(NR.getpid)) return utraceSyscallAction(action) | UTRACE_RESUME;
        regs.returnValue = 42n;
        a1AtEntry = regs.a1;
        return UTRACE_SYSCALL_ABORT | UTRACE_RESUME;
      },
      reportSyscallExit(_action, _e, regs) {
        if (regs.syscallNumber === BigInt(NR.getpid)) {
          exitA0.push(regs.returnValue);
          exitA1.push(regs.a1);
        }
        return UTRACE_RESUME;
      },
    }), ENTRY | EXIT);
    const st = await run.wait();
    expect(pick(log, "exit", NR.getpid)).toHaveLength(1);
    expect(exitA0).toEqual([42n]);
    expect(exitA1).toEqual([a1AtEntry]);
    expect(st.exitCode).toBe(42); // the guest saw a0 = 42, not its pid
    expect(run.out()).toBe("one\ntwo\n");
  });
});

describe("Part A.3 decisions at syscall entry", () => {
  it("A.3: a report_quiesce between an ABORTing engine and the end of the pass does not clobber the decision", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    // A: oldest, QUIESCE only: its report_quiesce(SYSCALL_ENTRY) is the last callback of the pass
    attach(run, recorder("A", log), QUIESCE);
    attach(run, recorder("B", log, {
      reportSyscallEntry: (_a, _e, regs) => (regs.syscallNumber === BigInt(NR.write) ? UTRACE_SYSCALL_ABORT : UTRACE_SYSCALL_RUN) | UTRACE_RESUME,
    }), ENTRY);
    const st = await run.wait();
    const firstPass = log.slice(0, 2).map((x) => `${x.who}.${x.cb}`);
    expect(firstPass).toEqual(["B.entry", "A.quiesce"]);
    expect(run.out()).toBe("");
    expect(st.exitCode).toBe(UTB_SYS_CODE);
  });

  it("A.3: the engine after an ABORTing one still sees ABORT in its entry action after its own report_quiesce", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    attach(run, recorder("A", log), QUIESCE | ENTRY);
    attach(run, recorder("B", log, {
      reportSyscallEntry: (_a, _e, regs) => (regs.syscallNumber === BigInt(NR.write) ? UTRACE_SYSCALL_ABORT : UTRACE_SYSCALL_RUN) | UTRACE_RESUME,
    }), ENTRY);
    await run.wait();
    const first = log.slice(0, 3);
    expect(first.map((x) => `${x.who}.${x.cb}`)).toEqual(["B.entry", "A.quiesce", "A.entry"]);
    expect(first[2].action).toBe(UTRACE_SYSCALL_ABORT | UTRACE_RESUME);
    expect(run.out()).toBe("");
  });

  it("A.3: syscall number -1 at entry skips the syscall, with a0 as the engines left it", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let exitA0: bigint | null = null;
    attach(run, recorder("A", log, {
      reportSyscallEntry(action, _e, regs) {
        if (regs.syscallNumber === BigInt(NR.getpid)) {
          regs.syscallNumber = -1n;
          regs.returnValue = 77n;
        } else if (regs.syscallNumber === BigInt(NR.write) && regs.arg(1) !== 0n && pick(log, "entry").length === 1) {
          regs.syscallNumber = -1n; // the first write: skipped too
        }
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
      reportSyscallExit(_a, _e, regs) {
        if (pick(log, "exit").length === 2) exitA0 = regs.returnValue;
        return UTRACE_RESUME;
      },
    }), ENTRY | EXIT);
    const st = await run.wait();
    expect(run.out()).toBe("two\n");
    expect(exitA0).toBe(77n);
    expect(st.exitCode).toBe(77);
  });
});
