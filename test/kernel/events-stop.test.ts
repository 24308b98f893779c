// A stop and SIGCONT during a blocked wait, with no handler (guests/src/events-stop.c): Linux ends
// epoll_wait with EINTR (it never restarts), with or without a timeout, and restarts a ppoll
// (ERESTARTNOHAND). On the host the outcome depends on the parent being blocked when its child
// stops it, so this runs under --deterministic, where the child's 2 ms sleep is virtual and the
// parent always blocks first; the expected lines are what Linux prints for that order.
import { beforeAll, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ensureBuilt } from "../build.js";

const root = path.resolve(__dirname, "../..");

beforeAll(ensureBuilt, 120_000);

it("epoll_wait returns EINTR after a stop; ppoll is restarted", () => {
  const r = spawnSync(process.execPath, [path.join(root, "bin", "rvtrace.js"), "run", "--deterministic", "bin/events-stop"], {
    cwd: path.join(root, "guests"), input: "", encoding: "utf8", timeout: 60_000,
  });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout).toBe([
    "epoll_wait for ever, stopped and continued: -1 Interrupted system call",
    "epoll_wait 10 s, stopped and continued: -1 Interrupted system call",
    "ppoll for ever, stopped and continued, then written to: 1",
    "",
  ].join("\n"));
});
