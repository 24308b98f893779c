// `rvtrace trace --timeline FILE.json`: the Chrome/Perfetto trace-event file. Checked as a viewer
// would read it: one track per task, a slice per syscall named by the strace line the printer
// printed for it, nested in the slice of the program the task ran, signal instants, and flow
// arrows from each clone and execve to the task or image they made.
import { describe, it, expect, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuilt } from "../build.js";

const root = path.resolve(__dirname, "../..");
const guests = path.join(root, "guests");
const cli = path.join(root, "bin", "rvtrace.js");

interface Ev {
  ph: string; name: string; cat?: string; pid: number; tid: number; ts: number; dur?: number;
  id?: number; bp?: string; s?: string; args?: Record<string, unknown>;
}

beforeAll(ensureBuilt, 120_000);

function timeline(args: string[]) {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "rvtrace-timeline-")), "t.json");
  const r = spawnSync(process.execPath, [cli, "trace", "--timeline", file, ...args], { cwd: guests, encoding: "utf8" });
  const json = JSON.parse(readFileSync(file, "utf8")) as { traceEvents: Ev[]; displayTimeUnit: string };
  return { r, events: json.traceEvents, json };
}

const track = (e: Ev) => `${e.pid}/${e.tid}`;
// Times are microseconds from a nanosecond clock; ts + dur is a float sum that can miss the end it
// was computed from by one ulp, so comparisons are made in whole nanoseconds.
const ns = (us: number) => Math.round(us * 1000);
const start = (e: { ts: number }) => ns(e.ts);
const end = (e: Ev) => ns(e.ts + (e.dur ?? 0));
const within = (inner: { ts: number }, outer: Ev) => start(inner) >= start(outer) && start(inner) <= end(outer);

/** The slices of one category, by track, in time order. */
function slicesBy(events: Ev[], cat: string): Map<string, Ev[]> {
  const m = new Map<string, Ev[]>();
  for (const e of events) {
    if (e.ph !== "X" || e.cat !== cat) continue;
    if (!m.has(track(e))) m.set(track(e), []);
    m.get(track(e))!.push(e);
  }
  for (const list of m.values()) list.sort((a, b) => a.ts - b.ts);
  return m;
}

/** Checks the nesting every timeline must have; returns the slices. */
function checkStructure(events: Ev[]) {
  const programs = slicesBy(events, "program");
  const calls = slicesBy(events, "syscall");
  // every track is named, and every named track has its program slices
  const named = new Set(events.filter((e) => e.ph === "M" && e.name === "thread_name").map(track));
  expect(new Set(programs.keys())).toEqual(named);
  for (const [t, list] of calls) {
    const progs = programs.get(t)!;
    expect(progs, t).toBeDefined();
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      expect(c.dur!).toBeGreaterThanOrEqual(0);
      // inside one program slice of its own track (entirely)
      expect(progs.some((p) => within(c, p) && end(c) <= end(p)), `${t} ${c.name}`).toBe(true);
      // syscalls of one task do not overlap
      if (i > 0) expect(start(c)).toBeGreaterThanOrEqual(end(list[i - 1]));
    }
    // program slices of one task follow each other
    for (let i = 1; i < progs.length; i++) expect(start(progs[i])).toBeGreaterThanOrEqual(end(progs[i - 1]));
  }
  return { programs, calls };
}

describe("rvtrace trace --timeline", () => {
  it("one track, a slice per syscall named by its strace line, in the order strace printed them", () => {
    const { r, events, json } = timeline(["bin/hello"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("Hello, world!\n");
    expect(json.displayTimeUnit).toBe("ns");
    const { programs, calls } = checkStructure(events);
    expect([...programs.keys()]).toHaveLength(1);
    const [t] = [...calls.keys()];
    expect(programs.get(t)!.map((p) => p.name)).toEqual(["hello"]);
    const printed = r.stderr.split("\n").filter((l) => /^\w+\(/.test(l)).map((l) => l.replace(/\s+= /, " = "));
    // the printer's first line is the execve that started the program, made before any engine was attached
    expect(printed[0]).toMatch(/^execve\("bin\/hello"/);
    expect(printed.length).toBeGreaterThan(5);
    expect(calls.get(t)!.map((c) => c.name)).toEqual(printed.slice(1));
    const write = calls.get(t)!.find((c) => c.args?.syscall === "write")!;
    expect(write.name).toBe('write(1, "Hello, world!\\n", 14) = 14');
    expect(write.args).toEqual({ syscall: "write", nr: 64, ret: "14" });
    // exit_group never returns: "= ?", as strace prints it
    expect(calls.get(t)!.at(-1)!.name).toBe("exit_group(0) = ?");
    expect(events.filter((e) => e.ph === "M" && e.name === "process_name").map((e) => e.args!.name)).toEqual(["hello (pid 1000)"]);
  });

  it("clone and exec: a track per task, flows from the clone call to the child and from execve to the new image; SIGCHLD instants", () => {
    const { r, events } = timeline(["-f", "bin/spawn"]);
    expect(r.status).toBe(0);
    const { programs, calls } = checkStructure(events);
    expect(programs.size).toBeGreaterThanOrEqual(3);
    const starts = events.filter((e) => e.ph === "s");
    const finishes = new Map(events.filter((e) => e.ph === "f").map((e) => [`${e.cat}:${e.id}`, e]));
    expect(starts.filter((e) => e.cat === "clone").length).toBeGreaterThanOrEqual(2);
    expect(starts.filter((e) => e.cat === "exec").length).toBeGreaterThanOrEqual(2);
    for (const s of starts) {
      const f = finishes.get(`${s.cat}:${s.id}`)!;
      expect(f, `flow ${s.cat} ${s.id}`).toBeDefined();
      expect(f.bp).toBe("e");
      expect(f.ts).toBeGreaterThanOrEqual(s.ts);
      // the start sits in the call that made it, on the caller's track
      const call = calls.get(track(s))!.find((c) => within(s, c))!;
      expect(call, `${s.cat} flow ${s.id} has no enclosing call`).toBeDefined();
      expect(call.args!.syscall).toBe(s.cat === "clone" ? "clone" : "execve");
      // the finish is where a program slice starts, on the new task's (or new image's) track
      const prog = programs.get(track(f))!.find((p) => p.ts === f.ts)!;
      expect(prog, `${s.cat} flow ${s.id} does not end at a program start`).toBeDefined();
      if (s.cat === "clone") expect(track(f)).not.toBe(track(s));
      else expect(prog.name).toBe("spawn"); // spawn runs /proc/self/exe, itself
    }
    const sigchld = events.filter((e) => e.ph === "i" && e.name === "SIGCHLD");
    expect(sigchld.length).toBeGreaterThanOrEqual(2);
    for (const i of sigchld) {
      expect(i.s).toBe("t");
      expect(String(i.args!.info)).toMatch(/si_signo=SIGCHLD, si_code=CLD_EXITED/);
      expect(programs.get(track(i))!.some((p) => within(i, p))).toBe(true);
    }
  });

  it("threads get tracks of their own in their process, with or without -f", () => {
    const { r, events } = timeline(["bin/thread-sync"]);
    expect(r.status).toBe(0);
    const { programs } = checkStructure(events);
    const pids = new Set([...programs.keys()].map((k) => k.split("/")[0]));
    expect(pids.size).toBe(1);
    expect(programs.size).toBeGreaterThan(1);
    const threadFlows = events.filter((e) => e.ph === "s" && e.args?.kind === "thread");
    expect(threadFlows).toHaveLength(programs.size - 1);
  });

  it("a file that cannot be written is one line and status 2, before the program runs", () => {
    const r = spawnSync(process.execPath, [cli, "trace", "--timeline", "/nonexistent/dir/t.json", "bin/hello"], { cwd: guests, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("rvtrace: --timeline: cannot write '/nonexistent/dir/t.json': No such file or directory\n");
    expect(r.stdout).toBe("");
  });
});
