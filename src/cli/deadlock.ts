// Deadlocks in the CLI: every guest task blocked for good (kernel/deadlock.ts) ends the run with one
// line per task and rvtrace's own exit status, DEADLOCK_STATUS, unless --await-signals asks to wait
// for a signal from outside instead. The lines show the call each task waits in as `rvtrace trace`
// would print it (the kernel knows no decoders: the CLI hands it this one).
import type { Kernel, KernelOptions } from "../kernel/kernel.js";
import type { Task } from "../kernel/task.js";
import type { ExitStatus } from "../kernel/process.js";
import type { CallContext, GuestMemory } from "../engines/strace/decode.js";

/**
 * rvtrace's status when every task was blocked for good: taken by none of rvtrace's other statuses
 * (1 --verify, 2 usage, 70 internal error, 125 replay divergence, 126/127 cannot run, 128+N a
 * signal), nor by the wrappers a CI job puts around it (timeout 124–127, env and nice 125–127,
 * xargs 123–127).
 */
export const DEADLOCK_STATUS = 122;

/**
 * The call a task waits in, decoded as strace prints it at entry (out-parameters as addresses). The
 * decoders are loaded only when a run deadlocks: every start of rvtrace would pay for them.
 */
async function loadCallDescriber(): Promise<(t: Task) => string> {
  const { DEFAULT_DECODE_OPTIONS, pendingCallText } = await import("../engines/strace/decode.js");
  return (t) => pendingCallText(callOf(t), DEFAULT_DECODE_OPTIONS);
}

/** The syscall t is in, as the decoders take it. */
function callOf(t: Task): CallContext {
  const mem: GuestMemory = {
    read(addr: bigint, len: number): Uint8Array | null {
      try {
        return t.readBytes(addr, len);
      } catch {
        return null;
      }
    },
  };
  const args: bigint[] = [t.origA0];
  for (let i = 1; i < 6; i++) args.push(t.hart.x64[10 + i]);
  return { nr: t.syscallNr, args, mem, sp: t.hart.x64[2] };
}

/** The kernel options of a CLI run: deadlocks end it (unless --await-signals said otherwise). */
export function withDeadlockEnd(options: KernelOptions): KernelOptions {
  return { endDeadlocks: true, loadCallDescriber, ...options };
}

/** rvtrace's exit status for the end of its first process: the deadlock status, or as a shell shows it. */
export function runStatus(kernel: Kernel, status: ExitStatus): number {
  if (kernel.deadlock !== null) return DEADLOCK_STATUS;
  return status.signal !== null ? 128 + status.signal : (status.exitCode ?? 0);
}
