import { describe, expect, it } from "vitest";
import { AddressSpace, LAYOUT, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";
import { loadElf, parseElf } from "../../src/elf/index.js";
import { EH, fixture, patch, ph } from "./helpers.js";

const RX = PROT_READ | PROT_EXEC;
const RW = PROT_READ | PROT_WRITE;

/** The raw PT_LOAD fields of program header i, read without the code under test. */
function rawLoad(bytes: Uint8Array, i: number): { offset: number; vaddr: number; filesz: number; memsz: number } {
  const p = patch(bytes);
  return {
    offset: Number(p.readU64(ph(i, "offset"))),
    vaddr: Number(p.readU64(ph(i, "vaddr"))),
    filesz: Number(p.readU64(ph(i, "filesz"))),
    memsz: Number(p.readU64(ph(i, "memsz"))),
  };
}

function allZero(as: AddressSpace, start: number, end: number): boolean {
  return as.bytes.subarray(start, end).every((b) => b === 0);
}

describe("static ET_EXEC (hello-static, -nostdlib)", () => {
  const bytes = fixture("hello-static");
  const img = parseElf(bytes);
  const text = rawLoad(bytes, 1);
  const data = rawLoad(bytes, 2);

  it("is a small committed fixture", () => {
    expect(bytes.length).toBeLessThan(2048);
  });

  it("parses to an image at its link addresses", () => {
    expect(img.kind).toBe("exec");
    expect(img.base).toBe(0);
    expect(img.entry).toBe(Number(patch(bytes).readU64(EH.entry)));
    expect(img.phnum).toBe(4);
    expect(img.phent).toBe(56);
    expect(img.phdrAddr).toBe(0x10040);
    expect(img.execStack).toBe(false);
    expect(img.tls).toBeNull();
    expect(img.floatAbi).toBe("double");
    expect(img.rvc).toBe(true);
    expect(img.segments.map((s) => [s.index, s.addr, s.prot])).toEqual([
      [1, 0x10000, RX],
      [2, data.vaddr, RW],
    ]);
    expect(img.header.machine).toBe(243);
    expect(img.programHeaders[0].type).toBe(0x70000003); // PT_RISCV_ATTRIBUTES, unknown to elfy
  });

  it("maps each PT_LOAD page-aligned with its protections", () => {
    const as = new AddressSpace();
    loadElf(as, img, bytes, "/bin/hello");
    const dataFileEnd = Math.ceil((data.vaddr + data.filesz) / PAGE_SIZE) * PAGE_SIZE;
    const end = Math.ceil((data.vaddr + data.memsz) / PAGE_SIZE) * PAGE_SIZE;
    expect(as.listMappings()).toEqual([
      { start: 0x10000, end: 0x11000, prot: RX, name: "/bin/hello" },
      { start: 0x11000, end: dataFileEnd, prot: RW, name: "/bin/hello" },
      { start: dataFileEnd, end, prot: RW, name: "" },
    ]);
    expect(as.perms[0x10] & 7).toBe(RX);
    expect(as.perms[0x11] & 7).toBe(RW);
    expect(as.perms[end / PAGE_SIZE - 1] & 7).toBe(RW);
    expect(as.perms[end / PAGE_SIZE]).toBe(0);
    expect(as.perms[0xf]).toBe(0);
  });

  it("copies file bytes as Linux's page-granular mmap does", () => {
    const as = new AddressSpace();
    loadElf(as, img, bytes);
    // Text: the whole segment, and (memsz == filesz) the rest of the page up to the end of file.
    expect(as.bytes.subarray(0x10000, 0x10000 + text.filesz)).toEqual(bytes.subarray(0, text.filesz));
    expect(as.bytes.subarray(0x10000, 0x10000 + bytes.length)).toEqual(bytes);
    expect(allZero(as, 0x10000 + bytes.length, 0x11000)).toBe(true);
    // Data: the page part below p_vaddr holds the file bytes before p_offset (the ELF header here).
    expect(as.bytes.subarray(0x11000, data.vaddr + data.filesz)).toEqual(
      bytes.subarray(data.offset - (data.vaddr - 0x11000), data.offset + data.filesz),
    );
    expect(as.readU64(data.vaddr)).toBe(41n); // `counter`
    expect(new TextDecoder().decode(as.read(data.vaddr + 8, 13))).toBe("hello, world\n");
    expect(new TextDecoder().decode(as.read(0x11000, 4))).toBe("\x7fELF");
  });

  it("zero-fills .bss, including the tail of the last file page", () => {
    const as = new AddressSpace();
    loadElf(as, img, bytes);
    const bssStart = data.vaddr + data.filesz;
    const tailLen = PAGE_SIZE - (bssStart % PAGE_SIZE);
    // The file does have non-zero bytes after the data segment's contents (section headers etc.).
    const after = bytes.subarray(data.offset + data.filesz, data.offset + data.filesz + tailLen);
    expect(after.some((b) => b !== 0)).toBe(true);
    expect(allZero(as, bssStart, data.vaddr + data.memsz)).toBe(true);
    expect(allZero(as, bssStart, Math.ceil((data.vaddr + data.memsz) / PAGE_SIZE) * PAGE_SIZE)).toBe(true);
  });

  it("sets the program break at the page-rounded end of the highest segment", () => {
    const as = new AddressSpace();
    loadElf(as, img, bytes);
    const end = Math.ceil((data.vaddr + data.memsz) / PAGE_SIZE) * PAGE_SIZE;
    expect(img.end).toBe(end);
    expect(as.brkStart).toBe(end);
    expect(as.brk).toBe(end);
  });

  it("returns what the auxv needs", () => {
    const as = new AddressSpace();
    const loaded = loadElf(as, img, bytes);
    expect(loaded).toEqual({
      entry: img.entry,
      base: 0,
      phdrAddr: 0x10040,
      phent: 56,
      phnum: 4,
      execStack: false,
    });
    // AT_PHDR points at the program header table in memory.
    expect(as.read(loaded.phdrAddr, 4 * 56)).toEqual(bytes.subarray(64, 64 + 4 * 56));
  });

  it("accepts a file without section headers (elfy.parse would throw on it)", () => {
    const copy = bytes.slice();
    const p = patch(copy);
    p.u64(EH.shoff, 0);
    p.u16(EH.shnum, 0);
    p.u16(EH.shstrndx, 0);
    expect(parseElf(copy).segments.length).toBe(2);
  });

  it("refuses to load bytes other than the ones parsed", () => {
    expect(() => loadElf(new AddressSpace(), img, bytes.subarray(0, 500))).toThrow("the file changed since it was parsed");
  });

  it("honours PT_GNU_STACK's PF_X and defaults to a non-executable stack", () => {
    const copy = bytes.slice();
    patch(copy).u32(ph(3, "flags"), 7);
    expect(parseElf(copy).execStack).toBe(true);
    patch(copy).u32(ph(3, "type"), 4); // PT_NOTE: no PT_GNU_STACK left
    expect(parseElf(copy).execStack).toBe(false);
  });

  it("uses PT_PHDR for AT_PHDR when present", () => {
    const copy = bytes.slice();
    const p = patch(copy);
    p.u32(ph(0, "type"), 6); // PT_RISCV_ATTRIBUTES -> PT_PHDR
    p.u64(ph(0, "offset"), 64);
    p.u64(ph(0, "vaddr"), 0x10040);
    p.u64(ph(0, "filesz"), 4 * 56);
    p.u64(ph(0, "memsz"), 4 * 56);
    expect(parseElf(copy).phdrAddr).toBe(0x10040);
  });

  it("reports 0 for AT_PHDR when no segment holds the program headers", () => {
    const copy = bytes.slice();
    const p = patch(copy);
    // Move the text segment's file range past the headers: offset 0x1000 would be past EOF, so
    // shrink it to start at the page's 0x100 instead (vaddr moves along to stay congruent).
    p.u64(ph(1, "offset"), 0x100);
    p.u64(ph(1, "vaddr"), 0x10100);
    p.u64(ph(1, "filesz"), 0x94);
    p.u64(ph(1, "memsz"), 0x94);
    const img2 = parseElf(copy);
    expect(img2.phdrAddr).toBe(0);
  });

  it("gives two segments sharing a page the union of their protections", () => {
    const copy = bytes.slice();
    const p = patch(copy);
    // Move the data segment into the text segment's last page (same offset, vaddr 0x10198).
    p.u64(ph(2, "vaddr"), 0x10198);
    const img2 = parseElf(copy);
    const as = new AddressSpace();
    loadElf(as, img2, copy);
    expect(as.findMapping(0x10000)?.prot).toBe(RX | RW);
    expect(as.findMapping(0x11000)?.prot).toBe(RW);
    expect(as.bytes.subarray(0x10000, 0x10000 + text.filesz)).toEqual(copy.subarray(0, text.filesz));
    expect(as.readU64(0x10198)).toBe(41n);
    expect(allZero(as, 0x10198 + data.filesz, 0x10198 + data.memsz)).toBe(true);
  });
});

describe("static PIE ET_DYN (hello-static-pie, -nostdlib)", () => {
  const bytes = fixture("hello-static-pie");
  const img = parseElf(bytes);
  const text = rawLoad(bytes, 1);
  const data = rawLoad(bytes, 2);
  const base = LAYOUT.pieBase;

  it("is relocated to LAYOUT.pieBase", () => {
    expect(bytes.length).toBeLessThan(8192);
    expect(img.kind).toBe("static-pie");
    expect(img.base).toBe(base);
    expect(img.entry).toBe(base + Number(patch(bytes).readU64(EH.entry)));
    expect(img.phdrAddr).toBe(base + 64);
    expect(img.segments.map((s) => s.addr)).toEqual([base + text.vaddr, base + data.vaddr]);
  });

  it("maps, copies and zero-fills at the relocated addresses", () => {
    const as = new AddressSpace();
    const loaded = loadElf(as, img, bytes, "pie");
    expect(loaded.base).toBe(base);
    expect(loaded.entry).toBe(img.entry);
    const dataFileEnd = Math.ceil((base + data.vaddr + data.filesz) / PAGE_SIZE) * PAGE_SIZE;
    const end = Math.ceil((base + data.vaddr + data.memsz) / PAGE_SIZE) * PAGE_SIZE;
    expect(as.listMappings()).toEqual([
      { start: base, end: base + PAGE_SIZE, prot: RX, name: "pie" },
      { start: base + data.vaddr - (data.vaddr % PAGE_SIZE), end: dataFileEnd, prot: RW, name: "pie" },
      { start: dataFileEnd, end, prot: RW, name: "" },
    ]);
    expect(as.read(base, text.filesz)).toEqual(bytes.subarray(0, text.filesz));
    expect(as.read(base + data.vaddr, data.filesz)).toEqual(bytes.subarray(data.offset, data.offset + data.filesz));
    expect(allZero(as, base + data.vaddr + data.filesz, end)).toBe(true);
    expect(as.brkStart).toBe(end);
    expect(as.read(loaded.phdrAddr, img.phnum * 56)).toEqual(bytes.subarray(64, 64 + img.phnum * 56));
  });
});

describe("glibc static binary (hello-glibc)", () => {
  const bytes = fixture("hello-glibc");

  it("stays under 800 KB", () => {
    expect(bytes.length).toBeLessThan(800 * 1024);
  });

  it("parses and loads, with its PT_TLS template recorded", () => {
    const img = parseElf(bytes);
    expect(img.kind).toBe("exec");
    expect(img.tls).not.toBeNull();
    expect(img.tls?.memsz).toBeGreaterThanOrEqual(img.tls?.filesz ?? Infinity);
    const as = new AddressSpace();
    const loaded = loadElf(as, img, bytes);
    expect(loaded.phdrAddr).toBe(0x10040);
    expect(loaded.execStack).toBe(false);
    const data = rawLoad(bytes, 2);
    expect(as.read(data.vaddr, data.filesz)).toEqual(bytes.subarray(data.offset, data.offset + data.filesz));
    expect(allZero(as, data.vaddr + data.filesz, as.brkStart)).toBe(true);
    expect(as.findMapping(img.entry)?.prot).toBe(RX);
  });
});
