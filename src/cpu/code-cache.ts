// Decoded code, per address space and per 4 KiB page. A CodePage holds an Int32Array of SLOT_WORDS
// words for each 2-byte position, filled lazily the first time the interpreter reaches that
// position; the execution counts of the block starts the interpreter met there; and the compiled
// regions (jit.ts) that can be entered at positions of the page.
//
// A write to a page holding decoded code (PAGE_CODE in the permission table) drops its CodePage,
// as do munmap and mprotect; an instruction that straddles two pages lives in the first, so
// dropping a page also drops the page before it. Every drop bumps `epoch`, which tells a running
// interpreter that the page it holds may be stale.
import type { Hart } from "./hart.js";
import { AddressSpace, PAGE_CODE, PAGE_SHIFT, PAGE_SIZE } from "../mem/address-space.js";
import { SLOT_WORDS } from "./decode.js";

export const SLOTS_PER_PAGE = PAGE_SIZE / 2;

/**
 * A compiled region (jit.ts): runs from `pc` (one of its entries) with `n` instructions already
 * counted by this run() and at most `budget` in all; `regs` is the address of the hart's register
 * slot (WebAssembly regions read the registers there). It returns a pc, as an int32 for pcs at or
 * above 2^31 (WebAssembly has no unsigned results), and leaves in the hart's `state` the count
 * ([0]) and what to do at that pc ([1]): REGION_GO (go on there), REGION_INTERPRET (the
 * interpreter must run the instruction there: a slow memory access, an atomic, a trap it
 * reports) or −Exit (a trap at that pc, trap fields set).
 */
export type RegionFn = (h: Hart, pc: number, n: number, budget: number, regs: number) => number;

/**
 * An address space's index of compiled regions that compiled code itself can look up and call
 * (wasm/dispatch.ts): `dispatch` runs regions from a pc for as long as it finds them, and behaves
 * as a region does.
 */
export interface RegionIndex {
  readonly dispatch: RegionFn;
  /** The WebAssembly interpreter (wasm/interpreter.ts) on this address space, if it has one: entered at block starts instead of regions. */
  readonly interpreter: RegionFn | null;
  /** Indexes region fn, compiled for page `page`, at `pcs`. */
  add(page: number, fn: RegionFn, pcs: number[]): void;
  /** Forgets the regions of a page whose decoded code is dropped. */
  dropPage(page: number): void;
}

export const REGION_GO = 0;
export const REGION_INTERPRET = 1;
/** From the WebAssembly interpreter only (wasm/interpreter.ts): the block at pc is hot; compile a region there. */
export const REGION_HOT = 2;

/** The compiled regions of a page that has none (shared, never written). */
export const NO_REGIONS: (RegionFn | undefined)[] = new Array<RegionFn | undefined>(PAGE_SIZE / 2).fill(undefined);

/** A fresh table of compiled regions for a page (the same shape as NO_REGIONS). */
export function newRegionTable(): (RegionFn | undefined)[] {
  return new Array<RegionFn | undefined>(PAGE_SIZE / 2).fill(undefined);
}

/** Bytes of storage per page: the decoded slots, then the heat counters. */
const SLOT_BYTES = SLOTS_PER_PAGE * SLOT_WORDS * 4;
const PAGE_BYTES = SLOT_BYTES + SLOTS_PER_PAGE * 2;
/** Pages' storage is allocated this many at a time (one ArrayBuffer is much cheaper than many). */
const PAGES_PER_CHUNK = 16;

export class CodePage {
  /** Decoded slots: [op, regs, imm, raw] per 2-byte position (decode.ts). */
  declare readonly d: Int32Array;
  /** How often the interpreter started a block at each position (saturates; see jit.ts). */
  declare readonly heat: Uint16Array;
  /** The compiled region to enter at each position (NO_REGIONS while the page has none). */
  fns = NO_REGIONS;
  /** Regions compiled for this page (bounded, so a page cannot recompile forever). */
  compiled = 0;
  /** The page number (address / PAGE_SIZE; a small integer, unlike the address). */
  declare readonly page: number;

  /** A page whose storage (all zero) is at `offset` in `buffer`. */
  constructor(page: number, buffer: ArrayBuffer, offset: number) {
    // Assigned here only (a parameter property would be defined as undefined first, which makes
    // V8 keep the field as a generic tagged value).
    this.page = page;
    this.d = new Int32Array(buffer, offset, SLOTS_PER_PAGE * SLOT_WORDS);
    this.heat = new Uint16Array(buffer, offset + SLOT_BYTES, SLOTS_PER_PAGE);
  }
}

/** A page with storage of its own (for stand-ins). */
export function detachedPage(page: number): CodePage {
  return new CodePage(page, new ArrayBuffer(PAGE_BYTES), 0);
}

export class CodeCache {
  private readonly pages = new Map<number, CodePage>();
  /** Bumped whenever a page is dropped. */
  epoch = -1;
  /** The index of WebAssembly regions, once there is one. */
  regionIndex: RegionIndex | null = null;
  /** Storage for pages: the chunk being carved up, and what dropped pages gave back. */
  private chunk: ArrayBuffer | null = null;
  private chunkUsed = PAGES_PER_CHUNK;
  private readonly free: CodePage[] = [];

  constructor(private readonly mem: AddressSpace) {
    this.epoch = 0; // a second write: see prepareShapes below
    mem.onCodeInvalidate = (first, last) => {
      for (let p = first - 1; p <= last; p++) this.drop(p);
      this.epoch++;
    };
  }

  /** The decoded page for page number p, created empty (all slots undecoded) on first use. */
  page(p: number): CodePage {
    let d = this.pages.get(p);
    if (d === undefined) {
      d = this.fresh(p);
      this.pages.set(p, d);
      this.mem.perms[p] |= PAGE_CODE;
    }
    return d;
  }

  private fresh(p: number): CodePage {
    const old = this.free.pop();
    if (old !== undefined) {
      // Storage of a dropped page. Nothing uses it any more: whoever held that page (the
      // interpreter) looks its page up again after anything that can drop one.
      old.d.fill(0);
      old.heat.fill(0);
      return new CodePage(p, old.d.buffer as ArrayBuffer, old.d.byteOffset);
    }
    if (this.chunkUsed === PAGES_PER_CHUNK) {
      this.chunk = new ArrayBuffer(PAGES_PER_CHUNK * PAGE_BYTES);
      this.chunkUsed = 0;
    }
    return new CodePage(p, this.chunk!, PAGE_BYTES * this.chunkUsed++);
  }

  private drop(p: number): void {
    const pg = this.pages.get(p);
    if (pg === undefined) return;
    this.pages.delete(p);
    if (pg.fns !== NO_REGIONS) this.regionIndex?.dropPage(p);
    this.free.push(pg);
  }

  /** The decoded page for page number p if there is one. */
  peek(p: number): CodePage | undefined {
    return this.pages.get(p);
  }

  /** Drops every decoded page (fence.i is not needed for correctness here, but costs nothing). */
  clear(): void {
    for (const p of [...this.pages.keys()]) {
      this.mem.perms[p] &= ~PAGE_CODE;
      this.drop(p);
    }
    this.epoch++;
  }

  get size(): number {
    return this.pages.size;
  }
}

/**
 * V8 treats a field that only its initializer has written as a constant, and throws away optimised
 * code that relied on that the first time the field is written again — here that would be when a
 * page gets its first region, long after start-up. Writing the fields once on a throwaway page makes
 * them ordinary fields from the start.
 */
function prepareShapes(): void {
  const scratch = detachedPage(0);
  scratch.fns = newRegionTable();
  scratch.compiled = 1;
}
prepareShapes();

const caches = new WeakMap<AddressSpace, CodeCache>();

/** The code cache of an address space (one per address space, shared by its threads). */
export function codeCacheOf(mem: AddressSpace): CodeCache {
  let c = caches.get(mem);
  if (c === undefined) {
    c = new CodeCache(mem);
    caches.set(mem, c);
  }
  return c;
}

export { PAGE_SHIFT };
