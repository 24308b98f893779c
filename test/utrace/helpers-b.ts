// Small helpers for the utrace tests of Part B §3-§8 (passes, syscall entry, signals, stops):
// spawning a guest under a fresh Kernel with captured output, and waiting without hanging.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PassThrough, Writable } from "node:stream";
import {
  Kernel, UTRACE_ATTACH_CREATE, UTRACE_RESUME, utraceSyscallAction,
  type Engine, type EngineOps, type ExitStatus, type Process, type Task,
} from "../../src/index.js";

export const GUESTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../guests");

/** A Writable that records what it gets synchronously (write() calls _write at once). */
export class Sink extends Writable {
  text = "";
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.text += chunk.toString("utf8");
    cb();
  }
}

export interface Run {
  k: Kernel;
  p: Process;
  task: Task;
  /** Guest stdout so far. */
  out(): string;
  /** Guest stderr so far. */
  err(): string;
  /** rvtrace diagnostics so far (an engine that threw shows up here). */
  diag(): string;
  /** Guest stdin: write to it, end() it for EOF. */
  stdin: PassThrough;
  /** The exit status, failing the test instead of hanging if the guest does not end. */
  wait(ms?: number): Promise<ExitStatus>;
}

/** Spawns guests/bin/<prog> on a new kernel; attach engines right after (no guest code has run). */
export function start(prog: string, args: string[] = []): Run {
  const out = new Sink();
  const err = new Sink();
  const diag = new Sink();
  const stdin = new PassThrough();
  const k = new Kernel({ cwd: GUESTS, diagnostics: diag, maxInsns: 200_000_000 });
  const p = k.spawn(`bin/${prog}`, [prog, ...args], { env: {}, stdout: out, stderr: err, stdin });
  return {
    k,
    p,
    task: p.leader,
    out: () => out.text,
    err: () => err.text,
    diag: () => diag.text,
    stdin,
    wait: (ms = 15000) => withTimeout(p.wait(), ms, `${prog} did not end`),
  };
}

export function withTimeout<T>(pr: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([pr, t]).finally(() => clearTimeout(timer));
}

/** Lets the scheduler and the event loop run for a while. */
export function settle(ms = 30): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until cond() holds; fails (rejects) after ms. */
export async function waitFor(cond: () => boolean, what: string, ms = 10000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timeout after ${ms} ms waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 2));
  }
}

/** Waits until the task is parked in the utrace stop state. */
export function untilStopped(task: Task, ms = 5000): Promise<void> {
  return waitFor(() => task.state === "stopped", `task ${task.tid} to be utrace-stopped`, ms);
}

/** Hex for diagnostics in expectations. */
export const hex = (n: number): string => `0x${n.toString(16)}`;

/** riscv64 syscall numbers used by the tests. */
export const NR = {
  read: 63,
  write: 64,
  exit: 93,
  exit_group: 94,
  kill: 129,
  tgkill: 131,
  rt_sigaction: 134,
  rt_sigreturn: 139,
  getpid: 172,
} as const;

/** Signal numbers (asm-generic). */
export const SIG = {
  QUIT: 3,
  TRAP: 5,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  TERM: 15,
  CHLD: 17,
  TSTP: 20,
  WINCH: 28,
} as const;

/** exit code of utb-sys when nothing interferes: getpid() & 0xff for the first pid (1000). */
export const UTB_SYS_CODE = 1000 & 0xff;

// ---------------------------------------------------------------------------------------------
// Recording engines


/** One callback as an engine saw it. */
export interface Ev {
  who: string;
  cb: "quiesce" | "entry" | "exit" | "signal" | "exitev" | "death" | "reap" | "clone" | "exec" | "jctl";
  action?: number;
  event?: number;
  nr?: number;
  signo?: number;
}

export type Impl = Omit<EngineOps<unknown>, "name">;

/**
 * An engine that logs every callback to `log` and then runs `impl`'s callback if it has one, or
 * the neutral default: RESUME, and for syscall entry the inherited syscall bits echoed
 * (utraceSyscallAction(action) | RESUME), so a recorder never changes a decision by itself.
 * reportSignal exists only if impl has it (engines without it get report_quiesce instead, §3).
 */
export function recorder(who: string, log: Ev[], impl: Impl = {}): EngineOps<unknown> {
  const ops: EngineOps<unknown> = {
    name: who,
    reportQuiesce(action, e, event) {
      log.push({ who, cb: "quiesce", action, event });
      return impl.reportQuiesce ? impl.reportQuiesce(action, e, event) : UTRACE_RESUME;
    },
    reportSyscallEntry(action, e, regs) {
      log.push({ who, cb: "entry", action, nr: Number(regs.syscallNumber) });
      return impl.reportSyscallEntry ? impl.reportSyscallEntry(action, e, regs) : utraceSyscallAction(action) | UTRACE_RESUME;
    },
    reportSyscallExit(action, e, regs) {
      log.push({ who, cb: "exit", action, nr: Number(regs.syscallNumber) });
      return impl.reportSyscallExit ? impl.reportSyscallExit(action, e, regs) : UTRACE_RESUME;
    },
    reportExit(action, e, orig, code) {
      log.push({ who, cb: "exitev", action });
      return impl.reportExit ? impl.reportExit(action, e, orig, code) : UTRACE_RESUME;
    },
    reportDeath(e, groupDead, signal) {
      log.push({ who, cb: "death" });
      return impl.reportDeath ? impl.reportDeath(e, groupDead, signal) : UTRACE_RESUME;
    },
    reportReap(e, task) {
      log.push({ who, cb: "reap" });
      impl.reportReap?.(e, task);
    },
    reportClone(action, e, flags, child) {
      log.push({ who, cb: "clone", action });
      return impl.reportClone ? impl.reportClone(action, e, flags, child) : UTRACE_RESUME;
    },
    reportExec(action, e, exec, regs) {
      log.push({ who, cb: "exec", action });
      return impl.reportExec ? impl.reportExec(action, e, exec, regs) : UTRACE_RESUME;
    },
    reportJctl(action, e, type, notify) {
      log.push({ who, cb: "jctl", action });
      return impl.reportJctl ? impl.reportJctl(action, e, type, notify) : UTRACE_RESUME;
    },
  };
  const sig = impl.reportSignal;
  if (sig) {
    ops.reportSignal = (action, e, regs, info, origKa, returnKa) => {
      log.push({ who, cb: "signal", action, signo: info.signo });
      return sig(action, e, regs, info, origKa, returnKa);
    };
  }
  if (impl.release) ops.release = impl.release;
  return ops;
}

/** Attaches ops to the run's task with CREATE and sets its events (expecting 0). */
export function attach(run: Run, ops: EngineOps<unknown>, events: number): Engine<unknown> {
  const e = run.k.utrace.attachTask(run.task, UTRACE_ATTACH_CREATE, ops, undefined);
  const r = run.k.utrace.setEvents(run.task, e, events);
  if (r !== 0) throw new Error(`setEvents returned ${r}`);
  return e;
}

/** The log entries of one kind, optionally for one syscall number. */
export function pick(log: Ev[], cb: Ev["cb"], nr?: number): Ev[] {
  return log.filter((x) => x.cb === cb && (nr === undefined || x.nr === nr));
}
