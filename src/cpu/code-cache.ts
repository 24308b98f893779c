// Decoded code, per address space and per 4 KiB page: an Int32Array of SLOT_WORDS words for each
// 2-byte position, filled lazily the first time the interpreter reaches that position. A write to
// a page holding decoded code (PAGE_CODE in the permission table) drops it, as do munmap and
// mprotect; an instruction that straddles two pages lives in the first, so dropping a page also
// drops the page before it.
import { AddressSpace, PAGE_CODE, PAGE_SHIFT, PAGE_SIZE } from "../mem/address-space.js";
import { SLOT_WORDS } from "./decode.js";

export const SLOTS_PER_PAGE = PAGE_SIZE / 2;

export class CodeCache {
  private readonly pages = new Map<number, Int32Array>();

  constructor(private readonly mem: AddressSpace) {
    mem.onCodeInvalidate = (first, last) => {
      for (let p = first - 1; p <= last; p++) this.pages.delete(p);
    };
  }

  /** The decoded page for page number p, created empty (all slots undecoded) on first use. */
  page(p: number): Int32Array {
    let d = this.pages.get(p);
    if (d === undefined) {
      d = new Int32Array(SLOTS_PER_PAGE * SLOT_WORDS);
      this.pages.set(p, d);
      this.mem.perms[p] |= PAGE_CODE;
    }
    return d;
  }

  /** Drops every decoded page (fence.i is not needed for correctness here, but costs nothing). */
  clear(): void {
    for (const p of this.pages.keys()) this.mem.perms[p] &= ~PAGE_CODE;
    this.pages.clear();
  }

  get size(): number {
    return this.pages.size;
  }
}

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
