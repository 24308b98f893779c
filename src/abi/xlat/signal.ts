// Signal constant tables in strace's print order (strace xlat/sigprocmaskcmds.in, sa_handler_flags.in,
// sigaltstack_flags.in, siginfo_codes.in, sig*_codes.in) with riscv64 values (asm-generic/signal.h,
// asm-generic/signal-defs.h, asm-generic/siginfo.h). riscv64 has no SA_RESTORER; SA_INTERRUPT is
// strace's historical name for the otherwise unused 0x20000000.
import { SA_ONSTACK, SA_RESTART, SA_NODEFER, SA_RESETHAND, SA_SIGINFO, SI_USER, SI_TKILL } from "../signals.js";
import { xlat } from "./types.js";

/** rt_sigprocmask how. */
export const SIGPROCMASK_CMDS = xlat([
  ["SIG_BLOCK", 0],
  ["SIG_UNBLOCK", 1],
  ["SIG_SETMASK", 2],
]);

/** sigaction sa_flags. */
export const SA_FLAGS = xlat([
  ["SA_ONSTACK", SA_ONSTACK],
  ["SA_RESTART", SA_RESTART],
  ["SA_INTERRUPT", 0x20000000],
  ["SA_NODEFER", SA_NODEFER],
  ["SA_RESETHAND", SA_RESETHAND],
  ["SA_SIGINFO", SA_SIGINFO],
  ["SA_NOCLDSTOP", 0x1],
  ["SA_NOCLDWAIT", 0x2],
]);

/** The special sa_handler values. */
export const SA_HANDLERS = xlat([
  ["SIG_DFL", 0],
  ["SIG_IGN", 1],
  ["SIG_ERR", -1],
]);

/** stack_t ss_flags. */
export const SIGALTSTACK_FLAGS = xlat([
  ["SS_ONSTACK", 1],
  ["SS_DISABLE", 2],
  ["SS_AUTODISARM", 0x80000000],
]);

/** si_code values any signal can carry (si_code <= 0 comes from user space; SI_KERNEL from the kernel). */
export const SIGINFO_CODES = xlat([
  ["SI_USER", SI_USER],
  ["SI_KERNEL", 0x80],
  ["SI_QUEUE", -1],
  ["SI_TIMER", -2],
  ["SI_MESGQ", -3],
  ["SI_ASYNCIO", -4],
  ["SI_SIGIO", -5],
  ["SI_TKILL", SI_TKILL],
  ["SI_DETHREAD", -7],
  ["SI_ASYNCNL", -60],
]);

export const SIGILL_CODES = xlat([
  ["ILL_ILLOPC", 1],
  ["ILL_ILLOPN", 2],
  ["ILL_ILLADR", 3],
  ["ILL_ILLTRP", 4],
  ["ILL_PRVOPC", 5],
  ["ILL_PRVREG", 6],
  ["ILL_COPROC", 7],
  ["ILL_BADSTK", 8],
  ["ILL_BADIADDR", 9],
]);

export const SIGFPE_CODES = xlat([
  ["FPE_INTDIV", 1],
  ["FPE_INTOVF", 2],
  ["FPE_FLTDIV", 3],
  ["FPE_FLTOVF", 4],
  ["FPE_FLTUND", 5],
  ["FPE_FLTRES", 6],
  ["FPE_FLTINV", 7],
  ["FPE_FLTSUB", 8],
  ["FPE_FLTUNK", 14],
  ["FPE_CONDTRAP", 15],
]);

export const SIGSEGV_CODES = xlat([
  ["SEGV_MAPERR", 1],
  ["SEGV_ACCERR", 2],
  ["SEGV_BNDERR", 3],
  ["SEGV_PKUERR", 4],
  ["SEGV_ACCADI", 5],
  ["SEGV_ADIDERR", 6],
  ["SEGV_ADIPERR", 7],
  ["SEGV_MTEAERR", 8],
  ["SEGV_MTESERR", 9],
  ["SEGV_CPERR", 10],
]);

export const SIGBUS_CODES = xlat([
  ["BUS_ADRALN", 1],
  ["BUS_ADRERR", 2],
  ["BUS_OBJERR", 3],
  ["BUS_MCEERR_AR", 4],
  ["BUS_MCEERR_AO", 5],
]);

export const SIGTRAP_CODES = xlat([
  ["TRAP_BRKPT", 1],
  ["TRAP_TRACE", 2],
  ["TRAP_BRANCH", 3],
  ["TRAP_HWBKPT", 4],
  ["TRAP_UNK", 5],
  ["TRAP_PERF", 6],
]);

export const SIGCHLD_CODES = xlat([
  ["CLD_EXITED", 1],
  ["CLD_KILLED", 2],
  ["CLD_DUMPED", 3],
  ["CLD_TRAPPED", 4],
  ["CLD_STOPPED", 5],
  ["CLD_CONTINUED", 6],
]);

export const SIGPOLL_CODES = xlat([
  ["POLL_IN", 1],
  ["POLL_OUT", 2],
  ["POLL_MSG", 3],
  ["POLL_ERR", 4],
  ["POLL_PRI", 5],
  ["POLL_HUP", 6],
]);

export const SIGSYS_CODES = xlat([
  ["SYS_SECCOMP", 1],
  ["SYS_USER_DISPATCH", 2],
]);

/** sigevent sigev_notify. */
export const SIGEV_NOTIFY = xlat([
  ["SIGEV_SIGNAL", 0],
  ["SIGEV_NONE", 1],
  ["SIGEV_THREAD", 2],
  ["SIGEV_THREAD_ID", 4],
]);

/** AUDIT_ARCH_* values of linux/audit.h, for SIGSYS's si_arch. */
export const AUDIT_ARCHES = xlat([
  ["AUDIT_ARCH_RISCV64", 0xc00000f3],
  ["AUDIT_ARCH_RISCV32", 0x400000f3],
  ["AUDIT_ARCH_X86_64", 0xc000003e],
  ["AUDIT_ARCH_I386", 0x40000003],
  ["AUDIT_ARCH_AARCH64", 0xc00000b7],
  ["AUDIT_ARCH_ARM", 0x40000028],
]);
