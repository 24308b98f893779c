// What a compiled region (jit.ts) holds, whatever it is compiled to: the blocks of one page to take
// from a hot entry, and where each block ends. The two back ends (JavaScript in jit.ts,
// WebAssembly in wasm/region.ts) turn the same plan into code.
import { Op } from "./ops.js";
import { decodeAt, SLOT_WORDS } from "./decode.js";
import { SLOTS_PER_PAGE, type CodePage } from "./code-cache.js";
import type { AddressSpace } from "../mem/address-space.js";

/** Longest block, in instructions. run() enters a region only with more budget left than this. */
export const MAX_BLOCK = 64;
/** Instructions per region (a bound on compile time and on the size of the generated function). */
const MAX_REGION = 64;

// What an op does to a block.
export const STRAIGHT = 0;
export const ENDS = 1; // ends the block (control transfer or trap)
export const STOPS = 2; // cannot be compiled: the block ends before it and the interpreter runs it

export const opKind = new Uint8Array(256).fill(ENDS);
for (let op = Op.Lui; op <= Op.Mv; op++) opKind[op] = STRAIGHT;
for (const op of [Op.Jal, Op.Jalr, Op.Beq, Op.Bne, Op.Blt, Op.Bge, Op.Bltu, Op.Bgeu, Op.Ecall, Op.Ebreak]) {
  opKind[op] = ENDS;
}
for (const op of [Op.LrW, Op.ScW, Op.AmoW, Op.LrD, Op.ScD, Op.AmoD]) opKind[op] = STOPS;
opKind[Op.Undecoded] = STOPS;
opKind[Op.Illegal] = ENDS;

export const isBranch = (op: number) => op >= Op.Beq && op <= Op.Bgeu;

/** Whether a block may start at slot s (decoded, compilable, and not a jump to a negative pc). */
export function compilableAt(d: Int32Array, base: number, s: number): boolean {
  const i = s * SLOT_WORDS;
  const op = d[i];
  if (opKind[op] === STOPS) return false;
  if (isBranch(op) || op === Op.Jal) {
    // The interpreter reports a fetch at a negative pc in its own way; leave such jumps to it.
    if (base + s * 2 + d[i + 2] < 0) return false;
  }
  return true;
}

export interface RegionPlan {
  /** The slots where the region's blocks start, in ascending order. */
  leaders: number[];
  /** 1 at each leader's slot. */
  isLeader: Uint8Array;
  /** Instructions in the region. */
  total: number;
}

/**
 * The blocks of page pg for a region entered at slot `entry`: that block and, following branches,
 * jumps and fall-through within the page, the blocks the interpreter has started at least
 * threshold/16 times, up to MAX_REGION instructions. With `decodeAhead` every reachable block is
 * taken, decoded first if need be. `heatOf`, when given, is where the heat of a slot is (the
 * WebAssembly interpreter counts it), and blocks are decoded as they are taken. Null when nothing
 * can be compiled at the entry.
 */
export function planRegion(
  mem: AddressSpace,
  pg: CodePage,
  entry: number,
  decodeAhead: boolean,
  threshold: number,
  heatOf: ((s: number) => number) | null = null,
): RegionPlan | null {
  const d = pg.d;
  const base = pg.page * 4096;
  const isLeader = new Uint8Array(SLOTS_PER_PAGE);
  const leaders: number[] = [];
  let total = 0;
  // The WebAssembly interpreter decodes nothing into the page: its blocks are decoded here.
  const decode = decodeAhead || heatOf !== null;
  const startable = (s: number): boolean => {
    if (s < 0 || s >= SLOTS_PER_PAGE) return false;
    if (decode && d[s * SLOT_WORDS] === Op.Undecoded) decodeAt(mem, base + s * 2, d, s * SLOT_WORDS);
    return compilableAt(d, base, s);
  };
  // Blocks join the region only if the interpreter has started them often enough: code that ran
  // once stays out (its exits are cheap), so regions stay small, compile fast, and have few paths
  // that have never run (in JavaScript each such path costs a deoptimisation when it first runs).
  const heat = pg.heat;
  const minHeat = decodeAhead ? 0 : Math.max(2, threshold >>> 4);
  const addLeader = (s: number, always = false) => {
    if (total >= MAX_REGION || s < 0 || s >= SLOTS_PER_PAGE || isLeader[s]) return;
    if (!always && (heatOf === null ? heat[s] : heatOf(s)) < minHeat) return;
    if (!startable(s)) return;
    isLeader[s] = 1;
    leaders.push(s);
  };
  addLeader(entry, true);
  for (let q = 0; q < leaders.length; q++) {
    let s = leaders[q];
    for (let count = 0; ; count++) {
      if (count === MAX_BLOCK) {
        addLeader(s, true);
        break;
      }
      if (s >= SLOTS_PER_PAGE || !startable(s)) break;
      const i = s * SLOT_WORDS;
      const op = d[i];
      const len = d[i + 1] >>> 24;
      const next = s + (len >> 1);
      total++;
      if (opKind[op] === STRAIGHT) {
        s = next;
        continue;
      }
      // The block ends here.
      const rd = d[i + 1] & 0xff;
      if (isBranch(op)) {
        addLeader(s + (d[i + 2] >> 1));
        addLeader(next);
      } else if (op === Op.Jal) {
        addLeader(s + (d[i + 2] >> 1));
        if (rd !== 64) addLeader(next);
      } else if (op === Op.Jalr) {
        if (rd !== 64) addLeader(next);
      } else if (op === Op.Ecall) {
        addLeader(next);
      }
      break;
    }
  }
  if (leaders.length === 0) return null;
  leaders.sort((a, b) => a - b);
  return { leaders, isLeader, total };
}

/** A decoded instruction of a region, as the back ends read it from its slot (decode.ts's layout). */
export interface SlotInsn {
  op: Op;
  /** Register-file word indexes (2·register; rd = 64 for x0, whose writes are dropped). */
  rd: number;
  rs1: number;
  rs2: number;
  imm: number;
  /** The instruction's bits. */
  raw: number;
  pc: number;
  /** The pc after it (pc + its length). */
  next: number;
}

/** The instruction at slot s of a page whose first byte is at `base`. */
export function slotInsn(d: Int32Array, base: number, s: number): SlotInsn {
  const i = s * SLOT_WORDS;
  const a = d[i + 1];
  const pc = base + s * 2;
  return {
    op: d[i] as Op,
    rd: a & 0xff,
    rs1: (a >>> 8) & 0xff,
    rs2: (a >>> 16) & 0xff,
    imm: d[i + 2],
    raw: d[i + 3],
    pc,
    next: pc + (a >>> 24),
  };
}

/** How a block ends: at the next leader, where compiling must stop, or at its last instruction. */
export type BlockEnd = "fall" | "stop" | "term";

export interface BlockExtent {
  /** The slots of its instructions, in order. */
  slots: number[];
  end: BlockEnd;
  /** The slot after its last instruction. */
  next: number;
}

/** The instructions of the block starting at slot s: to a control transfer, the next leader, or what cannot be compiled. */
export function blockExtent(d: Int32Array, base: number, isLeader: Uint8Array, s: number): BlockExtent {
  const slots: number[] = [];
  let end: BlockEnd = "stop";
  let t = s;
  for (;;) {
    if (t !== s && t < SLOTS_PER_PAGE && isLeader[t]) {
      end = "fall";
      break;
    }
    if (t >= SLOTS_PER_PAGE || slots.length === MAX_BLOCK || !compilableAt(d, base, t)) break;
    slots.push(t);
    if (opKind[d[t * SLOT_WORDS]] !== STRAIGHT) {
      end = "term";
      break;
    }
    t += (d[t * SLOT_WORDS + 1] >>> 24) >> 1;
  }
  return { slots, end, next: t };
}

/** Whether a "stop" block ends before an instruction the interpreter must run (not just code not yet decoded). */
export function stopsForInterpreter(d: Int32Array, t: number): boolean {
  return t < SLOTS_PER_PAGE && opKind[d[t * SLOT_WORDS]] === STOPS && d[t * SLOT_WORDS] !== Op.Undecoded;
}
