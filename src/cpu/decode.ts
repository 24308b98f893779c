// Decoding: turns instruction bits into the interpreter's slot form, using the tables in isa/.
//
// A decoded slot is four int32s: [op, regs, imm, raw], where regs packs the register-file indices
// the interpreter uses directly: rd*2 | rs1*2 << 8 | rs2*2 << 16 | length << 24. Integer writes to
// x0 are sent to slot 32 (index 64), which nothing reads, so the interpreter never tests rd == 0.
import { Op } from "./ops.js";
import { INSNS, FPU_OPCODES, type InsnRow } from "./isa/table.js";
import { COMPRESSED, type CompressedRow } from "./isa/compressed.js";
import { decodeFp } from "./fpu.js";

export const SLOT_WORDS = 4;
const X0_SINK = 64;

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
  const rdIndex = isFpReg(op) ? rd * 2 : rd === 0 ? X0_SINK : rd * 2;
  d[i] = op;
  d[i + 1] = rdIndex | ((rs1 * 2) << 8) | ((rs2 * 2) << 16) | (len << 24);
  d[i + 2] = imm;
  d[i + 3] = raw;
}

/** Decodes a 32-bit instruction into slot i of d. */
export function decode32(insn: number, d: Int32Array, i: number): void {
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

/** Decodes a 16-bit instruction into slot i of d (as its 32-bit expansion). */
export function decode16(c: number, d: Int32Array, i: number): void {
  const r = findCompressed(c);
  const x = r ? r.expand(c) : null;
  if (!x) {
    store(d, i, Op.Illegal, 0, 0, 0, 0, 2, c);
    return;
  }
  store(d, i, x.op, x.rd, x.rs1, x.rs2, x.imm, 2, c);
}
