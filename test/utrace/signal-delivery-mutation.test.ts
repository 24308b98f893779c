// Signal delivery (src/kernel/signal-delivery.ts) checked against qemu-riscv64: the guest programs
// about signals, run on the in-process Kernel (this source tree, not the bundled CLI that
// test/guests.test.ts runs), must print and end exactly as recorded from qemu in guests/expected/.
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
];
// Death by these signals dumps core (their default action is "core"); a shell's status cannot show it.
const CORE_CASES: Record<string, boolean> = { "exit-abort": true, "exit-segv": true, "exit-sigill": true, "exit-sigtrap": true };

describe("signal guests on the in-process kernel match the qemu-riscv64 recordings", () => {
  const cases = (loadCases() as GuestCase[]).filter((c) => SIGNAL_CASES.includes(c.name));

  it("finds every case it names", () => {
    expect(cases.map((c) => c.name).sort()).toEqual([...SIGNAL_CASES].sort());
  });

  for (const name of SIGNAL_CASES) {
    it(name, async () => {
      const c = cases.find((x) => x.name === name)!;
      const out = new Sink();
      const err = new Sink();
      const k = new Kernel({ cwd: GUESTS, maxInsns: 200_000_000 });
      const p = k.spawn(c.program, [c.program, ...c.args], { env: c.env ?? {}, stdout: out, stderr: err });
      const st = await p.wait();
      const want = readExpected(name);
      const status = st.signal !== null ? 128 + st.signal : st.exitCode;
      expect({ status, stdout: out.text, stderr: err.text }).toEqual({
        status: want.status,
        stdout: want.stdout.toString("utf8"),
        stderr: want.stderr.toString("utf8"),
      });
      expect(st.coreDumped).toBe(CORE_CASES[name] ?? false);
    });
  }
});
