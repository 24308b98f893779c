// The limits on the command line (src/cli/sandbox-options.ts rows, src/kernel/limits.ts): each limit
// that ends a run says which in one line on stderr and gives its own documented exit status
// (128 + the signal: 152 SIGXCPU, 137 SIGKILL, 142 SIGALRM, 153 SIGXFSZ); a run within its limits
// prints nothing of rvtrace's; bad values are one line and status 2; `trace` takes them too.
import { describe, expect, it, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ensureBuilt } from "../build.js";

const root = path.resolve(__dirname, "../..");
const guests = path.join(root, "guests");
const cli = path.join(root, "bin", "rvtrace.js");

function rvtrace(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: guests, input: "", encoding: "latin1", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(ensureBuilt, 120_000);

describe("each limit that ends a run: one line, its own status", () => {
  it("--max-insns: SIGXCPU, 152", () => {
    const r = rvtrace(["run", "--max-insns", "100000", "bin/limits", "spin"]);
    expect(r.status).toBe(152);
    expect(r.stderr).toBe("rvtrace: instruction limit (100000) reached: guest killed with SIGXCPU\n");
    const ok = rvtrace(["run", "--max-insns", "100000000", "bin/limits", "pipes", "2"]);
    expect([ok.status, ok.stderr]).toEqual([0, ""]);
  });

  it("--memory-limit: SIGKILL for the process that wrote past it, 137; suffixes K, M, G", () => {
    const r = rvtrace(["run", "--memory-limit", "12M", "bin/limits", "oom", "7"]);
    expect(r.status).toBe(137);
    expect(r.stdout).toBe("mapped 7 MiB twice\n");
    expect(r.stderr).toBe("rvtrace: memory limit (12582912 bytes) reached: process 1000 killed with SIGKILL\n");
    const ok = rvtrace(["run", "--memory-limit", `${24 * 1024}K`, "bin/limits", "oom", "7"]);
    expect([ok.status, ok.stdout, ok.stderr]).toEqual([0, "mapped 7 MiB twice\nwrote both\n", ""]);
    expect(rvtrace(["run", "--memory-limit", "1G", "bin/limits", "oom", "7"]).status).toBe(0);
  });

  it("--memory-limit too small for the program itself: 126, as for a program that cannot run", () => {
    const r = rvtrace(["run", "--memory-limit", "64K", "bin/hello"]);
    expect(r.status).toBe(126);
    expect(r.stderr).toBe("rvtrace: bin/hello: does not fit in the memory limit (65536 bytes)\n");
    expect(r.stdout).toBe("");
  });

  it("--timeout: SIGALRM, 142, for a guest that spins forever", () => {
    const r = rvtrace(["run", "--timeout", "1", "bin/limits", "spin"]);
    expect(r.status).toBe(142);
    expect(r.stderr).toBe("rvtrace: time limit (1 s) reached: guest killed with SIGALRM\n");
    const ok = rvtrace(["run", "--timeout", "600", "bin/hello"]);
    expect([ok.status, ok.stderr]).toEqual([0, ""]);
  });

  it("--max-output: SIGXFSZ, 153, after exactly the limit went out", () => {
    const r = rvtrace(["run", "--max-output", "3K", "bin/limits", "output", "10000"]);
    expect(r.status).toBe(153);
    expect(r.stdout).toBe("x".repeat(3072));
    expect(r.stderr).toBe("rvtrace: output limit (3072 bytes) reached: guest killed with SIGXFSZ\n");
    const ok = rvtrace(["run", "--max-output", "10005", "bin/limits", "output", "10000"]);
    expect([ok.status, ok.stdout.length, ok.stderr]).toEqual([0, 10000, "done\n"]);
  });

  it("--max-procs and --max-fds end nothing: the guest sees EAGAIN and EMFILE", () => {
    expect(rvtrace(["run", "--max-procs", "3", "bin/limits", "procs", "5"]).stdout).toBe("children: 2, then EAGAIN\n");
    const fds = rvtrace(["run", "--max-fds", "64", "bin/limits", "fds"]);
    expect(fds.status).toBe(0);
    expect(fds.stdout).toContain("RLIMIT_NOFILE: soft 64 hard 64\n");
    expect(fds.stdout).toContain("opened 61, then EMFILE\n");
  });

  it("--rlimit sets a limit as prlimit does: both from one value, or SOFT:HARD; repeatable", () => {
    const both = rvtrace(["run", "--rlimit", "nofile=80", "bin/limits", "fds"]);
    expect(both.stdout).toContain("RLIMIT_NOFILE: soft 80 hard 80\n");
    expect(both.stdout).toContain("opened 77, then EMFILE\n");
    const pair = rvtrace(["run", "--rlimit", "RLIMIT_NPROC=3:10", "--rlimit", "NOFILE=40:50", "bin/limits", "fds"]);
    expect(pair.stdout).toContain("RLIMIT_NOFILE: soft 40 hard 50\n");
    expect(pair.stdout).toContain("opened 47, then EMFILE\n");
  });
});

describe("option values", () => {
  it.each([
    [["--memory-limit", "12X"], /--memory-limit/],
    [["--memory-limit", "0"], /--memory-limit/],
    [["--max-output", "-1"], /--max-output/],
    [["--timeout", "soon"], /--timeout/],
    [["--timeout", "0"], /--timeout/],
    [["--max-procs", "0"], /--max-procs/],
    [["--max-fds", "1.5"], /--max-fds/],
    [["--rlimit", "NOFILE"], /--rlimit expects NAME=SOFT\[:HARD\]/],
    [["--rlimit", "FILES=10"], /NAME is one of CPU, FSIZE/],
    [["--rlimit", "NOFILE=20:10"], /SOFT may not exceed HARD/],
    [["--rlimit", "NOFILE=-1"], /--rlimit/],
  ])("%j is refused in one line with status 2", (opts, pattern) => {
    const r = rvtrace(["run", ...opts, "bin/hello"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^rvtrace: [^\n]*\n$/);
    expect(r.stderr).toMatch(pattern);
  });

  it("are listed by --help with the statuses", () => {
    const help = rvtrace(["run", "--help"]).stdout.replace(/\s+/g, " ");
    for (const [option, status] of [["--max-insns", "152"], ["--memory-limit", "137"], ["--timeout", "142"], ["--max-output", "153"]]) {
      expect(help).toContain(option);
      expect(help).toMatch(new RegExp(`${option} <[A-Z]+> [^-]*status ${status}`));
    }
    expect(help).toContain("--max-procs <N>");
    expect(help).toContain("--max-fds <N>");
  });

  it("work under trace too, in strace's --option=value spelling", () => {
    const r = rvtrace(["trace", "-e", "trace=none", "--memory-limit=4M", "bin/limits", "mmap", "8"]);
    expect(r.stdout).toBe("mmap 8 MiB: ENOMEM\n");
    expect(r.status).toBe(0);
  });

  it("--stats reports the host work charged and, under a limit, the memory peak", () => {
    const r = rvtrace(["run", "--stats", "--memory-limit", "64M", "bin/limits", "mmap", "8"]);
    const m = /^rvtrace: \d+ instructions in [\d.]+ s \([\d.]+ M\/s\), host work (\d+), memory peak (\d+) bytes\n$/.exec(r.stderr);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(Number(m![2])).toBeGreaterThanOrEqual(8 * 1024 * 1024);
  });
});
