// `rvtrace trace -f` and `-ff` on the st-follow* guests (guests/src/st-follow*.c), which print what
// each of their tasks should show: fork with a cut and resumed read, clone3, vfork (with an exec),
// threads, children killed, dumped, stopped and continued, a thread's exec, a child that outlives
// its parent. The same sources under the host's strace -ff print what the guests expect (see
// st-follow.h); here rvtrace must agree, with -ff -o (a file per task), -f (one log with "[pid N]"
// columns, cut calls and "Process N attached"), -f -o (a plain pid column), -c and --json.
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuilt } from "../build.js";
import { checkTask, parseBlocks, parseLog, splitLog, type TaskExpectation } from "./trace-follow-expect.js";

const root = path.resolve(__dirname, "../..");
const cli = path.join(root, "bin", "rvtrace.js");
const guests = path.join(root, "guests");

beforeAll(ensureBuilt, 120_000);

/** Each guest, the syscalls it checks, and its exit status. */
const GUESTS: [name: string, trace: string, status: number][] = [
  ["st-follow-fork", "execve,pipe2,clone,clone3,close,read,write,wait4,waitid,exit_group", 0],
  ["st-follow-vfork", "execve,clone,wait4,waitid,exit_group", 0],
  ["st-follow-thread", "execve,clone,clone3,read,write,exit,exit_group", 3],
  ["st-follow-signals", "execve,clone,kill,wait4,waitid,exit_group", 0],
  ["st-follow-exec", "execve,clone,clone3,exit_group", 6],
  ["st-follow-orphan", "execve,clone,write,exit_group", 2],
];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  dir: string;
}

/**
 * Runs `rvtrace trace ARGS bin/GUEST` in guests/ (a short path: strace cuts argv strings at 32
 * characters). "log" in ARGS names a file in a scratch directory (removed by withRun).
 */
function trace(args: string[], guest: string): Run {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-follow-"));
  const argv = args.map((a) => (a === "log" ? path.join(dir, "log") : a));
  const r = spawnSync(process.execPath, [cli, "trace", ...argv, `bin/${guest}`], {
    cwd: guests, input: "", encoding: "utf8", timeout: 60_000, env: { ...process.env, LANG: "C" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, dir };
}

function withRun<T>(args: string[], guest: string, f: (r: Run) => T): T {
  const r = trace(args, guest);
  try {
    return f(r);
  } finally {
    rmSync(r.dir, { recursive: true, force: true });
  }
}

/** Every task's mismatches, "tid: error" (empty when all agree). */
function compare(byTask: Map<number, string[]>, want: Map<number, TaskExpectation>): string[] {
  const errors: string[] = [];
  for (const [tid, exp] of want) for (const e of checkTask(byTask.get(tid) ?? [], exp)) errors.push(`${tid}: ${e}`);
  for (const tid of byTask.keys()) if (!want.has(tid)) errors.push(`${tid}: a task the guest does not know`);
  return errors;
}

describe("-ff -o FILE: a file per task", () => {
  it.each(GUESTS)("%s: FILE.TID holds each task's lines", (guest, set, status) => {
    withRun(["-ff", "-a0", "-o", "log", "-e", `trace=${set}`], guest, (r) => {
      expect(r.status, r.stderr).toBe(status);
      const want = parseBlocks(r.stdout);
      expect(want.size).toBeGreaterThan(1);
      const byTask = new Map<number, string[]>();
      for (const f of readdirSync(r.dir)) {
        const m = /^log\.(\d+)$/.exec(f);
        expect(m, f).not.toBeNull();
        byTask.set(Number(m![1]), readFileSync(path.join(r.dir, f), "utf8").split("\n").filter((l) => l !== ""));
      }
      expect(compare(byTask, want)).toEqual([]);
      // strace is quiet about attaching when the trace goes to files.
      expect(r.stderr).not.toContain("attached");
    });
  });
});

describe("-f: one log on stderr", () => {
  it.each(GUESTS)("%s: the same lines, with [pid N] columns, cut calls and attach messages", (guest, set, status) => {
    withRun(["-f", "-a0", "-e", `trace=${set}`], guest, (r) => {
      expect(r.status, r.stderr).toBe(status);
      const want = parseBlocks(r.stdout);
      // The program's own process: the first pid given out (rvtrace counts up from 1000).
      const first = Math.min(...want.keys());
      // The guests' own writes to stderr are not trace lines.
      const log = parseLog(r.stderr, "bracket").filter((l) => !/^(t|orphan)$/.test(l.text));
      const { byTask, firstLine, errors } = splitLog(log, first);
      expect(errors).toEqual([]);
      expect(compare(byTask, want)).toEqual([]);
      // "Process N attached" once for every task but the first, before any line of it.
      const attached = log.filter((l) => l.tid === -1).map((l) => Number(/Process (\d+) attached/.exec(l.text)![1]));
      expect(attached.sort()).toEqual([...want.keys()].filter((t) => t !== first).sort());
      for (const tid of attached) {
        const said = log.findIndex((l) => l.tid === -1 && l.text.includes(`Process ${tid} attached`));
        expect(firstLine.get(tid)).toBeGreaterThan(said);
      }
    });
  });

  it("a call blocked while another task runs is cut and resumed (the parent's read)", () => {
    withRun(["-f", "-a0", "-e", "trace=read,write,close"], "st-follow-fork", (r) => {
      const lines = r.stderr.split("\n");
      const cut = lines.findIndex((l) => /^\[pid +\d+\] read\(3,  <unfinished \.\.\.>$/.test(l));
      expect(cut, r.stderr).toBeGreaterThanOrEqual(0);
      const resumed = lines.findIndex((l) => l.startsWith("<... read resumed>"));
      expect(lines[resumed]).toBe('<... read resumed>"hi", 8) = 2');
      // Between them: the child's write, with its own column.
      expect(lines.slice(cut + 1, resumed).some((l) => /^\[pid +\d+\] write\(4, "hi", 2\) = 2$/.test(l))).toBe(true);
    });
  });

  it("a thread group leader's end comes after its threads', once the group is gone", () => {
    withRun(["-f", "-a0", "-e", "trace=exit_group"], "st-follow-thread", (r) => {
      const leader = Math.min(...parseBlocks(r.stdout).keys());
      const lines = r.stderr.trimEnd().split("\n");
      // The reader thread's end, while the leader still counts: "[pid T]"; then the leader's, alone.
      const thread = /^\[pid +(\d+)\] \+\+\+ exited with 3 \+\+\+$/.exec(lines.at(-2) ?? "");
      expect(Number(thread?.[1])).toBeGreaterThan(leader);
      expect(lines.at(-1)).toBe("+++ exited with 3 +++");
    });
  });

  it("-q: no attach messages", () => {
    withRun(["-f", "-q", "-e", "trace=none"], "st-follow-fork", (r) => {
      expect(r.status).toBe(0);
      expect(r.stderr).not.toContain("attached");
      expect(r.stderr).toMatch(/^\[pid +\d+\] \+\+\+ exited with 7 \+\+\+$/m);
    });
  });

  it("without -f only the first process is traced, and the others' ends are not waited for", () => {
    withRun(["-a0", "-e", "trace=execve,clone,write,exit_group"], "st-follow-orphan", (r) => {
      expect(r.status).toBe(2);
      expect(r.stderr).not.toMatch(/\[pid|attached|exited with 4/);
      const lines = r.stderr.split("\n").filter((l) => l !== "" && l !== "orphan");
      expect(lines.at(-1)).toBe("+++ exited with 2 +++");
    });
  });
});

describe("a wait that a child's end satisfies", () => {
  it("returns the child's pid, not ERESTARTSYS (the SIGCHLD it brings comes after)", () => {
    withRun(["-f", "-a0", "-e", "trace=wait4,waitid"], "st-follow-signals", (r) => {
      expect(r.status).toBe(0);
      expect(r.stderr).not.toContain("ERESTARTSYS");
      expect(r.stderr.match(/^(<\.\.\. )?wait4.*= \d+$/gm)?.length).toBe(3);
    });
  });
});

describe("-f -o FILE: one file with a plain pid column", () => {
  it("every line has the pid of its task, even with one task left", () => {
    withRun(["-f", "-a0", "-o", "log", "-e", "trace=execve,pipe2,clone,clone3,close,read,write,wait4,waitid,exit_group"],
      "st-follow-fork", (r) => {
        expect(r.status).toBe(0);
        const want = parseBlocks(r.stdout);
        const text = readFileSync(path.join(r.dir, "log"), "utf8");
        const log = parseLog(text, "plain");
        expect(log.every((l) => l.tid !== null && want.has(l.tid)), text).toBe(true);
        // Per task, once cut calls are joined: the same lines.
        const byTask = new Map<number, string[]>();
        const open = new Map<number, string>();
        for (const l of log) {
          const tid = l.tid!;
          if (/ <unfinished \.\.\.>$/.test(l.text)) {
            open.set(tid, l.text.replace(/ <unfinished \.\.\.>$/, ""));
            continue;
          }
          const m = /^<\.\.\. [a-z0-9_]+ resumed>(.*)$/.exec(l.text);
          const line = m && open.has(tid) ? open.get(tid)! + m[1] : l.text;
          open.delete(tid);
          byTask.set(tid, [...(byTask.get(tid) ?? []), line]);
        }
        expect(compare(byTask, want)).toEqual([]);
        expect(text.trimEnd().split("\n").at(-1)).toMatch(/^\d+ +\+\+\+ exited with 0 \+\+\+$/);
      });
  });
});

describe("-c and --json with -f", () => {
  it("-c counts every task's calls", () => {
    const counts = (args: string[]) =>
      withRun([...args, "-c", "-e", "trace=close,write,read,clone,clone3"], "st-follow-fork", (r) => {
        expect(r.status).toBe(0);
        const rows = new Map<string, number>();
        for (const m of r.stderr.matchAll(/^ +[\d.]+ +[\d.]+ +\d+ +(\d+) +(?:\d+ +)?([a-z0-9_]+)$/gm)) rows.set(m[2], Number(m[1]));
        return rows;
      });
    const all = counts(["-f"]);
    // The parent closes one end of the pipe and the child the other; only the child writes.
    expect(Object.fromEntries(all)).toEqual({ close: 2, write: 1, read: 1, clone: 1, clone3: 1 });
    const first = counts([]);
    expect(Object.fromEntries(first)).toEqual({ close: 1, read: 1, clone: 1, clone3: 1 });
  });

  it("--json: each event carries its process and thread ids", () => {
    withRun(["-f", "--json", "-e", "trace=write,exit,exit_group"], "st-follow-thread", (r) => {
      expect(r.status).toBe(3);
      const events = r.stderr.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(r.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("{") && l !== "t")).toEqual([]);
      const want = parseBlocks(r.stdout);
      const leader = [...want.keys()][0];
      const threads = [...want.keys()].filter((t) => t !== leader);
      expect(threads.length).toBe(2);
      for (const e of events) {
        expect(e.pid).toBe(leader);
        expect([leader, ...threads]).toContain(e.tid);
      }
      const write = events.find((e) => e.name === "write");
      expect(write?.tid).toBe(threads[0]);
      const exits = events.filter((e) => e.type === "exit");
      expect(exits.map((e) => e.tid)).toEqual([threads[0], threads[1], leader]);
    });
  });

  it("--json: SIGCHLD's status, a group stop, a child's own pid", () => {
    withRun(["-f", "--json", "-e", "trace=kill"], "st-follow-signals", (r) => {
      const events = r.stderr.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
      const want = parseBlocks(r.stdout);
      const [, term, abrt, stopped] = [...want.keys()].sort((a, b) => a - b);
      const chld = events.filter((e) => e.type === "signal" && e.signal === "SIGCHLD");
      expect(chld.map((e) => [e.senderPid, e.code, e.status])).toEqual([
        [term, 2, 15], [abrt, 3, 6], [stopped, 5, 19], [stopped, 6, 18], [stopped, 2, 9],
      ]);
      const stop = events.filter((e) => e.type === "stop");
      expect(stop).toEqual([expect.objectContaining({ pid: stopped, tid: stopped, signo: 19, signal: "SIGSTOP" })]);
      expect(events.find((e) => e.type === "exit" && e.pid === term)).toMatchObject({ tid: term, signal: "SIGTERM" });
    });
  });

  it("--json: a thread's exec as a 'superseded' event, later events under the pid", () => {
    withRun(["-f", "--json", "-e", "trace=execve,exit_group"], "st-follow-exec", (r) => {
      expect(r.status).toBe(6);
      const events = r.stderr.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
      const want = parseBlocks(r.stdout);
      const [leader, thread] = [...want.keys()].sort((a, b) => a - b);
      const at = events.findIndex((e) => e.type === "superseded");
      expect(events[at]).toMatchObject({ pid: leader, tid: leader, formerTid: thread });
      expect(events.slice(at + 1).every((e) => e.tid === leader)).toBe(true);
      expect(events.at(-1)).toMatchObject({ type: "exit", pid: leader, tid: leader, exitCode: 6 });
    });
  });
});
