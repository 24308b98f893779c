// Wait queues: how a syscall that cannot finish now (a read from an empty pipe, stdin that has not
// arrived, a futex, a sleep) parks its task. A handler returns `new Blocked(queue)`; the scheduler
// parks the task on that queue and, once something calls `queue.wakeAll()`, runs the same syscall
// again from the start with the same registers.
//
// A signal that arrives meanwhile ends the wait as in Linux: the call returns one of the kernel's
// restart codes (what a tracer sees at syscall exit), which the signal's delivery turns into EINTR
// or a restart of the call (kernel.ts). Which code is the syscall's business, as in Linux:
// ERESTARTSYS (the usual: restart if the handler has SA_RESTART), ERESTARTNOHAND (EINTR whenever a
// handler runs: poll, select, absolute sleeps), ERESTART_RESTARTBLOCK (likewise, and the restart
// goes on from where it was: relative sleeps and timed futex waits, which keep their deadline in
// the task's restartData).
import { KERNEL_ERRNOS } from "../abi/xlat/errno.js";

function kernelErrno(name: string): number {
  return Number(KERNEL_ERRNOS.entries.find(([n]) => n === name)![1]);
}

export const ERESTARTSYS = kernelErrno("ERESTARTSYS");
export const ERESTARTNOINTR = kernelErrno("ERESTARTNOINTR");
export const ERESTARTNOHAND = kernelErrno("ERESTARTNOHAND");
export const ERESTART_RESTARTBLOCK = kernelErrno("ERESTART_RESTARTBLOCK");

export type Waker = () => void;

export class WaitQueue {
  private readonly waiters = new Set<Waker>();

  /** Registers a waker; it is called once, at the next wakeAll, then forgotten. */
  add(waker: Waker): void {
    this.waiters.add(waker);
  }

  remove(waker: Waker): void {
    this.waiters.delete(waker);
  }

  get size(): number {
    return this.waiters.size;
  }

  /** Wakes every waiter. Safe to call from host callbacks (the event loop) or from a syscall. */
  wakeAll(): void {
    if (this.waiters.size === 0) return;
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }
}

/** A syscall's answer "not yet": park on `queue` and restart the syscall when woken. */
export class Blocked {
  /**
   * The wait is for input from the host (stdin, /dev/tty): a deterministic run stops the world
   * until it ends, so that when the bytes come never decides what the other tasks do meanwhile.
   */
  waitsOnHost = false;

  /**
   * @param restart the restart code the call returns if a signal interrupts it (see above)
   * @param cancel called when the task leaves the queue without being woken (a signal, a kill):
   *   the call drops what it set up for the wait (a host timer, a futex waiter) and writes what
   *   Linux writes on interruption (nanosleep's remaining time)
   * @param takesSignal for a wait for signals (rt_sigtimedwait): true for those it takes, which
   *   wake it like any event instead of interrupting it
   * @param killableOnly no signal interrupts the wait but SIGKILL (a vfork parent's wait for its
   *   child); the others stay pending until the wait ends
   */
  constructor(
    readonly queue: WaitQueue,
    readonly restart: number = ERESTARTSYS,
    readonly cancel: (() => void) | null = null,
    readonly takesSignal: ((signo: number) => boolean) | null = null,
    readonly killableOnly = false,
  ) {}
}
