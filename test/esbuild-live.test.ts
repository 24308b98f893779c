// Go under rvtrace: esbuild's riscv64 build (npm's @esbuild/linux-riscv64, a static Go binary:
// threads made with clone(CLONE_THREAD), futexes, signal stacks, SIGURG preemption by tgkill, mmap
// hints above 4 GiB that rvtrace cannot honour) prints the same stdout, stderr and exit status as
// under qemu-riscv64. These cases read stdin and write stdout, which Go does without its netpoller;
// bundling files needs epoll (test/esbuild-bundle-live.pending.ts, to be renamed when epoll lands).
// Needs `sh tools/fetch-esbuild.sh` first (.ci/run does it) and qemu-riscv64; runs with
// `npm run test:live`.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "./build.js";

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(ROOT, "bin", "rvtrace.js");
const ESBUILD = path.join(ROOT, "guests", "esbuild", "esbuild");

interface Outcome {
  stdout: string;
  stderr: string;
  status: number | null;
}

function outcome(cmd: string, args: string[], input: string): Outcome {
  const r = spawnSync(cmd, args, { cwd: ROOT, input, encoding: "utf8", timeout: 120_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C" } });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const underRvtrace = (args: string[], input = "") => outcome(process.execPath, [CLI, "run", ESBUILD, ...args], input);
const underQemu = (args: string[], input = "") => outcome("qemu-riscv64", [ESBUILD, ...args], input);

const TS = "const greet = (name: string): string => `hello, ${name}!`;\nexport default greet;\n";

beforeAll(ensureBuilt, 120_000);

describe("esbuild (Go) under rvtrace matches qemu-riscv64", () => {
  it("has esbuild fetched", () => {
    expect(existsSync(ESBUILD), "run sh tools/fetch-esbuild.sh").toBe(true);
    expect(readFileSync(path.join(path.dirname(ESBUILD), "VERSION"), "utf8")).toMatch(/^@esbuild\/linux-riscv64 \d+\.\d+\.\d+\n$/);
  });

  it("--version", () => {
    const r = underRvtrace(["--version"]);
    expect(r).toEqual(underQemu(["--version"]));
    expect(r.stdout).toBe(readFileSync(path.join(path.dirname(ESBUILD), "VERSION"), "utf8").split(" ")[1]);
  });

  const cases: [name: string, args: string[], input: string][] = [
    ["TypeScript on stdin to CommonJS", ["--loader=ts", "--format=cjs"], TS],
    ["minified ESM", ["--loader=ts", "--minify"], TS],
    ["a syntax error: the message and status 1", ["--loader=js"], "let x = ;\n"],
  ];
  it("twice under --verify: a Go program's threads and preemption signals run the same way each time", () => {
    const args = ["--loader=ts", "--format=cjs"];
    const r = outcome(process.execPath, [CLI, "run", "--verify", ESBUILD, ...args], TS);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(underQemu(args, TS).stdout);
    expect(r.stderr).toMatch(/^rvtrace: --verify: both runs agree \(exit status 0, \d+ syscalls, \d+ instructions\)\n$/);
  });

  for (const [name, args, input] of cases) {
    it(name, () => {
      const r = underRvtrace(args, input);
      expect(r).toEqual(underQemu(args, input));
      // Not two failures that agree: each case says what it must give.
      expect(r.status).toBe(name.includes("status 1") ? 1 : 0);
    });
  }
});
