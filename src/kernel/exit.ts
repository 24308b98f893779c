// The end of threads and processes: the exit path with utrace's exit, death and reap reports,
// clear_child_tid and robust futexes, and what a process leaves behind: a zombie for its parent to
// wait for (with SIGCHLD), its children re-parented, or nothing when nobody will wait (rvtrace's
// own children, SIGCHLD ignored). Marking tasks to exit is kill.ts's.
import { SIGCHLD, SIG_IGN, SA_NOCLDWAIT, CLD_EXITED, CLD_KILLED, CLD_DUMPED } from "../abi/signals.js";
import { STOPPED } from "../utrace/utrace.js";
import { UTRACE_EVENT, DEATH_EVENTS } from "../utrace/constants.js";
import { GuestFault, type AddressSpace } from "../mem/address-space.js";
import type { Task } from "./task.js";
import type { Process, ExitStatus } from "./process.js";
import type { Kernel } from "./kernel.js";
import { leaveQueue } from "./parking.js";
import { notifyParent, sendProcessSignal } from "./signal-delivery.js";
import { futexWake } from "./syscalls/futex.js";

/** The exit path of a task: the exit report (which may hold it), death, and reaping. */
export function exitTaskNow(k: Kernel, t: Task): void {
  if (t.utraceFlags & UTRACE_EVENT.EXIT) {
    const r = k.utrace.reportExit(t, t.exitStatus);
    if (r === STOPPED) return;
    t.exitStatus = r;
  }
  releaseThread(t);
  t.state = "dead";
  leaveQueue(t);
  const proc = t.process;
  const groupDead = proc.tasks.every((x) => x.state === "dead");
  if (groupDead) {
    // The wait status: the last thread's code after engines' rewrites.
    const status = proc.groupStatus ?? t.exitStatus;
    proc.waitStatus = proc.groupStatus === undefined || t.utraceFlags & UTRACE_EVENT.EXIT ? t.exitStatus : status;
    releaseProcess(k, proc);
  }
  const autoReap = groupDead && notifyDeath(k, proc);
  if (t.utraceFlags & DEATH_EVENTS) k.utrace.reportDeath(t, groupDead, groupDead ? proc.exitSignal : -1);
  if (groupDead) {
    for (const w of proc.exitWaiters.splice(0)) w(proc.exitStatus!);
    releaseMemory(k, proc, proc.mem);
    if (autoReap) reapProcess(k, proc);
  } else if (t !== proc.leader) {
    // A thread other than the leader is gone at once; the leader waits for the whole group.
    reapTask(k, t);
  }
}

/**
 * What a thread's exit does to memory others may use: its robust futexes are marked
 * FUTEX_OWNER_DIED (and a waiter woken), and its clear_child_tid word is zeroed and woken, which is
 * how pthread_join learns that the thread is gone.
 */
function releaseThread(t: Task): void {
  const mem = t.mem;
  // Robust futexes may live in memory shared with other processes: always.
  try {
    walkRobustList(t);
  } catch (e) {
    if (!(e instanceof GuestFault)) throw e;
  }
  // clear_child_tid only matters to someone still using this memory (Linux: mm_users > 1).
  const shared = [...t.kernel.tasks.values()].some((x) => x !== t && x.mem === mem && x.state !== "dead");
  if (shared && t.clearChildTid !== 0) {
    try {
      mem.writeU32(t.clearChildTid, 0);
      futexWake(mem, t.clearChildTid, 1);
    } catch (e) {
      if (!(e instanceof GuestFault)) throw e;
    }
    t.clearChildTid = 0;
  }
}

const FUTEX_WAITERS = 0x8000_0000;
const FUTEX_OWNER_DIED = 0x4000_0000;
const FUTEX_TID_MASK = 0x3fff_ffff;
/** Linux's ROBUST_LIST_LIMIT: a list longer than this (or circular) is not walked further. */
const ROBUST_LIST_LIMIT = 2048;

/** struct robust_list_head { next; long futex_offset; list_op_pending; } (24 bytes). */
function walkRobustList(t: Task): void {
  if (t.robustList === 0) return;
  const mem = t.mem;
  const head = t.robustList;
  const offset = Number(mem.readI64(head + 8));
  const pending = Number(mem.readU64(head + 16));
  let entry = Number(mem.readU64(head));
  for (let n = 0; entry !== head && entry !== 0 && n < ROBUST_LIST_LIMIT; n++) {
    const next = Number(mem.readU64(entry));
    if (entry !== pending) ownerDied(t, entry + offset);
    entry = next;
  }
  if (pending !== 0) ownerDied(t, pending + offset);
}

function ownerDied(t: Task, addr: number): void {
  const word = t.mem.readU32(addr);
  if ((word & FUTEX_TID_MASK) !== t.tid) return;
  t.mem.writeU32(addr, ((word & FUTEX_WAITERS) | FUTEX_OWNER_DIED) >>> 0);
  if (word & FUTEX_WAITERS) futexWake(t.mem, addr, 1);
}

/** The last thread is gone: descriptors close, a vfork parent wakes, children find a new parent. */
function releaseProcess(k: Kernel, proc: Process): void {
  proc.exitStatus = decodeWaitStatus(proc.waitStatus);
  if (--proc.fds.users === 0) proc.fds.closeAll();
  proc.sharedPending.length = 0;
  releaseVforkParent(proc);
  for (const child of k.processes.values()) {
    if (child.parent !== proc) continue;
    if (child.pdeathsig !== 0 && child.alive) {
      sendProcessSignal(k, child, { signo: child.pdeathsig, code: 0, pid: proc.pid, uid: k.world.uid });
    }
    reparent(k, child, proc);
  }
}

/**
 * Gives an address space back (exit.ts, exec.ts) unless another living process still uses it: the
 * parent of a vfork child, whose memory the child borrowed.
 */
export function releaseMemory(k: Kernel, proc: Process, mem: AddressSpace): void {
  for (const p of k.processes.values()) if (p !== proc && p.mem === mem && p.alive) return;
  mem.release();
}

/** A vfork child that execs or ends lets its parent go on. */
export function releaseVforkParent(proc: Process): void {
  if (!proc.vforkDone) return;
  const q = proc.vforkDone;
  proc.vforkDone = null;
  q.wakeAll();
  // The parent goes first, as it usually does on Linux (posix_spawn's caller reports the child
  // before the child's output).
  proc.kernel.scheduler.yieldCurrent();
}

/**
 * An orphan goes to the nearest living ancestor that is a subreaper, else to the first process of
 * the run, whose waits rvtrace answers for it: an orphan nobody adopted is reaped by the kernel as
 * soon as it ends, as init would.
 */
function reparent(k: Kernel, child: Process, dying: Process): void {
  let p = dying.parent;
  while (p && !(p.subreaper && p.alive)) p = p.parent;
  child.parent = p;
  child.exitSignal = SIGCHLD;
  // Without a subreaper: the run's first process while it lives (the kernel reaps for it), then pid 1.
  child.ppid = p ? p.pid : k.initProcess?.alive ? k.initProcess.pid : 1;
  if (child.zombie) {
    if (p) notifyParent(k, child, childCode(child.waitStatus), childStatus(child.waitStatus), SIGCHLD);
    else reapProcess(k, child);
  }
}

/**
 * Tells the parent of a process that has just ended. Returns true when nobody will wait for it
 * (rvtrace's own children, a parent that ignores SIGCHLD or set SA_NOCLDWAIT): it is reaped now.
 */
function notifyDeath(k: Kernel, proc: Process): boolean {
  const parent = proc.parent;
  if (!parent || !parent.alive) return true;
  const act = parent.sigactions[SIGCHLD];
  const noWait = proc.exitSignal === SIGCHLD && (act.handler === SIG_IGN || (act.flags & BigInt(SA_NOCLDWAIT)) !== 0n);
  // With SIG_IGN no signal is sent; SA_NOCLDWAIT still sends it.
  const signo = proc.exitSignal === SIGCHLD && act.handler === SIG_IGN ? 0 : proc.exitSignal;
  notifyParent(k, proc, childCode(proc.waitStatus), childStatus(proc.waitStatus), signo);
  return noWait;
}

/** SIGCHLD's si_code for a wait status. */
export function childCode(status: number): number {
  if ((status & 0x7f) === 0) return CLD_EXITED;
  return status & 0x80 ? CLD_DUMPED : CLD_KILLED;
}

/** SIGCHLD's si_status for a wait status: the exit code, or the signal. */
export function childStatus(status: number): number {
  return (status & 0x7f) === 0 ? (status >> 8) & 0xff : status & 0x7f;
}

/** Removes an ended process and its tasks from every table (wait, or nobody will wait). */
export function reapProcess(k: Kernel, proc: Process): void {
  if (proc.reaped) return;
  proc.reaped = true;
  for (const t of proc.tasks) reapTask(k, t);
  k.processes.delete(proc.pid);
}

export function reapTask(k: Kernel, t: Task): void {
  if (t.reaped) return;
  t.reaped = true;
  if (k.tasks.get(t.tid) === t) k.tasks.delete(t.tid);
  if (t.utrace) k.utrace.reportReap(t);
  // Its register slot is free for another thread (a process may start far more than 1024 threads).
  t.hart.leaveHome();
}

/** A wait status (code << 8, or signal | 0x80 for a core dump) as the API's ExitStatus. */
function decodeWaitStatus(status: number): ExitStatus {
  const sig = status & 0x7f;
  if (sig === 0) return { exitCode: (status >> 8) & 0xff, signal: null, coreDumped: false };
  return { exitCode: null, signal: sig, coreDumped: (status & 0x80) !== 0 };
}


