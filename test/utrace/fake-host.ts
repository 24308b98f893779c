// A UtraceHost for unit tests of src/utrace/utrace.ts without a kernel: it records what utrace asks
// of the kernel (park, unpark, notify-resume kicks, interruptions, stepping) as lines, and lets a
// test decide what the kernel would answer (killed, dead, reaped).
import { Utrace, UTRACE_ATTACH_CREATE, type Engine, type EngineOps, type Kernel, type Process, type UtraceHost } from "../../src/index.js";
import { Task } from "../../src/kernel/task.js";

export class FakeHost implements UtraceHost {
  readonly calls: string[] = [];
  readonly lines: string[] = [];
  readonly killed = new Set<Task>();
  readonly dead = new Set<Task>();
  readonly reaped = new Set<Task>();
  park(t: Task): void { this.calls.push(`park ${t.tid}`); }
  unpark(t: Task): void { this.calls.push(`unpark ${t.tid}`); }
  notifyResume(t: Task): void { this.calls.push(`notify ${t.tid}`); }
  interrupt(t: Task): void { this.calls.push(`interrupt ${t.tid}`); }
  setStepping(t: Task, mode: number): void { this.calls.push(`step ${t.tid} ${mode}`); }
  findTask(): Task | undefined { return undefined; }
  isKilled(t: Task): boolean { return this.killed.has(t); }
  isDead(t: Task): boolean { return this.dead.has(t); }
  isReaped(t: Task): boolean { return this.reaped.has(t); }
  signalIgnored(_signo: number, handler: bigint): boolean { return handler === 1n; }
  diagnostics(line: string): void { this.lines.push(line); }
  /** The recorded calls so far, and forgets them. */
  take(): string[] { return this.calls.splice(0); }
}

/** A task with registers and utrace state only (no kernel, no process behind it). */
export function bareTask(tid: number): Task {
  return new Task(null as unknown as Kernel, tid, null as unknown as Process);
}

/** A fresh Utrace on a FakeHost, and a bare task 1. */
export function setup(): { host: FakeHost; ut: Utrace; t: Task } {
  const host = new FakeHost();
  return { host, ut: new Utrace(host), t: bareTask(1) };
}

/** Attaches ops with CREATE and sets `events` (expecting 0). */
export function attachTo(ut: Utrace, t: Task, ops: EngineOps<unknown>, events: number): Engine<unknown> {
  const e = ut.attachTask(t, UTRACE_ATTACH_CREATE, ops, null);
  if (ut.setEvents(t, e, events) !== 0) throw new Error("setEvents failed");
  return e;
}
