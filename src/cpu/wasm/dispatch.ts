// Chaining WebAssembly regions without going back to JavaScript. A region ends wherever its code
// leaves its page or returns (a call, a return, a jump through a register): on bash that is every
// 20 instructions. Each return to JavaScript and call from it again cost more than the region's
// own work (a generic JS-to-WebAssembly wrapper at a call site that sees hundreds of regions, and
// the lookup of the next page), so the next region is found and called from WebAssembly.
//
// The index: a hash table in the address space's reserved memory (REGION_INDEX_BASE), entries of
// two int32 words, the entry pc and the region's index in a function table; 0 in the first word
// is an empty entry, and an index of 0 one whose region was dropped. Linear probing over at most
// PROBES entries; a pc that finds no room is simply not indexed (its region is still entered
// from JavaScript, through its page's table).
//
// The dispatcher (one module, instantiated per address space with its table): looks up the pc,
// calls the region through the table, and goes on while the region says REGION_GO and more than
// MAX_BLOCK instructions of budget are left; else it returns as a region does (the pc; count and
// code in the hart's state words). A pc not in the index returns REGION_GO with the count unchanged.
import { REGS_STATE } from "../hart.js";
import type { RegionFn, RegionIndex } from "../code-cache.js";
import { MAX_BLOCK } from "../region-plan.js";
import { REGION_INDEX_BASE, REGION_INDEX_ENTRIES, type AddressSpace } from "../../mem/address-space.js";
import { CodeWriter, moduleBytes, T, W } from "./encode.js";
import { REGION_TYPES } from "./region.js";

const PROBES = 8;
const HASH_BITS = Math.log2(REGION_INDEX_ENTRIES);
/** Fibonacci hashing: pcs of nearby code spread over the table. */
const HASH_MULTIPLIER = 0x9e3779b1;

/** Where entry pc's search starts. */
function slotOf(pc: number): number {
  return Math.imul(pc, HASH_MULTIPLIER) >>> (32 - HASH_BITS);
}

// Parameters and locals of the dispatcher.
const P_H = 0;
const P_PC = 1;
const P_N = 2;
const P_BUDGET = 3;
const P_REGS = 4;
const L_SLOT = 5;
const L_ADDR = 6;
const L_IDX = 7;
const L_PROBE = 8;

function dispatcherBody(): number[] {
  const w = new CodeWriter();
  const op = w.op.bind(w);
  const i32 = w.i32.bind(w);
  const get = w.get.bind(w);
  const set = w.set.bind(w);
  const tee = w.tee.bind(w);
  const mem = w.access.bind(w);

  op(W.loop, T.void); // $next
  op(W.block, T.void); // $miss
  get(P_PC);
  i32(HASH_MULTIPLIER);
  op(W.i32_mul);
  i32(32 - HASH_BITS);
  op(W.i32_shr_u);
  set(L_SLOT);
  i32(0);
  set(L_PROBE);
  op(W.loop, T.void); // $probe
  get(L_SLOT);
  i32(3);
  op(W.i32_shl);
  tee(L_ADDR);
  mem(W.i32_load, REGION_INDEX_BASE);
  get(P_PC);
  op(W.i32_eq);
  op(W.if, T.void);
  {
    // Found: its region, unless dropped.
    get(L_ADDR);
    mem(W.i32_load, REGION_INDEX_BASE + 4);
    tee(L_IDX);
    op(W.i32_eqz, W.br_if, 2); // $miss
    get(P_H);
    get(P_PC);
    get(P_N);
    get(P_BUDGET);
    get(P_REGS);
    get(L_IDX);
    op(W.call_indirect, 0, 0);
    set(P_PC);
    get(P_REGS);
    mem(W.i32_load, REGS_STATE + 4);
    op(W.if, T.void);
    get(P_PC);
    op(W.return, W.end);
    get(P_REGS);
    mem(W.i32_load, REGS_STATE);
    set(P_N);
    get(P_BUDGET);
    get(P_N);
    op(W.i32_sub);
    i32(MAX_BLOCK);
    op(W.i32_le_s, W.if, T.void);
    get(P_PC);
    op(W.return, W.end);
    op(W.br, 3); // $next
  }
  op(W.end);
  // An empty entry ends the search.
  get(L_ADDR);
  mem(W.i32_load, REGION_INDEX_BASE);
  op(W.i32_eqz, W.br_if, 1); // $miss
  get(L_PROBE);
  i32(1);
  op(W.i32_add);
  tee(L_PROBE);
  i32(PROBES);
  op(W.i32_lt_u, W.if, T.void);
  get(L_SLOT);
  i32(1);
  op(W.i32_add);
  i32(REGION_INDEX_ENTRIES - 1);
  op(W.i32_and);
  set(L_SLOT);
  op(W.br, 1); // $probe
  op(W.end);
  op(W.end); // $probe
  op(W.end); // $miss
  // Not indexed: go on at pc, nothing counted.
  get(P_REGS);
  get(P_N);
  mem(W.i32_store, REGS_STATE);
  get(P_REGS);
  i32(0);
  mem(W.i32_store, REGS_STATE + 4);
  get(P_PC);
  op(W.return);
  op(W.end); // $next
  op(W.unreachable);
  return w.out;
}

let dispatcherModule: WebAssembly.Module | null = null;

/** The compiled tier's index of WebAssembly regions in one address space, and its dispatcher. */
export class WasmRegionIndex implements RegionIndex {
  /**
   * The regions, for call_indirect. Only the dispatcher imports it: V8 updates every instance
   * importing a table on each write to it.
   */
  private readonly table = new WebAssembly.Table({ element: "anyfunc", initial: 256 });
  readonly dispatch: RegionFn;
  /** The table indexes given back by dropped regions; index 0 is never used. */
  private readonly freeIndexes: number[] = [];
  private nextIndex = 1;
  /** Per code page: its regions' table indexes and the pcs indexed for each. */
  private readonly byPage = new Map<number, { index: number; pcs: number[] }[]>();

  constructor(private readonly mem: AddressSpace) {
    // The memory may come from an ended process, with its index in it.
    mem.bytes.fill(0, REGION_INDEX_BASE, REGION_INDEX_BASE + REGION_INDEX_ENTRIES * 8);
    dispatcherModule ??= new WebAssembly.Module(
      moduleBytes({
        types: [REGION_TYPES[0]],
        memoryPages: 65536,
        table: true,
        imports: [],
        func: { type: 0, locals: [T.i32, T.i32, T.i32, T.i32], body: dispatcherBody() },
      }),
    );
    const instance = new WebAssembly.Instance(dispatcherModule, { m: { mem: mem.memory }, t: { table: this.table } });
    this.dispatch = instance.exports.r as RegionFn;
  }

  /** Indexes region fn of page `page` at each of `pcs` that has no live region yet. */
  add(page: number, fn: RegionFn, pcs: number[]): void {
    const index = this.freeIndexes.pop() ?? this.nextIndex++;
    if (index >= this.table.length) this.table.grow(this.table.length);
    this.table.set(index, fn);
    const indexed = pcs.filter((pc) => this.insert(pc, index));
    let list = this.byPage.get(page);
    if (list === undefined) this.byPage.set(page, (list = []));
    list.push({ index, pcs: indexed });
  }

  /** Forgets the regions of a page whose code was dropped. */
  dropPage(page: number): void {
    const list = this.byPage.get(page);
    if (list === undefined) return;
    this.byPage.delete(page);
    const words = this.mem.i32;
    for (const { index, pcs } of list) {
      for (const pc of pcs) {
        const at = this.find(pc);
        if (at >= 0 && words[(at >>> 2) + 1] === index) words[(at >>> 2) + 1] = 0;
      }
      this.table.set(index, null);
      this.freeIndexes.push(index);
    }
  }

  /** The address of pc's entry, or −1. */
  private find(pc: number): number {
    const words = this.mem.i32;
    let slot = slotOf(pc);
    for (let probe = 0; probe < PROBES; probe++) {
      const at = REGION_INDEX_BASE + slot * 8;
      const key = words[at >>> 2];
      if (key === (pc | 0)) return at;
      if (key === 0) return -1;
      slot = (slot + 1) & (REGION_INDEX_ENTRIES - 1);
    }
    return -1;
  }

  /** Enters pc → index unless pc has a live region; false when it did not (or found no room). */
  private insert(pc: number, index: number): boolean {
    const words = this.mem.i32;
    let slot = slotOf(pc);
    for (let probe = 0; probe < PROBES; probe++) {
      const at = (REGION_INDEX_BASE + slot * 8) >>> 2;
      const key = words[at];
      if (key === (pc | 0)) {
        if (words[at + 1] !== 0) return false;
        words[at + 1] = index;
        return true;
      }
      if (key === 0) {
        words[at] = pc;
        words[at + 1] = index;
        return true;
      }
      slot = (slot + 1) & (REGION_INDEX_ENTRIES - 1);
    }
    return false;
  }
}
