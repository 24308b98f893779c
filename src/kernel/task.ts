// A task is one guest thread: a hart (registers), the process it belongs to, and its kernel-side
// state: where it is on its way between user mode and the kernel (its phase), why it is not
// running if it is not (run state), its signal mask and pending signals, and its utrace state.
import { allocScratch, scratchArg, type ScratchUse } from "./scratch.js";
import { Hart } from "../cpu/hart.js";
import type { Process } from "./process.js";
import type { Kernel } from "./kernel.js";
import type { Blocked, Waker } from "./wait-queue.js";
import type { SignalInfo } from "./signals.js";
import type { TaskUtrace } from "../utrace/task-state.js";
import type { Regs } from "../utrace/regs.js";
import { GuestFault } from "../mem/address-space.js";

export type RunState =
  /** Ready to run: user code, or the next step of its kernel path. */
  | "runnable"
  /** Parked on a wait queue inside a syscall. */
  | "blocked"
  /** Held by utrace engines (the utrace stop state). */
  | "stopped"
  /** Has exited; its process may still be alive. */
  | "dead";

/**
 * The steps of a task's way through the kernel, in order. A task that parks (blocked or stopped)
 * resumes at the step it parked in; the transitions are in kernel.ts `advance`.
 */
export const enum Phase {
  /** Running guest instructions. */
  User,
  /** After ecall: the syscall-entry report (utrace may stop here and repeat the report). */
  SyscallEntry,
  /** Running the syscall's handler (it may park on a wait queue and run again). */
  SyscallRun,
  /** The syscall-exit report. */
  SyscallExit,
  /** The return to user mode: resume reports, then signals. */
  Return,
  /** Thread exit: the exit report (which may hold the task), then death. */
  Exiting,
}

export class Task {
  readonly hart = new Hart();
  state: RunState = "runnable";
  phase: Phase = Phase.User;
  /** Blocked signals (bit n-1 = signal n). */
  sigmask = 0n;
  /**
   * The mask to go back to when a call that waits under a temporary mask (rt_sigsuspend, ppoll and
   * pselect6 with a sigmask) ends: the signal frame of the handler that ends the wait saves this
   * one, so sigreturn restores it (Linux's saved_sigmask). Null when no such wait is in progress.
   */
  savedSigmask: bigint | null = null;
  /** Signals sent to this thread and not yet delivered. */
  readonly pendingSignals: SignalInfo[] = [];
  /** SIGKILL (or a group exit by another thread) is ending this task: nothing may hold it. */
  killed = false;
  /** The wait status the task exits with once it reaches Phase.Exiting. */
  exitStatus = 0;
  /** set_tid_address: cleared and futex-woken at exit. */
  clearChildTid = 0;
  robustList = 0;
  robustListLen = 0;
  /** sigaltstack: ss_sp, ss_size, ss_flags. */
  altStack = { sp: 0, size: 0, flags: 2 /* SS_DISABLE */ };
  /** The syscall number and a0 at entry, so a0 can hold the result while args stay readable. */
  syscallNr = -1;
  origA0 = 0n;
  /** The wait this task is parked in, and the waker registered on its queue. */
  blocked: Blocked | null = null;
  waker: Waker | null = null;
  /**
   * A signal interrupted this task's blocking syscall, which returned a restart code: its delivery
   * makes that EINTR or a restart (kernel.ts, restartOrEintr).
   */
  interrupted = false;
  /**
   * What a syscall keeps across its restarts (Linux's restart_block: a sleep's deadline). Cleared
   * whenever a syscall ends other than by a restart.
   */
  restartData: unknown = undefined;
  /** The task stopped inside the signal path and resumes there. */
  inSignalPath = false;
  /** utrace state, created on the first attach. */
  utrace: TaskUtrace | null = null;
  /** The OR of the engines' event bits (the one test every hook site makes). */
  utraceFlags = 0;
  /**
   * utrace may have work at the return to user mode (Linux's TIF_NOTIFY_RESUME): a resume request,
   * a held stop, an engine waiting to be spliced in, a handler note. utrace sets it whenever it makes
   * one of these; the return to user mode asks utrace only when it is set, and utrace.quietResume
   * clears it once none is left. Clear means there is none: a missed set would lose a stop.
   */
  utraceResumeWork = false;
  /** The Regs view engines get (made on first use). */
  utraceRegs: Regs | null = null;
  /** Scratch memory engines took for the syscall in progress (scratch.ts); null when none. */
  scratch: ScratchUse | null = null;
  /** The task has been reaped. */
  reaped = false;
  /**
   * Ranges ([addr, len] pairs) the current syscall's handler wrote into guest memory, when an
   * engine asked for them (utrace.setSyscallWriteLog); null otherwise.
   */
  syscallWriteLog: number[] | null = null;

  constructor(
    readonly kernel: Kernel,
    /** Thread id; an execve by a non-leader thread takes over the leader's (Linux's de_thread). */
    public tid: number,
    public process: Process,
  ) {
    // rdtime reads the time of the kernel's world (host or virtual).
    this.hart.readTime = () => kernel.world.timeCsr();
  }

  /** The task's address space (shared by the threads of its process). */
  get mem() {
    return this.process.mem;
  }

  // ---- guest memory for engines: typed access that fails with EFAULT (a GuestFault) ----

  readBytes(addr: number | bigint, len: number): Uint8Array {
    return this.mem.read(toAddress(addr), len);
  }
  writeBytes(addr: number | bigint, data: Uint8Array): void {
    this.mem.write(toAddress(addr), data);
  }
  /**
   * Scratch memory for the syscall in progress: `len` zeroed bytes that syscalls read and write
   * like any guest memory but the guest never sees (no mapping of its own shows them); they are
   * unmapped when the syscall returns, after the exit reports. Returns their address.
   */
  allocScratch(len: number): bigint {
    return BigInt(allocScratch(this, len));
  }
  /**
   * Points syscall argument `arg` (0…5) at a scratch copy of `bytes` for the syscall in progress;
   * when it returns, the scratch is gone and the register holds the guest's value again.
   */
  scratchArg(arg: number, bytes: Uint8Array): bigint {
    return BigInt(scratchArg(this, arg, bytes));
  }
  /**
   * Writes bytes whatever the page protections, as a debugger's PTRACE_POKETEXT does (breakpoints
   * in code); the page must be mapped. Decoded instructions of the range are thrown away.
   */
  pokeBytes(addr: number | bigint, data: Uint8Array): void {
    this.mem.poke(toAddress(addr), data);
  }
  readU8(addr: number | bigint): number {
    return this.mem.readU8(toAddress(addr));
  }
  readU32(addr: number | bigint): number {
    return this.mem.readU32(toAddress(addr));
  }
  readI32(addr: number | bigint): number {
    return this.mem.readI32(toAddress(addr));
  }
  readU64(addr: number | bigint): bigint {
    return this.mem.readU64(toAddress(addr));
  }
  writeU32(addr: number | bigint, v: number): void {
    this.mem.writeU32(toAddress(addr), v);
  }
  writeU64(addr: number | bigint, v: bigint): void {
    this.mem.writeU64(toAddress(addr), v);
  }
  /** A NUL-terminated string (UTF-8), at most `max` bytes. */
  readCString(addr: number | bigint, max = 4096): string {
    return this.mem.readCString(toAddress(addr), max);
  }
  /** Writes a string and its NUL terminator. */
  writeCString(addr: number | bigint, s: string): void {
    const b = new TextEncoder().encode(s);
    const out = new Uint8Array(b.length + 1);
    out.set(b);
    this.mem.write(toAddress(addr), out);
  }
  /** An iovec array: count entries of { base, len }. */
  readIovec(addr: number | bigint, count: number): { base: bigint; len: bigint }[] {
    const a = toAddress(addr);
    const out = [];
    for (let i = 0; i < count; i++) out.push({ base: this.mem.readU64(a + 16 * i), len: this.mem.readU64(a + 16 * i + 8) });
    return out;
  }
}

/** A guest address as a Number; addresses at or above 2^32 can never be mapped. */
function toAddress(addr: number | bigint): number {
  const n = typeof addr === "bigint" ? BigInt.asUintN(64, addr) : addr;
  if (typeof n === "bigint" ? n >= 2n ** 32n : !Number.isInteger(n) || n < 0 || n >= 2 ** 32) {
    throw new GuestFault(Number(n));
  }
  return Number(n);
}
