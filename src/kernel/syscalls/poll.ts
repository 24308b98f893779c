// Waiting on descriptors: ppoll and pselect6 (glibc's poll, select, pselect and pause on riscv64).
//
// A call asks each file for its PollState. When nothing is ready and the timeout allows waiting,
// it parks on a queue of its own, which the files' queues and a host timer wake, and is run again:
// the deadline and the wake-up hooks are kept in task.restartData, so a re-run or a restart (a
// signal without a handler) goes on towards the same deadline. A signal with a handler ends the
// wait with EINTR (ERESTARTNOHAND, as in Linux), after the time left is written back.
import { clearLongTimeout, setLongTimeout, type LongTimeout } from "../host/timer.js";
import type { SyscallResult, SyscallRow } from "./types.js";
import type { Task } from "../task.js";
import { argInt, argIsNull, argLong, argPtr, argU32 } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { POLL } from "../../abi/fs.js";
import { Blocked, ERESTARTNOHAND, WaitQueue, type Waker } from "../wait-queue.js";
import { restoreSuspendMask, suspendInterrupted, suspendMask } from "./signal.js";
import { readTimespec, writeTimespec } from "./time.js";

const SIGSET_SIZE = 8;
const POLLFD_SIZE = 8; // struct pollfd { int fd; short events; short revents; }

// What select's three sets mean in poll bits (fs/select.c POLLIN_SET, POLLOUT_SET, POLLEX_SET).
const POLLIN_SET = POLL.IN | POLL.RDNORM | POLL.HUP | POLL.ERR | 0x80 /* POLLRDBAND */;
const POLLOUT_SET = POLL.OUT | POLL.WRNORM | POLL.ERR | 0x200 /* POLLWRBAND */;
const POLLEX_SET = POLL.PRI;

function monotonicNs(): bigint {
  return process.hrtime.bigint();
}

/** One wait in progress: its deadline (monotonic ns; null waits for ever) and what it hooked. */
class PendingPoll {
  timer: LongTimeout | null = null;
  readonly hooks: [WaitQueue, Waker][] = [];
  constructor(readonly deadline: bigint | null) {}

  /** Removes the wake-up hooks and the timer of the last park. */
  unhook(): void {
    if (this.timer) clearLongTimeout(this.timer);
    this.timer = null;
    for (const [q, w] of this.hooks.splice(0)) q.remove(w);
  }
}

/** Reads a relative timeout (timespec): nanoseconds, null for none (NULL), or -EINVAL. */
function readTimeout(t: Task, addr: number | null): bigint | null | number {
  if (addr === null) return null;
  return readTimespec(t, addr) ?? -E.EINVAL;
}

/** Writes the time left until `deadline` back into the caller's timespec, as Linux does. */
function writeTimeLeft(t: Task, addr: number | null, deadline: bigint | null): void {
  if (addr === null || deadline === null) return;
  const left = deadline - monotonicNs();
  const ns = left > 0n ? left : 0n;
  try {
    writeTimespec(t, addr, ns);
  } catch {
    // Linux ignores a timeout it cannot update (the result stands).
  }
}

/** How ppoll and pselect6 look at their files. */
interface Scan {
  /** Counts the ready files (or gives -errno), adding the files' wait queues to `queues`. */
  scan(queues: Set<WaitQueue>): number;
  /** Writes the results of the last scan for the caller (not done when a signal ends the wait). */
  publish(): void;
}

/**
 * The shared skeleton of ppoll and pselect6: with nothing ready, the task waits until a file's
 * queue, the deadline or a signal wakes it, and scans again.
 */
function waitFor(t: Task, timeoutAddr: number | null, sigmaskAddr: number | null, files: Scan): SyscallResult {
  let pending = t.restartData instanceof PendingPoll ? t.restartData : null;
  if (pending) pending.unhook();
  else {
    const timeout = readTimeout(t, timeoutAddr);
    if (typeof timeout === "number") return timeout;
    if (sigmaskAddr !== null) suspendMask(t, t.mem.readU64(sigmaskAddr));
    pending = new PendingPoll(timeout === null ? null : monotonicNs() + timeout);
  }
  const finish = (r: number): number => {
    if (r >= 0) files.publish();
    writeTimeLeft(t, timeoutAddr, pending!.deadline);
    if (sigmaskAddr !== null && r !== -E.EINTR) restoreSuspendMask(t);
    return r;
  };
  const queues = new Set<WaitQueue>();
  const ready = files.scan(queues);
  if (ready !== 0) return finish(ready);
  const now = monotonicNs();
  if (pending.deadline !== null && now >= pending.deadline) return finish(0);
  // A signal the temporary mask lets through, already pending: EINTR now, its handler runs next.
  if (sigmaskAddr !== null && suspendInterrupted(t)) return finish(-E.EINTR);

  const p = pending;
  t.restartData = p;
  const q = new WaitQueue();
  const wake = () => q.wakeAll();
  for (const fq of queues) {
    fq.add(wake);
    p.hooks.push([fq, wake]);
  }
  if (p.deadline !== null) {
    const ms = Number((p.deadline - now + 999_999n) / 1_000_000n);
    p.timer = setLongTimeout(wake, ms);
  }
  const interrupted = () => {
    p.unhook();
    writeTimeLeft(t, timeoutAddr, p.deadline);
  };
  return new Blocked(q, ERESTARTNOHAND, interrupted);
}

/** The optional sigmask of ppoll: its address, null for none, or -EINVAL for a bad size. */
function sigmaskArg(t: Task, ptrArg: number, sizeArg: number): number | null {
  if (argIsNull(t, ptrArg)) return null;
  if (argLong(t, sizeArg) !== SIGSET_SIZE) return -E.EINVAL;
  return argPtr(t, ptrArg);
}

/** ppoll(fds, nfds, tmo_p, sigmask, sigsetsize) */
function ppoll(t: Task): SyscallResult {
  const nfds = argU32(t, 1);
  if (nfds > t.process.fds.limit) return -E.EINVAL;
  const sigmask = sigmaskArg(t, 3, 4);
  if (sigmask !== null && sigmask < 0) return sigmask;
  const fdsAddr = argPtr(t, 0);
  const timeoutAddr = argIsNull(t, 2) ? null : argPtr(t, 2);
  const mem = t.mem;
  const entries = mem.read(fdsAddr, nfds * POLLFD_SIZE);
  const v = new DataView(entries.buffer, entries.byteOffset, entries.byteLength);
  const scan = (queues: Set<WaitQueue>): number => {
    let count = 0;
    for (let i = 0; i < nfds; i++) {
      const fd = v.getInt32(i * POLLFD_SIZE, true);
      const events = v.getUint16(i * POLLFD_SIZE + 4, true);
      let revents = 0;
      if (fd >= 0) {
        const f = t.process.fds.get(fd);
        if (!f) revents = POLL.NVAL;
        else {
          const st = f.poll();
          revents = st.events & (events | POLL.ERR | POLL.HUP);
          if (st.queue) queues.add(st.queue);
        }
      }
      v.setUint16(i * POLLFD_SIZE + 6, revents, true);
      if (revents !== 0) count++;
    }
    return count;
  };
  return waitFor(t, timeoutAddr, sigmask, { scan, publish: () => mem.write(fdsAddr, entries) });
}

/** pselect6(nfds, readfds, writefds, exceptfds, timeout, {sigmask, sigsetsize}) */
function pselect6(t: Task): SyscallResult {
  const nfds = argInt(t, 0);
  if (nfds < 0) return -E.EINVAL;
  const n = Math.min(nfds, t.process.fds.limit);
  const bytes = Math.ceil(n / 64) * 8; // each set is an array of longs
  let sigmask: number | null = null;
  if (!argIsNull(t, 5)) {
    const arg = argPtr(t, 5);
    const ss = Number(t.mem.readU64(arg));
    if (ss !== 0) {
      if (t.mem.readU64(arg + 8) !== BigInt(SIGSET_SIZE)) return -E.EINVAL;
      sigmask = ss;
    }
  }
  const timeoutAddr = argIsNull(t, 4) ? null : argPtr(t, 4);
  const mem = t.mem;
  const addrs = [1, 2, 3].map((i) => (argIsNull(t, i) || bytes === 0 ? null : argPtr(t, i)));
  const wanted = addrs.map((a) => (a === null ? null : mem.read(a, bytes)));
  const ready = wanted.map((w) => (w === null ? null : new Uint8Array(w.length)));
  const masks = [POLLIN_SET, POLLOUT_SET, POLLEX_SET];
  const scan = (queues: Set<WaitQueue>): number => {
    for (const r of ready) r?.fill(0);
    let count = 0;
    for (let fd = 0; fd < n; fd++) {
      const byte = fd >> 3;
      const bit = 1 << (fd & 7);
      if (!wanted.some((w) => w !== null && (w[byte] & bit) !== 0)) continue;
      const f = t.process.fds.get(fd);
      if (!f) return -E.EBADF;
      const st = f.poll();
      if (st.queue) queues.add(st.queue);
      for (let k = 0; k < 3; k++) {
        if (wanted[k] !== null && (wanted[k]![byte] & bit) !== 0 && (st.events & masks[k]) !== 0) {
          ready[k]![byte] |= bit;
          count++;
        }
      }
    }
    return count;
  };
  const publish = () => {
    for (let k = 0; k < 3; k++) if (addrs[k] !== null) mem.write(addrs[k]!, ready[k]!);
  };
  return waitFor(t, timeoutAddr, sigmask, { scan, publish });
}

export const pollSyscalls: SyscallRow[] = [
  { name: "ppoll", handler: ppoll, support: "full" },
  { name: "pselect6", handler: pselect6, support: "full" },
];
