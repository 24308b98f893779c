// Encoders for the few RV64 instructions the CPU tests need, from the field layouts of the RISC-V
// unprivileged spec (R, I, S, B, U, J formats; the A extension's AMO layout; OP-FP).

const rType = (funct7: number, rs2: number, rs1: number, funct3: number, rd: number, opcode: number) =>
  ((funct7 << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode) >>> 0;
const iType = (imm: number, rs1: number, funct3: number, rd: number, opcode: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode) >>> 0;
const sType = (imm: number, rs2: number, rs1: number, funct3: number, opcode: number) =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | ((imm & 0x1f) << 7) | opcode) >>> 0;

/** Loads: [funct3, opcode]; the FP ones use the LOAD-FP opcode. */
export const LOAD_OPS = {
  lb: [0, 0x03], lh: [1, 0x03], lw: [2, 0x03], ld: [3, 0x03], lbu: [4, 0x03], lhu: [5, 0x03], lwu: [6, 0x03],
  flw: [2, 0x07], fld: [3, 0x07],
} as const;
/** Stores: [funct3, opcode, size]; the FP ones use the STORE-FP opcode. */
export const STORE_OPS = {
  sb: [0, 0x23, 1], sh: [1, 0x23, 2], sw: [2, 0x23, 4], sd: [3, 0x23, 8], fsw: [2, 0x27, 4], fsd: [3, 0x27, 8],
} as const;
/** AMOs: [funct5, width funct3]. */
export const AMO_OPS = { "amoadd.w": [0x00, 2], "amoswap.d": [0x01, 3], "lr.w": [0x02, 2] } as const;

export type LoadOp = keyof typeof LOAD_OPS;
export type StoreOp = keyof typeof STORE_OPS;
export type AmoOp = keyof typeof AMO_OPS;

export const load = (op: LoadOp, rd: number, rs1: number, imm = 0) => iType(imm, rs1, LOAD_OPS[op][0], rd, LOAD_OPS[op][1]);
export const store = (op: StoreOp, rs2: number, rs1: number, imm = 0) => sType(imm, rs2, rs1, STORE_OPS[op][0], STORE_OPS[op][1]);
/** An AMO (aq = rl = 0) rd, rs2, (rs1); lr.w ignores rs2 (encoded as 0). */
export const amo = (op: AmoOp, rd: number, rs1: number, rs2: number) =>
  rType(AMO_OPS[op][0] << 2, op === "lr.w" ? 0 : rs2, rs1, AMO_OPS[op][1], rd, 0x2f);
export const addi = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 0, rd, 0x13);
export const jalr = (rd: number, rs1: number, imm = 0) => iType(imm, rs1, 0, rd, 0x67);
export const ecall = () => 0x00000073;
/** bne rs1, rs2, pc + off (off even, within ±4 KiB). */
export const bne = (rs1: number, rs2: number, off: number) =>
  ((((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (1 << 12) |
    (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) | 0x63) >>> 0;
/** jal rd, pc + off (off even, within ±1 MiB). */
export const jal = (rd: number, off: number) =>
  ((((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20) | (((off >> 12) & 0xff) << 12) |
    (rd << 7) | 0x6f) >>> 0;

/** Little-endian bytes of 32-bit instruction words. */
export function words(...ws: number[]): Uint8Array {
  const out = new Uint8Array(ws.length * 4);
  const v = new DataView(out.buffer);
  ws.forEach((w, k) => v.setUint32(k * 4, w >>> 0, true));
  return out;
}

/** Register-register integer ops (OP and OP-32): [funct7, funct3, opcode]. */
export const REG_OPS = {
  add: [0x00, 0, 0x33], sub: [0x20, 0, 0x33], xor: [0x00, 4, 0x33], mul: [0x01, 0, 0x33], mulh: [0x01, 1, 0x33],
  mulhsu: [0x01, 2, 0x33], mulhu: [0x01, 3, 0x33], div: [0x01, 4, 0x33], divu: [0x01, 5, 0x33], rem: [0x01, 6, 0x33],
  remu: [0x01, 7, 0x33], addw: [0x00, 0, 0x3b], divw: [0x01, 4, 0x3b], divuw: [0x01, 5, 0x3b], remw: [0x01, 6, 0x3b],
  remuw: [0x01, 7, 0x3b],
} as const;
export type RegOp = keyof typeof REG_OPS;
/** op rd, rs1, rs2 */
export const reg = (op: RegOp, rd: number, rs1: number, rs2: number) => rType(REG_OPS[op][0], rs2, rs1, REG_OPS[op][1], rd, REG_OPS[op][2]);
/** lui rd, imm20 / auipc rd, imm20 (the upper 20 bits). */
export const lui = (rd: number, imm20: number) => (((imm20 & 0xfffff) << 12) | (rd << 7) | 0x37) >>> 0;
export const auipc = (rd: number, imm20: number) => (((imm20 & 0xfffff) << 12) | (rd << 7) | 0x17) >>> 0;
/** slli rd, rs1, shamt (0..63). */
export const slli = (rd: number, rs1: number, shamt: number) => iType(shamt & 63, rs1, 1, rd, 0x13);
/** csrrs rd, csr, x0: reads a CSR. */
export const csrr = (rd: number, csr: number) => iType(csr, 0, 2, rd, 0x73);
/** csrrw rd, csr, rs1. */
export const csrrw = (rd: number, csr: number, rs1: number) => iType(csr, rs1, 1, rd, 0x73);
/** fcvt.d.l fd, xs (rounding mode dynamic). */
export const fcvtDL = (fd: number, xs: number) => rType(0x69, 2, xs, 7, fd, 0x53);
/** fcvt.l.d xd, fs, rtz. */
export const fcvtLD = (xd: number, fs: number) => rType(0x61, 2, fs, 1, xd, 0x53);
/** fmv.x.d xd, fs. */
export const fmvXD = (xd: number, fs: number) => rType(0x71, 0, fs, 0, xd, 0x53);
/** fadd.d fd, fs1, fs2 (rounding mode dynamic). */
export const faddD = (fd: number, fs1: number, fs2: number) => rType(0x01, fs2, fs1, 7, fd, 0x53);
/** OP-FP funct7 of the double-precision add, subtract and multiply (funct5 0, 1, 2; fmt 01 = D). */
export const FP_ARITH_D = { "fadd.d": 0x01, "fsub.d": 0x05, "fmul.d": 0x09 } as const;
export type FpArithD = keyof typeof FP_ARITH_D;
/** fadd.d / fsub.d / fmul.d fd, fs1, fs2 with rounding mode rm (0..4 static, 7 dynamic). */
export const fpArithD = (op: FpArithD, fd: number, fs1: number, fs2: number, rm: number) =>
  rType(FP_ARITH_D[op], fs2, fs1, rm, fd, 0x53);
/** Opcodes of the fused multiply-adds (R4 format: rs3 in bits 31:27, fmt in 26:25). */
export const FP_FUSED = { "fmadd.d": 0x43, "fmsub.d": 0x47, "fnmsub.d": 0x4b, "fnmadd.d": 0x4f } as const;
export type FpFusedD = keyof typeof FP_FUSED;
/** fmadd.d / fmsub.d / fnmsub.d / fnmadd.d fd, fs1, fs2, fs3 with rounding mode rm (fmt 01 = D). */
export const fpFusedD = (op: FpFusedD, fd: number, fs1: number, fs2: number, fs3: number, rm: number) =>
  ((fs3 << 27) | (1 << 25) | (fs2 << 20) | (fs1 << 15) | (rm << 12) | (fd << 7) | FP_FUSED[op]) >>> 0;
