// Every task blocked for good. When no task can run, the scheduler asks here whether anything could
// still wake one: a timer of the world (a sleep, a timeout, an interval timer or alarm), host input
// asked for (stdin, /dev/tty), or an engine that holds a task stopped. With none of them, every live
// task waits on something only another guest task could do (a futex wake, a pipe write, a child's
// exit, a signal, SIGCONT), and none can: Linux and qemu would hang forever. A run whose options ask
// for it (KernelOptions.endDeadlocks: the CLI's default) then ends with one line per task on
// rvtrace's diagnostics, and every process killed with SIGKILL; the CLI turns that into its own
// exit status (src/cli/deadlock.ts).
//
// An engine's stop is not decided here: the engine may resume the task when a Promise settles.
// The scheduler then waits for the event loop, and only when Node's event loop has nothing left
// that could call back ('beforeExit') is the stop known to be for good.
import { SIGKILL, signalName } from "../abi/signals.js";
import { syscallName } from "./syscalls/table.js";
import { hostInputsAwaited } from "./vfs/input.js";
import { killProcess } from "./kill.js";
import { Phase, type Task } from "./task.js";
import type { Kernel } from "./kernel.js";

/**
 * What could still wake a task when none is runnable: "host" (a timer or host input is pending),
 * "engines" (only an engine's stop, which the event loop may lift), or "none".
 */
export type Waker = "host" | "engines" | "none";

export function pendingWaker(k: Kernel): Waker {
  if (k.world.pendingTimers() > 0 || hostInputsAwaited() > 0) return "host";
  let engines = false;
  for (const t of k.tasks.values()) {
    if (t.state === "dead") continue;
    if (t.state === "stopped") engines = true;
    // Not in a wait a guest must end, nor held by a job-control stop: the scheduler's own business.
    else if (t.state === "runnable" && (!t.process.jobStopped || t.killed)) return "host";
    // Stopped from outside (^Z): the host may continue it (rvtrace stops itself meanwhile: host-signals.ts).
    else if (t.state === "runnable" && t.process.stoppedFromHost) return "host";
    else if (t.state === "blocked" && t.blocked?.waitsOnHost) return "host";
  }
  return engines ? "engines" : "none";
}

/** The syscall a task is in, its arguments as raw numbers: `futex(0x12340, 0x80, 0, 0, 0, 0)`. */
export function rawCall(t: Task): string {
  const args: string[] = [];
  for (let i = 0; i < 6; i++) {
    const v = BigInt.asUintN(64, i === 0 ? t.origA0 : t.hart.x64[10 + i]);
    args.push(v < 10n ? v.toString() : `0x${v.toString(16)}`);
  }
  return `${syscallName(t.syscallNr)}(${args.join(", ")})`;
}

/** Where a task waits, in words: `blocked in read(...)`, `stopped by SIGSTOP`, `held by an engine ...`. */
function whereItWaits(t: Task, call: (t: Task) => string): string {
  const inSyscall = t.phase === Phase.SyscallEntry || t.phase === Phase.SyscallRun || t.phase === Phase.SyscallExit;
  if (t.state === "blocked") return `blocked in ${call(t)}`;
  if (t.state === "stopped") return `held by an engine ${inSyscall ? `in ${call(t)}` : `at pc 0x${t.hart.pc.toString(16)}`}`;
  const by = `stopped by ${signalName(t.process.jobStopSignal)}`;
  return t.phase === Phase.SyscallRun ? `${by} in ${call(t)}` : by;
}

/**
 * Ends a run in which every live task is blocked for good: one line per task, in tid order (the
 * call each waits in shown by `describeCall`), then
 * every live process is killed with SIGKILL (nothing can catch it; engines see the deaths).
 */
export function endDeadlock(k: Kernel, describeCall: (t: Task) => string = rawCall): void {
  if (k.deadlock !== null) return;
  const lines: string[] = [];
  for (const t of [...k.tasks.values()].sort((a, b) => a.tid - b.tid)) {
    if (t.state === "dead") continue;
    lines.push(`rvtrace: deadlock: pid ${t.process.pid} tid ${t.tid} ${whereItWaits(t, describeCall)}`);
  }
  k.deadlock = lines;
  for (const line of lines) k.diagnostics(line);
  // The newest first: each task exits in the order it was killed, and the first process's end, which
  // ends the run for the CLI (and a recording), comes after every other task has gone.
  for (const p of [...k.processes.values()].reverse()) if (p.alive) killProcess(k, p, SIGKILL);
}
