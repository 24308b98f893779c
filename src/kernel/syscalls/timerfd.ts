// timerfd_create, timerfd_settime and timerfd_gettime (fs/timerfd.c), over the TimerFdFile of
// events/timerfd.ts. Arguments are checked in Linux's order: the new value is copied (EFAULT) and
// validated with the flags (EINVAL) before the descriptor is looked up (EBADF, EINVAL); the old
// value is written last.
import type { SyscallResult, SyscallRow } from "./types.js";
import type { Task } from "../task.js";
import { argInt, argIsNull, argPtr } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { O } from "../../abi/fs.js";
import { TimerFdFile, type TimerValue } from "../events/timerfd.js";
import { readTimespec, writeTimespec } from "./time.js";
import {
  CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM, CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_REALTIME_ALARM,
} from "../../abi/clocks.js";

const TFD_TIMER_ABSTIME = 1;
const TFD_TIMER_CANCEL_ON_SET = 2;

function timerfdCreate(t: Task): SyscallResult {
  const clock = argInt(t, 0);
  const flags = argInt(t, 1);
  const known = [CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM];
  if (flags & ~(O.CLOEXEC | O.NONBLOCK) || !known.includes(clock)) return -E.EINVAL;
  // The alarm clocks need CAP_WAKE_ALARM; nothing suspends a guest, so they are their plain clocks.
  const alarm = clock === CLOCK_REALTIME_ALARM || clock === CLOCK_BOOTTIME_ALARM;
  if (alarm && t.kernel.world.uid !== 0) return -E.EPERM;
  const base = clock === CLOCK_REALTIME || clock === CLOCK_REALTIME_ALARM ? CLOCK_REALTIME : CLOCK_MONOTONIC;
  const f = new TimerFdFile(t.kernel.world, base, flags, t.kernel.vfs.time);
  return t.process.fds.install(f, 0, (flags & O.CLOEXEC) !== 0);
}

/** timerfd_fget: the timerfd behind fd, or -EBADF / -EINVAL. */
function timerOf(t: Task, fd: number): TimerFdFile | number {
  const f = t.process.fds.get(fd);
  if (!f || (f.flags & O.PATH) !== 0) return -E.EBADF;
  return f instanceof TimerFdFile ? f : -E.EINVAL;
}

/** Writes a struct itimerspec (it_interval, then it_value). */
function writeItimerspec(t: Task, addr: number, v: TimerValue): void {
  writeTimespec(t, addr, v.interval);
  writeTimespec(t, addr + 16, v.value);
}

function timerfdSettime(t: Task): SyscallResult {
  const flags = argInt(t, 1);
  const addr = argPtr(t, 2);
  // Both timespecs are copied before either is checked (get_itimerspec64, then itimerspec64_valid).
  t.mem.check(addr, 32, 1 /* PROT_READ */);
  const interval = readTimespec(t, addr);
  const value = readTimespec(t, addr + 16);
  if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET) || interval === undefined || value === undefined) {
    return -E.EINVAL;
  }
  const tf = timerOf(t, argInt(t, 0));
  if (typeof tf === "number") return tf;
  // TFD_TIMER_CANCEL_ON_SET: nothing sets a guest's clock, so the timer is never cancelled.
  const old = tf.set(value, interval, (flags & TFD_TIMER_ABSTIME) !== 0);
  if (!argIsNull(t, 3)) writeItimerspec(t, argPtr(t, 3), old);
  return 0;
}

function timerfdGettime(t: Task): SyscallResult {
  const tf = timerOf(t, argInt(t, 0));
  if (typeof tf === "number") return tf;
  writeItimerspec(t, argPtr(t, 1), tf.get());
  return 0;
}

export const timerfdSyscalls: SyscallRow[] = [
  {
    name: "timerfd_create", handler: timerfdCreate, support: "partial",
    note: "the alarm clocks are their plain clocks (nothing suspends a guest)",
  },
  {
    name: "timerfd_settime", handler: timerfdSettime, support: "partial",
    note: "TFD_TIMER_CANCEL_ON_SET never cancels: the guest's realtime clock is never set",
  },
  { name: "timerfd_gettime", handler: timerfdGettime, support: "full" },
];
