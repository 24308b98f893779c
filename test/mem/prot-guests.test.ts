// The memory-protection guests (guests/src/prot-*.c) under each setting of the compiled tier,
// against the output recorded from qemu-riscv64. test/guests.test.ts runs every case with the
// default settings; here the same recordings must come out with the tier off (RVTRACE_NO_JIT:
// every access is the interpreter's) and with every block compiled before it first runs
// (RVTRACE_JIT_EAGER: every access is compiled code's, the "cold" cases included).
import { describe, expect, it } from "vitest";
import { loadCases, readExpected, runProcess, rvtraceArgs, caseStdin, GUESTS_DIR, type GuestCase } from "../../tools/record-goldens.mjs";

const OURS = /^prot-/;

const TIERS: Record<string, Record<string, string>> = {
  "interpreter only": { RVTRACE_NO_JIT: "1" },
  "compiled ahead of execution": { RVTRACE_JIT_EAGER: "1" },
};

for (const [tier, env] of Object.entries(TIERS)) {
  describe(`protection guests, ${tier}`, () => {
    const cases = loadCases().filter((c: GuestCase) => OURS.test(c.name));
    it("finds the cases", () => {
      expect(cases.map((c: GuestCase) => c.name)).toContain("prot-faults");
    });
    for (const c of cases) {
      it(c.name, async () => {
        const r = await runProcess(process.execPath, rvtraceArgs(c), {
          cwd: GUESTS_DIR,
          env: { ...process.env, ...env },
          stdin: caseStdin(c),
        });
        const expected = readExpected(c.name);
        const text = (x: { status: number; stdout: Buffer; stderr: Buffer }) => ({
          status: x.status,
          stdout: x.stdout.toString("latin1"),
          stderr: x.stderr.toString("latin1"),
        });
        expect(text(r)).toEqual(text(expected));
      });
    }
  });
}
