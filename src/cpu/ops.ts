// Decoded operation ids: the interpreter's switch cases. Compressed instructions decode to the same
// ids as their 32-bit equivalents. 0 means "slot not decoded yet".
export const enum Op {
  Undecoded = 0,
  Illegal,
  // RV64I
  Lui, Auipc, Jal, Jalr,
  Beq, Bne, Blt, Bge, Bltu, Bgeu,
  Lb, Lh, Lw, Ld, Lbu, Lhu, Lwu,
  Sb, Sh, Sw, Sd,
  Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai,
  Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And,
  Addiw, Slliw, Srliw, Sraiw,
  Addw, Subw, Sllw, Srlw, Sraw,
  Fence, FenceI, Ecall, Ebreak,
  // Zicsr: funct3 kept in the immediate's top bits (see decode.ts)
  Csr,
  // M
  Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu,
  Mulw, Divw, Divuw, Remw, Remuw,
  // A: the AMO kind is in the immediate (AmoKind)
  LrW, ScW, AmoW, LrD, ScD, AmoD,
  // F and D memory access; arithmetic goes to the FPU
  Flw, Fld, Fsw, Fsd, Fp,
  // Specialisations chosen by the decoder for speed
  Li, Mv,
}

/** AMO operations, from funct5 of the A extension. */
export const enum AmoKind {
  Swap = 0x01, Add = 0x00, Xor = 0x04, And = 0x0c, Or = 0x08,
  Min = 0x10, Max = 0x14, Minu = 0x18, Maxu = 0x1c,
}
