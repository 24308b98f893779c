// The RV64 instruction table: one row per 32-bit instruction the interpreter runs itself
// (F/D arithmetic is decoded by the FPU from its own table). The decoder matches rows with
// `(insn & mask) === match` and extracts operands by `fmt`.
//
// Columns: name (riscv-opcodes spelling), match, mask, op (interpreter case), fmt (operand
// layout), ext (extension).
import { Op } from "../ops.js";

/** Operand layouts. */
export type Format =
  | "R" // rd, rs1, rs2
  | "I" // rd, rs1, imm[11:0]
  | "Ish" // rd, rs1, shamt[5:0]
  | "Ishw" // rd, rs1, shamt[4:0]
  | "S" // rs1, rs2, imm[11:5|4:0]
  | "B" // rs1, rs2, branch offset
  | "U" // rd, imm[31:12]
  | "J" // rd, jump offset
  | "CSR" // rd, rs1 or uimm, csr
  | "AMO" // rd, rs1, rs2, funct5
  | "FL" // fp rd, rs1, imm
  | "FS" // rs1, fp rs2, imm
  | "N"; // no operands

export type Extension = "I" | "M" | "A" | "F" | "D" | "Zicsr" | "Zifencei";

export interface InsnRow {
  readonly name: string;
  readonly match: number;
  readonly mask: number;
  readonly op: Op;
  readonly fmt: Format;
  readonly ext: Extension;
}

const OPC = 0x7f;
const F3 = 0x707f;
const F7 = 0xfe00707f;
const F6 = 0xfc00707f;
const AMO5 = 0xf800707f;

const row = (name: string, match: number, mask: number, op: Op, fmt: Format, ext: Extension): InsnRow => ({
  name, match: match >>> 0, mask: mask >>> 0, op, fmt, ext,
});
const f3 = (opcode: number, funct3: number) => opcode | (funct3 << 12);
const f7 = (opcode: number, funct3: number, funct7: number) => f3(opcode, funct3) | (funct7 << 25);
const amo = (funct5: number, width: number) => 0x2f | (width << 12) | (funct5 << 27);

export const INSNS: readonly InsnRow[] = [
  row("lui", 0x37, OPC, Op.Lui, "U", "I"),
  row("auipc", 0x17, OPC, Op.Auipc, "U", "I"),
  row("jal", 0x6f, OPC, Op.Jal, "J", "I"),
  row("jalr", f3(0x67, 0), F3, Op.Jalr, "I", "I"),
  row("beq", f3(0x63, 0), F3, Op.Beq, "B", "I"),
  row("bne", f3(0x63, 1), F3, Op.Bne, "B", "I"),
  row("blt", f3(0x63, 4), F3, Op.Blt, "B", "I"),
  row("bge", f3(0x63, 5), F3, Op.Bge, "B", "I"),
  row("bltu", f3(0x63, 6), F3, Op.Bltu, "B", "I"),
  row("bgeu", f3(0x63, 7), F3, Op.Bgeu, "B", "I"),
  row("lb", f3(0x03, 0), F3, Op.Lb, "I", "I"),
  row("lh", f3(0x03, 1), F3, Op.Lh, "I", "I"),
  row("lw", f3(0x03, 2), F3, Op.Lw, "I", "I"),
  row("ld", f3(0x03, 3), F3, Op.Ld, "I", "I"),
  row("lbu", f3(0x03, 4), F3, Op.Lbu, "I", "I"),
  row("lhu", f3(0x03, 5), F3, Op.Lhu, "I", "I"),
  row("lwu", f3(0x03, 6), F3, Op.Lwu, "I", "I"),
  row("sb", f3(0x23, 0), F3, Op.Sb, "S", "I"),
  row("sh", f3(0x23, 1), F3, Op.Sh, "S", "I"),
  row("sw", f3(0x23, 2), F3, Op.Sw, "S", "I"),
  row("sd", f3(0x23, 3), F3, Op.Sd, "S", "I"),
  row("addi", f3(0x13, 0), F3, Op.Addi, "I", "I"),
  row("slti", f3(0x13, 2), F3, Op.Slti, "I", "I"),
  row("sltiu", f3(0x13, 3), F3, Op.Sltiu, "I", "I"),
  row("xori", f3(0x13, 4), F3, Op.Xori, "I", "I"),
  row("ori", f3(0x13, 6), F3, Op.Ori, "I", "I"),
  row("andi", f3(0x13, 7), F3, Op.Andi, "I", "I"),
  row("slli", f3(0x13, 1), F6, Op.Slli, "Ish", "I"),
  row("srli", f3(0x13, 5), F6, Op.Srli, "Ish", "I"),
  row("srai", f3(0x13, 5) | (0x10 << 26), F6, Op.Srai, "Ish", "I"),
  row("add", f7(0x33, 0, 0), F7, Op.Add, "R", "I"),
  row("sub", f7(0x33, 0, 0x20), F7, Op.Sub, "R", "I"),
  row("sll", f7(0x33, 1, 0), F7, Op.Sll, "R", "I"),
  row("slt", f7(0x33, 2, 0), F7, Op.Slt, "R", "I"),
  row("sltu", f7(0x33, 3, 0), F7, Op.Sltu, "R", "I"),
  row("xor", f7(0x33, 4, 0), F7, Op.Xor, "R", "I"),
  row("srl", f7(0x33, 5, 0), F7, Op.Srl, "R", "I"),
  row("sra", f7(0x33, 5, 0x20), F7, Op.Sra, "R", "I"),
  row("or", f7(0x33, 6, 0), F7, Op.Or, "R", "I"),
  row("and", f7(0x33, 7, 0), F7, Op.And, "R", "I"),
  row("addiw", f3(0x1b, 0), F3, Op.Addiw, "I", "I"),
  row("slliw", f7(0x1b, 1, 0), F7, Op.Slliw, "Ishw", "I"),
  row("srliw", f7(0x1b, 5, 0), F7, Op.Srliw, "Ishw", "I"),
  row("sraiw", f7(0x1b, 5, 0x20), F7, Op.Sraiw, "Ishw", "I"),
  row("addw", f7(0x3b, 0, 0), F7, Op.Addw, "R", "I"),
  row("subw", f7(0x3b, 0, 0x20), F7, Op.Subw, "R", "I"),
  row("sllw", f7(0x3b, 1, 0), F7, Op.Sllw, "R", "I"),
  row("srlw", f7(0x3b, 5, 0), F7, Op.Srlw, "R", "I"),
  row("sraw", f7(0x3b, 5, 0x20), F7, Op.Sraw, "R", "I"),
  row("fence", f3(0x0f, 0), F3, Op.Fence, "N", "I"),
  row("fence.i", f3(0x0f, 1), F3, Op.FenceI, "N", "Zifencei"),
  row("ecall", 0x00000073, 0xffffffff, Op.Ecall, "N", "I"),
  row("ebreak", 0x00100073, 0xffffffff, Op.Ebreak, "N", "I"),
  row("csrrw", f3(0x73, 1), F3, Op.Csr, "CSR", "Zicsr"),
  row("csrrs", f3(0x73, 2), F3, Op.Csr, "CSR", "Zicsr"),
  row("csrrc", f3(0x73, 3), F3, Op.Csr, "CSR", "Zicsr"),
  row("csrrwi", f3(0x73, 5), F3, Op.Csr, "CSR", "Zicsr"),
  row("csrrsi", f3(0x73, 6), F3, Op.Csr, "CSR", "Zicsr"),
  row("csrrci", f3(0x73, 7), F3, Op.Csr, "CSR", "Zicsr"),
  row("mul", f7(0x33, 0, 1), F7, Op.Mul, "R", "M"),
  row("mulh", f7(0x33, 1, 1), F7, Op.Mulh, "R", "M"),
  row("mulhsu", f7(0x33, 2, 1), F7, Op.Mulhsu, "R", "M"),
  row("mulhu", f7(0x33, 3, 1), F7, Op.Mulhu, "R", "M"),
  row("div", f7(0x33, 4, 1), F7, Op.Div, "R", "M"),
  row("divu", f7(0x33, 5, 1), F7, Op.Divu, "R", "M"),
  row("rem", f7(0x33, 6, 1), F7, Op.Rem, "R", "M"),
  row("remu", f7(0x33, 7, 1), F7, Op.Remu, "R", "M"),
  row("mulw", f7(0x3b, 0, 1), F7, Op.Mulw, "R", "M"),
  row("divw", f7(0x3b, 4, 1), F7, Op.Divw, "R", "M"),
  row("divuw", f7(0x3b, 5, 1), F7, Op.Divuw, "R", "M"),
  row("remw", f7(0x3b, 6, 1), F7, Op.Remw, "R", "M"),
  row("remuw", f7(0x3b, 7, 1), F7, Op.Remuw, "R", "M"),
  row("lr.w", amo(0x02, 2), AMO5 | (0x1f << 20), Op.LrW, "AMO", "A"),
  row("sc.w", amo(0x03, 2), AMO5, Op.ScW, "AMO", "A"),
  row("amoswap.w", amo(0x01, 2), AMO5, Op.AmoW, "AMO", "A"),
  row("amoadd.w", amo(0x00, 2), AMO5, Op.AmoW, "AMO", "A"),
  row("amoxor.w", amo(0x04, 2), AMO5, Op.AmoW, "AMO", "A"),
  row("amoand.w", amo(0x0c, 2), AMO5, Op.AmoW, "AMO", "A"),
  row("amoor.w", amo(0x08, 2), AMO5, Op.AmoW, "AMO", "A"),
  row("amomin.w", amo(0x10, 2), AMO5, Op.AmoW, "AMO", "A"),
  row("amomax.w", amo(0x14, 2), AMO5, Op.AmoW, "AMO", "A"),
  row("amominu.w", amo(0x18, 2), AMO5, Op.AmoW, "AMO", "A"),
  row("amomaxu.w", amo(0x1c, 2), AMO5, Op.AmoW, "AMO", "A"),
  row("lr.d", amo(0x02, 3), AMO5 | (0x1f << 20), Op.LrD, "AMO", "A"),
  row("sc.d", amo(0x03, 3), AMO5, Op.ScD, "AMO", "A"),
  row("amoswap.d", amo(0x01, 3), AMO5, Op.AmoD, "AMO", "A"),
  row("amoadd.d", amo(0x00, 3), AMO5, Op.AmoD, "AMO", "A"),
  row("amoxor.d", amo(0x04, 3), AMO5, Op.AmoD, "AMO", "A"),
  row("amoand.d", amo(0x0c, 3), AMO5, Op.AmoD, "AMO", "A"),
  row("amoor.d", amo(0x08, 3), AMO5, Op.AmoD, "AMO", "A"),
  row("amomin.d", amo(0x10, 3), AMO5, Op.AmoD, "AMO", "A"),
  row("amomax.d", amo(0x14, 3), AMO5, Op.AmoD, "AMO", "A"),
  row("amominu.d", amo(0x18, 3), AMO5, Op.AmoD, "AMO", "A"),
  row("amomaxu.d", amo(0x1c, 3), AMO5, Op.AmoD, "AMO", "A"),
  row("flw", f3(0x07, 2), F3, Op.Flw, "FL", "F"),
  row("fld", f3(0x07, 3), F3, Op.Fld, "FL", "D"),
  row("fsw", f3(0x27, 2), F3, Op.Fsw, "FS", "F"),
  row("fsd", f3(0x27, 3), F3, Op.Fsd, "FS", "D"),
];

/** Major opcodes whose instructions the FPU decodes (OP-FP and the fused multiply-adds). */
export const FPU_OPCODES: readonly number[] = [0x53, 0x43, 0x47, 0x4b, 0x4f];
