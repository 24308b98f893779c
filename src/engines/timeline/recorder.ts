// The timeline engine: one track per task (pid, tid) with a slice for each program image the task
// runs and, nested in it, a slice per syscall named by its strace line; instants for signals;
// flow arrows from clone to the new task and from execve to the new image. It observes only:
// every callback returns the decision it was given, so it may sit anywhere among other engines.
// Syscalls are recorded as the guest made them (repeat RESUMED passes are ignored), as the strace
// printer records them by default.
import type { Task } from "../../kernel/task.js";
import type { Utrace } from "../../utrace/utrace.js";
import type { Engine } from "../../utrace/engine.js";
import type { EngineOps } from "../../utrace/types.js";
import {
  UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_EVENT_SIGNAL_ALL, UTRACE_RESUME, UTRACE_SIGNAL_MASK, UTRACE_SIGNAL_HOLD,
  UTRACE_SYSCALL_RESUMED, utraceSyscallAction,
} from "../../utrace/constants.js";
import { signalName } from "../../abi/signals.js";
import { beginCall, finishCall, unfinishedCall, formatSignal, type DecodeOptions, type GuestMemory, type PendingCall } from "../strace/decode.js";
import type { TraceEvent } from "./events.js";

const CLONE_THREAD = 0x10000;

interface OpenCall {
  nr: number;
  args: bigint[];
  sp: bigint;
  decoded: PendingCall;
  ts: number;
}

interface TaskTrack {
  pid: number;
  tid: number;
  mem: GuestMemory;
  /** The program image slice: its name and start. */
  image: { name: string; ts: number };
  call: OpenCall | null;
  /** The execve in progress succeeded: the flow to finish at the new image, and the task's new id. */
  exec: { flow: number; tid: number } | null;
}

export interface TimelineOptions {
  decode: DecodeOptions;
  /** Microseconds since the start of the trace (the CLI uses the host's monotonic clock). */
  now(): number;
}

export class TimelineRecorder {
  readonly events: TraceEvent[] = [];
  private readonly ops: EngineOps<TaskTrack>;
  private nextFlow = 1;
  private readonly named = new Set<string>();
  /** Flows from a clone in a parent, waiting for the child to be attached: their id and time. */
  private readonly pendingFlows = new Map<Task, { id: number; ts: number }>();
  private readonly tracks = new Map<Task, TaskTrack>();
  private readonly live = new Set<TaskTrack>();

  constructor(private readonly utrace: Utrace, private readonly opts: TimelineOptions) {
    this.ops = this.makeOps();
  }

  get eventMask(): number {
    return UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT | UTRACE_EVENT_SIGNAL_ALL | UTRACE_EVENT.CLONE
      | UTRACE_EVENT.EXEC | UTRACE_EVENT.EXIT | UTRACE_EVENT.DEATH;
  }

  /** Starts a track for `task` (the first task, or a clone being followed). */
  attach(task: Task): Engine<TaskTrack> {
    const ts = this.opts.now();
    const mem: GuestMemory = {
      read(addr, len) {
        try {
          return task.readBytes(addr, len);
        } catch {
          return null;
        }
      },
    };
    const track: TaskTrack = {
      pid: task.process.pid, tid: task.tid, mem, image: { name: programName(task), ts }, call: null, exec: null,
    };
    this.nameTrack(track);
    const flow = this.pendingFlows.get(task);
    if (flow !== undefined) {
      this.pendingFlows.delete(task);
      this.cloneArrives(track, flow);
    }
    this.tracks.set(task, track);
    this.live.add(track);
    const engine = this.utrace.attachTask(task, UTRACE_ATTACH_CREATE, this.ops, track);
    this.utrace.setEvents(task, engine, this.eventMask);
    engine.put();
    return engine;
  }

  /** Closes what is still open (tasks that outlive the traced program, calls in progress). */
  finish(): void {
    const ts = this.opts.now();
    for (const t of [...this.live]) this.endTask(t, ts);
  }

  /** A clone's flow ends where the child's track starts, at the clone's time (it has not run yet). */
  private cloneArrives(child: TaskTrack, flow: { id: number; ts: number }): void {
    child.image.ts = flow.ts;
    this.events.push({ ph: "f", bp: "e", name: "clone", cat: "clone", id: flow.id, pid: child.pid, tid: child.tid, ts: flow.ts });
  }

  private nameTrack(t: TaskTrack): void {
    const key = `${t.pid}/${t.tid}`;
    if (this.named.has(key)) return;
    this.named.add(key);
    if (t.pid === t.tid) this.events.push({ ph: "M", name: "process_name", pid: t.pid, tid: t.tid, ts: 0, args: { name: `${t.image.name} (pid ${t.pid})` } });
    this.events.push({ ph: "M", name: "thread_name", pid: t.pid, tid: t.tid, ts: 0, args: { name: `${t.image.name} [${t.tid}]` } });
  }

  private slice(t: TaskTrack, name: string, cat: string, ts: number, end: number, args?: Record<string, unknown>): void {
    this.events.push({ ph: "X", name, cat, pid: t.pid, tid: t.tid, ts, dur: Math.max(0, end - ts), args });
  }

  private endCall(t: TaskTrack, line: string, ret: bigint | null, end: number): void {
    const c = t.call!;
    t.call = null;
    // The slice shows the whole strace line; args keep the name and numbers for queries.
    const args: Record<string, unknown> = { syscall: line.slice(0, line.indexOf("(")), nr: c.nr };
    if (ret !== null) args.ret = ret.toString();
    this.slice(t, line, "syscall", c.ts, end, args);
  }

  private endImage(t: TaskTrack, end: number): void {
    this.slice(t, t.image.name, "program", t.image.ts, end);
  }

  private endTask(t: TaskTrack, ts: number): void {
    if (!this.live.delete(t)) return;
    for (const [task, track] of this.tracks) if (track === t) this.tracks.delete(task);
    if (t.call) this.endCall(t, `${unfinishedCall(t.call.decoded)}) = ?`, null, ts);
    this.endImage(t, ts);
  }

  private makeOps(): EngineOps<TaskTrack> {
    const rec = this;
    return {
      name: "timeline",
      reportSyscallEntry(action, engine, regs) {
        const keep = utraceSyscallAction(action) | UTRACE_RESUME;
        if (action & UTRACE_SYSCALL_RESUMED) return keep;
        const t = engine.data;
        const nr = Number(BigInt.asIntN(64, regs.syscallNumber));
        const args = [regs.arg(0), regs.arg(1), regs.arg(2), regs.arg(3), regs.arg(4), regs.arg(5)];
        const decoded = beginCall({ nr, args, mem: t.mem, sp: regs.sp }, rec.opts.decode);
        t.call = { nr, args, sp: regs.sp, decoded, ts: rec.opts.now() };
        return keep;
      },
      reportSyscallExit(_action, engine, regs) {
        const t = engine.data;
        const c = t.call;
        if (!c) return UTRACE_RESUME;
        const end = rec.opts.now();
        const line = finishCall(c.decoded, { nr: c.nr, args: c.args, mem: t.mem, sp: c.sp }, regs.returnValue, rec.opts.decode);
        rec.endCall(t, line, regs.returnValue, end);
        // after a successful execve: the new image starts as its call returns
        if (t.exec) rec.image(t, programName(engine.task), end);
        return UTRACE_RESUME;
      },
      reportSignal(action, engine, _regs, info, origKa) {
        const keep = (action & (UTRACE_SIGNAL_MASK | UTRACE_SIGNAL_HOLD)) | UTRACE_RESUME;
        if (origKa === null) return keep; // a report pass, not a signal
        const t = engine.data;
        const text = formatSignal({ signo: info.signo, code: info.code, errno: info.errno, addr: info.addr, pid: info.pid, uid: info.uid }, rec.opts.decode);
        rec.events.push({
          ph: "i", s: "t", name: signalName(info.signo), cat: "signal", pid: t.pid, tid: t.tid, ts: rec.opts.now(),
          args: { info: text },
        });
        return keep;
      },
      reportClone(_action, engine, flags, child) {
        const t = engine.data;
        const id = rec.nextFlow++;
        const kind = flags & CLONE_THREAD ? "thread" : "process";
        const ts = rec.opts.now();
        rec.events.push({ ph: "s", name: "clone", cat: "clone", id, pid: t.pid, tid: t.tid, ts, args: { kind, child: child.tid } });
        // the child may be attached already (the CLI's follower runs first) or come later
        const track = rec.tracks.get(child);
        if (track) rec.cloneArrives(track, { id, ts });
        else rec.pendingFlows.set(child, { id, ts });
        return UTRACE_RESUME;
      },
      reportExec(_action, engine) {
        const t = engine.data;
        const id = rec.nextFlow++;
        rec.events.push({ ph: "s", name: "exec", cat: "exec", id, pid: t.pid, tid: t.tid, ts: rec.opts.now() });
        // (a thread that exec'd takes over its leader's id: its new image is on the leader's track)
        t.exec = { flow: id, tid: engine.task.tid };
        return UTRACE_RESUME;
      },
      reportExit(_action, engine) {
        const t = engine.data;
        if (t.call) rec.endCall(t, `${unfinishedCall(t.call.decoded)}) = ?`, null, rec.opts.now());
        return UTRACE_RESUME;
      },
      reportDeath(engine) {
        rec.endTask(engine.data, rec.opts.now());
        return UTRACE_RESUME;
      },
    };
  }

  /** The task's program changed (execve): the old image's slice ends, the new one starts. */
  private image(t: TaskTrack, name: string, ts: number): void {
    const exec = t.exec!;
    t.exec = null;
    this.slice(t, t.image.name, "program", t.image.ts, ts);
    t.tid = exec.tid;
    t.image = { name, ts };
    this.nameTrack(t);
    this.events.push({ ph: "f", bp: "e", name: "exec", cat: "exec", id: exec.flow, pid: t.pid, tid: t.tid, ts });
  }
}

/** The program a task runs, as its path's last component. */
function programName(task: Task): string {
  const path = task.process.exePath;
  return path.slice(path.lastIndexOf("/") + 1) || "?";
}
