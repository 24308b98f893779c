// Time constant tables (strace xlat/clocknames.in, timerflags.in, itimer_which.in) with riscv64
// values (linux/time.h).
import { xlat, xlatSeq } from "./types.js";

/** Clock ids. */
export const CLOCK_NAMES = xlatSeq([
  "CLOCK_REALTIME",
  "CLOCK_MONOTONIC",
  "CLOCK_PROCESS_CPUTIME_ID",
  "CLOCK_THREAD_CPUTIME_ID",
  "CLOCK_MONOTONIC_RAW",
  "CLOCK_REALTIME_COARSE",
  "CLOCK_MONOTONIC_COARSE",
  "CLOCK_BOOTTIME",
  "CLOCK_REALTIME_ALARM",
  "CLOCK_BOOTTIME_ALARM",
  "CLOCK_SGI_CYCLE",
  "CLOCK_TAI",
]);

/** clock_nanosleep and timer_settime flags. */
export const TIMER_FLAGS = xlat([["TIMER_ABSTIME", 1]]);

/** getitimer/setitimer which. */
export const ITIMER_WHICH = xlatSeq(["ITIMER_REAL", "ITIMER_VIRTUAL", "ITIMER_PROF"]);
