// The first write to a page under a memory limit (address-space.ts's header): a page mapped writable
// is PAGE_UNCHARGED with PROT_WRITE held back (PAGE_WRITE_DEFERRED) until it is written; touchPage
// charges it then, and lacksOnlyDeferredWrite tells the CPU's slow path and `check` that a missing
// PROT_WRITE is only held back, not refused. Both are public, so their contracts are checked here
// on their own: a page charged already, or a space without a limit, lets the write through and
// charges nothing; an access that lacks more than the held-back write still faults.
import { describe, expect, it } from "vitest";
import {
  GuestFault, PAGE_MAPPED, PAGE_SIZE, PAGE_UNCHARGED, PAGE_WRITE_DEFERRED, PROT_EXEC, PROT_READ, PROT_WRITE,
  lacksOnlyDeferredWrite,
} from "../../src/mem/address-space.js";
import { MemoryBudget } from "../../src/mem/memory-budget.js";
import { freshSpace as fresh } from "./fresh-space.js";

const PAGE = PAGE_SIZE;
const RW = PROT_READ | PROT_WRITE;
const BASE = 0x40_0000;
const page = BASE / PAGE;


describe("lacksOnlyDeferredWrite", () => {
  const deferred = PROT_READ | PAGE_MAPPED | PAGE_UNCHARGED | PAGE_WRITE_DEFERRED;

  it("is true when the only permission missing is the held-back write", () => {
    expect(lacksOnlyDeferredWrite(deferred, PROT_WRITE)).toBe(true);
    expect(lacksOnlyDeferredWrite(deferred, RW)).toBe(true);
  });

  it("is false when something else is missing too, or when the write is not held back", () => {
    expect(lacksOnlyDeferredWrite(deferred, PROT_WRITE | PROT_EXEC)).toBe(false);
    expect(lacksOnlyDeferredWrite(deferred, PROT_EXEC)).toBe(false);
    expect(lacksOnlyDeferredWrite(PROT_READ | PAGE_MAPPED | PAGE_UNCHARGED, PROT_WRITE)).toBe(false);
  });

  it("so check() faults, charging nothing, when an unwritten page is asked for write and execute", () => {
    const budget = new MemoryBudget(10 * PAGE);
    const as = fresh(budget);
    as.map(BASE, PAGE, RW, "data");
    expect(() => as.check(BASE, 4, PROT_WRITE | PROT_EXEC)).toThrow(GuestFault);
    expect(budget.used).toBe(0);
    expect(as.perms[page] & PAGE_UNCHARGED).toBe(PAGE_UNCHARGED);
  });
});

describe("touchPage", () => {
  it("without a limit: the write may go on, and nothing changes", () => {
    const as = fresh(null);
    as.map(BASE, PAGE, RW, "data");
    const bits = as.perms[page];
    expect(as.touchPage(page)).toBe(true);
    expect(as.perms[page]).toBe(bits);
    expect(as.charged).toBe(0);
  });

  it("a page not yet written: charged once, its PROT_WRITE given back", () => {
    const budget = new MemoryBudget(10 * PAGE);
    const as = fresh(budget);
    as.map(BASE, PAGE, RW, "data");
    expect(as.touchPage(page)).toBe(true);
    expect(as.perms[page]).toBe(RW | PAGE_MAPPED);
    expect([budget.used, as.charged]).toEqual([PAGE, 1]);
  });

  it("a page charged already: the write may go on, and nothing more is charged", () => {
    const budget = new MemoryBudget(10 * PAGE);
    const as = fresh(budget);
    as.map(BASE, PAGE, RW, "data");
    as.writeU8(BASE, 1);
    expect([budget.used, as.charged]).toEqual([PAGE, 1]);
    expect(as.touchPage(page)).toBe(true);
    expect([budget.used, as.charged]).toEqual([PAGE, 1]);
  });

  it("a page charged already needs no room in the budget", () => {
    const budget = new MemoryBudget(PAGE);
    const as = fresh(budget);
    as.map(BASE, 2 * PAGE, RW, "data");
    as.writeU8(BASE, 1);
    expect(as.touchPage(page)).toBe(true);
    expect(as.outOfMemory).toBe(false);
    // The other page does need room, and there is none.
    expect(as.touchPage(page + 1)).toBe(false);
    expect(as.outOfMemory).toBe(true);
    expect(budget.used).toBe(PAGE);
  });
});

describe("poke", () => {
  it("of no bytes charges nothing, even inside a page not yet written", () => {
    const budget = new MemoryBudget(10 * PAGE);
    const as = fresh(budget);
    as.map(BASE, PAGE, RW, "data");
    as.poke(BASE + 8, new Uint8Array(0));
    expect([budget.used, as.charged]).toEqual([0, 0]);
    expect(as.perms[page] & PAGE_UNCHARGED).toBe(PAGE_UNCHARGED);
  });
});
