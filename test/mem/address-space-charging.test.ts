// The host work address-space operations report (addressSpaceWork, which kernel/host-work.ts charges to
// --max-insns), priced as ADDRESS_SPACE_WORK_PRICES says: a loop iteration over the permission table
// costs `page`, a mapping visited, copied or sorted when the list changes costs `mapping`, a page of
// data zeroed costs `zeroedPage`. A guest that makes the host loop must pay for each iteration, so a
// count that runs backwards, misses a factor or counts the wrong pages lets it work the host for free.
// Each expected figure below is worked out from those prices and the passes an operation documents.
import { beforeEach, describe, expect, it } from "vitest";
import {
  ADDRESS_SPACE_WORK_PRICES as PRICE, AddressSpace, PAGE_SIZE, PROT_READ, PROT_WRITE, addressSpaceWork,
} from "../../src/mem/address-space.js";
import { MemoryBudget } from "../../src/mem/memory-budget.js";
import { freshSpace as fresh, releasedAfterTest } from "./fresh-space.js";

const PAGE = PAGE_SIZE;
const RW = PROT_READ | PROT_WRITE;
const BASE = 0x100_0000;


/** The work f() reports. */
function workOf(f: () => unknown): number {
  const before = addressSpaceWork.units;
  f();
  return addressSpaceWork.units - before;
}

/** An address space holding `n` mappings that cannot join (a page apart), above BASE. */
function withMappings(n: number, budget: MemoryBudget | null = null): AddressSpace {
  const as = fresh(budget);
  for (let i = 0; i < n; i++) as.map(BASE + 2 * i * PAGE, PAGE, RW, `m${i}`);
  return as;
}

describe("the counter", () => {
  it("is a number that work adds to (the kernel takes and resets it after each syscall)", () => {
    const as = withMappings(3);
    as.listMappings();
    expect(Number.isFinite(addressSpaceWork.units)).toBe(true);
    expect(addressSpaceWork.units).toBeGreaterThan(0);
  });
});

describe("the list of mappings", () => {
  const N = 7;
  let as: AddressSpace;
  beforeEach(() => {
    as = withMappings(N);
  });

  it("listMappings copies each mapping", () => {
    expect(workOf(() => as.listMappings())).toBe(N * PRICE.mapping);
  });

  it("unmap of a range holding nothing still rebuilds the list: each mapping visited", () => {
    expect(workOf(() => as.unmap(0x8000_0000, 4 * PAGE))).toBe(N * PRICE.mapping);
  });

  it("map of a free range: the list rebuilt while clearing the range, then the N + 1 sorted", () => {
    expect(workOf(() => as.map(0x8000_0000, 4 * PAGE, RW, "new"))).toBe((N + N + 1) * PRICE.mapping);
  });

  it("a lookup (findMapping, isAnyMapped, findFree) pays for every mapping it may compare", () => {
    // At least a loop iteration per mapping, at most what copying them would cost.
    for (const lookup of [() => as.findMapping(0x8000_0000), () => as.isAnyMapped(0x8000_0000, PAGE), () => as.findFree(PAGE)]) {
      const w = workOf(lookup);
      expect(w).toBeGreaterThanOrEqual(N * PRICE.page);
      expect(w).toBeLessThanOrEqual(N * PRICE.mapping);
    }
  });
});

describe("loops over the permission table", () => {
  it("isFullyMapped: one iteration per page, up to and including the first unmapped page", () => {
    const as = fresh();
    as.map(BASE, 10 * PAGE, RW, "a");
    expect(workOf(() => as.isFullyMapped(BASE, BASE + 10 * PAGE))).toBe(10 * PRICE.page);
    as.unmap(BASE + 3 * PAGE, PAGE);
    // Pages 0, 1, 2 are mapped; page 3 is the hole where the loop stops.
    expect(workOf(() => as.isFullyMapped(BASE, BASE + 10 * PAGE))).toBe(4 * PRICE.page);
    expect(workOf(() => as.isFullyMapped(BASE + 2 * PAGE, BASE + 10 * PAGE))).toBe(2 * PRICE.page);
  });

  it("invalidateCode: one iteration per page of the range", () => {
    const as = fresh();
    as.map(BASE, 6 * PAGE, RW, "a");
    expect(workOf(() => as.invalidateCode(BASE + PAGE, BASE + 6 * PAGE))).toBe(5 * PRICE.page);
    expect(workOf(() => as.invalidateCode(BASE + PAGE, BASE + PAGE + 1))).toBe(1 * PRICE.page);
  });
});

describe("zeroing (madvise's MADV_DONTNEED, munmap)", () => {
  it("without a limit: the code marks' pass, and every page zeroed", () => {
    const as = fresh();
    as.map(BASE, 6 * PAGE, RW, "a");
    expect(workOf(() => as.zero(BASE, 6 * PAGE))).toBe(6 * PRICE.page + 6 * PRICE.zeroedPage);
  });

  it("under a limit: the code marks' pass, a pass to find the written pages, and only those zeroed", () => {
    const as = fresh(new MemoryBudget(100 * PAGE));
    as.map(BASE, 6 * PAGE, RW, "a");
    for (const p of [1, 2, 4]) as.writeU8(BASE + p * PAGE, 1);
    expect(workOf(() => as.zero(BASE, 6 * PAGE))).toBe(6 * PRICE.page + 6 * PRICE.page + 3 * PRICE.zeroedPage);
  });

  it("munmap under a limit adds the list rebuilt and the pass that gives the written pages back", () => {
    const budget = new MemoryBudget(100 * PAGE);
    const as = withMappings(3, budget);
    as.map(0x8000_0000, 5 * PAGE, RW, "a");
    for (const p of [0, 3]) as.writeU8(0x8000_0000 + p * PAGE, 1);
    // Four mappings; the unmap covers the last one's 5 pages, two of them written.
    const zeroing = 5 * PRICE.page + 5 * PRICE.page + 2 * PRICE.zeroedPage;
    expect(workOf(() => as.unmap(0x8000_0000, 5 * PAGE))).toBe(4 * PRICE.mapping + zeroing + 5 * PRICE.page);
    expect(budget.used).toBe(0);
  });
});

describe("fork's copy (clone's `work`)", () => {
  it("counts as copied only the 64 KiB chunks that hold data, and every byte as scanned", () => {
    const CHUNK = 64 * 1024;
    const as = fresh();
    // Five chunks: zeros, data, zeros, data, zeros. A zero chunk first and last, so a run that is
    // opened or closed at the wrong place shows.
    as.map(BASE, 5 * CHUNK, RW, "a");
    as.writeU8(BASE + CHUNK + 100, 1);
    as.writeU8(BASE + 4 * CHUNK - 1, 2);
    const work = { scanned: 0, copied: 0 };
    const copy = as.clone(work);
    releasedAfterTest(copy);
    expect(work).toEqual({ scanned: 5 * CHUNK, copied: 2 * CHUNK });
    expect(copy.readU8(BASE + CHUNK + 100)).toBe(1);
    expect(copy.readU8(BASE + 4 * CHUNK - 1)).toBe(2);
  });

  it("a chunk cut short by the mapping's end counts as zeros when it holds only zeros", () => {
    const CHUNK = 64 * 1024;
    const as = fresh();
    // One whole chunk with data, then two pages of zeros: the last chunk is only those two pages.
    as.map(BASE, CHUNK + 2 * PAGE, RW, "a");
    as.writeU8(BASE + 9, 1);
    const work = { scanned: 0, copied: 0 };
    releasedAfterTest(as.clone(work));
    expect(work).toEqual({ scanned: CHUNK + 2 * PAGE, copied: CHUNK });
  });

  it("a run of data that starts at address 0 ends at the first zero chunk as any other", () => {
    const CHUNK = 64 * 1024;
    const as = fresh();
    as.map(0, 3 * CHUNK, RW, "low");
    as.writeU8(5, 1);
    const work = { scanned: 0, copied: 0 };
    releasedAfterTest(as.clone(work));
    expect(work).toEqual({ scanned: 3 * CHUNK, copied: CHUNK });
  });
});
