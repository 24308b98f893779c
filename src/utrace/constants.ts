// utrace's numeric ABI (gen 3, API 20091216), with utrace's names and values (utrace-spec.md §2, §4).

// ---- resume actions (§4.1) ----
export const UTRACE_STOP = 0;
export const UTRACE_INTERRUPT = 1;
export const UTRACE_REPORT = 2;
export const UTRACE_SINGLESTEP = 3;
export const UTRACE_BLOCKSTEP = 4;
export const UTRACE_RESUME = 5;
export const UTRACE_DETACH = 6;
export const UTRACE_RESUME_MAX = 7;
export const UTRACE_RESUME_MASK = 0x7;
export const UTRACE_RESUME_BITS = 3;

// ---- signal dispositions (§4.2) ----
export const UTRACE_SIGNAL_DELIVER = 0x00;
export const UTRACE_SIGNAL_IGN = 0x10;
export const UTRACE_SIGNAL_TERM = 0x20;
export const UTRACE_SIGNAL_CORE = 0x30;
export const UTRACE_SIGNAL_STOP = 0x40;
export const UTRACE_SIGNAL_TSTP = 0x50;
export const UTRACE_SIGNAL_REPORT = 0x60;
export const UTRACE_SIGNAL_HANDLER = 0x70;
export const UTRACE_SIGNAL_MASK = 0xf0;
export const UTRACE_SIGNAL_HOLD = 0x100;

// ---- syscall dispositions (§4.3) ----
export const UTRACE_SYSCALL_RUN = 0x00;
export const UTRACE_SYSCALL_ABORT = 0x10;
export const UTRACE_SYSCALL_MASK = 0xf0;
export const UTRACE_SYSCALL_RESUMED = 0x100;

// ---- attach flags (§1.2) ----
export const UTRACE_ATTACH_MATCH_OPS = 0x0001;
export const UTRACE_ATTACH_MATCH_DATA = 0x0002;
export const UTRACE_ATTACH_MATCH_MASK = 0x000f;
export const UTRACE_ATTACH_CREATE = 0x0010;
export const UTRACE_ATTACH_EXCLUSIVE = 0x0020;

// ---- events (§2.1): UTRACE_EVENT.X is utrace's UTRACE_EVENT(X) ----
export const UTRACE_EVENT = {
  QUIESCE: 0x0001,
  REAP: 0x0002,
  CLONE: 0x0004,
  EXEC: 0x0008,
  EXIT: 0x0010,
  DEATH: 0x0020,
  SYSCALL_ENTRY: 0x0040,
  SYSCALL_EXIT: 0x0080,
  SIGNAL: 0x0100,
  SIGNAL_IGN: 0x0200,
  SIGNAL_STOP: 0x0400,
  SIGNAL_TERM: 0x0800,
  SIGNAL_CORE: 0x1000,
  JCTL: 0x2000,
} as const;
export const UTRACE_EVENT_SIGNAL_ALL = 0x1f00;
export const UTRACE_EVENT_SYSCALL = 0x00c0;
/** Internal: the engine (or, in a task's flags, some engine) holds a stop. Never set by callers. */
export const ENGINE_STOP = 0x4000;
/** Internal: the bits that cause a death report. */
export const DEATH_EVENTS = UTRACE_EVENT.DEATH | UTRACE_EVENT.QUIESCE;
const ALL_EVENTS = 0x3fff;
export { ALL_EVENTS };

/** utrace_resume_action: the resume action in a callback's return value or action argument. */
export const utraceResumeAction = (a: number): number => a & UTRACE_RESUME_MASK;
/** utrace_signal_action: the signal disposition bits. */
export const utraceSignalAction = (a: number): number => a & UTRACE_SIGNAL_MASK;
/** utrace_syscall_action: the syscall disposition bits. */
export const utraceSyscallAction = (a: number): number => a & UTRACE_SYSCALL_MASK;

// Job-control notification types for reportJctl (CLD_* of asm-generic/siginfo.h).
export const CLD_STOPPED = 5;
export const CLD_CONTINUED = 6;
