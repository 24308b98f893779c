// Process and thread identity and lifetime: exit, exit_group, get*id, process groups and sessions,
// set_tid_address, set_robust_list, rseq, prlimit64/getrlimit, resource usage, priorities, CPU
// affinity, prctl, sched_yield.
import type { SyscallRow, SyscallResult } from "./types.js";
import { NO_RETURN } from "./types.js";
import type { Task } from "../task.js";
import type { Process } from "../process.js";
import { argInt, argIsNull, argLong, argPtr } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { clockNs } from "./time.js";
import { CLOCK_PROCESS_CPUTIME_ID } from "../../abi/clocks.js";

import { sysClone, sysClone3 } from "../clone.js";
import { sysExecve, sysExecveat } from "../exec.js";
import { sysWait4, sysWaitid } from "../wait.js";
import { prctlState, TASK_COMM_LEN } from "../prctl-state.js";
import { NR_OPEN, RLIMIT_COUNT, RLIMIT_NOFILE, limitsOf } from "../rlimits.js";


function exit(t: Task): SyscallResult {
  t.kernel.exitThread(t, argInt(t, 0));
  return NO_RETURN;
}

function exitGroup(t: Task): SyscallResult {
  t.kernel.exitGroup(t, argInt(t, 0));
  return NO_RETURN;
}

function setTidAddress(t: Task): number {
  t.clearChildTid = argPtr(t, 0);
  return t.tid;
}

function setRobustList(t: Task): number {
  if (argLong(t, 1) !== 24) return -E.EINVAL; // sizeof(struct robust_list_head)
  t.robustList = argPtr(t, 0);
  t.robustListLen = 24;
  return 0;
}

/** fs.nr_open as this run has it: --max-fds lowers it for every guest, root included. */
function nrOpen(t: Task): bigint {
  const max = t.kernel.options.maxFds;
  return max !== undefined && BigInt(max) < NR_OPEN ? BigInt(max) : NR_OPEN;
}

function writeRlimit(t: Task, addr: number, resource: number): void {
  const [soft, hard] = limitsOf(t.process)[resource];
  t.mem.writeU64(addr, soft);
  t.mem.writeU64(addr + 8, hard);
}

/**
 * prlimit64(pid, resource, new, old), for the caller's own process. New limits are kept and read
 * back; RLIMIT_NOFILE bounds the descriptor table; the others are not enforced.
 */
function prlimit64(t: Task): number {
  const pid = argInt(t, 0);
  const resource = argInt(t, 1);
  if (pid !== 0 && pid !== t.process.pid) return -E.ESRCH;
  if (resource < 0 || resource >= RLIMIT_COUNT) return -E.EINVAL;
  let update: [bigint, bigint] | null = null;
  if (!argIsNull(t, 2)) {
    const soft = t.mem.readU64(argPtr(t, 2));
    const hard = t.mem.readU64(argPtr(t, 2) + 8);
    if (soft > hard) return -E.EINVAL;
    // Raising a hard limit needs CAP_SYS_RESOURCE; nothing may raise RLIMIT_NOFILE past nr_open.
    if (hard > limitsOf(t.process)[resource][1] && t.kernel.world.uid !== 0) return -E.EPERM;
    if (resource === RLIMIT_NOFILE && hard > nrOpen(t)) return -E.EPERM;
    update = [soft, hard];
  }
  if (!argIsNull(t, 3)) writeRlimit(t, argPtr(t, 3), resource);
  if (update) {
    limitsOf(t.process)[resource] = update;
    if (resource === RLIMIT_NOFILE) t.process.fds.limit = Number(update[0]);
  }
  return 0;
}

function getrlimit(t: Task): number {
  const resource = argInt(t, 0);
  if (resource < 0 || resource >= RLIMIT_COUNT) return -E.EINVAL;
  writeRlimit(t, argPtr(t, 1), resource);
  return 0;
}

/** The process a pid argument names: 0 for the caller's own; null if there is none. */
function processOf(t: Task, pid: number): Process | null {
  return pid === 0 ? t.process : t.kernel.processes.get(pid) ?? null;
}

/** The caller's own process, when pid names it (0 or its pid); priorities and limits are per caller. */
function selfOr(t: Task, pid: number): Process | null {
  return pid === 0 || pid === t.process.pid ? t.process : null;
}

function getpgid(t: Task): number {
  const p = processOf(t, argInt(t, 0));
  return p ? p.pgid : -E.ESRCH;
}

function getsid(t: Task): number {
  const p = processOf(t, argInt(t, 0));
  return p ? p.sid : -E.ESRCH;
}

/**
 * setpgid(pid, pgid): the caller or one of its children (that has not exec'd yet) joins or leads a
 * process group of the caller's session.
 */
function setpgid(t: Task): number {
  const pgid = argInt(t, 1);
  if (pgid < 0) return -E.EINVAL;
  const self = t.process;
  const p = processOf(t, argInt(t, 0));
  if (!p || (p !== self && p.parent !== self)) return -E.ESRCH;
  if (p !== self) {
    if (p.sid !== self.sid) return -E.EPERM;
    if (p.didExec) return -E.EACCES;
  }
  if (p.sid === p.pid) return -E.EPERM; // a session leader cannot move
  const target = pgid === 0 ? p.pid : pgid;
  if (target !== p.pid) {
    const exists = [...t.kernel.processes.values()].some((q) => q.pgid === target && q.sid === p.sid && !q.reaped);
    if (!exists) return -E.EPERM;
  }
  p.pgid = target;
  return 0;
}

function setsid(t: Task): number {
  const p = t.process;
  if (p.pgid === p.pid) return -E.EPERM;
  p.sid = p.pgid = p.pid;
  return p.sid;
}

/** getresuid/getresgid: real, effective and saved ids, all the same. */
function writeIds(t: Task, id: number): number {
  for (let i = 0; i < 3; i++) t.mem.writeU32(argPtr(t, i), id);
  return 0;
}

function getgroups(t: Task): number {
  const groups = t.kernel.world.groups();
  const size = argInt(t, 0);
  if (size < 0) return -E.EINVAL;
  if (size === 0) return groups.length;
  if (size < groups.length) return -E.EINVAL;
  const addr = argPtr(t, 1);
  groups.forEach((g, i) => t.mem.writeU32(addr + 4 * i, g));
  return groups.length;
}

const RUSAGE_SELF = 0;
const RUSAGE_CHILDREN = -1;
const RUSAGE_THREAD = 1;
const RUSAGE_SIZE = 144; // two timevals, then 14 longs
const CLK_TCK = 100n;

/** The guest's CPU time, CLOCK_PROCESS_CPUTIME_ID's (time.ts); all of it user time. */
function cpuNs(t: Task): bigint {
  return clockNs(t, CLOCK_PROCESS_CPUTIME_ID)!;
}

/** getrusage(who, usage): CPU time and peak memory; children never ran (no fork yet). */
function getrusage(t: Task): number {
  const who = argInt(t, 0);
  if (who !== RUSAGE_SELF && who !== RUSAGE_CHILDREN && who !== RUSAGE_THREAD) return -E.EINVAL;
  const bytes = new Uint8Array(RUSAGE_SIZE);
  if (who !== RUSAGE_CHILDREN) {
    const v = new DataView(bytes.buffer);
    const us = cpuNs(t) / 1000n;
    v.setBigInt64(0, us / 1_000_000n, true); // ru_utime
    v.setBigInt64(8, us % 1_000_000n, true);
    // ru_maxrss in KiB: what the process has mapped, less the stack's reservation.
    const mapped = t.mem.listMappings().filter((m) => m.name !== "[stack]").reduce((n, m) => n + m.end - m.start, 0);
    v.setBigInt64(32, BigInt(Math.ceil(mapped / 1024)), true);
  }
  t.mem.write(argPtr(t, 1), bytes);
  return 0;
}

/** times(buf): CPU time in clock ticks; returns the ticks since an arbitrary point (boot). */
function times(t: Task): SyscallResult {
  if (!argIsNull(t, 0)) {
    const bytes = new Uint8Array(32);
    new DataView(bytes.buffer).setBigInt64(0, (cpuNs(t) * CLK_TCK) / 1_000_000_000n, true);
    t.mem.write(argPtr(t, 0), bytes);
  }
  return (t.kernel.world.monotonicNs() * CLK_TCK) / 1_000_000_000n;
}

const PRIO_PROCESS = 0;
const PRIO_PGRP = 1;
const PRIO_USER = 2;

/** The process that getpriority/setpriority's (which, who) name, null for none, or -EINVAL. */
function priorityTarget(t: Task, which: number, who: number): Process | null | number {
  const p = t.process;
  switch (which) {
    case PRIO_PROCESS: return who === 0 || who === p.pid ? p : null;
    case PRIO_PGRP: return who === 0 || who === p.pgid ? p : null;
    case PRIO_USER: return who === 0 || who === t.kernel.world.uid ? p : null;
    default: return -E.EINVAL;
  }
}

/** getpriority: the raw syscall answers 20 - nice (1..40), which glibc turns back into nice. */
function getpriority(t: Task): number {
  const p = priorityTarget(t, argInt(t, 0), argInt(t, 1));
  if (typeof p === "number") return p;
  return p ? 20 - p.nice : -E.ESRCH;
}

function setpriority(t: Task): number {
  const p = priorityTarget(t, argInt(t, 0), argInt(t, 1));
  if (typeof p === "number") return p;
  if (!p) return -E.ESRCH;
  const nice = Math.min(19, Math.max(-20, argInt(t, 2)));
  // Raising priority needs CAP_SYS_NICE (RLIMIT_NICE is 0).
  if (nice < p.nice && t.kernel.world.uid !== 0) return -E.EACCES;
  p.nice = nice;
  return 0;
}

/** The guest sees one CPU (one hart); its cpumask is one long. */
const CPUMASK_SIZE = 8;

function schedGetaffinity(t: Task): number {
  const len = argLong(t, 1);
  if (!selfOr(t, argInt(t, 0)) && !t.kernel.tasks.has(argInt(t, 0))) return -E.ESRCH;
  if (len < CPUMASK_SIZE || len % 8 !== 0) return -E.EINVAL;
  t.mem.writeU64(argPtr(t, 2), 1n);
  return CPUMASK_SIZE;
}

function schedSetaffinity(t: Task): number {
  if (!selfOr(t, argInt(t, 0)) && !t.kernel.tasks.has(argInt(t, 0))) return -E.ESRCH;
  if (argLong(t, 1) < 1) return -E.EINVAL;
  // The mask must include the one CPU there is.
  return (t.mem.readU8(argPtr(t, 2)) & 1) !== 0 ? 0 : -E.EINVAL;
}

// Scheduling policies (linux/sched.h). A task's policy and priority are kept and read back, but
// every task is scheduled alike; the real-time policies need CAP_SYS_NICE (RLIMIT_RTPRIO is 0).
const SCHED_OTHER = 0;
const SCHED_FIFO = 1;
const SCHED_RR = 2;
const SCHED_BATCH = 3;
const SCHED_IDLE = 5;
const SCHED_RESET_ON_FORK = 0x40000000;

const schedOf = new WeakMap<Task, { policy: number; priority: number }>();

function schedTask(t: Task, pid: number): Task | null {
  if (pid < 0) return null;
  return pid === 0 ? t : t.kernel.tasks.get(pid) ?? null;
}

/** The priority range of a policy: 1..99 for the real-time ones, 0 otherwise; null if unknown. */
function priorityRange(policy: number): [number, number] | null {
  switch (policy) {
    case SCHED_FIFO:
    case SCHED_RR:
      return [1, 99];
    case SCHED_OTHER:
    case SCHED_BATCH:
    case SCHED_IDLE:
      return [0, 0];
    default:
      return null;
  }
}

function schedGetscheduler(t: Task): number {
  const pid = argInt(t, 0);
  if (pid < 0) return -E.EINVAL;
  const target = schedTask(t, pid);
  return target ? (schedOf.get(target)?.policy ?? SCHED_OTHER) : -E.ESRCH;
}

function schedGetparam(t: Task): number {
  const pid = argInt(t, 0);
  if (pid < 0 || argIsNull(t, 1)) return -E.EINVAL;
  const target = schedTask(t, pid);
  if (!target) return -E.ESRCH;
  t.mem.writeU32(argPtr(t, 1), schedOf.get(target)?.priority ?? 0);
  return 0;
}

/** sched_setscheduler(pid, policy, param) and sched_setparam(pid, param) (policy -1: unchanged). */
function schedSet(t: Task, pid: number, policy: number, paramArg: number): number {
  if (pid < 0 || argIsNull(t, paramArg)) return -E.EINVAL;
  const target = schedTask(t, pid);
  if (!target) return -E.ESRCH;
  const newPolicy = policy === -1 ? (schedOf.get(target)?.policy ?? SCHED_OTHER) : policy & ~SCHED_RESET_ON_FORK;
  const range = priorityRange(newPolicy);
  const priority = t.mem.readI32(argPtr(t, paramArg));
  if (!range || priority < range[0] || priority > range[1]) return -E.EINVAL;
  if (range[1] > 0 && t.kernel.world.uid !== 0) return -E.EPERM;
  schedOf.set(target, { policy: newPolicy, priority });
  return 0;
}

function schedGetPriority(t: Task, max: boolean): number {
  const range = priorityRange(argInt(t, 0));
  return range ? range[max ? 1 : 0] : -E.EINVAL;
}

/** sched_rr_get_interval: the SCHED_RR time slice; for SCHED_OTHER Linux reports 0. */
function schedRrGetInterval(t: Task): number {
  const pid = argInt(t, 0);
  if (pid < 0) return -E.EINVAL;
  if (!schedTask(t, pid)) return -E.ESRCH;
  t.mem.writeU64(argPtr(t, 1), 0n);
  t.mem.writeU64(argPtr(t, 1) + 8, 0n);
  return 0;
}

/** getcpu(cpu, node, tcache): always CPU 0 of node 0. */
function getcpu(t: Task): number {
  if (!argIsNull(t, 0)) t.mem.writeU32(argPtr(t, 0), 0);
  if (!argIsNull(t, 1)) t.mem.writeU32(argPtr(t, 1), 0);
  return 0;
}

/** sched_yield: the caller's turn ends; the other runnable tasks go first. */
function schedYield(t: Task): number {
  t.kernel.scheduler.yieldCurrent();
  return 0;
}

// membarrier commands (linux/membarrier.h).
const MEMBARRIER_CMD_QUERY = 0;
const MEMBARRIER_CMD_GLOBAL = 1;
const MEMBARRIER_CMD_GLOBAL_EXPEDITED = 2;
const MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 4;
const MEMBARRIER_CMD_PRIVATE_EXPEDITED = 8;
const MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 16;
const MEMBARRIER_SUPPORTED = MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED |
  MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
/** Processes registered for MEMBARRIER_CMD_PRIVATE_EXPEDITED (it is EPERM before that, as in Linux). */
const membarrierRegistered = new WeakSet<Process>();

/**
 * membarrier(cmd, flags, cpu_id): tasks run one at a time on one JavaScript thread, and a switch
 * between them orders every memory access, so each barrier is already in place when asked for.
 */
function membarrier(t: Task): number {
  const cmd = argInt(t, 0);
  if (argInt(t, 1) !== 0) return -E.EINVAL;
  switch (cmd) {
    case MEMBARRIER_CMD_QUERY:
      return MEMBARRIER_SUPPORTED;
    case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
      membarrierRegistered.add(t.process);
      return 0;
    case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
      return membarrierRegistered.has(t.process) ? 0 : -E.EPERM;
    case MEMBARRIER_CMD_GLOBAL:
    case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
    case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
      return 0;
    default:
      return -E.EINVAL;
  }
}

// prctl options (linux/prctl.h).
const PR_SET_PDEATHSIG = 1;
const PR_GET_PDEATHSIG = 2;
const PR_GET_DUMPABLE = 3;
const PR_SET_DUMPABLE = 4;
const PR_SET_NAME = 15;
const PR_GET_NAME = 16;
const PR_SET_TIMERSLACK = 29;
const PR_GET_TIMERSLACK = 30;
const PR_SET_CHILD_SUBREAPER = 36;
const PR_GET_CHILD_SUBREAPER = 37;
const PR_SET_NO_NEW_PRIVS = 38;
const PR_GET_NO_NEW_PRIVS = 39;
/** prctl: the options programs use to name threads and read or set process attributes. */
function prctl(t: Task): number {
  const option = argInt(t, 0);
  const s = prctlState(t);
  const arg2 = argLong(t, 1);
  switch (option) {
    case PR_SET_NAME: {
      const addr = argPtr(t, 1);
      const comm = new Uint8Array(TASK_COMM_LEN);
      for (let i = 0; i < TASK_COMM_LEN - 1; i++) {
        const b = t.mem.readU8(addr + i);
        if (b === 0) break;
        comm[i] = b;
      }
      s.comm = comm;
      return 0;
    }
    case PR_GET_NAME:
      t.mem.write(argPtr(t, 1), s.comm);
      return 0;
    case PR_SET_PDEATHSIG:
      if (arg2 < 0 || arg2 > 64) return -E.EINVAL;
      t.process.pdeathsig = arg2;
      return 0;
    case PR_GET_PDEATHSIG:
      t.mem.writeU32(argPtr(t, 1), t.process.pdeathsig);
      return 0;
    case PR_GET_DUMPABLE:
      return s.dumpable;
    case PR_SET_DUMPABLE:
      if (arg2 !== 0 && arg2 !== 1) return -E.EINVAL;
      s.dumpable = arg2;
      return 0;
    case PR_GET_TIMERSLACK:
      return s.timerslack;
    case PR_SET_TIMERSLACK:
      s.timerslack = arg2 > 0 ? arg2 : 50_000;
      return 0;
    case PR_SET_CHILD_SUBREAPER:
      t.process.subreaper = arg2 !== 0;
      return 0;
    case PR_GET_CHILD_SUBREAPER:
      t.mem.writeU32(argPtr(t, 1), t.process.subreaper ? 1 : 0);
      return 0;
    case PR_SET_NO_NEW_PRIVS:
      if (arg2 !== 1 || argLong(t, 2) !== 0 || argLong(t, 3) !== 0 || argLong(t, 4) !== 0) return -E.EINVAL;
      s.noNewPrivs = 1;
      return 0;
    case PR_GET_NO_NEW_PRIVS:
      return s.noNewPrivs;
    default:
      return -E.EINVAL;
  }
}

export const processSyscalls: SyscallRow[] = [
  { name: "exit", handler: exit, support: "full" },
  {
    name: "clone", handler: sysClone, support: "partial",
    note: "fork, vfork and threads; no namespaces (EPERM) or pidfds (EINVAL)",
  },
  { name: "clone3", handler: sysClone3, support: "partial", note: "as clone; set_tid and cgroup are not offered" },
  { name: "execve", handler: sysExecve, support: "full" },
  { name: "execveat", handler: sysExecveat, support: "full" },
  { name: "wait4", handler: sysWait4, support: "partial", note: "rusage of children is all zeros" },
  { name: "waitid", handler: sysWaitid, support: "partial", note: "no pidfds (P_PIDFD is EBADF); rusage of children is all zeros" },
  { name: "exit_group", handler: exitGroup, support: "full" },
  { name: "getpid", handler: (t) => t.process.pid, support: "full" },
  { name: "getppid", handler: (t) => t.process.ppid, support: "full" },
  { name: "gettid", handler: (t) => t.tid, support: "full" },
  { name: "getuid", handler: (t) => t.kernel.world.uid, support: "full" },
  { name: "geteuid", handler: (t) => t.kernel.world.uid, support: "full" },
  { name: "getgid", handler: (t) => t.kernel.world.gid, support: "full" },
  { name: "getegid", handler: (t) => t.kernel.world.gid, support: "full" },
  { name: "set_tid_address", handler: setTidAddress, support: "full" },
  { name: "set_robust_list", handler: setRobustList, support: "full" },
  { name: "rseq", handler: () => -E.ENOSYS, support: "stub", note: "restartable sequences are not offered; glibc falls back" },
  {
    name: "prlimit64", handler: prlimit64, support: "partial",
    note: "only the caller's own limits; all are kept and read back, RLIMIT_NOFILE alone is enforced",
  },
  { name: "getrlimit", handler: getrlimit, support: "full" },
  { name: "sched_yield", handler: schedYield, support: "full" },
  { name: "membarrier", handler: membarrier, support: "full", note: "one task runs at a time, so every barrier holds at once" },
  { name: "getpgid", handler: getpgid, support: "partial", note: "only the caller's own process is visible" },
  { name: "setpgid", handler: setpgid, support: "partial", note: "only the caller's own process is visible" },
  { name: "getsid", handler: getsid, support: "partial", note: "only the caller's own process is visible" },
  { name: "setsid", handler: setsid, support: "full" },
  { name: "getresuid", handler: (t) => writeIds(t, t.kernel.world.uid), support: "full" },
  { name: "getresgid", handler: (t) => writeIds(t, t.kernel.world.gid), support: "full" },
  { name: "getgroups", handler: getgroups, support: "full" },
  {
    name: "getrusage", handler: getrusage, support: "partial",
    note: "CPU time is the time since rvtrace started, all user time; ru_maxrss is the mapped memory",
  },
  { name: "times", handler: times, support: "partial", note: "CPU time is the time since rvtrace started, all user time" },
  { name: "getpriority", handler: getpriority, support: "full" },
  { name: "setpriority", handler: setpriority, support: "partial", note: "the nice value is recorded; scheduling ignores it" },
  { name: "sched_getaffinity", handler: schedGetaffinity, support: "full" },
  { name: "sched_setaffinity", handler: schedSetaffinity, support: "full" },
  { name: "sched_getscheduler", handler: schedGetscheduler, support: "full" },
  { name: "sched_getparam", handler: schedGetparam, support: "full" },
  {
    name: "sched_setscheduler", handler: (t) => schedSet(t, argInt(t, 0), argInt(t, 1), 2), support: "partial",
    note: "kept and read back; every task is scheduled alike",
  },
  {
    name: "sched_setparam", handler: (t) => schedSet(t, argInt(t, 0), -1, 1), support: "partial",
    note: "kept and read back; every task is scheduled alike",
  },
  { name: "sched_get_priority_max", handler: (t) => schedGetPriority(t, true), support: "full" },
  { name: "sched_get_priority_min", handler: (t) => schedGetPriority(t, false), support: "full" },
  { name: "sched_rr_get_interval", handler: schedRrGetInterval, support: "full" },
  { name: "getcpu", handler: getcpu, support: "full" },
  {
    name: "prctl", handler: prctl, support: "partial",
    note: "thread names, PDEATHSIG, DUMPABLE, TIMERSLACK, CHILD_SUBREAPER, NO_NEW_PRIVS; other options are EINVAL",
  },
];
