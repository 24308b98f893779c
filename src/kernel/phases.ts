// A task's way through the kernel, one step at a time (task.ts Phase): the syscall-entry report,
// the handler (which may park the task on a wait queue), the syscall-exit report, the return to
// user mode (resume reports and signals), and the exit path. A task that parks resumes at the
// step it parked in.
import { GuestFault } from "../mem/address-space.js";
import { E } from "../abi/gen/errno.js";
import { STOPPED } from "../utrace/utrace.js";
import { UTRACE_EVENT } from "../utrace/constants.js";
import { Phase, type Task } from "./task.js";
import type { Kernel } from "./kernel.js";
import { Blocked, ERESTARTNOHAND, ERESTARTNOINTR, ERESTARTSYS, ERESTART_RESTARTBLOCK } from "./wait-queue.js";
import { parkOnQueue } from "./parking.js";
import { NO_RETURN, KEEP_REGS, PARKED, type SyscallRow } from "./syscalls/types.js";
import { syscallTable } from "./syscalls/table.js";
import { returnToUser } from "./signal-delivery.js";
import { exitTaskNow } from "./exit.js";
import { memoryLimitReached } from "./limits.js";
import { chargeSyscall, hostFsCallCount } from "./host-work.js";
import { releaseScratch } from "./scratch.js";

const RESTART_CODES = [ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK];
const NR_RT_SIGRETURN = 139;

/**
 * a0 holds one of the restart codes (as a 64-bit negative number), read from its two 32-bit halves:
 * reading x64[10] would make a BigInt at every syscall exit an engine watches.
 */
function a0IsRestartCode(x: Int32Array): boolean {
  return x[2 * 10 + 1] === -1 && RESTART_CODES.includes(-x[2 * 10]);
}

/** The dispatch table, built on first use (the syscall family files import this module's callers). */
let table: (SyscallRow | undefined)[] | null = null;

/** One step of a task's way through the kernel. Parking leaves the phase as it is. */
export function advance(k: Kernel, t: Task): void {
  switch (t.phase) {
    case Phase.SyscallEntry: {
      if (t.killed) {
        t.phase = Phase.Exiting;
        return;
      }
      let decision: "run" | "abort" = "run";
      if (t.utraceFlags & UTRACE_EVENT.SYSCALL_ENTRY) {
        const r = k.utrace.reportSyscallEntry(t);
        if (r === STOPPED) return;
        decision = r;
      }
      if (t.killed) {
        // SIGKILL during the entry stop forced ABORT: the exit report still comes (§8.2 point 8).
        t.phase = Phase.SyscallExit;
        return;
      }
      // Engines may have rewritten the number; -1 means "skip" (Part A.3), a0 as they left it.
      t.syscallNr = syscallNumber(t.hart);
      const skip = decision === "abort" || (t.hart.x[2 * 17] === -1 && t.hart.x[2 * 17 + 1] === -1);
      if (!skip) t.hart.x64[10] = t.origA0;
      // A fresh log of the guest memory this call writes, for engines that asked (record/replay).
      t.syscallWriteLog = t.utraceFlags & UTRACE_EVENT.SYSCALL_EXIT && k.utrace.wantsSyscallWrites(t) ? [] : null;
      t.phase = skip ? Phase.SyscallExit : Phase.SyscallRun;
      return;
    }
    case Phase.SyscallRun:
      if (invokeSyscall(k, t) && t.phase === Phase.SyscallRun) t.phase = Phase.SyscallExit;
      return;
    case Phase.SyscallExit:
      if (t.utraceFlags & UTRACE_EVENT.SYSCALL_EXIT) {
        k.utrace.reportSyscallExit(t);
        // A restart code in a0 means a restart or EINTR at the signal's delivery, as in Linux, also
        // when an engine put it there (a replayed call that a signal interrupted when recorded);
        // not after rt_sigreturn, whose a0 is the interrupted code's own register (Linux likewise).
        if (t.syscallNr !== NR_RT_SIGRETURN && a0IsRestartCode(t.hart.x)) t.interrupted = true;
      }
      t.syscallWriteLog = null;
      if (t.scratch) releaseScratch(t);
      if (t.phase === Phase.SyscallExit) {
        k.options.onSyscallExit?.(t);
        t.phase = Phase.Return;
      }
      return;
    case Phase.Return:
      returnToUser(k, t);
      return;
    case Phase.Exiting:
      if (t.scratch) releaseScratch(t);
      exitTaskNow(k, t);
      return;
    case Phase.User:
      return;
  }
}

/**
 * The syscall number in a7, read as Linux reads it: all 64 bits (arch/riscv's do_trap_ecall_u). A value
 * that is not a 32-bit number sign-extended names no syscall; it is returned as itself (a Number, exact
 * up to 2^53), so no row matches it and the call is ENOSYS. Its low half must not choose a row: a7 =
 * 2^32 + 93 is not exit_group.
 */
export function syscallNumber(h: { readonly x: Int32Array; readonly x64: BigInt64Array }): number {
  const lo = h.x[2 * 17];
  return h.x[2 * 17 + 1] === lo >> 31 ? lo : Number(h.x64[17]);
}

/** Runs the handler of t's current syscall. Returns false if the task parked or ended. */
function invokeSyscall(k: Kernel, t: Task): boolean {
  const h = t.hart;
  const nr = t.syscallNr;
  table ??= syscallTable();
  const row = nr >= 0 && nr < table.length ? table[nr] : undefined;
  let result;
  const fsCallsBefore = hostFsCallCount();
  if (!row) {
    k.unimplemented.set(nr, (k.unimplemented.get(nr) ?? 0) + 1);
    result = -E.ENOSYS;
  } else {
    // The write log is set only while this handler runs: other tasks' syscalls in between (threads
    // share the memory) are not this call's writes. An exec replaces t.mem; the log was the old one's.
    const log = t.syscallWriteLog;
    const mem = t.mem;
    if (log) mem.writeLog = log;
    try {
      k.world.beforeSyscall(t, row);
      result = row.handler(t);
      if (typeof result === "number" || typeof result === "bigint") k.world.afterSyscall(t, row, result);
    } catch (e) {
      if (e instanceof GuestFault) result = -E.EFAULT;
      else {
        k.internalError(t, `syscall ${row.name}`, e);
        return false;
      }
    } finally {
      // The host descriptors the call's path lookups held (vfs/host-ref.ts).
      k.vfs.ns.releaseHandles();
      if (log) mem.writeLog = null;
    }
  }
  // The call wrote to a page of guest memory past --memory-limit (a fault the handler may have
  // caught): the process is killed, as if its own store had.
  if (t.mem.outOfMemory) {
    memoryLimitReached(k, t);
    return false;
  }
  // What the call cost the host, charged against --max-insns (host-work.ts).
  chargeSyscall(k, row, result, fsCallsBefore);
  if (result instanceof Blocked) {
    parkOnQueue(k, t, result);
    return false;
  }
  // Stopped by an engine inside the call: the phase stays, so the handler runs again on resume.
  if (result === PARKED) return false;
  t.restartData = undefined;
  if (result === NO_RETURN) return false;
  if (result === KEEP_REGS) return true;
  if (typeof result === "bigint") h.x64[10] = BigInt.asIntN(64, result);
  else {
    h.setXNumber(10, result);
    // A restart code returned directly (a background terminal read that sent SIGTTIN): the return
    // to user mode restarts the call or makes it EINTR, as for an interrupted wait.
    if (RESTART_CODES.includes(-result)) t.interrupted = true;
  }
  return true;
}
