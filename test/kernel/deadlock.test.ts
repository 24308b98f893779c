// The kernel's side of deadlocks (src/kernel/deadlock.ts), without the CLI: off by default (an
// embedding program may still signal or resume tasks), and with endDeadlocks the lines go to the
// diagnostics, in the kernel's own raw form when no describeCall is given, Kernel.deadlock keeps
// them, and every process is killed with SIGKILL. Guest: deadlock (guests/src/deadlock.c).
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { Kernel } from "../../src/index.js";
import { Sink } from "../utrace/helpers-b.js";

const GUESTS = path.resolve(__dirname, "../../guests");
const KILLED = { exitCode: null, signal: 9, coreDumped: false };

function spawn(k: Kernel, mode: string) {
  const out = new Sink();
  const p = k.spawn("bin/deadlock", ["deadlock", mode], { env: {}, stdout: out, stderr: new Sink(), stdin: new PassThrough().end() });
  return { p, out };
}

describe("endDeadlocks", () => {
  it("reports each task's call with its raw arguments, and kills every process", async () => {
    const diag = new Sink();
    const k = new Kernel({ cwd: GUESTS, diagnostics: diag, endDeadlocks: true });
    const { p, out } = spawn(k, "wait-child");
    expect(await p.wait()).toEqual(KILLED);
    // The guest's own lines give the addresses: "expect 0 blocked in wait4(1001, 0x…, 0, NULL)".
    const status = /expect 0 blocked in wait4\(1001, (0x[0-9a-f]+), 0, NULL\)/.exec(out.text)![1];
    const lines = [
      `rvtrace: deadlock: pid 1000 tid 1000 blocked in wait4(0x3e9, ${status}, 0, 0, 0, 0)`,
      // ppoll(NULL, 0, NULL, NULL, 0): a5 is what the guest's register held; any value is shown raw.
      expect.stringMatching(/^rvtrace: deadlock: pid 1001 tid 1001 blocked in ppoll\(0, 0, 0, 0, 0, (\d|0x[0-9a-f]+)\)$/),
    ];
    expect(k.deadlock).toEqual(lines);
    expect(diag.text.split("\n").slice(0, -1)).toEqual(lines);
    expect([...k.processes.values()].every((q) => !q.alive)).toBe(true);
  });

  it("is off by default: the kernel waits, and a signal from its user still ends the wait", async () => {
    const diag = new Sink();
    const k = new Kernel({ cwd: GUESTS, diagnostics: diag });
    const { p, out } = spawn(k, "pause");
    // Turns of the event loop, not time: the guest is blocked long before they are done.
    for (let i = 0; i < 50 && !out.text.includes("expect"); i++) await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(k.deadlock).toBeNull();
    expect(p.leader.state).toBe("blocked");
    p.kill(15);
    expect(await p.wait()).toEqual({ exitCode: null, signal: 15, coreDumped: false });
    expect(diag.text).toBe("");
  });
});
