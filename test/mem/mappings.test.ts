// The mapping list of src/mem/address-space.ts (what /proc/PID/maps would show, and what mmap,
// munmap, mremap and madvise edit): edges of ranges, splitting and joining of mappings, the
// free-range search of mmap without MAP_FIXED, and the permission table kept in step with all of it.
// Protections (mprotect) are in address-space.test.ts.
import { beforeEach, describe, expect, it } from "vitest";
import {
  ADDRESS_LIMIT, AddressSpace, GUEST_LIMIT, LAYOUT, PAGE_CODE, PAGE_MAPPED, PROT_EXEC, PROT_READ, PROT_WRITE, pageRoundUp,
} from "../../src/mem/address-space.js";
import { nonZero } from "./bytes.js";

const PAGE = 4096;
const RW = PROT_READ | PROT_WRITE;
const BASE = 0x50000;

let mem: AddressSpace;
beforeEach(() => {
  mem ??= new AddressSpace();
  mem.unmap(0, ADDRESS_LIMIT);
  mem.onCodeInvalidate = null;
});

const permsOf = (addr: number) => mem.perms[addr / PAGE];

describe("pageRoundUp", () => {
  it("rounds up to whole pages and keeps whole pages as they are", () => {
    expect(pageRoundUp(0)).toBe(0);
    expect(pageRoundUp(1)).toBe(PAGE);
    expect(pageRoundUp(PAGE)).toBe(PAGE);
    expect(pageRoundUp(PAGE + 1)).toBe(2 * PAGE);
  });
});

describe("findMapping and isAnyMapped", () => {
  beforeEach(() => mem.map(BASE, 2 * PAGE, RW, "a"));

  it("findMapping: the first and last byte belong to the mapping, the bytes around it do not", () => {
    expect(mem.findMapping(BASE)?.name).toBe("a");
    expect(mem.findMapping(BASE + 2 * PAGE - 1)?.name).toBe("a");
    expect(mem.findMapping(BASE - 1)).toBeUndefined();
    expect(mem.findMapping(BASE + 2 * PAGE)).toBeUndefined();
  });

  it("isAnyMapped: ranges that end where it starts or start where it ends do not touch it", () => {
    expect(mem.isAnyMapped(BASE - PAGE, PAGE)).toBe(false);
    expect(mem.isAnyMapped(BASE + 2 * PAGE, PAGE)).toBe(false);
    expect(mem.isAnyMapped(BASE - PAGE, PAGE + 1)).toBe(true);
    expect(mem.isAnyMapped(BASE + 2 * PAGE - 1, PAGE)).toBe(true);
    expect(mem.isAnyMapped(BASE - PAGE, 4 * PAGE)).toBe(true);
  });

  it("isAnyMapped: one mapping in the range is enough, others elsewhere do not matter", () => {
    mem.map(BASE + 8 * PAGE, PAGE, RW, "b");
    expect(mem.isAnyMapped(BASE + 7 * PAGE, 2 * PAGE)).toBe(true);
    expect(mem.isAnyMapped(BASE, PAGE)).toBe(true);
    expect(mem.isAnyMapped(BASE + 3 * PAGE, PAGE)).toBe(false);
  });
});

describe("map", () => {
  it("rejects a negative, unaligned, empty or too high range", () => {
    expect(() => mem.map(-PAGE, PAGE, RW, "x")).toThrow(RangeError);
    expect(() => mem.map(BASE + 1, PAGE, RW, "x")).toThrow(RangeError);
    expect(() => mem.map(BASE, 0, RW, "x")).toThrow(RangeError);
    expect(() => mem.map(GUEST_LIMIT - PAGE, 2 * PAGE, RW, "x")).toThrow(RangeError);
    // The memory's top 2 MiB are rvtrace's own: no page of them can be mapped.
    expect(() => mem.map(GUEST_LIMIT, PAGE, RW, "x")).toThrow(RangeError);
    expect(() => mem.map(ADDRESS_LIMIT - PAGE, PAGE, RW, "x")).toThrow(RangeError);
    expect(mem.listMappings()).toEqual([]);
    expect(() => mem.map(BASE + 1, PAGE, RW, "x")).toThrow("map: bad range 0x50001+0x1000");
  });

  it("accepts page zero (keeping guests away from it is mmap's job, not this one's)", () => {
    mem.map(0, PAGE, PROT_READ, "zero page");
    expect(mem.listMappings()).toEqual([{ start: 0, end: PAGE, prot: PROT_READ, name: "zero page" }]);
  });

  it("accepts the last page below the limit", () => {
    mem.map(GUEST_LIMIT - PAGE, PAGE, RW, "top");
    expect(mem.listMappings()).toEqual([{ start: GUEST_LIMIT - PAGE, end: GUEST_LIMIT, prot: RW, name: "top" }]);
    expect(permsOf(GUEST_LIMIT - PAGE)).toBe(RW | PAGE_MAPPED);
    expect(permsOf(GUEST_LIMIT)).toBe(0);
  });

  it("rounds the length up, keeps only PROT_* bits, and marks exactly the mapped pages", () => {
    mem.map(BASE, PAGE + 1, PROT_READ | PAGE_CODE, "r");
    expect(mem.listMappings()).toEqual([{ start: BASE, end: BASE + 2 * PAGE, prot: PROT_READ, name: "r" }]);
    expect(permsOf(BASE)).toBe(PROT_READ | PAGE_MAPPED);
    expect(permsOf(BASE + PAGE)).toBe(PROT_READ | PAGE_MAPPED);
    expect(permsOf(BASE - PAGE)).toBe(0);
    expect(permsOf(BASE + 2 * PAGE)).toBe(0);
  });

  it("keeps the list sorted, whatever the order of the calls", () => {
    mem.map(BASE + 8 * PAGE, PAGE, RW, "c");
    mem.map(BASE, PAGE, RW, "a");
    mem.map(BASE + 4 * PAGE, PAGE, RW, "b");
    expect(mem.listMappings().map((m) => m.name)).toEqual(["a", "b", "c"]);
  });

  it("joins neighbours only when they touch and agree on protection and name", () => {
    mem.map(BASE, PAGE, RW, "a");
    mem.map(BASE + PAGE, PAGE, RW, "a"); // joins
    mem.map(BASE + 2 * PAGE, PAGE, RW, "b"); // other name
    mem.map(BASE + 3 * PAGE, PAGE, PROT_READ, "b"); // other protection
    mem.map(BASE + 5 * PAGE, PAGE, PROT_READ, "b"); // a gap
    expect(mem.listMappings()).toEqual([
      { start: BASE, end: BASE + 2 * PAGE, prot: RW, name: "a" },
      { start: BASE + 2 * PAGE, end: BASE + 3 * PAGE, prot: RW, name: "b" },
      { start: BASE + 3 * PAGE, end: BASE + 4 * PAGE, prot: PROT_READ, name: "b" },
      { start: BASE + 5 * PAGE, end: BASE + 6 * PAGE, prot: PROT_READ, name: "b" },
    ]);
  });

  it("over the middle of a mapping splits it, and the new pages read as zero", () => {
    mem.map(BASE, 3 * PAGE, RW, "a");
    mem.writeU32(BASE + PAGE + 8, 0xdeadbeef);
    mem.map(BASE + PAGE, PAGE, PROT_READ, "b");
    expect(mem.listMappings()).toEqual([
      { start: BASE, end: BASE + PAGE, prot: RW, name: "a" },
      { start: BASE + PAGE, end: BASE + 2 * PAGE, prot: PROT_READ, name: "b" },
      { start: BASE + 2 * PAGE, end: BASE + 3 * PAGE, prot: RW, name: "a" },
    ]);
    expect(mem.readU32(BASE + PAGE + 8)).toBe(0);
  });

  it("listMappings hands out copies", () => {
    mem.map(BASE, PAGE, RW, "a");
    mem.listMappings()[0].end = BASE + 9 * PAGE;
    expect(mem.listMappings()[0].end).toBe(BASE + PAGE);
  });
});

describe("unmap", () => {
  it("of the middle keeps both ends; of a whole page when given a part of one", () => {
    mem.map(BASE, 3 * PAGE, RW, "a");
    mem.unmap(BASE + PAGE, 1);
    expect(mem.listMappings()).toEqual([
      { start: BASE, end: BASE + PAGE, prot: RW, name: "a" },
      { start: BASE + 2 * PAGE, end: BASE + 3 * PAGE, prot: RW, name: "a" },
    ]);
    expect([permsOf(BASE), permsOf(BASE + PAGE), permsOf(BASE + 2 * PAGE)]).toEqual([RW | PAGE_MAPPED, 0, RW | PAGE_MAPPED]);
  });

  it("of length zero does nothing, not even split the mapping it points into", () => {
    mem.map(BASE, 2 * PAGE, RW, "a");
    mem.writeU8(BASE, 7);
    mem.unmap(BASE, 0);
    mem.unmap(BASE + PAGE, 0);
    expect(mem.listMappings()).toEqual([{ start: BASE, end: BASE + 2 * PAGE, prot: RW, name: "a" }]);
    expect(mem.readU8(BASE)).toBe(7);
  });

  it("zeroes the bytes of the pages it removes and of no others", () => {
    mem.map(BASE, 3 * PAGE, RW, "a");
    mem.writeU8(BASE + PAGE - 1, 1);
    mem.writeU8(BASE + PAGE, 2);
    mem.writeU8(BASE + 2 * PAGE - 1, 3);
    mem.writeU8(BASE + 2 * PAGE, 4);
    mem.unmap(BASE + PAGE, PAGE);
    expect([...mem.bytes.subarray(BASE + PAGE - 1, BASE + 2 * PAGE + 1)].filter((b) => b !== 0)).toEqual([1, 4]);
  });

  it("over several mappings and gaps removes each part", () => {
    mem.map(BASE, PAGE, RW, "a");
    mem.map(BASE + 2 * PAGE, 2 * PAGE, PROT_READ, "b");
    mem.map(BASE + 5 * PAGE, PAGE, RW, "c");
    mem.unmap(BASE + PAGE, 4 * PAGE);
    expect(mem.listMappings().map((m) => [m.start, m.end, m.name])).toEqual([
      [BASE, BASE + PAGE, "a"],
      [BASE + 5 * PAGE, BASE + 6 * PAGE, "c"],
    ]);
  });

  it("runs to the end of guest memory and on to 4 GiB without error, leaving the reserved top alone", () => {
    mem.map(BASE, PAGE, RW, "low");
    mem.map(GUEST_LIMIT - PAGE, PAGE, RW, "top");
    mem.unmap(GUEST_LIMIT - PAGE, 4 * PAGE);
    expect(mem.listMappings().map((m) => m.name)).toEqual(["low"]);
    expect(permsOf(GUEST_LIMIT - PAGE)).toBe(0);
    mem.map(GUEST_LIMIT - PAGE, PAGE, RW, "top");
    mem.unmap(GUEST_LIMIT - PAGE, ADDRESS_LIMIT - (GUEST_LIMIT - PAGE));
    // The permission table lives in the range cut off: the low mapping's entry is still there.
    expect(mem.listMappings().map((m) => m.name)).toEqual(["low"]);
    expect(permsOf(BASE)).toBe(RW | PAGE_MAPPED);
    expect(permsOf(GUEST_LIMIT - PAGE)).toBe(0);
  });

  it("reports the pages holding decoded code that it removes", () => {
    mem.map(BASE, 4 * PAGE, PROT_READ | PROT_EXEC, "code");
    mem.perms[BASE / PAGE + 2] |= PAGE_CODE;
    const dropped: [number, number][] = [];
    mem.onCodeInvalidate = (first, last) => dropped.push([first, last]);
    mem.unmap(BASE, PAGE);
    expect(dropped).toEqual([]);
    mem.unmap(BASE + PAGE, 2 * PAGE);
    expect(dropped).toEqual([[BASE / PAGE + 1, BASE / PAGE + 2]]);
  });
});

describe("protect, among other mappings", () => {
  it("changes only the mapping it covers; neighbours, touching or not, keep their range and protection", () => {
    mem.map(BASE - 4 * PAGE, PAGE, RW, "far below");
    mem.map(BASE - PAGE, PAGE, RW, "touching below");
    mem.map(BASE, 2 * PAGE, RW, "target");
    mem.map(BASE + 2 * PAGE, PAGE, RW, "touching above");
    mem.map(BASE + 6 * PAGE, PAGE, RW, "far above");
    expect(mem.protect(BASE, 2 * PAGE, PROT_READ)).toBe(true);
    expect(mem.listMappings()).toEqual([
      { start: BASE - 4 * PAGE, end: BASE - 3 * PAGE, prot: RW, name: "far below" },
      { start: BASE - PAGE, end: BASE, prot: RW, name: "touching below" },
      { start: BASE, end: BASE + 2 * PAGE, prot: PROT_READ, name: "target" },
      { start: BASE + 2 * PAGE, end: BASE + 3 * PAGE, prot: RW, name: "touching above" },
      { start: BASE + 6 * PAGE, end: BASE + 7 * PAGE, prot: RW, name: "far above" },
    ]);
  });
});

describe("isFullyMapped", () => {
  it("needs every page the range touches, a partial last page included", () => {
    mem.map(BASE, PAGE, RW, "a");
    mem.map(BASE + PAGE, PAGE, 0, "none");
    expect(mem.isFullyMapped(BASE, BASE + 2 * PAGE)).toBe(true); // PROT_NONE is still mapped
    expect(mem.isFullyMapped(BASE + 100, BASE + PAGE + 1)).toBe(true);
    expect(mem.isFullyMapped(BASE, BASE + 2 * PAGE + 1)).toBe(false);
    expect(mem.isFullyMapped(BASE - 1, BASE + PAGE)).toBe(false);
  });
});

describe("findFree", () => {
  const TOP = LAYOUT.mmapTop;

  it("takes the highest free range below mmapTop", () => {
    expect(mem.findFree(PAGE + 1)).toBe(TOP - 2 * PAGE);
  });

  it("goes below the mappings at the top, into the first gap large enough", () => {
    mem.map(TOP - PAGE, PAGE, RW, "a");
    mem.map(TOP - 3 * PAGE, PAGE, RW, "b"); // leaves a one-page gap between a and b
    mem.map(TOP - 6 * PAGE, PAGE, RW, "c"); // and a two-page gap between b and c
    expect(mem.findFree(PAGE)).toBe(TOP - 2 * PAGE);
    expect(mem.findFree(2 * PAGE)).toBe(TOP - 5 * PAGE);
    expect(mem.findFree(3 * PAGE)).toBe(TOP - 9 * PAGE);
  });

  it("ignores mappings at or above the limit it is given (the stack)", () => {
    mem.map(TOP, 4 * PAGE, RW, "stack");
    mem.map(TOP + 8 * PAGE, PAGE, RW, "above");
    expect(mem.findFree(PAGE)).toBe(TOP - PAGE);
    expect(mem.findFree(PAGE, TOP + 8 * PAGE)).toBe(TOP + 7 * PAGE);
  });

  it("never goes below mmapBottom, even when the space below is free", () => {
    const floor = LAYOUT.mmapBottom;
    mem.map(floor + PAGE, PAGE, RW, "a");
    expect(mem.findFree(PAGE, floor + PAGE)).toBe(floor);
    expect(mem.findFree(2 * PAGE, floor + PAGE)).toBe(-1);
    expect(mem.findFree(PAGE, floor + 3 * PAGE)).toBe(floor + 2 * PAGE);
    expect(mem.findFree(2 * PAGE, floor + 3 * PAGE)).toBe(-1);
  });

  it("finds nothing when mappings fill everything down to mmapBottom", () => {
    const floor = LAYOUT.mmapBottom;
    mem.map(floor - PAGE, 3 * PAGE, RW, "a"); // reaches below the floor
    expect(mem.findFree(PAGE, floor + 2 * PAGE)).toBe(-1);
    mem.map(0x10000, PAGE, RW, "program"); // far below the floor
    expect(mem.findFree(PAGE, floor + 2 * PAGE)).toBe(-1);
    expect(mem.findFree(PAGE, floor + 3 * PAGE)).toBe(floor + 2 * PAGE);
  });

  it("does not count the free space between a low mapping and mmapBottom", () => {
    mem.map(0x10000, PAGE, RW, "program");
    expect(mem.findFree(2 * PAGE, LAYOUT.mmapBottom + PAGE)).toBe(-1);
  });
});

describe("zero", () => {
  it("clears whole pages from an unaligned start, and nothing before it", () => {
    mem.map(BASE, 3 * PAGE, RW, "a");
    mem.bytes.fill(0x5a, BASE, BASE + 3 * PAGE);
    mem.zero(BASE + 1, 2);
    // [BASE+1, BASE+1+PAGE) is cleared: the byte before and the bytes from there on are kept.
    expect(mem.bytes[BASE]).toBe(0x5a);
    expect(mem.bytes[BASE + 1]).toBe(0);
    expect(mem.bytes[BASE + PAGE]).toBe(0);
    expect(mem.bytes[BASE + PAGE + 1]).toBe(0x5a);
    expect(mem.listMappings()).toHaveLength(1);
  });

  it("clears aligned pages and reports decoded code on them", () => {
    mem.map(BASE, 2 * PAGE, RW, "a");
    mem.bytes.fill(0x11, BASE, BASE + 2 * PAGE);
    mem.perms[BASE / PAGE + 1] |= PAGE_CODE;
    const dropped: [number, number][] = [];
    mem.onCodeInvalidate = (first, last) => dropped.push([first, last]);
    mem.zero(BASE + PAGE, PAGE);
    expect(mem.bytes[BASE + PAGE - 1]).toBe(0x11);
    expect(nonZero(mem.bytes.subarray(BASE + PAGE, BASE + 2 * PAGE))).toBeNull();
    expect(dropped).toEqual([[BASE / PAGE + 1, BASE / PAGE + 1]]);
    expect(permsOf(BASE + PAGE)).toBe(RW | PAGE_MAPPED);
  });
});

describe("move (mremap)", () => {
  it("carries bytes, protection and name to the new place and unmaps the old one", () => {
    mem.map(BASE, 2 * PAGE, PROT_READ, "file");
    mem.poke(BASE + 5, Uint8Array.of(1, 2, 3));
    mem.poke(BASE + 2 * PAGE - 1, Uint8Array.of(9));
    const to = BASE + 16 * PAGE;
    mem.move(BASE, 2 * PAGE, to, 2 * PAGE);
    expect(mem.listMappings()).toEqual([{ start: to, end: to + 2 * PAGE, prot: PROT_READ, name: "file" }]);
    expect([...mem.read(to + 5, 3)]).toEqual([1, 2, 3]);
    expect(mem.readU8(to + 2 * PAGE - 1)).toBe(9);
    expect(permsOf(BASE)).toBe(0);
    expect(mem.bytes[BASE + 5]).toBe(0);
  });

  it("growing: the added tail is zero, even with data right after the old range", () => {
    mem.map(BASE, PAGE, RW, "a");
    mem.map(BASE + PAGE, PAGE, PROT_READ, "neighbour");
    mem.poke(BASE + PAGE, Uint8Array.of(0x77));
    mem.writeU8(BASE + PAGE - 1, 5);
    const to = BASE + 16 * PAGE;
    mem.move(BASE, PAGE, to, 2 * PAGE);
    expect(mem.readU8(to + PAGE - 1)).toBe(5);
    expect(mem.readU8(to + PAGE)).toBe(0);
  });

  it("shrinking: nothing is written past the new end", () => {
    mem.map(BASE, 2 * PAGE, RW, "a");
    mem.writeU8(BASE + PAGE - 1, 5);
    mem.writeU8(BASE + PAGE, 6);
    const to = BASE + 16 * PAGE;
    mem.move(BASE, 2 * PAGE, to, PAGE);
    expect(mem.readU8(to + PAGE - 1)).toBe(5);
    expect(mem.bytes[to + PAGE]).toBe(0);
    expect(permsOf(to + PAGE)).toBe(0);
  });

  it("from an unmapped range makes a read-write anonymous mapping", () => {
    const to = BASE + 16 * PAGE;
    mem.move(BASE, PAGE, to, PAGE);
    expect(mem.listMappings()).toEqual([{ start: to, end: to + PAGE, prot: RW, name: "" }]);
  });
});
