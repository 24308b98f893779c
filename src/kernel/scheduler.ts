// The scheduler: one JavaScript thread runs every guest task in quanta of instructions, in a
// deterministic round-robin order; nothing here reads the host's clock. A task parked on a wait
// queue, held by an engine, or in a process that a job-control signal stopped is simply not in the
// run queue; when nothing is runnable the scheduler awaits the event loop (stdin data, a timer, an
// engine's Promise) until something wakes a task, or, when the run asks for it, ends the run when
// nothing ever could (deadlock.ts).
//
// In a deterministic run (world/deterministic-world.ts) virtual timers fire at the instruction they
// fall due, time skips to the next timer when every task waits, and a wait for host input stops the
// world until the input comes.
//
// The traps that end a stretch of user code (ecall, faults, steps) are turned here into the next
// phase of the task's way through the kernel (phases.ts) or a signal (signal-delivery.ts).
import { Exit, BUS_ADRALN, StepMode } from "../cpu/hart.js";
import { run } from "../cpu/interp.js";
import { SIGSEGV, SIGILL, SIGTRAP, SIGBUS, ILL_ILLOPC, TRAP_BRKPT, TRAP_TRACE, TRAP_BRANCH } from "../abi/signals.js";
import { Phase, type Task } from "./task.js";
import type { Kernel } from "./kernel.js";
import { advance, syscallNumber } from "./phases.js";
import { forceSignal, hasDeliverableSignal } from "./signal-delivery.js";
import { disarmTimeout, instructionLimitReached, memoryLimitReached } from "./limits.js";
import { takeAddressSpaceWork } from "./host-work.js";
import { endDeadlock, pendingWaker, rawCall } from "./deadlock.js";

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
   * In a deterministic run, the task whose slice a wait for host input interrupted, and the budget
   * it had left: nothing else runs until the input comes, then its slice goes on as if it had
   * never waited (world/deterministic-world.ts).
   */
  private paused: { task: Task; budget: number } | null = null;
  /**
   * Slices that did something so far: with the run queue's order, the position of everything in a
   * run that is not a guest instruction (record and replay place host events by it). A slice in
   * which the task only went back to waiting (woken before its wait was over: a host timer that
   * fired early) does not count; a replay, which answers such waits, has no such slice.
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
    const world = this.kernel.world;
    try {
      for (;;) {
        this.beforeSlice?.();
        world.fireDueTimers();
        if (this.paused) {
          const { task, budget } = this.paused;
          if (task.state === "blocked" && task.blocked?.waitsOnHost) {
            // The world stands still until the host's input arrives (or a host signal ends the wait).
            if ((await this.idle(true)) === "loop-empty") await this.endDeadlock(true);
            continue;
          }
          this.paused = null;
          const queued = this.runQueue.indexOf(task);
          if (queued >= 0) this.runQueue.splice(queued, 1);
          if (task.state === "runnable" && !this.heldByJobStop(task)) {
            this.runSlice(task, budget);
            if (!this.anyTaskAlive()) break;
            if (task.state === "runnable" && !this.runQueue.includes(task) && !this.paused) this.runQueue.push(task);
          }
          continue;
        }
        const t = this.runQueue.shift();
        if (!t) {
          if (!this.anyTaskAlive()) break;
          // Virtual time: when every task waits, the next timer is due at once.
          if (world.skipToNextTimer()) continue;
          // Nothing can wake a task, or only engines can and Node's event loop has nothing left that
          // could make them: every task is blocked for good (deadlock.ts).
          const ends = this.kernel.options.endDeadlocks === true;
          const waker = ends ? pendingWaker(this.kernel) : "host";
          if (waker === "none") {
            await this.endDeadlock(false);
            continue;
          }
          // Every task waits (for a signal, a child, the host, an engine). What the host will do
          // keeps Node's event loop alive; only an engine's stop is left to the loop to decide.
          if ((await this.idle(waker === "host")) === "loop-empty") await this.endDeadlock(true);
          continue;
        }
        if (t.state !== "runnable" || this.heldByJobStop(t)) continue;
        this.runSlice(t, QUANTUM);
        // Nothing left to run: end now rather than after one more turn of the event loop, so that
        // nothing of the kernel's is pending once the last process has been waited for.
        if (!this.anyTaskAlive()) break;
        if (t.state === "runnable" && !this.runQueue.includes(t)) this.runQueue.push(t);
        // Let host I/O, timers and engines' promises make progress between quanta.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
      if (!this.anyTaskAlive()) disarmTimeout(this.kernel);
    }
  }

  /**
   * Waits for the event loop to make a task runnable (stdin data, a host timer or signal, an
   * engine's Promise). With `keepAlive` (and always without endDeadlocks) Node's event loop is kept
   * alive meanwhile, as a process blocked in pause() keeps running on Linux until a signal comes.
   * Without it, nothing is: when the event loop runs dry ('beforeExit') nothing can ever wake a
   * task, and the answer is "loop-empty".
   */
  private async idle(keepAlive: boolean): Promise<"woken" | "loop-empty"> {
    if (keepAlive || this.kernel.options.endDeadlocks !== true) {
      const keepAlive = setInterval(() => {}, 1 << 30);
      await new Promise<void>((resolve) => (this.wakeIdle = resolve));
      clearInterval(keepAlive);
      return "woken";
    }
    return new Promise((resolve) => {
      const dry = () => {
        this.wakeIdle = null;
        resolve("loop-empty");
      };
      process.once("beforeExit", dry);
      this.wakeIdle = () => {
        process.off("beforeExit", dry);
        resolve("woken");
      };
    });
  }

  /**
   * Ends the run as deadlocked (deadlock.ts), once the report's call describer is loaded (the CLI's
   * are the strace decoders, loaded only now). Loading takes a turn of the event loop, in which a
   * host signal may come: the run ends only if nothing can run still. `loopEmpty`: Node's event loop
   * ran dry, so nothing of the host's is pending whatever the counts say.
   */
  private async endDeadlock(loopEmpty: boolean): Promise<void> {
    const k = this.kernel;
    const describe = (await k.options.loadCallDescriber?.()) ?? rawCall;
    if (this.runQueue.length === 0 && (loopEmpty || pendingWaker(k) === "none")) endDeadlock(k, describe);
  }

  /** A task of a stopped process waits for SIGCONT (continueGroup re-queues it), unless it is dying. */
  private heldByJobStop(t: Task): boolean {
    return t.process.jobStopped && !t.killed;
  }

  private anyTaskAlive(): boolean {
    for (const t of this.kernel.tasks.values()) if (t.state !== "dead") return true;
    return false;
  }

  /** Runs one task for up to `budget` instructions: its kernel steps, and user code between them. */
  private runSlice(t: Task, budget: number): void {
    const k = this.kernel;
    const world = k.world;
    const h = t.hart;
    this.slices++;
    const startInstret = h.instret;
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
        // Virtual timers fall due at an instruction count: fire them before going on (a signal
        // they send to this task is taken at once), and run no further than the next one.
        world.fireDueTimers();
        if (t.phase !== Phase.User) continue;
        const limit = k.options.maxInsns;
        // Host work done in syscalls counts as instructions (host-work.ts).
        const allowed = Math.min(limit === undefined ? budget : Math.min(budget, Math.floor(limit - k.instructions - k.hostWork)), world.instructionsUntilTimer());
        if (allowed <= 0) {
          instructionLimitReached(k, t);
          continue;
        }
        const before = h.instret;
        const exit = run(h, t.mem, allowed);
        const ran = h.instret - before;
        budget -= ran;
        k.instructions += ran;
        // First writes to pages under --memory-limit cost the host a page fault each (host-work.ts).
        k.hostWork += takeAddressSpaceWork();
        world.charge(t, ran);
        this.afterUserCode(t, exit);
      }
      // No instruction ran and the task waits again: its wait only went round (see `slices`).
      if (t.state === "blocked" && h.instret === startInstret) this.slices--;
      // A deterministic run stops the world while a task waits for host input (see `paused`).
      if (world.deterministic && t.state === "blocked" && t.blocked?.waitsOnHost) this.paused = { task: t, budget };
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
        t.syscallNr = syscallNumber(h);
        t.origA0 = h.x64[10];
        h.pc += 4;
        t.phase = Phase.SyscallEntry;
        break;
      case Exit.Step:
        forceSignal(t, { signo: SIGTRAP, code: h.stepMode === StepMode.Block ? TRAP_BRANCH : TRAP_TRACE, addr: BigInt(h.pc) });
        break;
      case Exit.MemFault:
        // A first write to a page when --memory-limit was spent: the OOM kill, not a SIGSEGV.
        if (t.mem.outOfMemory) {
          memoryLimitReached(this.kernel, t);
          break;
        }
      // falls through
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
