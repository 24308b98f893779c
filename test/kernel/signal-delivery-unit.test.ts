// src/kernel/signal-delivery.ts function by function: what sending a signal leaves pending and
// whom it wakes, what a forced (fault) signal does to the action and the mask, and a group stop of
// the first process and its SIGCONT. Each test builds the state on a real kernel whose guest has
// not run yet (a spawn runs no guest code before the current turn ends), or a guest blocked in
// read(2) (utb-read), and checks the result the function promises: the pending sets the guest
// would see with sigpending, the task's run state, the wait status.
import { describe, expect, it } from "vitest";
import { UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_RESUME } from "../../src/index.js";
import { SIG_DFL, SIG_IGN } from "../../src/abi/signals.js";
import { sigbit, type SignalInfo } from "../../src/kernel/signals.js";
import { forceSignal, returnToUser, sendProcessSignal, sendSignal, stopGroup } from "../../src/kernel/signal-delivery.js";
import { parkOnQueue } from "../../src/kernel/parking.js";
import { Blocked, ERESTARTNOHAND, WaitQueue } from "../../src/kernel/wait-queue.js";
import { Phase } from "../../src/kernel/task.js";
import type { Process } from "../../src/kernel/process.js";
import { start, type Run } from "../utrace/helpers-b.js";
import { turns, turnsUntil } from "../utrace/turns.js";

const SIGHUP = 1;
const SIGKILL = 9;
const SIGUSR1 = 10;
const SIGSEGV = 11;
const SIGUSR2 = 12;
const SIGCHLD = 17;
const SIGCONT = 18;
const SIGSTOP = 19;
const SIGTSTP = 20;
const SIGWINCH = 28;
const SIGRTMIN = 32; // the kernel's first real-time signal (glibc keeps 32 and 33 for itself)
const ALL = (1n << 64n) - 1n;
const HANDLER = 0x10000n; // any address: no handler runs in these tests

const sig = (signo: number): SignalInfo => ({ signo, code: 0 });
const signos = (list: SignalInfo[]): number[] => list.map((s) => s.signo);
const setAction = (p: Process, signo: number, handler: bigint): void => {
  p.sigactions[signo] = { handler, flags: 0n, restorer: 0n, mask: 0n };
};

/** Ends a run whose guest may not have run at all, and waits for its end. */
async function finish(r: Run): Promise<void> {
  r.k.killProcess(r.p, SIGKILL);
  await r.wait();
}

/** Starts utb-read and waits until it is blocked in its read of the empty stdin. */
async function blockedInRead(): Promise<Run> {
  const r = start("utb-read");
  await turnsUntil(() => r.task.state === "blocked" || !r.p.alive, "utb-read to block in read");
  expect(r.task.state).toBe("blocked");
  return r;
}

describe("sendSignal (one thread)", () => {
  it("drops a signal the thread ignores and does not block: SIG_IGN, or SIG_DFL of SIGCHLD and SIGWINCH", async () => {
    const r = start("hello");
    setAction(r.p, SIGUSR1, SIG_IGN);
    for (const s of [SIGUSR1, SIGCHLD, SIGWINCH]) sendSignal(r.k, r.task, sig(s));
    expect(signos(r.task.pendingSignals)).toEqual([]);
    // SIGUSR2's default action terminates: it is kept.
    sendSignal(r.k, r.task, sig(SIGUSR2));
    expect(signos(r.task.pendingSignals)).toEqual([SIGUSR2]);
    await finish(r);
  });

  it("keeps an ignored signal the thread blocks, or that an engine watching ignored signals wants", async () => {
    const r = start("hello");
    setAction(r.p, SIGUSR1, SIG_IGN);
    r.task.sigmask = sigbit(SIGUSR1) | sigbit(SIGCHLD);
    sendSignal(r.k, r.task, sig(SIGUSR1));
    sendSignal(r.k, r.task, sig(SIGCHLD));
    expect(signos(r.task.pendingSignals)).toEqual([SIGUSR1, SIGCHLD]);

    const w = start("hello");
    const e = w.k.utrace.attachTask(w.task, UTRACE_ATTACH_CREATE, { reportSignal: () => UTRACE_RESUME }, null);
    expect(w.k.utrace.setEvents(w.task, e, UTRACE_EVENT.SIGNAL_IGN)).toBe(0);
    sendSignal(w.k, w.task, sig(SIGWINCH));
    expect(signos(w.task.pendingSignals)).toEqual([SIGWINCH]);
    await finish(r);
    await finish(w);
  });

  it("keeps a standard signal pending once and queues real-time signals, from 32 up", async () => {
    const r = start("hello");
    r.task.sigmask = ALL;
    for (const s of [SIGUSR1, SIGUSR1, SIGUSR2, SIGRTMIN, SIGRTMIN, SIGRTMIN + 2, SIGUSR2]) sendSignal(r.k, r.task, sig(s));
    expect(signos(r.task.pendingSignals)).toEqual([SIGUSR1, SIGUSR2, SIGRTMIN, SIGRTMIN, SIGRTMIN + 2]);
    await finish(r);
  });

  it("drops signals to a task that is being killed, or that has exited", async () => {
    const r = start("hello");
    r.k.killProcess(r.p, SIGKILL);
    sendSignal(r.k, r.task, sig(SIGUSR1));
    expect(r.task.pendingSignals).toEqual([]);
    await r.wait();

    const done = start("hello");
    expect(await done.wait()).toEqual({ exitCode: 0, signal: null, coreDumped: false });
    expect(done.task.killed).toBe(false);
    sendSignal(done.k, done.task, sig(SIGUSR1));
    expect(done.task.pendingSignals).toEqual([]);
  });

  it("sends a task in user mode to the signal path before its next instruction, unless the signal is blocked", async () => {
    const r = start("hello");
    r.task.sigmask = sigbit(SIGUSR2);
    expect(r.task.phase).toBe(Phase.User);
    sendSignal(r.k, r.task, sig(SIGUSR2));
    expect(r.task.phase).toBe(Phase.User);
    sendSignal(r.k, r.task, sig(SIGUSR1));
    expect(r.task.phase).toBe(Phase.Return);
    // And so it dies of SIGUSR1 before it has run one instruction.
    const st = await r.wait();
    expect(st.signal).toBe(SIGUSR1);
    expect(r.task.hart.instret).toBe(0);
    expect(r.out()).toBe("");
  });

  it("interrupts a blocking read for a signal the task does not block, not for one it blocks or ignores", async () => {
    const r = await blockedInRead();
    r.task.sigmask = sigbit(SIGUSR1);
    sendSignal(r.k, r.task, sig(SIGUSR1));
    // SIG_DFL of SIGWINCH and of SIGCONT does nothing more at delivery: Linux drops both when sent
    // (sig_kernel_ignore), so neither interrupts the read.
    sendSignal(r.k, r.task, sig(SIGWINCH));
    sendSignal(r.k, r.task, sig(SIGCONT));
    expect(r.task.state).toBe("blocked");
    expect(r.task.interrupted).toBe(false);
    sendSignal(r.k, r.task, sig(SIGUSR2));
    expect(r.task.state).toBe("runnable");
    expect(r.task.interrupted).toBe(true);
    expect((await r.wait()).signal).toBe(SIGUSR2);
  });

  it("wakes a wait that takes the very signal (rt_sigtimedwait) instead of interrupting it", async () => {
    const r = start("hello");
    const takes = new Blocked(new WaitQueue(), ERESTARTNOHAND, undefined, (s) => s === SIGUSR1);
    parkOnQueue(r.k, r.task, takes);
    sendSignal(r.k, r.task, sig(SIGUSR1));
    expect(r.task.state).toBe("runnable");
    expect(r.task.interrupted).toBe(false);
    expect(r.task.blocked).toBe(null);
    await finish(r);
  });
});

describe("sendProcessSignal (a process)", () => {
  it("drops a signal the process ignores unless one of its threads blocks it", async () => {
    const r = start("hello");
    sendProcessSignal(r.k, r.p, sig(SIGCHLD));
    expect(r.p.sharedPending).toEqual([]);
    r.task.sigmask = sigbit(SIGCHLD);
    sendProcessSignal(r.k, r.p, sig(SIGCHLD));
    expect(signos(r.p.sharedPending)).toEqual([SIGCHLD]);
    await finish(r);
  });

  it("keeps a standard signal pending once and queues real-time signals, from 32 up", async () => {
    const r = start("hello");
    r.task.sigmask = ALL;
    for (const s of [SIGUSR2, SIGUSR1, SIGUSR2, SIGRTMIN, SIGRTMIN, SIGUSR1]) sendProcessSignal(r.k, r.p, sig(s));
    expect(signos(r.p.sharedPending)).toEqual([SIGUSR2, SIGUSR1, SIGRTMIN, SIGRTMIN]);
    // The thread's own set is apart: the same standard signal may wait there too.
    sendSignal(r.k, r.task, sig(SIGUSR1));
    expect(signos(r.task.pendingSignals)).toEqual([SIGUSR1]);
    await finish(r);
  });

  it("drops signals to a process whose threads have all exited (a zombie)", async () => {
    const r = start("hello");
    await r.wait();
    sendProcessSignal(r.k, r.p, sig(SIGUSR1));
    expect(r.p.sharedPending).toEqual([]);
  });

  it("interrupts the thread's blocking read, and sends a running one to the signal path", async () => {
    const r = await blockedInRead();
    sendProcessSignal(r.k, r.p, sig(SIGUSR2));
    expect(r.task.interrupted).toBe(true);
    expect((await r.wait()).signal).toBe(SIGUSR2);

    const h = start("hello");
    sendProcessSignal(h.k, h.p, sig(SIGHUP));
    expect(h.task.phase).toBe(Phase.Return);
    expect((await h.wait()).signal).toBe(SIGHUP);
    expect(h.task.hart.instret).toBe(0);
  });
});

describe("SIGCONT and the stop signals when sent", () => {
  it("a pending SIGCONT stays when another signal is sent, and goes when a stop signal is", async () => {
    const r = start("hello");
    r.task.sigmask = ALL;
    sendSignal(r.k, r.task, sig(SIGCONT));
    sendProcessSignal(r.k, r.p, sig(SIGCONT));
    sendSignal(r.k, r.task, sig(SIGUSR1));
    sendProcessSignal(r.k, r.p, sig(SIGUSR2));
    expect([signos(r.task.pendingSignals), signos(r.p.sharedPending)]).toEqual([[SIGCONT, SIGUSR1], [SIGCONT, SIGUSR2]]);
    sendSignal(r.k, r.task, sig(SIGTSTP));
    expect([signos(r.task.pendingSignals), signos(r.p.sharedPending)]).toEqual([[SIGUSR1, SIGTSTP], [SIGUSR2]]);
    await finish(r);
  });
});

describe("SIGCONT to a process that is not stopped", () => {
  it("leaves nothing for its parent's wait to report (no CLD_CONTINUED)", async () => {
    const r = start("hello");
    sendProcessSignal(r.k, r.p, sig(SIGCONT));
    expect(r.p.jobReport).toBe(null);
    expect(r.p.jobStopped).toBe(false);
    await finish(r);
  });
});

describe("SIGCONT to a stopped process", () => {
  it("does not wake a thread that waits in a syscall", async () => {
    const r = start("hello");
    parkOnQueue(r.k, r.task, new Blocked(new WaitQueue(), ERESTARTNOHAND));
    // The thread blocks SIGCONT: sending it continues the process all the same.
    r.task.sigmask = sigbit(SIGCONT);
    stopGroup(r.k, r.p, SIGSTOP, r.task);
    sendProcessSignal(r.k, r.p, sig(SIGCONT));
    expect(r.p.jobStopped).toBe(false);
    expect(r.task.state).toBe("blocked");
    await finish(r);
  });
});

describe("returnToUser (the dequeue)", () => {
  it("delivers copies of one real-time signal in the order they were sent", async () => {
    const r = start("hello");
    r.p.sigactions[SIGRTMIN + 2] = { handler: HANDLER, flags: 0n, restorer: 0n, mask: ALL };
    r.task.sigmask = ALL;
    for (const value of [1n, 2n, 3n]) sendSignal(r.k, r.task, { signo: SIGRTMIN + 2, code: -1, value });
    r.task.sigmask = 0n;
    r.task.phase = Phase.Return;
    returnToUser(r.k, r.task);
    // The first copy's handler is entered (its mask blocks the others), with the copy's si_value
    // in its siginfo; the two later copies wait, in order.
    expect(r.task.hart.pc).toBe(Number(HANDLER));
    expect(r.task.pendingSignals.map((s) => s.value)).toEqual([2n, 3n]);
    await finish(r);
  });
});

describe("returnToUser when there is no room for a handler's frame", () => {
  it("ends the process with SIGSEGV and a core (Linux's force_sigsegv)", async () => {
    const r = start("hello");
    setAction(r.p, SIGUSR1, HANDLER);
    sendSignal(r.k, r.task, sig(SIGUSR1));
    // The stack pointer in the first page, never mapped: the frame cannot be written.
    r.task.hart.setXNumber(2, 4096);
    // As if a read had just been interrupted: a0 holds its restart code. As in Linux's
    // handle_signal, the call is made EINTR (the handler has no SA_RESTART) before the frame fails.
    r.task.interrupted = true;
    r.task.hart.setXNumber(10, -512);
    const pc = r.task.hart.pc;
    returnToUser(r.k, r.task);
    expect(r.task.phase).toBe(Phase.Exiting);
    expect([r.task.hart.pc, r.task.hart.x64[10]]).toEqual([pc, -4n]);
    expect(await r.wait()).toEqual({ exitCode: null, signal: SIGSEGV, coreDumped: true });
  });
});

describe("returnToUser of a blocked SIGCONT that is unblocked later", () => {
  it("does nothing: SIGCONT's default action at delivery is to go on", async () => {
    const r = start("hello");
    r.task.sigmask = sigbit(SIGCONT);
    sendSignal(r.k, r.task, sig(SIGCONT));
    expect(signos(r.task.pendingSignals)).toEqual([SIGCONT]);
    r.task.sigmask = 0n;
    r.task.phase = Phase.Return;
    returnToUser(r.k, r.task);
    expect(r.task.pendingSignals).toEqual([]);
    expect(r.task.phase).toBe(Phase.User);
    expect(await r.wait()).toEqual({ exitCode: 0, signal: null, coreDumped: false });
  });
});

describe("forceSignal (a fault's signal)", () => {
  it("unblocks the signal, and only it, and resets a handler it was blocked for to SIG_DFL", async () => {
    const r = start("hello");
    setAction(r.p, SIGSEGV, HANDLER);
    r.task.sigmask = sigbit(SIGSEGV) | sigbit(SIGUSR1);
    forceSignal(r.task, { signo: SIGSEGV, code: 1, addr: 16n });
    expect(r.p.sigactions[SIGSEGV].handler).toBe(SIG_DFL);
    expect(r.task.sigmask).toBe(sigbit(SIGUSR1));
    expect(signos(r.task.pendingSignals)).toEqual([SIGSEGV]);
    expect(r.task.phase).toBe(Phase.Return);
    const st = await r.wait();
    expect(st).toEqual({ exitCode: null, signal: SIGSEGV, coreDumped: true });
  });

  it("resets SIG_IGN to SIG_DFL, and leaves a handler that is not blocked in place", async () => {
    const r = start("hello");
    setAction(r.p, SIGSEGV, SIG_IGN);
    forceSignal(r.task, { signo: SIGSEGV, code: 1, addr: 16n });
    expect(r.p.sigactions[SIGSEGV].handler).toBe(SIG_DFL);
    await finish(r);

    const h = start("hello");
    setAction(h.p, SIGSEGV, HANDLER);
    forceSignal(h.task, { signo: SIGSEGV, code: 1, addr: 16n });
    expect(h.p.sigactions[SIGSEGV].handler).toBe(HANDLER);
    expect(h.task.sigmask).toBe(0n);
    await finish(h);
  });
});

/** Lets the scheduler take its turns until the run queue is empty and it waits. */
const letSchedulerIdle = (): Promise<void> => turns(5);

describe("a group stop of the first process (no parent: its group is not orphaned)", () => {
  for (const stop of [SIGSTOP, SIGTSTP]) {
    it(`stops at signal ${stop} before running an instruction; SIGCONT lets it run to its end`, async () => {
      const r = start("hello");
      sendProcessSignal(r.k, r.p, sig(stop));
      await turnsUntil(() => r.p.jobStopped || !r.p.alive, "the stop");
      expect(r.p.jobStopped).toBe(true);
      expect(r.p.jobReport).toEqual({ stopped: true, signo: stop });
      await letSchedulerIdle();
      expect(r.task.hart.instret).toBe(0);
      sendProcessSignal(r.k, r.p, sig(SIGCONT));
      expect(r.p.jobStopped).toBe(false);
      expect(await r.wait()).toEqual({ exitCode: 0, signal: null, coreDumped: false });
      expect(r.out()).toBe("Hello, world!\n");
    });
  }

  it("a thread-directed SIGCONT continues the process too", async () => {
    const r = start("hello");
    sendSignal(r.k, r.task, sig(SIGSTOP));
    await turnsUntil(() => r.p.jobStopped || !r.p.alive, "the stop");
    await letSchedulerIdle();
    sendSignal(r.k, r.task, sig(SIGCONT));
    expect(r.p.jobStopped).toBe(false);
    expect((await r.wait()).exitCode).toBe(0);
  });
});

describe("stopGroup of a process that is stopped already", () => {
  it("changes nothing: the first stop's signal stays the one its parent's wait reports", async () => {
    const r = start("hello");
    stopGroup(r.k, r.p, SIGSTOP, r.task);
    stopGroup(r.k, r.p, SIGTSTP, r.task);
    expect(r.p.jobReport).toEqual({ stopped: true, signo: SIGSTOP });
    await finish(r);
  });
});

describe("returnToUser of a task that is being killed", () => {
  it("sends it to its exit and leaves its pending signals alone (no handler runs)", async () => {
    const r = start("hello");
    setAction(r.p, SIGUSR1, HANDLER);
    sendSignal(r.k, r.task, sig(SIGUSR1));
    // As a kill that came between the scheduler's choice of the task and its return to user mode.
    r.task.killed = true;
    r.task.phase = Phase.Return;
    const pc = r.task.hart.pc;
    returnToUser(r.k, r.task);
    expect([r.task.phase, r.task.hart.pc, signos(r.task.pendingSignals)]).toEqual([Phase.Exiting, pc, [SIGUSR1]]);
    r.task.killed = false;
    await finish(r);
  });
});
