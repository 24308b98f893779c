// Signal state: dispositions (per process) and queued signals (per task).
import { NSIG, SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGSYS, SIGTRAP } from "../abi/signals.js";

/** A sigaction as the guest set it (struct sigaction of asm-generic: handler, flags, restorer, mask). */
export interface SigAction {
  handler: bigint;
  flags: bigint;
  restorer: bigint;
  mask: bigint;
}

/** A queued signal and the siginfo fields rvtrace fills. */
export interface SignalInfo {
  signo: number;
  code: number;
  /** si_addr for faults. */
  addr?: bigint;
  /** Sender's pid and uid for kill/tgkill. */
  pid?: number;
  uid?: number;
  /** si_value of a signal sent with rt_sigqueueinfo (sigqueue). */
  value?: bigint;
}

export function defaultSigActions(): SigAction[] {
  return Array.from({ length: NSIG + 1 }, () => ({ handler: 0n, flags: 0n, restorer: 0n, mask: 0n }));
}

/** The bit of signal n in a sigset. */
export const sigbit = (n: number): bigint => 1n << BigInt(n - 1);

/** Signals Linux dequeues before any other (SYNCHRONOUS_MASK): those a fault raises. */
export const SYNCHRONOUS_SIGNALS = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGSYS].reduce((m, s) => m | sigbit(s), 0n);

/**
 * The index in `list` of the signal Linux's next_signal takes among those `wanted` accepts, or -1:
 * the signals a fault raises first, the lowest number first among them too, then the lowest number
 * (real-time signals of one number in the order they were sent). Delivery and signalfd share it.
 */
export function nextSignalIndex(list: readonly SignalInfo[], wanted: (signo: number) => boolean): number {
  let best = -1;
  let bestRank = Infinity;
  for (let i = 0; i < list.length; i++) {
    const s = list[i].signo;
    if (!wanted(s)) continue;
    const rank = (SYNCHRONOUS_SIGNALS & sigbit(s)) !== 0n ? s - 64 : s;
    if (rank < bestRank) {
      best = i;
      bestRank = rank;
    }
  }
  return best;
}
