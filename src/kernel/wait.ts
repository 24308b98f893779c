// wait4 and waitid: a parent learns that a child ended (and reaps the zombie), stopped or was
// continued. A wait with nothing to report yet parks on the process's childWait queue, which every
// change of a child's state wakes (exit.ts, signal-delivery.ts notifyParent).
import type { SyscallResult } from "./syscalls/types.js";
import { argInt, argIsNull, argPtr } from "./syscalls/args.js";
import { E } from "../abi/gen/errno.js";
import { SIGCHLD, SIGCONT, CLD_STOPPED, CLD_CONTINUED } from "../abi/signals.js";
import { Blocked, ERESTARTSYS } from "./wait-queue.js";
import type { Task } from "./task.js";
import type { Process } from "./process.js";
import { childCode, childStatus, reapProcess } from "./exit.js";

const WNOHANG = 1;
const WSTOPPED = 2; // WUNTRACED
const WEXITED = 4;
const WCONTINUED = 8;
const WNOWAIT = 0x0100_0000;
const __WNOTHREAD = 0x2000_0000;
const __WALL = 0x4000_0000;
const __WCLONE = 0x8000_0000 | 0;

const P_ALL = 0;
const P_PID = 1;
const P_PGID = 2;
const P_PIDFD = 3;

const RUSAGE_SIZE = 144;
const SIGINFO_SIZE = 128;

/** What one child has to report: its wait status, and siginfo's si_code and si_status. */
interface Report {
  child: Process;
  status: number;
  code: number;
  siStatus: number;
}

/**
 * Finds a child of t's process that `select` accepts and that has something `options` asks for,
 * consuming it unless WNOWAIT (a zombie is reaped). Returns null if there is a candidate with
 * nothing to say yet, or -ECHILD if there is none.
 */
function findReport(t: Task, select: (p: Process) => boolean, options: number): Report | null | number {
  let candidates = 0;
  for (const child of t.process.kernel.processes.values()) {
    if (child.parent !== t.process || child.reaped || !select(child)) continue;
    // __WNOTHREAD: only the children this very thread made.
    if (options & __WNOTHREAD && child.creatorTid !== t.tid) continue;
    // Children with an exit signal other than SIGCHLD are "clone" children: __WCLONE or __WALL.
    const cloneChild = child.exitSignal !== SIGCHLD;
    if (!(options & __WALL) && cloneChild !== ((options & __WCLONE) !== 0)) continue;
    candidates++;
    const keep = (options & WNOWAIT) !== 0;
    if (child.zombie) {
      if (!(options & WEXITED)) continue;
      const r = { child, status: child.waitStatus, code: childCode(child.waitStatus), siStatus: childStatus(child.waitStatus) };
      if (!keep) reapProcess(t.kernel, child);
      return r;
    }
    const job = child.jobReport;
    if (job?.stopped && options & WSTOPPED) {
      if (!keep) child.jobReport = null;
      return { child, status: (job.signo << 8) | 0x7f, code: CLD_STOPPED, siStatus: job.signo };
    }
    if (job && !job.stopped && options & WCONTINUED) {
      if (!keep) child.jobReport = null;
      return { child, status: 0xffff, code: CLD_CONTINUED, siStatus: SIGCONT };
    }
  }
  return candidates === 0 ? -E.ECHILD : null;
}

/** Parks the caller until a child changes state; the restarted call looks again. */
function waitForChildren(t: Task): Blocked {
  return new Blocked(t.process.childWait, ERESTARTSYS);
}

/** wait4(pid, wstatus, options, rusage). */
export function sysWait4(t: Task): SyscallResult {
  const pid = argInt(t, 0);
  const options = argInt(t, 2);
  if (options & ~(WNOHANG | WSTOPPED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE)) return -E.EINVAL;
  if (pid === -0x8000_0000) return -E.ESRCH;
  const pgid = t.process.pgid;
  const select = (p: Process) => (pid < -1 ? p.pgid === -pid : pid === -1 ? true : pid === 0 ? p.pgid === pgid : p.pid === pid);
  const r = findReport(t, select, options | WEXITED);
  if (typeof r === "number") return r;
  if (r === null) return options & WNOHANG ? 0 : waitForChildren(t);
  if (!argIsNull(t, 1)) t.mem.writeU32(argPtr(t, 1), r.status);
  if (!argIsNull(t, 3)) t.mem.write(argPtr(t, 3), new Uint8Array(RUSAGE_SIZE));
  return r.child.pid;
}

/** waitid(idtype, id, infop, options, rusage). */
export function sysWaitid(t: Task): SyscallResult {
  const idtype = argInt(t, 0);
  const id = argInt(t, 1);
  const options = argInt(t, 3);
  if (options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | __WNOTHREAD | __WALL | __WCLONE)) return -E.EINVAL;
  if (!(options & (WEXITED | WSTOPPED | WCONTINUED))) return -E.EINVAL;
  let select: (p: Process) => boolean;
  switch (idtype) {
    case P_ALL:
      select = () => true;
      break;
    case P_PID:
      if (id <= 0) return -E.EINVAL;
      select = (p) => p.pid === id;
      break;
    case P_PGID: {
      if (id < 0) return -E.EINVAL;
      const pgid = id === 0 ? t.process.pgid : id;
      select = (p) => p.pgid === pgid;
      break;
    }
    case P_PIDFD:
      return -E.EBADF; // no pidfds are ever handed out
    default:
      return -E.EINVAL;
  }
  const r = findReport(t, select, options);
  if (typeof r === "number") return r;
  if (r === null && !(options & WNOHANG)) return waitForChildren(t);
  if (!argIsNull(t, 2)) {
    // With WNOHANG and nothing to report, Linux writes a siginfo of zeros.
    const bytes = new Uint8Array(SIGINFO_SIZE);
    if (r) {
      const v = new DataView(bytes.buffer);
      v.setInt32(0, SIGCHLD, true);
      v.setInt32(8, r.code, true);
      v.setInt32(16, r.child.pid, true);
      v.setUint32(20, t.kernel.world.uid, true);
      v.setInt32(24, r.siStatus, true);
    }
    t.mem.write(argPtr(t, 2), bytes);
  }
  if (!argIsNull(t, 4)) t.mem.write(argPtr(t, 4), new Uint8Array(RUSAGE_SIZE));
  return 0;
}
