// The layout of a dynamic program's image (src/kernel/image.ts), as Linux's binfmt_elf builds it:
// the PIE at LAYOUT.pieBase, its loader where an mmap of the loader's whole span would go (top-down
// from LAYOUT.mmapTop), the break after the program, the first instruction the loader's, and an auxv
// naming the loader's base (AT_BASE) and the program's entry and headers (AT_ENTRY, AT_PHDR).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AT, parseElf, readInitialStack } from "../../src/elf/index.js";
import { LAYOUT, PAGE_SIZE, PROT_EXEC } from "../../src/mem/address-space.js";
import { loadImage, parseInterpreter } from "../../src/kernel/image.js";
import { DeterministicWorld } from "../../src/kernel/world/deterministic-world.js";
import { fixture } from "../elf/helpers.js";

/** Debian's riscv64 loader (libc6-riscv64-cross, which .ci/run installs with the cross compiler). */
const LOADER = readFileSync("/usr/riscv64-linux-gnu/lib/ld-linux-riscv64-lp64d.so.1");

const world = () => new DeterministicWorld(() => 0, { seed: 0n, dateNs: 0n });

describe("a dynamic program's image", () => {
  const bytes = fixture("hello-dynamic");
  const program = parseElf(bytes);
  const loader = parseInterpreter(LOADER);

  it("parses as a PIE naming its loader, placed at LAYOUT.pieBase", () => {
    expect(program.kind).toBe("pie");
    expect(program.interpreter).toBe("/lib/ld-linux-riscv64-lp64d.so.1");
    expect(program.segments[0].addr - (program.segments[0].addr % PAGE_SIZE)).toBe(LAYOUT.pieBase);
  });

  it("maps the loader below LAYOUT.mmapTop, starts there, and tells the loader where both are", () => {
    const loaded = loadImage(program, bytes, ["hello"], [], "hello", world(), null, { image: loader, bytes: LOADER });
    const span = loader.end - (loader.segments[0].addr - (loader.segments[0].addr % PAGE_SIZE));
    const base = LAYOUT.mmapTop - span;
    // The loader's ELF header is its first page, at its base.
    expect([...loaded.mem.read(base, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(loaded.entry).toBe(base + Number(loader.header.entry));
    expect(loaded.mem.findMapping(loaded.entry)!.prot & PROT_EXEC).toBe(PROT_EXEC);
    const auxv = new Map(readInitialStack(loaded.mem, loaded.sp).auxv.map((e) => [e.type, e.value]));
    expect(auxv.get(AT.AT_BASE)).toBe(BigInt(base));
    expect(auxv.get(AT.AT_ENTRY)).toBe(BigInt(program.entry));
    expect(auxv.get(AT.AT_PHDR)).toBe(BigInt(program.phdrAddr));
    expect(auxv.get(AT.AT_PHNUM)).toBe(BigInt(program.phnum));
    // The break is the program's, not the loader's.
    expect(loaded.mem.brkStart).toBe(program.end);
    loaded.mem.release();
  });

  it("a static program has AT_BASE 0 and starts at its own entry", () => {
    const stat = fixture("hello-static");
    const loaded = loadImage(parseElf(stat), stat, ["hello"], [], "hello", world());
    expect(readInitialStack(loaded.mem, loaded.sp).auxv.find((e) => e.type === AT.AT_BASE)?.value).toBe(0n);
    expect(loaded.entry).toBe(parseElf(stat).entry);
    loaded.mem.release();
  });

  it("refuses a loader that needs a loader itself (ELIBBAD)", () => {
    expect(() => parseInterpreter(bytes)).toThrow(expect.objectContaining({ code: "ELIBBAD" }));
  });
});
