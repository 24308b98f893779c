// The adapter checks elfy's reading of every header field against its own: a disagreement (here
// provoked by a corrupted elfy) must surface as an ElfError, as must anything elfy throws.

import { afterEach, describe, expect, it, vi } from "vitest";

const sabotage = vi.hoisted(() => ({ mode: "none" as "none" | "entry" | "flags" | "throw" }));

vi.mock("elfy", async (importOriginal) => {
  const original = await importOriginal<{ default: typeof import("elfy") }>();
  const real = original.default;
  class Parser extends real.Parser {
    override parseHeader(buf: Buffer): ReturnType<InstanceType<typeof real.Parser>["parseHeader"]> {
      if (sabotage.mode === "throw") throw new TypeError("Cannot read properties of undefined");
      const h = super.parseHeader(buf);
      return sabotage.mode === "entry" ? { ...h, entry: h.entry + 2 } : h;
    }
    override parsePrograms(
      buf: Buffer,
      header: ReturnType<InstanceType<typeof real.Parser>["parseHeader"]>,
    ): ReturnType<InstanceType<typeof real.Parser>["parsePrograms"]> {
      const programs = super.parsePrograms(buf, header);
      if (sabotage.mode === "flags") programs[1] = { ...programs[1], flags: { r: true } };
      return programs;
    }
  }
  return { default: { ...real, Parser } };
});

const { ElfError, parseElf } = await import("../../src/elf/index.js");
const { fixture } = await import("./helpers.js");

describe("elfy cross-check", () => {
  const bytes = fixture("hello-static");
  afterEach(() => {
    sabotage.mode = "none";
  });

  it("passes when elfy agrees", () => {
    expect(parseElf(bytes).entry).toBeGreaterThan(0);
  });

  it("rejects a header elfy reads differently", () => {
    sabotage.mode = "entry";
    expect(() => parseElf(bytes)).toThrow(ElfError);
    expect(() => parseElf(bytes)).toThrow(/^elfy and the raw bytes disagree on e_entry/);
  });

  it("rejects program headers elfy reads differently", () => {
    sabotage.mode = "flags";
    expect(() => parseElf(bytes)).toThrow("elfy and the raw bytes disagree on p_flags of program header 1 (r vs r,x)");
  });

  it("turns an exception from elfy into an ElfError", () => {
    sabotage.mode = "throw";
    expect(() => parseElf(bytes)).toThrow("elfy could not parse the ELF header (Cannot read properties of undefined)");
  });
});
