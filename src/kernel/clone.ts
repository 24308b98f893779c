// New tasks: clone and clone3, with the flag sets of fork (a new process with a copy of the
// parent's memory), vfork (a new process that borrows the parent's memory while the parent sleeps
// until it execs or ends) and pthread_create (a thread: same process, memory, descriptors and
// signal handlers; a stack and TLS of its own).
import { PARKED, type SyscallResult } from "./syscalls/types.js";
import { argIsNull, argPtr, argU64 } from "./syscalls/args.js";
import { E } from "../abi/gen/errno.js";
import { GuestFault } from "../mem/address-space.js";
import { UTRACE_EVENT } from "../utrace/constants.js";
import { Blocked, ERESTARTNOINTR, WaitQueue } from "./wait-queue.js";
import { Phase, Task } from "./task.js";
import { Process } from "./process.js";
import { getCwd, setCwd } from "./syscalls/fs-common.js";
import { hostWork } from "./host-work.js";
import { RLIMIT_NPROC, limitsOf } from "./rlimits.js";
import { inheritImage, noteStart } from "./proc-image.js";

// Clone flags (linux/sched.h).
export const CLONE_VM = 0x100;
export const CLONE_FS = 0x200;
export const CLONE_FILES = 0x400;
export const CLONE_SIGHAND = 0x800;
export const CLONE_PIDFD = 0x1000;
export const CLONE_VFORK = 0x4000;
export const CLONE_PARENT = 0x8000;
export const CLONE_THREAD = 0x10000;
export const CLONE_SETTLS = 0x80000;
export const CLONE_PARENT_SETTID = 0x100000;
export const CLONE_CHILD_CLEARTID = 0x200000;
export const CLONE_CHILD_SETTID = 0x1000000;
const CSIGNAL = 0xff;
const CLONE_NEWNS = 0x20000;
/** The namespace flags and CLONE_NEWNS: a sandboxed guest gets none (EPERM, as an unprivileged user). */
const CLONE_NAMESPACES = 0x20000 | 0x2000000 | 0x4000000 | 0x8000000 | 0x10000000 | 0x20000000 | 0x40000000;
/** Flags that mean nothing here and are accepted as Linux accepts them. */
const CLONE_KNOWN = 0xff | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_PIDFD | 0x2000 /* PTRACE */ |
  CLONE_VFORK | CLONE_PARENT | CLONE_THREAD | 0x40000 /* SYSVSEM */ | CLONE_SETTLS | CLONE_PARENT_SETTID |
  CLONE_CHILD_CLEARTID | 0x400000 /* DETACHED */ | 0x800000 /* UNTRACED */ | CLONE_CHILD_SETTID | 0x80000000 /* IO */ |
  CLONE_NAMESPACES;

/**
 * The most tasks (threads and processes, zombies included) a run holds at once, whatever the
 * guest's limits. Each process reserves 4 GiB of the host's address space for its memory, and V8
 * refuses new WebAssembly memories at about 13,000; past either limit clone fails with EAGAIN.
 */
export const MAX_TASKS = 4096;

/** What clone and clone3 ask for, in one shape. */
export interface CloneRequest {
  flags: number;
  exitSignal: number;
  /** The child's stack pointer; 0 keeps the parent's. */
  stack: number;
  parentTid: number;
  childTid: number;
  tls: bigint;
}

/** A vfork parent's wait: the child it waits for (the restarted clone returns its pid). */
class VforkWait {
  constructor(
    readonly child: Process,
    readonly done: WaitQueue,
  ) {}
}

/**
 * The vfork parent's wait, or its end: the restarted clone returns the child's pid once the child
 * has exec'd or ended. Only SIGKILL ends the wait early.
 */
function vforkWait(t: Task, w: VforkWait): SyscallResult {
  if (w.child.vforkDone === null) return w.child.pid;
  t.restartData = w;
  return new Blocked(w.done, ERESTARTNOINTR, null, null, true);
}

/**
 * A parent_tid or child_tid pointer as an address, 0 for none. Linux reads them only for the flags
 * that use them, and ignores a fault on writing through them: Go's clone passes whatever its
 * registers hold (child_tid = 0xffffffffffffff00) without those flags. Every guest address is
 * below 4 GiB, so a pointer above can never be written, which is what 0 means here (no write, no
 * futex wake at exit), where cutting it to its low half would write to another address.
 */
function tidPointer(v: bigint): number {
  return v > 0n && v < 0x1_0000_0000n ? Number(v) : 0;
}

/** clone(flags, stack, parent_tid, tls, child_tid): riscv64's argument order. */
export function sysClone(t: Task): SyscallResult {
  if (t.restartData instanceof VforkWait) return vforkWait(t, t.restartData);
  const flags = Number(argU64(t, 0) & 0xffff_ffffn);
  return cloneWith(t, {
    flags: flags & ~CSIGNAL,
    exitSignal: flags & CSIGNAL,
    stack: argIsNull(t, 1) ? 0 : argPtr(t, 1),
    parentTid: tidPointer(argU64(t, 2)),
    tls: argU64(t, 3),
    childTid: tidPointer(argU64(t, 4)),
  });
}

/** Sizes of struct clone_args that Linux accepts: VER0 (64 bytes) up to what we know (88). */
const CLONE_ARGS_SIZE_VER0 = 64;
const CLONE_ARGS_SIZE_KNOWN = 88;

/** clone3(args, size): struct clone_args { flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, … }. */
export function sysClone3(t: Task): SyscallResult {
  if (t.restartData instanceof VforkWait) return vforkWait(t, t.restartData);
  const size = Number(argU64(t, 1));
  if (size < CLONE_ARGS_SIZE_VER0 || size > 4096) return -E.EINVAL;
  const bytes = t.mem.read(argPtr(t, 0), size);
  // Fields past what we know must be zero (Linux's copy_struct_from_user).
  if (bytes.subarray(CLONE_ARGS_SIZE_KNOWN).some((b) => b !== 0)) return -E.E2BIG;
  const v = new DataView(bytes.buffer);
  const u64 = (at: number) => (at + 8 <= size ? v.getBigUint64(at, true) : 0n);
  const flags = u64(0);
  const exitSignal = u64(32);
  const stack = u64(40);
  const stackSize = u64(48);
  if (flags >> 32n !== 0n || exitSignal > 64n || u64(72) !== 0n /* set_tid_size */) return -E.EINVAL;
  if ((stack === 0n) !== (stackSize === 0n)) return -E.EINVAL;
  const low = Number(flags);
  if (low & CSIGNAL) return -E.EINVAL;
  const top = stack + stackSize;
  if (top >= 2n ** 32n) return -E.EINVAL;
  return cloneWith(t, {
    flags: low,
    exitSignal: Number(exitSignal),
    stack: Number(top),
    parentTid: tidPointer(u64(24)),
    childTid: tidPointer(u64(16)),
    tls: u64(56),
  });
}

function cloneWith(t: Task, r: CloneRequest): SyscallResult {
  const f = r.flags;
  if (f & ~CLONE_KNOWN) return -E.EINVAL;
  if (f & CLONE_THREAD && !(f & CLONE_SIGHAND)) return -E.EINVAL;
  if (f & CLONE_SIGHAND && !(f & CLONE_VM)) return -E.EINVAL;
  if (f & CLONE_NEWNS && f & CLONE_FS) return -E.EINVAL;
  if (f & CLONE_NAMESPACES) return -E.EPERM;
  if (f & CLONE_PIDFD) return -E.EINVAL; // pidfds are not offered
  const child = cloneTask(t, r);
  if (typeof child === "number") return child;
  if (f & CLONE_VFORK) {
    // The parent sleeps until the child execs or ends; an engine may have stopped it first.
    const w = new VforkWait(child.process, child.process.vforkDone!);
    t.restartData = w;
    if (t.state === "stopped") return PARKED;
    return vforkWait(t, w);
  }
  return child.tid;
}

/** Makes the new task (and process, unless CLONE_THREAD), reports it to engines, and queues it. */
export function cloneTask(t: Task, r: CloneRequest): Task | number {
  const k = t.kernel;
  const parentProc = t.process;
  const f = r.flags;
  if (k.tasks.size >= (k.options.maxTasks ?? MAX_TASKS)) return -E.EAGAIN;
  // RLIMIT_NPROC counts the user's tasks; root is not held to it, as in Linux.
  const nproc = limitsOf(parentProc)[RLIMIT_NPROC][0];
  if (k.world.uid !== 0 && BigInt(k.tasks.size) >= nproc) return -E.EAGAIN;
  const tid = k.allocateId();
  let proc: Process;
  if (f & CLONE_THREAD) {
    proc = parentProc;
  } else {
    let mem;
    const work = { scanned: 0, copied: 0 };
    try {
      mem = f & CLONE_VM ? parentProc.mem : parentProc.mem.clone(work);
    } catch (e) {
      // The host cannot reserve another address space (V8's limit on WebAssembly memories).
      if (e instanceof RangeError) return -E.EAGAIN;
      throw e;
    }
    k.charge(hostWork.fork(work.scanned, work.copied));
    if (mem !== parentProc.mem && k.memory?.exceeded) {
      // The copy does not fit in --memory-limit: fork fails as Linux's does when memory runs out.
      mem.release();
      return -E.ENOMEM;
    }
    let fds = parentProc.fds;
    if (f & CLONE_FILES) fds.users++;
    else fds = fds.clone();
    proc = new Process(k, tid, parentProc.pid, mem, fds);
    inherit(proc, parentProc);
    inheritImage(proc, parentProc);
    noteStart(proc, k.world.monotonicNs());
    // CLONE_FS and CLONE_SIGHAND share, rather than copy, the working directory and umask, and the
    // signal handlers.
    if (f & CLONE_FS) proc.fs = parentProc.fs;
    if (f & CLONE_SIGHAND) proc.sigactions = parentProc.sigactions;
    if (f & CLONE_PARENT) {
      proc.parent = parentProc.parent;
      proc.ppid = parentProc.ppid;
      proc.exitSignal = parentProc.exitSignal;
    } else {
      proc.parent = parentProc;
      proc.exitSignal = r.exitSignal;
    }
    proc.creatorTid = t.tid;
    k.processes.set(tid, proc);
  }

  const child = new Task(k, tid, proc);
  child.hart.copyFrom(t.hart);
  child.hart.readTime = () => k.world.timeCsr();
  child.hart.setXNumber(10, 0);
  if (r.stack !== 0) child.hart.setXNumber(2, r.stack);
  if (f & CLONE_SETTLS) child.hart.x64[4] = BigInt.asIntN(64, r.tls);
  child.sigmask = t.sigmask;
  // A thread or vfork child on a stack of its own starts without the alternate signal stack.
  if (!(f & CLONE_VM) || f & CLONE_VFORK) child.altStack = { ...t.altStack };
  if (f & CLONE_CHILD_CLEARTID) child.clearChildTid = r.childTid;
  // The child returns from the syscall to user mode without a syscall-exit report (ret_from_fork).
  child.phase = Phase.Return;
  proc.tasks.push(child);
  k.tasks.set(tid, child);

  if (f & CLONE_PARENT_SETTID) writeTid(t, r.parentTid, tid);
  if (f & CLONE_CHILD_SETTID) writeTid(child, r.childTid, tid);
  if (f & CLONE_VFORK) proc.vforkDone = new WaitQueue();
  k.scheduler.makeRunnable(child);
  // Engines hear of the child before it runs an instruction (it is only queued); a vfork parent
  // may be stopped by them here, before its wait (§7).
  if (t.utraceFlags & UTRACE_EVENT.CLONE) k.utrace.reportClone(t, f | r.exitSignal, child);
  return child;
}

/** Linux ignores a bad tid pointer here (the child is made all the same). */
function writeTid(t: Task, addr: number, tid: number): void {
  if (addr === 0) return;
  try {
    t.mem.writeU32(addr, tid);
  } catch (e) {
    if (!(e instanceof GuestFault)) throw e;
  }
}

/** What a new process takes from its parent besides memory and descriptors. */
function inherit(child: Process, parent: Process): void {
  setCwd(child, getCwd(parent));
  child.umask = parent.umask;
  child.exePath = parent.exePath;
  child.exeHostPath = parent.exeHostPath;
  child.pgid = parent.pgid;
  child.sid = parent.sid;
  child.nice = parent.nice;
  child.rlimits = parent.rlimits?.map(([s, h]) => [s, h]) ?? null;
  parent.sigactions.forEach((a, i) => (child.sigactions[i] = { ...a }));
}
