// A SINGLESTEP given to a task that stopped in the signal path (a report_signal that returned
// STOP, as a debugger does at a breakpoint's SIGTRAP) steps one instruction when the task goes on:
// the signal path applies a pending step request as utrace_get_signal does, rather than dropping
// it and stepping only at some later resume point.
import { describe, it, expect } from "vitest";
import {
  UTRACE_EVENT, UTRACE_EVENT_SIGNAL_ALL, UTRACE_STOP, UTRACE_RESUME, UTRACE_SINGLESTEP, UTRACE_SIGNAL_IGN,
  UTRACE_SIGNAL_REPORT, UTRACE_SIGNAL_HANDLER, utraceSignalAction,
} from "../../src/index.js";
import { start, attach, untilStopped, SIG } from "./helpers-b.js";

describe("single-step from a stop in the signal path", () => {
  it("the trap comes one instruction after the stop", async () => {
    // gdb-demo raises SIGUSR1 (with a handler) when given "signal"
    const run = start("gdb-demo", ["signal"]);
    let stopAt: { pc: number; instret: number } | null = null;
    const traps: { pc: number; instret: number }[] = [];
    const e = attach(run, {
      reportSignal(action, eng, regs, info) {
        const natural = utraceSignalAction(action);
        if (natural === UTRACE_SIGNAL_REPORT || natural === UTRACE_SIGNAL_HANDLER) return natural | UTRACE_RESUME;
        if (info.signo === SIG.TRAP) {
          traps.push({ pc: Number(regs.pc), instret: eng.task.hart.instret });
          return UTRACE_SIGNAL_IGN | UTRACE_RESUME;
        }
        if (info.signo === 10 && !stopAt) {
          stopAt = { pc: Number(regs.pc), instret: eng.task.hart.instret };
          return UTRACE_SIGNAL_IGN | UTRACE_STOP;
        }
        return natural | UTRACE_RESUME;
      },
    }, UTRACE_EVENT.QUIESCE | UTRACE_EVENT_SIGNAL_ALL);
    await untilStopped(run.task);
    expect(stopAt).not.toBeNull();
    const insn = run.task.readBytes(stopAt!.pc, 2);
    const len = (insn[0] & 3) === 3 ? 4 : 2;
    expect(run.k.utrace.control(run.task, e, UTRACE_SINGLESTEP)).toBe(0);
    const st = await run.wait();
    expect(traps[0]).toEqual({ pc: stopAt!.pc + len, instret: stopAt!.instret + 1 });
    expect(traps).toHaveLength(1); // the RESUME from the trap's report turned stepping off
    expect(st.exitCode).toBe(0);
    expect(run.out()).toBe("after raise\n");
  });
});
