// What makes a deterministic run not repeatable is listed by --verbose: a host file changed
// during the run by someone else than the guest, a signal from the host.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { Kernel } from "../../src/kernel/kernel.js";
import { syscallNumber } from "../../src/kernel/syscalls/table.js";
import { reportVerbose } from "../../src/cli/verbose.js";
import { Collector, GUESTS_DIR } from "./helpers.js";

const PROBE = path.join(GUESTS_DIR, "bin", "det-probe");
const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-det-verbose-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function verboseLines(k: Kernel): string[] {
  const lines: string[] = [];
  reportVerbose(k, (l) => lines.push(l));
  return lines;
}

describe("--verbose in a deterministic run", () => {
  it("lists a host file that changed between two of the guest's looks at it", async () => {
    const file = path.join(dir, "watched");
    writeFileSync(file, "1\n");
    let stats = 0;
    const k = new Kernel({
      cwd: dir,
      deterministic: true,
      // Another host process writes to the file right after the guest's first stat.
      onSyscallExit: (t) => {
        if (t.syscallNr === syscallNumber("newfstatat") && ++stats === 1) appendFileSync(file, "2\n");
      },
    });
    const stdout = new Collector();
    const p = k.spawn(PROBE, ["det-probe", "--stat-twice", "watched"], { stdin: new PassThrough().end(), stdout, stderr: new Collector() });
    expect((await p.wait()).exitCode).toBe(0);
    const [first, second] = stdout.text().split("\n");
    // The guest sees the change (new size, stamped when it looked) ...
    expect(first).toMatch(/ size=2 /);
    expect(second).toMatch(/ size=4 /);
    expect(/mtime=(\S+)/.exec(second)![1]).not.toBe(/mtime=(\S+)/.exec(first)![1]);
    // ... and --verbose says the run is not repeatable.
    expect(verboseLines(k)).toEqual([expect.stringMatching(/^rvtrace: not repeatable: a host file \(device \d+, inode \d+\) changed during the run, not by the guest$/)]);
  });

  it("lists a signal from the host; a run without one lists nothing", async () => {
    const quiet = new Kernel({ cwd: dir, deterministic: true });
    await quiet.spawn(PROBE, ["det-probe", "--time"], { stdin: new PassThrough().end(), stdout: new Collector(), stderr: new Collector() }).wait();
    expect(verboseLines(quiet)).toEqual([]);

    const k = new Kernel({ cwd: dir, deterministic: true });
    // wc waits for stdin, which never comes: the host's SIGTERM ends it.
    const p = k.spawn(path.join(GUESTS_DIR, "bin", "wc"), ["wc"], { stdin: new PassThrough(), stdout: new Collector(), stderr: new Collector() });
    await new Promise((resolve) => setImmediate(resolve));
    k.hostSignal(15);
    expect((await p.wait()).signal).toBe(15);
    expect(verboseLines(k)).toEqual(["rvtrace: not repeatable: signal 15 from the host"]);
  });
});
