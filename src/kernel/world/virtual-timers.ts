// Timers on a virtual clock: kept in deadline order (ties in the order they were set, so that two
// timers due at once always fire in the same order), fired by the scheduler when the clock passes
// their deadline, never by the host's event loop.
import type { TimerHandle } from "./world.js";

interface Entry {
  deadline: bigint;
  seq: number;
  cb: () => void;
  cancelled: boolean;
}

export class VirtualTimers {
  /** Pending timers, sorted by (deadline, seq). */
  private readonly queue: Entry[] = [];
  private seq = 0;

  add(deadline: bigint, cb: () => void): TimerHandle {
    const e: Entry = { deadline, seq: this.seq++, cb, cancelled: false };
    // Insert after every entry due no later (a timer set later fires later among equals).
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1].deadline > deadline) i--;
    this.queue.splice(i, 0, e);
    return {
      cancel: () => {
        if (e.cancelled) return;
        e.cancelled = true;
        const at = this.queue.indexOf(e);
        if (at >= 0) this.queue.splice(at, 1);
      },
    };
  }

  /** The earliest deadline, or null when no timer is pending. */
  next(): bigint | null {
    return this.queue.length > 0 ? this.queue[0].deadline : null;
  }

  /** Fires, in order, every timer due at `now` (including those a firing timer sets). */
  fireDue(now: bigint): void {
    while (this.queue.length > 0 && this.queue[0].deadline <= now) {
      const e = this.queue.shift()!;
      e.cancelled = true;
      e.cb();
    }
  }

  get size(): number {
    return this.queue.length;
  }
}
