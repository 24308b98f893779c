// Shared by the tests of blocking syscalls (restart.test.ts, waits.test.ts): an engine recording a
// syscall's results, waiting until the guest blocks, and watching the host timers the kernel sets.
import { vi } from "vitest";
import { UTRACE_EVENT, UTRACE_RESUME, utraceSyscallAction, type EngineOps } from "../../src/index.js";
import { attach, waitFor, type Run } from "../utrace/helpers-b.js";

/**
 * Attaches an engine that records the return value of every call of syscall nr, by the number at
 * entry (rt_sigreturn's exit shows the registers it restored, a7 included).
 */
export function exits(run: Run, nr: number): bigint[] {
  const seen: bigint[] = [];
  let current = -1;
  const ops: EngineOps<unknown> = {
    name: "exits",
    reportSyscallEntry(action, _e, regs) {
      current = Number(regs.syscallNumber);
      return utraceSyscallAction(action) | UTRACE_RESUME;
    },
    reportSyscallExit(_action, _e, regs) {
      if (current === nr) seen.push(regs.returnValue);
      return UTRACE_RESUME;
    },
  };
  attach(run, ops, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT);
  return seen;
}

/** Runs until the guest has said "ready" and blocked. */
export async function blocked(run: Run): Promise<void> {
  await waitFor(() => run.out().includes("ready\n"), "the guest to be ready");
  await waitFor(() => run.task.state === "blocked", "the guest to block");
}

/**
 * Watches setTimeout calls for delays in (minMs, maxMs] (the host timer of one guest wait), and
 * clearTimeout: a wait must clear its timer, or the timer keeps rvtrace's process alive.
 */
export function watchTimers(minMs: number, maxMs: number) {
  const made: unknown[] = [];
  const realSetTimeout = globalThis.setTimeout;
  const setSpy = vi.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
    const handle = realSetTimeout(fn, ms);
    if (ms !== undefined && ms > minMs && ms <= maxMs) made.push(handle);
    return handle;
  }) as typeof setTimeout);
  const clearSpy = vi.spyOn(globalThis, "clearTimeout");
  return {
    made,
    clearSpy,
    restore(): void {
      setSpy.mockRestore();
      clearSpy.mockRestore();
    },
  };
}
