// Pieces of WebAssembly code that more than one generator emits: the compiled regions
// (region.ts), the dispatcher (dispatch.ts) and the interpreter (interp.ts) check memory accesses,
// divide and look regions up the same way.
import { REGS_STATE } from "../hart.js";
import { Op } from "../ops.js";
import { PERMS_BASE, PROT_READ, PROT_WRITE, PAGE_CODE, REGION_INDEX_BASE, REGION_INDEX_ENTRIES } from "../../mem/address-space.js";
import { CodeWriter, T, W } from "./encode.js";

/**
 * With an access's i64 address on the stack, leaves the address's low word in local `a` (its
 * address in the memory when the access goes ahead) and on the stack an i32 that is not 0 when
 * the interpreter must make the access instead: the address is not below 2^32, the access crosses
 * its page, or the page's permission byte forbids it (`store`: not writable, or holding decoded
 * code; else not readable). `e` is an i64 scratch local.
 */
export function accessFails(w: CodeWriter, e: number, a: number, size: number, store: boolean): void {
  w.tee(e);
  w.op(W.i32_wrap_i64);
  w.set(a);
  w.get(e);
  w.i64(32);
  w.op(W.i64_shr_u);
  w.op(W.i32_wrap_i64);
  if (size > 1) {
    w.get(a);
    w.i32(4095);
    w.op(W.i32_and);
    w.i32(4096 - size);
    w.op(W.i32_gt_u);
    w.op(W.i32_or);
  }
  w.get(a);
  pagePermissions(w);
  if (store) {
    w.i32(PROT_WRITE | PAGE_CODE);
    w.op(W.i32_and);
    w.i32(PROT_WRITE);
    w.op(W.i32_ne);
  } else {
    w.i32(PROT_READ);
    w.op(W.i32_and);
    w.op(W.i32_eqz);
  }
  w.op(W.i32_or);
}

/** With an address (i32) on the stack, pushes its page's permission byte (the table in the memory's last MiB). */
export function pagePermissions(w: CodeWriter): void {
  w.i32(12);
  w.op(W.i32_shr_u);
  w.access(W.i32_load8_u, PERMS_BASE);
}

/** The divisions: their WebAssembly operation, whether on words, signed, a quotient (else a remainder). */
export const DIVISIONS: Partial<Record<Op, { opcode: W; word: boolean; signed: boolean; quotient: boolean }>> = {
  [Op.Div]: { opcode: W.i64_div_s, word: false, signed: true, quotient: true },
  [Op.Divu]: { opcode: W.i64_div_u, word: false, signed: false, quotient: true },
  [Op.Rem]: { opcode: W.i64_rem_s, word: false, signed: true, quotient: false },
  [Op.Remu]: { opcode: W.i64_rem_u, word: false, signed: false, quotient: false },
  [Op.Divw]: { opcode: W.i32_div_s, word: true, signed: true, quotient: true },
  [Op.Divuw]: { opcode: W.i32_div_u, word: true, signed: false, quotient: true },
  [Op.Remw]: { opcode: W.i32_rem_s, word: true, signed: true, quotient: false },
  [Op.Remuw]: { opcode: W.i32_rem_u, word: true, signed: false, quotient: false },
};

/**
 * Pushes division `op` of local p by local q (i32 locals for the w forms, i64 otherwise) with
 * RISC-V's results where WebAssembly would trap, checked first: x / 0 = −1, x % 0 = x, and for the
 * signed ones x / −1 = −x (MIN / −1 wraps to MIN) and x % −1 = 0. The w forms leave an i32.
 */
export function divide(w: CodeWriter, op: Op, p: number, q: number): void {
  const { opcode, word, signed, quotient } = DIVISIONS[op]!;
  const type = word ? T.i32 : T.i64;
  const constant = (v: number) => (word ? w.i32(v) : w.i64(v));
  w.get(q);
  w.op(word ? W.i32_eqz : W.i64_eqz, W.if, type);
  if (quotient) constant(-1);
  else w.get(p);
  w.op(W.else);
  if (signed) {
    w.get(q);
    constant(-1);
    w.op(word ? W.i32_eq : W.i64_eq, W.if, type);
    constant(0);
    if (quotient) {
      w.get(p);
      w.op(word ? W.i32_sub : W.i64_sub);
    }
    w.op(W.else);
  }
  w.get(p);
  w.get(q);
  w.op(opcode);
  if (signed) w.op(W.end);
  w.op(W.end);
}

/** Probes of the region index before a pc counts as not indexed (dispatch.ts). */
export const INDEX_PROBES = 8;
const INDEX_HASH_BITS = Math.log2(REGION_INDEX_ENTRIES);
/** Fibonacci hashing: pcs of nearby code spread over the table. */
const INDEX_HASH_MULTIPLIER = 0x9e3779b1;

/** The index entry where pc's search starts (dispatch.ts keeps the index). */
export function indexSlotOf(pc: number): number {
  return Math.imul(pc, INDEX_HASH_MULTIPLIER) >>> (32 - INDEX_HASH_BITS);
}

/** Locals lookupRegion uses: the pc to look up, its result, and three i32 scratch locals. */
export interface LookupLocals {
  pc: number;
  /** Set to the region's function table index, or 0 when pc has none. */
  index: number;
  slot: number;
  at: number;
  probe: number;
}

/** Looks pc up in the region index (a block of its own: it leaves nothing on the stack). */
export function lookupRegion(w: CodeWriter, l: LookupLocals): void {
  w.i32(0);
  w.set(l.index);
  w.op(W.block, T.void); // $done
  w.get(l.pc);
  w.i32(INDEX_HASH_MULTIPLIER);
  w.op(W.i32_mul);
  w.i32(32 - INDEX_HASH_BITS);
  w.op(W.i32_shr_u);
  w.set(l.slot);
  w.i32(0);
  w.set(l.probe);
  w.op(W.loop, T.void); // $probe
  w.get(l.slot);
  w.i32(3);
  w.op(W.i32_shl);
  w.tee(l.at);
  w.access(W.i32_load, REGION_INDEX_BASE);
  w.get(l.pc);
  w.op(W.i32_eq);
  w.op(W.if, T.void);
  // Found: its region (0 if the region was dropped).
  w.get(l.at);
  w.access(W.i32_load, REGION_INDEX_BASE + 4);
  w.set(l.index);
  w.br(2); // $done
  w.op(W.end);
  // An empty entry ends the search.
  w.get(l.at);
  w.access(W.i32_load, REGION_INDEX_BASE);
  w.op(W.i32_eqz, W.br_if, 1); // $done
  w.get(l.probe);
  w.i32(1);
  w.op(W.i32_add);
  w.tee(l.probe);
  w.i32(INDEX_PROBES);
  w.op(W.i32_lt_u, W.if, T.void);
  w.get(l.slot);
  w.i32(1);
  w.op(W.i32_add);
  w.i32(REGION_INDEX_ENTRIES - 1);
  w.op(W.i32_and);
  w.set(l.slot);
  w.br(1); // $probe
  w.op(W.end);
  w.op(W.end); // $probe
  w.op(W.end); // $done
}

/** The parameters of a region call (and of the functions that make one), as locals. */
export interface CallLocals {
  h: number;
  pc: number;
  n: number;
  budget: number;
  regs: number;
}

/**
 * Returns from a region, the dispatcher or the interpreter as a region does: the count (which
 * `count` pushes) and the code (`code`) to the hart's state words, and the pc (local `pc`) as the
 * result. callRegion reads them back.
 */
export function returnAsRegion(w: CodeWriter, regs: number, pc: number, count: () => void, code: () => void): void {
  w.get(regs);
  count();
  w.access(W.i32_store, REGS_STATE);
  w.get(regs);
  code();
  w.access(W.i32_store, REGS_STATE + 4);
  w.get(pc);
  w.op(W.return);
}

/**
 * Calls the region at table index `index` (region type 0, table 0) with the caller's parameters and
 * takes its pc. Anything but REGION_GO is the caller's caller's to handle: the pc is returned, with
 * the count and the code the region stored. On REGION_GO the count is taken from the state words.
 */
export function callRegion(w: CodeWriter, l: CallLocals, index: number): void {
  w.get(l.h);
  w.get(l.pc);
  w.get(l.n);
  w.get(l.budget);
  w.get(l.regs);
  w.get(index);
  w.op(W.call_indirect, 0, 0);
  w.set(l.pc);
  w.get(l.regs);
  w.access(W.i32_load, REGS_STATE + 4);
  w.op(W.if, T.void);
  w.get(l.pc);
  w.op(W.return, W.end);
  w.get(l.regs);
  w.access(W.i32_load, REGS_STATE);
  w.set(l.n);
}
