// `rvtrace trace [options] <program> [args...]`: run a guest under the strace printer.
//
// The options are strace's (src/engines/strace/options.ts) plus every `rvtrace run` option; the
// trace goes to stderr or -o FILE, never to the guest's stdout, and rvtrace exits with the
// guest's status (128+N when signal N killed it).
//
// Adding options (fault injection, --deny/--allow policies, --remap, --engine): write a
// TraceOptionGroup in a file of its own and list it in OPTION_GROUPS below. Its options update
// `ctx.settings`, `ctx.run` or the group's state in `ctx.ext`; to run an engine, push an
// EngineSlot onto `ctx.engines` (from an option's apply or the group's finish), or return slots
// from the group's async `start(session)` hook (after an async `prepare(ctx)`, e.g. loading
// --engine modules before the spawn). Slots are attached to the first task in their order, the
// printer after them (nearest the guest) or, with --trace-inner, before them; clones get the same
// order (slots with follow "always" follow every clone, "traced" ones only with -f). An engine that
// changes a call says so on the printed line with `session.note(task, "INJECTED")` → " (INJECTED)".
import { TRACE_ENGINE_OPTIONS } from "./trace-engines.js";
import { TIMELINE_OPTIONS } from "./timeline-option.js";
import fs from "node:fs";
import type { Readable, Writable } from "node:stream";
import { Kernel, SpawnError } from "../kernel/kernel.js";
import { forwardHostSignals } from "./host-signals.js";
import { restoreHostTerminal } from "../kernel/host/termios.js";
import type { Task } from "../kernel/task.js";
import type { Process } from "../kernel/process.js";
import { UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_RESUME } from "../utrace/constants.js";
import type { Engine } from "../utrace/engine.js";
import { StraceEngine } from "../engines/strace/engine.js";
import type { TraceClock, TraceSink } from "../engines/strace/printer.js";
import { reportVerbose } from "./verbose.js";
import {
  STRACE_OPTIONS, TraceUsageError, parseTraceArgs,
  type EngineSlot, type TraceOption, type TraceOptionGroup, type TraceOptionContext, type TraceSession,
} from "../engines/strace/options.js";
import { SANDBOX_OPTIONS, UsageError, withDefaultSysroot } from "./sandbox-options.js";
import { runStatus, withDeadlockEnd } from "./deadlock.js";
import { TRACE_EXAMPLES, examplesText, versionText } from "./help.js";
import { didYouMean } from "./hints.js";
import { noteGuestSignal } from "./exit.js";
import { writeAll } from "./write-all.js";
import { RECORD_OPTIONS } from "./record.js";

const USAGE_ERROR = 2;

/** `rvtrace run`'s options, and strace's -E and --argv0, for `trace`. */
export const RUN_OPTIONS: TraceOptionGroup = {
  title: "Running the guest (as `rvtrace run`)",
  section: "Startup",
  options: [
    {
      short: "E", long: ["env"], arg: "required", valueName: "VAR=VAL",
      help: "put VAR=VAL in the guest's environment; -E VAR removes VAR (repeatable)",
      apply: (ctx, v, sp) => {
        if (v === undefined || v === "" || v.startsWith("=")) throw new TraceUsageError(`${sp} expects VAR=VALUE or VAR, got '${v ?? ""}'`);
        ctx.run.env.push(v);
      },
    },
    {
      long: ["clear-env"], arg: "none", help: "start from an empty environment instead of rvtrace's own",
      apply: (ctx) => {
        ctx.run.clearEnv = true;
      },
    },
    ...SANDBOX_OPTIONS.map((o): TraceOption => ({
      ...(o.short ? { short: o.short } : {}),
      long: [o.long],
      arg: o.valueName ? "required" : "none",
      valueName: o.valueName,
      help: o.help,
      apply: (ctx, v) => usage(() => o.apply(ctx.run.sandbox, v)),
    })),
    {
      long: ["verbose"], arg: "optional", help: "at the end, say which sysroot the run chose and list the unimplemented syscalls met",
      apply: (ctx, v) => {
        if (v !== undefined) {
          throw new TraceUsageError("--verbose=SET is not supported (rvtrace's --verbose lists unimplemented syscalls)");
        }
        ctx.run.verbose = true;
      },
    },
    {
      long: ["stats"], arg: "none", help: "at the end, print the instruction count and speed",
      apply: (ctx) => {
        ctx.run.stats = true;
      },
    },
    {
      long: ["argv0"], arg: "required", valueName: "NAME", help: "the guest's argv[0]",
      apply: (ctx, v) => {
        ctx.run.argv0 = v;
      },
    },
  ],
};

/** The option groups of `rvtrace trace`, in help order. New groups are listed here. */
export const OPTION_GROUPS: readonly TraceOptionGroup[] = [STRACE_OPTIONS, TRACE_ENGINE_OPTIONS, TIMELINE_OPTIONS, RUN_OPTIONS, RECORD_OPTIONS];

/** Every option spelling of `rvtrace trace` with its help line (for completion and hints). */
export function traceOptionList(groups: readonly TraceOptionGroup[] = OPTION_GROUPS): { flag: string; help: string }[] {
  const list = [{ flag: "-h", help: "print the help and exit" }, { flag: "--help", help: "print the help and exit" },
    { flag: "-V", help: "print the version and exit" }, { flag: "--version", help: "print the version and exit" }];
  for (const g of groups) {
    for (const o of g.options) {
      if (o.short) list.push({ flag: `-${o.short}`, help: o.help });
      for (const l of o.long ?? []) list.push({ flag: `--${l}`, help: o.help });
    }
  }
  return list;
}

/** A parse error as printed: an unknown long option gets the nearest spelling as a hint. */
function parseErrorMessage(e: TraceUsageError, groups: readonly TraceOptionGroup[]): string {
  const unknown = /^unrecognized option '(--[^'=]+)'$/.exec(e.message)?.[1];
  if (unknown === undefined) return e.message;
  const longs = traceOptionList(groups).map((o) => o.flag).filter((f) => f.startsWith("--"));
  return e.message + didYouMean(unknown, longs);
}

/** Runs a parser of main.ts, turning its UsageError into ours. */
function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UsageError) throw new TraceUsageError(e.message);
    throw e;
  }
}

// ------------------------------------------------------------------------------------------------
// Sinks.

/**
 * A host fd, buffered. The printer flushes it at every syscall entry, so on stderr the trace
 * still interleaves exactly with the guest's own writes (which are syscalls).
 */
export class FdSink implements TraceSink {
  private buffer = "";

  constructor(
    private readonly fd: number,
    private readonly buffered: boolean,
    private readonly owned: boolean,
  ) {}

  write(text: string): void {
    if (!this.buffered) {
      writeAll(this.fd, text);
      return;
    }
    this.buffer += text;
    if (this.buffer.length >= 1 << 16) this.flush();
  }

  flush(): void {
    if (this.buffer) {
      const b = this.buffer;
      this.buffer = "";
      writeAll(this.fd, b);
    }
  }

  close(): void {
    this.flush();
    if (this.owned) fs.closeSync(this.fd);
  }
}

/** Opens -o FILE (or FILE.tid with -ff); one line naming the file if it cannot. */
function openOutput(file: string, append: boolean): FdSink {
  try {
    return new FdSink(fs.openSync(file, append ? "a" : "w"), true, true);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "No such file or directory" : code === "EACCES" ? "Permission denied"
      : code === "EISDIR" ? "Is a directory" : e instanceof Error ? e.message : String(e);
    throw new TraceUsageError(`Can't fopen '${file}': ${why}`);
  }
}

// ------------------------------------------------------------------------------------------------
// The run.

/** A tiny engine, attached first to every task, that attaches the slots to clones. */
function followClones(session: TraceSession, slots: readonly EngineSlot[], follow: boolean, task: Task): void {
  const wanted = slots.filter((s) => s.follow === "always" || follow);
  if (wanted.length === 0) return;
  const engine: Engine<null> = session.utrace.attachTask(task, UTRACE_ATTACH_CREATE, {
    name: "follow-clones",
    reportClone: (_action, _engine, _flags, child) => {
      followClones(session, slots, follow, child);
      for (const s of wanted) s.attach(session, child);
      return UTRACE_RESUME;
    },
  }, null);
  session.utrace.setEvents(task, engine, UTRACE_EVENT.CLONE);
}

/**
 * The time stamps of a deterministic trace: the guest's virtual clocks, and -t in UTC. The kernel's
 * CPU time is virtual time too: a syscall takes none unless it waits.
 */
function worldClock(kernel: Kernel): TraceClock {
  const w = kernel.world;
  return { realtimeNs: () => w.realtimeNs(), monotonicNs: () => w.monotonicNs(), cpuNs: () => w.monotonicNs(), utc: true };
}

/** The environment the guest starts with. */
function guestEnv(ctx: TraceOptionContext): Record<string, string> {
  const env: Record<string, string> = {};
  // A deterministic run starts from an empty environment: rvtrace's own is the host's.
  if (!ctx.run.clearEnv && !ctx.run.sandbox.deterministic) {
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  }
  for (const kv of ctx.run.env) {
    const eq = kv.indexOf("=");
    if (eq < 0) delete env[kv];
    else env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return env;
}

/**
 * How a traced guest is started when it is not PROG spawned from the host (`rvtrace replay --trace`
 * starts it from a recording): the kernel and first process, made right away (engines attached by
 * `launch` come before the printer's), and the exit status from the guest's.
 */
export interface TraceLaunch {
  /** Makes the kernel and the first process; throws SpawnError or TraceUsageError (one line). */
  launch(ctx: TraceOptionContext, program: string, args: string[]): { kernel: Kernel; process: Process };
  /** Whether rvtrace's own signals (^C) go to the guest, as they do for a spawned program. */
  forwardSignals: boolean;
  /** The exit status, given the guest's. */
  status(guestStatus: number): number;
}

/**
 * Where an in-process caller (a test) wants the guest's standard streams and working directory (the
 * CLI uses rvtrace's own), or how the guest is started (`launch`, a replay).
 */
export interface TraceIo {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  cwd?: string;
  launch?: TraceLaunch;
}

/** `rvtrace trace ...` (argv after "trace"): returns the exit status. */
export async function traceMain(argv: string[], groups: readonly TraceOptionGroup[] = OPTION_GROUPS, io: TraceIo = {}): Promise<number> {
  try {
    return await runTrace(argv, groups, io);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`rvtrace: internal error: ${msg.split("\n")[0]}\n`);
    return 70;
  }
}

async function runTrace(argv: string[], groups: readonly TraceOptionGroup[], io: TraceIo): Promise<number> {
  let parsed;
  try {
    parsed = parseTraceArgs(argv, groups, { helpTail: () => examplesText(TRACE_EXAMPLES), version: versionText });
  } catch (e) {
    if (e instanceof TraceUsageError) {
      process.stderr.write(`rvtrace: ${parseErrorMessage(e, groups)}\n`);
      return USAGE_ERROR;
    }
    throw e;
  }
  if (parsed.print !== undefined) {
    writeAll(1, parsed.print);
    return 0;
  }
  const { ctx, program, args } = parsed;
  const s = ctx.settings;
  for (const g of groups) {
    try {
      await g.prepare?.(ctx);
    } catch (e) {
      if (e instanceof TraceUsageError) {
        process.stderr.write(`rvtrace: ${e.message}\n`);
        return USAGE_ERROR;
      }
      throw e;
    }
  }

  // The output first, as strace opens it before starting the program.
  const sinks = new Map<number, FdSink>();
  let main: FdSink;
  try {
    main = s.output !== null && !s.separate ? openOutput(s.output, s.append) : new FdSink(2, true, false);
  } catch (e) {
    if (e instanceof TraceUsageError) {
      process.stderr.write(`rvtrace: ${e.message}\n`);
      return USAGE_ERROR;
    }
    throw e;
  }
  const sinkFor = (tid: number): TraceSink => {
    if (!s.separate || s.output === null) return main;
    let sink = sinks.get(tid);
    if (!sink) sinks.set(tid, (sink = openOutput(`${s.output}.${tid}`, s.append)));
    return sink;
  };

  const launch = io.launch;
  let kernel: Kernel;
  let proc: Process;
  try {
    if (launch) ({ kernel, process: proc } = launch.launch(ctx, program, args));
    else {
      const sandbox = withDefaultSysroot(ctx.run.sandbox);
      kernel = new Kernel(withDeadlockEnd(io.cwd !== undefined ? { ...sandbox, cwd: io.cwd } : sandbox));
      proc = kernel.spawn(program, [ctx.run.argv0 ?? program, ...args], { env: guestEnv(ctx), stdin: io.stdin, stdout: io.stdout, stderr: io.stderr });
    }
  } catch (e) {
    main.close();
    if (e instanceof SpawnError) {
      process.stderr.write(`rvtrace: ${e.message}\n`);
      return e.message.endsWith("No such file or directory") ? 127 : 126;
    }
    if (e instanceof TraceUsageError) {
      process.stderr.write(`rvtrace: ${e.message}\n`);
      return USAGE_ERROR;
    }
    throw e;
  }

  const printer = new StraceEngine(kernel.utrace, {
    settings: s,
    // strace's own messages ("Process N attached") go to stderr, which only the trace itself may
    // share: with -o FILE strace is quiet about them.
    output: { sinkFor, main, messages: s.output === null ? main : undefined },
    host: {
      fdPath: (task, fd) => task.process.fds.get(fd)?.path,
      cwd: (task) => task.process.cwd,
      instructions: (task) => task.hart.instret,
    },
    clock: kernel.world.deterministic ? worldClock(kernel) : undefined,
  });
  const session: TraceSession = {
    kernel,
    utrace: kernel.utrace,
    process: proc,
    settings: s,
    note: (task, note) => printer.annotate(task, note),
    diagnostics: (line) => kernel.diagnostics(line),
  };
  const printerSlot: EngineSlot = { name: "strace", follow: "traced", attach: (_session, task) => printer.attach(task) };
  const task = proc.leader;
  const releases: (() => void)[] = [];
  let slots: EngineSlot[] = [];
  try {
    const others = [...ctx.engines];
    for (const g of groups) {
      const started = await g.start?.(session, ctx);
      if (started) {
        others.push(...started.slots);
        if (started.release) releases.push(started.release);
      }
    }
    slots = s.inner ? [printerSlot, ...others] : [...others, printerSlot];
    followClones(session, slots, s.follow, task);
    for (const slot of slots) slot.attach(session, task);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`rvtrace: ${msg.split("\n")[0]}\n`);
    kernel.killProcess(proc, 9);
    for (const release of releases) release();
    await proc.wait();
    main.close();
    return USAGE_ERROR;
  }
  printer.announceExec(task);
  for (const release of releases) release();

  const started = process.hrtime.bigint();
  const stopForwarding = launch && !launch.forwardSignals ? () => {} : forwardHostSignals(kernel);
  const status = await proc.wait();
  restoreHostTerminal();
  // strace -f goes on until the last traced task is gone (children that outlive the program).
  if (s.follow) await printer.whenIdle();
  stopForwarding();
  for (const slot of slots) slot.finish?.(session);
  printer.finish();
  main.close();
  for (const sink of sinks.values()) sink.close();

  if (ctx.run.stats) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const mips = kernel.instructions / seconds / 1e6;
    process.stderr.write(`rvtrace: ${kernel.instructions} instructions in ${seconds.toFixed(3)} s (${mips.toFixed(1)} M/s)\n`);
  }
  if (ctx.run.verbose) reportVerbose(kernel);
  noteGuestSignal(status.signal);
  const guestStatus = runStatus(kernel, status);
  return launch ? launch.status(guestStatus) : guestStatus;
}
