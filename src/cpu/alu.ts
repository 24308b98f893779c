// The rare or wide operations shared by the interpreter (interp.ts) and the compiled tier
// (jit.ts): 64-bit division on the BigInt view, the A extension, CSRs, and the fetch fault of a
// jalr whose target lies outside the address space. Each works on the hart's register file in
// place, so both tiers get identical results.
import { Exit, Hart, SEGV_MAPERR } from "./hart.js";
import { Op, AmoKind } from "./ops.js";
import { atomicAddress } from "./mem-slow.js";
import type { AddressSpace } from "../mem/address-space.js";

const INT64_MIN = -(2n ** 63n);

/** div, divu, rem, remu on register numbers (not slot indices). */
export function divide64(x64: BigInt64Array, op: Op, rd: number, rs1: number, rs2: number): void {
  const p = x64[rs1];
  const q = x64[rs2];
  let r: bigint;
  switch (op) {
    case Op.Div:
      r = q === 0n ? -1n : p === INT64_MIN && q === -1n ? INT64_MIN : p / q;
      break;
    case Op.Rem:
      r = q === 0n ? p : p === INT64_MIN && q === -1n ? 0n : p % q;
      break;
    case Op.Divu:
      r = q === 0n ? -1n : BigInt.asUintN(64, p) / BigInt.asUintN(64, q);
      break;
    default:
      r = q === 0n ? p : BigInt.asUintN(64, p) % BigInt.asUintN(64, q);
  }
  x64[rd] = BigInt.asIntN(64, r);
}

/** mulh, mulhu, mulhsu on register numbers (not slot indices). */
export function mulHigh(x64: BigInt64Array, op: Op, rd: number, rs1: number, rs2: number): void {
  if (op === Op.Mulh) x64[rd] = (x64[rs1] * x64[rs2]) >> 64n;
  else if (op === Op.Mulhu) {
    x64[rd] = BigInt.asIntN(64, (BigInt.asUintN(64, x64[rs1]) * BigInt.asUintN(64, x64[rs2])) >> 64n);
  } else x64[rd] = BigInt.asIntN(64, (x64[rs1] * BigInt.asUintN(64, x64[rs2])) >> 64n);
}

/**
 * Records the fetch fault of a jalr whose target (a Number, maybe inexact beyond 2^53) is below 0
 * or at or above 2^32.
 */
export function jalrFault(h: Hart, target: number): void {
  // Bit 0 cleared in two's complement, as jalr does: -3 becomes -4 (target - target % 2 gave -2).
  h.trapAddress = BigInt.asUintN(64, BigInt(Math.floor(target / 2) * 2));
  h.trapValue = Number(h.trapAddress);
  h.trapCode = SEGV_MAPERR;
}

/**
 * LR, SC and AMOs; rd, rs1, rs2 are register-file slot indices (2n). Returns Exit.Budget to mean
 * "done, continue", else the trap (details in the hart).
 */
export function atomic(h: Hart, mem: AddressSpace, op: Op, rd: number, rs1: number, rs2: number, kind: number): Exit {
  const x = h.x;
  const x64 = h.x64;
  const wide = op === Op.LrD || op === Op.ScD || op === Op.AmoD;
  const size = wide ? 8 : 4;
  const isLr = op === Op.LrW || op === Op.LrD;
  const addr = atomicAddress(h, mem, x[rs1], x[rs1 + 1], size, !isLr);
  if (addr === -2) {
    h.trapValue = Number(h.trapAddress);
    return Exit.Misaligned;
  }
  if (addr < 0) return Exit.MemFault;
  const view = mem.view;
  // The reservation is kept as addr / 4 (exact: the address is aligned; computed with a shift, so
  // that V8 makes a small integer of it, not a heap number): an
  // address at or above 2^30 would turn the field into a double and change the layout of every
  // hart, throwing away optimised code. −1 (none) never equals it.
  if (isLr) {
    h.reservation = addr >>> 2;
    x64[rd >> 1] = wide ? view.getBigInt64(addr, true) : BigInt(view.getInt32(addr, true));
    return Exit.Budget;
  }
  if (op === Op.ScW || op === Op.ScD) {
    const ok = h.reservation === addr >>> 2;
    h.reservation = -1;
    if (ok) {
      if (wide) view.setBigInt64(addr, x64[rs2 >> 1], true);
      else view.setInt32(addr, x[rs2], true);
    }
    x[rd] = ok ? 0 : 1;
    x[rd + 1] = 0;
    return Exit.Budget;
  }
  const old = wide ? view.getBigInt64(addr, true) : BigInt(view.getInt32(addr, true));
  const src = wide ? x64[rs2 >> 1] : BigInt(x[rs2]);
  const bits = wide ? 64 : 32;
  const u = (v: bigint) => BigInt.asUintN(bits, v);
  let v: bigint;
  switch (kind as AmoKind) {
    case AmoKind.Swap: v = src; break;
    case AmoKind.Add: v = old + src; break;
    case AmoKind.Xor: v = old ^ src; break;
    case AmoKind.And: v = old & src; break;
    case AmoKind.Or: v = old | src; break;
    case AmoKind.Min: v = old < src ? old : src; break;
    case AmoKind.Max: v = old > src ? old : src; break;
    case AmoKind.Minu: v = u(old) < u(src) ? old : src; break;
    default: v = u(old) > u(src) ? old : src; break;
  }
  if (wide) view.setBigInt64(addr, BigInt.asIntN(64, v), true);
  else view.setInt32(addr, Number(BigInt.asIntN(32, v)), true);
  x64[rd >> 1] = old;
  return Exit.Budget;
}

// CSR numbers (unprivileged spec, "Zicsr" and the counters).
const CSR_FFLAGS = 0x001;
const CSR_FRM = 0x002;
const CSR_FCSR = 0x003;
const CSR_CYCLE = 0xc00;
const CSR_TIME = 0xc01;
const CSR_INSTRET = 0xc02;

/**
 * Executes a CSR instruction; rd and rs1 are slot indices, n the instructions this run() has
 * counted so far, this one included. False if it is illegal (unknown CSR, write to a read-only one).
 */
export function csr(h: Hart, rd: number, rs1: number, imm: number, n: number): boolean {
  const num = imm & 0xfff;
  const funct3 = (imm >>> 12) & 7;
  const uimm = (imm >>> 15) & 0x1f;
  const immediate = funct3 >= 5;
  const kind = funct3 & 3; // 1 = write, 2 = set, 3 = clear
  const srcIsZero = immediate ? uimm === 0 : rs1 === 0;
  const writes = kind === 1 || !srcIsZero;
  const src = immediate ? BigInt(uimm) : h.x64[rs1 >> 1];

  let old: bigint;
  switch (num) {
    case CSR_FFLAGS: old = BigInt(h.fcsr & 0x1f); break;
    case CSR_FRM: old = BigInt((h.fcsr >>> 5) & 7); break;
    case CSR_FCSR: old = BigInt(h.fcsr & 0xff); break;
    case CSR_CYCLE:
    case CSR_INSTRET:
      if (writes) return false;
      old = BigInt(h.instret + n);
      break;
    case CSR_TIME:
      if (writes) return false;
      old = h.readTime();
      break;
    default:
      return false;
  }
  if (writes) {
    const v = Number(BigInt.asUintN(8, kind === 1 ? src : kind === 2 ? old | src : old & ~src));
    if (num === CSR_FFLAGS) h.fcsr = (h.fcsr & ~0x1f) | (v & 0x1f);
    else if (num === CSR_FRM) h.fcsr = (h.fcsr & 0x1f) | ((v & 7) << 5);
    else h.fcsr = v & 0xff;
  }
  h.x64[rd >> 1] = old;
  return true;
}
