// The RV64C table: each row matches a 16-bit encoding and expands it to the operands of the 32-bit
// instruction it stands for, so the interpreter needs no compressed cases of its own.
// Columns: name, match, mask, expand (returns null for reserved encodings of that row).
import { Op } from "../ops.js";

/** The 32-bit form a compressed instruction expands to. rd/rs1/rs2 are register numbers. */
export interface Expanded {
  op: Op;
  rd: number;
  rs1: number;
  rs2: number;
  imm: number;
}

export interface CompressedRow {
  readonly name: string;
  readonly match: number;
  readonly mask: number;
  readonly expand: (c: number) => Expanded | null;
}

const bit = (c: number, i: number) => (c >>> i) & 1;
const bits = (c: number, hi: number, lo: number) => (c >>> lo) & ((1 << (hi - lo + 1)) - 1);
const sext = (v: number, width: number) => (v << (32 - width)) >> (32 - width);
/** rd'/rs1'/rs2' (3-bit fields naming x8..x15 or f8..f15). */
const creg = (c: number, lo: number) => 8 + bits(c, lo + 2, lo);
const e = (op: Op, rd: number, rs1: number, rs2: number, imm: number): Expanded => ({ op, rd, rs1, rs2, imm });

// Immediates, as laid out in the RVC chapter of the unprivileged spec.
const imm6 = (c: number) => sext((bit(c, 12) << 5) | bits(c, 6, 2), 6);
const uimmLdSd = (c: number) => (bits(c, 12, 10) << 3) | (bits(c, 6, 5) << 6);
const uimmLwSw = (c: number) => (bits(c, 12, 10) << 3) | (bit(c, 6) << 2) | (bit(c, 5) << 6);
const uimmLdsp = (c: number) => (bit(c, 12) << 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6);
const uimmLwsp = (c: number) => (bit(c, 12) << 5) | (bits(c, 6, 4) << 2) | (bits(c, 3, 2) << 6);
const uimmSdsp = (c: number) => (bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6);
const uimmSwsp = (c: number) => (bits(c, 12, 9) << 2) | (bits(c, 8, 7) << 6);
const jOffset = (c: number) =>
  sext(
    (bit(c, 12) << 11) | (bit(c, 11) << 4) | (bits(c, 10, 9) << 8) | (bit(c, 8) << 10) |
      (bit(c, 7) << 6) | (bit(c, 6) << 7) | (bits(c, 5, 3) << 1) | (bit(c, 2) << 5),
    12,
  );
const bOffset = (c: number) =>
  sext((bit(c, 12) << 8) | (bits(c, 11, 10) << 3) | (bits(c, 6, 5) << 6) | (bits(c, 4, 3) << 1) | (bit(c, 2) << 5), 9);
const shamt6 = (c: number) => (bit(c, 12) << 5) | bits(c, 6, 2);

const rd = (c: number) => bits(c, 11, 7);
const rs2 = (c: number) => bits(c, 6, 2);

const Q = 0xe003; // funct3 + quadrant
const row = (name: string, match: number, mask: number, expand: (c: number) => Expanded | null): CompressedRow => ({
  name, match, mask, expand,
});

export const COMPRESSED: readonly CompressedRow[] = [
  // Quadrant 0
  row("c.addi4spn", 0x0000, Q, (c) => {
    const imm = (bits(c, 12, 11) << 4) | (bits(c, 10, 7) << 6) | (bit(c, 6) << 2) | (bit(c, 5) << 3);
    return imm === 0 ? null : e(Op.Addi, creg(c, 2), 2, 0, imm);
  }),
  row("c.fld", 0x2000, Q, (c) => e(Op.Fld, creg(c, 2), creg(c, 7), 0, uimmLdSd(c))),
  row("c.lw", 0x4000, Q, (c) => e(Op.Lw, creg(c, 2), creg(c, 7), 0, uimmLwSw(c))),
  row("c.ld", 0x6000, Q, (c) => e(Op.Ld, creg(c, 2), creg(c, 7), 0, uimmLdSd(c))),
  row("c.fsd", 0xa000, Q, (c) => e(Op.Fsd, 0, creg(c, 7), creg(c, 2), uimmLdSd(c))),
  row("c.sw", 0xc000, Q, (c) => e(Op.Sw, 0, creg(c, 7), creg(c, 2), uimmLwSw(c))),
  row("c.sd", 0xe000, Q, (c) => e(Op.Sd, 0, creg(c, 7), creg(c, 2), uimmLdSd(c))),
  // Quadrant 1
  row("c.addi", 0x0001, Q, (c) => e(Op.Addi, rd(c), rd(c), 0, imm6(c))),
  row("c.addiw", 0x2001, Q, (c) => (rd(c) === 0 ? null : e(Op.Addiw, rd(c), rd(c), 0, imm6(c)))),
  row("c.li", 0x4001, Q, (c) => e(Op.Addi, rd(c), 0, 0, imm6(c))),
  row("c.addi16sp", 0x6101, 0xef83, (c) => {
    const imm = sext(
      (bit(c, 12) << 9) | (bit(c, 6) << 4) | (bit(c, 5) << 6) | (bits(c, 4, 3) << 7) | (bit(c, 2) << 5),
      10,
    );
    return imm === 0 ? null : e(Op.Addi, 2, 2, 0, imm);
  }),
  row("c.lui", 0x6001, Q, (c) => {
    const imm = sext((bit(c, 12) << 17) | (bits(c, 6, 2) << 12), 18);
    return imm === 0 ? null : e(Op.Lui, rd(c), 0, 0, imm);
  }),
  row("c.srli", 0x8001, 0xec03, (c) => e(Op.Srli, creg(c, 7), creg(c, 7), 0, shamt6(c))),
  row("c.srai", 0x8401, 0xec03, (c) => e(Op.Srai, creg(c, 7), creg(c, 7), 0, shamt6(c))),
  row("c.andi", 0x8801, 0xec03, (c) => e(Op.Andi, creg(c, 7), creg(c, 7), 0, imm6(c))),
  row("c.sub", 0x8c01, 0xfc63, (c) => e(Op.Sub, creg(c, 7), creg(c, 7), creg(c, 2), 0)),
  row("c.xor", 0x8c21, 0xfc63, (c) => e(Op.Xor, creg(c, 7), creg(c, 7), creg(c, 2), 0)),
  row("c.or", 0x8c41, 0xfc63, (c) => e(Op.Or, creg(c, 7), creg(c, 7), creg(c, 2), 0)),
  row("c.and", 0x8c61, 0xfc63, (c) => e(Op.And, creg(c, 7), creg(c, 7), creg(c, 2), 0)),
  row("c.subw", 0x9c01, 0xfc63, (c) => e(Op.Subw, creg(c, 7), creg(c, 7), creg(c, 2), 0)),
  row("c.addw", 0x9c21, 0xfc63, (c) => e(Op.Addw, creg(c, 7), creg(c, 7), creg(c, 2), 0)),
  row("c.j", 0xa001, Q, (c) => e(Op.Jal, 0, 0, 0, jOffset(c))),
  row("c.beqz", 0xc001, Q, (c) => e(Op.Beq, 0, creg(c, 7), 0, bOffset(c))),
  row("c.bnez", 0xe001, Q, (c) => e(Op.Bne, 0, creg(c, 7), 0, bOffset(c))),
  // Quadrant 2
  row("c.slli", 0x0002, Q, (c) => e(Op.Slli, rd(c), rd(c), 0, shamt6(c))),
  row("c.fldsp", 0x2002, Q, (c) => e(Op.Fld, rd(c), 2, 0, uimmLdsp(c))),
  row("c.lwsp", 0x4002, Q, (c) => (rd(c) === 0 ? null : e(Op.Lw, rd(c), 2, 0, uimmLwsp(c)))),
  row("c.ldsp", 0x6002, Q, (c) => (rd(c) === 0 ? null : e(Op.Ld, rd(c), 2, 0, uimmLdsp(c)))),
  row("c.jr", 0x8002, 0xf07f, (c) => (rd(c) === 0 ? null : e(Op.Jalr, 0, rd(c), 0, 0))),
  row("c.mv", 0x8002, 0xf003, (c) => e(Op.Add, rd(c), 0, rs2(c), 0)),
  row("c.ebreak", 0x9002, 0xffff, () => e(Op.Ebreak, 0, 0, 0, 0)),
  row("c.jalr", 0x9002, 0xf07f, (c) => e(Op.Jalr, 1, rd(c), 0, 0)),
  row("c.add", 0x9002, 0xf003, (c) => e(Op.Add, rd(c), rd(c), rs2(c), 0)),
  row("c.fsdsp", 0xa002, Q, (c) => e(Op.Fsd, 0, 2, rs2(c), uimmSdsp(c))),
  row("c.swsp", 0xc002, Q, (c) => e(Op.Sw, 0, 2, rs2(c), uimmSwsp(c))),
  row("c.sdsp", 0xe002, Q, (c) => e(Op.Sd, 0, 2, rs2(c), uimmSdsp(c))),
];
