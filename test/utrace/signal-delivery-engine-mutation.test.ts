// Signal delivery (src/kernel/signal-delivery.ts) as engines see it: the registers of a task that a
// fatal signal ends in a blocking syscall. Linux's get_signal ends the task without returning from
// the signal path, so the syscall is neither restarted nor turned into EINTR: at the exit report
// a0 still holds the call's restart code (-ERESTARTSYS for read) and pc is past the ecall, where
// it was at the syscall entry report.
import { describe, expect, it } from "vitest";
import { UTRACE_EVENT, UTRACE_RESUME, utraceSyscallAction } from "../../src/index.js";
import { attach, start, waitFor } from "./helpers-b.js";

const ERESTARTSYS = 512n;
const NR_READ = 63n;

describe("a fatal signal in a blocking read", () => {
  for (const [signo, core] of [[15, false], [3, true]] as const) {
    it(`signal ${signo}: the exit report sees read's restart code in a0 and pc past the ecall`, async () => {
      const r = start("utb-read");
      let entryPc = -1n;
      const atExit: { pc: bigint; a0: bigint }[] = [];
      attach(r, {
        reportSyscallEntry(action, _e, regs) {
          if (regs.syscallNumber === NR_READ) entryPc = regs.pc;
          return utraceSyscallAction(action) | UTRACE_RESUME;
        },
        reportExit() {
          const regs = r.k.utrace.regsOf(r.task);
          atExit.push({ pc: regs.pc, a0: regs.a0 });
          return UTRACE_RESUME;
        },
      }, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.EXIT);
      await waitFor(() => r.task.state === "blocked" || !r.p.alive, "utb-read to block in read");
      r.k.sendProcessSignal(r.p, { signo, code: 0 });
      expect(await r.wait()).toEqual({ exitCode: null, signal: signo, coreDumped: core });
      expect(entryPc).toBeGreaterThan(0n);
      expect(atExit).toEqual([{ pc: entryPc, a0: -ERESTARTSYS }]);
    });
  }
});
