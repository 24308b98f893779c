// Per-task utrace state (struct utrace, Part B §1.1), created on the first attach and kept for the
// task's life. The task's `utraceFlags` mirrors `flags` so the kernel's hook sites cost one test.
import type { Engine } from "./engine.js";
import { UTRACE_RESUME } from "./constants.js";

export class TaskUtrace {
  /** Engines the passes iterate, in attach order. */
  attached: Engine[] = [];
  /** Engines attached since the last pass began; spliced in at the next one. */
  attaching: Engine[] = [];
  /** The engine whose callback is running now (barrier, -EINPROGRESS). */
  reporting: Engine | null = null;
  /** Pending resume request: INTERRUPT/REPORT/SINGLESTEP/BLOCKSTEP/RESUME (never STOP). */
  resume = UTRACE_RESUME;
  /** A signal handler frame was just set up; the next signal-path report is HANDLER. */
  signalHandler = false;
  /** A CLONE_VFORK pass ended in STOP. */
  vforkStop = false;
  /** The DEATH pass is in progress (or done). */
  death = false;
  /** release_task has run. */
  reap = false;
  /** The task is in the utrace stop state. */
  stopped = false;
  /** Counts stops, so finishExamine can tell the task ran in between (§6.6). */
  stopGeneration = 0;
  /** A syscall-entry report stopped (§8); the decision so far is entryResult. */
  entryStopped = false;
  entryResult = 0;
  /** Likewise for the exit-start report: the code being reported. */
  exitReport: { orig: number; code: { value: number } } | null = null;
  /** The last signal a stopped signal pass saw, kept for REPORT/INTERRUPT resumes (§3 notes). */
  lastSignal: import("./types.js").UtraceSigInfo | null = null;
}
