// The limits a CI job sets on a run (README "Limits"), where they end a guest. Each says which
// limit it was in one line on stderr, and kills with its own signal, so that rvtrace's exit
// status (128 + the signal, as a shell shows it) tells them apart:
//
//   --max-insns     SIGXCPU  152  (as RLIMIT_CPU does)        the whole run
//   --memory-limit  SIGKILL  137  (as Linux's OOM killer)     the process that wrote past it
//   --timeout       SIGALRM  142  (a wall-clock alarm)        the whole run
//   --max-output    SIGXFSZ  153  (as RLIMIT_FSIZE does)      the whole run
//
// The kills cannot be caught, blocked or ignored (killProcess). --max-procs and --max-fds end
// nothing: the guest gets EAGAIN, EMFILE or ENFILE and goes on.
import { SIGALRM, SIGKILL, SIGXCPU, SIGXFSZ, signalName } from "../abi/signals.js";
import type { Kernel } from "./kernel.js";
import type { Task } from "./task.js";
import { killProcess } from "./kill.js";

export const LIMIT_SIGNAL = { insns: SIGXCPU, memory: SIGKILL, timeout: SIGALRM, output: SIGXFSZ } as const;

/** Ends the whole run: every live process is killed with `signo`, after one line saying why. */
export function endRun(k: Kernel, why: string, signo: number): void {
  if (k.limitReached !== null) return;
  k.limitReached = why;
  k.diagnostics(`rvtrace: ${why}: guest killed with ${signalName(signo)}`);
  // SIGXCPU and SIGXFSZ dump core by default; the wait status says so, as on Linux.
  const core = signo === SIGXCPU || signo === SIGXFSZ;
  for (const p of k.processes.values()) if (p.alive) killProcess(k, p, signo, core);
}

/** --max-insns: instructions run plus host work charged (host-work.ts) reached the limit; t was to run. */
export function instructionLimitReached(k: Kernel, t: Task): void {
  endRun(k, `instruction limit (${k.options.maxInsns}) reached`, LIMIT_SIGNAL.insns);
  // A task the end of the run did not reach (the run was ended already, by another limit) may not
  // run on either.
  if (!t.killed) killProcess(k, t.process, LIMIT_SIGNAL.insns, true);
}

/** --memory-limit: t wrote to a page when the budget was spent (AddressSpace.outOfMemory). */
export function memoryLimitReached(k: Kernel, t: Task): void {
  t.mem.outOfMemory = false;
  k.diagnostics(`rvtrace: memory limit (${k.options.memoryLimit} bytes) reached: process ${t.process.pid} killed with SIGKILL`);
  killProcess(k, t.process, LIMIT_SIGNAL.memory);
}

/** --max-output: the guest wrote more than the limit to rvtrace's stdout and stderr together. */
export function outputLimitReached(k: Kernel): void {
  endRun(k, `output limit (${k.options.maxOutput} bytes) reached`, LIMIT_SIGNAL.output);
}

const timers = new WeakMap<Kernel, NodeJS.Timeout>();

/** --timeout: starts the wall clock at the first spawn. The timer never keeps rvtrace alive by itself. */
export function armTimeout(k: Kernel): void {
  const seconds = k.options.timeout;
  if (seconds === undefined || timers.has(k)) return;
  const timer = setTimeout(() => endRun(k, `time limit (${seconds} s) reached`, LIMIT_SIGNAL.timeout), seconds * 1000);
  timer.unref();
  timers.set(k, timer);
}

/** The run is over (no task left): the clock stops. */
export function disarmTimeout(k: Kernel): void {
  clearTimeout(timers.get(k));
}
