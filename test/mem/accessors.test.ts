// The checked accessors of src/mem/address-space.ts, which every system call uses on guest
// pointers: the bounds and permission check (and the address a fault reports), byte order and
// sign of the typed reads and writes, copies versus views, NUL-terminated strings, and the
// decoded-code invalidation a write into a code page must cause.
import { beforeEach, describe, expect, it } from "vitest";
import {
  ADDRESS_LIMIT, AddressSpace, GUEST_LIMIT, GuestFault, PAGE_CODE, PERMS_BASE, PROT_EXEC, PROT_READ, PROT_WRITE,
} from "../../src/mem/address-space.js";
import { faultOf } from "./fault-of.js";

const PAGE = 4096;
const RW = PROT_READ | PROT_WRITE;
const BASE = 0x60000;

let mem: AddressSpace;
let dropped: [number, number][];
beforeEach(() => {
  mem ??= new AddressSpace();
  mem.unmap(0, ADDRESS_LIMIT);
  dropped = [];
  mem.onCodeInvalidate = (first, last) => dropped.push([first, last]);
});

describe("GuestFault", () => {
  it("carries EFAULT and the address", () => {
    const f = new GuestFault(0x1234);
    expect([f.errno, f.code, f.address]).toEqual([14, "EFAULT", 0x1234]);
    expect(f.message).toBe("bad guest address 0x1234");
  });
});

describe("check", () => {
  beforeEach(() => {
    mem.map(BASE, PAGE, PROT_READ, "r");
    mem.map(BASE + PAGE, PAGE, RW, "rw");
  });

  it("refuses addresses that are not non-negative integers, or ranges past 4 GiB", () => {
    expect(faultOf(() => mem.check(BASE + 0.5, 1, PROT_READ))).toBe(BASE + 0.5);
    expect(faultOf(() => mem.check(-1, 1, 0))).toBe(-1);
    expect(faultOf(() => mem.check(ADDRESS_LIMIT - 1, 2, 0))).toBe(ADDRESS_LIMIT - 1);
  });

  it("allows a range ending exactly where guest memory ends, and an empty range anywhere inside", () => {
    mem.map(GUEST_LIMIT - PAGE, PAGE, PROT_READ, "top");
    expect(faultOf(() => mem.check(GUEST_LIMIT - 8, 8, PROT_READ))).toBeNull();
    // One byte more is rvtrace's reserved top, unmapped for the guest's pointers.
    expect(faultOf(() => mem.check(GUEST_LIMIT - 8, 9, PROT_READ))).toBe(GUEST_LIMIT);
    expect(faultOf(() => mem.check(PERMS_BASE, 1, PROT_READ))).toBe(PERMS_BASE);
    expect(faultOf(() => mem.check(0x2000_0001, 0, PROT_READ))).toBeNull();
    // read(fd, NULL, 0): an empty range at address 0 is no fault either.
    expect(faultOf(() => mem.check(0, 0, PROT_WRITE))).toBeNull();
    // An empty range at the very end of the memory is inside it too (past it, one byte on, is not).
    expect(faultOf(() => mem.check(ADDRESS_LIMIT, 0, PROT_READ))).toBeNull();
    expect(faultOf(() => mem.check(ADDRESS_LIMIT + 1, 0, PROT_READ))).toBe(ADDRESS_LIMIT + 1);
  });

  it("needs every permission asked for on every page, and faults at the first bad byte", () => {
    expect(faultOf(() => mem.check(BASE, 2 * PAGE, PROT_READ))).toBeNull();
    expect(faultOf(() => mem.check(BASE + PAGE, PAGE, RW))).toBeNull();
    expect(faultOf(() => mem.check(BASE + 10, PAGE, RW))).toBe(BASE + 10);
    expect(faultOf(() => mem.check(BASE + PAGE + 10, PAGE, PROT_READ))).toBe(BASE + 2 * PAGE);
    // The range's last byte decides: one byte more reaches the unmapped page.
    expect(faultOf(() => mem.check(BASE + 2 * PAGE - 4, 4, PROT_WRITE))).toBeNull();
    expect(faultOf(() => mem.check(BASE + 2 * PAGE - 4, 5, PROT_WRITE))).toBe(BASE + 2 * PAGE);
  });
});

describe("typed reads and writes", () => {
  beforeEach(() => mem.map(BASE, 2 * PAGE, RW, "rw"));

  it("are little-endian, and the signed reads sign-extend", () => {
    mem.write(BASE, Uint8Array.of(0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0xf8));
    expect(mem.readU8(BASE)).toBe(0x81);
    expect(mem.readU16(BASE)).toBe(0x8281);
    expect(mem.readU32(BASE)).toBe(0x84838281);
    expect(mem.readI32(BASE)).toBe(0x84838281 - 2 ** 32);
    expect(mem.readU64(BASE)).toBe(0xf887868584838281n);
    expect(mem.readI64(BASE)).toBe(0xf887868584838281n - 2n ** 64n);
  });

  it("writes store the low bits of their value, little-endian", () => {
    mem.writeU8(BASE, 0x1ab);
    mem.writeU16(BASE + 2, 0xbeef);
    mem.writeU32(BASE + 4, -2);
    mem.writeU64(BASE + 8, -1n);
    mem.writeU64(BASE + 16, 0x0102030405060708n);
    expect([...mem.read(BASE, 8)]).toEqual([0xab, 0, 0xef, 0xbe, 0xfe, 0xff, 0xff, 0xff]);
    expect(mem.readU64(BASE + 8)).toBe(2n ** 64n - 1n);
    expect([...mem.read(BASE + 16, 8)]).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it("each checks exactly its own width at the end of the readable range", () => {
    const end = BASE + 2 * PAGE;
    const cases: [string, number, (a: number) => unknown][] = [
      ["readU8", 1, (a) => mem.readU8(a)],
      ["readU16", 2, (a) => mem.readU16(a)],
      ["readU32", 4, (a) => mem.readU32(a)],
      ["readI32", 4, (a) => mem.readI32(a)],
      ["readU64", 8, (a) => mem.readU64(a)],
      ["readI64", 8, (a) => mem.readI64(a)],
      ["writeU8", 1, (a) => mem.writeU8(a, 1)],
      ["writeU16", 2, (a) => mem.writeU16(a, 1)],
      ["writeU32", 4, (a) => mem.writeU32(a, 1)],
      ["writeU64", 8, (a) => mem.writeU64(a, 1n)],
    ];
    for (const [name, width, access] of cases) {
      expect([name, faultOf(() => access(end - width))]).toEqual([name, null]);
      expect([name, faultOf(() => access(end - width + 1))]).toEqual([name, end]);
    }
  });

  it("reads need PROT_READ and writes PROT_WRITE", () => {
    // An execute-only page can be neither read nor written; a read-only one only read.
    mem.protect(BASE, PAGE, PROT_EXEC);
    mem.protect(BASE + PAGE, PAGE, PROT_READ);
    for (const read of [mem.readU8, mem.readU16, mem.readU32, mem.readI32, mem.readU64, mem.readI64]) {
      expect(faultOf(() => read.call(mem, BASE))).toBe(BASE);
      expect(faultOf(() => read.call(mem, BASE + PAGE))).toBeNull();
    }
    const writes = [
      (a: number) => mem.writeU8(a, 1), (a: number) => mem.writeU16(a, 1),
      (a: number) => mem.writeU32(a, 1), (a: number) => mem.writeU64(a, 1n),
    ];
    for (const write of writes) {
      expect(faultOf(() => write(BASE + PAGE))).toBe(BASE + PAGE);
      expect(faultOf(() => write(BASE))).toBe(BASE);
    }
    expect(faultOf(() => mem.read(BASE, 1))).toBe(BASE);
    expect(faultOf(() => mem.viewOf(BASE, 1))).toBe(BASE);
    expect(faultOf(() => mem.write(BASE + PAGE, Uint8Array.of(1)))).toBe(BASE + PAGE);
    expect(faultOf(() => mem.writableViewOf(BASE + PAGE, 1))).toBe(BASE + PAGE);
  });

  it("PROT_WRITE alone is readable too: riscv's page tables have no write-only pages", () => {
    mem.protect(BASE, PAGE, PROT_WRITE);
    expect(faultOf(() => mem.writeU32(BASE, 7))).toBeNull();
    expect(faultOf(() => mem.readU32(BASE))).toBeNull();
    expect(mem.readU32(BASE)).toBe(7);
    // The mapping keeps the protection asked for (what /proc/PID/maps shows).
    expect(mem.findMapping(BASE)?.prot).toBe(PROT_WRITE);
  });
});

describe("copies and views", () => {
  beforeEach(() => mem.map(BASE, PAGE, RW, "rw"));

  it("read copies exactly len bytes: later writes do not show in it", () => {
    mem.write(BASE, Uint8Array.of(1, 2, 3, 4));
    const copy = mem.read(BASE + 1, 2);
    mem.writeU8(BASE + 1, 9);
    expect([...copy]).toEqual([2, 3]);
  });

  it("viewOf and writableViewOf are views of exactly len bytes of guest memory", () => {
    mem.write(BASE, Uint8Array.of(1, 2, 3, 4));
    const view = mem.viewOf(BASE + 1, 2);
    mem.writeU8(BASE + 1, 9);
    expect([...view]).toEqual([9, 3]);
    const out = mem.writableViewOf(BASE + 2, 2);
    out.set([7, 8]);
    expect(out).toHaveLength(2);
    expect([...mem.read(BASE, 4)]).toEqual([1, 9, 7, 8]);
  });
});

describe("writes into pages holding decoded code", () => {
  beforeEach(() => {
    mem.map(BASE, 3 * PAGE, RW | PROT_EXEC, "code");
    mem.perms[BASE / PAGE + 1] |= PAGE_CODE;
  });

  it("every kind of write to a code page drops its code, and only its pages are reported", () => {
    const writes: [string, () => void][] = [
      ["writeU8", () => mem.writeU8(BASE + PAGE, 1)],
      ["writeU16", () => mem.writeU16(BASE + PAGE, 1)],
      ["writeU32", () => mem.writeU32(BASE + PAGE, 1)],
      ["writeU64", () => mem.writeU64(BASE + PAGE, 1n)],
      ["write", () => mem.write(BASE + PAGE, Uint8Array.of(1))],
      ["writableViewOf", () => mem.writableViewOf(BASE + PAGE, 1)],
      ["poke", () => mem.poke(BASE + PAGE, Uint8Array.of(1))],
    ];
    for (const [name, write] of writes) {
      mem.perms[BASE / PAGE + 1] |= PAGE_CODE;
      dropped = [];
      write();
      expect([name, dropped]).toEqual([name, [[BASE / PAGE + 1, BASE / PAGE + 1]]]);
      expect([name, mem.perms[BASE / PAGE + 1] & PAGE_CODE]).toEqual([name, 0]);
    }
  });

  it("a write ending on the first byte of a code page counts; one ending just before does not", () => {
    mem.write(BASE + PAGE - 4, new Uint8Array(4));
    expect(dropped).toEqual([]);
    mem.write(BASE + PAGE - 4, new Uint8Array(5));
    expect(dropped).toEqual([[BASE / PAGE, BASE / PAGE + 1]]);
  });

  it("a write starting on a code page's last byte counts", () => {
    mem.writeU16(BASE + 2 * PAGE - 1, 0xffff);
    expect(dropped).toEqual([[BASE / PAGE + 1, BASE / PAGE + 2]]);
  });

  it("writes elsewhere, and empty writes, leave the code alone", () => {
    mem.writeU64(BASE, 1n);
    mem.writeU32(BASE + 2 * PAGE, 1);
    mem.write(BASE + PAGE, new Uint8Array(0));
    mem.write(BASE + PAGE + 3, new Uint8Array(0));
    mem.poke(BASE + PAGE + 5, new Uint8Array(0));
    expect(dropped).toEqual([]);
    expect(mem.perms[BASE / PAGE + 1] & PAGE_CODE).toBe(PAGE_CODE);
  });

  it("invalidateCode clears the mark of the code pages only and reports the whole range once", () => {
    mem.perms[BASE / PAGE] |= PAGE_CODE;
    mem.invalidateCode(BASE + 100, BASE + 2 * PAGE + 1);
    expect(dropped).toEqual([[BASE / PAGE, BASE / PAGE + 2]]);
    for (let p = 0; p < 3; p++) expect(mem.perms[BASE / PAGE + p]).toBe(RW | PROT_EXEC | 16);
  });

  it("without a listener, the marks are still cleared", () => {
    mem.onCodeInvalidate = null;
    mem.writeU8(BASE + PAGE, 1);
    expect(mem.perms[BASE / PAGE + 1] & PAGE_CODE).toBe(0);
  });
});

describe("poke", () => {
  it("needs every page of the range mapped, the last one included", () => {
    mem.map(BASE, PAGE, 0, "none");
    expect(faultOf(() => mem.poke(BASE + PAGE - 2, Uint8Array.of(1, 2)))).toBeNull();
    expect(mem.bytes[BASE + PAGE - 1]).toBe(2);
    expect(faultOf(() => mem.poke(BASE + PAGE - 2, Uint8Array.of(1, 2, 3)))).toBe(BASE + PAGE - 2);
    expect(mem.bytes[BASE + PAGE]).toBe(0);
  });
});

describe("C strings", () => {
  const text = (s: string) => new TextEncoder().encode(s);

  beforeEach(() => mem.map(BASE, 2 * PAGE, RW, "rw"));

  it("stops at the NUL and decodes UTF-8", () => {
    mem.write(BASE, text("gr\u00fc\u00dfe\0after"));
    expect(mem.readCString(BASE)).toBe("gr\u00fc\u00dfe");
    expect([...mem.readCStringBytes(BASE, 100)]).toEqual([...text("gr\u00fc\u00dfe")]);
  });

  it("crosses into the next page", () => {
    mem.write(BASE + PAGE - 3, text("abcdef\0"));
    expect(mem.readCString(BASE + PAGE - 3)).toBe("abcdef");
  });

  it("may be exactly max bytes long, not one more", () => {
    mem.write(BASE + PAGE - 3, text("abcdef\0"));
    expect(mem.readCString(BASE + PAGE - 3, 6)).toBe("abcdef");
    expect(() => mem.readCString(BASE + PAGE - 3, 5)).toThrow(RangeError);
    expect(() => mem.readCStringBytes(BASE + PAGE - 3, 2)).toThrow("string too long");
  });

  it("a long string within max is read across several pages", () => {
    mem.map(BASE, 4 * PAGE, RW, "rw");
    const long = "x".repeat(3 * PAGE);
    mem.write(BASE + 10, text(long + "\0"));
    expect(mem.readCString(BASE + 10, 3 * PAGE)).toBe(long);
    expect(() => mem.readCString(BASE + 10, 3 * PAGE - 1)).toThrow(RangeError);
  });

  it("the default limit is 4096 bytes", () => {
    mem.write(BASE, text("y".repeat(4096) + "\0"));
    expect(mem.readCString(BASE)).toHaveLength(4096);
    mem.write(BASE, text("y".repeat(4097) + "\0"));
    expect(() => mem.readCString(BASE)).toThrow(RangeError);
  });

  it("faults at the first unreadable byte when no NUL comes first", () => {
    mem.bytes.fill(0x61, BASE + PAGE, BASE + 2 * PAGE);
    expect(() => mem.readCString(BASE + PAGE + 5)).toThrow(GuestFault);
    expect(faultOf(() => mem.readCString(BASE + PAGE + 5))).toBe(BASE + 2 * PAGE);
    mem.bytes.fill(0x61, BASE + PAGE - 2, BASE + PAGE);
    mem.protect(BASE + PAGE, PAGE, PROT_EXEC);
    expect(faultOf(() => mem.readCString(BASE + PAGE - 2))).toBe(BASE + PAGE);
    expect(faultOf(() => mem.readCString(BASE - 1))).toBe(BASE - 1);
  });

  it("faults where guest memory ends when its last page holds no NUL", () => {
    mem.map(GUEST_LIMIT - PAGE, PAGE, PROT_READ, "top");
    mem.bytes.fill(0x61, GUEST_LIMIT - 4, GUEST_LIMIT);
    expect(faultOf(() => mem.readCStringBytes(GUEST_LIMIT - 4, 100))).toBe(GUEST_LIMIT);
    // Nor does a string in the reserved top read, nor one at the memory's last byte wrap round to
    // page 0, even when that one is readable.
    mem.map(0, 2 * PAGE, PROT_READ, "zero page");
    mem.bytes.fill(0x61, 0, 2 * PAGE);
    expect(faultOf(() => mem.readCStringBytes(PERMS_BASE, 100))).toBe(PERMS_BASE);
    expect(faultOf(() => mem.readCStringBytes(ADDRESS_LIMIT - 4, 100))).toBe(ADDRESS_LIMIT - 4);
  });
});
