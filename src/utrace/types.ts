// The engine-facing types of utrace-spec.md Part A.1.
import type { Engine } from "./engine.js";
import type { Regs } from "./regs.js";
import type { Task } from "../kernel/task.js";

/** siginfo as report_signal sees it; engines may rewrite every field (Part B §3). */
export interface UtraceSigInfo {
  signo: number;
  errno: number;
  code: number;
  /** si_addr of fault signals. */
  addr?: bigint;
  /** Sender of kill/tgkill signals. */
  pid?: number;
  uid?: number;
  /** si_value of a signal sent with sigqueue (rt_sigqueueinfo). */
  value?: bigint;
}

/** A k_sigaction: what DELIVER does (handler, SIG_DFL = 0n, SIG_IGN = 1n). */
export interface KSigAction {
  handler: bigint;
  flags: bigint;
  mask: bigint;
}

/** What report_exec gets instead of linux_binfmt / linux_binprm (Part A.3). */
export interface ExecInfo {
  path: string;
  argv: string[];
  envp: string[];
  interpreter?: string;
}

/** report_exit's `long *code`: the future wait status, which any engine may rewrite. */
export interface ExitCode {
  value: number;
}

/** struct utrace_engine_ops; every member is optional. `name` is used in diagnostics only. */
export interface EngineOps<D = unknown> {
  name?: string;
  reportQuiesce?(action: number, engine: Engine<D>, event: number): number;
  reportSignal?(
    action: number, engine: Engine<D>, regs: Regs, info: UtraceSigInfo, origKa: KSigAction | null, returnKa: KSigAction,
  ): number;
  reportClone?(action: number, engine: Engine<D>, cloneFlags: number, child: Task): number;
  reportJctl?(action: number, engine: Engine<D>, type: number, notify: number): number;
  reportExec?(action: number, engine: Engine<D>, exec: ExecInfo, regs: Regs): number;
  reportSyscallEntry?(action: number, engine: Engine<D>, regs: Regs): number;
  reportSyscallExit?(action: number, engine: Engine<D>, regs: Regs): number;
  reportExit?(action: number, engine: Engine<D>, origCode: number, code: ExitCode): number;
  reportDeath?(engine: Engine<D>, groupDead: boolean, signal: number): number;
  reportReap?(engine: Engine<D>, task: Task): void;
  release?(data: D): void;
}

/** A failed attach: `errno` is the positive errno value, `code` its name ("ENOENT"). */
export class UtraceError extends Error {
  constructor(
    readonly errno: number,
    readonly code: string,
    message?: string,
  ) {
    super(message ?? code);
    this.name = "UtraceError";
  }
}
