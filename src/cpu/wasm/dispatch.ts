// Chaining WebAssembly regions without going back to JavaScript. A region ends wherever its code
// leaves its page or returns (a call, a return, a jump through a register): on bash that is every
// 20 instructions. Each return to JavaScript and call from it again cost more than the region's
// own work (a generic JS-to-WebAssembly wrapper at a call site that sees hundreds of regions, and
// the lookup of the next page), so the next region is found and called from WebAssembly.
//
// The index: a hash table in the address space's reserved memory (REGION_INDEX_BASE), entries of
// two int32 words, the entry pc and the region's index in a function table; 0 in the first word
// is an empty entry, and an index of 0 one whose region was dropped. Linear probing over at most
// INDEX_PROBES entries (emit.ts); a pc that finds no room is simply not indexed (its region is still entered
// from JavaScript, through its page's table).
//
// The dispatcher (one module, instantiated per address space with its table): looks up the pc,
// calls the region through the table, and goes on while the region says REGION_GO and more than
// MAX_BLOCK instructions of budget are left; else it returns as a region does (the pc; count and
// code in the hart's state words). A pc not in the index returns REGION_GO with the count unchanged.
import type { RegionFn, RegionIndex } from "../code-cache.js";
import { MAX_BLOCK } from "../region-plan.js";
import { REGION_INDEX_BASE, REGION_INDEX_ENTRIES, type AddressSpace } from "../../mem/address-space.js";
import { CodeWriter, moduleBytes, T, W } from "./encode.js";
import { callRegion, indexSlotOf, INDEX_PROBES, lookupRegion, returnAsRegion } from "./emit.js";
import { FP_INSN_INDEX, HEAT_BASE, HEAT_ENTRIES, interpreterModule } from "./interpreter.js";
import { fpInsnHelper, REGION_TYPES } from "./region.js";

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
  w.op(W.loop, T.void); // $next
  lookupRegion(w, { pc: P_PC, index: L_IDX, slot: L_SLOT, at: L_ADDR, probe: L_PROBE });
  w.get(L_IDX);
  w.op(W.i32_eqz, W.if, T.void);
  // Not indexed: go on at pc, nothing counted.
  returnAsRegion(w, P_REGS, P_PC, () => w.get(P_N), () => w.i32(0));
  w.op(W.end);
  callRegion(w, { h: P_H, pc: P_PC, n: P_N, budget: P_BUDGET, regs: P_REGS }, L_IDX);
  w.get(P_BUDGET);
  w.get(P_N);
  w.op(W.i32_sub);
  w.i32(MAX_BLOCK);
  w.op(W.i32_le_s, W.if, T.void);
  w.get(P_PC);
  w.op(W.return, W.end);
  w.br(0); // $next
  w.op(W.end); // $next
  w.op(W.unreachable);
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
  /** The table indexes given back by dropped regions; index 0 is never used, index 1 is the interpreter's FP helper. */
  private readonly freeIndexes: number[] = [];
  private nextIndex = FP_INSN_INDEX + 1;
  /** Per code page: its regions' table indexes and the pcs indexed for each. */
  private readonly byPage = new Map<number, { index: number; pcs: number[] }[]>();

  readonly interpreter: RegionFn | null;

  /** With `interpreter`, the address space gets the WebAssembly interpreter too. */
  constructor(
    private readonly mem: AddressSpace,
    interpreter: boolean,
  ) {
    // The memory may come from an ended process, with its index and heat in it.
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
    this.interpreter = null;
    if (interpreter) {
      mem.bytes.fill(0, HEAT_BASE, HEAT_BASE + HEAT_ENTRIES * 2);
      this.table.set(FP_INSN_INDEX, fpInsnHelper());
      const imports = { m: { mem: mem.memory }, t: { table: this.table } };
      this.interpreter = new WebAssembly.Instance(interpreterModule(), imports).exports.r as RegionFn;
    }
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
    let slot = indexSlotOf(pc);
    for (let probe = 0; probe < INDEX_PROBES; probe++) {
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
    let slot = indexSlotOf(pc);
    for (let probe = 0; probe < INDEX_PROBES; probe++) {
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
