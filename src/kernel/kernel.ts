// The emulated Linux kernel: processes, tasks, the scheduler and the trap boundary (ecall, faults).
//
// One JavaScript thread runs every guest task in quanta of instructions, in a deterministic
// round-robin order. A task parked on a wait queue is simply not in the run queue; when nothing is
// runnable the scheduler awaits the event loop (stdin data, a timer) until something wakes a task.
import { readFileSync } from "node:fs";
import path from "node:path";
import { randomFillSync } from "node:crypto";
import type { Readable, Writable } from "node:stream";
import { Exit, BUS_ADRALN } from "../cpu/hart.js";
import { run } from "../cpu/interp.js";
import { AddressSpace, GuestFault, PROT_EXEC, PROT_READ } from "../mem/address-space.js";
import { parseElf, loadElf, buildInitialStack, ElfError } from "../elf/index.js";
import { Process, type ExitStatus } from "./process.js";
import { Task } from "./task.js";
import { FdTable } from "./fd-table.js";
import { Vfs } from "./vfs/index.js";
import { Blocked } from "./wait-queue.js";
import { NO_RETURN, KEEP_REGS, type SyscallRow } from "./syscalls/types.js";
import { syscallTable } from "./syscalls/table.js";
import { E } from "./abi/gen/errno.js";
import {
  SIGSEGV, SIGILL, SIGTRAP, SIGBUS, SIGXCPU, SIGKILL, SIGSTOP, ILL_ILLOPC, TRAP_BRKPT, defaultAction, SIG_IGN, SIG_DFL,
  SA_RESTART, SA_NODEFER, SA_RESETHAND,
} from "./abi/signals.js";
import { sigbit, type SigAction, type SignalInfo } from "./signals.js";
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
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
}

/** A spawn that could not start: the message is one line for a person. */
export class SpawnError extends Error {}

/** Instructions a task runs before the scheduler moves on. */
const QUANTUM = 2_000_000;
const FIRST_PID = 1000;

export class Kernel {
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
  /** Tasks that must re-run a syscall that parked (they are runnable again once woken). */
  private readonly restart = new Set<Task>();

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
        hostHasTty: Boolean(process.stdin.isTTY || process.stdout.isTTY),
      });
    }

    const mem = new AddressSpace();
    const loaded = loadElf(mem, image, bytes);
    mem.map(SIGRETURN_TRAMPOLINE, 4096, PROT_READ | PROT_EXEC, "[vdso]");
    mem.poke(SIGRETURN_TRAMPOLINE, TRAMPOLINE_CODE);
    const env = opts.env ?? {};
    const random = new Uint8Array(16);
    randomFillSync(random);
    const sp = buildInitialStack(mem, loaded, {
      argv,
      envp: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      execfn: file,
      random,
      uid: 1000,
      euid: 1000,
      gid: 1000,
      egid: 1000,
      hwcap: HWCAP_IMAFDC,
      clktck: 100,
      minsigstksz: 2048,
      pageSize: 4096,
    });

    const fds = new FdTable();
    const stdio = this.vfs.stdioFiles({
      stdin: opts.stdin ?? process.stdin,
      stdout: opts.stdout ?? process.stdout,
      stderr: opts.stderr ?? process.stderr,
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

  // ---- scheduling ----

  private makeRunnable(t: Task): void {
    t.state = "runnable";
    this.runQueue.push(t);
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
        if (t.state === "runnable") this.runQueue.push(t);
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

  /** Runs one task for up to a quantum, handling its traps. */
  private runSlice(t: Task): void {
    const h = t.hart;
    if (this.restart.has(t)) {
      this.restart.delete(t);
      if (!this.invokeSyscall(t)) return;
    }
    let budget = QUANTUM;
    while (budget > 0 && t.state === "runnable") {
      const limit = this.options.maxInsns;
      const allowed = limit === undefined ? budget : Math.min(budget, limit - this.instructions);
      if (allowed <= 0) {
        this.killProcess(t.process, SIGXCPU);
        return;
      }
      const before = h.instret;
      const exit = run(h, t.mem, allowed);
      const ran = h.instret - before;
      budget -= ran;
      this.instructions += ran;
      switch (exit) {
        case Exit.Budget:
        case Exit.Step:
        case Exit.Interrupted:
          break;
        case Exit.Ecall:
          this.instructions++;
          budget--;
          this.syscall(t);
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
      if (t.state === "runnable") this.deliverSignals(t);
    }
  }

  // ---- syscalls ----

  private syscall(t: Task): void {
    const h = t.hart;
    t.syscallNr = h.x[2 * 17];
    t.origA0 = h.x64[10];
    h.pc += 4;
    this.invokeSyscall(t);
  }

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
    if (result === NO_RETURN) return false;
    if (result === KEEP_REGS) return true;
    if (result instanceof Blocked) {
      this.park(t, result);
      return false;
    }
    if (typeof result === "bigint") h.x64[10] = BigInt.asIntN(64, result);
    else h.setXNumber(10, result);
    return true;
  }

  private park(t: Task, b: Blocked): void {
    t.state = "blocked";
    t.blockedOn = b.queue;
    const waker = () => {
      if (t.state !== "blocked") return;
      t.blockedOn = null;
      t.waker = null;
      this.restart.add(t);
      this.makeRunnable(t);
    };
    t.waker = waker;
    b.queue.add(waker);
  }

  private unpark(t: Task): void {
    if (t.blockedOn && t.waker) t.blockedOn.remove(t.waker);
    t.blockedOn = null;
    t.waker = null;
    this.restart.delete(t);
  }

  // ---- signals ----

  /** Sends a signal to a task (tgkill). */
  sendSignal(t: Task, info: SignalInfo): void {
    if (t.state === "dead") return;
    if (info.signo === SIGKILL) {
      this.killProcess(t.process, SIGKILL);
      return;
    }
    const act = t.process.sigactions[info.signo];
    const ignored = act.handler === SIG_IGN || (act.handler === SIG_DFL && defaultAction(info.signo) === "ignore");
    // Linux discards ignored signals at send time (unless blocked: they may be unignored later).
    if (ignored && (t.sigmask & sigbit(info.signo)) === 0n) return;
    // A standard signal is pending at most once; real-time signals queue.
    if (info.signo < 32 && t.pendingSignals.some((p) => p.signo === info.signo)) return;
    t.pendingSignals.push(info);
    if (t.state === "blocked" && (t.sigmask & sigbit(info.signo)) === 0n) {
      // Interrupt the blocked syscall: it returns -EINTR, or restarts after an SA_RESTART handler.
      this.unpark(t);
      t.hart.setXNumber(10, -E.EINTR);
      t.interrupted = true;
      this.makeRunnable(t);
    }
  }

  /** A synchronous fault signal: it cannot be blocked or ignored (Linux force_sig). */
  private forceSignal(t: Task, info: SignalInfo): void {
    const act = t.process.sigactions[info.signo];
    if (act.handler === SIG_IGN || (t.sigmask & sigbit(info.signo)) !== 0n) act.handler = SIG_DFL;
    t.sigmask &= ~sigbit(info.signo);
    t.pendingSignals.unshift(info);
  }

  /** Acts on t's pending, unblocked signals. */
  deliverSignals(t: Task): void {
    while (t.state === "runnable" && t.pendingSignals.length > 0) {
      const idx = t.pendingSignals.findIndex((s) => (t.sigmask & sigbit(s.signo)) === 0n);
      if (idx < 0) return;
      const [info] = t.pendingSignals.splice(idx, 1);
      const act = t.process.sigactions[info.signo];
      if (act.handler === SIG_IGN) continue;
      if (act.handler === SIG_DFL) {
        const action = defaultAction(info.signo);
        if (action === "ignore" || action === "continue" || action === "stop") continue;
        this.killProcess(t.process, info.signo, action === "core");
        return;
      }
      this.runHandler(t, info, act);
      return;
    }
  }

  /** Builds the signal frame and enters the handler (with SA_RESTART's syscall restart). */
  private runHandler(t: Task, info: SignalInfo, act: SigAction): void {
    const h = t.hart;
    if (t.interrupted) {
      t.interrupted = false;
      if (act.flags & BigInt(SA_RESTART)) {
        // Restart the interrupted syscall after the handler: back to the ecall, a0 as it came.
        h.pc -= 4;
        h.x64[10] = t.origA0;
      }
    }
    const oldMask = t.sigmask;
    try {
      setupFrame(t, info, act, oldMask);
    } catch (e) {
      if (!(e instanceof GuestFault)) throw e;
      // No room for a frame: Linux's force_sigsegv.
      this.killProcess(t.process, SIGSEGV, true);
      return;
    }
    t.sigmask |= act.mask;
    if (!(act.flags & BigInt(SA_NODEFER))) t.sigmask |= sigbit(info.signo);
    t.sigmask &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
    if (act.flags & BigInt(SA_RESETHAND)) t.process.sigactions[info.signo] = { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n };
  }

  // ---- exits ----

  /** Ends a whole process with an exit code (exit_group). */
  exitProcess(proc: Process, code: number): void {
    this.endProcess(proc, { exitCode: code & 0xff, signal: null, coreDumped: false });
  }

  /** Ends a whole process by a signal. */
  killProcess(proc: Process, signo: number, core = false): void {
    this.endProcess(proc, { exitCode: null, signal: signo, coreDumped: core });
  }

  /** Ends one thread (exit); the process ends with its last thread. */
  exitTask(t: Task, code: number): void {
    this.retireTask(t);
    if (t.process.tasks.every((x) => x.state === "dead")) this.exitProcess(t.process, code);
  }

  private retireTask(t: Task): void {
    if (t.state === "dead") return;
    this.unpark(t);
    t.state = "dead";
    this.tasks.delete(t.tid);
  }

  private endProcess(proc: Process, status: ExitStatus): void {
    if (proc.exitStatus) return;
    for (const t of proc.tasks) this.retireTask(t);
    proc.exitStatus = status;
    proc.fds.closeAll();
    for (const w of proc.exitWaiters.splice(0)) w(status);
  }

  /** A bug in rvtrace itself: one line naming the guest pc and what was running; the process dies. */
  private internalError(t: Task, what: string, e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    const out = this.options.diagnostics ?? process.stderr;
    out.write(`rvtrace: internal error in ${what} at pc 0x${t.hart.pc.toString(16)}: ${msg}\n`);
    this.killProcess(t.process, SIGKILL);
  }
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
