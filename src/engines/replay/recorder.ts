// The record engine: attached to every task of a run (nearest the guest but for a tracer), it keeps
// for each syscall what a replay needs (docs/record-format.md): at entry the number, the arguments
// and how the replay will treat the call (classify.ts); at exit the result, the guest memory the
// kernel wrote (utrace.syscallWrites, for the calls the replay answers) or a checksum of it (for the
// calls the replay runs), and whether the call waited (the scheduler slice it came back in). The
// program files an execve read and the AT_RANDOM bytes of each new image come with the execve.
//
// The engine uses the utrace API and a RecordHost the caller provides (what a descriptor is, the
// slice count); the kernel's exec hook (kernel.execFiles.read) goes to execFileRead.
import type { Kernel } from "../../kernel/kernel.js";
import type { Task } from "../../kernel/task.js";
import type { ExecFile } from "../../kernel/exec.js";
import type { Engine } from "../../utrace/engine.js";
import type { EngineOps } from "../../utrace/types.js";
import type { Regs } from "../../utrace/regs.js";
import {
  UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_RESUME, UTRACE_SYSCALL_RESUMED, utraceSyscallAction,
} from "../../utrace/constants.js";
import { SYSCALL_NUMBERS as N } from "../../abi/gen/syscall-numbers.js";
import { Mode, RecordWriter, WRITER, type ExecFileRef, type RecordHeader, type SyscallRecord } from "./format.js";
import { WRITE_CALLS, classifyEntry, classifyExit, type FdClassifier } from "./classify.js";
import { dataChecksum, writesChecksum, writtenBytes } from "./checksums.js";
import { readInitialStack } from "./initial-stack.js";
import { clipToOutput } from "./clip.js";

export interface RecordHost {
  /** What a descriptor of the task's process is. */
  fdClass: FdClassifier;
  /** The guest path of a descriptor (kept for the replay's placeholder: strace -y shows it). */
  fdPath(task: Task, fd: number): string | undefined;
  /** The scheduler's count of slices started (src/kernel/scheduler.ts). */
  slice(): number;
  /** sendfile from a host file: the bytes it sent (the file's, before its offset moved by `count`). */
  sentBytes(task: Task, args: readonly bigint[], count: number): Uint8Array;
}

/** A syscall between its entry and its exit. */
interface Pending {
  record: SyscallRecord;
  /** The slice it entered in. */
  slice: number;
  files: ExecFileRef[];
}

interface TaskData {
  pending: Pending | null;
}

const EVENTS = UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT | UTRACE_EVENT.EXEC | UTRACE_EVENT.EXIT;

/** How the first task's program was started: what the header needs besides the program's bytes. */
export function headerFromStack(task: Task, sp: bigint, program: Uint8Array, exePath: string, cwd: string, maxInsns: number): RecordHeader {
  const s = readInitialStack(task, sp);
  return { writer: WRITER, execfn: s.execfn, exePath, cwd, argv: s.argv, envp: s.envp, random: s.random, maxInsns, program };
}

export class Recorder {
  readonly writer: RecordWriter;
  private readonly ops: EngineOps<TaskData>;
  private readonly data = new Map<Task, TaskData>();

  constructor(
    private readonly kernel: Kernel,
    header: RecordHeader,
    private readonly host: RecordHost,
  ) {
    this.writer = new RecordWriter(header);
    this.ops = {
      name: "record",
      reportSyscallEntry: (action, engine, regs) => this.entry(action, engine, regs),
      reportSyscallExit: (_action, engine, regs) => this.exit(engine, regs),
      reportExec: (_action, engine, _exec, regs) => {
        const p = engine.data.pending;
        if (p) p.record.execRandom = readInitialStack(engine.task, regs.sp).random;
        return UTRACE_RESUME;
      },
      reportExit: (_action, engine) => {
        // exit and exit_group do not return; a call the task was killed in never does.
        const p = engine.data.pending;
        engine.data.pending = null;
        if (p) this.writer.syscall(p.record);
        return UTRACE_RESUME;
      },
      reportClone: (_action, _engine, _flags, child) => {
        if (this.follow) this.attach(child);
        return UTRACE_RESUME;
      },
    };
  }

  /** Whether the engine attaches itself to clones (false when the caller attaches it to every task). */
  follow = true;

  /** Attaches the engine to a task (the first one; clones follow when `follow`). */
  attach(task: Task): Engine<TaskData> {
    const data: TaskData = { pending: null };
    this.data.set(task, data);
    const u = this.kernel.utrace;
    const engine = u.attachTask(task, UTRACE_ATTACH_CREATE, this.ops, data);
    u.setEvents(task, engine, EVENTS | (this.follow ? UTRACE_EVENT.CLONE : 0));
    u.setSyscallWriteLog(task, engine, true);
    engine.put();
    return engine;
  }

  /** The kernel's exec hook: a program file the task's execve read. */
  execFileRead(task: Task, _depth: number, file: ExecFile): void {
    const p = this.data.get(task)?.pending;
    if (p) p.files.push({ guestPath: file.guestPath, blob: this.writer.blob(file.bytes) });
  }

  private entry(action: number, engine: Engine<TaskData>, regs: Regs): number {
    const keep = utraceSyscallAction(action) | UTRACE_RESUME;
    // A repeat pass shows the same call again (another engine stopped the task at its entry).
    if (action & UTRACE_SYSCALL_RESUMED) return keep;
    const task = engine.task;
    const nr = Number(regs.syscallNumber);
    const args = [0, 1, 2, 3, 4, 5].map((i) => regs.arg(i));
    const record: SyscallRecord = {
      tid: task.tid, nr, args, mode: classifyEntry(task, nr, args, this.host.fdClass), result: null, writes: [],
      writesHash: null, dataHash: null, resumeSlice: 0, path: null, execFiles: null, execRandom: null, output: null,
    };
    engine.data.pending = { record, slice: this.host.slice(), files: [] };
    return keep;
  }

  private exit(engine: Engine<TaskData>, regs: Regs): number {
    const p = engine.data.pending;
    if (!p) return UTRACE_RESUME;
    engine.data.pending = null;
    const task = engine.task;
    const r = p.record;
    const result = regs.returnValue;
    r.result = result;
    r.mode = classifyExit(task, r.nr, r.mode, result, this.host.fdClass);
    const writes = this.kernel.utrace.syscallWrites(task);
    if (r.mode === Mode.Run) {
      // After an execve the log's ranges were in the old image's memory: nothing to compare.
      if (!isExec(r.nr)) r.writesHash = writesChecksum(writes);
    } else {
      r.writes = clipToOutput(task, r.nr, r.args, result, writes);
    }
    // A call the replay answers that waited is held until the slice it came back in.
    const now = this.host.slice();
    if (now !== p.slice && r.mode !== Mode.Run && r.mode !== Mode.RunWrites) r.resumeSlice = now;
    if (r.mode !== Mode.Run && WRITE_CALLS.has(r.nr) && result > 0n) {
      r.dataHash = dataChecksum(writtenBytes(task, r.nr, r.args, Number(result)));
    }
    if ((r.mode === Mode.Stdout || r.mode === Mode.Stderr) && r.nr === N.sendfile && result > 0n) {
      r.output = this.host.sentBytes(task, r.args, Number(result));
    }
    if (r.nr === N.openat && r.mode === Mode.Inject && result >= 0n) r.path = this.host.fdPath(task, Number(result)) ?? "";
    if (isExec(r.nr) && r.mode === Mode.Run) r.execFiles = p.files;
    else r.execRandom = null;
    this.writer.syscall(r);
    return UTRACE_RESUME;
  }
}

function isExec(nr: number): boolean {
  return nr === N.execve || nr === N.execveat;
}
