// Decoders of time syscalls (strace src/time.c): nanosleep and clock_nanosleep print the remaining
// time only when a signal interrupted the sleep (a restart code), since the kernel writes it only then.
import type { Decoded, DecoderTable, Entry, Exit } from "./types.js";
import { TIMER_FLAGS } from "../../../abi/xlat/time.js";
import { flags, ptr, s64, u32 } from "./print.js";
import { timespec } from "./structs.js";
import { clockName } from "./deferred.js";
import { isRestart } from "./errors.js";

/** True when the call was interrupted by a signal and will be restarted. */
export function interrupted(x: Exit): boolean {
  return x.failed && isRestart(Number(-s64(x.ret)));
}

function nanosleep(e: Entry): Decoded {
  const [req, rem] = e.args;
  return {
    args: [timespec(e.mem, req, e.o), (x) => (interrupted(x) ? timespec(x.mem, rem, x.o) : ptr(rem))],
  };
}

function clockNanosleep(e: Entry): Decoded {
  const [clk, fl, req, rem] = e.args;
  const f = u32(fl);
  return {
    args: [
      clockName(clk, e.o), flags(f, TIMER_FLAGS, "TIMER_???", e.o), timespec(e.mem, req, e.o),
      (x) => (f === 0n && interrupted(x) ? timespec(x.mem, rem, x.o) : ptr(rem)),
    ],
  };
}

/** Hand-written decoders of the time family. */
export const TIME_DECODERS: DecoderTable = {
  nanosleep,
  clock_nanosleep: clockNanosleep,
};
