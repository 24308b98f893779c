// Linux signal numbers and default actions (signal(7)); riscv64 uses the asm-generic numbering.

export const SIGNALS = [
  // [number, name, default action]
  [1, "SIGHUP", "term"], [2, "SIGINT", "term"], [3, "SIGQUIT", "core"], [4, "SIGILL", "core"],
  [5, "SIGTRAP", "core"], [6, "SIGABRT", "core"], [7, "SIGBUS", "core"], [8, "SIGFPE", "core"],
  [9, "SIGKILL", "term"], [10, "SIGUSR1", "term"], [11, "SIGSEGV", "core"], [12, "SIGUSR2", "term"],
  [13, "SIGPIPE", "term"], [14, "SIGALRM", "term"], [15, "SIGTERM", "term"], [16, "SIGSTKFLT", "term"],
  [17, "SIGCHLD", "ignore"], [18, "SIGCONT", "continue"], [19, "SIGSTOP", "stop"], [20, "SIGTSTP", "stop"],
  [21, "SIGTTIN", "stop"], [22, "SIGTTOU", "stop"], [23, "SIGURG", "ignore"], [24, "SIGXCPU", "core"],
  [25, "SIGXFSZ", "core"], [26, "SIGVTALRM", "term"], [27, "SIGPROF", "term"], [28, "SIGWINCH", "ignore"],
  [29, "SIGIO", "term"], [30, "SIGPWR", "term"], [31, "SIGSYS", "core"],
] as const;

export type DefaultAction = "term" | "core" | "ignore" | "stop" | "continue";

export const NSIG = 64;
export const SIGKILL = 9;
export const SIGSTOP = 19;
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGABRT = 6;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGSEGV = 11;
export const SIGPIPE = 13;
export const SIGALRM = 14;
export const SIGCHLD = 17;
export const SIGCONT = 18;
export const SIGTSTP = 20;
export const SIGTTIN = 21;
export const SIGTTOU = 22;
export const SIGXCPU = 24;
export const SIGXFSZ = 25;
export const SIGSYS = 31;

const byNumber = new Map<number, { name: string; action: DefaultAction }>(
  SIGNALS.map(([n, name, action]) => [n, { name, action }]),
);

/** The default action of a signal; real-time signals (32..64) terminate. */
export function defaultAction(sig: number): DefaultAction {
  return byNumber.get(sig)?.action ?? "term";
}

/** The signal's name ("SIGSEGV"), or SIGRTn for real-time signals. */
export function signalName(sig: number): string {
  return byNumber.get(sig)?.name ?? (sig >= 32 && sig <= NSIG ? `SIGRT${sig - 32}` : `signal ${sig}`);
}

// si_code values used by the kernel (asm-generic/siginfo.h).
export const SI_USER = 0;
export const SI_TKILL = -6;
export const ILL_ILLOPC = 1;
export const TRAP_BRKPT = 1;
export const TRAP_TRACE = 2;
export const TRAP_BRANCH = 3;
export const BUS_ADRALN = 1;
// SIGCHLD's si_code.
export const CLD_EXITED = 1;
export const CLD_KILLED = 2;
export const CLD_DUMPED = 3;
export const CLD_STOPPED = 5;
export const CLD_CONTINUED = 6;

// sigaction flags.
export const SA_NOCLDSTOP = 1;
export const SA_NOCLDWAIT = 2;
export const SA_SIGINFO = 4;
export const SA_ONSTACK = 0x08000000;
export const SA_RESTART = 0x10000000;
export const SA_NODEFER = 0x40000000;
export const SA_RESETHAND = 0x80000000;
export const SA_RESTORER = 0x04000000;

export const SIG_DFL = 0n;
export const SIG_IGN = 1n;
