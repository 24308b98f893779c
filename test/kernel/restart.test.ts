// A signal that interrupts a blocked syscall: the call returns Linux's restart code (what a tracer
// sees at syscall exit), and the signal's delivery turns it into EINTR or a restart, as Linux does.
// Guest: restart (guests/src/restart.c).
//
// Time is vitest's fake clock, not the host's: the kernel's clocks (process.hrtime) and its sleep
// and timeout timers (setTimeout/clearTimeout) only move when a test advances them, so each test
// says exactly when the guest's time passes, and asserts what the guest and a tracer observe at
// that moment: a sleep still blocked 1 ms before its deadline and over at it, the time left that
// an interrupted sleep reports, the timer a restarted sleep sets. The scheduler (setImmediate) runs
// for real; waiting for the guest counts event-loop turns, never wall time.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { UTRACE_EVENT, UTRACE_INTERRUPT, UTRACE_RESUME, utraceSyscallAction, type Regs } from "../../src/index.js";
import { start, attach, SIG, NR, type Run } from "../utrace/helpers-b.js";
import { exits } from "./wait-helpers.js";

const ERESTARTSYS = 512;
const ERESTART_RESTARTBLOCK = 516;
const EXITED = { exitCode: 0, signal: null, coreDumped: false };

/** glibc's nanosleep is clock_nanosleep. */
const NR_CLOCK_NANOSLEEP = 115;
const NR_FUTEX = 98;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "hrtime"] });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** Event-loop turns a step may take before the test gives up on it (a guard against a hang). */
const MAX_TURNS = 200_000;

/** Lets the scheduler run (real setImmediate turns, no time passing) until cond() holds. */
async function turnsUntil(cond: () => boolean, what: string): Promise<void> {
  for (let turn = 0; !cond(); turn++) {
    if (turn === MAX_TURNS) throw new Error(`${what}: not after ${MAX_TURNS} event-loop turns`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Lets the guest run until it is blocked with nothing to do but wait (no time passes). */
async function untilBlocked(run: Run): Promise<void> {
  await turnsUntil(() => run.task.state === "blocked", "the guest to block");
  // A few more turns: nothing may wake it while the clock stands still.
  for (let k = 0; k < 20; k++) await new Promise<void>((resolve) => setImmediate(resolve));
  expect(run.task.state).toBe("blocked");
}

/** Runs until the guest has said "ready" and blocked. */
async function readyAndBlocked(run: Run): Promise<void> {
  await turnsUntil(() => run.out().includes("ready\n"), "the guest to be ready");
  await untilBlocked(run);
}

/** The guest's exit status, once it has ended (no time passes while waiting). */
async function ended(run: Run) {
  let status: Awaited<ReturnType<Run["p"]["wait"]>> | undefined;
  void run.p.wait().then((s) => (status = s));
  await turnsUntil(() => status !== undefined, "the guest to end");
  return status!;
}

/** Moves the fake clock on by ms, firing the kernel's timers that fall due. */
function advance(ms: number): void {
  vi.advanceTimersByTime(ms);
}

/** Records the delay of every timer the kernel sets, and which ones it clears. */
function watchTimers() {
  const set = vi.spyOn(globalThis, "setTimeout");
  const clear = vi.spyOn(globalThis, "clearTimeout");
  return {
    delays: () => set.mock.calls.map((c) => c[1]),
    handle: (k: number) => set.mock.results[k].value as unknown,
    cleared: () => clear.mock.calls.map((c) => c[0] as unknown),
  };
}

/** A timespec in guest memory as nanoseconds. */
function timespecAt(run: Run, addr: bigint): bigint {
  const sec = run.task.mem.readI64(Number(addr));
  const nsec = run.task.mem.readI64(Number(addr) + 8);
  return sec * 1_000_000_000n + nsec;
}

describe("a signal interrupting a blocked read (ERESTARTSYS)", () => {
  it("with a handler without SA_RESTART: read fails with EINTR", async () => {
    const run = start("restart", ["read"]);
    const reads = exits(run, NR.read);
    await readyAndBlocked(run);
    run.p.kill(SIG.USR1);
    expect(await ended(run)).toEqual(EXITED);
    expect(run.out()).toBe("ready\nread: -1 Interrupted system call, handled 1\n");
    expect(reads).toEqual([-BigInt(ERESTARTSYS)]);
  });

  it("with SA_RESTART: read starts again after the handler and gets what comes later", async () => {
    const run = start("restart", ["read", "sa_restart"]);
    const reads = exits(run, NR.read);
    await readyAndBlocked(run);
    run.p.kill(SIG.USR1);
    await turnsUntil(() => reads.length === 1, "the interrupted read to end");
    await untilBlocked(run); // the restarted read
    expect(run.out()).toBe("ready\n");
    run.stdin.write("hello\n");
    expect(await ended(run)).toEqual(EXITED);
    expect(run.out()).toBe('ready\nread: 6 "hello\n", handled 1\n');
    expect(reads).toEqual([-BigInt(ERESTARTSYS), 6n]);
  });

  it("an engine's rewrite of the return value at syscall exit has the last word", async () => {
    const run = start("restart", ["read", "sa_restart"]);
    attach(run, {
      name: "rewrite",
      reportSyscallExit(_action, _e, regs) {
        if (Number(regs.syscallNumber) === NR.read && regs.returnValue === -BigInt(ERESTARTSYS)) regs.returnValue = 0n;
        return UTRACE_RESUME;
      },
    }, UTRACE_EVENT.SYSCALL_EXIT);
    await readyAndBlocked(run);
    run.p.kill(SIG.USR1);
    expect(await ended(run)).toEqual(EXITED);
    expect(run.out()).toBe('ready\nread: 0 "", handled 1\n');
  });
});

describe("a signal interrupting nanosleep (ERESTART_RESTARTBLOCK)", () => {
  it("with a handler: EINTR whatever SA_RESTART says, the exact time left in rem, and the host timer cleared", async () => {
    const timers = watchTimers();
    const run = start("restart", ["sleep"]);
    const sleeps = exits(run, NR_CLOCK_NANOSLEEP);
    // What clock_nanosleep(clock, flags, req, rem) left in *rem, read at its exit (the syscall is
    // told by its number at entry: rt_sigreturn's exit shows the a7 it restored).
    let remAddr = 0n;
    const rems: bigint[] = [];
    attach(run, {
      name: "rem",
      reportSyscallEntry(action, _e, regs: Regs) {
        remAddr = Number(regs.syscallNumber) === NR_CLOCK_NANOSLEEP ? regs.arg(3) : 0n;
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
      reportSyscallExit() {
        if (remAddr !== 0n) rems.push(timespecAt(run, remAddr));
        return UTRACE_RESUME;
      },
    }, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT);
    await readyAndBlocked(run);
    expect(timers.delays()).toEqual([2000]); // the 2 s sleep's timer
    advance(750);
    expect(run.task.state).toBe("blocked");
    run.p.kill(SIG.USR1);
    expect(await ended(run)).toEqual(EXITED);
    expect(run.out()).toBe("ready\nnanosleep: -1 Interrupted system call, handled 1, rem between 1 and 2 s: 1\n");
    expect(sleeps).toEqual([-BigInt(ERESTART_RESTARTBLOCK)]);
    // Interrupted 750 ms into a 2 s sleep (the fake clock moved by exactly that).
    expect(rems).toEqual([1_250_000_000n]);
    // The sleep's timer was cleared (else it would keep rvtrace's process alive), and the guest
    // ended with no timer of the kernel's left.
    expect(timers.cleared()).toContain(timers.handle(0));
    expect(vi.getTimerCount()).toBe(0);
  });

  it("with no handler (an engine's INTERRUPT): the sleep restarts towards the same deadline", async () => {
    const timers = watchTimers();
    const run = start("restart", ["sleep-nohandler"]);
    const sleeps = exits(run, NR_CLOCK_NANOSLEEP);
    await readyAndBlocked(run);
    expect(timers.delays()).toEqual([300]);
    advance(100);
    const e = run.k.utrace.attachTask(run.task, 0, { name: "poke" }, undefined);
    expect(run.k.utrace.control(run.task, e, UTRACE_INTERRUPT)).toBe(0);
    await turnsUntil(() => sleeps.length === 1, "the interrupted sleep to end");
    expect(sleeps).toEqual([-BigInt(ERESTART_RESTARTBLOCK)]);
    await untilBlocked(run); // the restarted sleep
    // What is left of the 300 ms, not 300 ms again; the first timer is gone.
    expect(timers.delays()).toEqual([300, 200]);
    expect(timers.cleared()).toContain(timers.handle(0));
    advance(199);
    await untilBlocked(run);
    expect(run.out()).toBe("ready\n");
    advance(1);
    expect(await ended(run)).toEqual(EXITED);
    expect(run.out()).toBe("ready\nnanosleep: 0, took 0.3 to 0.55 s: 1\n");
    expect(sleeps).toEqual([-BigInt(ERESTART_RESTARTBLOCK), 0n]);
  });
});

describe("timed futex waits", () => {
  it("take FUTEX_WAIT_BITSET's timeout as an absolute time on CLOCK_REALTIME or CLOCK_MONOTONIC", async () => {
    const timers = watchTimers();
    const run = start("restart", ["timedwait"]);
    const waits = exits(run, NR_FUTEX);
    const ETIMEDOUT = 110n;
    // sem_timedwait, then sem_clockwait (the guest prints both lines when it ends).
    for (let k = 1; k <= 2; k++) {
      await untilBlocked(run);
      // The guest's deadline is its clock + 100 ms: not reached 1 ms before, reached at it.
      expect(timers.delays()).toHaveLength(k);
      expect(timers.delays()[k - 1]).toBe(100);
      advance(99);
      await untilBlocked(run);
      expect(waits).toHaveLength(k - 1);
      advance(1);
      await turnsUntil(() => waits.length === k, `wait ${k} to time out`);
    }
    expect(await ended(run)).toEqual(EXITED);
    expect(run.out()).toBe(
      "sem_timedwait: -1 Connection timed out, on time 1\nsem_clockwait: -1 Connection timed out, on time 1\n",
    );
    expect(waits).toEqual([-ETIMEDOUT, -ETIMEDOUT]);
  });
});
