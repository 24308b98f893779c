import { describe, expect, it } from "vitest";
import { AddressSpace, LAYOUT, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";
import {
  AT,
  AUXV_TYPES,
  ElfError,
  auxvName,
  buildInitialStack,
  loadElf,
  parseElf,
  readInitialStack,
  type LoadedImage,
} from "../../src/elf/index.js";
import { fixture, stackInfo } from "./helpers.js";

function setup(name = "hello-static"): { as: AddressSpace; loaded: LoadedImage; bytes: Uint8Array } {
  const bytes = fixture(name);
  const as = new AddressSpace();
  const loaded = loadElf(as, parseElf(bytes), bytes);
  return { as, loaded, bytes };
}

const utf8 = new TextEncoder();

describe("buildInitialStack", () => {
  it("maps an RW [stack] of LAYOUT.stackSize below stackTop with an unmapped guard page", () => {
    const { as, loaded } = setup();
    buildInitialStack(as, loaded, stackInfo());
    const bottom = LAYOUT.stackTop - LAYOUT.stackSize;
    expect(as.findMapping(LAYOUT.stackTop - 1)).toEqual({
      start: bottom,
      end: LAYOUT.stackTop,
      prot: PROT_READ | PROT_WRITE,
      name: "[stack]",
      growsDown: true,
    });
    expect(as.isAnyMapped(bottom - PAGE_SIZE, PAGE_SIZE)).toBe(false);
    expect(as.isAnyMapped(LAYOUT.stackTop, PAGE_SIZE)).toBe(false);
  });

  it("makes the stack executable when PT_GNU_STACK says so", () => {
    const { as, loaded } = setup();
    buildInitialStack(as, { ...loaded, execStack: true }, stackInfo());
    expect(as.findMapping(LAYOUT.stackTop - 1)?.prot).toBe(PROT_READ | PROT_WRITE | PROT_EXEC);
  });

  it("lays out argc, argv, envp and auxv as the RISC-V Linux ABI specifies", () => {
    const { as, loaded } = setup();
    const info = stackInfo();
    const sp = buildInitialStack(as, loaded, info);
    expect(sp % 16).toBe(0);
    expect(sp).toBeLessThan(LAYOUT.stackTop);
    expect(sp).toBeGreaterThan(LAYOUT.stackTop - PAGE_SIZE);

    // Raw words, without readInitialStack.
    expect(as.readU64(sp)).toBe(3n);
    const argvPtrs = [0, 1, 2].map((i) => Number(as.readU64(sp + 8 + i * 8)));
    expect(as.readU64(sp + 32)).toBe(0n);
    const envpPtrs = [0, 1].map((i) => Number(as.readU64(sp + 40 + i * 8)));
    expect(as.readU64(sp + 56)).toBe(0n);
    expect(argvPtrs.map((a) => as.readCString(a))).toEqual(["prog", "first arg", "ü"]);
    expect(envpPtrs.map((a) => as.readCString(a))).toEqual(["HOME=/home/user", "LANG=C.UTF-8"]);

    // auxv right after envp's NULL, in create_elf_tables() order.
    const auxv: [string, bigint][] = [];
    for (let q = sp + 64; ; q += 16) {
      const type = as.readU64(q);
      auxv.push([auxvName(type), as.readU64(q + 8)]);
      if (type === 0n) break;
    }
    const randomAddr = auxv.find(([n]) => n === "AT_RANDOM")?.[1] ?? 0n;
    const execfnAddr = auxv.find(([n]) => n === "AT_EXECFN")?.[1] ?? 0n;
    expect(auxv).toEqual([
      ["AT_MINSIGSTKSZ", 2048n],
      ["AT_HWCAP", 0x112dn],
      ["AT_PAGESZ", 4096n],
      ["AT_CLKTCK", 100n],
      ["AT_PHDR", 0x10040n],
      ["AT_PHENT", 56n],
      ["AT_PHNUM", 4n],
      ["AT_BASE", 0n],
      ["AT_FLAGS", 0n],
      ["AT_ENTRY", BigInt(loaded.entry)],
      ["AT_UID", 1000n],
      ["AT_EUID", 1000n],
      ["AT_GID", 100n],
      ["AT_EGID", 100n],
      ["AT_SECURE", 0n],
      ["AT_RANDOM", randomAddr],
      ["AT_EXECFN", execfnAddr],
      ["AT_NULL", 0n],
    ]);
    expect(as.read(Number(randomAddr), 16)).toEqual(info.random);
    expect(Number(randomAddr) % 16).toBe(0);
    expect(as.readCString(Number(execfnAddr))).toBe("/usr/bin/prog");
  });

  it("places the strings at the top: argv, envp, execfn, then 8 zero bytes", () => {
    const { as, loaded } = setup();
    const sp = buildInitialStack(as, loaded, stackInfo());
    const top = LAYOUT.stackTop;
    expect(as.readU64(top - 8)).toBe(0n);
    const strings = ["prog", "first arg", "ü", "HOME=/home/user", "LANG=C.UTF-8", "/usr/bin/prog"];
    const blob = new Uint8Array(strings.reduce((n, s) => n + utf8.encode(s).length + 1, 0));
    let at = 0;
    for (const s of strings) {
      blob.set(utf8.encode(s), at);
      at += utf8.encode(s).length + 1;
    }
    const start = top - 8 - blob.length;
    expect(as.read(start, blob.length)).toEqual(blob);
    expect(Number(as.readU64(sp + 8))).toBe(start); // argv[0] is the lowest string
    const execfnAddr = readInitialStack(as, sp).auxv.find((e) => e.type === AT.AT_EXECFN)?.value;
    expect(execfnAddr).toBe(BigInt(top - 8 - "/usr/bin/prog".length - 1));
    // AT_RANDOM sits just below the strings, 16-byte aligned.
    const random = Number(readInitialStack(as, sp).auxv.find((e) => e.type === AT.AT_RANDOM)?.value);
    expect(random).toBe(start - (start % 16) - 16);
  });

  it("reads back through readInitialStack", () => {
    const { as, loaded } = setup("hello-static-pie");
    const sp = buildInitialStack(as, loaded, stackInfo({ argv: ["a"], envp: [], uid: 0, euid: 1 }));
    const st = readInitialStack(as, sp);
    expect(st.argc).toBe(1);
    expect(st.argv).toEqual(["a"]);
    expect(st.envp).toEqual([]);
    const get = (t: number): bigint | undefined => st.auxv.find((e) => e.type === t)?.value;
    expect(get(AT.AT_PHDR)).toBe(BigInt(LAYOUT.pieBase + 64));
    expect(get(AT.AT_ENTRY)).toBe(BigInt(loaded.entry));
    expect(get(AT.AT_BASE)).toBe(0n);
    expect(get(AT.AT_SECURE)).toBe(1n); // uid != euid
  });

  it("handles empty argv and envp, keeping sp aligned", () => {
    for (let n = 0; n < 4; n++) {
      const { as, loaded } = setup();
      const argv = Array.from({ length: n }, (_, i) => "x".repeat(i + 1));
      const sp = buildInitialStack(as, loaded, stackInfo({ argv, envp: [] }));
      expect(sp % 16).toBe(0);
      expect(readInitialStack(as, sp).argv).toEqual(argv);
    }
  });

  it("passes byte-array arguments through unchanged", () => {
    const { as, loaded } = setup();
    const raw = Uint8Array.of(0xff, 0xfe, 0x41);
    const sp = buildInitialStack(as, loaded, stackInfo({ argv: [raw] }));
    expect(as.readCStringBytes(Number(as.readU64(sp + 8)), 16)).toEqual(raw);
  });

  it("writes AT_IGNORE when AT_MINSIGSTKSZ is unknown", () => {
    const { as, loaded } = setup();
    const sp = buildInitialStack(as, loaded, stackInfo({ minsigstksz: 0 }));
    const auxv = readInitialStack(as, sp).auxv;
    expect(auxv[0]).toEqual({ type: AT.AT_IGNORE, value: 0n });
    expect(auxv.some((e) => e.type === AT.AT_MINSIGSTKSZ)).toBe(false);
  });

  it("rejects argument lists over a quarter of the stack with E2BIG", () => {
    const { as, loaded } = setup();
    const envp = Array.from({ length: 40 }, () => "X=" + "y".repeat(60000));
    const err = (() => {
      try {
        buildInitialStack(as, loaded, stackInfo({ envp }));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ElfError);
    expect((err as ElfError).code).toBe("E2BIG");
    expect((err as ElfError).message).toBe("argument list too long");
    expect(as.findMapping(LAYOUT.stackTop - 1)).toBeUndefined();
  });

  it("rejects a single string over MAX_ARG_STRLEN and strings containing NUL", () => {
    const { as, loaded } = setup();
    expect(() => buildInitialStack(as, loaded, stackInfo({ argv: ["a".repeat(32 * 4096)] }))).toThrow(
      "argument or environment string too long",
    );
    expect(() => buildInitialStack(as, loaded, stackInfo({ argv: ["a\0b"] }))).toThrow(ElfError);
  });

  it("refuses to build over an existing stack", () => {
    const { as, loaded } = setup();
    buildInitialStack(as, loaded, stackInfo());
    expect(() => buildInitialStack(as, loaded, stackInfo())).toThrow("the stack area is already in use");
  });
});

describe("auxv table", () => {
  it("has Linux's numbers and names", () => {
    expect(AT.AT_NULL).toBe(0);
    expect(AT.AT_PHDR).toBe(3);
    expect(AT.AT_PAGESZ).toBe(6);
    expect(AT.AT_ENTRY).toBe(9);
    expect(AT.AT_HWCAP).toBe(16);
    expect(AT.AT_CLKTCK).toBe(17);
    expect(AT.AT_SECURE).toBe(23);
    expect(AT.AT_RANDOM).toBe(25);
    expect(AT.AT_EXECFN).toBe(31);
    expect(AT.AT_SYSINFO_EHDR).toBe(33);
    expect(AT.AT_MINSIGSTKSZ).toBe(51);
    expect(auxvName(25)).toBe("AT_RANDOM");
    expect(auxvName(99)).toBe("AT_99");
    const values = Object.values(AUXV_TYPES).map((t) => t.value);
    expect(new Set(values).size).toBe(values.length);
  });
});
