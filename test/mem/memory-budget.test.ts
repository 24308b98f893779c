// An address space under a memory limit (address-space.ts with a MemoryBudget): a page is charged
// when it is first written (by a guest store, a kernel write or the loader), never when it is only
// mapped or read; unmapping and releasing give it back; fork's copy is charged; protections keep a
// page's charged state; a write that finds the budget spent faults and marks the space.
import { describe, expect, it } from "vitest";
import {
  AddressSpace, GuestFault, PAGE_SIZE, PAGE_UNCHARGED, PAGE_WRITE_DEFERRED, PROT_READ, PROT_WRITE,
} from "../../src/mem/address-space.js";
import { MemoryBudget } from "../../src/mem/memory-budget.js";
import { Hart, Exit } from "../../src/cpu/hart.js";
import { run } from "../../src/cpu/interp.js";

const BASE = 0x10_0000;
const RW = PROT_READ | PROT_WRITE;

function space(limitPages: number): { mem: AddressSpace; budget: MemoryBudget } {
  const budget = new MemoryBudget(limitPages * PAGE_SIZE);
  return { mem: new AddressSpace(budget), budget };
}

describe("charging pages", () => {
  it("maps without charging, reads zeros without charging, charges the first write of a page once", () => {
    const { mem, budget } = space(100);
    mem.map(BASE, 10 * PAGE_SIZE, RW, "data");
    expect(budget.used).toBe(0);
    expect(mem.readU32(BASE + 5 * PAGE_SIZE)).toBe(0);
    expect(budget.used).toBe(0);
    mem.writeU32(BASE + 8, 1);
    mem.writeU32(BASE + 100, 2);
    expect(budget.used).toBe(PAGE_SIZE);
    // A write across a page boundary charges the second page.
    mem.write(BASE + PAGE_SIZE - 2, new Uint8Array([1, 2, 3, 4]));
    expect(budget.used).toBe(2 * PAGE_SIZE);
    expect(mem.charged).toBe(2);
    expect(mem.readU32(BASE + 8)).toBe(1);
    mem.release();
  });

  it("gives pages back at munmap, at a mapping over them, and at release", () => {
    const { mem, budget } = space(100);
    mem.map(BASE, 10 * PAGE_SIZE, RW, "data");
    for (let i = 0; i < 10; i++) mem.writeU8(BASE + i * PAGE_SIZE, 1);
    expect(budget.used).toBe(10 * PAGE_SIZE);
    mem.unmap(BASE, 3 * PAGE_SIZE);
    expect(budget.used).toBe(7 * PAGE_SIZE);
    mem.map(BASE + 5 * PAGE_SIZE, 2 * PAGE_SIZE, RW, "over");
    expect(budget.used).toBe(5 * PAGE_SIZE);
    mem.release();
    expect(budget.used).toBe(0);
  });

  it("keeps a page's charged state through mprotect, holding back PROT_WRITE of pages not yet written", () => {
    const { mem, budget } = space(100);
    mem.map(BASE, 2 * PAGE_SIZE, PROT_READ, "ro");
    expect(mem.perms[BASE / PAGE_SIZE] & PAGE_UNCHARGED).toBeTruthy();
    expect(mem.protect(BASE, 2 * PAGE_SIZE, RW)).toBe(true);
    const page = BASE / PAGE_SIZE;
    expect(mem.perms[page] & PROT_WRITE).toBe(0);
    expect(mem.perms[page] & PAGE_WRITE_DEFERRED).toBeTruthy();
    mem.writeU8(BASE, 1);
    expect(budget.used).toBe(PAGE_SIZE);
    expect(mem.protect(BASE, 2 * PAGE_SIZE, PROT_READ)).toBe(true);
    expect(mem.protect(BASE, 2 * PAGE_SIZE, RW)).toBe(true);
    // The written page is writable at once; the other still waits for its first write.
    expect(mem.perms[page] & PROT_WRITE).toBeTruthy();
    expect(mem.perms[page + 1] & PROT_WRITE).toBe(0);
    expect(budget.used).toBe(PAGE_SIZE);
    mem.release();
  });

  it("charges what the kernel puts in (poke) whatever the protection", () => {
    const { mem, budget } = space(100);
    mem.map(BASE, 4 * PAGE_SIZE, PROT_READ, "text");
    mem.poke(BASE + PAGE_SIZE, new Uint8Array(PAGE_SIZE + 1).fill(9));
    expect(budget.used).toBe(2 * PAGE_SIZE);
    expect(mem.readU8(BASE + 2 * PAGE_SIZE)).toBe(9);
    mem.release();
  });

  it("charges a fork's copy as much as the original, and both give back", () => {
    const { mem, budget } = space(100);
    mem.map(BASE, 8 * PAGE_SIZE, RW, "data");
    for (let i = 0; i < 3; i++) mem.writeU8(BASE + i * PAGE_SIZE, 7);
    const work = { scanned: 0, copied: 0 };
    const copy = mem.clone(work);
    expect(budget.used).toBe(6 * PAGE_SIZE);
    expect(work.scanned).toBe(8 * PAGE_SIZE);
    expect(work.copied).toBeGreaterThanOrEqual(3 * PAGE_SIZE);
    expect(copy.readU8(BASE + 2 * PAGE_SIZE)).toBe(7);
    // The copy's untouched pages wait for their first write, as the original's do.
    copy.writeU8(BASE + 5 * PAGE_SIZE, 1);
    expect(budget.used).toBe(7 * PAGE_SIZE);
    copy.release();
    mem.release();
    expect(budget.used).toBe(0);
  });

  it("moves only written pages at mremap, keeping them charged and their bytes", () => {
    const { mem, budget } = space(100);
    mem.map(BASE, 4 * PAGE_SIZE, RW, "data");
    mem.writeU32(BASE + PAGE_SIZE + 12, 0xabcd);
    mem.move(BASE, 4 * PAGE_SIZE, BASE + 0x10_0000, 8 * PAGE_SIZE);
    expect(budget.used).toBe(PAGE_SIZE);
    expect(mem.readU32(BASE + 0x10_0000 + PAGE_SIZE + 12)).toBe(0xabcd);
    expect(mem.perms[(BASE + 0x10_0000) / PAGE_SIZE] & PAGE_UNCHARGED).toBeTruthy();
    mem.release();
    expect(budget.used).toBe(0);
  });

  it("never writes pages never written when zeroing (munmap, madvise): the host need not provide them", () => {
    const { mem } = space(100);
    mem.map(BASE, 4 * PAGE_SIZE, PROT_READ, "reserved");
    // A marker behind the accounting's back, in a page the budget holds to be untouched: zeroing
    // that page would erase it.
    mem.bytes[BASE + PAGE_SIZE] = 0x5a;
    mem.zero(BASE, 4 * PAGE_SIZE);
    expect(mem.bytes[BASE + PAGE_SIZE]).toBe(0x5a);
    mem.poke(BASE + 2 * PAGE_SIZE, new Uint8Array([1]));
    mem.zero(BASE, 4 * PAGE_SIZE);
    expect(mem.readU8(BASE + 2 * PAGE_SIZE)).toBe(0);
    mem.bytes[BASE + PAGE_SIZE] = 0;
    mem.release();
  });

  it("refuses a mapping that does not fit what is left only when it may hold data", () => {
    const { mem } = space(10);
    mem.map(BASE, 4 * PAGE_SIZE, RW, "data");
    for (let i = 0; i < 4; i++) mem.writeU8(BASE + i * PAGE_SIZE, 1);
    expect(mem.mayMap(6 * PAGE_SIZE, RW, false)).toBe(true);
    expect(mem.mayMap(7 * PAGE_SIZE, RW, false)).toBe(false);
    expect(mem.mayMap(7 * PAGE_SIZE, PROT_READ, false)).toBe(true);
    expect(mem.mayMap(7 * PAGE_SIZE, PROT_READ, true)).toBe(false);
    expect(new AddressSpace().mayMap(1 << 30, RW, true)).toBe(true);
    mem.release();
  });
});

describe("a write when the budget is spent", () => {
  it("by the kernel: GuestFault, nothing charged, the space marked out of memory", () => {
    const { mem, budget } = space(2);
    mem.map(BASE, 4 * PAGE_SIZE, RW, "data");
    mem.writeU8(BASE, 1);
    mem.writeU8(BASE + PAGE_SIZE, 1);
    expect(mem.outOfMemory).toBe(false);
    expect(() => mem.writeU8(BASE + 2 * PAGE_SIZE, 1)).toThrow(GuestFault);
    expect(mem.outOfMemory).toBe(true);
    expect(budget.used).toBe(2 * PAGE_SIZE);
    mem.release();
  });

  it("by a guest store: a memory fault at the store, the space marked out of memory; within it the store runs", () => {
    for (const [pages, fits] of [[1, false], [2, true]] as const) {
      const { mem, budget } = space(pages);
      mem.map(BASE, PAGE_SIZE, PROT_READ | 4 /* PROT_EXEC */, "text");
      mem.map(BASE + PAGE_SIZE, PAGE_SIZE, RW, "data");
      // sw a1, 0(a0); ebreak
      mem.poke(BASE, new Uint8Array([0x23, 0x20, 0xb5, 0x00, 0x73, 0x00, 0x10, 0x00]));
      const h = new Hart();
      h.pc = BASE;
      h.setXNumber(10, BASE + PAGE_SIZE);
      h.setXNumber(11, 0x55);
      const exit = run(h, mem, 10);
      expect(exit).toBe(fits ? Exit.Ebreak : Exit.MemFault);
      expect(mem.outOfMemory).toBe(!fits);
      expect(h.pc).toBe(fits ? BASE + 4 : BASE);
      expect(budget.used).toBe(pages * PAGE_SIZE);
      if (fits) expect(mem.readU32(BASE + PAGE_SIZE)).toBe(0x55);
      mem.release();
    }
  });
});
