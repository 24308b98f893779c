// The kernel's host helpers: terminal detection without node:tty, and random bytes.
import { describe, it, expect } from "vitest";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { isTerminal } from "../../src/kernel/host/tty.js";
import { fillRandom } from "../../src/kernel/host/random.js";

describe("isTerminal", () => {
  it("says no for /dev/null, /dev/zero, a regular file and a bad fd", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-host-"));
    const file = path.join(dir, "f");
    writeFileSync(file, "x");
    const fds = [openSync("/dev/null", "r"), openSync("/dev/zero", "r"), openSync(file, "r")];
    try {
      for (const fd of fds) expect(isTerminal(fd), String(fd)).toBe(false);
      expect(isTerminal(987654)).toBe(false);
    } finally {
      fds.forEach(closeSync);
      rmSync(dir, { recursive: true });
    }
  });

  it("agrees with node:tty on the test's own stdio", async () => {
    const tty = await import("node:tty");
    for (const fd of [0, 1, 2]) expect(isTerminal(fd), String(fd)).toBe(tty.isatty(fd));
  });
});

describe("fillRandom", () => {
  it("fills buffers of any size, differently each time", () => {
    const a = new Uint8Array(200_000); // more than one read, and than getRandomValues' 64 KiB
    const b = new Uint8Array(200_000);
    fillRandom(a);
    fillRandom(b);
    // 200,000 random bytes: each value appears ~781 times; all-zero tails or repeats mean a bug.
    const counts = new Array(256).fill(0);
    for (const x of a) counts[x]++;
    expect(Math.min(...counts)).toBeGreaterThan(500);
    expect(a.subarray(199_000).some((x) => x !== 0)).toBe(true);
    expect(Buffer.compare(a, b)).not.toBe(0);
  });

  it("leaves an empty buffer alone", () => {
    expect(() => fillRandom(new Uint8Array(0))).not.toThrow();
  });
});
