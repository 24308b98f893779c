// utrace with more than one task (issue 8 item 6): the clone, exec, jctl, vfork and group-exit rules
// of utrace-spec.md that processes and threads make reachable, and end-to-end scenarios with the
// real guest guests/src/utp-procs.c (its argv[1] picks a scenario; see the source).
import { describe, expect, it } from "vitest";
import {
  UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_RESUME, UTRACE_STOP,
  type Engine, type EngineOps, type ExecInfo, type Task,
} from "../../src/index.js";
import { spawnGuest, waitUntil, withTimeout, type Guest } from "./helpers.js";

const EV = UTRACE_EVENT;
const SYS_GETUID = 174n;
const SYS_GETPPID = 173n;
const SIGCHLD = 17;
const CLONE_VM = 0x100;
const CLONE_VFORK = 0x4000;
const CLONE_THREAD = 0x10000;
const CLD_STOPPED = 5;
const CLD_CONTINUED = 6;

/** Attaches `ops` to `task` with `events`, and to every task it clones, before the child runs. */
/** Each attachment's data is its task. */
function follow(task: Task, ops: EngineOps, events: number): void {
  const k = task.kernel;
  const withClone: EngineOps = {
    ...ops,
    reportClone(action, engine, flags, child) {
      attach(child);
      return ops.reportClone ? ops.reportClone(action, engine, flags, child) : UTRACE_RESUME;
    },
  };
  function attach(t: Task): void {
    const e = k.utrace.attachTask(t, UTRACE_ATTACH_CREATE, withClone, t);
    expect(k.utrace.setEvents(t, e, events | EV.CLONE)).toBe(0);
  }
  attach(task);
}

/** Calls `record` when `task` starts to exit (an engine with EXIT only). */
function recordAtExit(task: Task, record: () => void): void {
  const k = task.kernel;
  const e = k.utrace.attachTask(task, UTRACE_ATTACH_CREATE, {
    reportExit() {
      record();
      return UTRACE_RESUME;
    },
  }, null);
  k.utrace.setEvents(task, e, EV.EXIT);
}

async function finish(g: Guest): Promise<{ code: number | null; signal: number | null }> {
  const s = await withTimeout(g.proc.wait(), "the guest to end", 20000);
  return { code: s.exitCode, signal: s.signal };
}

describe("clone reports", () => {
  it("come in the parent, with fork's flags, before the child has run an instruction", async () => {
    const g = spawnGuest("utp-procs", ["fork"]);
    const seen: string[] = [];
    const ops: EngineOps = {
      reportClone(_action, _engine, flags, child) {
        // glibc's fork: CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD.
        seen.push(`flags=0x${flags.toString(16)} instret=${child.hart.instret} same-process=${child.process === g.proc}`);
        expect(child.process.parent).toBe(g.proc);
        return UTRACE_RESUME;
      },
    };
    const e = g.kernel.utrace.attachTask(g.task, UTRACE_ATTACH_CREATE, ops, null);
    g.kernel.utrace.setEvents(g.task, e, EV.CLONE);
    expect(await finish(g)).toEqual({ code: 0, signal: null });
    expect(seen).toEqual([`flags=0x${(0x1200000 | SIGCHLD).toString(16)} instret=0 same-process=false`]);
    expect(g.stdout()).toBe("child: getuid real\nparent: getuid real\nparent: child exited 7\n");
  });

  it("name CLONE_THREAD for pthread_create and CLONE_VM|CLONE_VFORK for vfork", async () => {
    for (const [mode, must] of [["threads", CLONE_THREAD | CLONE_VM], ["vfork", CLONE_VFORK | CLONE_VM]] as const) {
      const g = spawnGuest("utp-procs", [mode]);
      const flags: number[] = [];
      const e = g.kernel.utrace.attachTask(g.task, UTRACE_ATTACH_CREATE, {
        reportClone(_a, _e, f) {
          flags.push(f);
          return UTRACE_RESUME;
        },
      }, null);
      g.kernel.utrace.setEvents(g.task, e, EV.CLONE);
      expect(await finish(g)).toEqual({ code: 0, signal: null });
      expect(flags.length).toBe(mode === "threads" ? 16 : 1);
      for (const f of flags) expect(f & must).toBe(must);
    }
  });

  it("stop a vfork parent before its wait when an engine says STOP, while the child runs and ends", async () => {
    const g = spawnGuest("utp-procs", ["vfork"]);
    const k = g.kernel;
    let engine: Engine | null = null;
    let child: Task | null = null;
    const parentStateAtChildExit: string[] = [];
    const e = k.utrace.attachTask(g.task, UTRACE_ATTACH_CREATE, {
      reportClone(_a, eng, _f, c) {
        engine = eng;
        child = c;
        recordAtExit(c, () => parentStateAtChildExit.push(g.task.state));
        return UTRACE_STOP;
      },
    }, null);
    k.utrace.setEvents(g.task, e, EV.CLONE);
    await waitUntil(() => child !== null && child.state === "dead", "the vfork child to end");
    // The parent was stopped (by the engine), not waiting for the child, while the child ran.
    expect(parentStateAtChildExit).toEqual(["stopped"]);
    expect(g.task.state).toBe("stopped");
    expect(g.stdout()).toBe("");
    expect(k.utrace.control(g.task, engine!, UTRACE_RESUME)).toBe(0);
    expect(await finish(g)).toEqual({ code: 0, signal: null });
    expect(g.stdout()).toBe("vfork child exited 9\n");
  });

  it("leave a vfork parent waiting for its child (not stopped) when no engine says STOP", async () => {
    const g = spawnGuest("utp-procs", ["vfork"]);
    const k = g.kernel;
    const parentStateAtChildExit: string[] = [];
    const e = k.utrace.attachTask(g.task, UTRACE_ATTACH_CREATE, {
      reportClone(_a, _e, _f, c) {
        recordAtExit(c, () => parentStateAtChildExit.push(g.task.state));
        return UTRACE_RESUME;
      },
    }, null);
    k.utrace.setEvents(g.task, e, EV.CLONE);
    expect(await finish(g)).toEqual({ code: 0, signal: null });
    expect(parentStateAtChildExit).toEqual(["blocked"]);
    expect(g.stdout()).toBe("vfork child exited 9\n");
  });
});

describe("engines that follow children", () => {
  it("rewrite a syscall in the child only", async () => {
    const g = spawnGuest("utp-procs", ["fork"]);
    const k = g.kernel;
    // The rewriting engine goes on children only, attached from the parent's clone report.
    const rewriter: EngineOps = {
      reportSyscallExit(_action, _engine, regs) {
        if (regs.syscallNumber === SYS_GETUID) regs.a0 = 4242n;
        return UTRACE_RESUME;
      },
    };
    const e = k.utrace.attachTask(g.task, UTRACE_ATTACH_CREATE, {
      reportClone(_a, _e, _f, child) {
        const c = k.utrace.attachTask(child, UTRACE_ATTACH_CREATE, rewriter, null);
        k.utrace.setEvents(child, c, EV.SYSCALL_EXIT);
        return UTRACE_RESUME;
      },
    }, null);
    k.utrace.setEvents(g.task, e, EV.CLONE);
    expect(await finish(g)).toEqual({ code: 0, signal: null });
    expect(g.stdout()).toBe("child: getuid rewritten\nparent: getuid real\nparent: child exited 7\n");
  });

  it("count every thread's syscalls in a 16-thread program, each thread's apart", async () => {
    const g = spawnGuest("utp-procs", ["threads"]);
    const perTask = new Map<Task, number>();
    follow(g.task, {
      reportSyscallEntry(_action, engine, regs) {
        if (regs.syscallNumber === SYS_GETPPID) {
          const t = engine.data as Task;
          perTask.set(t, (perTask.get(t) ?? 0) + 1);
        }
        return UTRACE_RESUME;
      },
    }, EV.SYSCALL_ENTRY);
    expect(await finish(g)).toEqual({ code: 0, signal: null });
    expect(g.stdout()).toBe("threads: 800 calls\n");
    expect(perTask.size).toBe(16);
    expect([...perTask.values()]).toEqual(Array(16).fill(50));
    expect([...perTask.keys()].every((t) => t.process === g.proc && t !== g.task)).toBe(true);
  });

  it("stop a process at exec and edit its new argv before it runs", async () => {
    const g = spawnGuest("utp-procs", ["exec"]);
    const k = g.kernel;
    const execs: ExecInfo[] = [];
    let engine: Engine | null = null;
    const e = k.utrace.attachTask(g.task, UTRACE_ATTACH_CREATE, {
      reportExec(_a, eng, exec) {
        execs.push(exec);
        engine = eng;
        return UTRACE_STOP;
      },
    }, null);
    k.utrace.setEvents(g.task, e, EV.EXEC);
    await waitUntil(() => engine !== null && g.task.state === "stopped", "the exec stop");
    // The new image's stack: argc, then argv pointers. Overwrite "original" in place.
    const sp = g.task.hart.getX(2);
    expect(g.task.readU64(sp)).toBe(3n);
    const arg2 = g.task.readU64(sp + 24n);
    expect(g.task.readCString(arg2)).toBe("original");
    g.task.writeCString(arg2, "modified");
    expect(k.utrace.control(g.task, engine!, UTRACE_RESUME)).toBe(0);
    expect(await finish(g)).toEqual({ code: 0, signal: null });
    expect(g.stdout()).toBe("argv[1] = show\nargv[2] = modified\n");
    expect(execs).toEqual([{ path: "/proc/self/exe", argv: ["utp-procs", "show", "original"], envp: [] }]);
  });
});

describe("job control and group exit", () => {
  it("reports a child's group stop and its continuation to the child's engines (JCTL)", async () => {
    const g = spawnGuest("utp-procs", ["stop"]);
    const log: string[] = [];
    follow(g.task, {
      reportJctl(_action, engine, type, notify) {
        log.push(`${(engine.data as Task) === g.task ? "parent" : "child"} type=${type} notify=${notify}`);
        return UTRACE_RESUME;
      },
    }, EV.JCTL);
    expect(await finish(g)).toEqual({ code: 0, signal: null });
    expect(g.stdout()).toBe("stopped: 1 by Stopped (signal)\nexited: 5\n");
    expect(log).toEqual([`child type=${CLD_STOPPED} notify=${CLD_STOPPED}`, `child type=${CLD_CONTINUED} notify=${CLD_CONTINUED}`]);
  });

  it("ends every thread when a non-leader thread calls exit: each gets its exit report", async () => {
    const g = spawnGuest("utp-procs", ["group-exit"]);
    const exits: string[] = [];
    follow(g.task, {
      reportExit(_action, engine, orig) {
        exits.push(`${(engine.data as Task) === g.task ? "leader" : "thread"} ${orig >> 8}`);
        return UTRACE_RESUME;
      },
    }, EV.EXIT);
    expect(await finish(g)).toEqual({ code: 3, signal: null });
    expect(exits.sort()).toEqual(["leader 3", "thread 3"]);
  });
});
