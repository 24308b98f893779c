// The utrace engine layer (utrace-spec.md): attaching engines, event masks, utrace_control, barrier,
// examine, and the reporting passes the kernel's hook sites run. The kernel reaches tasks' run
// states only through UtraceHost; utrace knows tasks and their stops, not what syscalls mean.
import type { Task } from "../kernel/task.js";
import { Engine, DETACHED_OPS } from "./engine.js";
import { TaskUtrace } from "./task-state.js";
import { Regs } from "./regs.js";
import { collectWrites, pokeWrites, type SyscallWrite } from "./syscall-writes.js";
import { UtraceError, type EngineOps, type ExecInfo, type KSigAction, type UtraceSigInfo } from "./types.js";
import {
  UTRACE_STOP, UTRACE_INTERRUPT, UTRACE_REPORT, UTRACE_SINGLESTEP, UTRACE_BLOCKSTEP, UTRACE_RESUME,
  UTRACE_DETACH, UTRACE_RESUME_MAX, UTRACE_EVENT, ENGINE_STOP, DEATH_EVENTS, UTRACE_SYSCALL_ABORT,
  UTRACE_SYSCALL_MASK, UTRACE_SYSCALL_RESUMED, UTRACE_ATTACH_CREATE, UTRACE_ATTACH_EXCLUSIVE,
  UTRACE_ATTACH_MATCH_OPS, UTRACE_ATTACH_MATCH_DATA, UTRACE_SIGNAL_MASK, UTRACE_SIGNAL_REPORT,
  UTRACE_SIGNAL_HANDLER, UTRACE_SIGNAL_IGN, UTRACE_SIGNAL_HOLD, UTRACE_SIGNAL_DELIVER, ALL_EVENTS,
} from "./constants.js";

// errno values returned by the API (asm-generic/errno*.h).
const EPERM = 1;
const ENOENT = 2;
const ESRCH = 3;
const EAGAIN = 11;
const ENOMEM = 12;
const EEXIST = 17;
const EINVAL = 22;
const EALREADY = 114;
const EINPROGRESS = 115;
const ERRNO_NAMES: Record<number, string> = {
  [EPERM]: "EPERM", [ENOENT]: "ENOENT", [ESRCH]: "ESRCH", [ENOMEM]: "ENOMEM", [EEXIST]: "EEXIST", [EINVAL]: "EINVAL",
};

/** What the kernel provides to utrace: task run states and a place for diagnostics. */
export interface UtraceHost {
  /** Parks t in the utrace stop state: it is not scheduled until unpark. */
  park(t: Task): void;
  /** Makes a utrace-stopped task runnable again. */
  unpark(t: Task): void;
  /** Makes t pass through the resume point before it next runs user code (notify-resume). */
  notifyResume(t: Task): void;
  /** Interrupts t's blocking syscall as a signal would (restart logic applies). */
  interrupt(t: Task): void;
  /** Sets t's stepping mode: 0 none, UTRACE_SINGLESTEP or UTRACE_BLOCKSTEP. */
  setStepping(t: Task, mode: number): void;
  /** The task by pid (tid), if it exists and is not reaped. */
  findTask(pid: number): Task | undefined;
  /** SIGKILL is pending for t (or it is being killed with its group). */
  isKilled(t: Task): boolean;
  /** t has an exit_state (zombie or dead). */
  isDead(t: Task): boolean;
  /** t has been reaped (release_task ran). */
  isReaped(t: Task): boolean;
  /** DELIVER of signo with this handler would ignore it (SIG_IGN, or SIG_DFL of a default-ignored signal). */
  signalIgnored(signo: number, handler: bigint): boolean;
  /** Writes one line of rvtrace diagnostics. */
  diagnostics(line: string): void;
}

/** One reporting pass (struct utrace_report). */
interface Pass {
  action: number;
  resumeAction: number;
  result: number;
  detaches: boolean;
  spurious: boolean;
}

const newPass = (): Pass => ({
  action: UTRACE_RESUME, resumeAction: UTRACE_RESUME, result: 0, detaches: false, spurious: true,
});

/**
 * utrace's values (constants.ts) that the syscall path tests on every report, as literals: V8 reads an
 * imported constant from its module cell on every use, which cost a fifth of a report's time. tsc
 * checks below that each is utrace's value.
 */
const enum H {
  STOP = 0,
  REPORT = 2,
  RESUME = 5,
  DETACH = 6,
  RESUME_MAX = 7,
  QUIESCE = 0x1,
  SYSCALL_ENTRY = 0x40,
  SYSCALL_EXIT = 0x80,
  ENGINE_STOP = 0x4000,
  SYSCALL_ABORT = 0x10,
  SYSCALL_MASK = 0xf0,
}
/** A type error unless literal B is utrace's value A. */
type Is<A extends number, B extends A> = [A, B];
type HotConstantsAreUtraces = [
  Is<typeof UTRACE_STOP, H.STOP>, Is<typeof UTRACE_REPORT, H.REPORT>, Is<typeof UTRACE_RESUME, H.RESUME>,
  Is<typeof UTRACE_DETACH, H.DETACH>, Is<typeof UTRACE_RESUME_MAX, H.RESUME_MAX>,
  Is<typeof UTRACE_EVENT.QUIESCE, H.QUIESCE>, Is<typeof UTRACE_EVENT.SYSCALL_ENTRY, H.SYSCALL_ENTRY>,
  Is<typeof UTRACE_EVENT.SYSCALL_EXIT, H.SYSCALL_EXIT>, Is<typeof ENGINE_STOP, H.ENGINE_STOP>,
  Is<typeof UTRACE_SYSCALL_ABORT, H.SYSCALL_ABORT>, Is<typeof UTRACE_SYSCALL_MASK, H.SYSCALL_MASK>,
];

/** Which callback invoke() makes. */
const enum Kind {
  Quiesce,
  SyscallEntry,
  SyscallExit,
  Exec,
  Clone,
  Exit,
  Death,
  Signal,
  Reap,
  Jctl,
}
const KIND_NAMES = [
  "reportQuiesce", "reportSyscallEntry", "reportSyscallExit", "reportExec", "reportClone", "reportExit",
  "reportDeath", "reportSignal", "reportReap", "reportJctl",
];

/** The arguments of the callback being made, besides action and engine. */
interface CallbackArgs {
  event: number;
  regs: Regs | null;
  exec: ExecInfo | null;
  cloneFlags: number;
  child: Task | null;
  origCode: number;
  code: { value: number } | null;
  groupDead: boolean;
  signal: number;
  info: UtraceSigInfo | null;
  origKa: KSigAction | null;
  returnKa: KSigAction | null;
  /** reportJctl's type (CLD_STOPPED, CLD_CONTINUED) and notify (the SIGCHLD si_code, or 0). */
  jctlType: number;
  jctlNotify: number;
}

const entryDecision = (result: number): "run" | "abort" =>
  (result & H.SYSCALL_MASK) === H.SYSCALL_ABORT ? "abort" : "run";

/** clone's flag for vfork (linux/sched.h): its clone report stops at once (§7). */
const CLONE_VFORK = 0x4000;

/** The outcome of an immediate-stop report: the task stopped (resume re-enters the report) or not. */
export const STOPPED = "stopped" as const;

export class Utrace {
  /** The task whose reporting pass is running, if any ("current" for §6.5, §6.6). */
  private currentTask: Task | null = null;
  /** The pass being made (passes never nest) and the current callback's arguments. */
  private readonly scratch: Pass = newPass();
  private readonly args: CallbackArgs = {
    event: 0, regs: null, exec: null, cloneFlags: 0, child: null, origCode: 0, code: null, groupDead: false,
    signal: 0, info: null, origKa: null, returnKa: null, jctlType: 0, jctlNotify: 0,
  };

  constructor(private readonly host: UtraceHost) {}

  // ======================= attach (§1.2) =======================

  /** utrace_attach_task: looks up or creates an engine. Throws UtraceError on failure. */
  attachTask<D>(task: Task, flags: number, ops: EngineOps<D> | null, data: D): Engine<D> {
    const u = task.utrace;
    if (!(flags & UTRACE_ATTACH_CREATE)) {
      if (!u) throw err(ENOENT);
      const e = this.findMatch(u, flags, ops, data);
      if (!e) throw err(ENOENT);
      e.get();
      return e as Engine<D>;
    }
    if (!ops || ops === (DETACHED_OPS as EngineOps<unknown>)) throw err(EINVAL);
    const state = u ?? new TaskUtrace();
    if (flags & UTRACE_ATTACH_EXCLUSIVE && this.findMatch(state, flags, ops, data)) throw err(EEXIST);
    if (state.reap || this.host.isReaped(task)) throw err(ESRCH);
    if (!u) task.utrace = state;
    const e = new Engine<D>(ops, data, task);
    state.attaching.push(e as Engine);
    // The resume point splices it in if no pass comes first.
    task.utraceResumeWork = true;
    if ((task.utraceFlags & ~ENGINE_STOP) === 0) task.utraceFlags |= UTRACE_EVENT.REAP;
    return e;
  }

  /** utrace_attach_pid. */
  attachPid<D>(pid: number, flags: number, ops: EngineOps<D> | null, data: D): Engine<D> {
    const t = this.host.findTask(pid);
    if (!t) throw err(ESRCH);
    return this.attachTask(t, flags, ops, data);
  }

  private findMatch(u: TaskUtrace, flags: number, ops: unknown, data: unknown): Engine | undefined {
    for (const e of [...u.attached, ...u.attaching]) {
      if (!e.live) continue;
      if (flags & UTRACE_ATTACH_MATCH_OPS && e.ops !== ops) continue;
      if (flags & UTRACE_ATTACH_MATCH_DATA && e.data !== data) continue;
      return e;
    }
    return undefined;
  }

  // ======================= set_events (§2.2) =======================

  setEvents<D>(task: Task, engine: Engine<D>, mask: number): number {
    const u = task.utrace;
    if (!u || !engine.live || engine.task !== task || u.reap) return -ESRCH;
    const events = mask & ALL_EVENTS;
    const old = engine.bits & ~ENGINE_STOP;
    if (u.death && old & DEATH_EVENTS && ~events & old & DEATH_EVENTS) return -EALREADY;
    if (this.host.isDead(task) && events & DEATH_EVENTS & ~old) return -EALREADY;
    engine.bits = events | (engine.bits & ENGINE_STOP);
    task.utraceFlags |= events;
    const clearing = (old & ~events) !== 0;
    if (clearing && task !== this.currentTask && !u.stopped && !this.host.isDead(task) && u.reporting === engine) {
      return -EINPROGRESS;
    }
    return 0;
  }

  // ======================= control (§6) =======================

  control<D>(task: Task, engine: Engine<D>, action: number): number {
    if (!Number.isInteger(action) || action < 0 || action >= UTRACE_RESUME_MAX) return -EINVAL;
    const needsQuiesce = action === UTRACE_REPORT || action === UTRACE_SINGLESTEP || action === UTRACE_BLOCKSTEP;
    if (needsQuiesce && !(engine.flags & UTRACE_EVENT.QUIESCE)) return -EINVAL;
    const u = task.utrace;
    if (!u || !engine.live || engine.task !== task || u.reap) return -ESRCH;
    if (this.host.isDead(task)) {
      if (action !== UTRACE_DETACH) return -ESRCH;
      if (u.death) return -EALREADY;
      engine.markDetached();
      this.reset(task, u);
      return 0;
    }
    switch (action) {
      case UTRACE_STOP:
        this.holdStop(task, engine);
        if (u.stopped) return 0;
        this.requestResume(task, u, UTRACE_REPORT);
        return -EINPROGRESS;
      case UTRACE_DETACH: {
        const inCallback = u.reporting === engine;
        engine.markDetached();
        if (u.stopped) {
          this.reset(task, u);
          return 0;
        }
        this.requestResume(task, u, UTRACE_REPORT);
        return inCallback ? -EINPROGRESS : 0;
      }
      default:
        engine.bits &= ~ENGINE_STOP;
        if (action !== UTRACE_RESUME) this.requestResume(task, u, action);
        if (action === UTRACE_INTERRUPT && !u.stopped) this.host.interrupt(task);
        if (u.stopped) this.reset(task, u);
        return 0;
    }
  }

  /** Records a resume request (the most urgent wins) and makes sure the task will act on it. */
  private requestResume(task: Task, u: TaskUtrace, action: number): void {
    this.lowerResume(task, u, action);
    this.host.notifyResume(task);
  }

  /**
   * The only ways utrace makes work for the resume point besides an attach and a handler note: a
   * pending resume request lowered to a more urgent one, and an engine holding a stop. Each sets
   * the task's utraceResumeWork, without which the return to user mode does not ask (quietResume).
   */
  private lowerResume(task: Task, u: TaskUtrace, action: number): void {
    if (action < u.resume) {
      u.resume = action;
      task.utraceResumeWork = true;
    }
  }

  private holdStop<D>(task: Task, e: Engine<D>): void {
    e.bits |= ENGINE_STOP;
    task.utraceFlags |= ENGINE_STOP;
    task.utraceResumeWork = true;
  }

  // ======================= barrier and examine (§6.5, §6.6) =======================

  async barrier<D>(task: Task, engine: Engine<D>): Promise<number> {
    if (task === this.currentTask) return 0;
    for (;;) {
      if (engine.ops === null) return -ESRCH;
      const u = task.utrace;
      const busy = engine.ops === (DETACHED_OPS as EngineOps<unknown>) || (u !== null && u.reporting === engine);
      if (!busy) return 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private readonly examined = new WeakMap<object, number>();

  prepareExamine<D>(task: Task, engine: Engine<D>): number {
    if (task === this.currentTask) return 0;
    if (!engine.holdsStop) return -EINVAL;
    if (this.host.isDead(task)) return -ESRCH;
    const u = task.utrace;
    if (!u || !u.stopped) return -EAGAIN;
    this.examined.set(engine, u.stopGeneration);
    return 0;
  }

  finishExamine<D>(task: Task, engine: Engine<D>): number {
    if (task === this.currentTask) return 0;
    if (!engine.holdsStop) return -EINVAL;
    const u = task.utrace;
    if (!u || !u.stopped || this.examined.get(engine) !== u.stopGeneration) return -EAGAIN;
    return 0;
  }

  // ======================= guest memory a syscall wrote (rvtrace's extension) =======================

  /**
   * Asks the kernel to log the guest memory each syscall of `task` writes, for syscallWrites() at
   * this engine's syscall-exit reports (record and replay). 0, or -ESRCH for a detached engine.
   */
  setSyscallWriteLog<D>(task: Task, engine: Engine<D>, on: boolean): number {
    const u = task.utrace;
    if (!u || !engine.live || engine.task !== task || u.reap) return -ESRCH;
    engine.logsSyscallWrites = on;
    if (on) this.writeLogAsked = true;
    return 0;
  }

  /** Some engine has asked for the write log at some time: until then no syscall looks for one. */
  private writeLogAsked = false;

  /** Whether a live engine of `task` wants the write log (the kernel asks as each syscall starts). */
  wantsSyscallWrites(task: Task): boolean {
    return this.writeLogAsked && this.anyLogsWrites(task);
  }

  private anyLogsWrites(task: Task): boolean {
    const u = task.utrace;
    if (!u) return false;
    for (const e of u.attached) if (e.live && e.logsSyscallWrites) return true;
    for (const e of u.attaching) if (e.live && e.logsSyscallWrites) return true;
    return false;
  }

  /**
   * During a syscall-exit report: the guest memory the kernel wrote while this syscall ran, as
   * sorted, disjoint runs with the bytes they hold now. Empty when no engine asked for the log when
   * the syscall started, or when it was aborted.
   */
  syscallWrites(task: Task): SyscallWrite[] {
    const log = task.syscallWriteLog;
    return log ? collectWrites(task.mem, log) : [];
  }

  /**
   * Writes runs into the task's memory with the kernel's rights (no page-protection check; every
   * page must be mapped, else a GuestFault and nothing written): what a replayed syscall wrote.
   */
  pokeSyscallWrites(task: Task, writes: readonly SyscallWrite[]): void {
    pokeWrites(task.mem, writes);
  }

  // ======================= passes (§5) =======================

  /** The Regs view of a task (one per task). */
  regsOf(task: Task): Regs {
    return (task.utraceRegs ??= new Regs(task));
  }

  private splice(u: TaskUtrace): void {
    if (u.attaching.length > 0) {
      u.attached.push(...u.attaching);
      u.attaching = [];
    }
  }

  /**
   * Runs one callback of engine e with `reporting` set, catching a throwing engine: it is detached
   * and named in one line of diagnostics, and the pass goes on. A non-number return keeps
   * `fallback`. The callback's arguments besides `action` are in `this.args` (no closures, no
   * allocation on the syscall path).
   */
  private invoke(task: Task, u: TaskUtrace, e: Engine, kind: Kind, action: number, fallback: number): number {
    const ops = e.ops as EngineOps<unknown>;
    const a = this.args;
    const prevReporting = u.reporting;
    const prevCurrent = this.currentTask;
    u.reporting = e;
    this.currentTask = task;
    try {
      let r: number | void;
      switch (kind) {
        case Kind.Quiesce:
          r = ops.reportQuiesce ? ops.reportQuiesce(action, e, a.event) : UTRACE_RESUME;
          break;
        case Kind.SyscallEntry:
          r = ops.reportSyscallEntry ? ops.reportSyscallEntry(action, e, a.regs!) : fallback;
          break;
        case Kind.SyscallExit:
          r = ops.reportSyscallExit ? ops.reportSyscallExit(action, e, a.regs!) : fallback;
          break;
        case Kind.Exec:
          r = ops.reportExec ? ops.reportExec(action, e, a.exec!, a.regs!) : fallback;
          break;
        case Kind.Clone:
          r = ops.reportClone ? ops.reportClone(action, e, a.cloneFlags, a.child!) : fallback;
          break;
        case Kind.Exit:
          r = ops.reportExit ? ops.reportExit(action, e, a.origCode, a.code!) : fallback;
          break;
        case Kind.Death:
          r = ops.reportDeath ? ops.reportDeath(e, a.groupDead, a.signal) : fallback;
          break;
        case Kind.Signal:
          r = ops.reportSignal ? ops.reportSignal(action, e, a.regs!, a.info!, a.origKa, a.returnKa!) : fallback;
          break;
        case Kind.Reap:
          ops.reportReap?.(e, task);
          r = fallback;
          break;
        case Kind.Jctl:
          r = ops.reportJctl ? ops.reportJctl(action, e, a.jctlType, a.jctlNotify) : fallback;
          break;
      }
      return typeof r === "number" && Number.isInteger(r) ? r : fallback;
    } catch (x) {
      return this.threw(e, kind, x, fallback);
    } finally {
      u.reporting = prevReporting;
      this.currentTask = prevCurrent;
    }
  }

  /** A callback threw: one line of diagnostics, and the return value that detaches the engine. */
  private threw(e: Engine, kind: Kind, x: unknown, fallback: number): number {
    const msg = x instanceof Error ? x.message : String(x);
    this.host.diagnostics(`rvtrace: engine ${e.name} threw in ${KIND_NAMES[kind]}: ${msg.split("\n")[0]} (detached)`);
    return (fallback & ~7) | UTRACE_DETACH;
  }

  /** finish_callback: applies a callback's return value. Returns true if the engine detached. */
  private apply(task: Task, u: TaskUtrace, p: Pass, e: Engine, r: number, isQuiesce: boolean): boolean {
    if (!isQuiesce) p.result = r & ~7;
    const a = r & 7;
    if (a === UTRACE_DETACH || !e.live) {
      e.markDetached();
      p.detaches = true;
      return true;
    }
    const act = a >= UTRACE_RESUME_MAX ? UTRACE_RESUME : a;
    if (act < p.action) p.action = act;
    if (act !== UTRACE_STOP) {
      if (act < p.resumeAction) p.resumeAction = act;
      e.bits &= ~ENGINE_STOP;
    } else {
      this.holdStop(task, e);
    }
    return false;
  }

  /**
   * The quiesce step of start_callback: calls report_quiesce for QUIESCE engines (and the detached
   * sentinel). Returns the engine's wanted events afterwards, or -1 if it detached or the pass
   * is a pure resume report.
   */
  private quiesce(task: Task, u: TaskUtrace, p: Pass, e: Engine, event: number, carry = 0): number {
    let want = e.bits;
    const sentinel = e.ops === (DETACHED_OPS as EngineOps<unknown>);
    if (sentinel || want & UTRACE_EVENT.QUIESCE) {
      p.spurious = false;
      this.args.event = event;
      const r = sentinel ? UTRACE_DETACH : this.invoke(task, u, e, Kind.Quiesce, p.action, UTRACE_RESUME);
      if (this.apply(task, u, p, e, (r & 7) | carry, true)) return -1;
      if (event === 0) return -1;
      want = e.bits;
    }
    if (want & ENGINE_STOP) p.action = UTRACE_STOP;
    return want;
  }

  /**
   * Walks the engines for one event, oldest first: quiesce, then the event callback (kind) for those
   * that want it; Kind.Quiesce alone makes a pure resume report. (Syscall passes, the only ones
   * that go newest first or carry UTRACE_SYSCALL_RESUMED, are syscallPass.)
   */
  private pass(task: Task, u: TaskUtrace, p: Pass, event: number, kind: Kind): void {
    const list = u.attached;
    const n = list.length;
    for (let i = 0; i < n; i++) this.step(task, u, p, list[i], event, kind, 0);
  }

  /** One engine's turn in a pass (start_callback, the event callback, finish_callback). */
  private step(task: Task, u: TaskUtrace, p: Pass, e: Engine | undefined, event: number, kind: Kind, extraBits: number): void {
    if (e === undefined || e.ops === null) return;
    // The common engine (live, no QUIESCE) needs no quiesce step.
    let want = e.bits;
    if (want & UTRACE_EVENT.QUIESCE || e.ops === (DETACHED_OPS as EngineOps<unknown>)) want = this.quiesce(task, u, p, e, event);
    else if (want & ENGINE_STOP) p.action = UTRACE_STOP;
    if (want < 0 || kind === Kind.Quiesce || !(want & event)) return;
    p.spurious = false;
    // Only syscall entry passes the previous engine's event bits on (§4.4); others get resume bits.
    const action = kind === Kind.SyscallEntry ? extraBits | p.result | p.action : p.action;
    const r = this.invoke(task, u, e, kind, action, p.result | UTRACE_RESUME);
    this.apply(task, u, p, e, r, false);
  }

  /**
   * The syscall entry (newest first) or exit pass: what pass() and step() do, with the common engine
   * (live, without QUIESCE, holding no stop) handled in line, as every observed syscall makes two
   * of these passes: its callback is called here, and a plain RESUME needs none of apply()'s
   * bookkeeping. Every other engine, and every other return, takes the general step and apply().
   * `reporting` names each engine while its callback runs and the task is "current" for the whole
   * pass; both are put back once, at its end (between callbacks only this code runs, which never
   * looks at them). `from`: the walk's first step (observe() hands over the rest of a pass).
   */
  private syscallPass(task: Task, u: TaskUtrace, p: Pass, entry: boolean, extraBits: number, from = 0): void {
    const list = u.attached;
    const n = list.length;
    const event = entry ? H.SYSCALL_ENTRY : H.SYSCALL_EXIT;
    const regs = this.args.regs!;
    const prevReporting = u.reporting;
    const prevCurrent = this.currentTask;
    this.currentTask = task;
    for (let i = from; i < n; i++) {
      const e = list[entry ? n - 1 - i : i];
      if (e === undefined) continue;
      const ops = e.ops;
      const want = e.bits;
      // The detached sentinel's bits are QUIESCE (markDetached), so it takes the general step too.
      if (want & (H.QUIESCE | H.ENGINE_STOP) || ops === null) {
        this.step(task, u, p, e, event, entry ? Kind.SyscallEntry : Kind.SyscallExit, extraBits);
        continue;
      }
      if (!(want & event)) continue;
      p.spurious = false;
      const fallback = p.result | H.RESUME;
      let r: number = fallback;
      if (entry ? ops.reportSyscallEntry : ops.reportSyscallExit) {
        u.reporting = e;
        try {
          const v = entry
            ? ops.reportSyscallEntry!(extraBits | p.result | p.action, e, regs)
            : ops.reportSyscallExit!(p.action, e, regs);
          if (typeof v === "number" && Number.isInteger(v)) r = v;
        } catch (x) {
          // As invoke(): a throwing engine is detached, and the pass goes on.
          r = this.threw(e, entry ? Kind.SyscallEntry : Kind.SyscallExit, x, fallback);
        }
      }
      if ((r & 7) === H.RESUME && e.ops === ops) {
        // apply() for a live engine's RESUME: the result bits, and its own stop released.
        p.result = r & ~7;
        e.bits &= ~H.ENGINE_STOP;
      } else {
        this.apply(task, u, p, e, r, false);
      }
    }
    u.reporting = prevReporting;
    this.currentTask = prevCurrent;
  }

  /**
   * The first syscall entry pass or an exit pass while the engines are plain observers (live, without
   * QUIESCE, holding no stop) that return RESUME, as when a tracer only watches: syscallPass's in-line
   * case, with the pass in locals (its action is RESUME throughout, with the syscall bits at entry) and
   * neither the pass object nor this.args touched. Returns the syscall bits the pass ended with. At
   * the first engine or return that is not like that (or if no callback was made: a spurious pass
   * resets), the pass object is filled in as syscallPass would have left it so far, syscallPass goes
   * on from there, and the result is -1: the caller ends the pass from this.scratch. Callers make
   * sure that no resume work is pending (task.utraceResumeWork clear: nothing to splice in, no
   * request to take first, no stop held).
   */
  private observe(task: Task, u: TaskUtrace, entry: boolean): number {
    const list = u.attached;
    const n = list.length;
    const event = entry ? H.SYSCALL_ENTRY : H.SYSCALL_EXIT;
    const regs = task.utraceRegs ?? this.regsOf(task);
    const prevReporting = u.reporting;
    const prevCurrent = this.currentTask;
    this.currentTask = task;
    let result = 0;
    let called = false;
    // A return the common case does not cover, from the engine at step i, for apply().
    let odd = false;
    let r = 0;
    let i = 0;
    for (; i < n; i++) {
      const e = list[entry ? n - 1 - i : i];
      if (e === undefined) continue;
      const ops = e.ops;
      const want = e.bits;
      if (want & (H.QUIESCE | H.ENGINE_STOP) || ops === null) break;
      if (!(want & event)) continue;
      called = true;
      u.reporting = e;
      try {
        // An engine without the callback returns RESUME with the bits it was given, as does one that
        // returns no integer. (An optional call tests the method for undefined only; a truth test
        // would read its map, a cache miss on every syscall in the bench.)
        const v = entry ? ops.reportSyscallEntry?.(result | H.RESUME, e, regs) : ops.reportSyscallExit?.(H.RESUME, e, regs);
        r = typeof v === "number" && Number.isInteger(v) ? v : result | H.RESUME;
      } catch (x) {
        r = this.threw(e, entry ? Kind.SyscallEntry : Kind.SyscallExit, x, result | H.RESUME);
      }
      if ((r & 7) !== H.RESUME || e.ops !== ops) {
        odd = true;
        break;
      }
      result = r & ~7;
      // A stop asked for during its own callback is released by its RESUME, as apply() does.
      e.bits &= ~H.ENGINE_STOP;
    }
    if (i < n || !called) {
      this.handOver(task, u, entry, i, result, called, odd, r);
      result = -1;
    }
    u.reporting = prevReporting;
    this.currentTask = prevCurrent;
    return result;
  }

  /**
   * observe() met an engine or a return it does not cover at step i (with `odd`, the return r of
   * that step's callback), or made no callback: the pass object takes the pass so far, and the
   * general walk goes on. Out of line, so that observe() stays small enough for V8 to inline.
   */
  private handOver(
    task: Task, u: TaskUtrace, entry: boolean, i: number, result: number, called: boolean, odd: boolean, r: number,
  ): void {
    const p = this.scratch;
    p.action = H.RESUME;
    p.resumeAction = H.RESUME;
    p.result = result;
    p.detaches = false;
    p.spurious = !called;
    this.args.regs = this.regsOf(task);
    const list = u.attached;
    if (odd) this.apply(task, u, p, list[entry ? list.length - 1 - i : i], r, false);
    this.syscallPass(task, u, p, entry, 0, odd ? i + 1 : i);
  }

  /** finish_report: a STOP at a deferred-stop site becomes a REPORT request; reset when needed. */
  private finishReport(task: Task, u: TaskUtrace, p: Pass, willNotStop: boolean): void {
    let action = p.action;
    if (action === UTRACE_STOP && willNotStop) action = UTRACE_REPORT;
    if (action !== UTRACE_STOP && action < u.resume) this.requestResume(task, u, action);
    if (p.spurious || p.detaches) this.reset(task, u);
  }

  /** utrace_reset: unlinks detached engines, recomputes flags, wakes the task if nobody holds it. */
  reset(task: Task, u: TaskUtrace): void {
    const dead = this.host.isDead(task);
    let flags = 0;
    const keep: Engine[] = [];
    for (const e of u.attached) {
      if (!e.live) {
        e.ops = null;
        e.bits = 0;
        e.put();
        continue;
      }
      keep.push(e);
      flags |= e.bits;
    }
    u.attached = keep;
    const waiting: Engine[] = [];
    for (const e of u.attaching) {
      if (!e.live) {
        e.ops = null;
        e.bits = 0;
        e.put();
        continue;
      }
      waiting.push(e);
      flags |= e.bits;
    }
    u.attaching = waiting;
    const anyEngine = keep.length > 0 || u.attaching.length > 0;
    if (anyEngine) flags |= UTRACE_EVENT.REAP;
    if (dead) flags &= UTRACE_EVENT.REAP | (u.death ? 0 : DEATH_EVENTS);
    if (!anyEngine) {
      u.resume = UTRACE_RESUME;
      u.signalHandler = false;
    }
    task.utraceFlags = flags;
    if (u.stopped && !(flags & ENGINE_STOP)) {
      u.stopped = false;
      if (u.resume === UTRACE_RESUME) this.host.setStepping(task, 0);
      this.host.unpark(task);
    }
  }

  /** utrace_stop: stops the task unless nobody holds a stop any more or SIGKILL is pending. */
  private stop(task: Task, u: TaskUtrace, resumeAction: number): boolean {
    this.lowerResume(task, u, resumeAction);
    if (!(task.utraceFlags & ENGINE_STOP) || !this.anyHolds(u)) {
      this.reset(task, u);
      if (!this.anyHolds(u)) return false;
    }
    if (this.host.isKilled(task)) return false;
    u.stopped = true;
    u.stopGeneration++;
    this.host.park(task);
    return true;
  }

  private anyHolds(u: TaskUtrace): boolean {
    return u.attached.some((e) => e.live && e.holdsStop) || u.attaching.some((e) => e.live && e.holdsStop);
  }

  /** Forgets the utrace stop of a task that SIGKILL is ending (§6.4): nothing holds it now. */
  killed(task: Task): void {
    const u = task.utrace;
    if (u) u.entryStopped = false;
    if (u && u.stopped) {
      u.stopped = false;
      this.host.unpark(task);
    }
  }

  // ======================= event reports (§7, §8) =======================

  /** A fresh pass; the scratch object is reused (passes never nest: callbacks cannot start one). */
  private begin(u: TaskUtrace): Pass {
    const p = this.scratch;
    p.action = H.RESUME;
    p.resumeAction = H.RESUME;
    p.result = 0;
    p.detaches = false;
    p.spurious = true;
    this.splice(u);
    return p;
  }

  /**
   * Syscall entry (§8): newest-first passes, repeated with UTRACE_SYSCALL_RESUMED while passes stop
   * and someone asked for another look. Returns "stopped" (the task parked; call again when it
   * runs), or whether to run the syscall.
   */
  reportSyscallEntry(task: Task): typeof STOPPED | "run" | "abort" {
    const u = task.utrace!;
    // The common case: not resumed from a stop here, no resume work pending, engines that observe.
    if (!u.entryStopped && !task.utraceResumeWork) {
      const bits = this.observe(task, u, true);
      if (bits >= 0) return entryDecision(bits);
      return this.entryPasses(task, u, this.scratch);
    }
    return this.entryPasses(task, u, null);
  }

  /** reportSyscallEntry's general case; `first`: the first pass, already made by observe(). */
  private entryPasses(task: Task, u: TaskUtrace, first: Pass | null): typeof STOPPED | "run" | "abort" {
    let flags = 0;
    let result = 0;
    if (!first && u.entryStopped) {
      // Called again after the stop: a repeat pass only if someone asked for another look.
      u.entryStopped = false;
      result = u.entryResult;
      if (this.host.isKilled(task)) return "abort";
      if (u.resume !== UTRACE_INTERRUPT && u.resume !== UTRACE_REPORT) return entryDecision(result);
      flags = UTRACE_SYSCALL_RESUMED;
    }
    this.args.regs = this.regsOf(task);
    for (;;) {
      let p: Pass;
      if (first) {
        p = first;
        first = null;
      } else {
        p = this.begin(u);
        p.result = result;
        if (u.resume === H.REPORT) u.resume = H.RESUME;
        this.syscallPass(task, u, p, true, flags);
      }
      // Everyone said RESUME: finishReport has nothing to do (RESUME is never more urgent than a
      // pending request), and nothing stops.
      if (p.action === H.RESUME && !p.spurious && !p.detaches) return entryDecision(p.result);
      this.finishReport(task, u, p, false);
      result = p.result;
      if (p.action !== UTRACE_STOP) break;
      const resumeAction = p.resumeAction;
      if (this.stop(task, u, resumeAction)) {
        u.entryStopped = true;
        u.entryResult = result;
        return STOPPED;
      }
      if (this.host.isKilled(task)) return "abort";
      if (u.resume !== UTRACE_INTERRUPT && u.resume !== UTRACE_REPORT) break;
      flags = UTRACE_SYSCALL_RESUMED;
    }
    return entryDecision(result);
  }

  /** Syscall exit: attach order; a STOP takes effect at the resume point. */
  reportSyscallExit(task: Task): void {
    const u = task.utrace!;
    let p: Pass;
    if (!task.utraceResumeWork) {
      if (this.observe(task, u, false) >= 0) return;
      p = this.scratch;
    } else {
      this.args.regs = this.regsOf(task);
      p = this.begin(u);
      this.syscallPass(task, u, p, false, 0);
    }
    if (p.action !== H.RESUME || p.spurious || p.detaches) this.finishReport(task, u, p, true);
  }

  /** Exec: after the new image is in place; a STOP takes effect at the resume point. */
  reportExec(task: Task, exec: ExecInfo): void {
    const u = task.utrace!;
    this.args.regs = this.regsOf(task);
    this.args.exec = exec;
    const p = this.begin(u);
    this.pass(task, u, p, UTRACE_EVENT.EXEC, Kind.Exec);
    this.finishReport(task, u, p, true);
  }

  /** Clone, in the parent before the child can run; a STOP takes effect at the parent's resume point. */
  reportClone(task: Task, cloneFlags: number, child: Task): typeof STOPPED | void {
    const u = task.utrace!;
    this.args.cloneFlags = cloneFlags;
    this.args.child = child;
    const p = this.begin(u);
    this.pass(task, u, p, UTRACE_EVENT.CLONE, Kind.Clone);
    if (cloneFlags & CLONE_VFORK && p.action === UTRACE_STOP) {
      // §7: a vfork parent stops now, before its wait for the child, which would come too late.
      // A resume request pending in u.resume (a REPORT) stays for after the stop (§A.3).
      this.finishReport(task, u, p, false);
      return this.stop(task, u, p.resumeAction) ? STOPPED : undefined;
    }
    this.finishReport(task, u, p, true);
  }

  /**
   * Job control (§7 JCTL): the task's process stops (type CLD_STOPPED) or continues (CLD_CONTINUED);
   * notify is the si_code of the SIGCHLD its parent gets, or 0. A STOP takes effect at the resume point.
   */
  reportJctl(task: Task, type: number, notify: number): void {
    const u = task.utrace!;
    this.args.jctlType = type;
    this.args.jctlNotify = notify;
    const p = this.begin(u);
    this.pass(task, u, p, UTRACE_EVENT.JCTL, Kind.Jctl);
    this.finishReport(task, u, p, true);
  }

  /**
   * Exit start: engines may rewrite the code; a STOP holds the dying thread here (not if SIGKILL is
   * pending). Returns "stopped", or the (possibly rewritten) code.
   */
  reportExit(task: Task, code: number): typeof STOPPED | number {
    const u = task.utrace!;
    if (u.exitReport) {
      const c = u.exitReport.code.value;
      u.exitReport = null;
      return c;
    }
    const box = { value: code };
    this.args.origCode = code;
    this.args.code = box;
    const p = this.begin(u);
    this.pass(task, u, p, UTRACE_EVENT.EXIT, Kind.Exit);
    this.finishReport(task, u, p, false);
    if (p.action === UTRACE_STOP && !this.host.isKilled(task)) {
      u.exitReport = { orig: code, code: box };
      if (this.stop(task, u, p.resumeAction)) return STOPPED;
      u.exitReport = null;
    }
    return box.value;
  }

  /** Death: the task is dead; only DETACH means anything in the return. */
  reportDeath(task: Task, groupDead: boolean, signal: number): void {
    const u = task.utrace;
    if (!u || !(task.utraceFlags & DEATH_EVENTS)) return;
    u.resume = UTRACE_RESUME;
    u.death = true;
    this.args.groupDead = groupDead;
    this.args.signal = signal;
    const p = this.begin(u);
    const list = u.attached;
    for (let i = 0, n = list.length; i < n; i++) {
      const e = list[i];
      if (e.ops === null) continue;
      const want = this.quiesce(task, u, p, e, UTRACE_EVENT.DEATH);
      if (want < 0 || !(want & UTRACE_EVENT.DEATH)) continue;
      const r = this.invoke(task, u, e, Kind.Death, 0, UTRACE_RESUME);
      if ((r & 7) === UTRACE_DETACH) {
        e.markDetached();
        p.detaches = true;
      }
    }
    this.reset(task, u);
  }

  /** Reap: the last callback; every engine is detached afterwards and its attachment ref dropped. */
  reportReap(task: Task): void {
    const u = task.utrace;
    if (!u || u.reap) return;
    u.reap = true;
    task.utraceFlags = 0;
    const engines = [...u.attached, ...u.attaching];
    u.attached = [];
    u.attaching = [];
    for (const e of engines) {
      if (e.live && e.bits & UTRACE_EVENT.REAP) this.invoke(task, u, e, Kind.Reap, 0, UTRACE_RESUME);
      if (e.ops !== null) {
        e.ops = null;
        e.bits = 0;
        e.put();
      }
    }
  }

  // ======================= the resume point and the signal path (§5.4) =======================

  /**
   * The notify-resume part of the return to user mode: takes a pending REPORT (or step) and makes
   * the resume report, stopping if any engine holds a stop (Part A.3). If the task is heading into
   * the signal path anyway (`signalPath`), the report is left to reportSignal's REPORT pass.
   */
  resumePoint(task: Task, signalPath: boolean): typeof STOPPED | "go" {
    const u = task.utrace;
    if (!u || this.quietResume(task)) return "go";
    for (;;) {
      const r = u.resume;
      const holds = (task.utraceFlags & ENGINE_STOP) !== 0 && this.anyHolds(u);
      if (r === UTRACE_RESUME && !holds) {
        // Nothing asked for: newly attached engines are spliced in, a handler note is dropped.
        this.splice(u);
        u.signalHandler = false;
        return "go";
      }
      if (r === UTRACE_INTERRUPT || (signalPath && !holds)) return "go";
      u.resume = UTRACE_RESUME;
      if ((r === UTRACE_SINGLESTEP || r === UTRACE_BLOCKSTEP) && !holds) {
        this.host.setStepping(task, r);
        return "go";
      }
      const p = this.begin(u);
      this.pass(task, u, p, 0, Kind.Quiesce);
      if (p.spurious || p.detaches) this.reset(task, u);
      if (p.action === UTRACE_STOP) {
        if (this.stop(task, u, p.resumeAction)) return STOPPED;
        continue;
      }
      this.applyResume(task, u, p.action === UTRACE_RESUME ? r : p.action);
      return "go";
    }
  }

  /**
   * True when the resume point has nothing to do for the task: no request pending, no stop held,
   * no engine waiting to be spliced in. The handler note is dropped, as resumePoint() does then,
   * and task.utraceResumeWork is cleared: the kernel asks this only while that is set, and first,
   * so that it works out whether the task heads into the signal path only when there is a report
   * to make.
   */
  quietResume(task: Task): boolean {
    const u = task.utrace;
    if (u && (u.resume !== H.RESUME || task.utraceFlags & H.ENGINE_STOP || u.attaching.length !== 0)) return false;
    if (u) u.signalHandler = false;
    task.utraceResumeWork = false;
    return true;
  }

  private applyResume(task: Task, u: TaskUtrace, action: number): void {
    if (action === UTRACE_INTERRUPT) this.lowerResume(task, u, UTRACE_INTERRUPT);
    else if (action === UTRACE_SINGLESTEP || action === UTRACE_BLOCKSTEP) this.host.setStepping(task, action);
    else this.host.setStepping(task, 0);
  }

  /**
   * True when the signal path has a utrace report to make before dequeuing (utrace_get_signal):
   * someone asked for REPORT or INTERRUPT. A pending attach or a handler note alone makes none.
   */
  wantsSignalReport(task: Task): boolean {
    const u = task.utrace;
    return !!u && u.resume <= UTRACE_REPORT;
  }

  /**
   * A pending SINGLESTEP/BLOCKSTEP the signal path must apply without a report (utrace_get_signal
   * handles resume > REPORT this way): a task resumed with a step from a stop in the signal path,
   * or one heading there with a signal, would otherwise run on unstepped. Returns 0 when none.
   */
  takeStepRequest(task: Task): number {
    const u = task.utrace;
    if (!u || (u.resume !== UTRACE_SINGLESTEP && u.resume !== UTRACE_BLOCKSTEP)) return 0;
    const r = u.resume;
    u.resume = UTRACE_RESUME;
    return r;
  }

  /** True when an INTERRUPT is pending: the task must go through the signal path. */
  interruptPending(task: Task): boolean {
    return task.utrace?.resume === UTRACE_INTERRUPT;
  }

  /**
   * A signal-path pass. For a real signal, `info` and `origKa` describe it and `natural` is its
   * disposition; for a REPORT/HANDLER pass `origKa` is null and `natural` is UTRACE_SIGNAL_REPORT
   * or UTRACE_SIGNAL_HANDLER. Engines may rewrite `info` and `returnKa`. Returns the final
   * disposition (with HOLD), or "stopped" when the task parked (call again when it runs: the
   * REPORT pass that follows sees the same `info`).
   */
  reportSignal(
    task: Task, info: UtraceSigInfo, origKa: KSigAction | null, returnKa: KSigAction, natural: number, event: number,
  ): typeof STOPPED | number {
    const u = task.utrace!;
    const a = this.args;
    a.regs = this.regsOf(task);
    a.info = info;
    a.origKa = origKa;
    a.returnKa = returnKa;
    a.event = event;
    const p = this.begin(u);
    p.result = natural;
    const isReport = origKa === null;
    const list = u.attached;
    for (let i = 0, n = list.length; i < n; i++) {
      const e = list[i];
      if (e.ops === null) continue;
      const ops = e.ops;
      const sentinel = ops === (DETACHED_OPS as EngineOps<unknown>);
      let want = e.bits;
      const quiesce = (want & UTRACE_EVENT.QUIESCE) !== 0;
      if (sentinel || (quiesce && !ops.reportSignal)) {
        // No report_signal: report_quiesce, carrying the disposition through (§3 notes).
        const carried = p.result;
        p.spurious = false;
        const r = sentinel ? UTRACE_DETACH : this.invoke(task, u, e, Kind.Quiesce, p.action, UTRACE_RESUME);
        if (this.apply(task, u, p, e, (r & 7) | carried, false)) continue;
        want = e.bits;
        if (want & ENGINE_STOP) p.action = UTRACE_STOP;
        continue;
      }
      if (want & ENGINE_STOP) p.action = UTRACE_STOP;
      if (!ops.reportSignal || !(quiesce || (!isReport && want & event))) continue;
      p.spurious = false;
      const r = this.invoke(task, u, e, Kind.Signal, p.action | p.result, p.result | UTRACE_RESUME);
      // REPORT and INTERRUPT from the signal path are downgraded to RESUME (no livelock).
      let act = r & 7;
      if (act === UTRACE_REPORT || act === UTRACE_INTERRUPT) act = UTRACE_RESUME;
      this.apply(task, u, p, e, (r & ~7) | act, false);
    }
    if (p.spurious || p.detaches) this.reset(task, u);
    const disposition = p.result & (UTRACE_SIGNAL_MASK | UTRACE_SIGNAL_HOLD);
    if (p.action === UTRACE_STOP) {
      const sig = disposition & UTRACE_SIGNAL_MASK;
      const deliverIgnored = sig === UTRACE_SIGNAL_DELIVER && this.host.signalIgnored(info.signo, returnKa.handler);
      const stopsHere =
        sig === UTRACE_SIGNAL_IGN || sig === UTRACE_SIGNAL_REPORT || sig === UTRACE_SIGNAL_HANDLER || deliverIgnored;
      if (stopsHere) {
        u.lastSignal = info;
        if (this.stop(task, u, p.resumeAction)) return STOPPED;
      } else {
        // A handler will run: stop at the HANDLER report after the frame is set up.
        this.requestResume(task, u, UTRACE_INTERRUPT);
      }
    } else {
      this.applyResume(task, u, p.action);
    }
    return disposition;
  }

  /** Takes the pending resume request for a REPORT/HANDLER signal pass. */
  takeSignalReport(task: Task): { natural: number; step: number } {
    const u = task.utrace!;
    const r = u.resume;
    u.resume = UTRACE_RESUME;
    const natural = u.signalHandler ? UTRACE_SIGNAL_HANDLER : UTRACE_SIGNAL_REPORT;
    u.signalHandler = false;
    return { natural, step: r === UTRACE_SINGLESTEP || r === UTRACE_BLOCKSTEP ? r : 0 };
  }

  /**
   * The kernel set up a handler frame: a signal-path report made now is a HANDLER report (§7).
   * It is made only if someone asks (a STOP in the signal pass became INTERRUPT), or always while
   * single-stepping, so the step does not run the handler's first instruction unseen.
   */
  handlerSetUp(task: Task, stepping: boolean): void {
    const u = task.utrace;
    if (!u || u.attached.length === 0) return;
    u.signalHandler = true;
    task.utraceResumeWork = true;
    if (stepping) this.requestResume(task, u, UTRACE_INTERRUPT);
  }

  /** The signal the last stopped signal pass saw, for REPORT passes after it (§3 notes). */
  lastSignal(task: Task): UtraceSigInfo | null {
    return task.utrace?.lastSignal ?? null;
  }

  /** True when an engine wants to see signals of this kind (the SIGNAL_* bit) or has QUIESCE. */
  wantsSignal(task: Task, event: number): boolean {
    return (task.utraceFlags & (event | UTRACE_EVENT.QUIESCE)) !== 0;
  }
}

function err(errno: number): UtraceError {
  return new UtraceError(errno, ERRNO_NAMES[errno] ?? `errno ${errno}`);
}
