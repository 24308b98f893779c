// `rvtrace record -o FILE [run options] <program> [args...]`: runs a guest as `rvtrace run` does and
// writes a recording of everything it received from outside (docs/record-format.md), which
// `rvtrace replay FILE` plays back without the host. Also `rvtrace trace --record FILE ...`
// (RECORD_OPTIONS, an option group of the trace command): the same recording of a traced run.
//
// The recording is made by the record engine (src/engines/replay/recorder.ts) on every task, with
// what only the kernel knows given to it here: what a descriptor is (a pipe between guests, the
// host's stdout or stderr, or a host file), the scheduler's slice count, the program files execve
// reads (kernel.execFiles) and the host's signals and timer expiries (kernel.onHostEvent).
import fs from "node:fs";
import { Command, CommanderError } from "commander";
import { Kernel, SpawnError, type KernelOptions } from "../kernel/kernel.js";
import type { Process } from "../kernel/process.js";
import type { Task } from "../kernel/task.js";
import type { OpenFile } from "../kernel/vfs/open-file.js";
import { SANDBOX_OPTIONS, UsageError, commanderFlags, withDefaultSysroot } from "./sandbox-options.js";
import { runStatus, withDeadlockEnd } from "./deadlock.js";
import { writeAll } from "./write-all.js";
import { forwardHostSignals } from "./host-signals.js";
import { restoreHostTerminal } from "../kernel/host/termios.js";
import { Recorder, headerFromStack } from "../engines/replay/recorder.js";
import type { FdClass } from "../engines/replay/classify.js";
import { TraceUsageError, type TraceOptionGroup, type TraceSession } from "../engines/strace/options.js";
import { traceEngineValues } from "./trace-engines.js";
import { eventFileOnHost } from "../kernel/events/host-dependence.js";

const USAGE_ERROR = 2;

/** A recording in progress: the engine attached, the kernel's hooks set. */
export interface Recording {
  /** The recording's bytes, once the run is over with this status. */
  finish(status: number): Buffer;
}

/** rvtrace's exit status for a process's end (as `rvtrace run` gives it). */
export function exitStatusOf(proc: Process): number {
  const s = proc.exitStatus;
  if (!s) return 0;
  return runStatus(proc.kernel, s);
}

/**
 * Starts recording a process just spawned (no instruction has run): reads how it was started off its
 * stack and its program file off the host, attaches the engine (following clones unless `follow`
 * is false: the caller attaches it to every task then, through attach()).
 */
export function startRecording(kernel: Kernel, proc: Process, follow = true): Recording & { attach(task: Task): void } {
  const task = proc.leader;
  const program = fs.readFileSync(proc.exeHostPath);
  const sp = kernel.utrace.regsOf(task).sp;
  const header = headerFromStack(task, sp, program, proc.exePath, proc.cwd, kernel.options.maxInsns ?? 0);
  if (kernel.spawnedLoader) header.interpreter = kernel.spawnedLoader;
  // Every descriptor that refers to rvtrace's own stdout or stderr shares these open files.
  const stdout = proc.fds.get(1);
  const stderr = proc.fds.get(2);
  const fdClass = (t: Task, fd: number): FdClass => {
    const f: OpenFile | undefined = t.process.fds.get(fd);
    if (!f) return "none";
    // Pipes and AF_UNIX sockets connect guests only: the replay runs their calls again.
    if (f.kind === "pipe" || f.kind === "socket") return "internal";
    const ev = eventFileOnHost(f, (w) => w.kind === "pipe" || w.kind === "socket");
    if (ev !== null) return ev ? "host" : "internal";
    if (f === stdout) return "stdout";
    if (f === stderr) return "stderr";
    return "host";
  };
  const recorder = new Recorder(kernel, header, {
    fdClass,
    fdPath: (t, fd) => t.process.fds.get(fd)?.path,
    slice: () => kernel.scheduler.slices,
    sentBytes: (t, args, count) => {
      // sendfile(out, in, offset, count): the bytes lie before in's offset, moved by `count`: the
      // guest's offset variable if it gave one, else the file's own.
      const f = t.process.fds.get(Number(BigInt.asIntN(32, args[1])));
      if (!f) return new Uint8Array(0);
      const end = args[2] !== 0n ? Number(t.readU64(args[2])) : f.seek(0, 1 /* SEEK_CUR */);
      const buf = new Uint8Array(count);
      const n = end >= count ? f.pread(buf, end - count) : -1;
      return typeof n === "number" && n > 0 ? buf.subarray(0, n) : new Uint8Array(0);
    },
  });
  recorder.follow = follow;
  kernel.execFiles = { read: (t, depth, file) => recorder.execFileRead(t, depth, file) };
  kernel.onHostEvent = (e) => {
    const at = { slice: kernel.scheduler.slices, insns: kernel.instructions };
    recorder.writer.event(e.kind === "signal" ? { ...at, kind: "signal", signo: e.signo } : { ...at, kind: "timer", pid: e.pid, which: e.which });
  };
  if (follow) recorder.attach(task);
  return {
    attach: (t) => void recorder.attach(t),
    finish: (status) => {
      kernel.execFiles = null;
      kernel.onHostEvent = null;
      return recorder.writer.finish(status, kernel.instructions);
    },
  };
}

/** Opens the recording's file for writing before the guest starts (one line if it cannot). */
function openRecordFile(file: string): number {
  try {
    return fs.openSync(file, "w");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "No such file or directory" : code === "EACCES" ? "Permission denied"
      : code === "EISDIR" ? "Is a directory" : e instanceof Error ? e.message : String(e);
    throw new UsageError(`cannot write the recording '${file}': ${why}`);
  }
}

/** Writes the recording; one line on stderr if it cannot (the run's status stays). */
function writeRecordFile(fd: number, file: string, bytes: Buffer): boolean {
  try {
    fs.writeSync(fd, bytes);
    fs.closeSync(fd);
    return true;
  } catch (e) {
    process.stderr.write(`rvtrace: cannot write the recording '${file}': ${e instanceof Error ? e.message : String(e)}\n`);
    return false;
  }
}

interface RecordOptions {
  output?: string;
  env: string[];
  clearEnv?: boolean;
}

function parseEnv(value: string, previous: string[]): string[] {
  if (!/^[^=]+=/.test(value)) throw new UsageError(`--env expects KEY=VALUE, got '${value}'`);
  return [...previous, value];
}

/** `rvtrace record ...` (argv after "record"): returns the exit status (the guest's). */
export async function recordMain(argv: string[]): Promise<number> {
  const sandbox: KernelOptions = {};
  let run: { program: string; args: string[]; opts: RecordOptions } | null = null;
  const cmd = new Command("rvtrace record")
    .description("run a guest and record everything it received from outside, for `rvtrace replay`")
    .argument("<program>", "the riscv64 ELF executable")
    .argument("[args...]", "arguments for the program")
    .passThroughOptions()
    .option("-o, --output <FILE>", "write the recording to FILE (required)")
    .option("--env <KEY=VALUE>", "add a variable to the guest's environment (repeatable)", parseEnv, [])
    .option("--clear-env", "start from an empty environment instead of rvtrace's own")
    .exitOverride()
    .configureOutput({ writeOut: (s) => writeAll(1, s), writeErr: () => {}, outputError: () => {} })
    .action((program: string, args: string[], opts: RecordOptions) => {
      run = { program, args, opts };
    });
  for (const o of SANDBOX_OPTIONS) {
    const flags = commanderFlags(o);
    cmd.option(flags, o.help, (value: string | boolean) => o.apply(sandbox, typeof value === "string" ? value : undefined));
  }
  let fd: number;
  try {
    await cmd.parseAsync(argv, { from: "user" });
    if (!run) return 0;
    const { opts } = run as { opts: RecordOptions };
    if (!opts.output) throw new UsageError("record needs -o FILE, the recording to write");
    fd = openRecordFile(opts.output);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.help") return 0;
      process.stderr.write(`rvtrace: ${e.message.replace(/^error: /, "")}\n`);
      return USAGE_ERROR;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`rvtrace: ${e.message}\n`);
      return USAGE_ERROR;
    }
    throw e;
  }
  const { program, args, opts } = run as { program: string; args: string[]; opts: RecordOptions };
  const env: Record<string, string> = {};
  if (!opts.clearEnv) for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  for (const kv of opts.env) env[kv.slice(0, kv.indexOf("="))] = kv.slice(kv.indexOf("=") + 1);

  const kernel = new Kernel(withDeadlockEnd(withDefaultSysroot(sandbox)));
  let proc: Process;
  try {
    proc = kernel.spawn(program, [program, ...args], { env });
  } catch (e) {
    fs.closeSync(fd);
    if (e instanceof SpawnError) {
      process.stderr.write(`rvtrace: ${e.message}\n`);
      return e.message.endsWith("No such file or directory") ? 127 : 126;
    }
    throw e;
  }
  const recording = startRecording(kernel, proc);
  const stopForwarding = forwardHostSignals(kernel);
  await proc.wait();
  restoreHostTerminal();
  stopForwarding();
  const status = exitStatusOf(proc);
  writeRecordFile(fd, opts.output!, recording.finish(status));
  return status;
}

// ------------------------------------------------------------------------------------------------
// `rvtrace trace --record FILE`.

const EXT_FILE = "record.file";

/** The option group that makes `rvtrace trace` record the run it traces. */
export const RECORD_OPTIONS: TraceOptionGroup = {
  title: "Recording (for rvtrace replay)",
  options: [
    {
      long: ["record"], arg: "required", valueName: "FILE",
      help: "also record the run into FILE, for `rvtrace replay FILE` (docs/record-format.md)",
      apply: (ctx, v) => {
        ctx.ext.set(EXT_FILE, v);
      },
    },
  ],
  // A replay runs again what touched only the guest: a call another engine changed (-e inject,
  // --deny, --remap, --engine) would come out as the kernel makes it, not as recorded.
  finish(ctx) {
    if (ctx.ext.get(EXT_FILE) !== undefined && traceEngineValues(ctx).length > 0) {
      throw new TraceUsageError("--record cannot be combined with engines that change calls (-e inject, -e fault, --deny, --allow, --remap, --engine)");
    }
  },
  prepare(ctx) {
    const file = ctx.ext.get(EXT_FILE) as string | undefined;
    if (file === undefined) return;
    try {
      ctx.ext.set("record.fd", openRecordFile(file));
    } catch (e) {
      if (e instanceof UsageError) throw new TraceUsageError(e.message);
      throw e;
    }
  },
  start(session: TraceSession, ctx) {
    const file = ctx.ext.get(EXT_FILE) as string | undefined;
    if (file === undefined) return { slots: [] };
    const fd = ctx.ext.get("record.fd") as number;
    // The CLI attaches the slot to every task, clones too, in the order of the other engines.
    const recording = startRecording(session.kernel, session.process, false);
    return {
      slots: [{
        name: "record",
        follow: "always",
        attach: (_s, task) => recording.attach(task),
        finish: (s) => {
          writeRecordFile(fd, file, recording.finish(exitStatusOf(s.process)));
        },
      }],
    };
  },
};
