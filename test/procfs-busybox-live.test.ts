// Debian's riscv64 busybox reading the generated /proc under rvtrace: ps, free, df, uptime and
// top -b -n1 show the sandbox as it is (its processes and their command lines, the memory limit,
// the mounts, the virtual clock). Deterministic runs, so what they print is known exactly where it
// matters. Needs `sh tools/fetch-shells.sh` first, and runs with `npm run test:live`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, SHELLS } from "./shell-applets.js";
import { ensureBuilt } from "./build.js";

const CLI = path.join(ROOT, "bin", "rvtrace.js");
const BUSYBOX = path.join(SHELLS, "busybox");

beforeAll(ensureBuilt, 120_000);

/** busybox ARGS under `rvtrace run --deterministic --memory-limit 64M`, from the repository's root. */
function busybox(...args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [CLI, "run", "--deterministic", "--memory-limit", "64M", BUSYBOX, ...args], {
    cwd: ROOT,
    input: "",
    encoding: "latin1",
    timeout: 120_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** The value of a /proc/meminfo line, in kB. */
function meminfo(text: string, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB$`, "m").exec(text);
  if (!m) throw new Error(`no ${key} in ${text}`);
  return Number(m[1]);
}

describe("busybox applets over the generated /proc", () => {
  it("has busybox fetched", () => {
    expect(existsSync(BUSYBOX), "run sh tools/fetch-shells.sh").toBe(true);
  });

  // The shell starts a sleep in the background and waits a (virtual) second, so the sleep has
  // started by then; `; true` keeps the shell from running ps in its own process (exec).
  const script = (ps: string): string => `${BUSYBOX} sleep 5 & ${BUSYBOX} sleep 1; ${BUSYBOX} ${ps}; true`;

  it("ps lists each process with its pid, user and command line", () => {
    const r = busybox("sh", "-c", script("ps"));
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^\s*PID\s+USER\s+(TIME\s+)?COMMAND$/);
    const rows = lines.slice(1).map((l) => l.trim().split(/\s+/));
    // 1002 was the sleep of a second, gone by then.
    expect(rows.map((r) => [r[0], r[1]])).toEqual([["1000", "user"], ["1001", "user"], ["1003", "user"]]);
    expect(lines[1].endsWith(`${BUSYBOX} sh -c ${script("ps")}`)).toBe(true);
    expect(lines[2].endsWith(`${BUSYBOX} sleep 5`)).toBe(true);
    expect(lines[3].endsWith(`${BUSYBOX} ps`)).toBe(true);
  });

  it("ps -o shows parents, states and names", () => {
    const r = busybox("sh", "-c", script("ps -o pid,ppid,stat,comm"));
    const rows = r.stdout.trimEnd().split("\n").slice(1).map((l) => l.trim().split(/\s+/));
    expect(rows).toEqual([["1000", "1", "S", "busybox"], ["1001", "1000", "S", "busybox"], ["1003", "1000", "R", "busybox"]]);
  });

  it("free: the total is MemTotal of /proc/meminfo, the --memory-limit", () => {
    const total = meminfo(busybox("cat", "/proc/meminfo").stdout, "MemTotal");
    expect(total).toBe(64 * 1024);
    const r = busybox("free");
    expect(r.status).toBe(0);
    const mem = r.stdout.split("\n").find((l) => l.startsWith("Mem:"))!.split(/\s+/);
    expect(Number(mem[1])).toBe(total);
    expect(Number(mem[2]) + Number(mem[3])).toBe(total);
    expect(Number(mem[2])).toBeGreaterThan(0);
  });

  it("df lists the working directory's mount by its guest path, the private /tmp and /dev/shm, and no host device", () => {
    const r = busybox("df");
    expect(r.status).toBe(0);
    const rows = r.stdout.trimEnd().split("\n").slice(1).map((l) => l.split(/\s+/));
    expect(rows.map((c) => c[5])).toContain(ROOT);
    // host mounts show as "rvtrace", the private /tmp and /dev/shm as tmpfs: never a host device
    for (const c of rows) expect(c[0]).toBe(c[5] === "/tmp" || c[5] === "/dev/shm" ? "tmpfs" : "rvtrace");
    expect(rows.filter((c) => c[0] === "tmpfs").map((c) => c[5])).toEqual(["/tmp", "/dev/shm"]);
  });

  it("uptime: the virtual clock's time and uptime, no users, loads of zero", () => {
    const r = busybox("uptime");
    expect(r.stdout).toBe(" 00:00:00 up 0 min,  0 users,  load average: 0.00, 0.00, 0.00\n");
  });

  it("top -b -n1: memory, load and the one process with its command line", () => {
    const r = busybox("top", "-b", "-n1");
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^Mem: \d+K used, \d+K free, 0K shrd, 0K buff, 0K cached$/);
    const [used, free] = /^Mem: (\d+)K used, (\d+)K free/.exec(lines[0])!.slice(1).map(Number);
    expect(used + free).toBe(64 * 1024);
    expect(lines).toContain("Load average: 0.00 0.00 0.00 1/1 1000");
    const row = lines.find((l) => /^\s*1000\s/.test(l));
    expect(row).toMatch(/^\s*1000\s+1\s+user\s+R\s+\d+\s+\d+%\s+\d+%\s+/);
    expect(row!.endsWith(`${BUSYBOX} top -b -n1`)).toBe(true);
  });
});
