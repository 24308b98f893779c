// A deterministic run must not see the host: the same guest (guests/src/det-probe.c: clocks, a
// sleep, random bytes, ids, uname, a directory listing with every stat field, a file it creates
// and changes, statfs) run twice, the second time with another time zone, a host clock years
// away, and its input files recreated (new host inode numbers and birth times) with other host
// times, prints and traces exactly the same; and what it prints shows the fixed view.
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { GUESTS_DIR, traceInProcess } from "./helpers.js";

const PROBE = path.join(GUESTS_DIR, "bin", "det-probe");
const TRACE = ["--deterministic", "-f", "-tt", "-T", "-y"];
/** --date's default: 2000-01-01T00:00:00Z. */
const DEFAULT_DATE = 946684800;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The probe's input directory: a file and a hard link to it, a subdirectory, a symbolic link. */
function makeInputs(dir: string, hostTime: Date): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, "sub"), { recursive: true });
  writeFileSync(path.join(dir, "a.txt"), "hello\n");
  linkSync(path.join(dir, "a.txt"), path.join(dir, "hard.txt"));
  writeFileSync(path.join(dir, "sub", "y"), "y\n");
  symlinkSync("a.txt", path.join(dir, "link"));
  for (const f of ["a.txt", "sub/y", "sub", "."]) utimesSync(path.join(dir, f), hostTime, hostTime);
}

/** The stat line the probe prints after "entry NAME ...". */
function statOf(stdout: string, name: string): string {
  const lines = stdout.split("\n");
  const i = lines.findIndex((l) => l.startsWith(`entry ${name} `));
  expect(i, `no entry ${name} in:\n${stdout}`).toBeGreaterThanOrEqual(0);
  return lines[i + 1];
}

describe("a deterministic run does not depend on the host", () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    vi.useRealTimers();
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it("another time zone, host clock and input inodes and times give the same output and trace", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-det-host-"));
    dirs.push(dir);
    makeInputs(dir, new Date("2021-03-04T05:06:07Z"));
    const first = await traceInProcess(dir, TRACE, PROBE, ["."]);
    expect(first.status, first.stderr).toBe(0);

    process.env.TZ = "Pacific/Kiritimati";
    vi.useFakeTimers({ toFake: ["Date", "hrtime", "performance"], now: new Date("2037-11-12T13:14:15Z") });
    makeInputs(dir, new Date("1999-09-09T09:09:09Z"));
    const second = await traceInProcess(dir, TRACE, PROBE, ["."]);

    expect(second).toEqual(first);
  });

  it("shows the start date, the guest's ids and a stable inode view", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-det-view-"));
    dirs.push(dir);
    makeInputs(dir, new Date("2021-03-04T05:06:07Z"));
    const { stdout, status } = await traceInProcess(dir, ["--deterministic"], PROBE, ["."]);
    expect(status).toBe(0);
    expect(stdout).toContain(`time ${DEFAULT_DATE}\n`);
    expect(stdout).toMatch(/^monotonic 1\.0000\d+$/m);
    // The sleep of 2.5 s took 2.5 s of virtual time, plus the few instructions around it.
    expect(stdout).toMatch(/^slept 2\.500000000 s: the monotonic clock moved 25000000\d\d ns$/m);
    expect(stdout).toContain("uid 1000 gid 1000 groups 1 first 1000 pid 1000 ppid 1\n");
    const a = statOf(stdout, "a.txt");
    // A file the guest has not changed shows the start date, not its host times.
    expect(a).toContain(`atime=${DEFAULT_DATE}.000000000 mtime=${DEFAULT_DATE}.000000000 ctime=${DEFAULT_DATE}.000000000`);
    expect(a).toContain("uid=1000 gid=1000 size=6 blocks=8 blksize=4096");
    // Hard links are one file.
    expect(statOf(stdout, "hard.txt")).toBe(a);
    expect(statOf(stdout, "sub")).toContain("mode=40755 nlink=1");
    // The directory's d_ino and st_ino agree.
    const entry = stdout.split("\n").find((l) => l.startsWith("entry a.txt "))!;
    expect(a).toContain(`ino=${/d_ino=(\d+)/.exec(entry)![1]} `);
    // The file the guest wrote a second after creating it: times from the virtual clock.
    const created = /^created .* mtime=(\d+)\.(\d+) /m.exec(stdout)!;
    const written = /^written .* mtime=(\d+)\.(\d+) /m.exec(stdout)!;
    expect(Number(written[1]) - Number(created[1])).toBe(1);
    expect(stdout).toMatch(/^utimensat .* atime=1000000000\.000000005 mtime=1100000000\.000000007 /m);
    expect(stdout).toContain("statfs type=ef53 bsize=4096 ");
  });
});
