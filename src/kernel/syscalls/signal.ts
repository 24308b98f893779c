// Signal syscalls: rt_sigaction, rt_sigprocmask, sigaltstack, kill, tkill, tgkill.
import type { SyscallRow, SyscallResult } from "./types.js";
import { KEEP_REGS } from "./types.js";
import { restoreFrame } from "../signal-frame.js";
import type { Task } from "../task.js";
import { argInt, argIsNull, argLong, argPtr } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { NSIG, SIGKILL, SIGSTOP, SI_USER, SI_TKILL } from "../../abi/signals.js";
import { sigbit } from "../signals.js";
import { GUEST_UID } from "./process.js";

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
  if (!argIsNull(t, 1)) {
    const o = argPtr(t, 1);
    mem.writeU64(o, BigInt(t.altStack.sp));
    mem.writeU32(o + 8, t.altStack.flags);
    mem.writeU32(o + 12, 0);
    mem.writeU64(o + 16, BigInt(t.altStack.size));
  }
  if (!argIsNull(t, 0)) {
    const p = argPtr(t, 0);
    const sp = Number(mem.readU64(p));
    const flags = mem.readI32(p + 8);
    const size = Number(mem.readU64(p + 16));
    if (flags & ~(SS_DISABLE | SS_ONSTACK | 0x80000000)) return -E.EINVAL;
    if (flags & SS_DISABLE) t.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
    else {
      if (size < MINSIGSTKSZ) return -E.ENOMEM;
      t.altStack = { sp, size, flags: 0 };
    }
  }
  return 0;
}

/** kill(pid, sig): only the caller's own process exists in this sandbox. */
function kill(t: Task): number {
  const pid = argInt(t, 0);
  const sig = argInt(t, 1);
  if (sig < 0 || sig > NSIG) return -E.EINVAL;
  if (pid !== t.process.pid && pid !== 0 && pid !== -1) return -E.ESRCH;
  if (sig !== 0) t.kernel.sendSignal(t, { signo: sig, code: SI_USER, pid: t.process.pid, uid: GUEST_UID });
  return 0;
}

function signalThread(t: Task, tgid: number, tid: number, sig: number): number {
  if (sig < 0 || sig > NSIG || tid <= 0) return -E.EINVAL;
  const target = t.kernel.tasks.get(tid);
  if (!target || (tgid !== -1 && target.process.pid !== tgid)) return -E.ESRCH;
  if (sig !== 0) t.kernel.sendSignal(target, { signo: sig, code: SI_TKILL, pid: t.process.pid, uid: GUEST_UID });
  return 0;
}

/** rt_sigpending(set, sigsetsize): the signals pending for the caller that are blocked. */
function rtSigpending(t: Task): number {
  if (argLong(t, 1) !== SIGSET_SIZE) return -E.EINVAL;
  let set = 0n;
  for (const p of t.pendingSignals) set |= sigbit(p.signo);
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
  { name: "kill", handler: kill, support: "partial", note: "only the caller's own process can be signalled" },
  { name: "tkill", handler: (t) => signalThread(t, -1, argInt(t, 0), argInt(t, 1)), support: "full" },
  { name: "tgkill", handler: (t) => signalThread(t, argInt(t, 0), argInt(t, 1), argInt(t, 2)), support: "full" },
];
