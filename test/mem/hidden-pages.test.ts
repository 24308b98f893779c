// Hidden pages (AddressSpace.mapHidden/unmapHidden): the engines' scratch memory (src/kernel/scratch.ts).
// They are mapped read-write for the checked accessors, yet belong to no mapping; unmapHidden zeroes
// and unmaps them, and release zeroes those still mapped before the memory goes to the pool, so the
// next address space given that memory finds neither their bytes nor their permission bits.
import { describe, expect, it } from "vitest";
import { AddressSpace, GUEST_LIMIT, GuestFault, PAGE_MAPPED, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";
import { drainPool, freshSpace as fresh } from "./fresh-space.js";

const PAGE = 4096;
const RW = PROT_READ | PROT_WRITE;
/** Where scratch.ts puts them: above the stack, below 4 GiB. */
const SCRATCH = 0xf000_0000;



describe("mapHidden", () => {
  it("maps every page of the rounded-up length read-write, in no mapping", () => {
    const as = fresh();
    as.mapHidden(SCRATCH, PAGE + 1);
    expect(as.perms[SCRATCH / PAGE]).toBe(RW | PAGE_MAPPED);
    expect(as.perms[SCRATCH / PAGE + 1]).toBe(RW | PAGE_MAPPED);
    expect(as.perms[SCRATCH / PAGE + 2]).toBe(0);
    as.writeU32(SCRATCH + PAGE, 0x1234);
    expect(as.readU32(SCRATCH + PAGE)).toBe(0x1234);
    expect(as.listMappings()).toEqual([]);
  });

  it("maps up to the end of guest memory and refuses anything past it, unaligned, negative or empty", () => {
    const as = fresh();
    as.mapHidden(GUEST_LIMIT - PAGE, PAGE);
    expect(as.perms[GUEST_LIMIT / PAGE - 1]).toBe(RW | PAGE_MAPPED);
    const before = as.perms.slice(GUEST_LIMIT / PAGE - 4);
    for (const [start, len] of [
      [GUEST_LIMIT - PAGE, 2 * PAGE], // into the register slots
      [GUEST_LIMIT, PAGE],
      [SCRATCH + 8, PAGE], // unaligned
      [-PAGE, PAGE],
      [SCRATCH, 0],
    ]) {
      expect(() => as.mapHidden(start, len), `${start}+${len}`).toThrow(/^mapHidden: bad range 0x/);
      expect(() => as.mapHidden(start, len), `${start}+${len}`).toThrow(RangeError);
    }
    // The lowest page is a page like any other here (scratch.ts never asks for it).
    as.mapHidden(0, PAGE);
    expect(as.perms[0]).toBe(RW | PAGE_MAPPED);
    as.unmapHidden(0, PAGE);
    // Nothing was mapped by the refused calls (the reserved pages above all).
    expect(as.perms.slice(GUEST_LIMIT / PAGE - 4)).toEqual(before);
    expect(as.perms[SCRATCH / PAGE]).toBe(0);
  });

  it("refuses a released address space (its memory may be another's)", () => {
    const as = new AddressSpace();
    as.release();
    expect(() => as.mapHidden(SCRATCH, PAGE)).toThrow(GuestFault);
    expect(as.perms[SCRATCH / PAGE]).toBe(0);
  });
});

describe("unmapHidden", () => {
  it("zeroes and unmaps exactly the pages of the range", () => {
    const as = fresh();
    as.mapHidden(SCRATCH, 3 * PAGE);
    as.bytes.fill(7, SCRATCH, SCRATCH + 3 * PAGE);
    as.unmapHidden(SCRATCH, PAGE + 1);
    expect(as.perms[SCRATCH / PAGE]).toBe(0);
    expect(as.perms[SCRATCH / PAGE + 1]).toBe(0);
    expect(as.bytes[SCRATCH]).toBe(0);
    expect(as.bytes[SCRATCH + 2 * PAGE - 1]).toBe(0);
    expect(() => as.readU8(SCRATCH)).toThrow(GuestFault);
    // The third page stays, bytes and all.
    expect(as.perms[SCRATCH / PAGE + 2]).toBe(RW | PAGE_MAPPED);
    expect(as.readU8(SCRATCH + 2 * PAGE)).toBe(7);
  });

  it("after release touches nothing: the memory may belong to the next address space", () => {
    drainPool();
    const as = new AddressSpace();
    as.mapHidden(SCRATCH, PAGE);
    as.release();
    const next = fresh();
    expect(next.memory).toBe(as.memory);
    next.map(SCRATCH, PAGE, RW, "next");
    next.writeU8(SCRATCH + 5, 9);
    as.unmapHidden(SCRATCH, PAGE);
    expect(next.readU8(SCRATCH + 5)).toBe(9);
    expect(next.perms[SCRATCH / PAGE]).toBe(RW | PAGE_MAPPED);
  });
});

describe("release with hidden pages", () => {
  it("zeroes those still mapped, and only those are left out that unmapHidden took back", () => {
    drainPool();
    const as = new AddressSpace();
    // Three ranges side by side; the middle one is given back first, the two around it stay.
    const below = SCRATCH;
    const middle = SCRATCH + PAGE;
    const above = SCRATCH + 3 * PAGE;
    as.mapHidden(below, PAGE);
    as.mapHidden(middle, 2 * PAGE);
    as.mapHidden(above, PAGE);
    as.bytes.fill(5, below, above + PAGE);
    as.unmapHidden(middle, 2 * PAGE);
    as.release();
    const next = fresh();
    expect(next.memory).toBe(as.memory);
    for (const at of [below, above]) {
      expect([at, next.bytes[at], next.bytes[at + PAGE - 1]]).toEqual([at, 0, 0]);
      expect([at, next.perms[at / PAGE]]).toEqual([at, 0]);
    }
  });
});
