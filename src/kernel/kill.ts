// Ending tasks: exit and exit_group, a group exit by a fatal signal, and kills from outside
// (SIGKILL, SIGXCPU, the other threads at an exec). Each marks the tasks for their exit path
// (exit.ts), taking them off any wait first; nothing here needs the rest of the exit machinery.
import { Phase, type Task } from "./task.js";
import type { Process } from "./process.js";
import type { Kernel } from "./kernel.js";
import { leaveQueue } from "./parking.js";

/** exit(2): this thread exits; the process ends with its last thread. */
export function exitThread(t: Task, code: number): void {
  t.exitStatus = (code & 0xff) << 8;
  t.phase = Phase.Exiting;
}

/** exit_group(2): the caller exits with `code`; every other thread of its process is killed. */
export function exitGroup(k: Kernel, t: Task, code: number): void {
  groupExit(k, t, 0, false, (code & 0xff) << 8);
}

/**
 * A group exit by t: by a fatal signal (signo > 0), or exit_group's status. The other threads
 * are killed; t itself goes through its exit path, where engines may still hold it.
 */
export function groupExit(k: Kernel, t: Task, signo: number, core: boolean, status = signo | (core ? 0x80 : 0)): void {
  const proc = t.process;
  proc.groupStatus ??= status;
  for (const other of proc.tasks) if (other !== t) killTask(k, other, status);
  t.exitStatus = status;
  t.phase = Phase.Exiting;
  if (t.state === "blocked") {
    leaveQueue(t);
    k.scheduler.makeRunnable(t);
  }
}

/** Ends a whole process by a signal from outside (SIGKILL, SIGXCPU): nothing may hold its tasks. */
export function killProcess(k: Kernel, proc: Process, signo: number, core = false): void {
  const status = signo | (core ? 0x80 : 0);
  proc.groupStatus ??= status;
  for (const t of proc.tasks) killTask(k, t, status);
}

/** Marks t for death by a kill: it leaves any wait or stop and goes straight to its exit path. */
export function killTask(k: Kernel, t: Task, status: number): void {
  if (t.state === "dead" || t.killed) return;
  t.killed = true;
  t.exitStatus = status;
  t.phase = Phase.Exiting;
  if (t.state === "blocked") leaveQueue(t);
  if (t.utrace) k.utrace.killed(t);
  k.scheduler.makeRunnable(t);
}
