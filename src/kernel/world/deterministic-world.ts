// The repeatable world of --deterministic: nothing the guest can observe depends on the host
// machine, the day, or how fast the host runs.
//
// - Time is virtual: it advances by one nanosecond per guest instruction executed (by any task:
//   a 1 GHz machine running one instruction per cycle), and jumps forward when every task waits
//   for a timer (the scheduler calls skipToNextTimer), so a sleep costs no host time. CLOCK_REALTIME
//   starts at the --date (default 2000-01-01T00:00:00Z), CLOCK_MONOTONIC and CLOCK_BOOTTIME at one
//   second; CPU-time clocks count the instructions of the process or thread.
// - Timers (sleeps, poll/select/futex/sigtimedwait timeouts, interval timers and alarm) are kept
//   on that clock and fired by the scheduler at the instruction they fall due.
// - Random bytes come from ChaCha20 keyed by --seed (default 0), one stream for the whole run.
// - The guest runs as uid 1000, gid 1000, in group 1000 only.
// - File metadata is shown through a StatView (vfs/stat-view.ts), which file-changes.ts keeps up
//   to date with the guest's own changes.
import type { Task } from "../task.js";
import type { Process } from "../process.js";
import type { SyscallRow } from "../syscalls/types.js";
import type { DirEntry } from "../vfs/dir.js";
import { StatView } from "../vfs/stat-view.js";
import { timespecFromNs, type StatInfo, type StatfsInfo } from "../vfs/stat.js";
import { SeededRandom } from "../host/seeded-random.js";
import { FileChanges } from "./file-changes.js";
import { VirtualTimers } from "./virtual-timers.js";
import type { TimerHandle, World } from "./world.js";

const NS_PER_SECOND = 1_000_000_000n;
/** Virtual nanoseconds per guest instruction. */
export const NS_PER_INSTRUCTION = 1n;
/** CLOCK_REALTIME at the start of a run unless --date says otherwise: 2000-01-01T00:00:00Z. */
export const DEFAULT_DATE_NS = 946_684_800n * NS_PER_SECOND;
/** CLOCK_MONOTONIC at the start of a run (not 0, which programs may take for "never"). */
export const MONOTONIC_START_NS = NS_PER_SECOND;
/** The guest's user and group ids. */
export const DETERMINISTIC_UID = 1000;
export const DETERMINISTIC_GID = 1000;

export interface DeterministicOptions {
  /** Key of the random stream. */
  seed: bigint;
  /** CLOCK_REALTIME at the start, in ns since the epoch. */
  dateNs: bigint;
}

export class DeterministicWorld implements World {
  readonly deterministic = true;
  readonly uid = DETERMINISTIC_UID;
  readonly gid = DETERMINISTIC_GID;
  readonly view: StatView;
  private readonly changes: FileChanges;
  private readonly timers = new VirtualTimers();
  private readonly rng: SeededRandom;
  private readonly dateNs: bigint;
  /** Virtual ns added by skipping to timers while every task waited. */
  private skipped = 0n;
  /** Instructions run, by process and by thread (the CPU-time clocks). */
  private readonly cpu = new WeakMap<Process | Task, number>();
  /** The task charge() was last called for and what it has run since (added to `cpu` lazily:
   * charge runs after every stretch of user code, so it must cost next to nothing). */
  private chargedTask: Task | null = null;
  private charged = 0;
  private readonly notes: string[] = [];

  /** @param instructions the kernel's count of guest instructions run so far (every task) */
  constructor(private readonly instructions: () => number, opts: DeterministicOptions) {
    this.rng = new SeededRandom(opts.seed);
    this.dateNs = opts.dateNs;
    this.view = new StatView(timespecFromNs(opts.dateNs), () => timespecFromNs(this.realtimeNs()), this.uid, this.gid);
    this.view.onOutsideChange = (key) => {
      const [dev, ino] = key.split(":");
      this.noteHostInput(`a host file (device ${dev}, inode ${ino}) changed during the run, not by the guest`);
    };
    this.changes = new FileChanges(this.view, () => timespecFromNs(this.realtimeNs()));
  }

  /** Virtual ns since the start of the run. */
  private elapsedNs(): bigint {
    return BigInt(this.instructions()) * NS_PER_INSTRUCTION + this.skipped;
  }

  realtimeNs(): bigint {
    return this.dateNs + this.elapsedNs();
  }

  monotonicNs(): bigint {
    return MONOTONIC_START_NS + this.elapsedNs();
  }

  cpuNs(p: Process, thread: Task | null): bigint {
    this.flushCharge();
    return BigInt(this.cpu.get(thread ?? p) ?? 0) * NS_PER_INSTRUCTION;
  }

  timeCsr(): bigint {
    return this.monotonicNs() / 100n;
  }

  charge(t: Task, instructions: number): void {
    if (t !== this.chargedTask) {
      this.flushCharge();
      this.chargedTask = t;
    }
    this.charged += instructions;
  }

  private flushCharge(): void {
    const t = this.chargedTask;
    if (t === null) return;
    this.cpu.set(t, (this.cpu.get(t) ?? 0) + this.charged);
    this.cpu.set(t.process, (this.cpu.get(t.process) ?? 0) + this.charged);
    this.chargedTask = null;
    this.charged = 0;
  }

  setTimer(deadline: bigint, cb: () => void): TimerHandle {
    return this.timers.add(deadline, cb);
  }

  fireDueTimers(): void {
    if (this.timers.size > 0) this.timers.fireDue(this.monotonicNs());
  }

  instructionsUntilTimer(): number {
    const next = this.timers.next();
    if (next === null) return Infinity;
    const left = (next - this.monotonicNs() + NS_PER_INSTRUCTION - 1n) / NS_PER_INSTRUCTION;
    return left > 1n ? Number(left) : 1;
  }

  skipToNextTimer(): boolean {
    const next = this.timers.next();
    if (next === null) return false;
    const now = this.monotonicNs();
    if (next > now) this.skipped += next - now;
    this.fireDueTimers();
    return true;
  }

  pendingTimers(): number {
    return this.timers.size;
  }

  random(buf: Uint8Array): void {
    this.rng.fill(buf);
  }

  groups(): readonly number[] {
    return [this.gid];
  }

  uptimeSeconds(): number {
    return Number(this.monotonicNs() / NS_PER_SECOND);
  }

  stat(st: StatInfo): StatInfo {
    return this.view.stat(st);
  }

  direntIno(e: DirEntry): bigint {
    return this.view.direntIno(e);
  }

  statfs(s: StatfsInfo): StatfsInfo {
    return this.view.statfs(s);
  }

  beforeSyscall(t: Task, row: SyscallRow): void {
    this.changes.before(t, row);
  }

  afterSyscall(t: Task, row: SyscallRow, result: number | bigint): void {
    this.changes.after(t, row, result);
  }

  noteHostInput(what: string): void {
    if (!this.notes.includes(what)) this.notes.push(what);
  }

  get hostInputs(): readonly string[] {
    return this.notes;
  }
}
