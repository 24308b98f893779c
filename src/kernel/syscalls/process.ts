// Process and thread identity and lifetime: exit, exit_group, get*id, set_tid_address,
// set_robust_list, rseq, prlimit64/getrlimit, sched_yield.
import type { SyscallRow, SyscallResult } from "./types.js";
import { NO_RETURN } from "./types.js";
import type { Task } from "../task.js";
import { argInt, argIsNull, argLong, argPtr } from "./args.js";
import { E } from "../../abi/gen/errno.js";

/**
 * The identity guests run with: the host user's, so that ownership in stat() and getuid() agree
 * (the host's files keep their real owners) and programs see what qemu-riscv64 shows them.
 */
export const GUEST_UID = process.getuid?.() ?? 1000;
export const GUEST_GID = process.getgid?.() ?? 1000;

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

// Resource limits (asm-generic/resource.h order), as a default Linux user session has them.
const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;
const RLIMITS: readonly [soft: bigint, hard: bigint][] = [
  [RLIM_INFINITY, RLIM_INFINITY], // RLIMIT_CPU
  [RLIM_INFINITY, RLIM_INFINITY], // RLIMIT_FSIZE
  [RLIM_INFINITY, RLIM_INFINITY], // RLIMIT_DATA
  [8n * 1024n * 1024n, RLIM_INFINITY], // RLIMIT_STACK
  [0n, RLIM_INFINITY], // RLIMIT_CORE
  [RLIM_INFINITY, RLIM_INFINITY], // RLIMIT_RSS
  [4096n, 4096n], // RLIMIT_NPROC
  [1024n, 1024n], // RLIMIT_NOFILE
  [8n * 1024n * 1024n, 8n * 1024n * 1024n], // RLIMIT_MEMLOCK
  [RLIM_INFINITY, RLIM_INFINITY], // RLIMIT_AS
  [RLIM_INFINITY, RLIM_INFINITY], // RLIMIT_LOCKS
  [4096n, 4096n], // RLIMIT_SIGPENDING
  [819200n, 819200n], // RLIMIT_MSGQUEUE
  [0n, 0n], // RLIMIT_NICE
  [0n, 0n], // RLIMIT_RTPRIO
  [RLIM_INFINITY, RLIM_INFINITY], // RLIMIT_RTTIME
];

function writeRlimit(t: Task, addr: number, resource: number): void {
  const [soft, hard] = RLIMITS[resource];
  t.mem.writeU64(addr, soft);
  t.mem.writeU64(addr + 8, hard);
}

/** prlimit64(pid, resource, new, old): reading works; setting is accepted for the caller only. */
function prlimit64(t: Task): number {
  const pid = argInt(t, 0);
  const resource = argInt(t, 1);
  if (pid !== 0 && pid !== t.process.pid) return -E.ESRCH;
  if (resource < 0 || resource >= RLIMITS.length) return -E.EINVAL;
  if (!argIsNull(t, 3)) writeRlimit(t, argPtr(t, 3), resource);
  if (!argIsNull(t, 2)) {
    const soft = t.mem.readU64(argPtr(t, 2));
    const hard = t.mem.readU64(argPtr(t, 2) + 8);
    if (soft > hard) return -E.EINVAL;
  }
  return 0;
}

function getrlimit(t: Task): number {
  const resource = argInt(t, 0);
  if (resource < 0 || resource >= RLIMITS.length) return -E.EINVAL;
  writeRlimit(t, argPtr(t, 1), resource);
  return 0;
}

const zero = () => 0;

export const processSyscalls: SyscallRow[] = [
  { name: "exit", handler: exit, support: "full" },
  { name: "exit_group", handler: exitGroup, support: "full" },
  { name: "getpid", handler: (t) => t.process.pid, support: "full" },
  { name: "getppid", handler: (t) => t.process.ppid, support: "full" },
  { name: "gettid", handler: (t) => t.tid, support: "full" },
  { name: "getuid", handler: () => GUEST_UID, support: "full" },
  { name: "geteuid", handler: () => GUEST_UID, support: "full" },
  { name: "getgid", handler: () => GUEST_GID, support: "full" },
  { name: "getegid", handler: () => GUEST_GID, support: "full" },
  { name: "set_tid_address", handler: setTidAddress, support: "full" },
  { name: "set_robust_list", handler: setRobustList, support: "partial", note: "recorded; robust futexes are not walked at exit yet" },
  { name: "rseq", handler: () => -E.ENOSYS, support: "stub", note: "restartable sequences are not offered; glibc falls back" },
  { name: "prlimit64", handler: prlimit64, support: "partial", note: "limits are fixed defaults; setting them is accepted and ignored" },
  { name: "getrlimit", handler: getrlimit, support: "full" },
  { name: "sched_yield", handler: zero, support: "full" },
];
