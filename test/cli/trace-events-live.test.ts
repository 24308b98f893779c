// Live check of st-events' expectations against the real strace: the source is built for the host
// (gcc -static) and run under the host's `strace -a0 -o LOG`; the log must end with the lines the
// program prints, as test/cli/trace.test.ts requires of rvtrace's trace of the riscv64 build. So
// the decoders of epoll_*, eventfd2, timerfd_* and signalfd4 are held to what strace prints for the
// same calls on the host kernel. Run with `npm run test:live`; it needs gcc (static glibc) and strace.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";

const SRC = path.resolve(__dirname, "../../guests/src");
const TRACE = "epoll_create1,epoll_ctl,epoll_pwait,epoll_pwait2,eventfd2,timerfd_create,timerfd_settime,timerfd_gettime,signalfd4,read";

it("st-events: the host's strace prints the lines the program expects", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-events-live-"));
  try {
    execFileSync("gcc", ["-static", "-O2", "-I", SRC, "-o", path.join(dir, "st-events"), path.join(SRC, "st-events.c")], { stdio: "pipe" });
    const r = spawnSync("strace", ["-a0", "-o", "log", "-e", `trace=${TRACE}`, "./st-events"], {
      cwd: dir, input: "", encoding: "utf8", timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const want = r.stdout.split("\n");
    expect(want.length).toBeGreaterThan(20);
    const lines = readFileSync(path.join(dir, "log"), "utf8").split("\n");
    expect(lines.slice(lines.length - want.length).join("\n")).toBe(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
