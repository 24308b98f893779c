// The printer's book of traced tasks, strace's tcb table: which tasks are traced now (their count
// decides the "[pid N]" column), thread group leaders whose end is held until their group is gone,
// and a promise for the moment nothing is traced any more (strace -f runs until then).
//
// A held leader stays in the count, as strace keeps a leader's tcb until the kernel reports it.

export class TaskBook<E> {
  private readonly live = new Map<number, E>();
  /** Leaders that died before their group, by pid. */
  private readonly held = new Map<number, E>();
  private waiters: (() => void)[] = [];
  /** Some task was traced already (a new one is then one strace -f attached to). */
  everTraced = false;

  /** Traced tasks, held leaders included. */
  get size(): number {
    return this.live.size;
  }

  add(tid: number, entry: E): void {
    this.live.set(tid, entry);
    this.everTraced = true;
  }

  get(tid: number): E | undefined {
    return this.live.get(tid);
  }

  /** Forgets a task (only if `entry` is still the one under its tid). */
  remove(tid: number, entry: E): void {
    if (this.live.get(tid) !== entry) return;
    this.live.delete(tid);
    for (const [pid, h] of this.held) if (h === entry) this.held.delete(pid);
    if (this.live.size === 0) this.wake();
  }

  /** A task changed its tid (an exec from a thread took over the leader's). */
  rekey(from: number, to: number, entry: E): void {
    if (this.live.get(from) === entry) this.live.delete(from);
    this.live.set(to, entry);
  }

  /** Holds a dead leader until release(pid). */
  hold(pid: number, entry: E): void {
    this.held.set(pid, entry);
  }

  /**
   * The held leader of pid, if any, no longer held. It is still counted: the caller prints its
   * end, then remove()s it.
   */
  release(pid: number): E | undefined {
    const h = this.held.get(pid);
    this.held.delete(pid);
    return h;
  }

  /** Every held leader, oldest first, no longer held (still counted, as with release). */
  releaseAll(): E[] {
    const all = [...this.held.values()];
    this.held.clear();
    return all;
  }

  whenEmpty(): Promise<void> {
    if (this.live.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
