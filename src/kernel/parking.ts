// Parking a task on a wait queue and taking it off again: the mechanics of a blocking syscall
// that every other part of the kernel uses (phases.ts parks, signals interrupt, kills end the wait),
// and the restart-or-EINTR decision a signal's delivery makes for an interrupted call.
import { E } from "../abi/gen/errno.js";
import type { KSigAction } from "../utrace/types.js";
import { SA_RESTART } from "../abi/signals.js";
import { Phase, type Task } from "./task.js";
import type { Kernel } from "./kernel.js";
import { ERESTARTNOHAND, ERESTARTNOINTR, ERESTARTSYS, ERESTART_RESTARTBLOCK, type Blocked } from "./wait-queue.js";

/** Parks t on b's queue; the waker makes it runnable again, and its syscall runs again. */
export function parkOnQueue(k: Kernel, t: Task, b: Blocked): void {
  t.state = "blocked";
  t.blocked = b;
  const waker = () => {
    if (t.state !== "blocked") return;
    t.blocked = null;
    t.waker = null;
    k.scheduler.makeRunnable(t);
  };
  t.waker = waker;
  b.queue.add(waker);
}

/** Takes t off its wait without waking it (a signal, a kill): the syscall drops its wait. */
export function leaveQueue(t: Task): void {
  const b = t.blocked;
  if (!b) return;
  if (t.waker) b.queue.remove(t.waker);
  t.blocked = null;
  t.waker = null;
  b.cancel?.();
}

/**
 * Breaks t out of a blocking syscall as a signal does: the call returns its restart code, and the
 * signal's delivery decides between EINTR and a restart (restartOrEintr).
 */
export function interruptSyscall(k: Kernel, t: Task): void {
  const b = t.blocked;
  if (t.state !== "blocked" || !b || b.killableOnly) return;
  leaveQueue(t);
  t.hart.setXNumber(10, -b.restart);
  t.interrupted = true;
  t.phase = Phase.SyscallExit;
  k.scheduler.makeRunnable(t);
}

/**
 * At the delivery of a signal to a task whose syscall was interrupted (Linux's handle_signal, and
 * the end of do_signal when no handler runs): restart the call, or end it with EINTR. Decided by
 * the value in a0, as Linux does, so an engine that rewrote the return value at syscall exit has
 * the last word.
 */
export function restartOrEintr(t: Task, handler: KSigAction | null): void {
  if (!t.interrupted) return;
  t.interrupted = false;
  const h = t.hart;
  const code = -Number(h.x64[10]);
  let restart: boolean;
  switch (code) {
    case ERESTARTSYS:
      restart = handler === null || (handler.flags & BigInt(SA_RESTART)) !== 0n;
      break;
    case ERESTARTNOINTR:
      restart = true;
      break;
    case ERESTARTNOHAND:
    case ERESTART_RESTARTBLOCK:
      restart = handler === null;
      break;
    default:
      return;
  }
  if (restart) {
    // Back to the ecall, a0 as it came; the call finds its restartData again.
    h.pc -= 4;
    h.x64[10] = t.origA0;
  } else {
    h.setXNumber(10, -E.EINTR);
    t.restartData = undefined;
  }
}
