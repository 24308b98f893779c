// Signal syscalls: rt_sigaction, rt_sigprocmask, sigaltstack, kill, tkill, tgkill, the queued
// forms rt_sigqueueinfo and rt_tgsigqueueinfo, and the waits rt_sigsuspend and rt_sigtimedwait.
import { clearLongTimeout, setLongTimeout, type LongTimeout } from "../host/timer.js";
import type { SyscallRow, SyscallResult } from "./types.js";
import { KEEP_REGS } from "./types.js";
import { SIGINFO_SIZE, restoreFrame, writeSiginfo } from "../signal-frame.js";
import type { Task } from "../task.js";
import { argInt, argIsNull, argLong, argPtr } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { NSIG, SIGKILL, SIGSTOP, SIG_DFL, SIG_IGN, SI_USER, SI_TKILL, defaultAction } from "../../abi/signals.js";
import { sigbit, type SignalInfo } from "../signals.js";
import { Blocked, ERESTARTNOHAND, WaitQueue } from "../wait-queue.js";
import { GUEST_UID } from "../ids.js";
import { readTimespec } from "./time.js";

const SIGSET_SIZE = 8;
const SIG_BLOCK = 0;
const SIG_UNBLOCK = 1;
const SIG_SETMASK = 2;
const UNBLOCKABLE = sigbit(SIGKILL) | sigbit(SIGSTOP);
const SS_ONSTACK = 1;
const SS_DISABLE = 2;
const MINSIGSTKSZ = 2048;

/** rt_sigaction(sig, act, oact, sigsetsize): struct sigaction is {handler, flags, restorer?, mask}. */
function rtSigaction(t: Task): number {
  const sig = argInt(t, 0);
  if (argLong(t, 3) !== SIGSET_SIZE) return -E.EINVAL;
  if (sig < 1 || sig > NSIG) return -E.EINVAL;
  const actions = t.process.sigactions;
  const mem = t.mem;
  // riscv64 has no sa_restorer field: the layout is handler, flags, mask (asm-generic/signal.h).
  if (!argIsNull(t, 2)) {
    const o = argPtr(t, 2);
    const a = actions[sig];
    mem.writeU64(o, a.handler);
    mem.writeU64(o + 8, a.flags);
    mem.writeU64(o + 16, a.mask);
  }
  if (!argIsNull(t, 1)) {
    if (sig === SIGKILL || sig === SIGSTOP) return -E.EINVAL;
    const p = argPtr(t, 1);
    actions[sig] = {
      handler: mem.readU64(p),
      flags: mem.readU64(p + 8),
      restorer: 0n,
      mask: mem.readU64(p + 16) & ~UNBLOCKABLE,
    };
  }
  return 0;
}

function rtSigprocmask(t: Task): number {
  const how = argInt(t, 0);
  if (argLong(t, 3) !== SIGSET_SIZE) return -E.EINVAL;
  const old = t.sigmask;
  if (!argIsNull(t, 1)) {
    const set = t.mem.readU64(argPtr(t, 1));
    switch (how) {
      case SIG_BLOCK: t.sigmask |= set; break;
      case SIG_UNBLOCK: t.sigmask &= ~set; break;
      case SIG_SETMASK: t.sigmask = set; break;
      default: return -E.EINVAL;
    }
    t.sigmask &= ~UNBLOCKABLE;
  }
  if (!argIsNull(t, 2)) t.mem.writeU64(argPtr(t, 2), old);
  return 0;
}

/** sigaltstack(ss, old_ss): stack_t is {ss_sp u64, ss_flags i32, pad, ss_size u64}. */
function sigaltstack(t: Task): number {
  const mem = t.mem;
  const old = t.altStack;
  // Whether the caller runs on its alternate stack now (in a handler that switched to it, say):
  // Linux reports it as SS_ONSTACK and refuses to change the stack under the caller's feet.
  const sp = t.hart.getXNumber(2);
  const onStack = old.flags !== SS_DISABLE && sp > old.sp && sp <= old.sp + old.size;
  if (!argIsNull(t, 0)) {
    const p = argPtr(t, 0);
    const sp = Number(mem.readU64(p));
    const flags = mem.readI32(p + 8);
    const size = Number(mem.readU64(p + 16));
    if (onStack) return -E.EPERM;
    if (flags & ~(SS_DISABLE | SS_ONSTACK | 0x80000000)) return -E.EINVAL;
    if (flags & SS_DISABLE) t.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
    else {
      if (size < MINSIGSTKSZ) return -E.ENOMEM;
      t.altStack = { sp, size, flags: 0 };
    }
  }
  // The old stack is reported only when the call succeeds, as Linux copies it out last.
  if (!argIsNull(t, 1)) {
    const o = argPtr(t, 1);
    mem.writeU64(o, BigInt(old.sp));
    mem.writeU32(o + 8, onStack ? SS_ONSTACK : old.flags);
    mem.writeU32(o + 12, 0);
    mem.writeU64(o + 16, BigInt(old.size));
  }
  return 0;
}

/**
 * kill(pid, sig): to one process (pid > 0), the caller's process group (0), every process but the
 * caller's own (-1), or the group -pid. A zombie can be named but nothing happens to it.
 */
function kill(t: Task): number {
  const pid = argInt(t, 0);
  const sig = argInt(t, 1);
  if (sig < 0 || sig > NSIG) return -E.EINVAL;
  if (pid === -0x8000_0000) return -E.ESRCH;
  const self = t.process;
  const pgid = pid === 0 ? self.pgid : -pid;
  const targets = [...t.kernel.processes.values()].filter((p) =>
    pid > 0 ? p.pid === pid : pid === -1 ? p !== self : p.pgid === pgid);
  if (targets.length === 0) return -E.ESRCH;
  if (sig !== 0) {
    for (const p of targets) t.kernel.sendProcessSignal(p, { signo: sig, code: SI_USER, pid: self.pid, uid: GUEST_UID });
  }
  return 0;
}

function signalThread(t: Task, tgid: number, tid: number, sig: number): number {
  if (sig < 0 || sig > NSIG || tid <= 0) return -E.EINVAL;
  const target = t.kernel.tasks.get(tid);
  if (!target || target.state === "dead" || (tgid !== -1 && target.process.pid !== tgid)) return -E.ESRCH;
  if (sig !== 0) t.kernel.sendSignal(target, { signo: sig, code: SI_TKILL, pid: t.process.pid, uid: GUEST_UID });
  return 0;
}

/**
 * rt_sigqueueinfo / rt_tgsigqueueinfo: a signal with the sender's own siginfo (sigqueue's si_value).
 * As in Linux, only a process signalling itself may claim a kernel si_code (>= 0) or SI_TKILL.
 */
function sigqueue(t: Task, tgid: number, tid: number | null, sig: number, infoAddr: number): number {
  if (sig < 0 || sig > NSIG || (tid !== null && (tgid <= 0 || tid <= 0))) return -E.EINVAL;
  const v = new DataView(t.mem.read(infoAddr, SIGINFO_SIZE).buffer);
  const code = v.getInt32(8, true);
  if ((code >= 0 || code === SI_TKILL) && tgid !== t.process.pid) return -E.EPERM;
  const info: SignalInfo = { signo: sig, code, pid: v.getInt32(16, true), uid: v.getUint32(20, true), value: v.getBigUint64(24, true) };
  if (tid === null) {
    const p = t.kernel.processes.get(tgid);
    if (!p) return -E.ESRCH;
    if (sig !== 0) t.kernel.sendProcessSignal(p, info);
    return 0;
  }
  const target = t.kernel.tasks.get(tid);
  if (!target || target.state === "dead" || target.process.pid !== tgid) return -E.ESRCH;
  if (sig !== 0) t.kernel.sendSignal(target, info);
  return 0;
}

/**
 * True when a signal the current (temporary) mask lets through is already pending and would run
 * a handler or end the process: the wait ends at once with EINTR. (Ignored, stop and continue
 * signals do not end a wait.)
 */
export function suspendInterrupted(t: Task): boolean {
  return [...t.pendingSignals, ...t.process.sharedPending].some((p) => {
    if ((t.sigmask & sigbit(p.signo)) !== 0n) return false;
    const handler = t.process.sigactions[p.signo].handler;
    if (handler === SIG_IGN) return false;
    if (handler !== SIG_DFL) return true;
    const action = defaultAction(p.signo);
    return action === "term" || action === "core";
  });
}

/**
 * Puts the temporary mask of a wait in place (rt_sigsuspend, ppoll/pselect6 with a sigmask),
 * keeping the caller's mask in savedSigmask for the handler's frame or restoreSuspendMask. A
 * restarted wait keeps the mask saved the first time.
 */
export function suspendMask(t: Task, mask: bigint): void {
  t.savedSigmask ??= t.sigmask;
  t.sigmask = BigInt.asUintN(64, mask) & ~UNBLOCKABLE;
}

/** Ends a wait under a temporary mask that no handler ended: the caller's mask comes back. */
export function restoreSuspendMask(t: Task): void {
  if (t.savedSigmask === null) return;
  t.sigmask = t.savedSigmask;
  t.savedSigmask = null;
}

/**
 * rt_sigsuspend(mask, sigsetsize): waits under `mask` until a signal's handler runs, then EINTR;
 * the handler's frame holds the caller's mask, so its sigreturn brings it back.
 */
function rtSigsuspend(t: Task): SyscallResult {
  if (argLong(t, 1) !== SIGSET_SIZE) return -E.EINVAL;
  suspendMask(t, t.mem.readU64(argPtr(t, 0)));
  if (suspendInterrupted(t)) return -E.EINTR;
  // Nothing wakes this queue: only a signal ends the wait (ERESTARTNOHAND: EINTR once handled).
  return new Blocked(new WaitQueue(), ERESTARTNOHAND);
}

/** What rt_sigtimedwait keeps across its re-runs: the deadline and the caller's mask. */
class PendingSigwait {
  timer: LongTimeout | null = null;
  constructor(
    readonly deadline: bigint | null,
    readonly mask: bigint,
  ) {}
}

/**
 * rt_sigtimedwait(set, info, timeout, sigsetsize): takes a pending signal of `set` (normally
 * blocked) without running its handler, waiting for one up to the timeout (EAGAIN). While it
 * waits the set is unblocked (Linux's real_blocked), so that a signal of it reaches the task: it
 * wakes the wait, whose re-run puts the mask back and takes the signal. Another signal with a
 * handler interrupts the wait (EINTR).
 */
function rtSigtimedwait(t: Task): SyscallResult {
  if (argLong(t, 3) !== SIGSET_SIZE) return -E.EINVAL;
  const set = t.mem.readU64(argPtr(t, 0)) & ~UNBLOCKABLE;
  let pending = t.restartData instanceof PendingSigwait ? t.restartData : null;
  if (pending) {
    if (pending.timer) clearLongTimeout(pending.timer);
    t.sigmask = pending.mask;
  }
  const list = [t.pendingSignals, t.process.sharedPending].find((l) => l.some((p) => (set & sigbit(p.signo)) !== 0n));
  if (list) {
    const [info] = list.splice(list.findIndex((p) => (set & sigbit(p.signo)) !== 0n), 1);
    if (!argIsNull(t, 1)) {
      const bytes = new Uint8Array(SIGINFO_SIZE);
      writeSiginfo(new DataView(bytes.buffer), 0, info);
      t.mem.write(argPtr(t, 1), bytes);
    }
    return info.signo;
  }
  const now = process.hrtime.bigint();
  if (!pending) {
    let deadline: bigint | null = null;
    if (!argIsNull(t, 2)) {
      const timeout = readTimespec(t, argPtr(t, 2));
      if (timeout === undefined) return -E.EINVAL;
      deadline = now + timeout;
    }
    pending = new PendingSigwait(deadline, t.sigmask);
  }
  if (pending.deadline !== null && now >= pending.deadline) return -E.EAGAIN;
  const p = pending;
  t.restartData = p;
  const q = new WaitQueue();
  if (p.deadline !== null) p.timer = setLongTimeout(() => q.wakeAll(), Number((p.deadline - now + 999_999n) / 1_000_000n));
  t.sigmask &= ~set;
  const interrupted = () => {
    if (p.timer) clearLongTimeout(p.timer);
    t.sigmask = p.mask;
  };
  return new Blocked(q, ERESTARTNOHAND, interrupted, (signo) => (set & sigbit(signo)) !== 0n);
}

/** rt_sigpending(set, sigsetsize): the signals pending for the caller that are blocked. */
function rtSigpending(t: Task): number {
  if (argLong(t, 1) !== SIGSET_SIZE) return -E.EINVAL;
  let set = 0n;
  for (const p of [...t.pendingSignals, ...t.process.sharedPending]) set |= sigbit(p.signo);
  t.mem.writeU64(argPtr(t, 0), set & t.sigmask);
  return 0;
}

/** rt_sigreturn: return from a handler, restoring what the signal frame saved. */
function rtSigreturn(t: Task): SyscallResult {
  const mask = restoreFrame(t);
  t.sigmask = mask & ~UNBLOCKABLE;
  return KEEP_REGS;
}

export const signalSyscalls: SyscallRow[] = [
  { name: "rt_sigaction", handler: rtSigaction, support: "full" },
  { name: "rt_sigpending", handler: rtSigpending, support: "full" },
  { name: "rt_sigreturn", handler: rtSigreturn, support: "full" },
  { name: "rt_sigprocmask", handler: rtSigprocmask, support: "full" },
  { name: "sigaltstack", handler: sigaltstack, support: "full" },
  { name: "kill", handler: kill, support: "full" },
  { name: "tkill", handler: (t) => signalThread(t, -1, argInt(t, 0), argInt(t, 1)), support: "full" },
  { name: "tgkill", handler: (t) => signalThread(t, argInt(t, 0), argInt(t, 1), argInt(t, 2)), support: "full" },
  {
    name: "rt_sigqueueinfo", handler: (t) => sigqueue(t, argInt(t, 0), null, argInt(t, 1), argPtr(t, 2)),
    support: "partial", note: "only the caller's own process can be signalled",
  },
  {
    name: "rt_tgsigqueueinfo", handler: (t) => sigqueue(t, argInt(t, 0), argInt(t, 1), argInt(t, 2), argPtr(t, 3)),
    support: "full",
  },
  { name: "rt_sigsuspend", handler: rtSigsuspend, support: "full" },
  { name: "rt_sigtimedwait", handler: rtSigtimedwait, support: "full" },
];
