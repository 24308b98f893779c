// Live check of the st-net guest's expectations against the real strace: its source is built for
// the host (gcc -static) and run under `strace -a0 -o LOG` with the same trace set that
// trace.test.ts gives rvtrace; the log must end with the lines the guest printed. So the socket,
// control-message and xattr lines rvtrace is held to are what strace prints for the same calls.
// Run with `npm run test:live`; it fails without gcc (with static glibc) and strace on the host.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";

const SRC = path.resolve(__dirname, "../../guests/src");
const SET = "socketpair,sendmsg,recvmsg,getsockopt,setsockopt,getsockname,getpeername,shutdown,sendto,recvfrom,socket,connect,getxattr,listxattr,removexattr";

it("st-net's expectations are what strace prints on the host", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-net-live-"));
  try {
    execFileSync("gcc", ["-static", "-O2", "-o", path.join(dir, "st-net"), path.join(SRC, "st-net.c")], { stdio: "pipe" });
    const r = spawnSync("strace", ["-a0", "-o", "log", "-e", `trace=${SET}`, "./st-net"], {
      cwd: dir, input: "", encoding: "utf8", timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const want = r.stdout.split("\n");
    expect(want.length).toBeGreaterThan(10);
    const lines = readFileSync(path.join(dir, "log"), "utf8").split("\n");
    expect(lines.slice(lines.length - want.length).join("\n")).toBe(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
