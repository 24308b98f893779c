// The emulated Linux kernel: processes, tasks, the scheduler and the trap boundary (ecall, faults).
//
// One JavaScript thread runs every guest task in quanta of instructions, in a deterministic
// round-robin order. A task parked on a wait queue is simply not in the run queue; when nothing is
// runnable the scheduler awaits the event loop (stdin data, a timer) until something wakes a task.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { Exit, BUS_ADRALN, StepMode } from "../cpu/hart.js";
import { run } from "../cpu/interp.js";
import { AddressSpace, GuestFault, PROT_EXEC, PROT_READ } from "../mem/address-space.js";
import { parseElf, loadElf, buildInitialStack, ElfError } from "../elf/index.js";
import { Process, type ExitStatus } from "./process.js";
import { Task, Phase } from "./task.js";
import { FdTable } from "./fd-table.js";
import { Vfs } from "./vfs/index.js";
import { fillRandom } from "./host/random.js";
import { isTerminal } from "./host/tty.js";
import { Blocked, ERESTARTNOHAND, ERESTARTNOINTR, ERESTARTSYS, ERESTART_RESTARTBLOCK } from "./wait-queue.js";
import { NO_RETURN, KEEP_REGS, type SyscallRow } from "./syscalls/types.js";
import { syscallTable } from "./syscalls/table.js";
import { GUEST_UID, GUEST_GID } from "./syscalls/process.js";
import { E } from "../abi/gen/errno.js";
import {
  SIGSEGV, SIGILL, SIGTRAP, SIGBUS, SIGXCPU, SIGKILL, SIGSTOP, SIGCHLD, ILL_ILLOPC, TRAP_BRKPT, TRAP_TRACE, TRAP_BRANCH,
  defaultAction, SIG_IGN, SIG_DFL, SA_RESTART, SA_NODEFER, SA_RESETHAND,
} from "../abi/signals.js";
import { sigbit, type SignalInfo } from "./signals.js";
import { Utrace, STOPPED, type UtraceHost } from "../utrace/utrace.js";
import type { KSigAction, UtraceSigInfo } from "../utrace/types.js";
import {
  UTRACE_EVENT, DEATH_EVENTS, UTRACE_SINGLESTEP, UTRACE_BLOCKSTEP, UTRACE_SIGNAL_MASK, UTRACE_SIGNAL_DELIVER,
  UTRACE_SIGNAL_IGN, UTRACE_SIGNAL_TERM, UTRACE_SIGNAL_CORE, UTRACE_SIGNAL_STOP, UTRACE_SIGNAL_TSTP, UTRACE_SIGNAL_HOLD,
} from "../utrace/constants.js";
import { setupFrame, SIGRETURN_TRAMPOLINE, TRAMPOLINE_CODE } from "./signal-frame.js";

/** A directory or file of the host made visible to the guest. */
export interface Mount {
  host: string;
  guest: string;
  readOnly: boolean;
}

export interface KernelOptions {
  /** Host directory the guest sees as its working directory (at the same path). Default: process.cwd(). */
  cwd?: string;
  /** Extra mounts besides the working directory and the program file. */
  mounts?: Mount[];
  /** Kill the guest with SIGXCPU after this many instructions. */
  maxInsns?: number;
  /** Where rvtrace's own diagnostics go (internal errors). Default: process.stderr. */
  diagnostics?: Writable;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Guest working directory; default: the kernel's cwd. */
  cwd?: string;
  /** The guest's standard streams: Node streams, or "inherit" (the default): rvtrace's own fds. */
  stdin?: Readable | "inherit";
  stdout?: Writable | "inherit";
  stderr?: Writable | "inherit";
}

/** A spawn that could not start: the message is one line for a person. */
export class SpawnError extends Error {}

/** Instructions a task runs before the scheduler moves on. */
const QUANTUM = 2_000_000;
const FIRST_PID = 1000;

export class Kernel implements UtraceHost {
  readonly options: KernelOptions;
  readonly processes = new Map<number, Process>();
  readonly tasks = new Map<number, Task>();
  /** Syscall numbers met that rvtrace does not implement (for --verbose). */
  readonly unimplemented = new Map<number, number>();
  /** The file system the guests see. Set up at the first spawn. */
  vfs!: Vfs;
  /** Total instructions run by every task (for --max-insns). */
  instructions = 0;

  private nextId = FIRST_PID;
  private readonly runQueue: Task[] = [];
  private running = false;
  private wakeIdle: (() => void) | null = null;
  private readonly table: (SyscallRow | undefined)[] = syscallTable();
  /** The engine layer: engines attach to tasks through it. */
  readonly utrace: Utrace = new Utrace(this);

  constructor(options: KernelOptions = {}) {
    this.options = options;
  }

  /**
   * Loads a static riscv64 ELF and creates a process for it. No guest instruction runs before the
   * current JavaScript turn ends, so anything attached right after spawn sees the whole run.
   */
  spawn(file: string, argv: string[], opts: SpawnOptions = {}): Process {
    const hostCwd = path.resolve(this.options.cwd ?? process.cwd());
    const hostPath = path.resolve(hostCwd, file);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(hostPath);
    } catch (e) {
      throw new SpawnError(`${file}: ${describeHostError(e)}`);
    }
    let image;
    try {
      image = parseElf(bytes);
    } catch (e) {
      if (e instanceof ElfError) throw new SpawnError(`${file}: ${e.message}`);
      throw e;
    }

    if (!this.vfs) {
      this.vfs = new Vfs({
        mounts: [{ host: hostCwd, guest: hostCwd, readOnly: false }, ...(this.options.mounts ?? [])],
        exeHostPath: hostPath,
        exeGuestPath: hostPath,
        hostHasTty: isTerminal(0) || isTerminal(1),
      });
    }

    const mem = new AddressSpace();
    const loaded = loadElf(mem, image, bytes);
    mem.map(SIGRETURN_TRAMPOLINE, 4096, PROT_READ | PROT_EXEC, "[vdso]");
    mem.poke(SIGRETURN_TRAMPOLINE, TRAMPOLINE_CODE);
    const env = opts.env ?? {};
    const random = new Uint8Array(16);
    fillRandom(random);
    const sp = buildInitialStack(mem, loaded, {
      argv,
      envp: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      execfn: file,
      random,
      uid: GUEST_UID,
      euid: GUEST_UID,
      gid: GUEST_GID,
      egid: GUEST_GID,
      hwcap: HWCAP_IMAFDC,
      clktck: 100,
      minsigstksz: 2048,
      pageSize: 4096,
    });

    const fds = new FdTable();
    const stdio = this.vfs.stdioFiles({
      stdin: opts.stdin ?? "inherit",
      stdout: opts.stdout ?? "inherit",
      stderr: opts.stderr ?? "inherit",
    });
    stdio.forEach((f, fd) => fds.installAt(fd, f, false));

    const pid = this.nextId++;
    const proc = new Process(this, pid, 1, mem, fds);
    proc.cwd = opts.cwd ?? hostCwd;
    proc.exePath = hostPath;
    proc.exeHostPath = hostPath;
    const task = new Task(this, pid, proc);
    task.hart.pc = loaded.entry;
    task.hart.setXNumber(2, sp);
    task.hart.readTime = readTime;
    proc.tasks.push(task);
    this.processes.set(pid, proc);
    this.tasks.set(pid, task);
    this.makeRunnable(task);
    if (!this.running) {
      this.running = true;
      setImmediate(() => void this.schedule());
    }
    return proc;
  }

  // ======================= scheduling =======================

  private makeRunnable(t: Task): void {
    t.state = "runnable";
    if (!this.runQueue.includes(t)) this.runQueue.push(t);
    if (this.wakeIdle) {
      const w = this.wakeIdle;
      this.wakeIdle = null;
      w();
    }
  }

  private async schedule(): Promise<void> {
    try {
      for (;;) {
        const t = this.runQueue.shift();
        if (!t) {
          if (!this.anyTaskAlive()) break;
          await new Promise<void>((resolve) => (this.wakeIdle = resolve));
          continue;
        }
        if (t.state !== "runnable") continue;
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

  private anyTaskAlive(): boolean {
    for (const t of this.tasks.values()) if (t.state !== "dead") return true;
    return false;
  }

  /** Runs one task for up to a quantum: its kernel steps, and user code between them. */
  private runSlice(t: Task): void {
    const h = t.hart;
    let budget = QUANTUM;
    while (budget > 0 && t.state === "runnable") {
      if (t.phase !== Phase.User) {
        this.advance(t);
        continue;
      }
      const limit = this.options.maxInsns;
      const allowed = limit === undefined ? budget : Math.min(budget, limit - this.instructions);
      if (allowed <= 0) {
        this.killProcess(t.process, SIGXCPU, true);
        continue;
      }
      const before = h.instret;
      const exit = run(h, t.mem, allowed);
      const ran = h.instret - before;
      budget -= ran;
      this.instructions += ran;
      switch (exit) {
        case Exit.Budget:
        case Exit.Interrupted:
          if (t.pendingSignals.length > 0 || this.hasResumeWork(t)) t.phase = Phase.Return;
          break;
        case Exit.Ecall:
          // run() has already counted the ecall in instret (and so in `ran`).
          t.syscallNr = h.x[2 * 17];
          t.origA0 = h.x64[10];
          h.pc += 4;
          t.phase = Phase.SyscallEntry;
          break;
        case Exit.Step:
          this.forceSignal(t, { signo: SIGTRAP, code: h.stepMode === StepMode.Block ? TRAP_BRANCH : TRAP_TRACE, addr: BigInt(h.pc) });
          break;
        case Exit.MemFault:
        case Exit.FetchFault:
          this.forceSignal(t, { signo: SIGSEGV, code: h.trapCode, addr: h.trapAddress });
          break;
        case Exit.Misaligned:
          this.forceSignal(t, { signo: SIGBUS, code: BUS_ADRALN, addr: h.trapAddress });
          break;
        case Exit.Illegal:
          this.forceSignal(t, { signo: SIGILL, code: ILL_ILLOPC, addr: BigInt(h.pc) });
          break;
        case Exit.Ebreak:
          this.forceSignal(t, { signo: SIGTRAP, code: TRAP_BRKPT, addr: BigInt(h.pc) });
          break;
      }
    }
  }

  private hasResumeWork(t: Task): boolean {
    return t.utrace !== null && (t.utraceFlags !== 0 || t.utrace.attaching.length > 0);
  }

  /** One step of a task's way through the kernel (Phase). Parking leaves the phase as it is. */
  private advance(t: Task): void {
    switch (t.phase) {
      case Phase.SyscallEntry: {
        if (t.killed) {
          t.phase = Phase.Exiting;
          return;
        }
        let decision: "run" | "abort" = "run";
        if (t.utraceFlags & UTRACE_EVENT.SYSCALL_ENTRY) {
          const r = this.utrace.reportSyscallEntry(t);
          if (r === STOPPED) return;
          decision = r;
        }
        if (t.killed) {
          // SIGKILL during the entry stop forced ABORT: the exit report still comes (§8.2 point 8).
          t.phase = Phase.SyscallExit;
          return;
        }
        // Engines may have rewritten the number; -1 means "skip" (Part A.3), a0 as they left it.
        t.syscallNr = t.hart.x[2 * 17];
        const skip = decision === "abort" || (t.hart.x[2 * 17] === -1 && t.hart.x[2 * 17 + 1] === -1);
        if (!skip) t.hart.x64[10] = t.origA0;
        t.phase = skip ? Phase.SyscallExit : Phase.SyscallRun;
        return;
      }
      case Phase.SyscallRun:
        if (this.invokeSyscall(t) && t.phase === Phase.SyscallRun) t.phase = Phase.SyscallExit;
        return;
      case Phase.SyscallExit:
        if (t.utraceFlags & UTRACE_EVENT.SYSCALL_EXIT) this.utrace.reportSyscallExit(t);
        if (t.phase === Phase.SyscallExit) t.phase = Phase.Return;
        return;
      case Phase.Return:
        this.returnToUser(t);
        return;
      case Phase.Exiting:
        this.exitTaskNow(t);
        return;
      case Phase.User:
        return;
    }
  }

  // ======================= syscalls =======================

  /** Runs the handler of t's current syscall. Returns false if the task parked or ended. */
  private invokeSyscall(t: Task): boolean {
    const h = t.hart;
    const nr = t.syscallNr;
    const row = nr >= 0 && nr < this.table.length ? this.table[nr] : undefined;
    let result;
    if (!row) {
      this.unimplemented.set(nr, (this.unimplemented.get(nr) ?? 0) + 1);
      result = -E.ENOSYS;
    } else {
      try {
        result = row.handler(t);
      } catch (e) {
        if (e instanceof GuestFault) result = -E.EFAULT;
        else {
          this.internalError(t, `syscall ${row.name}`, e);
          return false;
        }
      }
    }
    if (result instanceof Blocked) {
      this.parkOnQueue(t, result);
      return false;
    }
    t.restartData = undefined;
    if (result === NO_RETURN) return false;
    if (result === KEEP_REGS) return true;
    if (typeof result === "bigint") h.x64[10] = BigInt.asIntN(64, result);
    else h.setXNumber(10, result);
    return true;
  }

  private parkOnQueue(t: Task, b: Blocked): void {
    t.state = "blocked";
    t.blocked = b;
    const waker = () => {
      if (t.state !== "blocked") return;
      t.blocked = null;
      t.waker = null;
      this.makeRunnable(t);
    };
    t.waker = waker;
    b.queue.add(waker);
  }

  /** Takes t off its wait without waking it (a signal, a kill): the syscall drops its wait. */
  private leaveQueue(t: Task): void {
    const b = t.blocked;
    if (!b) return;
    if (t.waker) b.queue.remove(t.waker);
    t.blocked = null;
    t.waker = null;
    b.cancel?.();
  }

  /**
   * Breaks t out of a blocking syscall as a signal does: the call returns its restart code, and the
   * signal's delivery decides between EINTR and a restart (restartOrEintr).
   */
  private interruptSyscall(t: Task): void {
    const b = t.blocked;
    if (t.state !== "blocked" || !b) return;
    this.leaveQueue(t);
    t.hart.setXNumber(10, -b.restart);
    t.interrupted = true;
    t.phase = Phase.SyscallExit;
    this.makeRunnable(t);
  }

  /**
   * At the delivery of a signal to a task whose syscall was interrupted (Linux's handle_signal, and
   * the end of do_signal when no handler runs): restart the call, or end it with EINTR. Decided by
   * the value in a0, as Linux does, so an engine that rewrote the return value at syscall exit has
   * the last word.
   */
  private restartOrEintr(t: Task, handler: KSigAction | null): void {
    if (!t.interrupted) return;
    t.interrupted = false;
    const h = t.hart;
    const code = -Number(h.x64[10]);
    let restart: boolean;
    switch (code) {
      case ERESTARTSYS:
        restart = handler === null || (handler.flags & BigInt(SA_RESTART)) !== 0n;
        break;
      case ERESTARTNOINTR:
        restart = true;
        break;
      case ERESTARTNOHAND:
      case ERESTART_RESTARTBLOCK:
        restart = handler === null;
        break;
      default:
        return;
    }
    if (restart) {
      // Back to the ecall, a0 as it came; the call finds its restartData again.
      h.pc -= 4;
      h.x64[10] = t.origA0;
    } else {
      h.setXNumber(10, -E.EINTR);
      t.restartData = undefined;
    }
  }

  // ======================= signals =======================

  /** Sends a signal to a task (kill, tgkill, Process.kill). */
  sendSignal(t: Task, info: SignalInfo): void {
    if (t.state === "dead" || t.killed) return;
    if (info.signo === SIGKILL) {
      this.killProcess(t.process, SIGKILL);
      return;
    }
    const act = t.process.sigactions[info.signo];
    const ignored = act.handler === SIG_IGN || (act.handler === SIG_DFL && defaultAction(info.signo) === "ignore");
    // Linux discards ignored signals at send time, unless they are blocked (they may be unignored
    // before they are unblocked) or an engine wants to see ignored signals (SIGNAL_IGN, §2.1).
    const blocked = (t.sigmask & sigbit(info.signo)) !== 0n;
    if (ignored && !blocked && !(t.utraceFlags & UTRACE_EVENT.SIGNAL_IGN)) return;
    // A standard signal is pending at most once; real-time signals queue.
    if (info.signo < 32 && t.pendingSignals.some((p) => p.signo === info.signo)) return;
    t.pendingSignals.push(info);
    if (blocked) return;
    if (t.state === "blocked") {
      // A wait for this very signal (rt_sigtimedwait) is woken, and takes it; others are interrupted.
      if (t.blocked?.takesSignal?.(info.signo)) t.waker?.();
      else this.interruptSyscall(t);
    } else if (t.phase === Phase.User) t.phase = Phase.Return;
  }

  /** A synchronous fault signal: it cannot be blocked or ignored (Linux force_sig). */
  private forceSignal(t: Task, info: SignalInfo): void {
    const act = t.process.sigactions[info.signo];
    if (act.handler === SIG_IGN || (t.sigmask & sigbit(info.signo)) !== 0n) act.handler = SIG_DFL;
    t.sigmask &= ~sigbit(info.signo);
    t.pendingSignals.unshift(info);
    t.phase = Phase.Return;
  }

  /** The return to user mode: utrace's resume report, then the signal path. */
  private returnToUser(t: Task): void {
    if (t.killed) {
      t.phase = Phase.Exiting;
      return;
    }
    if (t.utrace && !t.inSignalPath) {
      const signalPath = this.deliverable(t) >= 0 || this.utrace.interruptPending(t);
      if (this.utrace.resumePoint(t, signalPath) === STOPPED) return;
    }
    // A task that stopped inside the signal path goes on there (Linux's get_signal loop).
    t.inSignalPath = false;
    if (!this.signalPath(t)) return;
    // Interrupted, and no handler ran: the syscall restarts transparently.
    this.restartOrEintr(t, null);
    if (t.phase === Phase.Return && t.state === "runnable") t.phase = Phase.User;
  }

  /** The index of t's first pending signal that is not blocked, or -1. */
  private deliverable(t: Task): number {
    const pending = t.pendingSignals;
    for (let i = 0; i < pending.length; i++) {
      const s = pending[i].signo;
      if (s === SIGKILL || (t.sigmask & sigbit(s)) === 0n) return i;
    }
    return -1;
  }

  /**
   * Dequeues and acts on t's signals, with utrace's signal reports. Returns false if the task
   * parked or is ending (its phase then says where it goes on).
   */
  private signalPath(t: Task): boolean {
    for (;;) {
      if (t.utrace && this.utrace.wantsSignalReport(t)) {
        const { natural, step } = this.utrace.takeSignalReport(t);
        if (step) this.setStepping(t, step);
        else if (t.utraceFlags & UTRACE_EVENT.QUIESCE) {
          const info = this.utrace.lastSignal(t) ?? { signo: 0, errno: 0, code: 0 };
          const returnKa: KSigAction = { handler: SIG_DFL, flags: 0n, mask: 0n };
          const d = this.utrace.reportSignal(t, info, null, returnKa, natural, 0);
          if (d === STOPPED) {
            t.inSignalPath = true;
            return false;
          }
          if ((d & UTRACE_SIGNAL_MASK) === UTRACE_SIGNAL_DELIVER && info.signo > 0) {
            // An engine injected a synthetic signal.
            if (!this.actOnSignal(t, toSignalInfo(info), returnKa)) return false;
            continue;
          }
        }
      }
      const idx = this.deliverable(t);
      if (idx < 0) return true;
      const [info] = t.pendingSignals.splice(idx, 1);
      if (info.signo === SIGKILL) {
        this.killProcess(t.process, SIGKILL);
        return false;
      }
      const act = t.process.sigactions[info.signo];
      const ka: KSigAction = { handler: act.handler, flags: act.flags, mask: act.mask };
      const { disposition: natural, event } = naturalDisposition(info.signo, act.handler);
      let disposition = natural;
      const uinfo = toUtraceInfo(info);
      if (t.utrace && this.utrace.wantsSignal(t, event)) {
        const returnKa: KSigAction = { ...ka };
        const d = this.utrace.reportSignal(t, uinfo, { ...ka }, returnKa, natural, event);
        if (d === STOPPED) {
          t.inSignalPath = true;
          return false;
        }
        disposition = d;
        ka.handler = returnKa.handler;
        ka.flags = returnKa.flags;
        ka.mask = returnKa.mask;
        if (d & UTRACE_SIGNAL_HOLD) t.pendingSignals.unshift(toSignalInfo(uinfo));
      }
      const final = toSignalInfo(uinfo);
      switch (disposition & UTRACE_SIGNAL_MASK) {
        case UTRACE_SIGNAL_DELIVER:
          if (!this.actOnSignal(t, final, ka)) return false;
          break;
        case UTRACE_SIGNAL_TERM:
          this.groupExit(t, final.signo, false);
          return false;
        case UTRACE_SIGNAL_CORE:
          this.groupExit(t, final.signo, true);
          return false;
        default:
          // IGN; STOP and TSTP would be job-control stops, which come with the processes issue.
          break;
      }
      if (t.state !== "runnable") return false;
    }
  }

  /** DELIVER: a handler runs, or the action that SIG_DFL/SIG_IGN give. Returns false if ending. */
  private actOnSignal(t: Task, info: SignalInfo, ka: KSigAction): boolean {
    if (ka.handler === SIG_IGN) return true;
    if (ka.handler === SIG_DFL) {
      const action = defaultAction(info.signo);
      if (action === "ignore" || action === "continue" || action === "stop") return true;
      this.groupExit(t, info.signo, action === "core");
      return false;
    }
    this.runHandler(t, info, ka);
    return t.phase !== Phase.Exiting;
  }

  /** Builds the signal frame and enters the handler (with SA_RESTART's syscall restart). */
  private runHandler(t: Task, info: SignalInfo, act: KSigAction): void {
    const h = t.hart;
    this.restartOrEintr(t, act);
    const oldMask = t.sigmask;
    try {
      setupFrame(t, info, act, oldMask);
    } catch (e) {
      if (!(e instanceof GuestFault)) throw e;
      // No room for a frame: Linux's force_sigsegv.
      this.groupExit(t, SIGSEGV, true);
      return;
    }
    t.sigmask |= act.mask;
    if (!(act.flags & BigInt(SA_NODEFER))) t.sigmask |= sigbit(info.signo);
    t.sigmask &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
    if (act.flags & BigInt(SA_RESETHAND)) {
      t.process.sigactions[info.signo] = { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n };
    }
    if (t.utrace) this.utrace.handlerSetUp(t, h.stepMode !== StepMode.None);
  }

  // ======================= exits =======================

  /** exit(2): this thread exits; the process ends with its last thread. */
  exitThread(t: Task, code: number): void {
    t.exitStatus = (code & 0xff) << 8;
    t.phase = Phase.Exiting;
  }

  /** exit_group(2): the caller exits with `code`; every other thread of its process is killed. */
  exitGroup(t: Task, code: number): void {
    this.groupExit(t, 0, false, (code & 0xff) << 8);
  }

  /**
   * A group exit by t: by a fatal signal (signo > 0), or exit_group's status. The other threads
   * are killed; t itself goes through its exit path, where engines may still hold it.
   */
  private groupExit(t: Task, signo: number, core: boolean, status = signo | (core ? 0x80 : 0)): void {
    const proc = t.process;
    proc.groupStatus ??= status;
    for (const other of proc.tasks) if (other !== t) this.killTask(other, status);
    t.exitStatus = status;
    t.phase = Phase.Exiting;
    if (t.state === "blocked") {
      this.leaveQueue(t);
      this.makeRunnable(t);
    }
  }

  /** Ends a whole process by a signal from outside (SIGKILL, SIGXCPU): nothing may hold its tasks. */
  killProcess(proc: Process, signo: number, core = false): void {
    const status = signo | (core ? 0x80 : 0);
    proc.groupStatus ??= status;
    for (const t of proc.tasks) this.killTask(t, status);
  }

  private killTask(t: Task, status: number): void {
    if (t.state === "dead" || t.killed) return;
    t.killed = true;
    t.exitStatus = status;
    t.phase = Phase.Exiting;
    if (t.state === "blocked") this.leaveQueue(t);
    if (t.utrace) this.utrace.killed(t);
    this.makeRunnable(t);
  }

  /** The exit path of a task: the exit report (which may hold it), death, and reaping. */
  private exitTaskNow(t: Task): void {
    if (t.utraceFlags & UTRACE_EVENT.EXIT) {
      const r = this.utrace.reportExit(t, t.exitStatus);
      if (r === STOPPED) return;
      t.exitStatus = r;
    }
    t.state = "dead";
    this.leaveQueue(t);
    const proc = t.process;
    const groupDead = proc.tasks.every((x) => x.state === "dead");
    if (groupDead) {
      const status = proc.groupStatus ?? t.exitStatus;
      const last = t.exitStatus;
      proc.fds.closeAll();
      // The wait status: the last thread's code after engines' rewrites.
      const final = proc.groupStatus === undefined || t.utraceFlags & UTRACE_EVENT.EXIT ? last : status;
      proc.exitStatus = decodeWaitStatus(final);
    }
    if (t.utraceFlags & DEATH_EVENTS) this.utrace.reportDeath(t, groupDead, groupDead ? SIGCHLD : -1);
    if (groupDead) {
      // rvtrace is the parent of the processes it spawns and reaps them at once.
      for (const x of proc.tasks) this.reap(x);
      this.processes.delete(proc.pid);
      for (const w of proc.exitWaiters.splice(0)) w(proc.exitStatus!);
    }
  }

  private reap(t: Task): void {
    if (t.reaped) return;
    t.reaped = true;
    this.tasks.delete(t.tid);
    if (t.utrace) this.utrace.reportReap(t);
  }

  /** A bug in rvtrace itself: one line naming the guest pc and what was running; the process dies. */
  private internalError(t: Task, what: string, e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    this.diagnostics(`rvtrace: internal error in ${what} at pc 0x${t.hart.pc.toString(16)}: ${msg}`);
    this.killProcess(t.process, SIGKILL);
  }

  // ======================= UtraceHost =======================

  park(t: Task): void {
    t.state = "stopped";
  }

  unpark(t: Task): void {
    if (t.state === "stopped") this.makeRunnable(t);
  }

  notifyResume(t: Task): void {
    if (t.phase === Phase.User) t.phase = Phase.Return;
  }

  interrupt(t: Task): void {
    this.interruptSyscall(t);
  }

  setStepping(t: Task, mode: number): void {
    t.hart.stepMode = mode === UTRACE_SINGLESTEP ? StepMode.Single : mode === UTRACE_BLOCKSTEP ? StepMode.Block : StepMode.None;
  }

  findTask(pid: number): Task | undefined {
    return this.tasks.get(pid);
  }

  isKilled(t: Task): boolean {
    return t.killed;
  }

  isDead(t: Task): boolean {
    return t.state === "dead";
  }

  isReaped(t: Task): boolean {
    return t.reaped;
  }

  signalIgnored(signo: number, handler: bigint): boolean {
    return handler === SIG_IGN || (handler === SIG_DFL && ["ignore", "continue", "stop"].includes(defaultAction(signo)));
  }

  diagnostics(line: string): void {
    (this.options.diagnostics ?? process.stderr).write(line + "\n");
  }
}

/** The disposition and utrace event a signal starts with (§4.2). */
function naturalDisposition(signo: number, handler: bigint): { disposition: number; event: number } {
  if (handler === SIG_IGN) return { disposition: UTRACE_SIGNAL_IGN, event: UTRACE_EVENT.SIGNAL_IGN };
  if (handler !== SIG_DFL) return { disposition: UTRACE_SIGNAL_DELIVER, event: UTRACE_EVENT.SIGNAL };
  switch (defaultAction(signo)) {
    case "ignore":
    case "continue":
      return { disposition: UTRACE_SIGNAL_IGN, event: UTRACE_EVENT.SIGNAL_IGN };
    case "stop":
      return { disposition: signo === SIGSTOP ? UTRACE_SIGNAL_STOP : UTRACE_SIGNAL_TSTP, event: UTRACE_EVENT.SIGNAL_STOP };
    case "core":
      return { disposition: UTRACE_SIGNAL_CORE, event: UTRACE_EVENT.SIGNAL_CORE };
    default:
      return { disposition: UTRACE_SIGNAL_TERM, event: UTRACE_EVENT.SIGNAL_TERM };
  }
}

function toUtraceInfo(i: SignalInfo): UtraceSigInfo {
  return { signo: i.signo, errno: 0, code: i.code, addr: i.addr, pid: i.pid, uid: i.uid, value: i.value };
}

function toSignalInfo(i: UtraceSigInfo): SignalInfo {
  return { signo: i.signo, code: i.code, addr: i.addr, pid: i.pid, uid: i.uid, value: i.value };
}

/** A wait status (code << 8, or signal | 0x80 for a core dump) as the API's ExitStatus. */
function decodeWaitStatus(status: number): ExitStatus {
  const sig = status & 0x7f;
  if (sig === 0) return { exitCode: (status >> 8) & 0xff, signal: null, coreDumped: false };
  return { exitCode: null, signal: sig, coreDumped: (status & 0x80) !== 0 };
}

/** AT_HWCAP bits for "imafdc" (bit n = letter 'a' + n), as Linux reports for RV64GC. */
const HWCAP_IMAFDC = [..."imafdc"].reduce((m, c) => m | (1n << BigInt(c.charCodeAt(0) - 97)), 0n);

/** The `time` CSR: 10 MHz ticks of the host's monotonic clock. */
function readTime(): bigint {
  return process.hrtime.bigint() / 100n;
}

function describeHostError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case "ENOENT": return "No such file or directory";
    case "EACCES": return "Permission denied";
    case "EISDIR": return "Is a directory";
    default: return e instanceof Error ? e.message : String(e);
  }
}
