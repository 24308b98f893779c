// Wait queues: how a syscall that cannot finish now (a read from an empty pipe, stdin that has not
// arrived, a futex, a sleep) parks its task. A handler returns `new Blocked(queue)`; the scheduler
// parks the task on that queue and, once something calls `queue.wakeAll()`, runs the same syscall
// again from the start with the same registers (Linux's -ERESTARTSYS path, kept in one place).

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
  constructor(readonly queue: WaitQueue) {}
}
