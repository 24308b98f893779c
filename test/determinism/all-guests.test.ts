// --deterministic on every guest of guests/cases.json: two runs in this process, traced with
// `-f -tt -T -y` (every task, absolute times to the microsecond, syscall durations, descriptor
// paths), must give byte-identical stdout, stderr, exit status and trace. Without
// --deterministic, 58 of 69 guests' traces differed (getrandom, clocks, interval timers, times).
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_ENV, loadCases } from "../../tools/record-goldens.mjs";
import { scratchGuests, traceInProcess } from "./helpers.js";

const dir = scratchGuests();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRACE = ["--deterministic", "-f", "-tt", "-T", "-y"];

describe("every guest, run twice with --deterministic, traced with -f -tt -T -y", () => {
  for (const c of loadCases()) {
    it(`${c.name}${c.tasks === "many" ? " (many tasks)" : ""}`, async () => {
      const env = Object.entries((c.env ?? DEFAULT_ENV) as Record<string, string>).flatMap(([k, v]) => ["-E", `${k}=${v}`]);
      const options = [...TRACE, ...env, ...(c.sysroot !== undefined ? ["--sysroot", c.sysroot] : [])];
      const first = await traceInProcess(dir, options, c.program, c.args, c.stdin ?? "");
      const second = await traceInProcess(dir, options, c.program, c.args, c.stdin ?? "");
      // The trace saw the run: at least the program's execve.
      expect(first.trace).toContain("execve(");
      expect(second).toEqual(first);
    });
  }
});
