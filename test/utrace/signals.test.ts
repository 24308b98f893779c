// utrace-spec.md Part B: signals — §3 (report_signal's arguments and notes), §4.2 (natural
// dispositions, what engines' dispositions do, HOLD, rewriting si_signo, SIGKILL never reported),
// §4.4 (report_signal's action argument), §5.1 (attach order) and §7 (where a signal pass stops;
// the HANDLER report after a handler frame is set up).
//
// Guest: utb-sig SIG h|i|d — sets SIG's disposition (handler / SIG_IGN / SIG_DFL; SIGUSR2 always
// has the handler), then kill(getpid(), SIG); the handler writes "handler <sig> <si_signo>
// <si_code>", and at the end the guest writes "after <handler runs>" and exits 0.
import { describe, expect, it } from "vitest";
import {
  UTRACE_EVENT, UTRACE_STOP, UTRACE_INTERRUPT, UTRACE_REPORT, UTRACE_RESUME, UTRACE_SIGNAL_DELIVER,
  UTRACE_SIGNAL_IGN, UTRACE_SIGNAL_TERM, UTRACE_SIGNAL_CORE, UTRACE_SIGNAL_TSTP, UTRACE_SIGNAL_REPORT,
  UTRACE_SIGNAL_HANDLER, UTRACE_SIGNAL_HOLD, UTRACE_EVENT_SIGNAL_ALL, utraceSignalAction,
  type KSigAction, type UtraceSigInfo,
} from "../../src/index.js";
import { start, attach, recorder, untilStopped, settle, SIG, type Ev, type Impl, type Run } from "./helpers-b.js";

const E = UTRACE_EVENT;
const SI_USER = 0;
const SA_SIGINFO = 4n;
const SIG_DFL = 0n;
const SIG_IGN = 1n;

/** The report_signal callbacks for real signals (not REPORT/HANDLER passes) of one signal number. */
const realReports = (log: Ev[], signo: number): Ev[] =>
  log.filter((x) => x.cb === "signal" && x.signo === signo && (x.action! & 0xf0) !== UTRACE_SIGNAL_REPORT && (x.action! & 0xf0) !== UTRACE_SIGNAL_HANDLER);

/** An engine whose report_signal applies `f` to real signals of number `signo` and echoes everything else. */
function onSignal(signo: number, f: NonNullable<Impl["reportSignal"]>): Impl {
  return {
    reportSignal(action, e, regs, info, origKa, returnKa) {
      if (origKa === null || info.signo !== signo) return utraceSignalAction(action) | UTRACE_RESUME;
      return f(action, e, regs, info, origKa, returnKa);
    },
  };
}

function handlerOf(run: Run, signo: number): bigint {
  return run.p.sigactions[signo].handler;
}

describe("B §4.2 natural dispositions and the SIGNAL_* events", () => {
  const cases: { name: string; signo: number; mode: string; disposition: number; event: number; engineReturns?: number; out: string; exit: { exitCode: number | null; signal: number | null; coreDumped: boolean } }[] = [
    { name: "a handled signal → DELIVER (SIGNAL)", signo: SIG.USR1, mode: "h", disposition: UTRACE_SIGNAL_DELIVER, event: E.SIGNAL, out: `handler 10 10 ${SI_USER}\nafter 1\n`, exit: { exitCode: 0, signal: null, coreDumped: false } },
    { name: "SIG_IGN → IGN (SIGNAL_IGN)", signo: SIG.USR1, mode: "i", disposition: UTRACE_SIGNAL_IGN, event: E.SIGNAL_IGN, out: "after 0\n", exit: { exitCode: 0, signal: null, coreDumped: false } },
    { name: "default terminate (SIGUSR1) → TERM (SIGNAL_TERM)", signo: SIG.USR1, mode: "d", disposition: UTRACE_SIGNAL_TERM, event: E.SIGNAL_TERM, out: "", exit: { exitCode: null, signal: SIG.USR1, coreDumped: false } },
    { name: "default core (SIGQUIT) → CORE (SIGNAL_CORE)", signo: SIG.QUIT, mode: "d", disposition: UTRACE_SIGNAL_CORE, event: E.SIGNAL_CORE, out: "", exit: { exitCode: null, signal: SIG.QUIT, coreDumped: true } },
    { name: "default ignore (SIGWINCH) → IGN (SIGNAL_IGN)", signo: SIG.WINCH, mode: "d", disposition: UTRACE_SIGNAL_IGN, event: E.SIGNAL_IGN, out: "after 0\n", exit: { exitCode: 0, signal: null, coreDumped: false } },
    { name: "a stop signal other than SIGSTOP (SIGTSTP) → TSTP (SIGNAL_STOP); the engine ignores it", signo: SIG.TSTP, mode: "d", disposition: UTRACE_SIGNAL_TSTP, event: E.SIGNAL_STOP, engineReturns: UTRACE_SIGNAL_IGN | UTRACE_RESUME, out: "after 0\n", exit: { exitCode: 0, signal: null, coreDumped: false } },
  ];
  for (const c of cases) {
    it(`§4.2: ${c.name}; only engines with that event bit are told`, async () => {
      const run = start("utb-sig", [String(c.signo), c.mode]);
      const log: Ev[] = [];
      attach(run, recorder("right", log, { reportSignal: (a) => c.engineReturns ?? utraceSignalAction(a) | UTRACE_RESUME }), c.event);
      attach(run, recorder("other", log, { reportSignal: (a) => utraceSignalAction(a) | UTRACE_RESUME }), UTRACE_EVENT_SIGNAL_ALL & ~c.event);
      const st = await run.wait();
      const r = log.filter((x) => x.cb === "signal");
      expect(r.map((x) => [x.who, x.signo, x.action])).toEqual([["right", c.signo, c.disposition | UTRACE_RESUME]]);
      expect(st).toEqual(c.exit);
      expect(run.out()).toBe(c.out);
    });
  }

  it("§4.2 / §3: SIGKILL is never reported, not even to a QUIESCE engine with every SIGNAL_* bit", async () => {
    const run = start("utb-sig", [String(SIG.KILL), "d"]);
    const log: Ev[] = [];
    attach(run, recorder("A", log, { reportSignal: (a) => utraceSignalAction(a) | UTRACE_RESUME }), E.QUIESCE | UTRACE_EVENT_SIGNAL_ALL);
    const st = await run.wait();
    expect(st).toEqual({ exitCode: null, signal: SIG.KILL, coreDumped: false });
    expect(log.filter((x) => x.cb === "signal" && x.signo === SIG.KILL)).toEqual([]);
    expect(log.filter((x) => x.cb === "quiesce" && (x.event! & UTRACE_EVENT_SIGNAL_ALL) !== 0)).toEqual([]);
  });
});

describe("B §4.2 engines change what a signal does", () => {
  it("§4.2: IGN discards a signal whose natural action would kill", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "d"]);
    attach(run, onSignal(SIG.USR1, () => UTRACE_SIGNAL_IGN | UTRACE_RESUME), E.SIGNAL_TERM);
    const st = await run.wait();
    expect(st.exitCode).toBe(0);
    expect(run.out()).toBe("after 0\n");
  });

  it("§4.2: TERM terminates with info.si_signo even though a handler is installed; the handler does not run", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "h"]);
    attach(run, onSignal(SIG.USR1, () => UTRACE_SIGNAL_TERM | UTRACE_RESUME), E.SIGNAL);
    const st = await run.wait();
    expect(st).toEqual({ exitCode: null, signal: SIG.USR1, coreDumped: false });
    expect(run.out()).toBe("");
  });

  it("§4.2: CORE terminates with a core dump, reporting info.si_signo", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "h"]);
    attach(run, onSignal(SIG.USR1, () => UTRACE_SIGNAL_CORE | UTRACE_RESUME), E.SIGNAL);
    const st = await run.wait();
    expect(st).toEqual({ exitCode: null, signal: SIG.USR1, coreDumped: true });
    expect(run.out()).toBe("");
  });

  it("§4.2: DELIVER acts per return_ka — a handler put there runs, for a signal whose natural action would kill", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "d"]);
    attach(run, onSignal(SIG.USR1, (_a, _e, _r, _i, origKa, returnKa) => {
      expect(origKa!.handler).toBe(SIG_DFL);
      returnKa.handler = handlerOf(run, SIG.USR2); // the guest's handler, installed for SIGUSR2
      returnKa.flags = run.p.sigactions[SIG.USR2].flags;
      return UTRACE_SIGNAL_DELIVER | UTRACE_RESUME;
    }), E.SIGNAL_TERM);
    const st = await run.wait();
    expect(st.exitCode).toBe(0);
    expect(run.out()).toBe(`handler ${SIG.USR1} ${SIG.USR1} ${SI_USER}\nafter 1\n`);
  });

  it("§4.2: DELIVER with return_ka SIG_DFL takes the default action (SIGUSR1: terminate) instead of the handler", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "h"]);
    attach(run, onSignal(SIG.USR1, (_a, _e, _r, _i, _o, returnKa) => {
      returnKa.handler = SIG_DFL;
      return UTRACE_SIGNAL_DELIVER | UTRACE_RESUME;
    }), E.SIGNAL);
    const st = await run.wait();
    expect(st).toEqual({ exitCode: null, signal: SIG.USR1, coreDumped: false });
    expect(run.out()).toBe("");
  });

  it("§4.2: DELIVER with return_ka SIG_IGN ignores the signal", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "d"]);
    attach(run, onSignal(SIG.USR1, (_a, _e, _r, _i, _o, returnKa) => {
      returnKa.handler = SIG_IGN;
      return UTRACE_SIGNAL_DELIVER | UTRACE_RESUME;
    }), E.SIGNAL_TERM);
    const st = await run.wait();
    expect(st.exitCode).toBe(0);
    expect(run.out()).toBe("after 0\n");
  });

  it("§4.2: rewriting info.si_signo changes the signal TERM reports", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "d"]);
    attach(run, onSignal(SIG.USR1, (_a, _e, _r, info) => {
      info.signo = SIG.TERM;
      return UTRACE_SIGNAL_TERM | UTRACE_RESUME;
    }), E.SIGNAL_TERM);
    const st = await run.wait();
    expect(st).toEqual({ exitCode: null, signal: SIG.TERM, coreDumped: false });
  });

  it("§4.2: rewriting info.si_signo changes which default action DELIVER with SIG_DFL takes: SIGUSR1 → SIGWINCH is ignored", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "d"]);
    attach(run, onSignal(SIG.USR1, (_a, _e, _r, info) => {
      info.signo = SIG.WINCH;
      return UTRACE_SIGNAL_DELIVER | UTRACE_RESUME;
    }), E.SIGNAL_TERM);
    const st = await run.wait();
    expect(st.exitCode).toBe(0);
    expect(run.out()).toBe("after 0\n");
  });

  it("§4.2: …and SIGUSR1 → SIGQUIT dumps core as SIGQUIT", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "d"]);
    attach(run, onSignal(SIG.USR1, (_a, _e, _r, info) => {
      info.signo = SIG.QUIT;
      return UTRACE_SIGNAL_DELIVER | UTRACE_RESUME;
    }), E.SIGNAL_TERM);
    const st = await run.wait();
    expect(st).toEqual({ exitCode: null, signal: SIG.QUIT, coreDumped: true });
  });

  it("§4.2: rewriting info.si_signo before DELIVER to a handler: the handler runs for the new signal number", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "h"]);
    attach(run, onSignal(SIG.USR1, (_a, _e, _r, info) => {
      info.signo = SIG.USR2;
      return UTRACE_SIGNAL_DELIVER | UTRACE_RESUME;
    }), E.SIGNAL);
    const st = await run.wait();
    expect(st.exitCode).toBe(0);
    expect(run.out()).toBe(`handler ${SIG.USR2} ${SIG.USR2} ${SI_USER}\nafter 1\n`);
  });

  it("§4.2: HOLD pushes the signal back: it is reported again after the current action, and acted on then", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "h"]);
    const log: Ev[] = [];
    let n = 0;
    attach(run, recorder("A", log, onSignal(SIG.USR1, (a) => (++n === 1 ? UTRACE_SIGNAL_IGN | UTRACE_SIGNAL_HOLD | UTRACE_RESUME : utraceSignalAction(a) | UTRACE_RESUME))), E.SIGNAL);
    const st = await run.wait();
    expect(st.exitCode).toBe(0);
    const r = realReports(log, SIG.USR1);
    expect(r).toHaveLength(2);
    expect(utraceSignalAction(r[1].action!)).toBe(UTRACE_SIGNAL_DELIVER);
    expect(run.out()).toBe(`handler 10 10 ${SI_USER}\nafter 1\n`);
  });
});

describe("B §3 / §4.4 report_signal's arguments", () => {
  it("§3: report_signal(action, engine, regs, info, orig_ka, return_ka): siginfo of kill(), the real sigaction, return_ka a copy of it", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "h"]);
    const seen: { info: UtraceSigInfo; orig: KSigAction | null; ret: KSigAction; a0: bigint; nargs: number }[] = [];
    attach(run, {
      reportSignal(action, _e, regs, info, origKa, returnKa, ...rest: unknown[]) {
        seen.push({ info: { ...info }, orig: origKa && { ...origKa }, ret: { ...returnKa }, a0: regs.a0, nargs: 6 + rest.length });
        return utraceSignalAction(action) | UTRACE_RESUME;
      },
    }, E.SIGNAL);
    await run.wait();
    expect(seen).toHaveLength(1);
    const s = seen[0];
    expect(s.nargs).toBe(6);
    expect(s.info).toMatchObject({ signo: SIG.USR1, code: SI_USER, pid: run.p.pid });
    expect(s.orig).not.toBeNull();
    expect(s.orig!.handler).toBe(handlerOf(run, SIG.USR1));
    expect(s.orig!.flags & SA_SIGINFO).toBe(SA_SIGINFO);
    expect(s.ret).toEqual(s.orig);
    expect(s.a0).toBe(0n); // kill()'s result, the task at the signal path of its return to user mode
  });

  it("§4.4: report_signal's action = the previous engine's disposition (HOLD included) | the minimum resume action so far", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "d"]);
    const log: Ev[] = [];
    attach(run, recorder("A", log, onSignal(SIG.USR1, () => UTRACE_SIGNAL_IGN | UTRACE_SIGNAL_HOLD | UTRACE_RESUME)), E.SIGNAL_TERM);
    const b = attach(run, recorder("B", log, onSignal(SIG.USR1, () => UTRACE_SIGNAL_TERM | UTRACE_STOP)), E.QUIESCE | E.SIGNAL_TERM);
    let nc = 0;
    attach(run, recorder("C", log, onSignal(SIG.USR1, (a) => (++nc === 1 ? UTRACE_SIGNAL_IGN | UTRACE_RESUME : utraceSignalAction(a) | UTRACE_RESUME))), E.SIGNAL_TERM);
    await untilStopped(run.task);
    const r = realReports(log, SIG.USR1).slice(0, 3);
    expect(r.map((x) => [x.who, x.action])).toEqual([
      ["A", UTRACE_SIGNAL_TERM | UTRACE_RESUME],
      ["B", UTRACE_SIGNAL_IGN | UTRACE_SIGNAL_HOLD | UTRACE_RESUME],
      ["C", UTRACE_SIGNAL_TERM | UTRACE_STOP],
    ]);
    // C, the last writer, chose IGN without HOLD: the task stops right at the signal pass (§7)
    await settle(30);
    expect(run.task.state).toBe("stopped");
    expect(run.out()).toBe("");
    expect(run.k.utrace.control(run.task, b, UTRACE_RESUME)).toBe(0);
    const st = await run.wait();
    expect(st.exitCode).toBe(0);
    expect(run.out()).toBe("after 0\n");
    expect(realReports(log, SIG.USR1)).toHaveLength(3); // not held: never seen again
  });

  it("§3: a QUIESCE engine gets report_signal for every dequeued signal, even without that signal's SIGNAL_* bit", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "h"]);
    const log: Ev[] = [];
    attach(run, recorder("A", log, { reportSignal: (a) => utraceSignalAction(a) | UTRACE_RESUME }), E.QUIESCE);
    await run.wait();
    const r = realReports(log, SIG.USR1);
    expect(r.map((x) => x.action)).toEqual([UTRACE_SIGNAL_DELIVER | UTRACE_RESUME]);
  });

  it("§3: a QUIESCE engine without report_signal gets report_quiesce(the signal's event), and the disposition is carried through", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "d"]);
    const log: Ev[] = [];
    attach(run, recorder("A", log), E.QUIESCE);
    attach(run, recorder("B", log, { reportSignal: (a) => utraceSignalAction(a) | UTRACE_RESUME }), E.SIGNAL_TERM);
    const st = await run.wait();
    expect(st.signal).toBe(SIG.USR1);
    const i = log.findIndex((x) => x.who === "B" && x.cb === "signal");
    expect(i).toBeGreaterThan(0);
    expect(log[i - 1]).toMatchObject({ who: "A", cb: "quiesce", event: E.SIGNAL_TERM, action: UTRACE_RESUME });
    expect(log[i].action).toBe(UTRACE_SIGNAL_TERM | UTRACE_RESUME);
  });

  it("§5.1: signal passes call engines in attach order", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "h"]);
    const log: Ev[] = [];
    for (const who of ["A", "B", "C"]) attach(run, recorder(who, log, { reportSignal: (a) => utraceSignalAction(a) | UTRACE_RESUME }), E.SIGNAL);
    await run.wait();
    expect(realReports(log, SIG.USR1).map((x) => x.who)).toEqual(["A", "B", "C"]);
  });
});

describe("B §7 where a signal pass stops", () => {
  it("§7: a signal pass that ends in IGN with a STOP stops right there", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "d"]);
    const e = attach(run, onSignal(SIG.USR1, () => UTRACE_SIGNAL_IGN | UTRACE_STOP), E.QUIESCE | E.SIGNAL_TERM);
    await untilStopped(run.task);
    await settle(30);
    expect(run.task.state).toBe("stopped");
    expect(run.out()).toBe("");
    expect(run.k.utrace.control(run.task, e, UTRACE_RESUME)).toBe(0);
    expect((await run.wait()).exitCode).toBe(0);
    expect(run.out()).toBe("after 0\n");
  });

  it("§7: DELIVER of an ignored signal (return_ka SIG_IGN) with a STOP also stops right at the signal pass", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "i"]);
    const log: Ev[] = [];
    let n = 0;
    const e = attach(run, recorder("A", log, onSignal(SIG.USR1, (a) => (++n === 1 ? UTRACE_SIGNAL_DELIVER | UTRACE_STOP : utraceSignalAction(a) | UTRACE_RESUME))), E.QUIESCE | E.SIGNAL_IGN);
    await untilStopped(run.task);
    await settle(30);
    expect(run.task.state).toBe("stopped");
    expect(log.filter((x) => x.cb === "signal")).toHaveLength(1);
    expect(run.out()).toBe("");
    expect(run.k.utrace.control(run.task, e, UTRACE_RESUME)).toBe(0);
    expect((await run.wait()).exitCode).toBe(0);
    expect(run.out()).toBe("after 0\n");
  });

  for (const [name, how] of [["INTERRUPT", UTRACE_INTERRUPT], ["REPORT", UTRACE_REPORT]] as const) {
    it(`§3 notes: a signal parked with STOP|IGN is still in info at the SIGNAL_REPORT pass after utrace_control(${name}), and can be redelivered`, async () => {
      const run = start("utb-sig", [String(SIG.USR1), "h"]);
      const log: Ev[] = [];
      let saved: KSigAction | null = null;
      const seen: { signo: number; orig: KSigAction | null }[] = [];
      const e = attach(run, recorder("ptrace", log, {
        reportSignal(action, _e, _r, info, origKa, returnKa) {
          if (origKa !== null && info.signo === SIG.USR1 && !saved) {
            saved = { ...origKa };
            return UTRACE_SIGNAL_IGN | UTRACE_STOP;
          }
          if (origKa === null && utraceSignalAction(action) === UTRACE_SIGNAL_REPORT && saved) {
            seen.push({ signo: info.signo, orig: origKa });
            Object.assign(returnKa, saved);
            return UTRACE_SIGNAL_DELIVER | UTRACE_RESUME;
          }
          return utraceSignalAction(action) | UTRACE_RESUME;
        },
      }), E.QUIESCE | E.SIGNAL);
      await untilStopped(run.task);
      expect(run.out()).toBe("");
      expect(run.k.utrace.control(run.task, e, how)).toBe(0);
      const st = await run.wait();
      expect(seen).toEqual([{ signo: SIG.USR1, orig: null }]);
      expect(st.exitCode).toBe(0);
      expect(run.out()).toBe(`handler 10 10 ${SI_USER}\nafter 1\n`);
    });
  }

  it("§7: a handler will run and an engine said STOP → a HANDLER report after the frame is set up, where the task can stop before the handler's first instruction", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "h"]);
    const log: Ev[] = [];
    let handler = -1n;
    const atHandler: { pc: bigint; a0: bigint; orig: KSigAction | null }[] = [];
    let stopsBeforeHandlerReport = 0;
    const e = attach(run, recorder("A", log, {
      reportSignal(action, _e, regs, info, origKa) {
        if (origKa !== null && info.signo === SIG.USR1) {
          handler = origKa.handler;
          return UTRACE_SIGNAL_DELIVER | UTRACE_STOP;
        }
        if (utraceSignalAction(action) === UTRACE_SIGNAL_HANDLER) {
          atHandler.push({ pc: regs.pc, a0: regs.a0, orig: origKa });
          return UTRACE_SIGNAL_HANDLER | UTRACE_STOP;
        }
        return utraceSignalAction(action) | UTRACE_RESUME;
      },
    }), E.QUIESCE | E.SIGNAL);
    const poll = setInterval(() => {
      if (run.task.state === "stopped" && atHandler.length === 0) stopsBeforeHandlerReport++;
    }, 1);
    try {
      await untilStopped(run.task);
    } finally {
      clearInterval(poll);
    }
    expect(stopsBeforeHandlerReport).toBe(0);
    expect(atHandler).toHaveLength(1);
    expect(atHandler[0]).toEqual({ pc: handler, a0: BigInt(SIG.USR1), orig: null });
    await settle(30);
    expect(run.task.state).toBe("stopped");
    expect(run.out()).toBe(""); // the handler has not run
    expect(run.k.utrace.control(run.task, e, UTRACE_RESUME)).toBe(0);
    expect((await run.wait()).exitCode).toBe(0);
    expect(run.out()).toBe(`handler 10 10 ${SI_USER}\nafter 1\n`);
  });

  it("§7: when every engine said RESUME (and nobody steps), no HANDLER report follows the handler setup", async () => {
    const run = start("utb-sig", [String(SIG.USR1), "h"]);
    const log: Ev[] = [];
    attach(run, recorder("A", log, { reportSignal: (a) => utraceSignalAction(a) | UTRACE_RESUME }), E.QUIESCE | E.SIGNAL);
    await run.wait();
    expect(realReports(log, SIG.USR1)).toHaveLength(1);
    expect(log.filter((x) => x.cb === "signal" && utraceSignalAction(x.action!) === UTRACE_SIGNAL_HANDLER)).toEqual([]);
  });
});
