// Clocks and sleeping: clock_gettime, clock_getres, gettimeofday, nanosleep, clock_nanosleep.
import type { SyscallRow, SyscallResult } from "./types.js";
import type { Task } from "../task.js";
import { argInt, argIsNull, argPtr } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { Blocked, WaitQueue } from "../wait-queue.js";

// Clock ids (linux/time.h).
const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;
const CLOCK_PROCESS_CPUTIME_ID = 2;
const CLOCK_THREAD_CPUTIME_ID = 3;
const CLOCK_MONOTONIC_RAW = 4;
const CLOCK_REALTIME_COARSE = 5;
const CLOCK_MONOTONIC_COARSE = 6;
const CLOCK_BOOTTIME = 7;
const TIMER_ABSTIME = 1;
const NS = 1_000_000_000n;

const startNs = process.hrtime.bigint();

/** Nanoseconds of a clock, or undefined for an unknown clock id. */
function clockNs(t: Task, id: number): bigint | undefined {
  switch (id) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
      return BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
      return process.hrtime.bigint();
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
      // The guest has the host thread to itself while it runs: elapsed time since rvtrace started.
      return process.hrtime.bigint() - startNs;
    default:
      return undefined;
  }
}

function writeTimespec(t: Task, addr: number, ns: bigint): void {
  t.mem.writeU64(addr, ns / NS);
  t.mem.writeU64(addr + 8, ns % NS);
}

function readTimespec(t: Task, addr: number): bigint | undefined {
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

/**
 * Sleeps until the clock reaches `deadline`. The task parks on a queue woken by a host timer and
 * re-runs the syscall, which then finds the deadline passed. Deadlines are kept per task so a
 * restarted relative sleep does not start over.
 */
const deadlines = new WeakMap<Task, bigint>();

function sleepUntil(t: Task, clock: number, deadline: bigint): SyscallResult {
  const now = clockNs(t, clock)!;
  if (now >= deadline) {
    deadlines.delete(t);
    return 0;
  }
  deadlines.set(t, deadline);
  const q = new WaitQueue();
  const ms = Number((deadline - now + 999_999n) / 1_000_000n);
  setTimeout(() => q.wakeAll(), ms);
  return new Blocked(q);
}

function sleep(t: Task, clock: number, flags: number, reqAddr: number): SyscallResult {
  const pending = deadlines.get(t);
  if (pending !== undefined) return sleepUntil(t, clock, pending);
  const req = readTimespec(t, reqAddr);
  if (req === undefined) return -E.EINVAL;
  const deadline = flags & TIMER_ABSTIME ? req : clockNs(t, clock)! + req;
  return sleepUntil(t, clock, deadline);
}

function nanosleep(t: Task): SyscallResult {
  return sleep(t, CLOCK_MONOTONIC, 0, argPtr(t, 0));
}

function clockNanosleep(t: Task): SyscallResult {
  const clock = argInt(t, 0);
  if (clockNs(t, clock) === undefined || clock === CLOCK_THREAD_CPUTIME_ID) return -E.EINVAL;
  return sleep(t, clock, argInt(t, 1), argPtr(t, 2));
}

export const timeSyscalls: SyscallRow[] = [
  { name: "clock_gettime", handler: clockGettime, support: "full" },
  { name: "clock_getres", handler: clockGetres, support: "full" },
  { name: "gettimeofday", handler: gettimeofday, support: "full" },
  { name: "nanosleep", handler: nanosleep, support: "partial", note: "an interrupted sleep does not write the remaining time" },
  { name: "clock_nanosleep", handler: clockNanosleep, support: "partial", note: "an interrupted sleep does not write the remaining time" },
];
