// The queue signalfds wait on (Linux's sighand->signalfd_wqh): woken whenever a signal is queued
// for a process or one of its threads, blocked or not, so that a signalfd reader (or a poll, or an
// epoll watching a signalfd) looks again. signal-delivery.ts calls notifySignalfds.
import type { Process } from "../process.js";
import { WaitQueue } from "../wait-queue.js";

interface Notify {
  queue: WaitQueue;
  /** Signals queued so far: each wakes edge-triggered epolls again, as Linux's keyless wake-up. */
  sent: number;
}

const notifyOf = new WeakMap<Process, Notify>();

export function signalNotify(p: Process): Notify {
  let n = notifyOf.get(p);
  if (!n) notifyOf.set(p, (n = { queue: new WaitQueue(), sent: 0 }));
  return n;
}

/** A signal was queued for p (or one of its threads). */
export function notifySignalfds(p: Process): void {
  const n = notifyOf.get(p);
  if (!n) return;
  n.sent++;
  n.queue.wakeAll();
}
