// The F and D extensions (src/cpu/fpu.ts, src/cpu/fpu/*.ts) checked by guest programs against their
// qemu-riscv64 recordings, on the in-process kernel (this source tree, so the mutation group `fpu`
// reaches them; test/guests.test.ts runs the same cases through the bundled CLI). Between them the
// guests cover special values (NaNs, signed zeros, infinities, subnormals, NaN boxing, fclass),
// conversions at the integer limits, every rounding mode with its fflags, libm and printf of
// doubles.
import { describe, expect, it } from "vitest";
import { Kernel } from "../../src/index.js";
// @ts-ignore -- plain ES module without type declarations
import { caseEnv, loadCases, readExpected } from "../../tools/record-goldens.mjs";
import { GUESTS, Sink } from "../utrace/helpers-b.js";

interface GuestCase {
  name: string;
  program: string;
  args: string[];
  env?: Record<string, string>;
}

const FP_CASES = ["fp-special", "fp-convert", "fp-round", "math", "printf-float"];

describe("floating-point guests on the in-process kernel match their qemu recordings", () => {
  const cases = (loadCases() as GuestCase[]).filter((c) => FP_CASES.includes(c.name));

  it("finds every case it names", () => {
    expect(cases.map((c) => c.name).sort()).toEqual([...FP_CASES].sort());
  });

  for (const name of FP_CASES) {
    it(name, async () => {
      const c = cases.find((x) => x.name === name)!;
      const out = new Sink();
      const err = new Sink();
      // A bound on instructions: a mutant that makes a loop endless ends in SIGXCPU, not a hang.
      const k = new Kernel({ cwd: GUESTS, maxInsns: 50_000_000 });
      const p = k.spawn(c.program, [c.program, ...c.args], { env: caseEnv(c), stdout: out, stderr: err });
      const st = await p.wait();
      const want = readExpected(name);
      expect({ status: st.signal !== null ? 128 + st.signal : st.exitCode, stdout: out.text, stderr: err.text }).toEqual({
        status: want.status,
        stdout: want.stdout.toString("utf8"),
        stderr: want.stderr.toString("utf8"),
      });
    });
  }
});
