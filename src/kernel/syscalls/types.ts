// The shape of the syscall registry: one row per syscall, gathered by table.ts from the family files
// (fs.ts, mm.ts, process.ts, …). See docs in table.ts.
import type { Task } from "../task.js";
import type { Blocked } from "../wait-queue.js";
import type { SyscallName } from "../../abi/gen/syscall-numbers.js";

/**
 * What a handler returns: a result (number or bigint; negative values in [-4095, -1] are -errno,
 * as the kernel ABI has it), or Blocked to park the task and restart the syscall when woken.
 * A handler that ends the task (exit) returns NO_RETURN.
 */
export type SyscallResult = number | bigint | Blocked | typeof NO_RETURN | typeof KEEP_REGS | typeof PARKED;

/** Returned by handlers after which the task does not return to user mode (exit, exit_group, execve). */
export const NO_RETURN: unique symbol = Symbol("no return");

/**
 * Returned by a handler whose task an engine has just stopped (a vfork parent, §7 of the utrace
 * spec): the handler runs again, from the start, when the task is resumed.
 */
export const PARKED: unique symbol = Symbol("parked");

/** Returned by rt_sigreturn: the registers were restored wholesale; do not write a result into a0. */
export const KEEP_REGS: unique symbol = Symbol("keep registers");

export type SyscallHandler = (task: Task) => SyscallResult;

/** How fully rvtrace implements a syscall. A note is required unless the level is "full". */
export type SupportLevel = "full" | "partial" | "stub";

export interface SyscallRow {
  name: SyscallName;
  handler: SyscallHandler;
  support: SupportLevel;
  note?: string;
  /** The result, when positive, is a count of bytes moved: charged by size to --max-insns (host-work.ts). */
  chargesBytes?: boolean;
}
