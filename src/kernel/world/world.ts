// The world outside the guest, as the kernel reads it: clocks and timers, random bytes, the ids the
// guest runs with, and how host file metadata is shown. Every syscall that depends on the host
// asks its kernel's World (kernel.world), never the host directly, so that one object decides
// whether a run sees the real host (host-world.ts) or a repeatable one (deterministic-world.ts,
// `--deterministic`), and record/replay has one place to log inputs.
import type { Task } from "../task.js";
import type { Process } from "../process.js";
import type { SyscallRow } from "../syscalls/types.js";
import type { StatInfo, StatfsInfo } from "../vfs/stat.js";
import type { DirEntry } from "../vfs/dir.js";

/** A pending timer; cancel() is safe after it has fired. */
export interface TimerHandle {
  cancel(): void;
}

export interface World {
  /** Whether the run is repeatable (the scheduler and the stdin reader adapt to it). */
  readonly deterministic: boolean;

  // ---- clocks, in ns ----
  /** CLOCK_REALTIME. */
  realtimeNs(): bigint;
  /** CLOCK_MONOTONIC (and BOOTTIME: nothing suspends a guest). */
  monotonicNs(): bigint;
  /** The CPU time of a process, or of one thread when `thread` is given. */
  cpuNs(p: Process, thread: Task | null): bigint;
  /** The `time` CSR (rdtime): ticks of 10 MHz. */
  timeCsr(): bigint;
  /** Counts instructions a task has just run (the scheduler calls it after each stretch of user code). */
  charge(t: Task, instructions: number): void;

  // ---- timers on the monotonic clock ----
  /** Calls cb once CLOCK_MONOTONIC has reached `deadline` (from the event loop or the scheduler). */
  setTimer(deadline: bigint, cb: () => void): TimerHandle;
  /** Fires the timers that are due (virtual time only; the host's fire from the event loop). */
  fireDueTimers(): void;
  /** Instructions that may run before the next timer is due (Infinity when none or host time). */
  instructionsUntilTimer(): number;
  /** Nothing can run: moves virtual time to the next timer and fires it. False if there is none. */
  skipToNextTimer(): boolean;
  /** Timers set and neither fired nor cancelled (a task waiting on one is not blocked for good). */
  pendingTimers(): number;

  // ---- inputs ----
  /** Fills buf with random bytes (getrandom, /dev/urandom, AT_RANDOM). */
  random(buf: Uint8Array): void;
  readonly uid: number;
  readonly gid: number;
  /** The supplementary groups (getgroups). */
  groups(): readonly number[];
  /** Seconds since boot (sysinfo). */
  uptimeSeconds(): number;

  // ---- how file metadata is shown (identity for the host world) ----
  /** The stat the guest is shown of `st`. */
  stat(st: StatInfo): StatInfo;
  /** The d_ino the guest is shown for a directory entry. */
  direntIno(e: DirEntry): bigint;
  statfs(s: StatfsInfo): StatfsInfo;

  // ---- syscall hooks (the deterministic world notes the files a syscall changes) ----
  beforeSyscall(t: Task, row: SyscallRow): void;
  afterSyscall(t: Task, row: SyscallRow, result: number | bigint): void;

  /** Something of the host reached the guest that makes the run not repeatable (for --verbose). */
  noteHostInput(what: string): void;
  /** The notes so far, each once, in the order first seen. */
  readonly hostInputs: readonly string[];
}
