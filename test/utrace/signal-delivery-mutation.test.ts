// Signal delivery (src/kernel/signal-delivery.ts) checked against its references: the guest programs
// about signals, run on the in-process Kernel (this source tree, not the bundled CLI that
// test/guests.test.ts runs, so mutants of src/ reach them), must print and end exactly as recorded
// in guests/expected/.
// Those guests cover handlers and their masks, SA_NODEFER / SA_RESETHAND, the order pending
// signals are dequeued in, fault signals, default actions (terminate, core), alarm, and a wait
// interrupted by a handler.
import { describe, expect, it } from "vitest";
import { Kernel } from "../../src/index.js";
// @ts-ignore -- plain ES module without type declarations
import { loadCases, readExpected } from "../../tools/record-goldens.mjs";
import { GUESTS, Sink } from "./helpers-b.js";

interface GuestCase {
  name: string;
  program: string;
  args: string[];
  env?: Record<string, string>;
}

const SIGNAL_CASES = [
  "signals", "sigmask-nest", "sigmask-pending-order", "setjmp", "alarm", "restart-timedwait",
  "exit-abort", "exit-segv", "exit-sigill", "exit-sigtrap",
  // Between processes and threads: group stops and SIGCONT, SIGCHLD's siginfo with and without
  // SA_NOCLDSTOP, orphaned process groups, kill to groups, SA_NOCLDWAIT and SIG_IGN reaping,
  // signals aimed at threads, SIGPIPE in a pipeline (goldens from qemu or, where qemu-user is
  // wrong, from the host kernel).
  "job-control", "waitid-more", "thread-exit", "pipeline",
  // What happens between sending and delivery (guests/src/sig-edges.c): dequeue order with fault
  // signals first, ignored signals dropped unless blocked, standard signals pending once and
  // real-time ones queued, SIGCONT and stop signals dropping each other, forced fault signals,
  // orphaned process groups.
  "sig-edges",
];
// Death by these signals dumps core (their default action is "core"); a shell's status cannot show it.
const CORE_CASES: Record<string, boolean> = { "exit-abort": true, "exit-segv": true, "exit-sigill": true, "exit-sigtrap": true };

/** Runs guests/bin/PROG on a new in-process kernel; resolves to its output and exit status. */
async function runGuest(program: string, args: string[], env: Record<string, string> = {}) {
  const out = new Sink();
  const err = new Sink();
  const k = new Kernel({ cwd: GUESTS, maxInsns: 200_000_000 });
  const p = k.spawn(program, [program, ...args], { env, stdout: out, stderr: err });
  const st = await p.wait();
  return { st, stdout: out.text, stderr: err.text };
}

describe("job control and signals between processes (guests/src/utp-procs.c)", () => {
  it("a child that stops itself: the parent's WUNTRACED wait sees the stop, SIGCONT lets it finish", async () => {
    const r = await runGuest("bin/utp-procs", ["stop"]);
    expect(r.stdout).toBe("stopped: 1 by Stopped (signal)\nexited: 5\n");
    expect(r.st).toEqual({ exitCode: 0, signal: null, coreDumped: false });
  });

  it("a child writing to a pipe nobody reads dies of SIGPIPE's default action", async () => {
    const r = await runGuest("bin/utp-procs", ["sigpipe"]);
    expect(r.stdout).toBe("child killed by Broken pipe\n");
  });

  it("a thread's exit(3) ends the whole process, the thread in pause() too", async () => {
    const r = await runGuest("bin/utp-procs", ["group-exit"]);
    expect(r.st).toEqual({ exitCode: 3, signal: null, coreDumped: false });
  });
});

describe("signal guests on the in-process kernel match their recordings", () => {
  const cases = (loadCases() as GuestCase[]).filter((c) => SIGNAL_CASES.includes(c.name));

  it("finds every case it names", () => {
    expect(cases.map((c) => c.name).sort()).toEqual([...SIGNAL_CASES].sort());
  });

  for (const name of SIGNAL_CASES) {
    it(name, async () => {
      const c = cases.find((x) => x.name === name)!;
      const { st, stdout, stderr } = await runGuest(c.program, c.args, c.env);
      const want = readExpected(name);
      const status = st.signal !== null ? 128 + st.signal : st.exitCode;
      expect({ status, stdout, stderr }).toEqual({
        status: want.status,
        stdout: want.stdout.toString("utf8"),
        stderr: want.stderr.toString("utf8"),
      });
      expect(st.coreDumped).toBe(CORE_CASES[name] ?? false);
    });
  }
});
