// The strace printer as a utrace engine. It sees only the utrace API, the tasks' registers and
// their guest memory, and decodes calls with ./decode.ts.
//
// Where it sits among other engines decides what it shows. By default the CLI attaches it last:
// nearest the guest. Syscall-entry callbacks run newest-attached first, so it records each call
// exactly as the guest made it, before any other engine rewrites it; entry reports repeated with
// UTRACE_SYSCALL_RESUMED (after another engine's stop) are ignored, keeping that first view. Exit
// callbacks run oldest first, so it sees each result last, as the guest gets it.
// With --trace-inner it is attached first: at entry it runs last and records the call from the
// final (RESUMED) pass, as it will really run beneath every other engine (asking for that pass
// with UTRACE_REPORT when someone stops the task); at exit it runs first and sees the raw result.
// A call another engine skips (UTRACE_SYSCALL_ABORT, or number -1) never ran, so --trace-inner
// does not count it in -c; it prints it, as strace prints an injected call, with the result the
// engine gave the guest and the engine's note ("DENIED by policy", "INJECTED"). That result is
// written by the engine's exit callback, after the printer's (exit callbacks run oldest first):
// the line waits for the engine's note (annotate), which comes with the result in place, or, from
// an engine that gives none (or gave it at entry), ends at the task's next event with the result
// the printer saw at exit and the notes, or "(skipped by an engine)" when there are none.
//
// Signals are observed only: the disposition (and HOLD) the engines before it chose is returned
// unchanged. A call that never returns (exit_group, or a task killed inside a syscall) is printed
// with "= ?" at the exit report; the task's end is printed at its death with the wait status the
// exit report carried.
//
// Following clones (-f), it is strace -f's view of processes and threads (./follow.ts keeps the
// bookkeeping): "Process N attached" when a new task is first traced (stderr only, as strace is
// quiet about it with -o), "[pid N]" once several tasks are traced, "--- stopped by SIGSTOP ---"
// for a group stop, a thread group leader's "+++ exited" held until its last thread is gone (the
// kernel reports a leader to its tracer only then), and an exec from a thread other than the
// leader as "+++ superseded by execve in pid T +++", after which the thread carries the pid.
import type { Task } from "../../kernel/task.js";
import type { Utrace } from "../../utrace/utrace.js";
import type { Engine } from "../../utrace/engine.js";
import { Regs } from "../../utrace/regs.js";
import type { EngineOps, ExitCode, KSigAction, UtraceSigInfo } from "../../utrace/types.js";
import {
  UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_EVENT_SIGNAL_ALL, UTRACE_RESUME, UTRACE_REPORT, UTRACE_STOP,
  UTRACE_SYSCALL_ABORT, UTRACE_SYSCALL_RESUMED, UTRACE_SIGNAL_MASK, UTRACE_SIGNAL_HOLD, UTRACE_SIGNAL_DELIVER,
  UTRACE_SIGNAL_STOP, UTRACE_SIGNAL_TSTP, utraceResumeAction,
  utraceSyscallAction,
} from "../../utrace/constants.js";
import { SIGCHLD, defaultAction, signalName } from "../../abi/signals.js";
import { syscallMeta } from "../../abi/syscalls.js";
import {
  beginCall, finishCall, unfinishedCall, syscallName, formatSignal, formatExit, callToJson,
  type CallContext, type DecodeOptions, type GuestMemory, type PendingCall,
} from "./decode.js";
import { CallStatus, Quiet } from "./filter.js";
import { LinePrinter, hostClock, formatSeconds, splitCallLine, type TraceClock, type TraceSink } from "./printer.js";
import { CallCounter } from "./summary.js";
import { exitEvent, signalEvent, stopEvent, summaryEvent, supersededEvent, syscallEvent, type JsonEventBase } from "./json.js";
import { TaskBook } from "./follow.js";
import type { StraceSettings } from "./options.js";

/** What the printer may ask of the host about a task (the CLI answers from the kernel). */
export interface StraceHost {
  /** The path of a descriptor (-y). */
  fdPath?(task: Task, fd: number): string | undefined;
  /** The task's working directory (-y prints it for AT_FDCWD). */
  cwd?(task: Task): string;
  /** Instructions the task has run (--json's "insns"). */
  instructions?(task: Task): number;
}

/** Where the trace goes. */
export interface StraceOutput {
  /** A task's sink: the shared one, or with -ff its own FILE.pid. */
  sinkFor(tid: number): TraceSink;
  /** The sink for the summary and anything not a task's. */
  main: TraceSink;
  /**
   * Where strace's own messages go ("Process N attached"): stderr. Absent: not printed. When the
   * trace itself goes to stderr this is the same sink as `main`, so the two keep their order.
   */
  messages?: TraceSink;
}

export interface StraceEngineOptions {
  settings: StraceSettings;
  output: StraceOutput;
  clock?: TraceClock;
  host?: StraceHost;
}

const NR_EXECVE = 221;
const NR_EXIT = 93;
const NR_EXIT_GROUP = 94;
const AT_EXECFN = 31n;
const MAX_ERRNO = 4095n;

/** A call between its entry and exit reports. */
interface Pending {
  nr: number;
  args: bigint[];
  /** The stack pointer at entry (rt_sigreturn's mask is read from the signal frame). */
  sp: bigint;
  /** The decoder's record (none with -c, which only counts). */
  decoded: PendingCall | null;
  opts: DecodeOptions;
  /** CLOCK_MONOTONIC and CPU time at entry (-T, -c). */
  enterNs: bigint;
  enterCpu: bigint;
  /** The leader's stamps at entry, for --json. */
  timestamp?: string;
  /** --trace-inner: another engine skipped the call. */
  skipped: boolean;
}

/** Per-task state: the engine's data. */
export interface StraceTaskData {
  /** The thread id; an exec from a thread other than the leader changes it to the pid. */
  tid: number;
  readonly pid: number;
  pending: Pending | null;
  /** The wait status the exit report carried. */
  exitStatus: number | null;
  mem: GuestMemory;
  optsAbbrev: DecodeOptions | null;
  optsVerbose: DecodeOptions | null;
}

/** A wait status (code << 8, or signal | 0x80 for a core dump) as exit code / signal. */
function decodeStatus(status: number): { exitCode: number | null; signal: number | null; coreDumped: boolean } {
  const sig = status & 0x7f;
  if (sig === 0) return { exitCode: (status >> 8) & 0xff, signal: null, coreDumped: false };
  return { exitCode: null, signal: sig, coreDumped: (status & 0x80) !== 0 };
}

/** The exit-time status of a call for -e status= and -c: -1…-4095 is an error, unless the call cannot fail. */
function callStatus(nr: number, retval: bigint): CallStatus {
  const v = BigInt.asIntN(64, retval);
  if (v < 0n && v >= -MAX_ERRNO && syscallMeta(nr)?.neverFails !== true) return CallStatus.Failed;
  return CallStatus.Successful;
}

export class StraceEngine {
  readonly settings: StraceSettings;
  readonly ops: EngineOps<StraceTaskData>;
  /** Tasks being traced now, by tid (strace's nprocs counts them), and leaders held until their group ends. */
  private readonly book = new TaskBook<Engine<StraceTaskData>>();
  private readonly notes = new Map<number, string[]>();
  /** --trace-inner: calls another engine skipped, by tid, waiting for the result the guest got. */
  private readonly aborted = new Map<number, { task: Task; data: StraceTaskData; p: Pending; seen: bigint }>();
  private readonly printer: LinePrinter;
  private readonly counter = new CallCounter();
  private readonly clock: TraceClock;
  private readonly host: StraceHost;
  private readonly output: StraceOutput;
  private finished = false;
  /** Trace text was written since the last flush. */
  private dirty = false;

  constructor(
    private readonly utrace: Utrace,
    opts: StraceEngineOptions,
  ) {
    this.settings = opts.settings;
    this.output = opts.output;
    this.clock = opts.clock ?? hostClock;
    this.host = opts.host ?? {};
    const s = this.settings;
    this.printer = new LinePrinter(
      {
        acolumn: s.acolumn,
        absolute: s.absolute,
        relative: s.relative,
        pidColumn: s.separate ? "none" : s.output !== null && s.follow ? "always" : "auto",
        separate: s.separate,
        staged: !s.status.isAll,
      },
      (tid) => this.sink(tid),
      this.clock,
      () => this.book.size,
    );
    this.ops = this.makeOps();
  }

  /** The events the printer subscribes to. */
  get events(): number {
    return UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT | UTRACE_EVENT_SIGNAL_ALL | UTRACE_EVENT.EXIT | UTRACE_EVENT.DEATH |
      UTRACE_EVENT.EXEC;
  }

  /** Attaches the printer to a task (the first one, or a clone with -f). */
  attach(task: Task): Engine<StraceTaskData> {
    const mem: GuestMemory = {
      read(addr: bigint, len: number): Uint8Array | null {
        try {
          return task.readBytes(addr, len);
        } catch {
          return null;
        }
      },
    };
    const data: StraceTaskData = {
      tid: task.tid, pid: task.process.pid, pending: null, exitStatus: null, mem, optsAbbrev: null, optsVerbose: null,
    };
    const engine = this.utrace.attachTask(task, UTRACE_ATTACH_CREATE, this.ops, data);
    const r = this.utrace.setEvents(task, engine, this.events);
    if (r < 0) throw new Error(`strace printer: cannot set events on task ${task.tid} (${r})`);
    // A task after the first is one strace -f would have attached to as it was cloned. (Not with
    // --json, whose stream on stderr holds nothing but JSON objects.)
    const s = this.settings;
    if (this.book.everTraced && !this.finished && !s.json && !s.quiet.has(Quiet.Attach) && this.output.messages) {
      this.output.messages.write(`rvtrace: Process ${task.tid} attached\n`);
      this.dirty = true;
    }
    this.book.add(task.tid, engine);
    return engine;
  }

  /**
   * Resolves when no task is traced any more: every traced task has ended and been printed (the
   * CLI waits for it with -f, as strace -f runs until the last traced task is gone).
   */
  whenIdle(): Promise<void> {
    return this.book.whenEmpty();
  }

  /**
   * Prints the execve that started the program (strace's first line), read from the initial stack
   * before the first instruction runs: AT_EXECFN, argv and envp as the kernel laid them out.
   */
  announceExec(task: Task): void {
    const engine = this.book.get(task.tid);
    if (!engine || this.finished) return;
    const sp = this.utrace.regsOf(task).sp;
    let argv = 0n;
    let envp = 0n;
    let execfn = 0n;
    try {
      const argc = task.readU64(sp);
      argv = sp + 8n;
      envp = argv + 8n * (argc + 1n);
      let p = envp;
      while (task.readU64(p) !== 0n) p += 8n;
      for (let a = p + 8n; ; a += 16n) {
        const type = task.readU64(a);
        if (type === 0n) break;
        if (type === AT_EXECFN) execfn = task.readU64(a + 8n);
      }
    } catch {
      // An unreadable stack: print what was found.
    }
    const data = engine.data;
    this.enter(task, data, NR_EXECVE, [execfn, argv, envp, 0n, 0n, 0n], sp, false);
    this.exit(task, data, 0n, true);
  }

  /**
   * Adds a note to the line of the task's current syscall, e.g. "INJECTED" → " (INJECTED)". For
   * engines that change calls (fault injection) to say so, as strace does.
   */
  annotate(task: Task, note: string): void {
    const list = this.notes.get(task.tid);
    if (list) list.push(note);
    else this.notes.set(task.tid, [note]);
    // --trace-inner: the engine that skipped the call has just written its result.
    const waiting = this.aborted.get(task.tid);
    if (waiting && waiting.task === task) this.endAborted(task.tid, new Regs(task).returnValue);
  }

  /**
   * Prints a skipped call that waited for its result: retval, written by the engine that noted it,
   * or (undefined) the result seen at the printer's exit callback, when no note came.
   */
  private endAborted(tid: number, retval: bigint | undefined): void {
    const waiting = this.aborted.get(tid);
    if (!waiting) return;
    this.aborted.delete(tid);
    const notes = this.notes.get(tid) ?? [];
    this.notes.delete(tid);
    const { task, data, p, seen } = waiting;
    this.printResult(task, data, p, retval ?? seen, notes.length > 0 ? notes : ["skipped by an engine"], false);
  }

  /** After the program ended: the summary (-c/-C), and every sink flushed. */
  finish(): void {
    if (this.finished) return;
    for (const tid of [...this.aborted.keys()]) this.endAborted(tid, undefined);
    // Leaders still held (their group outlived rvtrace's wait): their lines go out now.
    for (const engine of this.book.releaseAll()) {
      this.printExit(engine.task, engine.data, this.leaderStatus(engine));
      this.book.remove(engine.data.tid, engine);
    }
    this.finished = true;
    const s = this.settings;
    if (s.summary !== "none") {
      if (s.json) {
        const { rows, total } = this.counter.rows(s.sortBy);
        if (!this.counter.empty) this.output.main.write(summaryEvent(rows, total));
      } else {
        this.output.main.write(this.counter.render(s.columns, s.sortBy));
      }
    }
    this.output.main.flush();
  }

  // ---------------------------------------------------------------------------------------------

  private decodeOptions(task: Task, data: StraceTaskData, nr: number): DecodeOptions {
    const verbose = !this.settings.abbrev.has(nr);
    const cached = verbose ? data.optsVerbose : data.optsAbbrev;
    if (cached) return cached;
    const s = this.settings;
    const host = this.host;
    const opts: DecodeOptions = {
      stringLimit: s.stringLimit,
      verbose,
      hexStrings: s.hexStrings,
      constStyle: s.constStyle,
      decodeFds: s.decodeFds,
      fdPath: host.fdPath ? (fd: number) => host.fdPath!(task, fd) : undefined,
      cwd: host.cwd ? () => host.cwd!(task) : undefined,
    };
    if (verbose) data.optsVerbose = opts;
    else data.optsAbbrev = opts;
    return opts;
  }

  /** A task's sink, noting that text is about to be written. */
  private sink(tid: number): TraceSink {
    this.dirty = true;
    return this.output.sinkFor(tid);
  }

  /**
   * Pushes buffered trace text out. Called at every syscall entry: whatever the guest writes to
   * the same place (stderr) goes through a syscall, so the two interleave exactly as they happen.
   */
  private flush(tid: number): void {
    this.dirty = false;
    this.output.main.flush();
    const own = this.output.sinkFor(tid);
    if (own !== this.output.main) own.flush();
  }

  private get showsTrace(): boolean {
    return this.settings.summary !== "only";
  }

  private base(task: Task, data: StraceTaskData, timestamp?: string): JsonEventBase {
    const b: JsonEventBase = { pid: data.pid, tid: data.tid, insns: this.host.instructions?.(task) ?? task.hart.instret };
    if (timestamp) b.timestamp = timestamp;
    return b;
  }

  /** Records a traced call at entry (and stamps the leader). */
  private enter(task: Task, data: StraceTaskData, nr: number, args: bigint[], sp: bigint, skipped: boolean): void {
    if (!this.settings.trace.has(nr)) {
      data.pending = null;
      return;
    }
    const opts = this.decodeOptions(task, data, nr);
    const call: CallContext = { nr, args, mem: data.mem, sp };
    const decoded = this.showsTrace ? beginCall(call, opts) : null;
    const pending: Pending = {
      nr, args, sp, decoded, opts, skipped,
      enterNs: 0n,
      enterCpu: 0n,
    };
    data.pending = pending;
    if (decoded) {
      if (this.settings.json) {
        if (this.settings.absolute || this.settings.relative !== null) pending.timestamp = this.printer.leader(data.tid).trimEnd();
      } else {
        this.printer.enter(data.tid, syscallName(nr), () => unfinishedCall(decoded));
      }
    }
    // Measured as late as possible, as strace does.
    pending.enterNs = this.clock.monotonicNs();
    if (this.settings.summary !== "none" && !this.settings.summaryWall) pending.enterCpu = this.clock.cpuNs();
  }

  /** Prints (and counts) a call at its exit. */
  private exit(task: Task, data: StraceTaskData, retval: bigint, synthetic = false): void {
    const p = data.pending;
    data.pending = null;
    const notes = this.notes.get(data.tid);
    this.notes.delete(data.tid);
    if (!p || this.finished) return;
    if (p.skipped) {
      // It never ran: not counted; printed once the skipping engine has written its result.
      if (p.decoded) {
        this.aborted.set(data.tid, { task, data, p, seen: retval });
        // Notes given at entry stay for endAborted.
        if (notes) this.notes.set(data.tid, notes);
      }
      else this.printer.drop(data.tid);
      return;
    }
    const s = this.settings;
    const nowNs = this.clock.monotonicNs();
    const status = callStatus(p.nr, retval);
    if (s.summary !== "none") {
      const spent = s.summaryWall ? nowNs - p.enterNs : this.clock.cpuNs() - p.enterCpu;
      this.counter.record(p.nr, syscallName(p.nr), spent, status === CallStatus.Failed);
    }
    this.printResult(task, data, p, retval, notes, synthetic);
  }

  /** A call's line (or JSON event) with its result and notes. */
  private printResult(
    task: Task, data: StraceTaskData, p: Pending, retval: bigint, notes: readonly string[] | undefined, synthetic: boolean,
  ): void {
    const s = this.settings;
    const nowNs = this.clock.monotonicNs();
    const status = callStatus(p.nr, retval);
    if (!p.decoded) return;
    if (!s.status.has(status)) {
      this.printer.drop(data.tid);
      return;
    }
    const call: CallContext = { nr: p.nr, args: p.args, mem: data.mem, sp: p.sp };
    const note = notes?.map((n) => ` (${n})`).join("");
    const duration = s.syscallTimes !== null ? formatSeconds(nowNs - p.enterNs, s.syscallTimes) : undefined;
    if (s.json) {
      const decoded = callToJson(p.decoded, call, retval, p.opts);
      this.sink(data.tid).write(
        syscallEvent(this.base(task, data, p.timestamp), decoded, { ret: retval, duration, note: notes?.join(", "), synthetic }),
      );
      return;
    }
    const line = finishCall(p.decoded, call, retval, p.opts, note);
    const { call: head, ret } = splitCallLine(line);
    this.printer.finish(data.tid, head, ret, duration !== undefined ? ` <${duration}>` : "");
  }

  /** A call that will not return: printed with "= ?" as the task exits. */
  private noReturn(task: Task, data: StraceTaskData): void {
    const p = data.pending;
    data.pending = null;
    this.notes.delete(data.tid);
    if (!p || !p.decoded || this.finished) {
      this.printer.drop(data.tid);
      return;
    }
    if (!this.settings.status.has(CallStatus.Unfinished)) {
      this.printer.drop(data.tid);
      return;
    }
    if (this.settings.json) {
      const call: CallContext = { nr: p.nr, args: p.args, mem: data.mem, sp: p.sp };
      const decoded = callToJson(p.decoded, call, undefined, p.opts);
      this.sink(data.tid).write(syscallEvent(this.base(task, data, p.timestamp), decoded, { unfinished: true }));
      return;
    }
    this.printer.finishNoReturn(data.tid, p.nr === NR_EXIT || p.nr === NR_EXIT_GROUP);
  }

  private makeOps(): EngineOps<StraceTaskData> {
    return {
      name: "strace",
      reportSyscallEntry: (action: number, engine: Engine<StraceTaskData>, regs: Regs): number => {
        this.endAborted(engine.data.tid, undefined);
        const keep = utraceSyscallAction(action);
        const inner = this.settings.inner;
        if (this.dirty) this.flush(engine.data.tid);
        if (action & UTRACE_SYSCALL_RESUMED && !inner) return keep | UTRACE_RESUME;
        const nr = Number(BigInt.asIntN(64, regs.syscallNumber));
        const data = engine.data;
        if (data.pending) this.printer.drop(data.tid);
        if (this.settings.trace.has(nr)) {
          const args = [regs.arg(0), regs.arg(1), regs.arg(2), regs.arg(3), regs.arg(4), regs.arg(5)];
          const skipped = inner && (keep === UTRACE_SYSCALL_ABORT || nr === -1);
          this.enter(engine.task, data, nr, args, regs.sp, skipped);
        } else {
          data.pending = null;
        }
        // --trace-inner: when someone stops the task, ask for the resumed pass and record again then.
        if (inner && utraceResumeAction(action) === UTRACE_STOP) return keep | UTRACE_REPORT;
        return keep | UTRACE_RESUME;
      },
      reportSyscallExit: (_action: number, engine: Engine<StraceTaskData>, regs: Regs): number => {
        this.exit(engine.task, engine.data, regs.returnValue);
        return UTRACE_RESUME;
      },
      reportSignal: (
        action: number, engine: Engine<StraceTaskData>, _regs: Regs, info: UtraceSigInfo, origKa: KSigAction | null,
        returnKa: KSigAction,
      ): number => {
        const keep = (action & (UTRACE_SIGNAL_MASK | UTRACE_SIGNAL_HOLD)) | UTRACE_RESUME;
        this.endAborted(engine.data.tid, undefined);
        if (origKa === null || !this.showsTrace || this.finished || !this.settings.signals.has(info.signo)) return keep;
        const task = engine.task;
        const data = engine.data;
        const opts = this.decodeOptions(task, data, -1);
        // SIGCHLD from the kernel carries the child's si_status where si_value is (siginfo bytes 24..27).
        const status = info.signo === SIGCHLD && info.code > 0 ? Number(BigInt.asIntN(32, info.value ?? 0n)) : undefined;
        const text = formatSignal({
          signo: info.signo, code: info.code, errno: info.errno, addr: info.addr, pid: info.pid, uid: info.uid, status,
        }, opts);
        const line = text.startsWith("---") ? text : `--- ${signalName(info.signo)} ${text} ---`;
        const stops = stopsGroup(info.signo, keep & UTRACE_SIGNAL_MASK, returnKa);
        if (this.settings.json) {
          const info2 = line.replace(/^--- \S+ /, "").replace(/ ---$/, "");
          const stamp = this.settings.absolute || this.settings.relative !== null ? this.printer.leader(data.tid).trimEnd() : undefined;
          const base = this.base(task, data, stamp);
          this.sink(data.tid).write(signalEvent(base, {
            signo: info.signo, name: signalName(info.signo), code: info.code, addr: info.addr, pid: info.pid, uid: info.uid,
            status, info: info2,
          }));
          if (stops) this.sink(data.tid).write(stopEvent(base, { signo: info.signo, name: signalName(info.signo) }));
        } else {
          this.printer.line(data.tid, line);
          if (stops) this.printer.line(data.tid, `--- stopped by ${signalName(info.signo)} ---`);
        }
        return keep;
      },
      reportExec: (_action: number, engine: Engine<StraceTaskData>): number => {
        // An exec from a thread other than the leader: the thread now has the leader's tid (the pid).
        const data = engine.data;
        const now = engine.task.tid;
        if (now !== data.tid) this.switchTid(engine, now);
        return UTRACE_RESUME;
      },
      reportExit: (_action: number, engine: Engine<StraceTaskData>, _orig: number, code: ExitCode): number => {
        this.endAborted(engine.data.tid, undefined);
        engine.data.exitStatus = code.value;
        this.noReturn(engine.task, engine.data);
        return UTRACE_RESUME;
      },
      reportDeath: (engine: Engine<StraceTaskData>, groupDead: boolean): number => {
        this.endAborted(engine.data.tid, undefined);
        const task = engine.task;
        const data = engine.data;
        const proc = task.process;
        if (!groupDead && task === proc.leader) {
          if (supersededByExec(task)) {
            // strace drops the leader silently; the exec'ing thread says "superseded" at its exec.
            this.printer.drop(data.tid);
            this.book.remove(data.tid, engine);
            return UTRACE_RESUME;
          }
          // The kernel tells a tracer of a leader's end only once its whole group is gone.
          this.book.hold(data.pid, engine);
          proc.atExit(() => {
            const held = this.book.release(data.pid);
            if (!held) return;
            this.printExit(held.task, held.data, this.leaderStatus(held));
            this.book.remove(held.data.tid, held);
          });
          return UTRACE_RESUME;
        }
        this.printExit(task, data);
        this.book.remove(data.tid, engine);
        return UTRACE_RESUME;
      },
      reportReap: (engine: Engine<StraceTaskData>): void => {
        this.book.remove(engine.data.tid, engine);
      },
    };
  }

  /** The wait status of a held leader: its group's exit status (a group exit), else its own. */
  private leaderStatus(engine: Engine<StraceTaskData>): number {
    return engine.task.process.groupStatus ?? engine.data.exitStatus ?? 0;
  }

  /**
   * A thread that exec'd took over the leader's tid: strace's maybe_switch_tcbs. Its open call
   * line is cut with " <pid changed to P ...>" where it was being written, the thread says
   * "+++ superseded by execve in pid T +++" under its new id, and its execve ends as
   * "<... execve resumed>".
   */
  private switchTid(engine: Engine<StraceTaskData>, now: number): void {
    const data = engine.data;
    const old = data.tid;
    this.book.rekey(old, now, engine);
    data.tid = now;
    const pending = this.notes.get(old);
    if (pending) {
      this.notes.delete(old);
      this.notes.set(now, pending);
    }
    if (!this.showsTrace || this.finished) return;
    if (this.settings.json) {
      if (!this.settings.quiet.has(Quiet.ThreadExecve)) {
        this.sink(now).write(supersededEvent(this.base(engine.task, data), old));
      }
      return;
    }
    this.printer.rekey(old, now);
    if (!this.settings.quiet.has(Quiet.ThreadExecve)) this.printer.line(now, `+++ superseded by execve in pid ${old} +++`);
  }

  /** "+++ exited with N +++" / "+++ killed by SIG (core dumped) +++". */
  private printExit(task: Task, data: StraceTaskData, waitStatus?: number): void {
    if (!this.showsTrace || this.finished) return;
    const status = waitStatus ?? data.exitStatus ?? 0;
    const st = decodeStatus(status);
    if (st.signal !== null ? !this.settings.signals.has(st.signal) : this.settings.quiet.has(Quiet.Exit)) return;
    if (this.settings.json) {
      const shell = st.signal !== null ? 128 + st.signal : (st.exitCode ?? 0);
      this.sink(data.tid).write(exitEvent(this.base(task, data), {
        status: shell, exitCode: st.exitCode, signal: st.signal !== null ? signalName(st.signal) : null, coreDumped: st.coreDumped,
      }));
      return;
    }
    const text = formatExit(st);
    this.printer.line(data.tid, text);
  }
}

/**
 * Whether the signal being reported will stop the task's group: the final disposition STOP or
 * TSTP, or DELIVER with the default action of a stop signal.
 */
function stopsGroup(signo: number, disposition: number, returnKa: KSigAction): boolean {
  if (disposition === UTRACE_SIGNAL_STOP || disposition === UTRACE_SIGNAL_TSTP) return true;
  return disposition === UTRACE_SIGNAL_DELIVER && returnKa.handler === 0n && defaultAction(signo) === "stop";
}

/**
 * A leader dying while its group lives on, killed without a group exit: that is the kernel's
 * de_thread, making room for another thread's exec (an exit_group or a fatal signal sets the
 * group's status first).
 */
function supersededByExec(leader: Task): boolean {
  return leader.killed && leader.process.groupStatus === undefined;
}
