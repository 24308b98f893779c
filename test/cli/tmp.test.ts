// The guest's /tmp from the command line: the private in-memory one by default (over a sysroot's
// /tmp too), a host directory with --tmp DIR, and a --mount at /tmp winning over both. The tmpfs
// guest (guests/src/tmpfs.c) works in the directory given and prints /tmp's mode first.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuilt } from "../build.js";

const root = path.resolve(__dirname, "../..");
const guests = path.join(root, "guests");
const cli = path.join(root, "bin", "rvtrace.js");
const golden = readFileSync(path.join(guests, "expected", "tmpfs.stdout"), "utf8");
let scratch: string;

function rvtrace(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: guests, input: "", encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The golden's lines after the three that name the directory worked in and its file system. */
function body(out: string): string {
  return out.split("\n").slice(3).join("\n");
}

beforeAll(ensureBuilt, 120_000);
beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "rvtrace-tmp-opt-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the guest's /tmp", () => {
  it("is in memory by default: a tmpfs of mode 1777 that behaves as the host's /dev/shm", () => {
    const r = rvtrace(["run", "bin/tmpfs", "/tmp"]);
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n").slice(0, 3)).toEqual(["/tmp: mode 41777", "/tmp: mode 41777", "/tmp: f_type 0x1021994"]);
    expect(body(r.stdout)).toBe(body(golden));
  });

  it("is a host directory with --tmp DIR, where the guest's files go", () => {
    const dir = path.join(scratch, "tmp-opt");
    mkdirSync(dir);
    chmodSync(dir, 0o750);
    const r = rvtrace(["run", "--tmp", dir, "bin/tmpfs", "/tmp"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("/tmp: mode 40750");
    // The host's file system: sizes and holes are the host's (so not compared with the golden).
    expect(r.stdout).toContain("mkstemp read back: spill\n");
    // The guest removed all it made there.
    expect(readdirSync(dir)).toEqual([]);
  });

  it("is what a --mount at /tmp shows, over --tmp and over the in-memory one", () => {
    const mounted = path.join(scratch, "mounted");
    const other = path.join(scratch, "other");
    mkdirSync(mounted);
    mkdirSync(other);
    chmodSync(mounted, 0o710);
    for (const extra of [[], ["--tmp", other]]) {
      const r = rvtrace(["run", ...extra, "--mount", `${mounted}:/tmp`, "bin/tmpfs", "/tmp"]);
      expect(r.stdout.split("\n")[0]).toBe("/tmp: mode 40710");
    }
  });

  it("covers a sysroot's own /tmp", () => {
    const sysroot = path.join(scratch, "sysroot");
    mkdirSync(path.join(sysroot, "tmp"), { recursive: true });
    chmodSync(path.join(sysroot, "tmp"), 0o755);
    writeFileSync(path.join(sysroot, "tmp", "stale"), "");
    const r = rvtrace(["run", "--sysroot", sysroot, "bin/tmpfs", "/tmp"]);
    expect(r.stdout.split("\n")[0]).toBe("/tmp: mode 41777");
    expect(body(r.stdout)).toBe(body(golden));
  });

  it("refuses a --tmp that is not a directory, in one line", () => {
    const r = rvtrace(["run", "--tmp", path.join(scratch, "nowhere"), "bin/hello"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^rvtrace: --tmp: .*nowhere: no such file or directory\n$/);
  });
});
