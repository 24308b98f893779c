// epoll_create1, epoll_ctl, epoll_pwait and epoll_pwait2 (fs/eventpoll.c), over the EpollFile of
// events/epoll.ts. A wait with nothing ready parks as ppoll does (poll.ts): on a queue of its own
// that the epoll's queue and a timer of the world wake, its deadline kept in task.restartData. A
// signal ends the wait with EINTR whatever its handler's flags, and after a stop and SIGCONT too:
// Linux never restarts epoll_wait (it returns -EINTR, not a restart code).
import type { SyscallResult, SyscallRow } from "./types.js";
import type { Task } from "../task.js";
import { argInt, argIsNull, argLong, argPtr, argU64 } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { O, S } from "../../abi/fs.js";
import { Blocked, WaitQueue } from "../wait-queue.js";
import { restoreSuspendMask, suspendMask } from "./signal.js";
import { readTimespec } from "./time.js";
import type { TimerHandle } from "../world/world.js";
import type { OpenFile } from "../vfs/open-file.js";
import { DeviceFile } from "../vfs/devices.js";
import { sigbit } from "../signals.js";
import {
  EpollFile, EPOLLERR, EPOLLET, EPOLLEXCLUSIVE, EPOLLHUP, EPOLLIN, EPOLLOUT, EPOLLWAKEUP,
} from "../events/epoll.js";

const SIGSET_SIZE = 8;
const EPOLL_CTL_ADD = 1;
const EPOLL_CTL_DEL = 2;
const EPOLL_CTL_MOD = 3;
/** struct epoll_event on riscv64: u32 events, 4 bytes of padding, u64 data (not packed). */
const EPOLL_EVENT_SIZE = 16;
/** EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event). */
const EP_MAX_EVENTS = Math.floor(0x7fffffff / EPOLL_EVENT_SIZE);
/** What EPOLLEXCLUSIVE may come with (EPOLLEXCLUSIVE_OK_BITS). */
const EXCLUSIVE_OK = (EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE) >>> 0;
/** The memory devices without a poll operation: null, zero, urandom, … (major 1; random, 1:8, has one). */
const MEM_MAJOR = 1;
const RANDOM_MINOR = 8;

/** An fd as fdget sees it: O_PATH descriptors do not count (EBADF). */
function fdget(t: Task, fd: number): OpenFile | null {
  const f = t.process.fds.get(fd);
  return f && (f.flags & O.PATH) === 0 ? f : null;
}

/**
 * Linux's file_can_poll: the file's operations have a poll. Regular files and directories do not
 * (EPERM), nor do the memory devices; pipes, terminals and the anonymous files do.
 */
function canPoll(f: OpenFile): boolean {
  if (f.kind === "file" || f.kind === "dir" || f.kind === "path") return false;
  if (f instanceof DeviceFile) return f.device === "random";
  if (f.kind === "stdio") {
    const st = f.stat();
    if (typeof st === "number") return true;
    const type = st.mode & S.IFMT;
    if (type === S.IFREG || type === S.IFDIR) return false;
    const rdev = st.rdev;
    const major = Number((rdev >> 8n) & 0xfffn);
    const minor = Number((rdev & 0xffn) | ((rdev >> 12n) & 0xfff00n));
    if (type === S.IFCHR && major === MEM_MAJOR && minor !== RANDOM_MINOR) return false;
  }
  return true;
}

function epollCreate1(t: Task): SyscallResult {
  const flags = argInt(t, 0);
  if (flags & ~O.CLOEXEC) return -E.EINVAL;
  return t.process.fds.install(new EpollFile(0, t.kernel.vfs.time), 0, (flags & O.CLOEXEC) !== 0);
}

function epollCtl(t: Task): SyscallResult {
  const op = argInt(t, 1);
  let events = 0;
  let data = 0n;
  if (op !== EPOLL_CTL_DEL) {
    // Read before anything else, as copy_from_user comes first (EFAULT).
    const addr = argPtr(t, 3);
    events = t.mem.readU32(addr);
    data = t.mem.readU64(addr + 8);
  }
  const epf = fdget(t, argInt(t, 0));
  if (!epf) return -E.EBADF;
  const fd = argInt(t, 2);
  const tf = fdget(t, fd);
  if (!tf) return -E.EBADF;
  if (!canPoll(tf)) return -E.EPERM;
  // EPOLLWAKEUP needs CAP_BLOCK_SUSPEND; without it the bit is dropped quietly.
  if (op !== EPOLL_CTL_DEL && t.kernel.world.uid !== 0) events &= ~EPOLLWAKEUP;
  if (epf === tf || !(epf instanceof EpollFile)) return -E.EINVAL;
  if (op !== EPOLL_CTL_DEL && (events & EPOLLEXCLUSIVE) !== 0) {
    if (op === EPOLL_CTL_MOD) return -E.EINVAL;
    if (op === EPOLL_CTL_ADD && (tf instanceof EpollFile || (events & ~EXCLUSIVE_OK) !== 0)) return -E.EINVAL;
  }
  const ep = epf;
  if (op === EPOLL_CTL_ADD && tf instanceof EpollFile && !ep.mayWatch(tf)) return -E.ELOOP;
  const item = ep.find(tf, fd);
  switch (op) {
    case EPOLL_CTL_ADD:
      if (item) return -E.EEXIST;
      ep.add(fd, tf, events | EPOLLERR | EPOLLHUP, data);
      return 0;
    case EPOLL_CTL_DEL:
      if (!item) return -E.ENOENT;
      ep.drop(item);
      return 0;
    case EPOLL_CTL_MOD:
      if (!item) return -E.ENOENT;
      if (item.events & EPOLLEXCLUSIVE) return -E.EINVAL;
      ep.modify(item, events | EPOLLERR | EPOLLHUP, data);
      return 0;
    default:
      return -E.EINVAL;
  }
}

/** One wait in progress: its deadline (monotonic ns; null waits for ever) and what it hooked. */
class PendingEpoll {
  timer: TimerHandle | null = null;
  hook: { queue: WaitQueue; wake: () => void } | null = null;
  /** The epoll waited on: a re-run uses it even if the descriptor was closed meanwhile (Linux holds the file). */
  ep: EpollFile | null = null;
  constructor(readonly deadline: bigint | null) {}

  unhook(): void {
    this.timer?.cancel();
    this.timer = null;
    if (this.hook) this.hook.queue.remove(this.hook.wake);
    this.hook = null;
  }
}

/** A signal the caller does not block is pending (Linux's signal_pending). */
function signalPending(t: Task): boolean {
  return [...t.pendingSignals, ...t.process.sharedPending].some((p) => (t.sigmask & sigbit(p.signo)) === 0n);
}

/**
 * do_epoll_pwait: the sigmask goes in place first (set_user_sigmask), then do_epoll_wait checks its
 * arguments and waits. `timeout`: ns, null for none; the caller has validated it.
 */
function epollWait(t: Task, timeout: bigint | null, sigmaskArg: number, sizeArg: number): SyscallResult {
  let pending = t.restartData instanceof PendingEpoll ? t.restartData : null;
  const hasMask = !argIsNull(t, sigmaskArg);
  if (pending) pending.unhook();
  else {
    if (hasMask) {
      if (argLong(t, sizeArg) !== SIGSET_SIZE) return -E.EINVAL;
      suspendMask(t, t.mem.readU64(argPtr(t, sigmaskArg)));
    }
    pending = new PendingEpoll(timeout === null ? null : t.kernel.world.monotonicNs() + timeout);
  }
  const finish = (r: number): number => {
    if (hasMask && r !== -E.EINTR) restoreSuspendMask(t);
    return r;
  };
  // The descriptor first, then maxevents, then the buffer's range (what Linux 6.18 does).
  const f = pending.ep ?? fdget(t, argInt(t, 0));
  if (!f) return finish(-E.EBADF);
  const maxevents = argInt(t, 2);
  if (maxevents <= 0 || maxevents > EP_MAX_EVENTS) return finish(-E.EINVAL);
  // access_ok: no guest mapping lies at or above 4 GiB (argPtr's rule).
  if (argU64(t, 1) > 0xffffffffn) return finish(-E.EFAULT);
  if (!(f instanceof EpollFile)) return finish(-E.EINVAL);
  pending.ep = f;
  const eventsAddr = argPtr(t, 1);
  const got = f.collect(maxevents);
  if (got.length > 0) {
    const bytes = new Uint8Array(got.length * EPOLL_EVENT_SIZE);
    const v = new DataView(bytes.buffer);
    got.forEach((e, i) => {
      v.setUint32(i * EPOLL_EVENT_SIZE, e.events, true);
      v.setBigUint64(i * EPOLL_EVENT_SIZE + 8, e.data, true);
    });
    try {
      t.mem.write(eventsAddr, bytes);
    } catch {
      return finish(-E.EFAULT);
    }
    return finish(got.length);
  }
  if (pending.deadline !== null && t.kernel.world.monotonicNs() >= pending.deadline) return finish(0);
  if (signalPending(t)) return finish(-E.EINTR);

  const p = pending;
  t.restartData = p;
  const q = new WaitQueue();
  const wake = () => q.wakeAll();
  f.queue.add(wake);
  p.hook = { queue: f.queue, wake };
  if (p.deadline !== null) p.timer = t.kernel.world.setTimer(p.deadline, wake);
  const interrupted = () => {
    p.unhook();
    // EINTR is final (no restart), so nothing is left for a re-run to find.
    t.restartData = undefined;
  };
  return new Blocked(q, E.EINTR, interrupted);
}

/** epoll_pwait(epfd, events, maxevents, timeout_ms, sigmask, sigsetsize) */
function epollPwait(t: Task): SyscallResult {
  const ms = argInt(t, 3);
  return epollWait(t, ms < 0 ? null : BigInt(ms) * 1_000_000n, 4, 5);
}

/** epoll_pwait2(epfd, events, maxevents, timeout timespec, sigmask, sigsetsize) */
function epollPwait2(t: Task): SyscallResult {
  let timeout: bigint | null = null;
  if (!(t.restartData instanceof PendingEpoll) && !argIsNull(t, 3)) {
    const ns = readTimespec(t, argPtr(t, 3));
    if (ns === undefined) return -E.EINVAL;
    timeout = ns;
  }
  return epollWait(t, timeout, 4, 5);
}

export const epollSyscalls: SyscallRow[] = [
  { name: "epoll_create1", handler: epollCreate1, support: "full" },
  {
    name: "epoll_ctl", handler: epollCtl, support: "partial",
    note: "EPOLLEXCLUSIVE wakes every waiter (all run in one thread, so none misses the event); EPOLLWAKEUP holds no wakeup source",
  },
  { name: "epoll_pwait", handler: epollPwait, support: "full" },
  { name: "epoll_pwait2", handler: epollPwait2, support: "full" },
];
