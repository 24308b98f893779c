// Signal state: dispositions (per process) and queued signals (per task).
import { NSIG } from "../abi/signals.js";

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
