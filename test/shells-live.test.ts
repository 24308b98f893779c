// And system() and popen() (guests/src/system-popen.c), which need a /bin/sh: riscv64 busybox
// mounted there under rvtrace, against the same source built for the host with its own /bin/sh.
//
// Debian's riscv64 bash-static and busybox-static under rvtrace run the shell scripts of
// guests/data/shell/ (pipelines, $(…), subshells, background jobs and wait, traps, here-documents,
// functions, external programs) with the same stdout and exit status as the host's own bash and
// `busybox sh` running the same script live. External programs are busybox applets: a directory of
// links to the riscv64 busybox is the guest's PATH (the host's runs use the host's /usr/bin:/bin).
// Needs `sh tools/fetch-shells.sh` first (.ci/run does it), the host's bash and busybox, and runs
// with `npm run test:live`.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, SHELLS, makeApplets, type Applets } from "./shell-applets.js";

const SCRIPTS = path.join(ROOT, "guests", "data", "shell");
const CLI = path.join(ROOT, "bin", "rvtrace.js");

let applets: Applets;

beforeAll(() => {
  applets = makeApplets();
});
afterAll(() => applets.dispose());

interface Outcome {
  stdout: string;
  status: number | null;
}

function run(cmd: string, args: string[], env: Record<string, string>): Outcome {
  const r = spawnSync(cmd, args, { cwd: SCRIPTS, env, input: "", encoding: "latin1", timeout: 120_000 });
  return { stdout: r.stdout, status: r.status };
}

/** The script under the riscv64 shell, in rvtrace. */
function underRvtrace(shell: string[], script: string): Outcome {
  return run(process.execPath, [
    CLI, "run", "--clear-env", "--env", `PATH=${applets.bin}`, "--env", "LANG=C", ...applets.mounts, ...shell, script,
  ], { PATH: process.env.PATH ?? "/usr/bin:/bin" });
}

/** The same script under the host's own shell. */
function onHost(shell: string[], script: string): Outcome {
  return run(shell[0], [...shell.slice(1), script], { PATH: "/usr/bin:/bin", LANG: "C" });
}

const scripts = readdirSync(SCRIPTS).filter((f) => f.endsWith(".sh")).sort();

describe("shell scripts under riscv64 bash and busybox in rvtrace match the host's shells", () => {
  it("has the shells fetched and the scripts to run", () => {
    expect(existsSync(path.join(SHELLS, "bash")), "run sh tools/fetch-shells.sh").toBe(true);
    expect(existsSync(path.join(SHELLS, "busybox")), "run sh tools/fetch-shells.sh").toBe(true);
    expect(scripts.length).toBeGreaterThanOrEqual(5);
  });

  for (const script of scripts) {
    it(`bash: ${script}`, () => {
      const host = onHost(["bash"], script);
      expect(host.status, "the host's bash ran the script").not.toBeNull();
      expect(underRvtrace([path.join(SHELLS, "bash")], script)).toEqual(host);
    });
    it(`busybox sh: ${script}`, () => {
      const host = onHost(["busybox", "sh"], script);
      expect(host.status, "the host's busybox ran the script").not.toBeNull();
      expect(underRvtrace([path.join(SHELLS, "busybox"), "sh"], script)).toEqual(host);
    });
  }
});

/** A `-c` command under the riscv64 shell in rvtrace (extra: rvtrace options). */
function cUnderRvtrace(shell: string[], cmd: string, extra: string[] = []): Outcome {
  return run(process.execPath, [
    CLI, "run", "--clear-env", "--env", `PATH=${applets.bin}`, "--env", "LANG=C", ...applets.mounts, ...extra, ...shell, "-c", cmd,
  ], { PATH: process.env.PATH ?? "/usr/bin:/bin" });
}

/** The same command under the host's shell (whose /tmp is the host's). */
function cOnHost(shell: string[], cmd: string): Outcome {
  return run(shell[0], [...shell.slice(1), "-c", cmd], { PATH: "/usr/bin:/bin", LANG: "C" });
}

// The private in-memory /tmp (src/kernel/vfs/memfs.ts) as shells use it: here-documents (bash puts
// one larger than a pipe's buffer in a file in /tmp; busybox sh feeds them through a pipe), sort's
// -T directory (busybox sort keeps everything in memory and ignores it; the host's sort may spill
// there), mktemp and the file utilities in /tmp. Each against the host's shell, whose /tmp is the
// host's own.
const TMP_CASES: [string, string][] = [
  ["a here-document", "x=world; cat <<EOF\nhello $x\n$(echo from a subshell)\nEOF\ncat <<'EOF'\nquoted $x\nEOF"],
  ["a here-document larger than a pipe", "big=$(printf '%0100000d' 7)\ncat <<EOF | wc -c\n$big\n$big\nEOF"],
  ["sort -T /tmp of more than its buffer", "seq 1 10000 | sort -r -T /tmp | md5sum; seq 1 10000 | sort -n -r -T /tmp | head -n 3"],
  [
    "mktemp, mkdir, ln, mv and rm in /tmp",
    "f=$(mktemp) && echo data > \"$f\" && cat \"$f\" && rm \"$f\" && test ! -e \"$f\" && d=$(mktemp -d) && " +
      "mkdir -p \"$d/x/y\" && ln -s x \"$d/l\" && echo in-y > \"$d/l/y/f\" && ls \"$d\" && mv \"$d/x\" \"$d/z\" && " +
      "cat \"$d/z/y/f\" && ln \"$d/z/y/f\" \"$d/hard\" && ls \"$d\" && rm -r \"$d\" && test ! -e \"$d\" && echo done",
  ],
];

describe("the private /tmp under riscv64 bash and busybox matches the host's shells", () => {
  for (const [what, cmd] of TMP_CASES) {
    it(`bash: ${what}`, () => {
      const host = cOnHost(["bash"], cmd);
      expect(host.status, "the host's bash ran it").toBe(0);
      expect(cUnderRvtrace([path.join(SHELLS, "bash")], cmd)).toEqual(host);
    });
    it(`busybox sh: ${what}`, () => {
      const host = cOnHost(["busybox", "sh"], cmd);
      expect(host.status, "the host's busybox ran it").toBe(0);
      expect(cUnderRvtrace([path.join(SHELLS, "busybox"), "sh"], cmd)).toEqual(host);
    });
  }

  it("is a tmpfs of mode 1777, and bash's large here-document really went through it", () => {
    const bb = [path.join(SHELLS, "busybox"), "sh"];
    expect(cUnderRvtrace(bb, "stat -f -c %T /tmp; stat -c %a /tmp")).toEqual({ stdout: "tmpfs\n1777\n", status: 0 });
    // bash writes a here-document larger than a pipe's buffer to a file of its own in /tmp.
    const r = spawnSync(process.execPath, [
      CLI, "trace", "-f", "-e", "trace=openat", "--clear-env", "--env", `PATH=${applets.bin}`, ...applets.mounts,
      path.join(SHELLS, "bash"), "-c", TMP_CASES[1][1],
    ], { cwd: SCRIPTS, input: "", encoding: "latin1", timeout: 120_000 });
    expect(r.stdout).toBe("200002\n");
    expect(r.stderr).toMatch(/openat\(AT_FDCWD, "\/tmp\/sh-thd\.[^"]+", O_RDWR\|O_CREAT\|O_EXCL, 0600\) = \d+/);
  });
});

describe("system() and popen() with busybox as the guest's /bin/sh match the host build", () => {
  it("gives the same output and statuses", () => {
    const hostBin = path.join(applets.bin, "..", "system-popen");
    const cc = spawnSync("gcc", ["-O2", "-o", hostBin, path.join(ROOT, "guests", "src", "system-popen.c")], { encoding: "utf8" });
    expect(cc.status, cc.stderr).toBe(0);
    const guests = path.join(ROOT, "guests");
    const host = spawnSync(hostBin, [], { cwd: guests, env: { PATH: "/usr/bin:/bin", LANG: "C" }, encoding: "latin1" });
    const ours = spawnSync(process.execPath, [
      CLI, "run", "--clear-env", "--env", "PATH=/usr/bin:/bin", "--env", "LANG=C",
      "--mount", `${path.join(SHELLS, "busybox")}:/bin/sh:ro`, "bin/system-popen",
    ], { cwd: guests, encoding: "latin1" });
    expect(host.stdout).toContain("popen r line 3: three");
    expect({ stdout: ours.stdout, status: ours.status }).toEqual({ stdout: host.stdout, status: host.status });
  });
});
