// Address spaces for the tests of this folder: each is released after the test that made it, so its
// memory goes back to the pool as an ended process's does.
import { afterEach } from "vitest";
import { AddressSpace } from "../../src/mem/address-space.js";
import type { MemoryBudget } from "../../src/mem/memory-budget.js";

const live: AddressSpace[] = [];
afterEach(() => live.splice(0).forEach((as) => as.release()));

/** A new address space (under `budget`, if given), released after the current test. */
export function freshSpace(budget: MemoryBudget | null = null): AddressSpace {
  return releasedAfterTest(new AddressSpace(budget));
}

/** Releases `as` (a clone, say) after the current test; returns it. */
export function releasedAfterTest(as: AddressSpace): AddressSpace {
  live.push(as);
  return as;
}

/**
 * Takes every memory the pool holds (at most four), so that the next address space released is the
 * one a new address space gets.
 */
export function drainPool(): void {
  for (let i = 0; i < 4; i++) freshSpace();
}
