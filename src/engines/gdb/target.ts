// The debugged program as the gdb stub drives it, through utrace only: one engine per thread
// (followed across CLONE_THREAD; forked children run on untraced), all-stop semantics (when one
// thread stops for gdb, the others are stopped too), software breakpoints as ebreak instructions,
// single-stepping with UTRACE_SINGLESTEP, and signals held at the stop and passed or dropped when
// gdb resumes.
//
// Each thread has a mode: "stop" (hold it), "step" (one instruction, then a SIGTRAP/TRAP_TRACE
// report) or "run". Every callback returns the resume action of the mode, so a pass in between
// (a syscall, a quiesce report) never loses a stop or a step (utrace-spec §4: an engine that wants
// stepping must keep returning it).
import type { Task } from "../../kernel/task.js";
import type { Utrace } from "../../utrace/utrace.js";
import type { Engine } from "../../utrace/engine.js";
import type { EngineOps, KSigAction } from "../../utrace/types.js";
import { Regs } from "../../utrace/regs.js";
import {
  UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_EVENT_SIGNAL_ALL, UTRACE_STOP, UTRACE_SINGLESTEP, UTRACE_RESUME,
  UTRACE_REPORT, UTRACE_INTERRUPT, UTRACE_DETACH, UTRACE_SIGNAL_IGN, UTRACE_SIGNAL_DELIVER, UTRACE_SIGNAL_REPORT,
  UTRACE_SIGNAL_HANDLER, utraceSignalAction,
} from "../../utrace/constants.js";

const SIGINT = 2;
const SIGTRAP = 5;
const TRAP_BRKPT = 1;
const CLONE_THREAD = 0x10000;
const CLONE_VM = 0x100;
const C_EBREAK = Uint8Array.of(0x02, 0x90);
const EBREAK = Uint8Array.of(0x73, 0x00, 0x10, 0x00);

type Mode = "stop" | "step" | "run";

export interface GdbThread {
  readonly task: Task;
  readonly regs: Regs;
  engine: Engine<GdbThread> | null;
  mode: Mode;
  /** The engine holds the task (a callback returned STOP because of the mode). */
  stopped: boolean;
  /** The Linux signal that stopped it for gdb (0: stopped because another thread did). */
  stopSignal: number;
  /** A real signal taken off the queue at the stop, to be delivered or dropped at the resume. */
  heldSignal: number;
  /** Deliver this signal at the next signal report (set when gdb resumes with it). */
  inject: number;
  /** The held signal's sigaction as the signal pass showed it, to deliver it as it would have been. */
  heldAction: KSigAction | null;
}

/** How gdb resumes one thread: continue or step, with a Linux signal to deliver (0: none). */
export interface ResumeRequest {
  step: boolean;
  signal: number;
}

export class GdbTarget {
  readonly threads = new Map<number, GdbThread>();
  /** Inserted breakpoints: address → the bytes the ebreak replaced. */
  readonly breakpoints = new Map<number, Uint8Array>();
  private readonly ops: EngineOps<GdbThread>;
  /** A thread stopped for a reason gdb must hear of (a trap, a signal, an interrupt). */
  onStop: (thread: GdbThread) => void = () => {};
  private interruptSignal = 0;

  constructor(private readonly utrace: Utrace, leader: Task) {
    this.ops = this.makeOps();
    // The first thread is held before its first instruction: the first resume report stops it.
    const t = this.attach(leader, "stop");
    this.utrace.control(leader, t.engine!, UTRACE_STOP);
  }

  private attach(task: Task, mode: Mode): GdbThread {
    const thread: GdbThread = {
      task, regs: new Regs(task), engine: null, mode, stopped: false, stopSignal: 0, heldSignal: 0, inject: 0, heldAction: null,
    };
    const engine = this.utrace.attachTask(task, UTRACE_ATTACH_CREATE, this.ops, thread);
    this.utrace.setEvents(task, engine, UTRACE_EVENT.QUIESCE | UTRACE_EVENT.CLONE | UTRACE_EVENT.EXEC
      | UTRACE_EVENT.DEATH | UTRACE_EVENT_SIGNAL_ALL);
    engine.put(); // the attachment keeps it; reportDeath forgets it
    thread.engine = engine;
    this.threads.set(task.tid, thread);
    return thread;
  }

  /** The resume action a callback returns for a thread's mode; notes a stop as it happens. */
  private modeAction(thread: GdbThread, signal = this.interruptSignal): number {
    if (thread.mode === "step") return UTRACE_SINGLESTEP;
    if (thread.mode === "run") return UTRACE_RESUME;
    if (!thread.stopped) this.noteStopped(thread, signal);
    return UTRACE_STOP;
  }

  private noteStopped(thread: GdbThread, signal: number): void {
    thread.stopped = true;
    thread.stopSignal = signal;
    // The task parks when the pass that returned STOP ends; tell gdb after that.
    if (signal !== 0) setImmediate(() => this.onStop(thread));
  }

  private makeOps(): EngineOps<GdbThread> {
    const target = this;
    return {
      name: "gdb",
      reportQuiesce(_action, engine) {
        return target.modeAction(engine.data);
      },
      reportSignal(action, engine, _regs, info, origKa, returnKa) {
        const thread = engine.data;
        const natural = utraceSignalAction(action);
        if (natural === UTRACE_SIGNAL_REPORT || natural === UTRACE_SIGNAL_HANDLER) {
          if (thread.inject !== 0 && natural === UTRACE_SIGNAL_REPORT) {
            // gdb resumed with a signal: deliver it now (the report pass after our stop). A report
            // pass has no sigaction of its own: the engine supplies it (as ptrace over utrace
            // does), the one the signal had when it was held; another signal gets SIG_DFL.
            if (thread.heldAction) Object.assign(returnKa, thread.heldAction);
            info.signo = thread.inject;
            thread.inject = 0;
            thread.heldAction = null;
            return UTRACE_SIGNAL_DELIVER | target.modeAction(thread);
          }
          return natural | target.modeAction(thread);
        }
        const trap = info.signo === SIGTRAP;
        if (trap && thread.mode === "step") {
          thread.mode = "stop";
          return UTRACE_SIGNAL_IGN | target.modeAction(thread, SIGTRAP);
        }
        if (trap && info.code === TRAP_BRKPT && target.breakpoints.has(Number(thread.regs.pc))) {
          thread.mode = "stop";
          return UTRACE_SIGNAL_IGN | target.modeAction(thread, SIGTRAP);
        }
        // Any other signal: gdb decides (it resumes with the signal to pass it on).
        thread.mode = "stop";
        thread.heldSignal = info.signo;
        thread.heldAction = origKa ? { ...origKa } : null;
        thread.stopped = false;
        return UTRACE_SIGNAL_IGN | target.modeAction(thread, info.signo);
      },
      reportClone(_action, engine, flags, child) {
        if (flags & CLONE_THREAD) {
          const parent = engine.data;
          // A thread made while the others are held is held too; gdb sees it in the thread list.
          const t = target.attach(child, parent.mode === "stop" ? "stop" : "run");
          if (t.mode === "stop") target.utrace.control(child, t.engine!, UTRACE_STOP);
        } else if (flags & CLONE_VM) {
          // A vfork child runs on our memory, breakpoints and all: it steps over them untraced.
          target.stepOverBreakpoints(child);
        } else {
          // A forked child runs untraced on a copy of our memory: without our breakpoints.
          for (const [addr, orig] of target.breakpoints) child.pokeBytes(addr, orig);
        }
        return target.modeAction(engine.data);
      },
      reportExec(_action, engine) {
        target.breakpoints.clear(); // the old image and its ebreaks are gone
        return target.modeAction(engine.data);
      },
      reportDeath(engine) {
        target.threads.delete(engine.data.task.tid);
        return UTRACE_DETACH;
      },
    };
  }

  /**
   * For a task that shares our memory but is not ours to debug (a vfork child until it execs): at
   * one of our breakpoints, put the original instruction back, step it, and put the ebreak back.
   */
  stepOverBreakpoints(task: Task): void {
    const target = this;
    let stepping: number | null = null;
    let execd = false;
    const ebreakFor = (addr: number) => (target.breakpoints.get(addr)!.length === 2 ? C_EBREAK : EBREAK);
    const ops: EngineOps<null> = {
      name: "gdb-vfork-child",
      reportSignal(action, engine, regs, info) {
        const natural = utraceSignalAction(action);
        const real = natural !== UTRACE_SIGNAL_REPORT && natural !== UTRACE_SIGNAL_HANDLER;
        if (real && info.signo === SIGTRAP && stepping !== null) {
          // the step is done: the ebreak goes back (unless an execve was that step: done at the exec)
          if (!execd && target.breakpoints.has(stepping)) task.pokeBytes(stepping, ebreakFor(stepping));
          stepping = null;
          if (execd) setImmediate(() => target.utrace.control(task, engine, UTRACE_DETACH));
          return UTRACE_SIGNAL_IGN | UTRACE_RESUME; // RESUME turns stepping off
        }
        const pc = Number(regs.pc);
        if (real && info.signo === SIGTRAP && info.code === TRAP_BRKPT && target.breakpoints.has(pc)) {
          task.pokeBytes(pc, target.breakpoints.get(pc)!);
          stepping = pc;
          return UTRACE_SIGNAL_IGN | UTRACE_SINGLESTEP;
        }
        return natural | (stepping !== null ? UTRACE_SINGLESTEP : UTRACE_RESUME);
      },
      reportQuiesce() {
        return stepping !== null ? UTRACE_SINGLESTEP : UTRACE_RESUME;
      },
      reportExec() {
        // Its own memory from now on. If the step was the execve's ecall, the breakpoint goes back
        // into ours, and the step's trap (in the new program) is still to come and to be eaten.
        if (stepping === null) return UTRACE_DETACH;
        if (target.breakpoints.has(stepping)) target.writeMemory(stepping, ebreakFor(stepping));
        execd = true;
        return UTRACE_SINGLESTEP;
      },
    };
    const engine = this.utrace.attachTask(task, UTRACE_ATTACH_CREATE, ops, null);
    this.utrace.setEvents(task, engine, UTRACE_EVENT.QUIESCE | UTRACE_EVENT.EXEC | UTRACE_EVENT_SIGNAL_ALL);
    engine.put();
  }

  /** Holds every thread (Ctrl-C, or another thread stopped): `signal` is what gdb is told. */
  stopAll(signal: number): void {
    this.interruptSignal = signal;
    for (const t of this.threads.values()) {
      if (t.mode === "stop" && t.stopped) continue;
      t.mode = "stop";
      // INTERRUPT breaks a blocking syscall and brings a signal-path report, where the mode stops it.
      this.utrace.control(t.task, t.engine!, UTRACE_INTERRUPT);
    }
  }

  /** Interrupts the running program for gdb's Ctrl-C: the first thread to stop reports SIGINT. */
  interrupt(): void {
    this.stopAll(SIGINT);
  }

  /** Resumes one stopped thread as gdb asked. */
  resume(thread: GdbThread, req: ResumeRequest): void {
    if (!thread.engine) return;
    this.interruptSignal = 0;
    const pass = req.signal;
    if (pass !== thread.heldSignal) thread.heldAction = null;
    thread.heldSignal = 0;
    thread.stopped = false;
    thread.stopSignal = 0;
    if (req.step) {
      thread.mode = "step";
      this.utrace.control(thread.task, thread.engine, UTRACE_SINGLESTEP);
      return;
    }
    thread.mode = "run";
    if (pass) {
      thread.inject = pass;
      this.utrace.control(thread.task, thread.engine, UTRACE_REPORT);
    } else {
      this.utrace.control(thread.task, thread.engine, UTRACE_RESUME);
    }
  }

  /**
   * Follows the threads of a program that runs untraced (gdb attaching after the start); each
   * keeps running until stopAll. Threads that have exited, or are being reaped, are left out.
   */
  attachRunning(tasks: readonly Task[]): void {
    for (const task of tasks) {
      if (task.state === "dead" || this.threads.has(task.tid)) continue;
      try {
        this.attach(task, "run");
      } catch {
        // ESRCH: it is going away (utrace refuses a task being reaped); nothing to debug in it
      }
    }
  }

  /** Lets everything go: breakpoints out, engines detached, threads running. */
  detach(): void {
    for (const addr of [...this.breakpoints.keys()]) this.removeBreakpoint(addr);
    for (const t of this.threads.values()) {
      if (t.engine) this.utrace.control(t.task, t.engine, UTRACE_DETACH);
      t.engine = null;
    }
    this.threads.clear();
  }

  // ---- memory, with breakpoints hidden from gdb's reads ----

  private anyTask(): Task {
    const first = this.threads.values().next();
    if (first.done) throw new Error("no thread");
    return first.value.task;
  }

  readMemory(addr: number, len: number): Uint8Array {
    const bytes = this.anyTask().readBytes(addr, len);
    for (const [bp, orig] of this.breakpoints) {
      for (let i = 0; i < orig.length; i++) {
        const at = bp + i - addr;
        if (at >= 0 && at < len) bytes[at] = orig[i];
      }
    }
    return bytes;
  }

  /** Writes as a debugger does: read-only pages (code) too. */
  writeMemory(addr: number, bytes: Uint8Array): void {
    this.anyTask().pokeBytes(addr, bytes);
  }

  /** Z0: an ebreak (kind 2: c.ebreak, 4: ebreak) at addr. */
  insertBreakpoint(addr: number, kind: number): void {
    if (this.breakpoints.has(addr)) return;
    const insn = kind === 2 ? C_EBREAK : EBREAK;
    const task = this.anyTask();
    const orig = task.readBytes(addr, insn.length);
    task.pokeBytes(addr, insn);
    this.breakpoints.set(addr, orig);
  }

  removeBreakpoint(addr: number): void {
    const orig = this.breakpoints.get(addr);
    if (!orig) return;
    this.breakpoints.delete(addr);
    this.anyTask().pokeBytes(addr, orig);
  }
}
