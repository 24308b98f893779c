// utrace-spec.md Part B §7 (where each event stops: SYSCALL_EXIT deferred, EXIT immediate, DEATH
// never), §5.5 (REPORT vs INTERRUPT on a blocking syscall) and Part A.3 (single-step, block-step,
// the reserved report_exec signature).
//
// Guests: utb-sys (write "one", getpid, write "two", exit_group(pid & 0xff)), utb-read (one read of
// stdin, exit code = its result & 0xff) and utb-step (a known instruction sequence after getpid).
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  UTRACE_EVENT, UTRACE_STOP, UTRACE_INTERRUPT, UTRACE_REPORT, UTRACE_SINGLESTEP, UTRACE_BLOCKSTEP,
  UTRACE_RESUME, UTRACE_SIGNAL_IGN, UTRACE_SIGNAL_REPORT, UTRACE_SIGNAL_CORE, utraceSignalAction,
  type Engine, type EngineOps, type ExecInfo, type Regs,
} from "../../src/index.js";
import { start, attach, recorder, pick, untilStopped, waitFor, settle, NR, SIG, UTB_SYS_CODE, type Ev, type Run } from "./helpers-b.js";

const E = UTRACE_EVENT;
const TRAP_TRACE = 2;
const tag = (x: Ev): string => `${x.who}.${x.cb}${x.cb === "quiesce" ? `(${x.event})` : ""}`;

describe("B §7 where each event stops", () => {
  it("§7: SYSCALL_EXIT: a STOP is deferred to the resume point — the syscall has run, no further user instruction has", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    let at: { pc: number; instret: number } | null = null;
    const a = attach(run, recorder("A", log, {
      reportSyscallExit(_x, eng, regs) {
        if (regs.syscallNumber !== BigInt(NR.write) || at) return UTRACE_RESUME;
        at = { pc: eng.task.hart.pc, instret: eng.task.hart.instret };
        return UTRACE_STOP;
      },
    }), E.SYSCALL_EXIT);
    attach(run, recorder("B", log), E.QUIESCE | E.SYSCALL_EXIT);
    await untilStopped(run.task);
    await settle(30);
    expect(run.task.state).toBe("stopped");
    expect(run.out()).toBe("one\n");
    expect(at).not.toBeNull();
    expect(run.task.hart.pc).toBe(at!.pc);
    expect(run.task.hart.instret).toBe(at!.instret);
    // the pass went on after A's STOP, and the stop came at the resume point, after its report
    const i = log.findIndex((x) => x.who === "A" && x.cb === "exit");
    expect(log.slice(i).map(tag)).toEqual(["A.exit", `B.quiesce(${E.SYSCALL_EXIT})`, "B.exit", "B.quiesce(0)"]);
    expect(run.k.utrace.control(run.task, a, UTRACE_RESUME)).toBe(0);
    expect((await run.wait()).exitCode).toBe(UTB_SYS_CODE);
    expect(run.out()).toBe("one\ntwo\n");
  });

  it("§7: EXIT: a STOP from report_exit holds the dying thread at once — no death report yet, the process has not ended", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    const a = attach(run, recorder("A", log, { reportExit: () => UTRACE_STOP }), E.EXIT | E.DEATH);
    await untilStopped(run.task);
    await settle(30);
    expect(run.task.state).toBe("stopped");
    expect(pick(log, "exitev")).toHaveLength(1);
    expect(pick(log, "death")).toHaveLength(0);
    expect(run.p.exitStatus).toBeNull();
    expect(run.k.utrace.control(run.task, a, UTRACE_RESUME)).toBe(0);
    expect((await run.wait()).exitCode).toBe(UTB_SYS_CODE);
    expect(log.map((x) => x.cb)).toEqual(["exitev", "death"]);
  });

  it("§7: DEATH never stops: STOP returned from report_death holds nothing, reaping follows", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    attach(run, recorder("A", log, { reportDeath: () => UTRACE_STOP }), E.DEATH | E.REAP);
    const st = await run.wait(5000);
    expect(st.exitCode).toBe(UTB_SYS_CODE);
    expect(log.map((x) => x.cb)).toEqual(["death", "reap"]);
  });

  it("§7 / §6.4: a STOP from report_exit does not hold a task that is dying from SIGKILL", async () => {
    const run = start("utb-sys");
    const log: Ev[] = [];
    attach(run, recorder("A", log, {
      reportSyscallEntry: () => UTRACE_STOP,
      reportExit: () => UTRACE_STOP,
    }), E.SYSCALL_ENTRY | E.EXIT);
    await untilStopped(run.task);
    run.p.kill(SIG.KILL);
    const st = await run.wait(5000);
    expect(st).toEqual({ exitCode: null, signal: SIG.KILL, coreDumped: false });
    expect(run.out()).toBe("");
  });
});

describe("B §5.5 REPORT vs INTERRUPT on a blocking syscall", () => {
  /** Starts utb-read with a recording engine and waits until the read blocks on the empty stdin. */
  async function blockedRead(impl: Parameters<typeof recorder>[2], events: number): Promise<{ run: Run; e: Engine; log: Ev[] }> {
    const run = start("utb-read");
    const log: Ev[] = [];
    const e = attach(run, recorder("A", log, impl), events);
    await waitFor(() => run.task.state === "blocked", "the read to block");
    return { run, e, log };
  }

  it("§5.5: INTERRUPT breaks a read blocked on an empty stdin: report_signal(SIGNAL_REPORT) comes at once, then the read restarts transparently", async () => {
    const args: bigint[] = [];
    const { run, e, log } = await blockedRead({
      reportSignal: (action) => utraceSignalAction(action) | UTRACE_RESUME,
      reportSyscallEntry(action, _e, regs) {
        if (regs.syscallNumber === BigInt(NR.read)) args.push(regs.arg(0), regs.arg(2));
        return UTRACE_RESUME;
      },
    }, E.QUIESCE | E.SYSCALL_ENTRY);
    expect(pick(log, "entry", NR.read)).toHaveLength(1);
    expect(run.k.utrace.control(run.task, e, UTRACE_INTERRUPT)).toBe(0);
    await waitFor(() => pick(log, "signal").length > 0, "the SIGNAL_REPORT pass");
    const s = pick(log, "signal");
    expect(s).toHaveLength(1);
    expect(utraceSignalAction(s[0].action!)).toBe(UTRACE_SIGNAL_REPORT);
    // restarted: the read is entered again with its original arguments and blocks again
    await waitFor(() => pick(log, "entry", NR.read).length === 2 && run.task.state === "blocked", "the restarted read to block");
    expect(args).toEqual([0n, 64n, 0n, 64n]);
    run.stdin.write("hello");
    const st = await run.wait();
    expect(st.exitCode).toBe(5); // not 252 (-EINTR)
    expect(run.out()).toBe("hello");
  });

  it("§5.5: REPORT does not break a blocking read: no callback while it blocks; report_quiesce(0) after it completes, before user mode", async () => {
    const { run, e, log } = await blockedRead({}, E.QUIESCE | E.SYSCALL_ENTRY | E.SYSCALL_EXIT);
    const before = log.length;
    expect(run.k.utrace.control(run.task, e, UTRACE_REPORT)).toBe(0);
    await settle(100);
    expect(run.task.state).toBe("blocked");
    expect(log.length).toBe(before);
    run.stdin.write("hi");
    const st = await run.wait();
    expect(st.exitCode).toBe(2);
    expect(run.out()).toBe("hi");
    expect(log.slice(before, before + 3).map(tag)).toEqual([`A.quiesce(${E.SYSCALL_EXIT})`, "A.exit", "A.quiesce(0)"]);
    expect(log[before + 1].nr).toBe(NR.read);
    expect(pick(log, "entry", NR.read)).toHaveLength(1);
  });
});

describe("Part A.3 single-step and block-step", () => {
  interface Trap { signo: number; code: number; pc: number; t0: bigint; t1: bigint; instret: number; action: number }

  /**
   * utb-step under an engine that asks for a resume report at getpid's exit, returns `step` from
   * that report (report_quiesce(0), or report_signal(SIGNAL_REPORT) if the report is made on the
   * signal path), remembering pc and instret there, and ignores each SIGTRAP it is shown.
   */
  async function stepRun(step: number): Promise<{ traps: Trap[]; from: { pc: number; instret: number }; code: number | null }> {
    const run = start("utb-step");
    const traps: Trap[] = [];
    let armed = false;
    let from = { pc: -1, instret: -1 };
    attach(run, {
      reportSyscallExit(_a, _e, regs) {
        armed = regs.syscallNumber === BigInt(NR.getpid);
        return armed ? UTRACE_REPORT : UTRACE_RESUME;
      },
      reportQuiesce(_a, eng, event) {
        if (event !== 0 || !armed) return UTRACE_RESUME;
        armed = false;
        from = { pc: eng.task.hart.pc, instret: eng.task.hart.instret };
        return step;
      },
      reportSignal(action, eng, regs, info, origKa) {
        if (origKa === null && utraceSignalAction(action) === UTRACE_SIGNAL_REPORT && armed) {
          // the resume report made on the signal path: the step can be asked for here too (§5.4)
          armed = false;
          from = { pc: eng.task.hart.pc, instret: eng.task.hart.instret };
          return UTRACE_SIGNAL_REPORT | step;
        }
        if (info.signo !== SIG.TRAP || origKa === null) return utraceSignalAction(action) | UTRACE_RESUME;
        traps.push({ signo: info.signo, code: info.code, pc: Number(regs.pc), t0: regs.x(5), t1: regs.x(6), instret: eng.task.hart.instret, action });
        return UTRACE_SIGNAL_IGN | UTRACE_RESUME;
      },
    }, E.QUIESCE | E.SYSCALL_EXIT | E.SIGNAL_CORE);
    const st = await run.wait(10000);
    return { traps, from, code: st.exitCode };
  }

  it("A.3: UTRACE_SINGLESTEP stops the task after exactly one instruction: SIGTRAP, si_code TRAP_TRACE, pc advanced by one instruction", async () => {
    const { traps, from } = await stepRun(UTRACE_SINGLESTEP);
    expect(traps.length).toBeGreaterThan(0);
    const t = traps[0];
    expect(t.signo).toBe(SIG.TRAP);
    expect(t.code).toBe(TRAP_TRACE);
    expect(t.pc).toBe(from.pc + 4);
    expect(t.instret - from.instret).toBe(1);
    expect(t.t0).toBe(1n); // addi t0, zero, 1 ran; nothing after it
    expect(utraceSignalAction(t.action)).toBe(UTRACE_SIGNAL_CORE); // SIGTRAP's natural disposition
  });

  it("A.3 / §5.4: a RESUME from the step trap's report turns stepping off: one SIGTRAP in the whole run, and the guest finishes", async () => {
    const { traps, code } = await stepRun(UTRACE_SINGLESTEP);
    expect(traps).toHaveLength(1);
    expect(code).toBe(3);
  });

  it("A.3: UTRACE_BLOCKSTEP stops after the next taken branch or jump — not after one instruction, not at a branch not taken", async () => {
    const { traps, from } = await stepRun(UTRACE_BLOCKSTEP);
    expect(traps.length).toBeGreaterThan(0);
    const t = traps[0];
    expect(t.signo).toBe(SIG.TRAP);
    expect(t.pc).toBe(from.pc + 28); // the jump's target
    expect(t.instret - from.instret).toBe(5); // addi, addi, beq (not taken), addi, j
    expect(t.t0).toBe(3n);
    expect(t.t1).toBe(0n);
  });

  it("A.3: SINGLESTEP through utrace_control on a stopped task steps one instruction once the task runs", async () => {
    const run = start("utb-step");
    const traps: { pc: number; code: number; t0: bigint }[] = [];
    let stopPc = -1;
    let held = false;
    const e = attach(run, {
      reportSyscallExit(_a, _e, regs) {
        held = regs.syscallNumber === BigInt(NR.getpid);
        return held ? UTRACE_STOP : UTRACE_RESUME;
      },
      reportQuiesce(_a, eng, event) {
        if (event === 0 && held) {
          stopPc = eng.task.hart.pc;
          return UTRACE_STOP;
        }
        return UTRACE_RESUME;
      },
      reportSignal(action, _eng, regs, info) {
        if (info.signo !== SIG.TRAP) return utraceSignalAction(action) | UTRACE_RESUME;
        traps.push({ pc: Number(regs.pc), code: info.code, t0: regs.x(5) });
        return UTRACE_SIGNAL_IGN | UTRACE_RESUME;
      },
    }, E.QUIESCE | E.SYSCALL_EXIT | E.SIGNAL_CORE);
    await untilStopped(run.task);
    held = false;
    expect(run.k.utrace.control(run.task, e, UTRACE_SINGLESTEP)).toBe(0);
    const st = await run.wait();
    expect(traps.length).toBeGreaterThan(0);
    expect(traps[0]).toEqual({ pc: stopPc + 4, code: TRAP_TRACE, t0: 1n });
    expect(st.exitCode).toBe(3);
  });
});

describe("Part A.3 report_exec (reserved)", () => {
  it("A.3: EngineOps.reportExec(action, engine, exec: { path, argv, envp, interpreter? }, regs) exists as a type", async () => {
    expectTypeOf<NonNullable<EngineOps<number>["reportExec"]>>().parameters.toEqualTypeOf<[number, Engine<number>, ExecInfo, Regs]>();
    expectTypeOf<NonNullable<EngineOps<number>["reportExec"]>>().returns.toEqualTypeOf<number>();
    expectTypeOf<ExecInfo>().toEqualTypeOf<{ path: string; argv: string[]; envp: string[]; interpreter?: string }>();
    // at run time: an engine with reportExec and the EXEC event attaches, and a run without execve never calls it
    const run = start("utb-sys");
    let calls = 0;
    const ops: EngineOps<unknown> = {
      reportExec(_action: number, _e: Engine<unknown>, exec: ExecInfo, _regs: Regs): number {
        calls += exec.path.length >= 0 ? 1 : 0;
        return UTRACE_RESUME;
      },
    };
    const e = attach(run, ops, E.EXEC);
    expect(e.flags).toBe(E.EXEC);
    expect((await run.wait()).exitCode).toBe(UTB_SYS_CODE);
    expect(calls).toBe(0);
  });
});
