// MAP_SHARED file mappings write the guest's changes back to the file; this covers the write-back
// when the process ends with the mapping still in place (the rest is the mmap-shared guest case).
// Guest: mmap-shared (guests/src/mmap-shared.c).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Kernel } from "../../src/index.js";
import { GUESTS, Sink } from "../utrace/helpers-b.js";

describe("a MAP_SHARED mapping still in place at exit", () => {
  it("writes its changes to the file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rvtrace-mmap-"));
    try {
      const file = path.join(dir, "data");
      writeFileSync(file, "1234567 contents\n");
      const out = new Sink();
      const k = new Kernel({ cwd: dir });
      const p = k.spawn(path.join(GUESTS, "bin/mmap-shared"), ["mmap-shared", "leave", "data"], { env: {}, stdout: out, stderr: out });
      expect(await p.wait()).toEqual({ exitCode: 0, signal: null, coreDumped: false });
      expect(out.text).toBe("left a change in the mapping\n");
      expect(readFileSync(file, "utf8")).toBe("changed contents\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
