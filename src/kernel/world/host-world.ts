// The real world: the host's clocks and timers, its random bytes and its user, and host file
// metadata shown as it is. What rvtrace does without --deterministic.
import { readFileSync } from "node:fs";
import { clearLongTimeout, setLongTimeout } from "../host/timer.js";
import type { Task } from "../task.js";
import type { Process } from "../process.js";
import type { StatInfo, StatfsInfo } from "../vfs/stat.js";
import type { DirEntry } from "../vfs/dir.js";
import { fillRandom } from "../host/random.js";
import { GUEST_GID, GUEST_UID } from "../ids.js";
import type { TimerHandle, World } from "./world.js";

const startNs = process.hrtime.bigint();
/**
 * CLOCK_REALTIME is the host's monotonic clock plus the epoch time at start-up: it advances with
 * nanosecond resolution and never steps back between two calls, where Date.now() (milliseconds)
 * joined to hrtime's sub-millisecond digits could.
 */
const realtimeOffsetNs = BigInt(Date.now()) * 1_000_000n - startNs;

let hostGroups: readonly number[] | undefined;

/**
 * The host user's supplementary groups, as qemu-riscv64's guests see them: the "Groups:" line of
 * /proc/self/status where there is one (process.getgroups() adds the effective gid, which Linux's
 * getgroups does not), else Node's list.
 */
function supplementaryGroups(): readonly number[] {
  if (hostGroups) return hostGroups;
  try {
    const line = /^Groups:(.*)$/m.exec(readFileSync("/proc/self/status", "latin1"));
    if (line) return (hostGroups = line[1].trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    // Not Linux: below.
  }
  return (hostGroups = process.getgroups?.() ?? []);
}

export class HostWorld implements World {
  readonly deterministic = false;
  readonly uid = GUEST_UID;
  readonly gid = GUEST_GID;
  private readonly notes: string[] = [];
  /** Host timers set and not yet fired or cancelled. */
  private timers = 0;

  realtimeNs(): bigint {
    return realtimeOffsetNs + process.hrtime.bigint();
  }

  monotonicNs(): bigint {
    return process.hrtime.bigint();
  }

  /** The guest has the host thread to itself while it runs: elapsed time since rvtrace started. */
  cpuNs(_p: Process, _thread: Task | null): bigint {
    return process.hrtime.bigint() - startNs;
  }

  timeCsr(): bigint {
    return process.hrtime.bigint() / 100n;
  }

  charge(_t: Task, _instructions: number): void {}

  setTimer(deadline: bigint, cb: () => void): TimerHandle {
    const ms = Number((deadline - process.hrtime.bigint() + 999_999n) / 1_000_000n);
    // Counted while pending: the scheduler's deadlock check asks whether any timer can still fire.
    let pending = true;
    this.timers++;
    const done = (): boolean => {
      if (!pending) return false;
      pending = false;
      this.timers--;
      return true;
    };
    // Chained Node timers: one takes at most 2^31 - 1 ms (host/timer.ts).
    const handle = setLongTimeout(() => {
      if (done()) cb();
    }, Math.max(ms, 0));
    return {
      cancel: () => {
        if (done()) clearLongTimeout(handle);
      },
    };
  }

  pendingTimers(): number {
    return this.timers;
  }

  fireDueTimers(): void {}

  instructionsUntilTimer(): number {
    return Infinity;
  }

  skipToNextTimer(): boolean {
    return false;
  }

  random(buf: Uint8Array): void {
    fillRandom(buf);
  }

  groups(): readonly number[] {
    return supplementaryGroups();
  }

  uptimeSeconds(): number {
    return Math.floor(process.uptime());
  }

  stat(st: StatInfo): StatInfo {
    return st;
  }

  direntIno(e: DirEntry): bigint {
    return e.ino;
  }

  statfs(s: StatfsInfo): StatfsInfo {
    return s;
  }

  beforeSyscall(): void {}

  afterSyscall(): void {}

  noteHostInput(what: string): void {
    if (!this.notes.includes(what)) this.notes.push(what);
  }

  get hostInputs(): readonly string[] {
    return this.notes;
  }
}
