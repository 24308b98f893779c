// The host side of a replay's timing. A recording places what the host decided by the scheduler's
// slice count: a host signal or a timer's expiry came between two slices, and a call that waited
// came back in a given slice. The scheduler is deterministic otherwise (round-robin by instruction
// counts), so doing the same things at the same slice boundaries gives the same run. Before each
// slice (Scheduler.beforeSlice) the timeline applies the host events recorded at this boundary,
// then releases the task whose answered wait (a sleep, a read of stdin) ended in the slice about to
// start, at the head of the run queue.
//
// When nothing is runnable and something is still due, it skips ahead to the next item rather than
// wait for the host: nothing else could happen in between (a wait that the host's clock ended when
// recorded is answered, and held until its slice, never re-run). Slices in which a task only went
// back to waiting (a timer that fired a little early woke a wait that was not over) are not
// counted when recorded, as the replay does not have them (Scheduler.slices); each host event is
// also checked against the instruction count it came at. When nothing is runnable and nothing at
// all is due while a task is alive, the replay cannot go on: it has diverged, unless every task is
// blocked for good on the others (a deadlock, which the scheduler reports as it did when recorded).
import type { Kernel } from "../kernel/kernel.js";
import type { Task } from "../kernel/task.js";
import type { HostEventRecord } from "../engines/replay/format.js";
import { timerSignal } from "../kernel/syscalls/itimer.js";
import { pendingWaker } from "../kernel/deadlock.js";

interface Release {
  slice: number;
  task: Task;
  release(): void;
}

export class ReplayTimeline {
  private next = 0;
  private readonly releases: Release[] = [];

  constructor(
    private readonly kernel: Kernel,
    private readonly events: readonly HostEventRecord[],
    /** Called when the replay cannot follow the recording. */
    private readonly diverged: (message: string) => void,
    /** Called before anything else at each boundary: true stops the timeline (the replay is over). */
    private readonly stopped: () => boolean,
  ) {
    kernel.scheduler.beforeSlice = () => this.tick();
  }

  releaseAt(slice: number, task: Task, release: () => void): void {
    this.releases.push({ slice, task, release });
    this.releases.sort((a, b) => a.slice - b.slice);
  }

  private tick(): void {
    if (this.stopped()) return;
    const s = this.kernel.scheduler;
    this.due(s.slices);
    while (s.queued === 0 && !this.stopped()) {
      const event = this.events[this.next];
      const release = this.releases[0];
      // The boundary (slices done) at which each comes.
      const at = Math.min(event ? event.slice : Infinity, release ? release.slice - 1 : Infinity);
      if (at === Infinity) {
        // Every task blocked for good on another guest task (a recorded deadlock): the scheduler
        // ends the run with its report next, as when recorded. Anything else waits for the host.
        if ([...this.kernel.tasks.values()].some((t) => t.state !== "dead") && pendingWaker(this.kernel) !== "none") {
          this.diverged("the guest waits for something that did not come when recorded");
          this.stopped(); // ends the guest
        }
        return;
      }
      this.due(at);
    }
  }

  /** Applies the events recorded after slice `done` and the release for slice done + 1. */
  private due(done: number): void {
    while (this.next < this.events.length && this.events[this.next].slice <= done) this.apply(this.events[this.next++]);
    while (this.releases.length > 0 && this.releases[0].slice <= done + 1) {
      const r = this.releases.shift()!;
      r.release();
      this.kernel.scheduler.runFirst(r.task);
    }
  }

  private apply(e: HostEventRecord): void {
    if (this.kernel.instructions !== e.insns) {
      const what = e.kind === "signal" ? `host signal ${e.signo}` : "timer expiry";
      this.diverged(`a ${what} came after ${e.insns} instructions when recorded, after ${this.kernel.instructions} now`);
      return;
    }
    if (e.kind === "signal") this.kernel.hostSignal(e.signo);
    else {
      const p = this.kernel.processes.get(e.pid);
      if (p?.alive) timerSignal(p, e.which);
    }
  }
}
