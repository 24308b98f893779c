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
