// The address space's protections (src/mem/address-space.ts): what map, protect and unmap leave
// in the permission table the CPU reads on every access, in the mapping list /proc/PID/maps would
// show, and what the checked accessors the kernel uses (read, write, check) then allow. The CPU's
// side of the same pages is in test/cpu/prot-faults.test.ts.
import { beforeEach, describe, expect, it } from "vitest";
import { AddressSpace, PAGE_CODE, PAGE_MAPPED, PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";
import { faultOf } from "./fault-of.js";

const PAGE = 4096;
const RW = PROT_READ | PROT_WRITE;
const BASE = 0x40000;

/** One address space for the file (each is a 4 GiB reservation), emptied before each test. */
let mem: AddressSpace;
beforeEach(() => {
  mem ??= new AddressSpace();
  mem.unmap(0, 2 ** 32);
  mem.onCodeInvalidate = null;
});

const permsOf = (addr: number) => mem.perms[addr / PAGE];

describe("protect", () => {
  it("makes a page read-only: the table loses PROT_WRITE, writes fault, reads work", () => {
    mem.map(BASE, 3 * PAGE, RW, "anon");
    mem.writeU32(BASE + PAGE + 8, 0x01020304);
    expect(mem.protect(BASE + PAGE, PAGE, PROT_READ)).toBe(true);
    expect(permsOf(BASE + PAGE)).toBe(PROT_READ | PAGE_MAPPED);
    expect(permsOf(BASE)).toBe(RW | PAGE_MAPPED);
    expect(permsOf(BASE + 2 * PAGE)).toBe(RW | PAGE_MAPPED);
    expect(faultOf(() => mem.writeU32(BASE + PAGE + 8, 5))).toBe(BASE + PAGE + 8);
    expect(mem.readU32(BASE + PAGE + 8)).toBe(0x01020304);
    // The neighbours stay writable.
    mem.writeU8(BASE + PAGE - 1, 7);
    mem.writeU8(BASE + 2 * PAGE, 7);
  });

  it("PROT_NONE: the page stays mapped, and neither reads nor writes work", () => {
    mem.map(BASE, 2 * PAGE, RW, "anon");
    expect(mem.protect(BASE + PAGE, PAGE, 0)).toBe(true);
    expect(permsOf(BASE + PAGE)).toBe(PAGE_MAPPED);
    expect(mem.isFullyMapped(BASE, BASE + 2 * PAGE)).toBe(true);
    expect(faultOf(() => mem.readU8(BASE + PAGE + 100))).toBe(BASE + PAGE + 100);
    expect(faultOf(() => mem.writeU8(BASE + PAGE + 100, 1))).toBe(BASE + PAGE + 100);
  });

  it("an access running into a forbidden page faults at that page's first byte", () => {
    mem.map(BASE, 2 * PAGE, RW, "anon");
    mem.protect(BASE + PAGE, PAGE, PROT_READ);
    expect(faultOf(() => mem.write(BASE + PAGE - 3, new Uint8Array(8)))).toBe(BASE + PAGE);
    expect(mem.read(BASE + PAGE - 3, 8)).toHaveLength(8);
  });

  it("splits the mapping it changes and joins the pieces again when it is undone", () => {
    mem.map(BASE, 4 * PAGE, RW, "anon");
    mem.protect(BASE + PAGE, 2 * PAGE, PROT_READ | PROT_EXEC);
    expect(mem.listMappings()).toEqual([
      { start: BASE, end: BASE + PAGE, prot: RW, name: "anon" },
      { start: BASE + PAGE, end: BASE + 3 * PAGE, prot: PROT_READ | PROT_EXEC, name: "anon" },
      { start: BASE + 3 * PAGE, end: BASE + 4 * PAGE, prot: RW, name: "anon" },
    ]);
    mem.protect(BASE + PAGE, 2 * PAGE, RW);
    expect(mem.listMappings()).toEqual([{ start: BASE, end: BASE + 4 * PAGE, prot: RW, name: "anon" }]);
    for (let p = 0; p < 4; p++) expect(permsOf(BASE + p * PAGE)).toBe(RW | PAGE_MAPPED);
  });

  it("rounds the length up to whole pages", () => {
    mem.map(BASE, 2 * PAGE, RW, "anon");
    mem.protect(BASE, PAGE + 1, PROT_READ);
    expect(permsOf(BASE)).toBe(PROT_READ | PAGE_MAPPED);
    expect(permsOf(BASE + PAGE)).toBe(PROT_READ | PAGE_MAPPED);
  });

  it("fails, changing nothing, when part of the range is unmapped", () => {
    mem.map(BASE, PAGE, RW, "anon");
    mem.map(BASE + 2 * PAGE, PAGE, RW, "anon");
    expect(mem.protect(BASE, 3 * PAGE, PROT_READ)).toBe(false);
    expect(permsOf(BASE)).toBe(RW | PAGE_MAPPED);
    expect(permsOf(BASE + PAGE)).toBe(0);
    expect(permsOf(BASE + 2 * PAGE)).toBe(RW | PAGE_MAPPED);
    expect(mem.listMappings().map((m) => m.prot)).toEqual([RW, RW]);
  });

  it("drops decoded code on the pages it changes (and only reports pages that held code)", () => {
    mem.map(BASE, 3 * PAGE, PROT_READ | PROT_EXEC, "code");
    const dropped: [number, number][] = [];
    mem.onCodeInvalidate = (first, last) => dropped.push([first, last]);
    mem.perms[BASE / PAGE + 1] |= PAGE_CODE; // as the code cache marks a page it decoded
    mem.protect(BASE, 3 * PAGE, RW);
    expect(dropped).toEqual([[BASE / PAGE, BASE / PAGE + 2]]);
    expect(permsOf(BASE + PAGE) & (PAGE_CODE | PROT_EXEC)).toBe(0);
    dropped.length = 0;
    mem.protect(BASE, 3 * PAGE, PROT_READ);
    expect(dropped).toEqual([]);
  });
});

describe("map and unmap", () => {
  it("unmap clears the table and zeroes the bytes; accesses then fault", () => {
    mem.map(BASE, 2 * PAGE, RW, "anon");
    mem.writeU8(BASE + PAGE + 1, 9);
    mem.unmap(BASE + PAGE, PAGE);
    expect(permsOf(BASE + PAGE)).toBe(0);
    expect(mem.bytes[BASE + PAGE + 1]).toBe(0);
    expect(faultOf(() => mem.readU8(BASE + PAGE + 1))).toBe(BASE + PAGE + 1);
    expect(mem.isFullyMapped(BASE, BASE + 2 * PAGE)).toBe(false);
  });

  it("map over a read-only range replaces its protections", () => {
    mem.map(BASE, PAGE, PROT_READ, "ro");
    mem.map(BASE, PAGE, RW, "rw");
    expect(permsOf(BASE)).toBe(RW | PAGE_MAPPED);
    mem.writeU8(BASE, 1);
  });

  it("poke writes through protections (the loader), but not into unmapped pages", () => {
    mem.map(BASE, PAGE, PROT_READ, "ro");
    mem.poke(BASE + 4, Uint8Array.of(1, 2));
    expect(mem.readU16(BASE + 4)).toBe(0x0201);
    expect(faultOf(() => mem.poke(BASE + PAGE - 1, Uint8Array.of(1, 2)))).toBe(BASE + PAGE - 1);
  });

  it("clone copies protections, not decoded-code marks", () => {
    mem.map(BASE, 2 * PAGE, RW, "anon");
    mem.protect(BASE + PAGE, PAGE, PROT_READ | PROT_EXEC);
    mem.perms[BASE / PAGE + 1] |= PAGE_CODE;
    const copy = mem.clone();
    expect(copy.perms[BASE / PAGE]).toBe(RW | PAGE_MAPPED);
    expect(copy.perms[BASE / PAGE + 1]).toBe(PROT_READ | PROT_EXEC | PAGE_MAPPED);
    expect(faultOf(() => copy.writeU8(BASE + PAGE, 1))).toBe(BASE + PAGE);
  });
});
