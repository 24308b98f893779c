// Live differential tests: every case in guests/cases.json is run under `node bin/rvtrace.js run ...`
// and under its reference, with guests/ as the working directory, and the two runs' stdout, stderr
// and exit status must agree byte for byte. The reference is a live qemu-riscv64 run (the same way
// tools/record-goldens.mjs records it), or, for the cases marked "golden": "host" (they exec riscv64
// programs, which qemu-user hands to the host kernel, or need kernel behaviour qemu-user does not
// emulate), the same source built for the host and run there (tools/record-host-goldens.mjs). Run
// with `npm run test:live` (vitest.live.config.ts); it fails without qemu, gcc and g++.
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  RVTRACE_CLI,
  findQemu,
  loadCases,
  runUnderQemu,
  runUnderRvtrace,
  type RunResult,
} from "../tools/record-goldens.mjs";
import { prepareHostBuilds, runOnHost } from "../tools/record-host-goldens.mjs";

const qemu = findQemu();
const cases = loadCases();
let host: { dir: string; dispose(): void } | null = null;

beforeAll(() => {
  host = prepareHostBuilds(cases.filter((c) => c.golden === "host"));
});
afterAll(() => host?.dispose());

/** Output as text for readable diffs; latin1 maps every byte to one character, so it is exact. */
function view(r: RunResult) {
  return { status: r.status, stdout: r.stdout.toString("latin1"), stderr: r.stderr.toString("latin1") };
}

describe("guest programs under rvtrace match a live reference run", () => {
  for (const c of cases) {
    it(c.name, async () => {
      expect(existsSync(RVTRACE_CLI), `${RVTRACE_CLI} is missing`).toBe(true);
      let reference: RunResult;
      if (c.golden === "host") {
        reference = await runOnHost(c, host!.dir);
      } else {
        expect(qemu, "qemu-riscv64 is required for the live suite (Debian package qemu-user)").toBeTruthy();
        // One after the other: cases such as `files` use a scratch directory in guests/.
        reference = await runUnderQemu(c, { qemu });
      }
      const actual = await runUnderRvtrace(c);
      expect(view(actual), `${c.program} ${JSON.stringify(c.args)}`).toEqual(view(reference));
    });
  }
});
