// Live check of the st-follow* guests' expectations against the real strace: each source is built
// for the host (gcc -static, so no dynamic loader adds lines) and run under the host's
// `strace -ff -a0 -o LOG`; every task's file must hold what the guest says it should (the same
// check trace-follow.test.ts makes of rvtrace). So what rvtrace is held to is what strace prints.
// Run with `npm run test:live`; it fails without gcc (with static glibc) and strace on the host.
//
// The trace sets add vfork here: x86-64 has that syscall, where glibc on riscv64 uses clone.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkTask, parseBlocks } from "./trace-follow-expect.js";

const SRC = path.resolve(__dirname, "../../guests/src");

const GUESTS: [name: string, trace: string, status: number][] = [
  ["st-follow-fork", "execve,pipe2,clone,clone3,close,read,write,wait4,waitid,exit_group", 0],
  ["st-follow-vfork", "execve,clone,vfork,wait4,waitid,exit_group", 0],
  ["st-follow-thread", "execve,clone,clone3,read,write,exit,exit_group", 3],
  ["st-follow-signals", "execve,clone,kill,wait4,waitid,exit_group", 0],
  ["st-follow-exec", "execve,clone,clone3,exit_group", 6],
  ["st-follow-orphan", "execve,clone,write,exit_group", 2],
];

describe("the st-follow* expectations are what strace -ff prints on the host", () => {
  it.each(GUESTS)("%s", (name, set, status) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-follow-live-"));
    try {
      execFileSync("gcc", ["-static", "-O2", "-o", path.join(dir, name), path.join(SRC, `${name}.c`), "-lpthread"], { stdio: "pipe" });
      // The host's ptrace has its own races (a group stop's SIGCHLD to the real parent has been seen
      // with si_status=0 under strace -ff, once in many runs): the expectations must match one host
      // run of up to three, each judged whole.
      let errors: string[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        for (const f of readdirSync(dir)) if (f.startsWith("log.")) rmSync(path.join(dir, f));
        const r = spawnSync("strace", ["-ff", "-a0", "-o", "log", "-e", `trace=${set}`, `./${name}`], {
          cwd: dir, input: "", encoding: "utf8", timeout: 60_000,
        });
        expect(r.status, r.stderr).toBe(status);
        const want = parseBlocks(r.stdout);
        errors = [];
        const seen = new Set<number>();
        for (const f of readdirSync(dir)) {
          const m = /^log\.(\d+)$/.exec(f);
          if (!m) continue;
          const tid = Number(m[1]);
          seen.add(tid);
          const exp = want.get(tid);
          if (!exp) {
            errors.push(`${tid}: a task the guest does not know`);
            continue;
          }
          const lines = readFileSync(path.join(dir, f), "utf8").split("\n").filter((l) => l !== "");
          for (const e of checkTask(lines, exp)) errors.push(`${tid}: ${e}`);
        }
        for (const t of want.keys()) if (!seen.has(t)) errors.push(`${t}: no log of a task the guest reported`);
        if (errors.length === 0) break;
      }
      expect(errors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
