// Waits that end from outside the guest: poll woken by input, poll and sigwaitinfo ended by a
// signal, and interval timers, which must not outlive the process that set them.
// Guest: waits (guests/src/waits.c); the self-contained cases are the poll and alarm guests.
import { describe, expect, it, vi } from "vitest";
import { UTRACE_EVENT, UTRACE_RESUME, utraceSyscallAction, type EngineOps } from "../../src/index.js";
import { start, attach, waitFor, SIG, type Run } from "../utrace/helpers-b.js";

const ERESTARTNOHAND = 514;
const NR_PPOLL = 73;
const OK = { exitCode: 0, signal: null, coreDumped: false };

/** Records the return value of every call of syscall nr. */
function exits(run: Run, nr: number): bigint[] {
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

async function blocked(run: Run): Promise<void> {
  await waitFor(() => run.out().includes("ready\n"), "the guest to be ready");
  await waitFor(() => run.task.state === "blocked", "the guest to block");
}

describe("ppoll", () => {
  it("wakes when input arrives on stdin", async () => {
    const run = start("waits", ["stdin"]);
    await blocked(run);
    run.stdin.write("hi\n");
    expect(await run.wait()).toEqual(OK);
    expect(run.out()).toBe('ready\npoll: 1 revents 0x1, read 3 "hi\n"\n');
  });

  it("ends with EINTR when a handled signal comes, SA_RESTART or not (ERESTARTNOHAND)", async () => {
    const run = start("waits", ["poll-signal"]);
    const polls = exits(run, NR_PPOLL);
    await blocked(run);
    run.p.kill(SIG.USR1);
    expect(await run.wait()).toEqual(OK);
    expect(run.out()).toBe("ready\npoll: -1 Interrupted system call, handled 1\n");
    expect(polls).toEqual([-BigInt(ERESTARTNOHAND)]);
  });
});

describe("rt_sigtimedwait", () => {
  it("takes a blocked signal sent while it waits, without running the handler", async () => {
    const run = start("waits", ["sigwait"]);
    await blocked(run);
    run.p.kill(SIG.USR1);
    expect(await run.wait()).toEqual(OK);
    expect(run.out()).toBe("ready\nsigwaitinfo: 10 code 0, handled 0\n");
  });
});

describe("interval timers", () => {
  it("are stopped when the process ends, so no host timer is left behind", async () => {
    // alarm(100): the host timer set for 100 s must be cleared when the process ends.
    const alarmTimers: unknown[] = [];
    const realSetTimeout = globalThis.setTimeout;
    const setSpy = vi.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
      const handle = realSetTimeout(fn, ms);
      if (ms !== undefined && ms > 99_000 && ms <= 100_001) alarmTimers.push(handle);
      return handle;
    }) as typeof setTimeout);
    const clearSpy = vi.spyOn(globalThis, "clearTimeout");
    try {
      const run = start("waits", ["alarm-exit"]);
      expect(await run.wait()).toEqual(OK);
      expect(run.out()).toBe("alarm set\n");
      expect(alarmTimers).toHaveLength(1);
      expect(clearSpy).toHaveBeenCalledWith(alarmTimers[0]);
    } finally {
      setSpy.mockRestore();
      clearSpy.mockRestore();
    }
  });
});
