// Decoding: turns instruction bits into the interpreter's slot form, as the tables in isa/ say.
//
// A decoded slot is four int32s: [op, regs, imm, raw], where regs packs the register-file indices
// the interpreter uses directly: rd*2 | rs1*2 << 8 | rs2*2 << 16 | length << 24. Integer writes to
// x0 are sent to slot 32 (index 64), which nothing reads, so the interpreter never tests rd == 0.
import { Op } from "./ops.js";
import { INSNS, FPU_OPCODES, type InsnRow } from "./isa/table.js";
import { COMPRESSED, type CompressedRow } from "./isa/compressed.js";
import { decodeFp } from "./fpu.js";
import { type AddressSpace, PAGE_CODE, PROT_EXEC } from "../mem/address-space.js";

export const SLOT_WORDS = 4;
/** The register-file word writes to x0 go to (slot 32), which nothing reads. */
export const X0_SINK = 64;

/** The register-file word of integer register x as a destination: x0's goes to X0_SINK. */
export function destinationWord(x: number): number {
  return x === 0 ? X0_SINK : x * 2;
}

const byOpcode: InsnRow[][] = Array.from({ length: 128 }, () => []);
for (const r of INSNS) byOpcode[r.match & 0x7f].push(r);
const isFpuOpcode = new Uint8Array(128);
for (const o of FPU_OPCODES) isFpuOpcode[o] = 1;

// Compressed rows grouped by quadrant and funct3.
const byCGroup: CompressedRow[][] = Array.from({ length: 32 }, () => []);
for (const r of COMPRESSED) byCGroup[(r.match & 3) | ((r.match >>> 13) << 2)].push(r);

const sext = (v: number, width: number) => (v << (32 - width)) >> (32 - width);

function immOf(insn: number, fmt: InsnRow["fmt"]): number {
  switch (fmt) {
    case "I":
    case "FL":
      return insn >> 20;
    case "Ish":
      return (insn >>> 20) & 0x3f;
    case "Ishw":
      return (insn >>> 20) & 0x1f;
    case "S":
    case "FS":
      return ((insn >> 25) << 5) | ((insn >>> 7) & 0x1f);
    case "B":
      return sext(
        (((insn >>> 31) & 1) << 12) | (((insn >>> 7) & 1) << 11) | (((insn >>> 25) & 0x3f) << 5) | (((insn >>> 8) & 0xf) << 1),
        13,
      );
    case "U":
      return insn & 0xfffff000;
    case "J":
      return sext(
        (((insn >>> 31) & 1) << 20) | (((insn >>> 12) & 0xff) << 12) | (((insn >>> 20) & 1) << 11) | (((insn >>> 21) & 0x3ff) << 1),
        21,
      );
    case "CSR":
      return ((insn >>> 20) & 0xfff) | (((insn >>> 12) & 7) << 12) | (((insn >>> 15) & 0x1f) << 15);
    case "AMO":
      return (insn >>> 27) & 0x1f;
    default:
      return 0;
  }
}

/** Finds the table row for a 32-bit instruction, or undefined. */
export function findInsn(insn: number): InsnRow | undefined {
  for (const r of byOpcode[insn & 0x7f]) if (((insn & r.mask) >>> 0) === r.match) return r;
  return undefined;
}

/** Finds the compressed-table row for a 16-bit instruction, or undefined. */
export function findCompressed(c: number): CompressedRow | undefined {
  for (const r of byCGroup[(c & 3) | ((c >>> 13) << 2)]) if ((c & r.mask) === r.match) return r;
  return undefined;
}

const isFpReg = (op: Op) => op === Op.Flw || op === Op.Fld || op === Op.Fsw || op === Op.Fsd;

function store(d: Int32Array, i: number, op: Op, rd: number, rs1: number, rs2: number, imm: number, len: number, raw: number) {
  // Specialise the forms compilers use for constants and copies.
  if (op === Op.Addi && rs1 === 0) op = Op.Li;
  else if (op === Op.Addi && imm === 0) op = Op.Mv;
  else if (op === Op.Add && rs1 === 0) {
    op = Op.Mv;
    rs1 = rs2;
  }
  const rdIndex = isFpReg(op) ? rd * 2 : destinationWord(rd);
  d[i] = op;
  d[i + 1] = rdIndex | ((rs1 * 2) << 8) | ((rs2 * 2) << 16) | (len << 24);
  d[i + 2] = imm;
  d[i + 3] = raw;
}

// ---- the decoders the interpreter uses ----
//
// Written out by hand (a switch on the major opcode and the function fields) rather than searching
// the tables: decoding is on the path of every instruction a program runs for the first time, so
// in a short run it is a good part of all the work, and most of it happens before V8 has
// optimised anything. They must agree exactly with the tables (decode32Table / decode16Table,
// which test/cpu/interp.test.ts compares them with on every 16-bit and many 32-bit encodings).

const BRANCH_OPS = [Op.Beq, Op.Bne, Op.Illegal, Op.Illegal, Op.Blt, Op.Bge, Op.Bltu, Op.Bgeu];
const LOAD_OPS = [Op.Lb, Op.Lh, Op.Lw, Op.Ld, Op.Lbu, Op.Lhu, Op.Lwu, Op.Illegal];
const STORE_OPS = [Op.Sb, Op.Sh, Op.Sw, Op.Sd, Op.Illegal, Op.Illegal, Op.Illegal, Op.Illegal];
const OP_IMM_OPS = [Op.Addi, Op.Slli, Op.Slti, Op.Sltiu, Op.Xori, Op.Srli, Op.Ori, Op.Andi];
const OP_OPS = [Op.Add, Op.Sll, Op.Slt, Op.Sltu, Op.Xor, Op.Srl, Op.Or, Op.And];
const MUL_OPS = [Op.Mul, Op.Mulh, Op.Mulhsu, Op.Mulhu, Op.Div, Op.Divu, Op.Rem, Op.Remu];
/** c.sub, c.xor, c.or, c.and by bits 6:5. */
const C_ALU_OPS = [Op.Sub, Op.Xor, Op.Or, Op.And];
const MULW_OPS = [Op.Mulw, Op.Illegal, Op.Illegal, Op.Illegal, Op.Divw, Op.Divuw, Op.Remw, Op.Remuw];
/** AMO funct5 values other than LR (0x02) and SC (0x03). */
const isAmo = new Uint8Array(32);
for (const k of [0x00, 0x01, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c]) isAmo[k] = 1;

/** Decodes a 32-bit instruction into slot i of d. */
export function decode32(insn: number, d: Int32Array, i: number): void {
  const opcode = insn & 0x7f;
  const rd = (insn >>> 7) & 0x1f;
  const f3 = (insn >>> 12) & 7;
  const rs1 = (insn >>> 15) & 0x1f;
  const rs2 = (insn >>> 20) & 0x1f;
  const f7 = insn >>> 25;
  let op = Op.Illegal;
  let imm = 0;
  switch (opcode) {
    case 0x37:
      op = Op.Lui;
      imm = insn & 0xfffff000;
      break;
    case 0x17:
      op = Op.Auipc;
      imm = insn & 0xfffff000;
      break;
    case 0x6f:
      op = Op.Jal;
      imm = (((insn >> 31) << 20) | (((insn >>> 12) & 0xff) << 12) | (((insn >>> 20) & 1) << 11) | (((insn >>> 21) & 0x3ff) << 1));
      break;
    case 0x67:
      if (f3 === 0) {
        op = Op.Jalr;
        imm = insn >> 20;
      }
      break;
    case 0x63:
      op = BRANCH_OPS[f3];
      imm = ((insn >> 31) << 12) | (((insn >>> 7) & 1) << 11) | (((insn >>> 25) & 0x3f) << 5) | (((insn >>> 8) & 0xf) << 1);
      break;
    case 0x03:
      op = LOAD_OPS[f3];
      imm = insn >> 20;
      break;
    case 0x23:
      op = STORE_OPS[f3];
      imm = ((insn >> 25) << 5) | rd;
      break;
    case 0x13:
      if (f3 === 1) {
        if (insn >>> 26 === 0) op = Op.Slli;
        imm = (insn >>> 20) & 0x3f;
      } else if (f3 === 5) {
        if (insn >>> 26 === 0) op = Op.Srli;
        else if (insn >>> 26 === 0x10) op = Op.Srai;
        imm = (insn >>> 20) & 0x3f;
      } else {
        op = OP_IMM_OPS[f3];
        imm = insn >> 20;
      }
      break;
    case 0x1b:
      if (f3 === 0) {
        op = Op.Addiw;
        imm = insn >> 20;
      } else {
        if (f3 === 1 && f7 === 0) op = Op.Slliw;
        else if (f3 === 5 && f7 === 0) op = Op.Srliw;
        else if (f3 === 5 && f7 === 0x20) op = Op.Sraiw;
        imm = (insn >>> 20) & 0x1f;
      }
      break;
    case 0x33:
      if (f7 === 0) op = OP_OPS[f3];
      else if (f7 === 1) op = MUL_OPS[f3];
      else if (f7 === 0x20) op = f3 === 0 ? Op.Sub : f3 === 5 ? Op.Sra : Op.Illegal;
      break;
    case 0x3b:
      if (f7 === 0) op = f3 === 0 ? Op.Addw : f3 === 1 ? Op.Sllw : f3 === 5 ? Op.Srlw : Op.Illegal;
      else if (f7 === 1) op = MULW_OPS[f3];
      else if (f7 === 0x20) op = f3 === 0 ? Op.Subw : f3 === 5 ? Op.Sraw : Op.Illegal;
      break;
    case 0x0f:
      if (f3 === 0) op = Op.Fence;
      else if (f3 === 1) op = Op.FenceI;
      break;
    case 0x73:
      if (insn === 0x00000073) op = Op.Ecall;
      else if (insn === 0x00100073) op = Op.Ebreak;
      else if (f3 !== 0 && f3 !== 4) {
        op = Op.Csr;
        imm = ((insn >>> 20) & 0xfff) | (f3 << 12) | (rs1 << 15);
      }
      break;
    case 0x2f:
      if (f3 === 2 || f3 === 3) {
        const f5 = insn >>> 27;
        if (f5 === 0x02) {
          if (rs2 === 0) op = f3 === 2 ? Op.LrW : Op.LrD;
        } else if (f5 === 0x03) op = f3 === 2 ? Op.ScW : Op.ScD;
        else if (isAmo[f5]) op = f3 === 2 ? Op.AmoW : Op.AmoD;
        imm = f5;
      }
      break;
    case 0x07:
      if (f3 === 2) op = Op.Flw;
      else if (f3 === 3) op = Op.Fld;
      imm = insn >> 20;
      break;
    case 0x27:
      if (f3 === 2) op = Op.Fsw;
      else if (f3 === 3) op = Op.Fsd;
      imm = ((insn >> 25) << 5) | rd;
      break;
    case 0x53:
    case 0x43:
    case 0x47:
    case 0x4b:
    case 0x4f: {
      const fop = decodeFp(insn);
      if (fop >= 0) store(d, i, Op.Fp, 0, 0, 0, fop, 4, insn);
      else store(d, i, Op.Illegal, 0, 0, 0, 0, 4, insn);
      return;
    }
  }
  if (op === Op.Illegal) store(d, i, Op.Illegal, 0, 0, 0, 0, 4, insn);
  else store(d, i, op, rd, rs1, rs2, imm, 4, insn);
}

/** Decodes a 16-bit instruction into slot i of d (as its 32-bit expansion). */
export function decode16(c: number, d: Int32Array, i: number): void {
  const f3 = c >>> 13;
  const b12 = (c >>> 12) & 1;
  const r = (c >>> 7) & 0x1f; // rd / rs1 (full)
  const r2 = (c >>> 2) & 0x1f; // rs2 (full)
  const p1 = 8 + ((c >>> 7) & 7); // rs1' / rd'
  const p2 = 8 + ((c >>> 2) & 7); // rs2' / rd'
  const imm6 = (((b12 << 5) | r2) << 26) >> 26;
  const shamt = (b12 << 5) | r2;
  const uLdSd = (((c >>> 10) & 7) << 3) | (((c >>> 5) & 3) << 6);
  switch ((c & 3) | (f3 << 2)) {
    // ---- quadrant 0 ----
    case 0: {
      const imm = (((c >>> 11) & 3) << 4) | (((c >>> 7) & 0xf) << 6) | (((c >>> 6) & 1) << 2) | (((c >>> 5) & 1) << 3);
      if (imm !== 0) return store(d, i, Op.Addi, p2, 2, 0, imm, 2, c);
      break;
    }
    case 4:
      return store(d, i, Op.Fld, p2, p1, 0, uLdSd, 2, c);
    case 8:
      return store(d, i, Op.Lw, p2, p1, 0, (((c >>> 10) & 7) << 3) | (((c >>> 6) & 1) << 2) | (((c >>> 5) & 1) << 6), 2, c);
    case 12:
      return store(d, i, Op.Ld, p2, p1, 0, uLdSd, 2, c);
    case 20:
      return store(d, i, Op.Fsd, 0, p1, p2, uLdSd, 2, c);
    case 24:
      return store(d, i, Op.Sw, 0, p1, p2, (((c >>> 10) & 7) << 3) | (((c >>> 6) & 1) << 2) | (((c >>> 5) & 1) << 6), 2, c);
    case 28:
      return store(d, i, Op.Sd, 0, p1, p2, uLdSd, 2, c);
    // ---- quadrant 1 ----
    case 1:
      return store(d, i, Op.Addi, r, r, 0, imm6, 2, c);
    case 5:
      if (r !== 0) return store(d, i, Op.Addiw, r, r, 0, imm6, 2, c);
      break;
    case 9:
      return store(d, i, Op.Addi, r, 0, 0, imm6, 2, c);
    case 13:
      if (r === 2) {
        const imm =
          ((((b12 << 9) | (((c >>> 6) & 1) << 4) | (((c >>> 5) & 1) << 6) | (((c >>> 3) & 3) << 7) | (((c >>> 2) & 1) << 5)) << 22) >> 22);
        if (imm !== 0) return store(d, i, Op.Addi, 2, 2, 0, imm, 2, c);
      } else {
        const imm = (((b12 << 17) | (r2 << 12)) << 14) >> 14;
        if (imm !== 0) return store(d, i, Op.Lui, r, 0, 0, imm, 2, c);
      }
      break;
    case 17:
      switch ((c >>> 10) & 3) {
        case 0:
          return store(d, i, Op.Srli, p1, p1, 0, shamt, 2, c);
        case 1:
          return store(d, i, Op.Srai, p1, p1, 0, shamt, 2, c);
        case 2:
          return store(d, i, Op.Andi, p1, p1, 0, imm6, 2, c);
        default: {
          const f2 = (c >>> 5) & 3;
          if (b12 === 0) return store(d, i, C_ALU_OPS[f2], p1, p1, p2, 0, 2, c);
          if (f2 === 0) return store(d, i, Op.Subw, p1, p1, p2, 0, 2, c);
          if (f2 === 1) return store(d, i, Op.Addw, p1, p1, p2, 0, 2, c);
        }
      }
      break;
    case 21: {
      const imm =
        (((b12 << 11) | (((c >>> 11) & 1) << 4) | (((c >>> 9) & 3) << 8) | (((c >>> 8) & 1) << 10) | (((c >>> 7) & 1) << 6) |
          (((c >>> 6) & 1) << 7) | (((c >>> 3) & 7) << 1) | (((c >>> 2) & 1) << 5)) << 20) >> 20;
      return store(d, i, Op.Jal, 0, 0, 0, imm, 2, c);
    }
    case 25:
    case 29: {
      const imm =
        (((b12 << 8) | (((c >>> 10) & 3) << 3) | (((c >>> 5) & 3) << 6) | (((c >>> 3) & 3) << 1) | (((c >>> 2) & 1) << 5)) << 23) >> 23;
      return store(d, i, f3 === 6 ? Op.Beq : Op.Bne, 0, p1, 0, imm, 2, c);
    }
    // ---- quadrant 2 ----
    case 2:
      return store(d, i, Op.Slli, r, r, 0, shamt, 2, c);
    case 6:
      return store(d, i, Op.Fld, r, 2, 0, (b12 << 5) | (((c >>> 5) & 3) << 3) | (((c >>> 2) & 7) << 6), 2, c);
    case 10:
      if (r !== 0) return store(d, i, Op.Lw, r, 2, 0, (b12 << 5) | (((c >>> 4) & 7) << 2) | (((c >>> 2) & 3) << 6), 2, c);
      break;
    case 14:
      if (r !== 0) return store(d, i, Op.Ld, r, 2, 0, (b12 << 5) | (((c >>> 5) & 3) << 3) | (((c >>> 2) & 7) << 6), 2, c);
      break;
    case 18:
      if (b12 === 0) {
        if (r2 !== 0) return store(d, i, Op.Add, r, 0, r2, 0, 2, c); // c.mv
        if (r !== 0) return store(d, i, Op.Jalr, 0, r, 0, 0, 2, c); // c.jr
      } else {
        if (c === 0x9002) return store(d, i, Op.Ebreak, 0, 0, 0, 0, 2, c);
        if (r2 === 0) return store(d, i, Op.Jalr, 1, r, 0, 0, 2, c); // c.jalr
        return store(d, i, Op.Add, r, r, r2, 0, 2, c); // c.add
      }
      break;
    case 22:
      return store(d, i, Op.Fsd, 0, 2, r2, (((c >>> 10) & 7) << 3) | (((c >>> 7) & 7) << 6), 2, c);
    case 26:
      return store(d, i, Op.Sw, 0, 2, r2, (((c >>> 9) & 0xf) << 2) | (((c >>> 7) & 3) << 6), 2, c);
    case 30:
      return store(d, i, Op.Sd, 0, 2, r2, (((c >>> 10) & 7) << 3) | (((c >>> 7) & 7) << 6), 2, c);
  }
  store(d, i, Op.Illegal, 0, 0, 0, 0, 2, c);
}

// ---- the table-driven decoders (the reference the hand-written ones are tested against) ----

/** Decodes a 32-bit instruction into slot i of d by searching the tables. */
export function decode32Table(insn: number, d: Int32Array, i: number): void {
  const opcode = insn & 0x7f;
  const rd = (insn >>> 7) & 0x1f;
  const rs1 = (insn >>> 15) & 0x1f;
  const rs2 = (insn >>> 20) & 0x1f;
  if (isFpuOpcode[opcode]) {
    const fop = decodeFp(insn);
    if (fop < 0) store(d, i, Op.Illegal, 0, 0, 0, 0, 4, insn);
    else store(d, i, Op.Fp, 0, 0, 0, fop, 4, insn);
    return;
  }
  const r = findInsn(insn);
  if (!r) {
    store(d, i, Op.Illegal, 0, 0, 0, 0, 4, insn);
    return;
  }
  store(d, i, r.op, rd, rs1, rs2, immOf(insn, r.fmt), 4, insn);
}

/** Decodes a 16-bit instruction into slot i of d by searching the compressed table. */
export function decode16Table(c: number, d: Int32Array, i: number): void {
  const r = findCompressed(c);
  const x = r ? r.expand(c) : null;
  if (!x) {
    store(d, i, Op.Illegal, 0, 0, 0, 0, 2, c);
    return;
  }
  store(d, i, x.op, x.rd, x.rs1, x.rs2, x.imm, 2, c);
}

/** Decodes the instruction at pc into slot i; false if its second half is on a non-executable page. */
export function decodeAt(mem: AddressSpace, pc: number, d: Int32Array, i: number): boolean {
  const lo = mem.view.getUint16(pc, true);
  if ((lo & 3) !== 3) {
    decode16(lo, d, i);
    return true;
  }
  const next = pc + 2;
  if ((next & 4095) === 0) {
    if (next >= 4294967296 || (mem.perms[next >>> 12] & PROT_EXEC) === 0) return false;
    // The instruction straddles two pages: a write to the second must drop it too.
    mem.perms[next >>> 12] |= PAGE_CODE;
  }
  decode32((lo | (mem.view.getUint16(next, true) << 16)) >>> 0, d, i);
  return true;
}
