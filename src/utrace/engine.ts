// struct utrace_engine: one attachment of one tracer to one task (Part B §1.1, §1.3).
import type { EngineOps } from "./types.js";
import type { Task } from "../kernel/task.js";
import { ENGINE_STOP, UTRACE_DETACH, UTRACE_EVENT } from "./constants.js";

/** The detached-sentinel ops: the next pass calls its quiesce, which finishes the detach (§1.1). */
export const DETACHED_OPS: EngineOps<unknown> = {
  name: "(detached)",
  reportQuiesce: () => UTRACE_DETACH,
  reportReap: () => {},
};

let nextEngineId = 1;

export class Engine<D = unknown> {
  /** Live ops, the detached sentinel, or null once fully removed. */
  ops: EngineOps<D> | null;
  /** Event bits | ENGINE_STOP. */
  bits = 0;
  private refs = 2; // one for the caller, one for the attachment (§1.3)
  private readonly releaseFn: ((data: D) => void) | undefined;
  /** A number that names the engine in diagnostics when its ops have no name. */
  readonly id = nextEngineId++;
  /** The engine's name in diagnostics: ops.name, or "engine #id". */
  readonly name: string;
  /** Set by utrace.setSyscallWriteLog: the kernel logs what each syscall writes (syscall-writes.ts). */
  logsSyscallWrites = false;

  constructor(
    ops: EngineOps<D>,
    readonly data: D,
    readonly task: Task,
  ) {
    this.ops = ops;
    this.name = ops.name ?? `engine #${this.id}`;
    this.releaseFn = ops.release?.bind(ops);
  }

  /** The event mask set by utrace.setEvents (read-only; ENGINE_STOP is internal). */
  get flags(): number {
    return this.bits & ~ENGINE_STOP;
  }

  /** True while the engine's ops are live (neither detached nor removed). */
  get live(): boolean {
    return this.ops !== null && this.ops !== (DETACHED_OPS as EngineOps<unknown>);
  }

  get holdsStop(): boolean {
    return (this.bits & ENGINE_STOP) !== 0;
  }

  /** utrace_engine_get: takes a reference. */
  get(): void {
    this.refs++;
  }

  /** utrace_engine_put: drops a reference; the last one calls release(data). */
  put(): void {
    if (this.refs <= 0) return;
    if (--this.refs === 0) this.releaseFn?.(this.data);
  }

  /** The reference count (for tests of §1.3). */
  get refCount(): number {
    return this.refs;
  }

  /**
   * Marks the engine detached: sentinel ops, flags only QUIESCE (§1.1). The sentinel's QUIESCE bit
   * is what sends it down the general path of a syscall pass (utrace.ts syscallPass), which then
   * calls its quiesce; nothing changes the bits of a detached engine afterwards.
   */
  markDetached(): void {
    if (this.ops === null) return;
    this.ops = DETACHED_OPS as EngineOps<D>;
    this.bits = UTRACE_EVENT.QUIESCE;
  }
}
