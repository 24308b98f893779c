// Zeroing under a memory limit (AddressSpace.zero and munmap with a MemoryBudget): only the pages
// charged (written) are zeroed, in runs; the uncharged ones already hold zeros, and writing to them
// would make the host provide them. To see which pages were written, each uncharged page here holds
// a marker put behind the accounting's back: zeroing it would erase the marker. The charged pages
// are placed so every edge of a run shows: at the range's first and last page, two runs apart, one
// run of two pages, a charged page just past the range, and a range starting at page 0.
import { describe, expect, it } from "vitest";
import { AddressSpace, PAGE_SIZE, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";
import { MemoryBudget } from "../../src/mem/memory-budget.js";
import { freshSpace } from "./fresh-space.js";

const PAGE = PAGE_SIZE;
const RW = PROT_READ | PROT_WRITE;
const MARK = 0x5a;

/** A new address space under a limit of 100 pages, released after the test. */
const fresh = (): AddressSpace => freshSpace(new MemoryBudget(100 * PAGE));

/**
 * Maps `pages` pages at `base`, writes a whole page of data into the `written` ones (charging them)
 * and puts markers in the others (not charging them). Returns a description of each page after:
 * "zero" when it holds only zeros, "data", or "mark".
 */
function layout(as: AddressSpace, base: number, pages: number, written: number[]): () => string[] {
  as.map(base, pages * PAGE, RW, "data");
  for (let p = 0; p < pages; p++) {
    if (written.includes(p)) as.write(base + p * PAGE, new Uint8Array(PAGE).fill(p + 1));
    else as.bytes[base + p * PAGE + 7] = MARK;
  }
  return () =>
    Array.from({ length: pages }, (_, p) => {
      const bytes = as.bytes.subarray(base + p * PAGE, base + (p + 1) * PAGE);
      if (bytes.every((b) => b === 0)) return "zero";
      return written.includes(p) ? "data" : bytes[7] === MARK ? "mark" : "data";
    });
}

/** Takes the markers back out, so release finds the uncharged pages as the accounting has them. */
function clearMarks(as: AddressSpace, base: number, pages: number): void {
  for (let p = 0; p < pages; p++) if (as.bytes[base + p * PAGE + 7] === MARK) as.bytes[base + p * PAGE + 7] = 0;
}

describe("zero under a limit", () => {
  it("zeroes each run of written pages, whole, and leaves the pages never written alone", () => {
    const as = fresh();
    const BASE = 0x100_0000;
    // Pages: 0 unwritten, 1-2 written, 3 unwritten, 4-5 written (to the range's end), 6 written
    // but outside the range.
    const pages = layout(as, BASE, 7, [1, 2, 4, 5, 6]);
    as.zero(BASE, 6 * PAGE);
    expect(pages()).toEqual(["mark", "zero", "zero", "mark", "zero", "zero", "data"]);
    clearMarks(as, BASE, 7);
  });

  it("a range that starts with a written page and ends with an unwritten one", () => {
    const as = fresh();
    const BASE = 0x200_0000;
    const pages = layout(as, BASE, 5, [0, 2]);
    as.zero(BASE, 5 * PAGE);
    expect(pages()).toEqual(["zero", "mark", "zero", "mark", "mark"]);
    clearMarks(as, BASE, 5);
  });

  it("a range at page 0 (the address space maps it; keeping guests away is mmap's job)", () => {
    const as = fresh();
    const pages = layout(as, 0, 4, [0, 1, 3]);
    as.zero(0, 4 * PAGE);
    expect(pages()).toEqual(["zero", "zero", "mark", "zero"]);
    clearMarks(as, 0, 4);
  });

  it("munmap zeroes the written pages the same way, and gives them back", () => {
    const as = fresh();
    const BASE = 0x300_0000;
    const pages = layout(as, BASE, 6, [1, 2, 4]);
    const budget = as.budget!;
    const before = budget.used;
    as.unmap(BASE, 5 * PAGE);
    expect(pages()).toEqual(["mark", "zero", "zero", "mark", "zero", "mark"]);
    expect(before - budget.used).toBe(3 * PAGE);
    clearMarks(as, BASE, 6);
  });
});
