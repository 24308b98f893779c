// A task is one guest thread: a hart (registers), the process it belongs to, and its kernel-side
// state (run state, signal mask, the wait queue it is parked on).
import { Hart } from "../cpu/hart.js";
import type { Process } from "./process.js";
import type { Kernel } from "./kernel.js";
import type { WaitQueue, Waker } from "./wait-queue.js";
import type { SignalInfo } from "./signals.js";

export type RunState =
  /** Ready to run user code (or to restart a parked syscall). */
  | "runnable"
  /** Parked on a wait queue inside a syscall. */
  | "blocked"
  /** Has exited; its process may still be alive. */
  | "dead";

export class Task {
  readonly hart = new Hart();
  state: RunState = "runnable";
  /** Blocked signals (bit n-1 = signal n). */
  sigmask = 0n;
  /** Signals sent to this thread and not yet delivered. */
  readonly pendingSignals: SignalInfo[] = [];
  /** set_tid_address: cleared and futex-woken at exit. */
  clearChildTid = 0;
  robustList = 0;
  robustListLen = 0;
  /** sigaltstack: ss_sp, ss_size, ss_flags. */
  altStack = { sp: 0, size: 0, flags: 2 /* SS_DISABLE */ };
  /** The syscall number and a0 at entry, so a0 can hold the result while args stay readable. */
  syscallNr = -1;
  origA0 = 0n;
  /** The wait queue this task is parked on, and the waker registered there. */
  blockedOn: WaitQueue | null = null;
  waker: Waker | null = null;
  /** Set when a signal interrupts a blocked syscall, so it returns -EINTR instead of restarting. */
  interrupted = false;

  constructor(
    readonly kernel: Kernel,
    readonly tid: number,
    public process: Process,
  ) {}

  /** The task's address space (shared by the threads of its process). */
  get mem() {
    return this.process.mem;
  }
}
