// The riscv64 register file as gdb sees it: the target description it reads with
// qXfer:features:read:target.xml, and the order and width of each register in `g`/`G` packets
// and its number in `p`/`P`. The features are gdb's own (org.gnu.gdb.riscv.cpu and .fpu, the
// names of gdb/features/riscv/64bit-{cpu,fpu}.xml), numbered consecutively from 0: x0…x31, pc
// (32), f0…f31 (33…64), fflags (65), frm (66), fcsr (67).
import type { Regs } from "../../utrace/regs.js";

const ABI_NAMES = [
  "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
  "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
];
const FP_NAMES = [
  "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
  "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
];

export const PC_REG = 32;
export const FIRST_FP_REG = 33;
export const FFLAGS_REG = 65;
export const FRM_REG = 66;
export const FCSR_REG = 67;
export const REGISTER_COUNT = 68;

/** Bytes of register n in packets: 8 for x, pc and f registers, 4 for the FP CSRs. */
export const registerSize = (n: number): number => (n >= FFLAGS_REG ? 4 : 8);

function reg(name: string, type: string, group?: string, bits = 64): string {
  return `<reg name="${name}" bitsize="${bits}" type="${type}"${group ? ` group="${group}"` : ""}/>`;
}

export const TARGET_XML = [
  `<?xml version="1.0"?>`,
  `<!DOCTYPE target SYSTEM "gdb-target.dtd">`,
  `<target version="1.0">`,
  `<architecture>riscv:rv64</architecture>`,
  `<osabi>GNU/Linux</osabi>`,
  `<feature name="org.gnu.gdb.riscv.cpu">`,
  ...ABI_NAMES.map((n, i) => reg(n, i === 1 ? "code_ptr" : i === 2 || i === 8 ? "data_ptr" : "int")),
  reg("pc", "code_ptr"),
  `</feature>`,
  `<feature name="org.gnu.gdb.riscv.fpu">`,
  `<union id="riscv_double"><field name="float" type="ieee_single"/><field name="double" type="ieee_double"/></union>`,
  ...FP_NAMES.map((n) => reg(n, "riscv_double", "float")),
  reg("fflags", "int", "float", 32),
  reg("frm", "int", "float", 32),
  reg("fcsr", "int", "float", 32),
  `</feature>`,
  `</target>`,
].join("\n");

/** Register n's value (unsigned, as the packet carries it). */
export function readRegister(regs: Regs, n: number): bigint {
  if (n < 32) return BigInt.asUintN(64, regs.x(n));
  if (n === PC_REG) return BigInt.asUintN(64, regs.pc);
  if (n < FFLAGS_REG) return regs.f(n - FIRST_FP_REG);
  if (n === FFLAGS_REG) return BigInt(regs.fcsr & 0x1f);
  if (n === FRM_REG) return BigInt((regs.fcsr >> 5) & 7);
  if (n === FCSR_REG) return BigInt(regs.fcsr);
  throw new RangeError(`no register ${n}`);
}

/** Writes register n (x0 stays zero; fflags and frm are fields of fcsr). */
export function writeRegister(regs: Regs, n: number, v: bigint): void {
  if (n === 0) return;
  if (n < 32) regs.setX(n, BigInt.asIntN(64, v));
  else if (n === PC_REG) regs.pc = v;
  else if (n < FFLAGS_REG) regs.setF(n - FIRST_FP_REG, v);
  else if (n === FFLAGS_REG) regs.fcsr = (regs.fcsr & ~0x1f) | Number(v & 0x1fn);
  else if (n === FRM_REG) regs.fcsr = (regs.fcsr & 0x1f) | (Number(v & 7n) << 5);
  else if (n === FCSR_REG) regs.fcsr = Number(v & 0xffn);
  else throw new RangeError(`no register ${n}`);
}
