// The replay engine: attached to every task of a run started from a recording's program image, it
// takes the task's recorded syscalls in order and, at each entry, checks that the guest makes the
// same call with the same arguments (else the replay has diverged and stops: ReplayHost.diverged).
// A call the recording answers (Mode.Inject, Stdout, Stderr) is aborted, the utrace way, and at its
// exit gets the recorded result and the guest memory the kernel wrote (utrace.pokeSyscallWrites);
// writes to the host's stdout and stderr hand the guest's bytes to the host. A call the replay runs
// (Mode.Run, RunWrites) runs, and its result and the memory it wrote must come out as recorded.
//
// A recorded call that waited (a sleep, a read of stdin) came back in a known scheduler slice: the
// engine stops the task at the entry and the host lets it go just before that slice, so that the
// tasks interleave as they did. A call that never came back (the task was killed in it) holds the
// task until it is killed again. After an execve the new image gets the recorded AT_RANDOM bytes,
// and the execve itself gets the recorded program files (execFile, for kernel.execFiles.supply).
//
// The engine uses the utrace API, the task's memory and a ReplayHost the caller provides.
import type { Kernel } from "../../kernel/kernel.js";
import type { Task } from "../../kernel/task.js";
import type { ExecFile } from "../../kernel/exec.js";
import type { Engine } from "../../utrace/engine.js";
import type { EngineOps } from "../../utrace/types.js";
import type { Regs } from "../../utrace/regs.js";
import {
  UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_RESUME, UTRACE_STOP, UTRACE_SYSCALL_ABORT, UTRACE_SYSCALL_RESUMED,
  utraceSyscallAction,
} from "../../utrace/constants.js";
import { SYSCALL_NUMBERS as N } from "../../abi/gen/syscall-numbers.js";
import { syscallMeta } from "../../abi/syscalls.js";
import { Mode, type Recording, type SyscallRecord } from "./format.js";
import { WRITE_CALLS } from "./classify.js";
import { dataChecksum, writesChecksum, writtenBytes } from "./checksums.js";
import { writeAtRandom } from "./initial-stack.js";

export interface ReplayHost {
  /** Calls `release` just before the scheduler starts slice `slice`, and makes `task` run in it. */
  releaseAt(slice: number, task: Task, release: () => void): void;
  /** Puts a stand-in at descriptor `fd` (openat's flags) for a host file the recording opened; false if fd is taken. */
  placeholder(task: Task, fd: number, openFlags: number, path: string): boolean;
  /** Bytes the guest wrote to the host's stdout (1) or stderr (2). */
  output(stream: 1 | 2, bytes: Uint8Array): void;
  /** The replay has gone another way than the recording: one line saying where. */
  diverged(message: string): void;
}

/** A recorded call and its place in the recording (counting from 1), for messages. */
interface Expected {
  record: SyscallRecord;
  index: number;
}

interface TaskData {
  current: Expected | null;
}

const EVENTS = UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT | UTRACE_EVENT.EXEC | UTRACE_EVENT.CLONE;

export class Replayer {
  private readonly ops: EngineOps<TaskData>;
  /** The recorded calls of each thread id (item numbers, in order), and how many have been made. */
  private readonly queues = new Map<number, { items: number[]; next: number }>();
  private readonly data = new Map<Task, TaskData>();
  /** Set once the replay has diverged: every task is then held where it is. */
  private divergence: string | null = null;

  constructor(
    private readonly kernel: Kernel,
    private readonly recording: Recording,
    private readonly host: ReplayHost,
  ) {
    for (let i = 0; i < recording.syscalls.length; i++) {
      const tid = recording.syscalls.tid(i);
      let q = this.queues.get(tid);
      if (!q) this.queues.set(tid, (q = { items: [], next: 0 }));
      q.items.push(i);
    }
    this.ops = {
      name: "replay",
      reportSyscallEntry: (action, engine, regs) => this.entry(action, engine, regs),
      reportSyscallExit: (_action, engine, regs) => this.exit(engine, regs),
      reportExec: (_action, engine, _exec, regs) => {
        const random = engine.data.current?.record.execRandom;
        if (random) writeAtRandom(engine.task, regs.sp, random);
        return UTRACE_RESUME;
      },
      reportClone: (_action, _engine, _flags, child) => {
        this.attach(child);
        return UTRACE_RESUME;
      },
    };
  }

  /** Attaches to a task (clones follow); for the first task, before it has run, puts AT_RANDOM in place. */
  attach(task: Task, first = false): void {
    const data: TaskData = { current: null };
    this.data.set(task, data);
    const u = this.kernel.utrace;
    const engine = u.attachTask(task, UTRACE_ATTACH_CREATE, this.ops, data);
    u.setEvents(task, engine, EVENTS);
    u.setSyscallWriteLog(task, engine, true);
    engine.put();
    if (first) writeAtRandom(task, u.regsOf(task).sp, this.recording.header.random);
  }

  /** The kernel's exec hook: the recorded program file for this depth of the task's execve. */
  execFile(task: Task, depth: number): ExecFile | undefined {
    const files = this.data.get(task)?.current?.record.execFiles;
    const f = files?.[depth];
    return f ? { bytes: this.recording.blobs[f.blob], guestPath: f.guestPath, hostPath: "" } : undefined;
  }

  /** After the run: the first recorded call the guest never made, as a divergence message, or null. */
  unfinished(): string | null {
    if (this.divergence) return null;
    let first = Infinity;
    for (const q of this.queues.values()) if (q.next < q.items.length) first = Math.min(first, q.items[q.next]);
    if (first === Infinity) return null;
    const r = this.recording.syscalls.get(first);
    return `the guest ended before syscall ${first + 1} of the recording (tid ${r.tid}: ${describe(r.nr, r.args)})`;
  }

  private diverge(message: string): number {
    if (!this.divergence) {
      this.divergence = message;
      this.host.diverged(message);
    }
    return UTRACE_SYSCALL_ABORT | UTRACE_STOP;
  }

  private entry(action: number, engine: Engine<TaskData>, regs: Regs): number {
    if (this.divergence) return UTRACE_SYSCALL_ABORT | UTRACE_STOP;
    // The repeat pass after a stop: the decision was made at the first one.
    if (action & UTRACE_SYSCALL_RESUMED) return utraceSyscallAction(action) | UTRACE_RESUME;
    const task = engine.task;
    const nr = Number(regs.syscallNumber);
    const args = [0, 1, 2, 3, 4, 5].map((i) => regs.arg(i));
    const q = this.queues.get(task.tid);
    if (!q || q.next >= q.items.length) {
      return this.diverge(`tid ${task.tid} made ${describe(nr, args)}, where the recording has no more syscalls for it`);
    }
    const index = q.items[q.next++];
    const r = this.recording.syscalls.get(index);
    const next: Expected = { record: r, index: index + 1 };
    const at = `at syscall ${next.index} of the recording (tid ${task.tid})`;
    if (r.nr !== nr || r.args.some((a, i) => a !== args[i])) {
      return this.diverge(`${at}: the recording has ${describe(r.nr, r.args)}, the guest made ${describe(nr, args)}`);
    }
    engine.data.current = next;
    if (r.mode === Mode.Run || r.mode === Mode.RunWrites) return utraceSyscallAction(action) | UTRACE_RESUME;
    if (r.dataHash !== null && r.result !== null) {
      let data: Uint8Array | null = null;
      try {
        data = writtenBytes(task, nr, args, Number(r.result));
      } catch {
        // Unreadable now, readable when recorded: a difference like any other.
      }
      if (data === null || dataChecksum(data) !== r.dataHash) return this.diverge(`${at}: ${describe(nr, args)} writes other bytes than recorded`);
    }
    // A call that never came back: held until the task is killed, as it was.
    if (r.result === null) return UTRACE_SYSCALL_ABORT | UTRACE_STOP;
    if (r.resumeSlice > 0) {
      this.host.releaseAt(r.resumeSlice, task, () => {
        this.kernel.utrace.control(task, engine, UTRACE_RESUME);
      });
      return UTRACE_SYSCALL_ABORT | UTRACE_STOP;
    }
    return UTRACE_SYSCALL_ABORT | UTRACE_RESUME;
  }

  private exit(engine: Engine<TaskData>, regs: Regs): number {
    const cur = engine.data.current;
    engine.data.current = null;
    if (!cur || this.divergence) return UTRACE_RESUME;
    const task = engine.task;
    const r = cur.record;
    // The message's parts, made only when needed.
    const at = () => `at syscall ${cur.index} of the recording (tid ${r.tid}): ${describe(r.nr, r.args)}`;
    const u = this.kernel.utrace;
    if (r.mode === Mode.Run || r.mode === Mode.RunWrites) {
      if (r.result !== null && regs.returnValue !== r.result) {
        return this.divergeExit(`${at()} returned ${regs.returnValue}, recorded ${r.result}`);
      }
      const isExec = r.nr === N.execve || r.nr === N.execveat;
      if (r.mode === Mode.Run && !isExec && writesChecksum(u.syscallWrites(task)) !== r.writesHash) {
        return this.divergeExit(`${at()} wrote other memory than recorded`);
      }
      if (r.mode === Mode.Run) return UTRACE_RESUME;
    }
    try {
      u.pokeSyscallWrites(task, r.writes);
    } catch {
      return this.divergeExit(`${at()}: the memory it wrote when recorded is not mapped`);
    }
    if (r.mode === Mode.RunWrites) return UTRACE_RESUME;
    const result = r.result ?? 0n;
    if (r.nr === N.openat && result >= 0n) {
      if (!this.host.placeholder(task, Number(result), Number(BigInt.asUintN(32, r.args[2])), r.path ?? "")) {
        return this.divergeExit(`${at()} opened descriptor ${result} when recorded, which is in use`);
      }
    }
    if ((r.mode === Mode.Stdout || r.mode === Mode.Stderr) && result > 0n && (r.output !== null || WRITE_CALLS.has(r.nr))) {
      this.host.output(r.mode === Mode.Stdout ? 1 : 2, r.output ?? writtenBytes(task, r.nr, r.args, Number(result)));
    }
    regs.returnValue = result;
    return UTRACE_RESUME;
  }

  /** A divergence seen at a syscall's exit: the task is held at its return to user mode. */
  private divergeExit(message: string): number {
    this.diverge(message);
    return UTRACE_STOP;
  }
}

/** A call for messages: name(arg, …) with as many arguments as the syscall takes. */
export function describe(nr: number, args: readonly bigint[]): string {
  const meta = syscallMeta(nr);
  const shown = args.slice(0, meta ? meta.args.length : 6).map((a) => {
    const v = BigInt.asIntN(64, a);
    return v > -4096n && v < 4096n ? String(v) : `0x${BigInt.asUintN(64, a).toString(16)}`;
  });
  return `${meta?.name ?? `syscall_${nr}`}(${shown.join(", ")})`;
}
