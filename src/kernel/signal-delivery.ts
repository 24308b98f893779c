// Signals on their way to a handler: sending (to one thread, or to a process, whose threads share
// its pending set), the job-control side effects of sending SIGCONT and the stop signals, and, at a
// task's return to user mode, dequeuing with utrace's signal reports and acting on each: a
// handler's frame, a group exit, a group stop.
import { GuestFault } from "../mem/address-space.js";
import { StepMode } from "../cpu/hart.js";
import {
  SIGSEGV, SIGKILL, SIGSTOP, SIGCHLD, SIGCONT, SIG_IGN, SIG_DFL, SA_NODEFER, SA_RESETHAND, SA_NOCLDSTOP,
  CLD_STOPPED, CLD_CONTINUED, defaultAction,
} from "../abi/signals.js";
import { STOPPED } from "../utrace/utrace.js";
import type { KSigAction, UtraceSigInfo } from "../utrace/types.js";
import {
  UTRACE_EVENT, UTRACE_SIGNAL_MASK, UTRACE_SIGNAL_DELIVER, UTRACE_SIGNAL_IGN, UTRACE_SIGNAL_TERM,
  UTRACE_SIGNAL_CORE, UTRACE_SIGNAL_STOP, UTRACE_SIGNAL_TSTP, UTRACE_SIGNAL_HOLD,
} from "../utrace/constants.js";
import { Phase, type Task } from "./task.js";
import type { Process } from "./process.js";
import type { Kernel } from "./kernel.js";
import { nextSignalIndex, sigbit, type SignalInfo } from "./signals.js";
import { setupFrame } from "./signal-frame.js";
import { interruptSyscall, restartOrEintr } from "./parking.js";
import { groupExit, killProcess } from "./kill.js";
import { notifySignalfds } from "./events/signal-notify.js";

const STOP_SIGNALS = [19, 20, 21, 22].reduce((m, s) => m | sigbit(s), 0n);

/**
 * Linux's sig_handler_ignored: SIG_IGN, or SIG_DFL of a signal whose default action does nothing
 * more (SIGCHLD, SIGURG, SIGWINCH, and SIGCONT, whose continuing is done when it is sent).
 */
function isIgnored(p: Process, signo: number): boolean {
  const handler = p.sigactions[signo].handler;
  if (handler === SIG_IGN) return true;
  if (handler !== SIG_DFL) return false;
  const action = defaultAction(signo);
  return action === "ignore" || action === "continue";
}

/** Sends a signal to one thread (tgkill, a fault, an engine). */
export function sendSignal(k: Kernel, t: Task, info: SignalInfo): void {
  if (t.state === "dead" || t.killed) return;
  if (info.signo === SIGKILL) {
    killProcess(k, t.process, SIGKILL);
    return;
  }
  prepareSignal(k, t.process, info.signo);
  const blocked = (t.sigmask & sigbit(info.signo)) !== 0n;
  // Linux discards ignored signals at send time, unless they are blocked (they may be unignored
  // before they are unblocked) or an engine wants to see ignored signals (SIGNAL_IGN, §2.1).
  if (isIgnored(t.process, info.signo) && !blocked && !(t.utraceFlags & UTRACE_EVENT.SIGNAL_IGN)) return;
  // A standard signal is pending at most once; real-time signals queue.
  if (info.signo < 32 && t.pendingSignals.some((p) => p.signo === info.signo)) return;
  t.pendingSignals.push(info);
  if (!blocked) signalWakeUp(k, t, info.signo);
  // After the wake-up: a reader the signal interrupts must leave its wait before the queue wakes.
  notifySignalfds(t.process);
}

/** Sends a signal to a process (kill): it is pending for the process until a thread takes it. */
export function sendProcessSignal(k: Kernel, p: Process, info: SignalInfo): void {
  const live = p.tasks.filter((t) => t.state !== "dead" && !t.killed);
  if (live.length === 0) return;
  if (info.signo === SIGKILL) {
    killProcess(k, p, SIGKILL);
    return;
  }
  prepareSignal(k, p, info.signo);
  const unblocked = live.filter((t) => (t.sigmask & sigbit(info.signo)) === 0n);
  const watched = live.some((t) => t.utraceFlags & UTRACE_EVENT.SIGNAL_IGN);
  if (isIgnored(p, info.signo) && unblocked.length === live.length && !watched) return;
  if (info.signo < 32 && p.sharedPending.some((s) => s.signo === info.signo)) return;
  p.sharedPending.push(info);
  // The main thread first, as Linux's complete_signal, then the others in the order they started.
  const target = unblocked[0];
  if (target) signalWakeUp(k, target, info.signo);
  notifySignalfds(p);
}

/** A signal t does not block is pending: make it notice, in a blocking call or in user mode. */
function signalWakeUp(k: Kernel, t: Task, signo: number): void {
  if (t.state === "blocked") {
    // A wait for this very signal (rt_sigtimedwait) is woken, and takes it; others are interrupted.
    if (t.blocked?.takesSignal?.(signo)) t.waker?.();
    else interruptSyscall(k, t);
  } else k.scheduler.notifyResume(t);
}

/**
 * What sending SIGCONT or a stop signal does at once, before any thread dequeues it (Linux's
 * prepare_signal): SIGCONT continues a stopped process and drops its pending stop signals; a stop
 * signal drops a pending SIGCONT.
 */
function prepareSignal(k: Kernel, p: Process, signo: number): void {
  if (signo === SIGCONT) {
    dropPending(p, STOP_SIGNALS);
    if (p.jobStopped) continueGroup(k, p);
  } else if (STOP_SIGNALS & sigbit(signo)) {
    dropPending(p, sigbit(SIGCONT));
  }
}

function dropPending(p: Process, set: bigint): void {
  const keep = (s: SignalInfo) => (set & sigbit(s.signo)) === 0n;
  for (const list of [p.sharedPending, ...p.tasks.map((t) => t.pendingSignals)]) {
    const kept = list.filter(keep);
    list.splice(0, list.length, ...kept);
  }
}

/** A group stop (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU): no thread of p runs until SIGCONT. */
export function stopGroup(k: Kernel, p: Process, signo: number, actor: Task): void {
  if (p.jobStopped) return;
  p.jobStopped = true;
  p.jobStopSignal = signo;
  p.stoppedFromHost = p.hostStopSent;
  p.hostStopSent = false;
  p.jobReport = { stopped: true, signo };
  reportJctl(k, p, CLD_STOPPED, actor);
  notifyParent(k, p, CLD_STOPPED, signo);
}

/**
 * SIGTSTP, SIGTTIN and SIGTTOU do not stop a process of an orphaned process group (Linux's
 * is_current_pgrp_orphaned): nobody in its session outside the group could continue it. A group is
 * orphaned when no member has a parent in another group of the same session; a process rvtrace
 * started counts as having one (the shell that started rvtrace).
 */
function stopIgnored(k: Kernel, p: Process, signo: number): boolean {
  if (signo === SIGSTOP) return false;
  for (const q of k.processes.values()) {
    if (q.pgid !== p.pgid || !q.alive) continue;
    if (q.parent === null) return false;
    if (q.parent.pgid !== q.pgid && q.parent.sid === q.sid) return false;
  }
  return true;
}

/** SIGCONT: the stopped threads run again; the parent hears of it. */
function continueGroup(k: Kernel, p: Process): void {
  p.jobStopped = false;
  p.stoppedFromHost = false;
  p.jobReport = { stopped: false };
  reportJctl(k, p, CLD_CONTINUED, p.leader);
  for (const t of p.tasks) if (t.state === "runnable") k.scheduler.makeRunnable(t);
  notifyParent(k, p, CLD_CONTINUED, SIGCONT);
}

/**
 * utrace's job-control report to every live thread of p that asked for it; `notify` (the SIGCHLD
 * si_code the parent gets) is given to the thread that made the change, 0 to the others.
 */
function reportJctl(k: Kernel, p: Process, type: number, actor: Task): void {
  const parent = p.parent;
  const noticed = parent !== null && parent.alive && !(parent.sigactions[SIGCHLD].flags & BigInt(SA_NOCLDSTOP));
  for (const t of p.tasks) {
    if (t.state === "dead" || !(t.utraceFlags & UTRACE_EVENT.JCTL)) continue;
    k.utrace.reportJctl(t, type, t === actor && noticed ? type : 0);
  }
}

/**
 * Tells p's parent that p changed state: SIGCHLD with its siginfo (si_pid, si_uid, si_status),
 * unless the parent asked for no stop notices (SA_NOCLDSTOP), and a wake-up of its waits.
 * `signo` is the signal to send for an exit (the child's exit signal; 0 for none).
 */
export function notifyParent(k: Kernel, p: Process, code: number, status: number, signo = SIGCHLD): void {
  const parent = p.parent;
  if (!parent || !parent.alive) return;
  const jobChange = code === CLD_STOPPED || code === CLD_CONTINUED;
  const noStopNotice = (parent.sigactions[SIGCHLD].flags & BigInt(SA_NOCLDSTOP)) !== 0n;
  // Waits first: a parent blocked in wait4 finds the child, as Linux's do_wait looks at the children
  // before it looks for a signal, rather than having its wait interrupted by this very SIGCHLD.
  parent.childWait.wakeAll();
  if (signo > 0 && !(jobChange && noStopNotice)) {
    sendProcessSignal(k, parent, { signo, code, pid: p.pid, uid: k.world.uid, value: BigInt(status) });
  }
}

/** A synchronous fault signal: it cannot be blocked or ignored (Linux force_sig). */
export function forceSignal(t: Task, info: SignalInfo): void {
  const act = t.process.sigactions[info.signo];
  if (act.handler === SIG_IGN || (t.sigmask & sigbit(info.signo)) !== 0n) act.handler = SIG_DFL;
  t.sigmask &= ~sigbit(info.signo);
  t.pendingSignals.unshift(info);
  t.phase = Phase.Return;
}

/** Where t's next deliverable signal waits (next_signal): its own pending list before its process's. */
function nextDeliverable(t: Task): { list: SignalInfo[]; index: number } | null {
  // Asked at every return to user mode and every end of a time slice: nothing pending is the rule.
  // (The search is a function of its own: its closure would make V8 allocate a context for t on
  // every call, before this test.)
  if (t.pendingSignals.length === 0 && t.process.sharedPending.length === 0) return null;
  return findDeliverable(t);
}

function findDeliverable(t: Task): { list: SignalInfo[]; index: number } | null {
  const unblocked = (s: number): boolean => s === SIGKILL || (t.sigmask & sigbit(s)) === 0n;
  for (const list of [t.pendingSignals, t.process.sharedPending]) {
    const index = nextSignalIndex(list, unblocked);
    if (index >= 0) return { list, index };
  }
  return null;
}

/** True when t has a pending signal it does not block. */
export function hasDeliverableSignal(t: Task): boolean {
  return nextDeliverable(t) !== null;
}

/** The return to user mode: utrace's resume report, then the signal path. */
export function returnToUser(k: Kernel, t: Task): void {
  if (t.killed) {
    t.phase = Phase.Exiting;
    return;
  }
  // utraceResumeWork clear: utrace has nothing to do here or in the signal path (task.ts).
  if (t.utraceResumeWork && !t.inSignalPath && !k.utrace.quietResume(t)) {
    const signalPath = hasDeliverableSignal(t) || k.utrace.interruptPending(t);
    if (k.utrace.resumePoint(t, signalPath) === STOPPED) return;
  }
  // A task that stopped inside the signal path goes on there (Linux's get_signal loop).
  t.inSignalPath = false;
  if (!signalPath(k, t)) return;
  // Interrupted, and no handler ran: the syscall restarts transparently.
  restartOrEintr(t, null);
  if (t.phase === Phase.Return && t.state === "runnable") t.phase = Phase.User;
}

/**
 * Dequeues and acts on t's signals, with utrace's signal reports. Returns false if the task
 * parked, stopped or is ending (its phase then says where it goes on).
 */
function signalPath(k: Kernel, t: Task): boolean {
  for (;;) {
    if (t.utraceResumeWork && k.utrace.wantsSignalReport(t)) {
      const { natural, step } = k.utrace.takeSignalReport(t);
      if (step) k.setStepping(t, step);
      else if (t.utraceFlags & UTRACE_EVENT.QUIESCE) {
        const info = k.utrace.lastSignal(t) ?? { signo: 0, errno: 0, code: 0 };
        const returnKa: KSigAction = { handler: SIG_DFL, flags: 0n, mask: 0n };
        const d = k.utrace.reportSignal(t, info, null, returnKa, natural, 0);
        if (d === STOPPED) {
          t.inSignalPath = true;
          return false;
        }
        if ((d & UTRACE_SIGNAL_MASK) === UTRACE_SIGNAL_DELIVER && info.signo > 0) {
          // An engine injected a synthetic signal.
          if (!actOnSignal(k, t, toSignalInfo(info), returnKa)) return false;
          continue;
        }
      }
    } else if (t.utraceResumeWork) {
      const step = k.utrace.takeStepRequest(t);
      if (step) k.setStepping(t, step);
    }
    const next = nextDeliverable(t);
    if (!next) return true;
    const [info] = next.list.splice(next.index, 1);
    if (info.signo === SIGKILL) {
      killProcess(k, t.process, SIGKILL);
      return false;
    }
    const act = t.process.sigactions[info.signo];
    const ka: KSigAction = { handler: act.handler, flags: act.flags, mask: act.mask };
    const { disposition: natural, event } = naturalDisposition(info.signo, act.handler);
    let disposition = natural;
    const uinfo = toUtraceInfo(info);
    if (t.utrace && k.utrace.wantsSignal(t, event)) {
      const returnKa: KSigAction = { ...ka };
      const d = k.utrace.reportSignal(t, uinfo, { ...ka }, returnKa, natural, event);
      if (d === STOPPED) {
        t.inSignalPath = true;
        return false;
      }
      disposition = d;
      ka.handler = returnKa.handler;
      ka.flags = returnKa.flags;
      ka.mask = returnKa.mask;
      if (d & UTRACE_SIGNAL_HOLD) t.pendingSignals.unshift(toSignalInfo(uinfo));
    }
    const final = toSignalInfo(uinfo);
    switch (disposition & UTRACE_SIGNAL_MASK) {
      case UTRACE_SIGNAL_DELIVER:
        if (!actOnSignal(k, t, final, ka)) return false;
        break;
      case UTRACE_SIGNAL_TERM:
        groupExit(k, t, final.signo, false);
        return false;
      case UTRACE_SIGNAL_CORE:
        groupExit(k, t, final.signo, true);
        return false;
      case UTRACE_SIGNAL_STOP:
      case UTRACE_SIGNAL_TSTP:
        if (stopIgnored(k, t.process, final.signo)) break;
        stopGroup(k, t.process, final.signo, t);
        return false;
      default:
        break;
    }
    if (t.state !== "runnable" || t.process.jobStopped) return false;
  }
}

/** DELIVER: a handler runs, or the action that SIG_DFL/SIG_IGN give. Returns false if ending. */
function actOnSignal(k: Kernel, t: Task, info: SignalInfo, ka: KSigAction): boolean {
  if (ka.handler === SIG_IGN) return true;
  if (ka.handler === SIG_DFL) {
    const action = defaultAction(info.signo);
    if (action === "ignore" || action === "continue") return true;
    if (action === "stop") {
      if (stopIgnored(k, t.process, info.signo)) return true;
      stopGroup(k, t.process, info.signo, t);
      return false;
    }
    groupExit(k, t, info.signo, action === "core");
    return false;
  }
  runHandler(k, t, info, ka);
  return t.phase !== Phase.Exiting;
}

/** Builds the signal frame and enters the handler (with SA_RESTART's syscall restart). */
function runHandler(k: Kernel, t: Task, info: SignalInfo, act: KSigAction): void {
  const h = t.hart;
  restartOrEintr(t, act);
  const oldMask = t.sigmask;
  try {
    setupFrame(t, info, act, oldMask);
  } catch (e) {
    if (!(e instanceof GuestFault)) throw e;
    // No room for a frame: Linux's force_sigsegv.
    groupExit(k, t, SIGSEGV, true);
    return;
  }
  t.sigmask |= act.mask;
  if (!(act.flags & BigInt(SA_NODEFER))) t.sigmask |= sigbit(info.signo);
  t.sigmask &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
  if (act.flags & BigInt(SA_RESETHAND)) {
    t.process.sigactions[info.signo] = { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n };
  }
  if (t.utrace) k.utrace.handlerSetUp(t, h.stepMode !== StepMode.None);
}

/** The disposition and utrace event a signal starts with (§4.2). */
function naturalDisposition(signo: number, handler: bigint): { disposition: number; event: number } {
  if (handler === SIG_IGN) return { disposition: UTRACE_SIGNAL_IGN, event: UTRACE_EVENT.SIGNAL_IGN };
  if (handler !== SIG_DFL) return { disposition: UTRACE_SIGNAL_DELIVER, event: UTRACE_EVENT.SIGNAL };
  switch (defaultAction(signo)) {
    case "ignore":
    case "continue":
      return { disposition: UTRACE_SIGNAL_IGN, event: UTRACE_EVENT.SIGNAL_IGN };
    case "stop":
      return { disposition: signo === SIGSTOP ? UTRACE_SIGNAL_STOP : UTRACE_SIGNAL_TSTP, event: UTRACE_EVENT.SIGNAL_STOP };
    case "core":
      return { disposition: UTRACE_SIGNAL_CORE, event: UTRACE_EVENT.SIGNAL_CORE };
    default:
      return { disposition: UTRACE_SIGNAL_TERM, event: UTRACE_EVENT.SIGNAL_TERM };
  }
}

function toUtraceInfo(i: SignalInfo): UtraceSigInfo {
  return { signo: i.signo, errno: 0, code: i.code, addr: i.addr, pid: i.pid, uid: i.uid, value: i.value };
}

function toSignalInfo(i: UtraceSigInfo): SignalInfo {
  return { signo: i.signo, code: i.code, addr: i.addr, pid: i.pid, uid: i.uid, value: i.value };
}
