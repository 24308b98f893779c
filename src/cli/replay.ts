// `rvtrace replay [--trace] [--program FILE] [strace options] RECORDING`: runs a guest again from a
// recording alone (docs/record-format.md): its program image, arguments and environment are in the
// recording, every call that touched the host is answered from it, and no host file is needed.
// The guest's stdout and stderr are written as they were, and rvtrace exits with the guest's status.
// With --trace (or any strace option) the strace printer shows the replayed run, as `rvtrace trace`
// showed the recorded one. --program replays the recorded inputs against another build.
//
// A replay that goes another way than the recording (another program, another rvtrace, a call or
// arguments that differ) stops at the first difference: one line, "rvtrace: replay diverged: ...",
// and exit status 125 (REPLAY_DIVERGED). A file that is not a readable recording: one line, status 2.
import fs from "node:fs";
import { createRequire } from "node:module";
import { Kernel, SpawnError } from "../kernel/kernel.js";
import type { Process } from "../kernel/process.js";
import { installPlaceholder } from "../kernel/placeholder-fd.js";
import { toBytePath } from "../kernel/vfs/paths.js";
import { O, OPEN_ONLY_FLAGS } from "../abi/fs.js";
import { SIGKILL } from "../abi/signals.js";
import { RecordFormatError, WRITER, readRecording, type Recording } from "../engines/replay/format.js";
import { Replayer } from "../engines/replay/replayer.js";
import {
  STRACE_OPTIONS, TraceUsageError, parseTraceArgs, type TraceOptionGroup,
} from "../engines/strace/options.js";
import { ReplayTimeline } from "./replay-timeline.js";
import { traceMain } from "./trace.js";
import { runStatus, withDeadlockEnd } from "./deadlock.js";
import { writeAll } from "./write-all.js";

const USAGE_ERROR = 2;
/** The exit status of a replay that diverged from its recording. */
export const REPLAY_DIVERGED = 125;

/**
 * --program, for the strace option parser. A bare --trace (the flag that asks for the trace) is
 * taken out before it: strace's own --trace=SET, with its "=", is the trace filter.
 */
const REPLAY_OPTIONS: TraceOptionGroup = {
  title: "Replaying (--trace: show the replayed run as `rvtrace trace` shows a run; implied by any strace option)",
  options: [
    {
      long: ["program"], arg: "required", valueName: "FILE",
      help: "replay the recorded inputs against this riscv64 program instead of the recorded one",
      apply: (ctx, v) => {
        ctx.ext.set("replay.program", v);
      },
    },
  ],
};
const GROUPS = [STRACE_OPTIONS, REPLAY_OPTIONS];

/** A replay in progress. */
interface ReplayRun {
  kernel: Kernel;
  process: Process;
  /** The exit status, given the guest's: REPLAY_DIVERGED (and the line said) if it went another way. */
  status(guestStatus: number): number;
}

/** Reads the recording (and --program's file); one line if it cannot. */
function load(file: string, program: string | undefined): Recording {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new TraceUsageError(`${file}: ${hostError(e)}`);
  }
  let recording: Recording;
  try {
    recording = readRecording(bytes);
  } catch (e) {
    if (e instanceof RecordFormatError) throw new TraceUsageError(`${file}: ${e.message}`);
    throw e;
  }
  if (program !== undefined) {
    try {
      recording.header.program = fs.readFileSync(program);
    } catch (e) {
      throw new TraceUsageError(`${program}: ${hostError(e)}`);
    }
    recording.blobs[0] = recording.header.program;
  }
  return recording;
}

function hostError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === "ENOENT" ? "No such file or directory" : code === "EACCES" ? "Permission denied"
    : code === "EISDIR" ? "Is a directory" : e instanceof Error ? e.message : String(e);
}

/** Starts the recorded program in a kernel without host mounts, under the replay engine. */
function startReplay(recording: Recording): ReplayRun {
  const h = recording.header;
  const kernel = new Kernel(withDeadlockEnd({ hostless: true, ...(h.maxInsns > 0 ? { maxInsns: h.maxInsns } : {}) }));
  const proc = kernel.spawn(Buffer.from(h.execfn).toString("utf8"), [], {
    image: { bytes: h.program, guestPath: toBytePath(h.exePath), argv: h.argv, envp: h.envp, execfn: h.execfn, ...(h.interpreter ? { interpreter: h.interpreter } : {}) },
    cwd: h.cwd,
    // Every read of stdin is answered from the recording; the host's stdin is never read. (node:stream
    // is loaded here, not by the bundle's every start.)
    stdin: (createRequire(import.meta.url)("node:stream") as typeof import("node:stream")).Readable.from([]),
  });
  let divergence: string | null = null;
  let killed = false;
  const diverged = (message: string): void => {
    divergence ??= message;
  };
  const timeline = new ReplayTimeline(kernel, recording.events, diverged, () => {
    // Between two slices: a divergence ends every process (none runs another instruction).
    if (divergence !== null && !killed) {
      killed = true;
      for (const p of kernel.processes.values()) if (p.alive) kernel.killProcess(p, SIGKILL);
    }
    return divergence !== null;
  });
  const replayer = new Replayer(kernel, recording, {
    releaseAt: (slice, task, release) => timeline.releaseAt(slice, task, release),
    placeholder: (task, fd, openFlags, path) =>
      installPlaceholder(task.process, fd, (openFlags & ~OPEN_ONLY_FLAGS) | O.LARGEFILE, (openFlags & O.CLOEXEC) !== 0, path),
    output: (stream, bytes) => writeAll(stream, bytes),
    diverged,
  });
  kernel.execFiles = { supply: (t, depth) => replayer.execFile(t, depth) };
  replayer.attach(proc.leader, true);
  return {
    kernel,
    process: proc,
    status(guestStatus) {
      const why = divergence
        ?? (guestStatus !== recording.end.status ? `the guest ended with status ${guestStatus}, the recording with ${recording.end.status}` : null)
        ?? replayer.unfinished();
      if (why === null) return guestStatus;
      const by = h.writer !== WRITER ? ` (recorded by ${h.writer})` : "";
      process.stderr.write(`rvtrace: replay diverged: ${why}${by}\n`);
      return REPLAY_DIVERGED;
    },
  };
}

/** `rvtrace replay ...` (argv after "replay"): returns the exit status. */
export async function replayMain(given: string[]): Promise<number> {
  // The bare --trace flags: anywhere before the recording's name, which comes last.
  const options = given.slice(0, -1);
  const argv = [...options.filter((a) => a !== "--trace"), ...given.slice(-1)];
  const traceFlag = options.includes("--trace");
  let parsed;
  try {
    if (given.length === 0) throw new TraceUsageError("replay needs a recording: rvtrace replay [--trace] [options] FILE");
    parsed = parseTraceArgs(argv, GROUPS);
    if (parsed.print !== undefined) {
      writeAll(1, parsed.print.replace(/^Usage: rvtrace trace \[OPTIONS\] PROG \[ARGS\]/, "Usage: rvtrace replay [--trace] [OPTIONS] RECORDING"));
      return 0;
    }
    if (parsed.args.length > 0) throw new TraceUsageError(`replay takes one recording, got '${parsed.args[0]}' after it`);
  } catch (e) {
    if (e instanceof TraceUsageError) {
      process.stderr.write(`rvtrace: ${e.message}\n`);
      return USAGE_ERROR;
    }
    throw e;
  }
  const { ctx, program: file } = parsed;
  const programOverride = ctx.ext.get("replay.program") as string | undefined;
  const traced = traceFlag || [...ctx.counts.keys()].some((k) => k !== "--program");
  let run: ReplayRun | null = null;
  if (traced) {
    return traceMain(argv, GROUPS, {
      launch: {
        launch: () => {
          run = startReplay(load(file, programOverride));
          return run;
        },
        forwardSignals: false,
        status: (guestStatus) => run!.status(guestStatus),
      },
    });
  }
  try {
    run = startReplay(load(file, programOverride));
  } catch (e) {
    if (e instanceof TraceUsageError || e instanceof SpawnError) {
      process.stderr.write(`rvtrace: ${e.message}\n`);
      return e instanceof SpawnError ? 126 : USAGE_ERROR;
    }
    throw e;
  }
  const status = await run.process.wait();
  return run.status(runStatus(run.kernel, status));
}
