// Differential tests against recorded output: every case in guests/cases.json is run under
// `node bin/rvtrace.js run --clear-env --env K=V ... <program> <args>` with guests/ as the working
// directory and the case's stdin, and its stdout, stderr and exit status must equal, byte for
// byte, what qemu-riscv64 produced when guests/expected/ was recorded (tools/record-goldens.mjs).
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  RVTRACE_CLI,
  loadCases,
  readExpected,
  runUnderRvtrace,
  type GuestCase,
  type RunResult,
} from "../tools/record-goldens.mjs";


/** Output as text for readable diffs; latin1 maps every byte to one character, so it is exact. */
function view(r: RunResult) {
  return { status: r.status, stdout: r.stdout.toString("latin1"), stderr: r.stderr.toString("latin1") };
}

function describeCase(c: GuestCase): string {
  const env = c.env ? ` env=${JSON.stringify(c.env)}` : "";
  const stdin = c.stdin !== undefined ? ` stdin=${c.stdin.length} chars` : "";
  return `${c.program} ${JSON.stringify(c.args)}${env}${stdin}`;
}

describe("guest programs under rvtrace match the recorded qemu-riscv64 output", () => {
  for (const c of loadCases()) {
    it(c.name, async () => {
      expect(existsSync(RVTRACE_CLI), `${RVTRACE_CLI} is missing`).toBe(true);
      const expected = readExpected(c.name);
      const actual = await runUnderRvtrace(c);
      expect(view(actual), describeCase(c)).toEqual(view(expected));
    });
  }
});
