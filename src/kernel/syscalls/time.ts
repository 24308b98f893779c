// Clocks and sleeping: clock_gettime, clock_getres, gettimeofday, nanosleep, clock_nanosleep.
import type { SyscallRow, SyscallResult } from "./types.js";
import type { Task } from "../task.js";
import { argInt, argIsNull, argPtr } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { Blocked, ERESTARTNOHAND, ERESTART_RESTARTBLOCK, WaitQueue } from "../wait-queue.js";
import type { Process } from "../process.js";
import type { TimerHandle } from "../world/world.js";
import {
  CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW, CLOCK_PROCESS_CPUTIME_ID,
  CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_THREAD_CPUTIME_ID,
} from "../../abi/clocks.js";

const TIMER_ABSTIME = 1;
const NS = 1_000_000_000n;

/**
 * Nanoseconds of a clock, or undefined for an unknown clock id. The kernel's World (world/) tells
 * the time: the host's clocks, or --deterministic's virtual ones.
 */
export function clockNs(t: Task, id: number): bigint | undefined {
  const world = t.kernel.world;
  switch (id) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
      return world.realtimeNs();
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
      return world.monotonicNs();
    case CLOCK_PROCESS_CPUTIME_ID:
      return world.cpuNs(t.process, null);
    case CLOCK_THREAD_CPUTIME_ID:
      return world.cpuNs(t.process, t);
    default: {
      if (id >= 0) return undefined;
      const target = cpuClockTarget(t, id);
      return target ? world.cpuNs(target.process, target.thread) : undefined;
    }
  }
}

/**
 * Calls cb once `clock` reaches `deadline` (a timer on the monotonic clock: no clock here steps,
 * so the distance between them stays what it is now). Returns the timer, for cancelling.
 */
export function wakeAt(t: Task, clock: number, deadline: bigint, cb: () => void): TimerHandle {
  const world = t.kernel.world;
  const left = deadline - clockNs(t, clock)!;
  return world.setTimer(world.monotonicNs() + (left > 0n ? left : 0n), cb);
}

/**
 * A dynamic CPU-time clock id, as clock_getcpuclockid and pthread_getcpuclockid make them: ~pid << 3,
 * bit 2 for a thread's clock, the low two bits the kind (PROF, VIRT or SCHED; 3 is invalid). pid 0 is
 * the caller; otherwise the process's own pid, or for a thread clock one of its thread ids. Every
 * kind reads as the CPU time of the process or thread named; null when it names none of them.
 */
function cpuClockTarget(t: Task, id: number): { process: Process; thread: Task | null } | null {
  if ((id & 3) === 3) return null;
  const pid = ~(id >> 3);
  const thread = (id & 4) !== 0;
  if (pid === 0) return { process: t.process, thread: thread ? t : null };
  if (!thread) return pid === t.process.pid ? { process: t.process, thread: null } : null;
  const x = t.process.tasks.find((x) => x.tid === pid);
  return x ? { process: t.process, thread: x } : null;
}

/** Writes ns as a struct timespec. */
export function writeTimespec(t: Task, addr: number, ns: bigint): void {
  t.mem.writeU64(addr, ns / NS);
  t.mem.writeU64(addr + 8, ns % NS);
}

/** Reads a struct timespec as ns, or undefined when it is out of range (the callers' EINVAL). */
export function readTimespec(t: Task, addr: number): bigint | undefined {
  const sec = t.mem.readI64(addr);
  const nsec = t.mem.readI64(addr + 8);
  if (sec < 0n || nsec < 0n || nsec >= NS) return undefined;
  return sec * NS + nsec;
}

function clockGettime(t: Task): number {
  const ns = clockNs(t, argInt(t, 0));
  if (ns === undefined) return -E.EINVAL;
  writeTimespec(t, argPtr(t, 1), ns);
  return 0;
}

function clockGetres(t: Task): number {
  const id = argInt(t, 0);
  if (clockNs(t, id) === undefined) return -E.EINVAL;
  const coarse = id === CLOCK_REALTIME_COARSE || id === CLOCK_MONOTONIC_COARSE;
  if (!argIsNull(t, 1)) writeTimespec(t, argPtr(t, 1), coarse ? 4_000_000n : 1n);
  return 0;
}

function gettimeofday(t: Task): number {
  if (!argIsNull(t, 0)) {
    const ns = clockNs(t, CLOCK_REALTIME)!;
    t.mem.writeU64(argPtr(t, 0), ns / NS);
    t.mem.writeU64(argPtr(t, 0) + 8, (ns % NS) / 1000n);
  }
  if (!argIsNull(t, 1)) {
    t.mem.writeU64(argPtr(t, 1), 0n); // struct timezone: UTC, no DST
  }
  return 0;
}

/** What a sleep keeps across its restarts (task.restartData): its deadline, on its clock. */
class PendingSleep {
  constructor(readonly deadline: bigint) {}
}

/**
 * Sleeps until the clock reaches the deadline. The task parks on a queue woken by a host timer and
 * re-runs the syscall, which then finds the deadline passed. A signal ends the sleep as in Linux:
 * a relative sleep returns ERESTART_RESTARTBLOCK and writes the time left to `remAddr` (if not 0),
 * an absolute one returns ERESTARTNOHAND; either is EINTR if a handler runs and a restart, towards
 * the same deadline, if none does.
 */
function sleep(t: Task, clock: number, flags: number, reqAddr: number, remAddr: number): SyscallResult {
  const absolute = (flags & TIMER_ABSTIME) !== 0;
  let deadline: bigint;
  if (t.restartData instanceof PendingSleep) {
    deadline = t.restartData.deadline;
  } else {
    const req = readTimespec(t, reqAddr);
    if (req === undefined) return -E.EINVAL;
    deadline = absolute ? req : clockNs(t, clock)! + req;
  }
  const now = clockNs(t, clock)!;
  if (now >= deadline) return 0;
  t.restartData = new PendingSleep(deadline);
  const q = new WaitQueue();
  const timer = wakeAt(t, clock, deadline, () => q.wakeAll());
  const interrupted = () => {
    timer.cancel();
    if (absolute || remAddr === 0) return;
    const left = deadline - clockNs(t, clock)!;
    try {
      writeTimespec(t, remAddr, left > 0n ? left : 0n);
    } catch {
      // An unwritable rem: Linux then returns EFAULT; the guest gets EINTR and no remainder.
    }
  };
  return new Blocked(q, absolute ? ERESTARTNOHAND : ERESTART_RESTARTBLOCK, interrupted);
}

function nanosleep(t: Task): SyscallResult {
  return sleep(t, CLOCK_MONOTONIC, 0, argPtr(t, 0), argIsNull(t, 1) ? 0 : argPtr(t, 1));
}

function clockNanosleep(t: Task): SyscallResult {
  const clock = argInt(t, 0);
  // A thread's CPU clock cannot be slept on (Linux's posix_cpu_nsleep refuses it).
  const threadClock = clock === CLOCK_THREAD_CPUTIME_ID || (clock < 0 && (clock & 4) !== 0);
  if (clockNs(t, clock) === undefined || threadClock) return -E.EINVAL;
  return sleep(t, clock, argInt(t, 1), argPtr(t, 2), argIsNull(t, 3) ? 0 : argPtr(t, 3));
}

export const timeSyscalls: SyscallRow[] = [
  { name: "clock_gettime", handler: clockGettime, support: "full" },
  { name: "clock_getres", handler: clockGetres, support: "full" },
  { name: "gettimeofday", handler: gettimeofday, support: "full" },
  { name: "nanosleep", handler: nanosleep, support: "full" },
  { name: "clock_nanosleep", handler: clockNanosleep, support: "full" },
];
