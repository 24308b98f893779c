// The scheduler: one JavaScript thread runs every guest task in quanta of instructions, in a
// deterministic round-robin order. A task parked on a wait queue, held by an engine, or in a
// process that a job-control signal stopped is simply not in the run queue; when nothing is
// runnable the scheduler awaits the event loop (stdin data, a timer, an engine's Promise) until
// something wakes a task.
//
// The traps that end a stretch of user code (ecall, faults, steps) are turned here into the next
// phase of the task's way through the kernel (phases.ts) or a signal (signal-delivery.ts).
import { Exit, BUS_ADRALN, StepMode } from "../cpu/hart.js";
import { run } from "../cpu/interp.js";
import { SIGSEGV, SIGILL, SIGTRAP, SIGBUS, SIGXCPU, ILL_ILLOPC, TRAP_BRKPT, TRAP_TRACE, TRAP_BRANCH } from "../abi/signals.js";
import { Phase, type Task } from "./task.js";
import type { Kernel } from "./kernel.js";
import { advance } from "./phases.js";
import { forceSignal, hasDeliverableSignal } from "./signal-delivery.js";
import { killProcess } from "./kill.js";

/** Instructions a task runs before the scheduler moves on. */
const QUANTUM = 2_000_000;

export class Scheduler {
  private readonly runQueue: Task[] = [];
  private running = false;
  private wakeIdle: (() => void) | null = null;
  /** The task whose slice is running now (null between slices). */
  current: Task | null = null;
  /** sched_yield: the current slice ends at the next step. */
  private yielded = false;
  /**
   * Slices started so far: with the run queue's order, the position of everything in a run that
   * is not a guest instruction (record and replay place host events by it).
   */
  slices = 0;
  /**
   * Called between two slices, before the next task is picked (also before the scheduler would go
   * idle): a replay applies the host events and releases the tasks due at this position here.
   */
  beforeSlice: (() => void) | null = null;

  constructor(private readonly kernel: Kernel) {}

  /** Puts t in the run queue (at its end: round-robin) and wakes an idle scheduler. */
  makeRunnable(t: Task): void {
    t.state = "runnable";
    if (!this.runQueue.includes(t)) this.runQueue.push(t);
    if (this.wakeIdle) {
      const w = this.wakeIdle;
      this.wakeIdle = null;
      w();
    }
  }

  /** Entries in the run queue (some may be stale: tasks that stopped being runnable meanwhile). */
  get queued(): number {
    return this.runQueue.length;
  }

  /** Moves a runnable task to the head of the run queue: it runs next (a replay's released task). */
  runFirst(t: Task): void {
    const i = this.runQueue.indexOf(t);
    if (i > 0) {
      this.runQueue.splice(i, 1);
      this.runQueue.unshift(t);
    }
  }

  /** Starts the scheduling loop on the next turn of the event loop, unless it runs already. */
  start(): void {
    if (this.running) return;
    this.running = true;
    setImmediate(() => void this.loop());
  }

  /** sched_yield: the running task's turn ends; it goes to the back of the run queue. */
  yieldCurrent(): void {
    this.yielded = true;
  }

  /** Something needs t's attention at its next return to user mode (a signal, utrace). */
  notifyResume(t: Task): void {
    // Only kernel code (a syscall, a host callback between quanta) gets here, never a task's run().
    if (t.phase === Phase.User) t.phase = Phase.Return;
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        this.beforeSlice?.();
        const t = this.runQueue.shift();
        if (!t) {
          if (!this.anyTaskAlive()) break;
          // Every task waits (for a signal, a child, the host): keep Node's event loop alive meanwhile,
          // as a process blocked in pause() keeps running on Linux until a signal comes.
          const keepAlive = setInterval(() => {}, 1 << 30);
          await new Promise<void>((resolve) => (this.wakeIdle = resolve));
          clearInterval(keepAlive);
          continue;
        }
        if (t.state !== "runnable" || this.heldByJobStop(t)) continue;
        this.runSlice(t);
        // Nothing left to run: end now rather than after one more turn of the event loop, so that
        // nothing of the kernel's is pending once the last process has been waited for.
        if (!this.anyTaskAlive()) break;
        if (t.state === "runnable" && !this.runQueue.includes(t)) this.runQueue.push(t);
        // Let host I/O, timers and engines' promises make progress between quanta.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
    }
  }

  /** A task of a stopped process waits for SIGCONT (continueGroup re-queues it), unless it is dying. */
  private heldByJobStop(t: Task): boolean {
    return t.process.jobStopped && !t.killed;
  }

  private anyTaskAlive(): boolean {
    for (const t of this.kernel.tasks.values()) if (t.state !== "dead") return true;
    return false;
  }

  /** Runs one task for up to a quantum: its kernel steps, and user code between them. */
  private runSlice(t: Task): void {
    const k = this.kernel;
    const h = t.hart;
    let budget = QUANTUM;
    this.slices++;
    this.current = t;
    // A reservation never survives a switch: another task may have written the reserved word.
    h.reservation = -1;
    t.mem.syncShared();
    this.yielded = false;
    try {
      while (budget > 0 && t.state === "runnable" && !this.heldByJobStop(t) && !(this.yielded && t.phase === Phase.User)) {
        if (t.phase !== Phase.User) {
          advance(k, t);
          continue;
        }
        const limit = k.options.maxInsns;
        const allowed = limit === undefined ? budget : Math.min(budget, limit - k.instructions);
        if (allowed <= 0) {
          killProcess(k, t.process, SIGXCPU, true);
          continue;
        }
        const before = h.instret;
        const exit = run(h, t.mem, allowed);
        const ran = h.instret - before;
        budget -= ran;
        k.instructions += ran;
        this.afterUserCode(t, exit);
      }
    } finally {
      this.current = null;
    }
  }

  /** Where a stretch of user code went: a syscall, a fault's signal, or the end of the budget. */
  private afterUserCode(t: Task, exit: Exit): void {
    const h = t.hart;
    switch (exit) {
      case Exit.Budget:
      case Exit.Interrupted:
        if (hasDeliverableSignal(t) || this.hasResumeWork(t)) t.phase = Phase.Return;
        break;
      case Exit.Ecall:
        // run() has already counted the ecall in instret.
        t.syscallNr = h.x[2 * 17];
        t.origA0 = h.x64[10];
        h.pc += 4;
        t.phase = Phase.SyscallEntry;
        break;
      case Exit.Step:
        forceSignal(t, { signo: SIGTRAP, code: h.stepMode === StepMode.Block ? TRAP_BRANCH : TRAP_TRACE, addr: BigInt(h.pc) });
        break;
      case Exit.MemFault:
      case Exit.FetchFault:
        forceSignal(t, { signo: SIGSEGV, code: h.trapCode, addr: h.trapAddress });
        break;
      case Exit.Misaligned:
        forceSignal(t, { signo: SIGBUS, code: BUS_ADRALN, addr: h.trapAddress });
        break;
      case Exit.Illegal:
        forceSignal(t, { signo: SIGILL, code: ILL_ILLOPC, addr: BigInt(h.pc) });
        break;
      case Exit.Ebreak:
        forceSignal(t, { signo: SIGTRAP, code: TRAP_BRKPT, addr: BigInt(h.pc) });
        break;
    }
  }

  private hasResumeWork(t: Task): boolean {
    return t.utrace !== null && (t.utraceFlags !== 0 || t.utrace.attaching.length > 0);
  }
}
