// Which recorded syscalls a replay runs for real and which it answers from the recording: the one
// decision record and replay rest on, made while recording and stored with each call (Mode).
//
// A call is answered from the recording (Inject) when its outcome depends on the host: it names a
// path (every path resolves through the host's mounted directories), it uses a descriptor of a host
// file, directory, device or of rvtrace's own standard streams, or it reads the host's clocks,
// randomness, ids or load (uname and sysinfo too: pure information, so answering them is always
// safe). A call runs for real (Run) when it only touches the guest's own state, which the replay
// must rebuild: memory, threads and processes, signals, futexes, pipes between guests, the
// descriptor table itself (dup, close, F_SETFD), waiting for children (ppoll and pselect6 with a
// timeout: see waitMode), sockets between guests (but a path named as a socket address is looked up
// in the host's mounts). Writes to the host's stdout and stderr are answered (Stdout, Stderr) and
// their bytes, which are in guest memory, are written by the replay (sendfile's, from a host file,
// are kept in the recording). A mapping of a host file is made for real and its bytes come from
// the recording (RunWrites). Where the decision needs the outcome (openat of a pipe through
// /proc/self/fd, execve), it is refined at the exit.
import { SYSCALL_NUMBERS as N } from "../../abi/gen/syscall-numbers.js";
import type { Task } from "../../kernel/task.js";
import { Mode } from "./format.js";

/**
 * What a descriptor is: not open; a pipe or socket between guests; rvtrace's own stdout or stderr (shared by
 * every descriptor that refers to it); anything else (a host file, directory or device, stdin).
 */
export type FdClass = "none" | "internal" | "stdout" | "stderr" | "host";
export type FdClassifier = (task: Task, fd: number) => FdClass;

/** Always answered from the recording: paths, clocks, randomness, ids, host information, sleeps. */
const HOST_CALLS = new Set<number>([
  N.getcwd, N.chdir, N.openat, N.newfstatat, N.statx, N.faccessat, N.faccessat2, N.readlinkat, N.mkdirat,
  N.unlinkat, N.renameat2, N.linkat, N.symlinkat, N.fchmodat, N.fchownat, N.utimensat, N.truncate, N.statfs,
  N.sync, N.fstat, N.fstatfs, N.uname, N.sysinfo, N.times, N.getrusage, N.clock_gettime, N.clock_getres,
  N.gettimeofday, N.getrandom, N.nanosleep, N.clock_nanosleep, N.getitimer, N.setitimer, N.sched_getaffinity,
  N.getuid, N.geteuid, N.getgid, N.getegid, N.getresuid, N.getresgid, N.getgroups,
  N.timerfd_settime, N.timerfd_gettime,
]);

/** Calls on one descriptor (argument 0): answered when it is a host one, run when it is a pipe or not open. */
const FD_CALLS = new Set<number>([
  N.read, N.readv, N.pread64, N.preadv, N.write, N.writev, N.pwrite64, N.pwritev, N.lseek, N.getdents64,
  N.ioctl, N.fsync, N.fdatasync, N.ftruncate, N.fallocate, N.fadvise64, N.fchmod, N.fchown, N.fchdir, N.flock,
]);

/** The write family: their data is checked (and, to the host's stdout or stderr, written) by the replay. */
export const WRITE_CALLS = new Set<number>([N.write, N.writev, N.pwrite64, N.pwritev]);

// fcntl commands that only touch the descriptor table (fcntl.h).
const F_DUPFD = 0n;
const F_GETFD = 1n;
const F_SETFD = 2n;
const F_DUPFD_CLOEXEC = 1030n;
const MAP_ANONYMOUS = 0x20n;

const fdArg = (args: readonly bigint[], i: number): number => Number(BigInt.asIntN(32, args[i]));

/** The mode of a call at its entry (args as the guest passed them; memory read for poll sets). */
export function classifyEntry(task: Task, nr: number, args: readonly bigint[], fdClass: FdClassifier): Mode {
  if (HOST_CALLS.has(nr)) return Mode.Inject;
  const onHost = (fd: number): boolean => {
    const c = fdClass(task, fd);
    return c !== "none" && c !== "internal";
  };
  if (FD_CALLS.has(nr)) {
    const c = fdClass(task, fdArg(args, 0));
    if (c === "none" || c === "internal") return Mode.Run;
    if (WRITE_CALLS.has(nr) && c === "stdout") return Mode.Stdout;
    if (WRITE_CALLS.has(nr) && c === "stderr") return Mode.Stderr;
    return Mode.Inject;
  }
  switch (nr) {
    case N.fcntl: {
      const cmd = args[1];
      if (cmd === F_DUPFD || cmd === F_DUPFD_CLOEXEC || cmd === F_GETFD || cmd === F_SETFD) return Mode.Run;
      return onHost(fdArg(args, 0)) ? Mode.Inject : Mode.Run;
    }
    case N.sendfile: {
      // To the host's stdout from a host file: answered, with the bytes sent kept in the recording;
      // from a pipe, re-run (the pipe must be drained), so the replay's stdout gets them again.
      const out = fdClass(task, fdArg(args, 0));
      const from = fdClass(task, fdArg(args, 1));
      if ((out === "stdout" || out === "stderr") && from === "host") return out === "stdout" ? Mode.Stdout : Mode.Stderr;
      if (out === "stdout" || out === "stderr") return Mode.Run;
      return onHost(fdArg(args, 0)) || onHost(fdArg(args, 1)) ? Mode.Inject : Mode.Run;
    }
    case N.copy_file_range:
      return onHost(fdArg(args, 0)) || onHost(fdArg(args, 2)) ? Mode.Inject : Mode.Run;
    case N.mmap:
      return (args[3] & MAP_ANONYMOUS) === 0n && onHost(fdArg(args, 4)) ? Mode.RunWrites : Mode.Run;
    // An AF_UNIX address that names a path is looked up in the host's mounts: answered. (Abstract
    // names and AF_UNSPEC only touch the guest's own sockets; nothing is ever bound, so a named
    // send queues nothing and answering it loses no data.)
    case N.connect:
      return namesPath(task, args[1], args[2]) ? Mode.Inject : Mode.Run;
    case N.sendto:
      return namesPath(task, args[4], args[5]) ? Mode.Inject : Mode.Run;
    case N.sendmsg:
      return namesPath(task, readOr0(task, args[1]), readOr0(task, args[1] + 8n) & 0xffff_ffffn) ? Mode.Inject : Mode.Run;
    case N.ppoll:
      return waitMode(pollFds(task, args).some(onHost), timedWait(task, args[2]), args[3] !== 0n);
    case N.pselect6:
      return waitMode(selectFds(task, args).some(onHost), timedWait(task, args[4]), selectMask(task, args[5]));
    case N.epoll_pwait:
    case N.epoll_pwait2:
      // An epoll of guest files runs again (collecting changes its ready list and its one-shot and
      // edge-triggered items); one that watches the host's is answered. A timed-out wait: classifyExit.
      return onHost(fdArg(args, 0)) ? Mode.Inject : Mode.Run;
    default:
      return Mode.Run;
  }
}

/**
 * The mode once the call has returned: an openat that gave a pipe (through /proc/self/fd) re-runs,
 * which needs no host; an execve that worked re-runs with the recorded program files, one that
 * failed is answered; a wait that timed out is answered.
 */
export function classifyExit(task: Task, nr: number, mode: Mode, result: bigint, fdClass: FdClassifier): Mode {
  if (nr === N.openat && result >= 0n && fdClass(task, Number(result)) === "internal") return Mode.Run;
  if (nr === N.execve || nr === N.execveat) return result === 0n ? Mode.Run : Mode.Inject;
  if (TIMED_OUT.get(nr)?.includes(result)) return Mode.Inject;
  return mode;
}

/**
 * The results by which a wait says the host's clock ended it: it took nothing (no signal, no futex
 * wake, no ready descriptor) and left the guest's state as it found it, so answering it is safe,
 * and the replay holds it until the slice it came back in, where running it again would end it
 * whenever the host's clock says, perhaps at another point of the other tasks' run.
 */
const TIMED_OUT = new Map<number, bigint[]>([
  [N.rt_sigtimedwait, [-11n /* EAGAIN */]],
  [N.futex, [-110n /* ETIMEDOUT */]],
  [N.ppoll, [0n]],
  [N.pselect6, [0n]],
  [N.epoll_pwait, [0n]],
  [N.epoll_pwait2, [0n]],
]);

/**
 * ppoll and pselect6: on host descriptors, answered. On pipes, with a timeout, answered too (the
 * call is pure and the host's clock ends it), unless it waits under a signal mask of its own: the
 * mask must be applied, so it runs, and the time left it writes comes from the recording.
 */
function waitMode(host: boolean, timed: boolean, masked: boolean): Mode {
  if (host) return Mode.Inject;
  if (!timed) return Mode.Run;
  return masked ? Mode.RunWrites : Mode.Inject;
}

/** pselect6's sixth argument points at { sigset pointer, size }: a mask when the pointer is not NULL. */
function selectMask(task: Task, arg: bigint): boolean {
  if (arg === 0n) return false;
  try {
    return task.readU64(arg) !== 0n;
  } catch {
    return false;
  }
}

/** A timeout that is neither NULL nor zero: the wait may end by the host's clock. */
function timedWait(task: Task, timeout: bigint): boolean {
  if (timeout === 0n) return false;
  try {
    return task.readU64(timeout) !== 0n || task.readU64(timeout + 8n) !== 0n;
  } catch {
    return false;
  }
}

/** A u64 of guest memory, or 0 where it cannot be read (the call then fails alike either way). */
function readOr0(task: Task, addr: bigint): bigint {
  try {
    return task.readU64(addr);
  } catch {
    return 0n;
  }
}

/** A struct sockaddr_un of `len` bytes at `addr` naming a file: AF_UNIX and a sun_path not starting with NUL. */
function namesPath(task: Task, addr: bigint, len: bigint): boolean {
  if (addr === 0n || BigInt.asUintN(32, len) < 3n) return false;
  try {
    const b = task.readBytes(addr, 3);
    return b[0] === 1 && b[1] === 0 && b[2] !== 0;
  } catch {
    return false;
  }
}

/** The descriptors of ppoll's pollfd array (unreadable memory: none; the call fails alike either way). */
function pollFds(task: Task, args: readonly bigint[]): number[] {
  const nfds = Number(BigInt.asUintN(32, args[1]));
  const out: number[] = [];
  try {
    for (let i = 0; i < Math.min(nfds, 4096); i++) out.push(task.readI32(args[0] + BigInt(8 * i)));
  } catch {
    // A bad pointer: EFAULT, which re-running gives too.
  }
  return out;
}

/** The descriptors set in any of pselect6's three sets. */
function selectFds(task: Task, args: readonly bigint[]): number[] {
  const nfds = Math.min(Math.max(Number(BigInt.asIntN(32, args[0])), 0), 4096);
  const out = new Set<number>();
  for (let set = 1; set <= 3; set++) {
    if (args[set] === 0n) continue;
    try {
      const bits = task.readBytes(args[set], Math.ceil(nfds / 64) * 8);
      for (let fd = 0; fd < nfds; fd++) if (bits[fd >> 3] & (1 << (fd & 7))) out.add(fd);
    } catch {
      // As above.
    }
  }
  return [...out];
}
