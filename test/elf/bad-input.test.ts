import { describe, expect, it } from "vitest";
import { ElfError, parseElf } from "../../src/elf/index.js";
import { EH, fixture, patch, ph } from "./helpers.js";
import { GUEST_LIMIT } from "../../src/mem/address-space.js";

const good = fixture("hello-static");
const goodPie = fixture("hello-static-pie");

/** A copy of a valid ELF with `edit` applied. */
function mutate(edit: (p: ReturnType<typeof patch>, bytes: Uint8Array) => void, base = good): Uint8Array {
  const copy = base.slice();
  edit(patch(copy), copy);
  return copy;
}

/** The ElfError parseElf throws (fails the test if it throws anything else, or nothing). */
function rejection(bytes: Uint8Array): ElfError {
  try {
    parseElf(bytes);
  } catch (e) {
    if (e instanceof ElfError) return e;
    throw new Error(`expected an ElfError, got ${String(e)}`);
  }
  throw new Error("expected parseElf to throw");
}

function rejects(bytes: Uint8Array, message: string | RegExp, code = "ENOEXEC"): void {
  const err = rejection(bytes);
  if (typeof message === "string") expect(err.message).toBe(message);
  else expect(err.message).toMatch(message);
  expect(err.code).toBe(code);
}

describe("parseElf rejects", () => {
  it("an empty file and a non-ELF file", () => {
    rejects(new Uint8Array(0), "not an ELF file");
    rejects(new TextEncoder().encode("#!/bin/sh\necho hi\n"), "not an ELF file");
    rejects(mutate((p) => p.u8(3, 0x47)), "not an ELF file");
  });

  it("a truncated ELF header", () => {
    rejects(good.slice(0, 6), "truncated ELF header");
    rejects(good.slice(0, 40), "truncated ELF header");
    rejects(good.slice(0, 63), "truncated ELF header");
  });

  it("32-bit ELF", () => {
    rejects(mutate((p) => p.u8(EH.class, 1)), "32-bit ELF is not supported");
  });

  it("an invalid class", () => {
    rejects(mutate((p) => p.u8(EH.class, 7)), "invalid ELF class 7");
  });

  it("big-endian ELF", () => {
    rejects(mutate((p) => p.u8(EH.data, 2)), "big-endian ELF is not supported");
    rejects(mutate((p) => p.u8(EH.data, 0)), "invalid ELF data encoding 0");
  });

  it("an unknown ELF version", () => {
    rejects(mutate((p) => p.u8(EH.identVersion, 0)), "unsupported ELF version 0");
    rejects(mutate((p) => p.u32(EH.version, 2)), "unsupported ELF version 2");
  });

  it("another architecture", () => {
    rejects(mutate((p) => p.u16(EH.machine, 62)), "not a RISC-V executable (machine 62)");
    rejects(mutate((p) => p.u16(EH.machine, 183)), "not a RISC-V executable (machine 183)");
  });

  it("object files, core dumps and unknown types", () => {
    rejects(mutate((p) => p.u16(EH.type, 1)), "not an executable (type ET_REL)");
    rejects(mutate((p) => p.u16(EH.type, 4)), "not an executable (type ET_CORE)");
    rejects(mutate((p) => p.u16(EH.type, 0xfe01)), "not an executable (type 0xfe01)");
  });

  it("the RV64E ABI", () => {
    rejects(mutate((p) => p.u32(EH.flags, 0x8)), "programs for the RV64E (embedded) ABI are not supported");
  });

  it("a missing or malformed program header table", () => {
    rejects(mutate((p) => p.u16(EH.phnum, 0)), "no program headers");
    rejects(mutate((p) => p.u16(EH.phentsize, 32)), "bad program header entry size 32 (expected 56)");
    rejects(mutate((p) => p.u16(EH.phnum, 0xffff)), "too many program headers (65535)");
  });

  it("truncated program headers", () => {
    rejects(good.slice(0, 64 + 100), "truncated program headers");
    rejects(mutate((p) => p.u64(EH.phoff, 0x8000_0000_0000_0000n)), "truncated program headers");
    rejects(mutate((p) => p.u64(EH.phoff, good.length - 100)), "truncated program headers");
  });

  it("a PT_INTERP whose path cannot be read as Linux reads it", () => {
    const withInterp = (path: string, size: number) =>
      mutate((p, b) => {
        p.u32(ph(0, "type"), 3);
        const at = Number(p.readU64(ph(0, "offset")));
        b.set(new TextEncoder().encode(path), at);
        p.u64(ph(0, "filesz"), size);
      });
    const path = "/lib/ld-musl-riscv64.so.1";
    rejects(withInterp(`${path}X`, path.length + 1), "the interpreter path (PT_INTERP) does not end with a NUL byte");
    rejects(withInterp("\0", 1), "the interpreter path (PT_INTERP) has a bad size 1");
    rejects(withInterp(`${path}\0`, 4097), "the interpreter path (PT_INTERP) has a bad size 4097");
    const outside = mutate((p) => {
      p.u32(ph(0, "type"), 3);
      p.u64(ph(0, "offset"), 0xffff_ffffn);
    });
    rejects(outside, "the interpreter path (PT_INTERP) lies outside the file");
  });

  it("no loadable segments", () => {
    rejects(
      mutate((p) => {
        p.u32(ph(1, "type"), 4);
        p.u32(ph(2, "type"), 4);
      }),
      "no loadable segments",
    );
  });

  it("memsz smaller than filesz", () => {
    rejects(mutate((p) => p.u64(ph(2, "memsz"), 1)), "segment 2 has memsz 0x1 smaller than filesz 0x15", "EINVAL");
  });

  it("a segment that extends past the end of the file", () => {
    rejects(
      mutate((p) => {
        p.u64(ph(2, "filesz"), 0x3000);
        p.u64(ph(2, "memsz"), 0x3030);
      }),
      "segment 2 extends past the end of the file",
    );
    rejects(good.slice(0, 0x1a0), "segment 2 extends past the end of the file");
    rejects(
      mutate((p) => {
        p.u64(ph(2, "offset"), 0xffff_ffff_ffff_f198n);
      }),
      "segment 2 extends past the end of the file",
    );
  });

  it("file offset and address incongruent modulo the page size", () => {
    rejects(
      mutate((p) => p.u64(ph(2, "vaddr"), 0x111a0)),
      "segment 2 has file offset 0x198 and address 0x111a0 that differ modulo the page size",
      "EINVAL",
    );
  });

  it("overlapping segments", () => {
    rejects(mutate((p) => p.u64(ph(1, "memsz"), 0x2000)), "segments 1 and 2 overlap");
  });

  it("absurd sizes", () => {
    rejects(
      mutate((p) => p.u64(ph(2, "memsz"), 0x1_0000_0000n)),
      "segment 2 is too large (memsz 0x100000000)",
      "EINVAL",
    );
    rejects(
      mutate((p) => p.u64(ph(2, "memsz"), 0xffff_ffff_ffff_ffffn)),
      "segment 2 is too large (memsz 0xffffffffffffffff)",
      "EINVAL",
    );
  });

  it("segments beyond 4 GiB", () => {
    rejects(
      mutate((p) => p.u64(ph(2, "vaddr"), 0xffff_f198)),
      "segment 2 extends beyond 4 GiB (0xfffff198-0x1000021c8 after relocation)",
      "EINVAL",
    );
    // 64-bit addresses are kept exact (elfy's doubles would round this one).
    rejects(
      mutate((p) => p.u64(ph(2, "vaddr"), 0x7fff_ffff_ffff_f198n)),
      "segment 2 extends beyond 4 GiB (0x7ffffffffffff198-0x80000000000021c8 after relocation)",
      "EINVAL",
    );
    // Static PIE: fits as linked, not once moved to LAYOUT.pieBase.
    rejects(
      mutate((p) => p.u64(ph(2, "vaddr"), 0xc000_0f00), goodPie),
      "segment 2 extends beyond 4 GiB (0x100000f00-0x100004038 after relocation)",
      "EINVAL",
    );
  });

  it("segments beyond guest memory, which ends 2 MiB short of 4 GiB (the rest is rvtrace's own)", () => {
    // Segment 2 moved to end exactly at GUEST_LIMIT loads; one byte more does not.
    const start = GUEST_LIMIT - 0x4000 + 0x198;
    const fits = mutate((p) => {
      p.u64(ph(2, "vaddr"), start);
      p.u64(ph(2, "memsz"), GUEST_LIMIT - start);
    });
    expect(parseElf(fits).segments.some((s) => s.addr + s.memsz === GUEST_LIMIT)).toBe(true);
    rejects(
      mutate((p) => {
        p.u64(ph(2, "vaddr"), start);
        p.u64(ph(2, "memsz"), GUEST_LIMIT - start + 1);
      }),
      "segment 2 extends beyond guest memory, which ends at 0xffe00000 (0xffdfc198-0xffe00001 after relocation)",
      "EINVAL",
    );
    // Inside the reserved top, not past 4 GiB: refused all the same.
    rejects(
      mutate((p) => p.u64(ph(2, "vaddr"), 0xfff0_0198)),
      /^segment 2 extends beyond guest memory, which ends at 0xffe00000 \(0xfff00198-/,
      "EINVAL",
    );
  });

  it("segments below the lowest mappable address or over the stack", () => {
    rejects(
      mutate((p) => p.u64(ph(1, "vaddr"), 0)),
      "segment 1 starts at 0x0, below the lowest mappable address 0x1000",
      "EINVAL",
    );
    rejects(
      mutate((p) => p.u64(ph(2, "vaddr"), 0xbfff_f198)),
      "segment 2 (0xbffff198-0xc00021c8) overlaps the stack area",
      "EINVAL",
    );
    // The guard page below the stack counts as part of it.
    const guard = 0xc000_0000 - 8 * 1024 * 1024 - 4096;
    rejects(mutate((p) => p.u64(ph(2, "vaddr"), guard + 0x198)), /overlaps the stack area/, "EINVAL");
  });

  it("an entry point outside every executable segment", () => {
    rejects(mutate((p) => p.u64(EH.entry, 0x11198)), "entry point 0x11198 is outside every executable segment");
    rejects(
      mutate((p) => p.u64(EH.entry, 0xffff_ffff_ffff_fff1n)),
      "entry point 0xfffffffffffffff1 is outside every executable segment",
    );
    rejects(
      mutate((p) => p.u64(EH.entry, 0x10000 + 0x194)),
      "entry point 0x10194 is outside every executable segment",
    );
    rejects(
      mutate((p) => p.u64(EH.entry, 0x2000), goodPie),
      "entry point 0x40002000 is outside every executable segment",
    );
  });

  it("a PT_PHDR outside the loaded segments, or two of them", () => {
    rejects(
      mutate((p) => {
        p.u32(ph(0, "type"), 6);
        p.u64(ph(0, "vaddr"), 0x50000);
      }),
      "the program header table (PT_PHDR 0x50000) is not inside a loaded segment",
    );
    rejects(
      mutate((p) => {
        p.u32(ph(0, "type"), 6);
        p.u64(ph(0, "vaddr"), 0x10040);
        p.u32(ph(3, "type"), 6);
      }),
      "more than one PT_PHDR",
    );
  });

  it("a bad PT_TLS", () => {
    const tls = (edit: (p: ReturnType<typeof patch>) => void): Uint8Array =>
      mutate((p) => {
        p.u32(ph(0, "type"), 7);
        p.u64(ph(0, "offset"), 0x198);
        p.u64(ph(0, "vaddr"), 0x11198);
        p.u64(ph(0, "filesz"), 8);
        p.u64(ph(0, "memsz"), 16);
        edit(p);
      });
    expect(parseElf(tls(() => {})).tls).toEqual({ addr: 0x11198, filesz: 8, memsz: 16, align: 1 });
    rejects(tls((p) => p.u64(ph(0, "memsz"), 4)), "the TLS segment has memsz 0x4 smaller than filesz 0x8");
    rejects(tls((p) => p.u64(ph(0, "vaddr"), 0x30000)), "the TLS segment (0x30000) is not inside a loaded segment");
    rejects(tls((p) => p.u64(ph(0, "offset"), 0xffff_0000)), "the TLS segment extends past the end of the file");
  });
});

describe("parseElf never throws anything but ElfError", () => {
  it("for every truncation of a valid file", () => {
    for (let n = 0; n < good.length; n++) {
      try {
        parseElf(good.subarray(0, n));
      } catch (e) {
        expect(e).toBeInstanceOf(ElfError);
      }
    }
  });

  it("for random corruption of the headers", () => {
    let seed = 0x12345678;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let accepted = 0;
    for (let round = 0; round < 3000; round++) {
      const base = round % 2 ? good : goodPie;
      const copy = base.slice();
      const flips = 1 + rand(4);
      for (let i = 0; i < flips; i++) copy[rand(64 + 7 * 56)] = rand(256);
      try {
        parseElf(copy);
        accepted++;
      } catch (e) {
        if (!(e instanceof ElfError)) throw e;
        expect(e.message).toMatch(/^[a-z0-9]/);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });
});
