// What prctl(2) keeps per thread (Linux keeps it in the task_struct). It lives below both the
// prctl syscall and execve, which resets the thread's name to the new program's.
import type { Task } from "./task.js";

export const TASK_COMM_LEN = 16;

export interface PrctlState {
  comm: Uint8Array;
  dumpable: number;
  timerslack: number;
  noNewPrivs: number;
}

const prctlStates = new WeakMap<Task, PrctlState>();

/** execve: the thread's name becomes the new program's (prctlState derives it again on first use). */
export function resetThreadName(t: Task): void {
  prctlStates.delete(t);
}

export function prctlState(t: Task): PrctlState {
  let s = prctlStates.get(t);
  if (!s) {
    // The thread's name starts as the program file's name, cut to 15 bytes.
    const base = t.process.exePath.slice(t.process.exePath.lastIndexOf("/") + 1);
    const comm = new Uint8Array(TASK_COMM_LEN);
    comm.set(new TextEncoder().encode(base).subarray(0, TASK_COMM_LEN - 1));
    s = { comm, dumpable: 1, timerslack: 50_000, noNewPrivs: 0 };
    prctlStates.set(t, s);
  }
  return s;
}
