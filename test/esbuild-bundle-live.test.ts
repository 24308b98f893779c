// Go opens every file through its netpoller (epoll_create1, eventfd2, epoll_ctl, which is EPERM for
// regular files and directories, and epoll_pwait): bundling is what exercises that path.
//
// esbuild's riscv64 build bundles a small project (two ESM files, one import) with `--bundle
// --format=esm`, to stdout and to an --outfile, with the same result as under qemu-riscv64.
// Needs `sh tools/fetch-esbuild.sh` first (.ci/run does it) and qemu-riscv64.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "./build.js";

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(ROOT, "bin", "rvtrace.js");
const ESBUILD = path.join(ROOT, "guests", "esbuild", "esbuild");

/** A fresh copy of the project: main.js imports greet.js, which has an export nobody uses. */
function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "rvtrace-esbuild-"));
  writeFileSync(path.join(dir, "main.js"), 'import { greet } from "./greet.js";\nconsole.log(greet("world"));\n');
  writeFileSync(path.join(dir, "greet.js"), "export function greet(name) {\n  return `hello, ${name}!`;\n}\nexport const unused = 42;\n");
  return dir;
}

function outcome(cwd: string, cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd, input: "", encoding: "utf8", timeout: 120_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C" } });
  // esbuild ends an --outfile build with "⚡ Done in 5ms": the time is the host's.
  return { stdout: r.stdout, stderr: r.stderr.replace(/Done in \d+ms/, "Done in Nms"), status: r.status };
}

const underRvtrace = (cwd: string, args: string[]) => outcome(cwd, process.execPath, [CLI, "run", ESBUILD, ...args]);
const underQemu = (cwd: string, args: string[]) => outcome(cwd, "qemu-riscv64", [ESBUILD, ...args]);

beforeAll(ensureBuilt, 120_000);

describe("esbuild bundles under rvtrace as under qemu-riscv64", () => {
  it("--bundle --format=esm to stdout", () => {
    const args = ["main.js", "--bundle", "--format=esm"];
    const r = underRvtrace(project(), args);
    expect(r).toEqual(underQemu(project(), args));
    expect(r.stdout).toContain('console.log(greet("world"));');
  });

  it("--bundle --format=esm --outfile", () => {
    const args = ["main.js", "--bundle", "--format=esm", "--outfile=out.js"];
    const mine = project();
    const theirs = project();
    const r = underRvtrace(mine, args);
    expect(r).toEqual(underQemu(theirs, args));
    expect(r.status).toBe(0);
    expect(readFileSync(path.join(mine, "out.js"), "latin1")).toBe(readFileSync(path.join(theirs, "out.js"), "latin1"));
  });
});
