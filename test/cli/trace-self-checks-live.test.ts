// Live check of the self-checking guests' expectations against the real strace: each source is
// built for the host (gcc -static) and run under the host's `strace -o LOG` with the trace set and
// options that trace.test.ts gives rvtrace (self-checks.ts); the log must end with the lines the
// program prints. So the lines rvtrace's decoders are held to are what strace prints for the same
// calls on the host kernel. Run with `npm run test:live`; it needs gcc (static glibc) and strace.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { SELF_CHECKS } from "./self-checks.js";

const SRC = path.resolve(__dirname, "../../guests/src");
/** Guests whose expectations are riscv64's own: a fault's address and a misaligned access. */
const RISCV_ONLY = new Set(["st-segv", "st-align"]);

it.each(SELF_CHECKS.filter(([name]) => !RISCV_ONLY.has(name)))(
  "%s: the host's strace prints the lines the program expects",
  (name, set, status, extra) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-self-check-live-"));
    try {
      execFileSync("gcc", ["-static", "-O2", "-I", SRC, "-o", path.join(dir, name), path.join(SRC, `${name}.c`)], { stdio: "pipe" });
      const r = spawnSync("strace", [...extra, "-o", "log", "-e", `trace=${set}`, `./${name}`], {
        cwd: dir, input: "", encoding: "utf8", timeout: 60_000,
      });
      expect(r.status, r.stderr).toBe(status);
      const want = r.stdout.split("\n");
      expect(want.length).toBeGreaterThan(10);
      const lines = readFileSync(path.join(dir, "log"), "utf8").split("\n");
      expect(lines.slice(lines.length - want.length).join("\n")).toBe(r.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
