// Live differential tests: every case in guests/cases.json is run both under qemu-riscv64 (the
// same way tools/record-goldens.mjs records it) and under `node bin/rvtrace.js run ...`, with
// guests/ as the working directory, and the two runs' stdout, stderr and exit status must agree
// byte for byte. Run with `npm run test:live` (vitest.live.config.ts); it fails without qemu.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  RVTRACE_CLI,
  findQemu,
  loadCases,
  runUnderQemu,
  runUnderRvtrace,
  type RunResult,
} from "../tools/record-goldens.mjs";

const qemu = findQemu();

/** Output as text for readable diffs; latin1 maps every byte to one character, so it is exact. */
function view(r: RunResult) {
  return { status: r.status, stdout: r.stdout.toString("latin1"), stderr: r.stderr.toString("latin1") };
}

describe("guest programs under rvtrace match a live qemu-riscv64 run", () => {
  for (const c of loadCases()) {
    it(c.name, async () => {
      expect(qemu, "qemu-riscv64 is required for the live suite (Debian package qemu-user)").toBeTruthy();
      expect(existsSync(RVTRACE_CLI), `${RVTRACE_CLI} is missing`).toBe(true);
      // One after the other: cases such as `files` use a scratch directory in guests/.
      const reference = await runUnderQemu(c, { qemu });
      const actual = await runUnderRvtrace(c);
      expect(view(actual), `${c.program} ${JSON.stringify(c.args)}`).toEqual(view(reference));
    });
  }
});
