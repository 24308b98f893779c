// Shared helpers for the utrace tests of Part B §1, §2 and §6 (engines.test.ts, events.test.ts,
// control.test.ts). Other test files may import this module; its exported API is kept small and
// stable: spawnGuest, collect, waitUntil, withTimeout, nextTurns, eventName, SYS.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PassThrough, Writable } from "node:stream";
import {
  Kernel, UtraceError, UTRACE_EVENT, UTRACE_RESUME, UTRACE_SIGNAL_MASK, UTRACE_SIGNAL_HOLD, UTRACE_SYSCALL_RESUMED,
  utraceSyscallAction,
  type Engine, type EngineOps, type ExecInfo, type ExitCode, type KSigAction, type Process, type Regs, type Task,
  type UtraceSigInfo,
} from "../../src/index.js";

/** The guests directory (the kernel's working directory in these tests). */
export const GUESTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../guests");

/** riscv64 syscall numbers the tests refer to. */
export const SYS = {
  read: 63,
  write: 64,
  exit: 93,
  exit_group: 94,
  kill: 129,
  getpid: 172,
  gettid: 178,
} as const;

/** A Writable that keeps what it is given, synchronously. */
class TextSink extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.text += typeof chunk === "string" ? chunk : chunk.toString("utf8");
    cb();
  }
}

const kernelDiagnostics = new WeakMap<Kernel, TextSink>();

/** A fresh kernel whose working directory is guests/ and whose diagnostics are captured. */
export function newKernel(): Kernel {
  const diag = new TextSink();
  const k = new Kernel({ cwd: GUESTS_DIR, diagnostics: diag });
  kernelDiagnostics.set(k, diag);
  return k;
}

export interface SpawnGuestOptions {
  /** Spawn into this kernel (made by newKernel or an earlier spawnGuest) instead of a new one. */
  kernel?: Kernel;
  /** Keep stdin open: the test writes to `stdin` and ends it. Default: stdin is at EOF. */
  openStdin?: boolean;
  env?: Record<string, string>;
}

export interface Guest {
  kernel: Kernel;
  proc: Process;
  /** The process' only task (its leader). */
  task: Task;
  /** The guest's stdin. */
  stdin: PassThrough;
  /** What the guest wrote to stdout so far. */
  stdout(): string;
  /** What the guest wrote to stderr so far. */
  stderr(): string;
  /** rvtrace's diagnostics lines so far (shared by every process of the kernel). */
  diagnostics(): string;
}

/**
 * Spawns guests/bin/<name> (argv[0] = name). No guest instruction has run when this returns, so
 * engines attached right after it see the whole run.
 */
export function spawnGuest(name: string, args: string[] = [], opts: SpawnGuestOptions = {}): Guest {
  const kernel = opts.kernel ?? newKernel();
  let diag = kernelDiagnostics.get(kernel);
  if (!diag) {
    diag = new TextSink();
    kernelDiagnostics.set(kernel, diag);
  }
  const out = new TextSink();
  const err = new TextSink();
  const stdin = new PassThrough();
  if (!opts.openStdin) stdin.end();
  const proc = kernel.spawn(`bin/${name}`, [name, ...args], { env: opts.env ?? {}, stdin, stdout: out, stderr: err });
  const d = diag;
  return {
    kernel, proc, task: proc.leader, stdin,
    stdout: () => out.text,
    stderr: () => err.text,
    diagnostics: () => d.text,
  };
}

/** Names of the events in a UTRACE_EVENT mask, "0" for none (a resume report). */
export function eventName(mask: number): string {
  if (mask === 0) return "0";
  const names: string[] = [];
  for (const [name, bit] of Object.entries(UTRACE_EVENT)) if (mask & bit) names.push(name);
  const rest = mask & ~Object.values(UTRACE_EVENT).reduce((a, b) => a | b, 0);
  if (rest) names.push(`0x${rest.toString(16)}`);
  return names.join("|");
}

const SIGNAL_NAMES = ["DELIVER", "IGN", "TERM", "CORE", "STOP", "TSTP", "REPORT", "HANDLER"];

/**
 * Per-callback hooks for `collect`: each runs after the callback is logged; returning a number
 * makes it the callback's return value, returning nothing keeps the default (RESUME, echoing the
 * syscall or signal disposition bits of `action`).
 */
export interface Hooks<D> {
  quiesce?(action: number, engine: Engine<D>, event: number): number | void;
  syscallEntry?(action: number, engine: Engine<D>, regs: Regs): number | void;
  syscallExit?(action: number, engine: Engine<D>, regs: Regs): number | void;
  signal?(
    action: number, engine: Engine<D>, regs: Regs, info: UtraceSigInfo, origKa: KSigAction | null, returnKa: KSigAction,
  ): number | void;
  exit?(action: number, engine: Engine<D>, origCode: number, code: ExitCode): number | void;
  death?(engine: Engine<D>, groupDead: boolean, signal: number): number | void;
  reap?(engine: Engine<D>, task: Task): void;
  release?(data: D): void;
}

/**
 * An engine (EngineOps) that logs every callback into `log`, one line each:
 *   "<name> quiesce <events>"        report_quiesce (events as eventName gives them)
 *   "<name> sysentry <nr>/<arg0>"    report_syscall_entry (" resumed" appended on repeat passes)
 *   "<name> sysexit <nr>/<arg0>"     report_syscall_exit
 *   "<name> signal <signo> <disp>"   report_signal (disp: DELIVER, IGN, TERM, ... REPORT, HANDLER)
 *   "<name> clone" / "exec" / "jctl" / "exit <origCode>" / "death" / "reap" / "release"
 */
export function collect<D = unknown>(name: string, log: string[], hooks: Hooks<D> = {}): EngineOps<D> {
  const pick = (r: number | void, dflt: number): number => (typeof r === "number" ? r : dflt);
  return {
    name,
    reportQuiesce(action, engine, event) {
      log.push(`${name} quiesce ${eventName(event)}`);
      return pick(hooks.quiesce?.(action, engine, event), UTRACE_RESUME);
    },
    reportSyscallEntry(action, engine, regs) {
      const resumed = action & UTRACE_SYSCALL_RESUMED ? " resumed" : "";
      log.push(`${name} sysentry ${regs.syscallNumber}/${regs.arg(0)}${resumed}`);
      return pick(hooks.syscallEntry?.(action, engine, regs), utraceSyscallAction(action) | UTRACE_RESUME);
    },
    reportSyscallExit(action, engine, regs) {
      log.push(`${name} sysexit ${regs.syscallNumber}/${regs.arg(0)}`);
      return pick(hooks.syscallExit?.(action, engine, regs), UTRACE_RESUME);
    },
    reportSignal(action, engine, regs, info, origKa, returnKa) {
      log.push(`${name} signal ${info.signo} ${SIGNAL_NAMES[(action & UTRACE_SIGNAL_MASK) >> 4]}`);
      const echo = (action & (UTRACE_SIGNAL_MASK | UTRACE_SIGNAL_HOLD)) | UTRACE_RESUME;
      return pick(hooks.signal?.(action, engine, regs, info, origKa, returnKa), echo);
    },
    reportClone() {
      log.push(`${name} clone`);
      return UTRACE_RESUME;
    },
    reportExec(_action: number, _engine: Engine<D>, _exec: ExecInfo) {
      log.push(`${name} exec`);
      return UTRACE_RESUME;
    },
    reportJctl() {
      log.push(`${name} jctl`);
      return UTRACE_RESUME;
    },
    reportExit(action, engine, origCode, code) {
      log.push(`${name} exit ${origCode}`);
      return pick(hooks.exit?.(action, engine, origCode, code), UTRACE_RESUME);
    },
    reportDeath(engine, groupDead, signal) {
      log.push(`${name} death`);
      return pick(hooks.death?.(engine, groupDead, signal), UTRACE_RESUME);
    },
    reportReap(engine, task) {
      log.push(`${name} reap`);
      hooks.reap?.(engine, task);
    },
    release(data) {
      log.push(`${name} release`);
      hooks.release?.(data);
    },
  };
}

/** Waits for the next `n` turns of the event loop (the scheduler runs one quantum per turn). */
export async function nextTurns(n = 1): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Polls `pred` on every event-loop turn; throws (naming `what`) if it is not true within `ms`. */
export async function waitUntil(pred: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
}

/** Resolves with p's value, or rejects (naming `what`) if p is still pending after `ms`. */
export async function withTimeout<T>(p: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True while the task is in the utrace stop state (parked by its engines). */
export function isStopped(task: Task): boolean {
  return task.state === "stopped";
}

/** Linux errno values (asm-generic/errno*.h) the utrace API returns; tests compare with -ERRNO.X. */
export const ERRNO = {
  ENOENT: 2,
  ESRCH: 3,
  EAGAIN: 11,
  EEXIST: 17,
  EINVAL: 22,
  EALREADY: 114,
  EINPROGRESS: 115,
} as const;

/** Runs fn and returns the `code` of the UtraceError it throws ("ENOENT"), or "no error". */
export function attachErrorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof UtraceError) return `${e.code} (errno ${e.errno})`;
    throw e;
  }
  return "no error";
}
