// Interval timers: setitimer and getitimer (glibc's alarm and ualarm are setitimer). Each process
// has three; on expiry a timer of the kernel's world (world/: the host's, or virtual time) sends
// the process its signal (SIGALRM, SIGVTALRM, SIGPROF) and, with an interval, re-arms. A process's
// timers are stopped when it ends, so no host timer outlives the guest.
import type { SyscallRow } from "./types.js";
import type { Task } from "../task.js";
import type { Process } from "../process.js";
import { argInt, argIsNull, argPtr } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import type { TimerHandle } from "../world/world.js";

const NS_PER_US = 1000n;
const US_PER_S = 1_000_000n;
/** si_code of a signal the kernel itself sends (asm-generic/siginfo.h). */
const SI_KERNEL = 0x80;

/** ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF: the signal each one sends. */
const TIMER_SIGNALS = [14 /* SIGALRM */, 26 /* SIGVTALRM */, 27 /* SIGPROF */] as const;

class IntervalTimer {
  /** When it next expires (monotonic ns), or null when disarmed. */
  expires: bigint | null = null;
  /** The reload value in ns (0: one-shot). */
  interval = 0n;
  handle: TimerHandle | null = null;

  stop(): void {
    this.handle?.cancel();
    this.handle = null;
    this.expires = null;
  }
}

const timersOf = new WeakMap<Process, IntervalTimer[]>();

function timers(p: Process): IntervalTimer[] {
  let ts = timersOf.get(p);
  if (!ts) {
    const made = TIMER_SIGNALS.map(() => new IntervalTimer());
    timersOf.set(p, (ts = made));
    p.atExit(() => made.forEach((x) => x.stop()));
  }
  return ts;
}

/** The monotonic clock of the process's world. */
function now(p: Process): bigint {
  return p.kernel.world.monotonicNs();
}

/** Starts the timer for `tm`'s next expiry. */
function schedule(p: Process, which: number, tm: IntervalTimer): void {
  const expires = tm.expires!;
  tm.handle = p.kernel.world.setTimer(expires, () => {
    tm.handle = null;
    if (!p.alive) return;
    p.kernel.onHostEvent?.({ kind: "timer", pid: p.pid, which });
    timerSignal(p, which);
    if (tm.interval > 0n) {
      tm.expires = expires + tm.interval;
      schedule(p, which, tm);
    } else tm.expires = null;
  });
}

/** An expiry of timer `which`: its signal goes to the process (to its first live thread). */
export function timerSignal(p: Process, which: number): void {
  const target = p.tasks.find((x) => x.state !== "dead");
  if (target) target.kernel.sendSignal(target, { signo: TIMER_SIGNALS[which], code: SI_KERNEL });
}

/** Reads a struct timeval as ns, or undefined when it is out of range (EINVAL). */
function readTimeval(t: Task, addr: number): bigint | undefined {
  const sec = t.mem.readI64(addr);
  const usec = t.mem.readI64(addr + 8);
  if (sec < 0n || usec < 0n || usec >= US_PER_S) return undefined;
  return (sec * US_PER_S + usec) * NS_PER_US;
}

function writeTimeval(t: Task, addr: number, ns: bigint): void {
  // Linux rounds a time left up to the next microsecond, so a running timer never reads as 0.
  const us = (ns + NS_PER_US - 1n) / NS_PER_US;
  t.mem.writeU64(addr, us / US_PER_S);
  t.mem.writeU64(addr + 8, us % US_PER_S);
}

/** Writes a struct itimerval (interval, then value) describing `tm`. */
function writeItimerval(t: Task, addr: number, tm: IntervalTimer): void {
  const left = tm.expires === null ? 0n : tm.expires - now(t.process);
  writeTimeval(t, addr, tm.interval);
  writeTimeval(t, addr + 16, left > 0n ? left : tm.expires === null ? 0n : 1n);
}

function getitimer(t: Task): number {
  const which = argInt(t, 0);
  if (which < 0 || which >= TIMER_SIGNALS.length) return -E.EINVAL;
  writeItimerval(t, argPtr(t, 1), timers(t.process)[which]);
  return 0;
}

function setitimer(t: Task): number {
  const which = argInt(t, 0);
  if (which < 0 || which >= TIMER_SIGNALS.length) return -E.EINVAL;
  let interval = 0n;
  let value = 0n;
  if (!argIsNull(t, 1)) {
    const a = argPtr(t, 1);
    const i = readTimeval(t, a);
    const v = readTimeval(t, a + 16);
    if (i === undefined || v === undefined) return -E.EINVAL;
    interval = i;
    value = v;
  }
  const tm = timers(t.process)[which];
  if (!argIsNull(t, 2)) writeItimerval(t, argPtr(t, 2), tm);
  tm.stop();
  tm.interval = interval;
  if (value > 0n) {
    tm.expires = now(t.process) + value;
    schedule(t.process, which, tm);
  }
  return 0;
}

export const itimerSyscalls: SyscallRow[] = [
  {
    name: "getitimer", handler: getitimer, support: "partial",
    note: "ITIMER_VIRTUAL and ITIMER_PROF count elapsed time, not the process's CPU time",
  },
  {
    name: "setitimer", handler: setitimer, support: "partial",
    note: "ITIMER_VIRTUAL and ITIMER_PROF count elapsed time, not the process's CPU time",
  },
];
