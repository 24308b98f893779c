// An ET_EXEC file retyped ET_DYN, without PT_INTERP: Linux maps it with its link address as a hint
// (binfmt_elf gives such "loaders" a load bias of 0), and so does qemu-riscv64, so it runs where it
// was linked; moved to LAYOUT.pieBase its absolute addresses pointed nowhere and it crashed. A real
// static PIE (linked at 0) still goes to LAYOUT.pieBase (test/elf/load.test.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseElf } from "../../src/elf/index.js";
import { LAYOUT } from "../../src/mem/address-space.js";
import { Kernel } from "../../src/index.js";
import { EH, fixture, patch } from "./helpers.js";
import { GUESTS, Sink } from "../utrace/helpers-b.js";

const ET_DYN = 3;

function retyped(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  patch(copy).u16(EH.type, ET_DYN);
  return copy;
}

describe("an ET_EXEC retyped ET_DYN without PT_INTERP", () => {
  it("is placed at its link addresses, exactly as the ET_EXEC", () => {
    const exec = parseElf(fixture("hello-glibc"));
    const dyn = parseElf(retyped(fixture("hello-glibc")));
    expect(dyn.kind).toBe("static-pie");
    expect(dyn.base).toBe(0);
    expect(dyn.entry).toBe(exec.entry);
    expect(dyn.segments).toEqual(exec.segments);
    expect(dyn.phdrAddr).toBe(exec.phdrAddr);
  });

  it("goes to LAYOUT.pieBase when its link address is the NULL page", () => {
    const bytes = retyped(fixture("hello-glibc"));
    const exec = parseElf(fixture("hello-glibc"));
    // Move every segment (and the entry point) down by the first one's address, to 0.
    const shift = BigInt(exec.segments[0].addr - (exec.segments[0].addr % 4096));
    const p = patch(bytes);
    for (const h of exec.programHeaders) {
      const at = Number(exec.header.phoff) + h.index * 56;
      p.u64(at + 16, p.readU64(at + 16) - (h.vaddr >= shift ? shift : 0n));
      p.u64(at + 24, p.readU64(at + 24) - (h.paddr >= shift ? shift : 0n));
    }
    p.u64(EH.entry, p.readU64(EH.entry) - shift);
    const dyn = parseElf(bytes);
    expect(dyn.base).toBe(LAYOUT.pieBase);
    expect(dyn.entry).toBe(exec.entry - Number(shift) + LAYOUT.pieBase);
  });

  it("runs (guests/bin/hello retyped prints its greeting)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rvtrace-retyped-"));
    try {
      writeFileSync(path.join(dir, "hello"), retyped(new Uint8Array(readFileSync(path.join(GUESTS, "bin/hello")))), { mode: 0o755 });
      const out = new Sink();
      const k = new Kernel({ cwd: dir });
      const proc = k.spawn(path.join(dir, "hello"), ["hello"], { env: {}, stdout: out, stderr: out });
      expect(await proc.wait()).toEqual({ exitCode: 0, signal: null, coreDumped: false });
      expect(out.text).toBe("Hello, world!\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
