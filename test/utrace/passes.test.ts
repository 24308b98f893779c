// utrace-spec.md Part B §3 (callbacks: signatures, arguments, quiesce and resume reports, exit,
// death and reap), §4 (the return-action encoding and how a pass combines returns) and §5.1-§5.4
// (order of passes, sticky STOP, the resume report).
//
// Guests: utb-sys (write "one", getpid, write "two", exit_group(pid & 0xff)) and utb-sig.
import { describe, expect, it } from "vitest";
import {
  UTRACE_EVENT, UTRACE_STOP, UTRACE_INTERRUPT, UTRACE_REPORT, UTRACE_SINGLESTEP, UTRACE_BLOCKSTEP,
  UTRACE_RESUME, UTRACE_DETACH, UTRACE_RESUME_MAX, UTRACE_RESUME_MASK, UTRACE_RESUME_BITS,
  UTRACE_SIGNAL_DELIVER, UTRACE_SIGNAL_IGN, UTRACE_SIGNAL_TERM, UTRACE_SIGNAL_CORE, UTRACE_SIGNAL_STOP,
  UTRACE_SIGNAL_TSTP, UTRACE_SIGNAL_REPORT, UTRACE_SIGNAL_HANDLER, UTRACE_SIGNAL_MASK, UTRACE_SIGNAL_HOLD,
  UTRACE_SYSCALL_RUN, UTRACE_SYSCALL_ABORT, UTRACE_SYSCALL_MASK, UTRACE_SYSCALL_RESUMED,
  utraceResumeAction, utraceSignalAction, utraceSyscallAction, type Engine, type Task, type ExitCode,
} from "../../src/index.js";
import { start, attach, recorder, pick, untilStopped, settle, NR, SIG, UTB_SYS_CODE, type Ev } from "./helpers-b.js";

const E = UTRACE_EVENT;
const EINPROGRESS = 115;

const tag = (x: Ev): string => `${x.who}.${x.cb}${x.cb === "quiesce" ? `(${x.event})` : ""}`;

describe("B §4 return-action encoding: constants", () => {
  it("§4.1: resume actions STOP…RESUME_MAX are 0…7; RESUME_MASK 0x7, RESUME_BITS 3", () => {
    expect([UTRACE_STOP, UTRACE_INTERRUPT, UTRACE_REPORT, UTRACE_SINGLESTEP, UTRACE_BLOCKSTEP, UTRACE_RESUME, UTRACE_DETACH, UTRACE_RESUME_MAX])
      .toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(UTRACE_RESUME_MASK).toBe(0x7);
    expect(UTRACE_RESUME_BITS).toBe(3);
  });

  it("§4.2: signal dispositions DELIVER…HANDLER are 0x00…0x70; SIGNAL_MASK 0xf0; HOLD 0x100", () => {
    expect([UTRACE_SIGNAL_DELIVER, UTRACE_SIGNAL_IGN, UTRACE_SIGNAL_TERM, UTRACE_SIGNAL_CORE, UTRACE_SIGNAL_STOP,
      UTRACE_SIGNAL_TSTP, UTRACE_SIGNAL_REPORT, UTRACE_SIGNAL_HANDLER]).toEqual([0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70]);
    expect(UTRACE_SIGNAL_MASK).toBe(0xf0);
    expect(UTRACE_SIGNAL_HOLD).toBe(0x100);
  });

  it("§4.3: syscall dispositions RUN 0x00, ABORT 0x10, SYSCALL_MASK 0xf0, RESUMED 0x100", () => {
    expect(UTRACE_SYSCALL_RUN).toBe(0x00);
    expect(UTRACE_SYSCALL_ABORT).toBe(0x10);
    expect(UTRACE_SYSCALL_MASK).toBe(0xf0);
    expect(UTRACE_SYSCALL_RESUMED).toBe(0x100);
  });

  it("§4.1: the decoders: resume = x & 0x7, signal = x & 0xf0, syscall = x & 0xf0", () => {
    const x = UTRACE_SYSCALL_RESUMED | UTRACE_SYSCALL_ABORT | UTRACE_REPORT; // 0x112
    expect(utraceResumeAction(x)).toBe(UTRACE_REPORT);
    expect(utraceSyscallAction(x)).toBe(UTRACE_SYSCALL_ABORT);
    const y = UTRACE_SIGNAL_HOLD | UTRACE_SIGNAL_CORE | UTRACE_STOP; // 0x130
    expect(utraceSignalAction(y)).toBe(UTRACE_SIGNAL_CORE);
    expect(utraceResumeAction(y)).toBe(UTRACE_STOP);
    for (let v = 0; v < 0x200; v++) {
      expect(utraceResumeAction(v)).toBe(v & 7);
      expect(utraceSignalAction(v)).toBe(v & 0xf0);
      expect(utraceSyscallAction(v)).toBe(v & 0xf0);
    }
  });
});

describe("B §3 callbacks: signatures and arguments", () => {
  it("§3: report_syscall_entry/exit get (action, engine, regs): this engine, and regs of its task with number, args and result", async () => {
    const run = start("utb-sys");
    const seen: { cb: string; engine: Engine; task: Task; nr: bigint; a0: bigint; a2: bigint; action: number; nargs: number }[] = [];
    const e = attach(run, {
      reportSyscallEntry(action, engine, regs, ...rest: unknown[]) {
        seen.push({ cb: "entry", engine, task: engine.task, nr: regs.syscallNumber, a0: regs.arg(0), a2: regs.arg(2), action, nargs: 3 + rest.length });
        return UTRACE_RESUME;
      },
      reportSyscallExit(action, engine, regs, ...rest: unknown[]) {
        seen.push({ cb: "exit", engine, task: engine.task, nr: regs.syscallNumber, a0: regs.returnValue, a2: regs.a2, action, nargs: 3 + rest.length });
        return UTRACE_RESUME;
      },
    }, E.SYSCALL_ENTRY | E.SYSCALL_EXIT);
    await run.wait();
    expect(seen[0]).toEqual({ cb: "entry", engine: e, task: run.task, nr: 64n, a0: 1n, a2: 4n, action: UTRACE_RESUME, nargs: 3 });
    expect(seen[1]).toEqual({ cb: "exit", engine: e, task: run.task, nr: 64n, a0: 4n, a2: 4n, action: UTRACE_RESUME, nargs: 3 });
    expect(seen[3]).toEqual({ cb: "exit", engine: e, task: run.task, nr: 172n, a0: 1000n, a2: 4n, action: UTRACE_RESUME, nargs: 3 });
  });

  it("§3: report_quiesce(action, engine, event) precedes each event callback of a QUIESCE engine, with that event's mask", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    attach(run, recorder("Q", log), E.QUIESCE | E.SYSCALL_ENTRY | E.SYSCALL_EXIT | E.EXIT | E.DEATH | E.REAP);
    await run.wait();
    expect(log.slice(0, 4).map(tag)).toEqual([
      `Q.quiesce(${E.SYSCALL_ENTRY})`, "Q.entry", `Q.quiesce(${E.SYSCALL_EXIT})`, "Q.exit",
    ]);
    expect(log.slice(-7).map(tag)).toEqual([
      `Q.quiesce(${E.SYSCALL_ENTRY})`, "Q.entry",
      `Q.quiesce(${E.EXIT})`, "Q.exitev",
      `Q.quiesce(${E.DEATH})`, "Q.death",
      "Q.reap",
    ]);
    expect(log.at(-6)?.nr).toBe(NR.exit_group);
  });

  it("§3: a QUIESCE engine gets report_quiesce(event) for events it did not ask for, and not the event callback", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    attach(run, recorder("Q", log), E.QUIESCE);
    attach(run, recorder("X", log), E.SYSCALL_ENTRY | E.SYSCALL_EXIT | E.EXIT);
    await run.wait();
    // entry: newest first (X, then Q's quiesce); exit: attach order
    expect(log.slice(0, 4).map(tag)).toEqual([
      "X.entry", `Q.quiesce(${E.SYSCALL_ENTRY})`, `Q.quiesce(${E.SYSCALL_EXIT})`, "X.exit",
    ]);
    expect(log.filter((x) => x.who === "Q" && x.cb !== "quiesce")).toEqual([]);
    // the end: exit_group's entry, the exit event, and the DEATH pass (which a QUIESCE engine causes)
    expect(log.slice(-5).map(tag)).toEqual([
      "X.entry", `Q.quiesce(${E.SYSCALL_ENTRY})`, `Q.quiesce(${E.EXIT})`, "X.exitev", `Q.quiesce(${E.DEATH})`,
    ]);
  });

  it("§3: report_quiesce's action is the pass' combined resume action only: no syscall bits", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    attach(run, recorder("A", log), E.QUIESCE);
    attach(run, recorder("B", log, {
      reportSyscallEntry: (_a, _e, regs) => (regs.syscallNumber === BigInt(NR.write) ? UTRACE_SYSCALL_ABORT | UTRACE_REPORT : UTRACE_RESUME),
    }), E.SYSCALL_ENTRY);
    await run.wait();
    expect(log.slice(0, 2).map(tag)).toEqual(["B.entry", `A.quiesce(${E.SYSCALL_ENTRY})`]);
    expect(log[1].action).toBe(UTRACE_REPORT);
  });

  it("§3 / §5.4: a REPORT gives a resume report, report_quiesce(action, engine, 0), before the task returns to user mode", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let exits = 0;
    attach(run, recorder("A", log, {
      reportSyscallExit: () => (++exits === 1 ? UTRACE_REPORT : UTRACE_RESUME),
    }), E.QUIESCE | E.SYSCALL_ENTRY | E.SYSCALL_EXIT);
    await run.wait();
    expect(log.slice(0, 7).map(tag)).toEqual([
      `A.quiesce(${E.SYSCALL_ENTRY})`, "A.entry", `A.quiesce(${E.SYSCALL_EXIT})`, "A.exit",
      "A.quiesce(0)",
      `A.quiesce(${E.SYSCALL_ENTRY})`, "A.entry",
    ]);
    expect(log[6].nr).toBe(NR.getpid);
    expect(log[4].action).toBe(UTRACE_RESUME);
    // REPORT is one-shot: no other resume report in the whole run
    expect(log.filter((x) => x.cb === "quiesce" && x.event === 0)).toHaveLength(1);
  });

  it("§3 / §5.4: with no signal pending, the resume report for a REPORT is report_quiesce(0) even for an engine that has report_signal", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    attach(run, recorder("A", log, {
      reportSyscallExit: (_a, _e, r) => (r.syscallNumber === BigInt(NR.getpid) ? UTRACE_REPORT : UTRACE_RESUME),
      reportSignal: (action) => utraceSignalAction(action) | UTRACE_RESUME,
    }), E.QUIESCE | E.SYSCALL_EXIT);
    const st = await run.wait();
    expect(st.exitCode).toBe(UTB_SYS_CODE);
    const i = log.findIndex((x) => x.cb === "exit" && x.nr === NR.getpid);
    expect(tag(log[i + 1])).toBe("A.quiesce(0)");
    expect(pick(log, "signal")).toEqual([]);
  });

  it("§3 / §5.4: when the task enters the signal path anyway, report_signal(UTRACE_SIGNAL_REPORT) comes instead of report_quiesce(0)", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "h"]);
    const log: Ev[] = [];
    const orig: (bigint | null)[] = [];
    // Only the kill's own exit asks for a report: rt_sigreturn restores a7 = kill's number too.
    let asked = false;
    attach(run, recorder("A", log, {
      reportSyscallExit: (_a, _e, regs) => {
        if (asked || regs.syscallNumber !== BigInt(NR.kill)) return UTRACE_RESUME;
        asked = true;
        return UTRACE_REPORT;
      },
      reportSignal(action, _e, _regs, _info, origKa) {
        orig.push(origKa ? origKa.handler : null);
        return utraceSignalAction(action) | UTRACE_RESUME;
      },
    }), E.QUIESCE | E.SYSCALL_EXIT);
    const st = await run.wait();
    expect(st.exitCode).toBe(0);
    const i = log.findIndex((x) => x.cb === "exit" && x.nr === NR.kill);
    expect(i).toBeGreaterThanOrEqual(0);
    const after = log.slice(i + 1, i + 3);
    expect(after.map(tag)).toEqual(["A.signal", "A.signal"]);
    expect(utraceSignalAction(after[0].action!)).toBe(UTRACE_SIGNAL_REPORT);
    expect(orig[0]).toBeNull(); // no real signal in a REPORT pass
    expect(after[1].signo).toBe(SIG.USR1);
    expect(utraceSignalAction(after[1].action!)).toBe(UTRACE_SIGNAL_DELIVER);
    expect(log.filter((x) => x.cb === "quiesce" && x.event === 0)).toEqual([]);
    expect(run.out()).toBe(`handler ${SIG.USR1} ${SIG.USR1} 0\nafter 1\n`);
  });

  it("§3 / §5.4: INTERRUPT gives report_signal(SIGNAL_REPORT) to engines with report_signal and report_quiesce(0) to the others, in attach order", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    attach(run, recorder("A", log, {
      reportSyscallExit: (_a, _e, regs) => (regs.syscallNumber === BigInt(NR.getpid) ? UTRACE_INTERRUPT : UTRACE_RESUME),
      reportSignal: (action) => utraceSignalAction(action) | UTRACE_RESUME,
    }), E.QUIESCE | E.SYSCALL_EXIT);
    attach(run, recorder("B", log), E.QUIESCE);
    const st = await run.wait();
    expect(st.exitCode).toBe(UTB_SYS_CODE);
    const i = log.findIndex((x) => x.cb === "exit" && x.nr === NR.getpid);
    expect(log.slice(i + 1, i + 4).map(tag)).toEqual([`B.quiesce(${E.SYSCALL_EXIT})`, "A.signal", "B.quiesce(0)"]);
    expect(utraceSignalAction(log[i + 2].action!)).toBe(UTRACE_SIGNAL_REPORT);
  });

  it("§3: report_exit(action, engine, orig_code, code): any engine may rewrite code, orig_code stays the original", async () => {
    const run = start("utb-sys");
    const seen: { who: string; action: number; orig: number; code: number }[] = [];
    const ex = (who: string, newCode: number, ret: number) => ({
      name: who,
      reportExit(action: number, _e: Engine, orig: number, code: ExitCode) {
        seen.push({ who, action, orig, code: code.value });
        code.value = newCode;
        return ret;
      },
    });
    attach(run, ex("A", 5 << 8, UTRACE_REPORT), E.EXIT);
    attach(run, ex("B", 9 << 8, UTRACE_RESUME), E.EXIT);
    const st = await run.wait();
    const orig = UTB_SYS_CODE << 8;
    expect(seen).toEqual([
      { who: "A", action: UTRACE_RESUME, orig, code: orig },
      { who: "B", action: UTRACE_REPORT, orig, code: 5 << 8 },
    ]);
    expect(st).toEqual({ exitCode: 9, signal: null, coreDumped: false });
  });

  it("§3: report_death(engine, group_dead, signal): no action argument; the last thread, SIGCHLD for the parent", async () => {
    const run = start("utb-sys");
    const seen: unknown[][] = [];
    const e = attach(run, {
      reportDeath(...args: unknown[]) {
        seen.push(args);
        return UTRACE_RESUME;
      },
    }, E.DEATH);
    await run.wait();
    expect(seen).toEqual([[e, true, SIG.CHLD]]);
  });

  it("§3: report_reap(engine, task) comes last, after report_death, never preceded by a report_quiesce of its own", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    const reaped: Task[] = [];
    const e = attach(run, recorder("A", log, { reportReap: (eng, t) => (reaped.push(t), expect(eng).toBe(e)) }), E.QUIESCE | E.DEATH | E.REAP);
    await run.wait();
    expect(log.slice(-3).map(tag)).toEqual([`A.quiesce(${E.DEATH})`, "A.death", "A.reap"]);
    expect(log.filter((x) => x.cb === "quiesce" && x.event === E.REAP)).toEqual([]);
    expect(reaped).toEqual([run.task]);
  });

  it("§3: report_reap without DEATH: still no quiesce for the reap (the quiesce before it belongs to the DEATH pass)", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    attach(run, recorder("A", log), E.QUIESCE | E.REAP);
    await run.wait();
    expect(log.slice(-2).map(tag)).toEqual([`A.quiesce(${E.DEATH})`, "A.reap"]);
    expect(log.filter((x) => x.cb === "quiesce" && x.event === E.REAP)).toEqual([]);
  });

  it("§3 / §5.4: no resume report unless an engine asked: a QUIESCE engine that never requests REPORT/INTERRUPT gets no report_quiesce(0)", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    attach(run, recorder("A", log), E.QUIESCE | E.REAP);
    await run.wait();
    expect(log.filter((x) => x.cb === "quiesce" && x.event === 0)).toEqual([]);
  });

  it("§3 / §4.4: report_syscall_exit's action carries resume bits only, whatever bits the previous engine returned", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    attach(run, recorder("A", log, { reportSyscallExit: () => UTRACE_SYSCALL_ABORT | UTRACE_REPORT }), E.SYSCALL_EXIT);
    attach(run, recorder("B", log), E.SYSCALL_EXIT);
    await run.wait();
    const b = pick(log, "exit").filter((x) => x.who === "B");
    expect(b.length).toBeGreaterThan(0);
    for (const x of b) expect(x.action).toBe(UTRACE_REPORT);
  });
});

describe("B §4 return-action encoding: combining returns in a pass", () => {
  it("§4.1 / §4.4: the smallest resume action wins; each engine sees the minimum of those before it", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    const byNr: Record<number, number> = { [NR.write]: UTRACE_REPORT, [NR.getpid]: UTRACE_RESUME };
    attach(run, recorder("A", log, { reportSyscallExit: (_a, _e, r) => byNr[Number(r.syscallNumber)] ?? UTRACE_RESUME }), E.SYSCALL_EXIT);
    attach(run, recorder("B", log, {
      reportSyscallExit: (_a, _e, r) => (Number(r.syscallNumber) === NR.getpid ? UTRACE_INTERRUPT : UTRACE_RESUME),
    }), E.SYSCALL_EXIT);
    attach(run, recorder("C", log), E.QUIESCE | E.SYSCALL_EXIT);
    await run.wait();
    const ex = pick(log, "exit");
    // write: A REPORT, B RESUME → B sees RESUME, C sees REPORT
    expect(ex.slice(0, 3).map((x) => [x.who, x.action])).toEqual([["A", UTRACE_RESUME], ["B", UTRACE_REPORT], ["C", UTRACE_REPORT]]);
    // getpid: A RESUME, B INTERRUPT → C sees INTERRUPT
    expect(ex.slice(3, 6).map((x) => [x.who, x.action])).toEqual([["A", UTRACE_RESUME], ["B", UTRACE_RESUME], ["C", UTRACE_INTERRUPT]]);
    // and the minimum is what happens: a resume report after the first write
    const i = log.findIndex((x) => x.who === "C" && x.cb === "exit");
    expect(tag(log[i + 1])).toBe("C.quiesce(0)");
  });

  it("§4.4: report_syscall_entry's action = minimum resume action so far | the previous callback's syscall bits (last writer wins)", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    const first = (r: { syscallNumber: bigint }) => r.syscallNumber === BigInt(NR.write) && pick(log, "entry", NR.write).length <= 3;
    attach(run, recorder("A", log, { reportSyscallEntry: (a, _e, r) => (first(r) ? UTRACE_SYSCALL_ABORT | UTRACE_RESUME : utraceSyscallAction(a) | UTRACE_RESUME) }), E.QUIESCE | E.SYSCALL_ENTRY);
    attach(run, recorder("B", log, { reportSyscallEntry: (a, _e, r) => (first(r) ? UTRACE_SYSCALL_RUN | UTRACE_RESUME : utraceSyscallAction(a) | UTRACE_RESUME) }), E.SYSCALL_ENTRY);
    attach(run, recorder("C", log, { reportSyscallEntry: (a, _e, r) => (first(r) ? UTRACE_SYSCALL_ABORT | UTRACE_REPORT : utraceSyscallAction(a) | UTRACE_RESUME) }), E.SYSCALL_ENTRY);
    await run.wait();
    const w = pick(log, "entry", NR.write).slice(0, 3);
    expect(w.map((x) => [x.who, x.action])).toEqual([
      ["C", UTRACE_RESUME],
      ["B", UTRACE_SYSCALL_ABORT | UTRACE_REPORT],
      ["A", UTRACE_SYSCALL_RUN | UTRACE_REPORT],
    ]);
    expect(run.out()).toBe("two\n"); // A, the last writer, aborted the first write
  });

  it("§4.1: DETACH never lowers the action, and a detaching callback's syscall bits are still recorded", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    attach(run, recorder("A", log), E.SYSCALL_ENTRY);
    attach(run, recorder("B", log, { reportSyscallEntry: () => UTRACE_SYSCALL_ABORT | UTRACE_DETACH }), E.SYSCALL_ENTRY);
    await run.wait();
    const w = pick(log, "entry");
    expect(w.slice(0, 2).map((x) => [x.who, x.action])).toEqual([["B", UTRACE_RESUME], ["A", UTRACE_SYSCALL_ABORT | UTRACE_RESUME]]);
    expect(w.filter((x) => x.who === "B")).toHaveLength(1); // detached: no more callbacks
    expect(run.out()).toBe("two\n");
  });

  it("§4.1: resume_action is the minimum of the non-STOP returns: STOP by A + REPORT by B in a resume report → another resume report once A lifts the stop", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let qa = 0;
    let qb = 0;
    const a = attach(run, recorder("A", log, {
      reportSyscallExit: (_x, _e, r) => (r.syscallNumber === BigInt(NR.write) ? UTRACE_REPORT : UTRACE_RESUME),
      reportQuiesce: (_x, _e, ev) => (ev === 0 && ++qa === 1 ? UTRACE_STOP : UTRACE_RESUME),
    }), E.QUIESCE | E.SYSCALL_EXIT);
    attach(run, recorder("B", log, {
      reportQuiesce: (_x, _e, ev) => (ev === 0 && ++qb === 1 ? UTRACE_REPORT : UTRACE_RESUME),
    }), E.QUIESCE);
    await untilStopped(run.task);
    expect(run.out()).toBe("one\n");
    log.push({ who: "test", cb: "quiesce", event: -1 });
    expect(run.k.utrace.control(run.task, a, UTRACE_RESUME)).toBe(0);
    await run.wait();
    const i = log.findIndex((x) => x.who === "test");
    expect(log.slice(i - 2, i + 3).map(tag)).toEqual(["A.quiesce(0)", "B.quiesce(0)", "test.quiesce(-1)", "A.quiesce(0)", "B.quiesce(0)"]);
    expect(log[i - 1].action).toBe(UTRACE_STOP);
  });
});

describe("B §5 reporting passes and ordering", () => {
  it("§5.1: engines are called in attach order for every event except SYSCALL_ENTRY, which is newest first including its report_quiesce", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    const all = E.QUIESCE | E.SYSCALL_ENTRY | E.SYSCALL_EXIT | E.EXIT | E.DEATH | E.REAP;
    for (const who of ["A", "B", "C"]) attach(run, recorder(who, log), all);
    await run.wait();
    const q = (ev: number) => (w: string) => [`${w}.quiesce(${ev})`];
    expect(log.slice(0, 12).map(tag)).toEqual([
      ...["C", "B", "A"].flatMap((w) => [...q(E.SYSCALL_ENTRY)(w), `${w}.entry`]),
      ...["A", "B", "C"].flatMap((w) => [...q(E.SYSCALL_EXIT)(w), `${w}.exit`]),
    ]);
    expect(log.slice(-21).map(tag)).toEqual([
      ...["C", "B", "A"].flatMap((w) => [...q(E.SYSCALL_ENTRY)(w), `${w}.entry`]),
      ...["A", "B", "C"].flatMap((w) => [...q(E.EXIT)(w), `${w}.exitev`]),
      ...["A", "B", "C"].flatMap((w) => [...q(E.DEATH)(w), `${w}.death`]),
      "A.reap", "B.reap", "C.reap",
    ]);
  });

  it("§5.1: resume reports go in attach order", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    attach(run, recorder("A", log), E.QUIESCE);
    attach(run, recorder("B", log), E.QUIESCE);
    attach(run, recorder("C", log, { reportSyscallExit: (_a, _e, r) => (r.syscallNumber === BigInt(NR.getpid) ? UTRACE_REPORT : UTRACE_RESUME) }), E.QUIESCE | E.SYSCALL_EXIT);
    await run.wait();
    expect(log.filter((x) => x.cb === "quiesce" && x.event === 0).map((x) => x.who)).toEqual(["A", "B", "C"]);
  });

  it("§5.2: STOP is sticky: an engine without QUIESCE that returned STOP at syscall exit holds the task at the resume point (Part A.3)", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    const a = attach(run, recorder("A", log, {
      reportSyscallExit: (_x, _e, r) => (r.syscallNumber === BigInt(NR.write) && pick(log, "exit").length === 1 ? UTRACE_STOP : UTRACE_RESUME),
    }), E.SYSCALL_EXIT);
    await untilStopped(run.task);
    await settle(50);
    expect(run.task.state).toBe("stopped");
    expect(run.out()).toBe("one\n");
    expect(pick(log, "exit")).toHaveLength(1);
    expect(run.k.utrace.control(run.task, a, UTRACE_RESUME)).toBe(0);
    const st = await run.wait();
    expect(st.exitCode).toBe(UTB_SYS_CODE);
    expect(run.out()).toBe("one\ntwo\n");
  });

  it("§5.2: an engine's later return replaces its STOP: STOP at syscall exit, RESUME from its resume-report quiesce → no stop", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let stopped = false;
    attach(run, recorder("A", log, {
      reportSyscallExit: () => (pick(log, "exit").length === 1 ? UTRACE_STOP : UTRACE_RESUME),
    }), E.QUIESCE | E.SYSCALL_EXIT);
    const poll = setInterval(() => (stopped ||= run.task.state === "stopped"), 1);
    const st = await run.wait(5000).finally(() => clearInterval(poll));
    expect(stopped).toBe(false);
    expect(st.exitCode).toBe(UTB_SYS_CODE);
    const i = log.findIndex((x) => x.cb === "exit");
    expect(tag(log[i + 1])).toBe("A.quiesce(0)");
  });

  it("§5.2: …while returning STOP again from that quiesce keeps the task stopped until utrace_control", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    const a = attach(run, recorder("A", log, {
      reportSyscallExit: () => (pick(log, "exit").length === 1 ? UTRACE_STOP : UTRACE_RESUME),
      reportQuiesce: (_x, _e, ev) => (ev === 0 && pick(log, "quiesce").filter((x) => x.event === 0).length === 1 ? UTRACE_STOP : UTRACE_RESUME),
    }), E.QUIESCE | E.SYSCALL_EXIT);
    await untilStopped(run.task);
    await settle(30);
    expect(run.task.state).toBe("stopped");
    expect(run.out()).toBe("one\n");
    expect(run.k.utrace.control(run.task, a, UTRACE_RESUME)).toBe(0);
    expect((await run.wait()).exitCode).toBe(UTB_SYS_CODE);
  });

  it("§5.2: a non-STOP return wins over utrace_control(current, STOP) made inside the same callback", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    const codes: number[] = [];
    let stopped = false;
    const e: Engine = attach(run, recorder("A", log, {
      reportSyscallExit(_x, eng, r) {
        if (r.syscallNumber === BigInt(NR.write) && codes.length === 0) codes.push(run.k.utrace.control(eng.task, eng, UTRACE_STOP));
        return UTRACE_RESUME;
      },
    }), E.SYSCALL_EXIT);
    const poll = setInterval(() => (stopped ||= run.task.state === "stopped"), 1);
    const st = await run.wait(5000).finally(() => clearInterval(poll));
    expect(codes).toEqual([-EINPROGRESS]);
    expect(stopped).toBe(false);
    expect(st.exitCode).toBe(UTB_SYS_CODE);
    expect(pick(log, "exit").filter((x) => x.who === e.name)).toHaveLength(3);
  });

  it("§5.2: …and returning STOP after utrace_control(current, STOP) keeps the stop", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    const e = attach(run, recorder("A", log, {
      reportSyscallExit(_x, eng, r) {
        if (r.syscallNumber === BigInt(NR.write) && pick(log, "exit").length === 1) {
          run.k.utrace.control(eng.task, eng, UTRACE_STOP);
          return UTRACE_STOP;
        }
        return UTRACE_RESUME;
      },
    }), E.SYSCALL_EXIT);
    await untilStopped(run.task);
    expect(run.out()).toBe("one\n");
    expect(run.k.utrace.control(run.task, e, UTRACE_RESUME)).toBe(0);
    expect((await run.wait()).exitCode).toBe(UTB_SYS_CODE);
  });
});
