// Every guest task blocked for good (src/kernel/deadlock.ts, src/cli/deadlock.ts): the run ends with
// one line per task on stderr, the call it waits in decoded as `rvtrace trace` prints it, and status
// 122; and the runs that only look blocked (a sleep, a pending timer, stdin still open, an engine
// that holds a task and lets it go later) end as they would anyway.
// Guest: guests/src/deadlock.c. Before blocking, each task prints "expect N blocked in CALL": the
// call as the guest made it (with the addresses of its own buffers); N counts the tasks in the order
// they were made, so task N has tid 1000 + N (rvtrace's first pid is 1000, ids are given in order).
import { describe, expect, it, beforeAll } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ensureBuilt } from "../build.js";

const root = path.resolve(__dirname, "../..");
const guests = path.join(root, "guests");
const cli = path.join(root, "bin", "rvtrace.js");
const engine = path.join(__dirname, "fixtures", "hold-getppid.mjs");
const DEADLOCK_STATUS = 122;

function rvtrace(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: guests, input: "", encoding: "latin1", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The report the guest's "expect" lines call for; `threads`: the tasks are threads of one process. */
function expectedReport(stdout: string, threads: boolean): string {
  const lines = [...stdout.matchAll(/^expect (\d+) (.*)$/gm)].map((m) => ({ n: Number(m[1]), what: m[2] }));
  return lines
    .sort((a, b) => a.n - b.n)
    .map(({ n, what }) => `rvtrace: deadlock: pid ${threads ? 1000 : 1000 + n} tid ${1000 + n} ${what}\n`)
    .join("");
}

beforeAll(ensureBuilt, 120_000);

describe("every task blocked for good: one line per task, status 122", () => {
  const cases: [mode: string, tasks: number, threads: boolean][] = [
    ["futex", 1, true],
    ["pipe-threads", 2, true],
    ["pause", 1, true],
    ["sigsuspend", 1, true],
    ["wait-child", 2, false],
    ["pipe-cycle", 2, false],
    ["stopped", 2, false],
  ];
  for (const [mode, tasks, threads] of cases) {
    it(mode, () => {
      const r = rvtrace(["run", "bin/deadlock", mode]);
      expect(r.stdout.match(/^expect /gm)).toHaveLength(tasks);
      expect(r.stderr).toBe(expectedReport(r.stdout, threads));
      expect(r.status).toBe(DEADLOCK_STATUS);
    });
  }

  it("the lines name the call as the guest made it", () => {
    // One case spelled out, so a report that merely agrees with the guest's printing is caught too.
    const r = rvtrace(["run", "bin/deadlock", "sigsuspend"]);
    expect(r.stderr).toBe("rvtrace: deadlock: pid 1000 tid 1000 blocked in rt_sigsuspend([USR1], 8)\n");
  });

  it("under trace and --deterministic too", () => {
    const traced = rvtrace(["trace", "-o", "/dev/null", "bin/deadlock", "futex"]);
    expect([traced.status, traced.stderr]).toEqual([DEADLOCK_STATUS, expectedReport(traced.stdout, true)]);
    const det = rvtrace(["run", "--deterministic", "bin/deadlock", "pipe-cycle"]);
    expect([det.status, det.stderr]).toEqual([DEADLOCK_STATUS, expectedReport(det.stdout, false)]);
  });

  it("recorded, and replayed with the same report and status", () => {
    const rec = path.join(mkdtempSync(path.join(tmpdir(), "rvtrace-deadlock-")), "run.rec");
    const recorded = rvtrace(["record", "-o", rec, "bin/deadlock", "pipe-cycle"]);
    expect([recorded.status, recorded.stderr]).toEqual([DEADLOCK_STATUS, expectedReport(recorded.stdout, false)]);
    expect(rvtrace(["replay", rec])).toEqual(recorded);
  });

  it("a task an engine holds with nothing left to release it", () => {
    const r = rvtrace(["trace", "-o", "/dev/null", "--engine", `${engine}:never`, "bin/deadlock", "engine"]);
    expect([r.status, r.stdout, r.stderr]).toEqual([DEADLOCK_STATUS, "", "rvtrace: deadlock: pid 1000 tid 1000 held by an engine in getppid()\n"]);
  });
});

describe("waits that something will end are not deadlocks", () => {
  it("a thread joined while it sleeps (host timers, and virtual ones under --deterministic)", () => {
    for (const extra of [[], ["--deterministic"]]) {
      const r = rvtrace(["run", ...extra, "bin/deadlock", "sleep"]);
      expect([r.status, r.stdout, r.stderr]).toEqual([0, "joined\nnot blocked\n", ""]);
    }
  });

  it("pause() with an interval timer pending", () => {
    for (const extra of [[], ["--deterministic"]]) {
      const r = rvtrace(["run", ...extra, "bin/deadlock", "alarm"]);
      expect([r.status, r.stdout, r.stderr]).toEqual([0, "alarms 1\nnot blocked\n", ""]);
    }
  });

  it("an engine that holds the task and releases it from a timer", () => {
    const r = rvtrace(["trace", "-o", "/dev/null", "--engine", `${engine}:later`, "bin/deadlock", "engine"]);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, "released\nnot blocked\n", ""]);
  });

  for (const extra of [[], ["--deterministic"]]) {
    it(`a read of a piped stdin that the other end writes and closes later ${extra.join(" ")}`, async () => {
      const child = spawn(process.execPath, [cli, "run", ...extra, "bin/deadlock", "stdin"], { cwd: guests, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString("latin1")));
      const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      // Written only once the guest says it reads: it waits for the host meanwhile.
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString("latin1");
        if (stdout === "ready\n") child.stdin.end("late");
      });
      expect(await closed).toBe(0);
      expect([stdout, stderr]).toEqual(['ready\nread "late"\nnot blocked\n', ""]);
    });
  }

  it("--await-signals waits for a signal from outside instead", async () => {
    const child = spawn(process.execPath, [cli, "run", "--await-signals", "bin/deadlock", "pause"], { cwd: guests, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("latin1")));
    const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    // Sent once the guest says it blocks: it is still there to take it (SIGTERM kills it: 143).
    child.stdout.on("data", () => child.kill("SIGTERM"));
    expect(await closed).toBe(143);
    expect(stderr).toBe("");
  });
});

describe("a stop from outside is no deadlock", () => {
  it("^Z (SIGTSTP to rvtrace) stops the guest and rvtrace; SIGCONT continues both", async () => {
    const child = spawn(process.execPath, [cli, "run", "bin/deadlock", "tstp"], { cwd: guests, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("latin1")));
    const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    let exited = false;
    child.on("exit", () => (exited = true));
    await new Promise<void>((resolve) => child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("latin1");
      if (stdout === "spinning\n") resolve();
    }));
    child.kill("SIGTSTP");
    // rvtrace stops itself once the guest has stopped (src/cli/host-signals.ts): wait for that, by
    // its state in /proc, unless it ended instead (which the assertions below then catch).
    const state = () => /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${child.pid}/stat`, "latin1"))?.[1];
    while (!exited && state() !== "T") await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill("SIGCONT");
    expect(await closed).toBe(0);
    expect([stdout, stderr]).toEqual(["spinning\ncontinued\nnot blocked\n", ""]);
  });
});
