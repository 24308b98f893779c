// RV64GC instruction encoders for the differential fuzzer and the decoder tests.
//
// An instruction is a plain record { name, rd, rs1, rs2, rs3, imm, rm, aq, rl, csr, pred, succ }
// (only the fields its format uses). SPECS maps each mnemonic (riscv-opcodes spelling, compressed
// ones with their "c." prefix) to its format and fixed bits; encode(rec) gives { bits, len } and
// disasm(rec, pc) prints it the way `objdump -M no-aliases,numeric` does.
//
// The encoders are written from the field layouts of the unprivileged spec, independently of the
// decoder in src/cpu, so that the two can check each other.

// ---- bit helpers ----

const u32 = (v) => v >>> 0;

/** Places bit `bitList[k]` of v at instruction bit `top - k`. */
function place(v, top, bitList) {
  let out = 0;
  for (let k = 0; k < bitList.length; k++) {
    const b = bitList[k];
    if (b >= 0) out |= ((v >>> b) & 1) << (top - k);
  }
  return out;
}

/** Bit indices hi..lo, descending. */
const range = (hi, lo) => Array.from({ length: hi - lo + 1 }, (_, i) => hi - i);

function checkRange(name, what, v, lo, hi, align = 1) {
  if (!Number.isInteger(v) || v < lo || v > hi || v % align !== 0) {
    throw new RangeError(`${name}: ${what} ${v} outside [${lo}, ${hi}]${align > 1 ? ` or not a multiple of ${align}` : ""}`);
  }
}

function checkReg(name, what, r, lo = 0, hi = 31) {
  checkRange(name, what, r, lo, hi);
}

// ---- 32-bit formats ----

const rType = (op, f3, f7, rd, rs1, rs2) => u32((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op);
const iType = (op, f3, rd, rs1, imm) => u32(((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op);
const sType = (op, f3, rs1, rs2, imm) =>
  u32((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | op);
const bType = (op, f3, rs1, rs2, off) =>
  u32(place(off, 31, [12, ...range(10, 5)]) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | place(off, 11, [4, 3, 2, 1, 11]) | op);
const uType = (op, rd, imm20) => u32(((imm20 & 0xfffff) << 12) | (rd << 7) | op);
const jType = (op, rd, off) => u32(place(off, 31, [20, ...range(10, 1), 11, ...range(19, 12)]) | (rd << 7) | op);

// ---- compressed helpers ----

/** 3-bit register field for x8..x15 / f8..f15. */
const cr = (r) => r - 8;

export const ROUNDING = ["rne", "rtz", "rdn", "rup", "rmm", "", "", "dyn"];
export const CSR_NAMES = { 0x001: "fflags", 0x002: "frm", 0x003: "fcsr", 0xc00: "cycle", 0xc01: "time", 0xc02: "instret" };

// ---- the specs ----
//
// Each spec: { fmt, len, enc(rec) → bits, check(rec) throws on fields out of range }.
// fmt drives disasm and the decoder tests; it names the operand layout, in objdump's order.

export const SPECS = {};

function def(name, fmt, len, enc, check = () => {}) {
  SPECS[name] = { name, fmt, len, enc, check };
}

const X = (name, rec, ...fields) => fields.forEach((f) => checkReg(name, f, rec[f]));

// RV64I
def("lui", "U", 4, (r) => uType(0x37, r.rd, r.imm), (r) => (X("lui", r, "rd"), checkRange("lui", "imm", r.imm, 0, 0xfffff)));
def("auipc", "U", 4, (r) => uType(0x17, r.rd, r.imm), (r) => (X("auipc", r, "rd"), checkRange("auipc", "imm", r.imm, 0, 0xfffff)));
def("jal", "J", 4, (r) => jType(0x6f, r.rd, r.imm), (r) => (X("jal", r, "rd"), checkRange("jal", "offset", r.imm, -(1 << 20), (1 << 20) - 2, 2)));
def("jalr", "JALR", 4, (r) => iType(0x67, 0, r.rd, r.rs1, r.imm), (r) => (X("jalr", r, "rd", "rs1"), checkRange("jalr", "imm", r.imm, -2048, 2047)));
for (const [name, f3] of [["beq", 0], ["bne", 1], ["blt", 4], ["bge", 5], ["bltu", 6], ["bgeu", 7]]) {
  def(name, "B", 4, (r) => bType(0x63, f3, r.rs1, r.rs2, r.imm), (r) => (X(name, r, "rs1", "rs2"), checkRange(name, "offset", r.imm, -4096, 4094, 2)));
}
for (const [name, f3] of [["lb", 0], ["lh", 1], ["lw", 2], ["ld", 3], ["lbu", 4], ["lhu", 5], ["lwu", 6]]) {
  def(name, "LD", 4, (r) => iType(0x03, f3, r.rd, r.rs1, r.imm), (r) => (X(name, r, "rd", "rs1"), checkRange(name, "imm", r.imm, -2048, 2047)));
}
for (const [name, f3] of [["sb", 0], ["sh", 1], ["sw", 2], ["sd", 3]]) {
  def(name, "ST", 4, (r) => sType(0x23, f3, r.rs1, r.rs2, r.imm), (r) => (X(name, r, "rs1", "rs2"), checkRange(name, "imm", r.imm, -2048, 2047)));
}
for (const [name, op, f3] of [
  ["addi", 0x13, 0], ["slti", 0x13, 2], ["sltiu", 0x13, 3], ["xori", 0x13, 4], ["ori", 0x13, 6], ["andi", 0x13, 7],
  ["addiw", 0x1b, 0],
]) {
  def(name, "I", 4, (r) => iType(op, f3, r.rd, r.rs1, r.imm), (r) => (X(name, r, "rd", "rs1"), checkRange(name, "imm", r.imm, -2048, 2047)));
}
for (const [name, f3, f6] of [["slli", 1, 0], ["srli", 5, 0], ["srai", 5, 0x10]]) {
  def(name, "SH", 4, (r) => u32((f6 << 26) | (r.imm << 20) | (r.rs1 << 15) | (f3 << 12) | (r.rd << 7) | 0x13),
    (r) => (X(name, r, "rd", "rs1"), checkRange(name, "shamt", r.imm, 0, 63)));
}
for (const [name, f3, f7] of [["slliw", 1, 0], ["srliw", 5, 0], ["sraiw", 5, 0x20]]) {
  def(name, "SH", 4, (r) => u32((f7 << 25) | (r.imm << 20) | (r.rs1 << 15) | (f3 << 12) | (r.rd << 7) | 0x1b),
    (r) => (X(name, r, "rd", "rs1"), checkRange(name, "shamt", r.imm, 0, 31)));
}
for (const [name, op, f3, f7] of [
  ["add", 0x33, 0, 0], ["sub", 0x33, 0, 0x20], ["sll", 0x33, 1, 0], ["slt", 0x33, 2, 0], ["sltu", 0x33, 3, 0],
  ["xor", 0x33, 4, 0], ["srl", 0x33, 5, 0], ["sra", 0x33, 5, 0x20], ["or", 0x33, 6, 0], ["and", 0x33, 7, 0],
  ["addw", 0x3b, 0, 0], ["subw", 0x3b, 0, 0x20], ["sllw", 0x3b, 1, 0], ["srlw", 0x3b, 5, 0], ["sraw", 0x3b, 5, 0x20],
  ["mul", 0x33, 0, 1], ["mulh", 0x33, 1, 1], ["mulhsu", 0x33, 2, 1], ["mulhu", 0x33, 3, 1],
  ["div", 0x33, 4, 1], ["divu", 0x33, 5, 1], ["rem", 0x33, 6, 1], ["remu", 0x33, 7, 1],
  ["mulw", 0x3b, 0, 1], ["divw", 0x3b, 4, 1], ["divuw", 0x3b, 5, 1], ["remw", 0x3b, 6, 1], ["remuw", 0x3b, 7, 1],
]) {
  def(name, "R", 4, (r) => rType(op, f3, f7, r.rd, r.rs1, r.rs2), (r) => X(name, r, "rd", "rs1", "rs2"));
}
// fence: pred/succ are 4-bit iorw sets; fm 8 with pred = succ = rw is fence.tso.
def("fence", "FENCE", 4, (r) => u32(((r.fm ?? 0) << 28) | (r.pred << 24) | (r.succ << 20) | ((r.rs1 ?? 0) << 15) | ((r.rd ?? 0) << 7) | 0x0f),
  (r) => (checkRange("fence", "pred", r.pred, 0, 15), checkRange("fence", "succ", r.succ, 0, 15)));
def("fence.i", "N", 4, () => 0x0000100f);
def("ecall", "N", 4, () => 0x00000073);
def("ebreak", "N", 4, () => 0x00100073);
// Zicsr
for (const [name, f3] of [["csrrw", 1], ["csrrs", 2], ["csrrc", 3]]) {
  def(name, "CSR", 4, (r) => iType(0x73, f3, r.rd, r.rs1, r.csr), (r) => (X(name, r, "rd", "rs1"), checkRange(name, "csr", r.csr, 0, 0xfff)));
}
for (const [name, f3] of [["csrrwi", 5], ["csrrsi", 6], ["csrrci", 7]]) {
  def(name, "CSRI", 4, (r) => iType(0x73, f3, r.rd, r.imm, r.csr),
    (r) => (X(name, r, "rd"), checkRange(name, "uimm", r.imm, 0, 31), checkRange(name, "csr", r.csr, 0, 0xfff)));
}
// A
const AMO_F5 = { "lr": 0x02, "sc": 0x03, "amoswap": 0x01, "amoadd": 0x00, "amoxor": 0x04, "amoand": 0x0c, "amoor": 0x08,
  "amomin": 0x10, "amomax": 0x14, "amominu": 0x18, "amomaxu": 0x1c };
for (const [base, f5] of Object.entries(AMO_F5)) {
  for (const [w, width] of [["w", 2], ["d", 3]]) {
    const name = `${base}.${w}`;
    const fmt = base === "lr" ? "LR" : "AMO";
    def(name, fmt, 4,
      (r) => u32((f5 << 27) | ((r.aq ? 1 : 0) << 26) | ((r.rl ? 1 : 0) << 25) | ((base === "lr" ? 0 : r.rs2) << 20) | (r.rs1 << 15) | (width << 12) | (r.rd << 7) | 0x2f),
      (r) => X(name, r, "rd", "rs1", ...(base === "lr" ? [] : ["rs2"])));
  }
}
// F and D loads and stores
for (const [name, f3] of [["flw", 2], ["fld", 3]]) {
  def(name, "FLD", 4, (r) => iType(0x07, f3, r.rd, r.rs1, r.imm), (r) => (X(name, r, "rd", "rs1"), checkRange(name, "imm", r.imm, -2048, 2047)));
}
for (const [name, f3] of [["fsw", 2], ["fsd", 3]]) {
  def(name, "FST", 4, (r) => sType(0x27, f3, r.rs1, r.rs2, r.imm), (r) => (X(name, r, "rs1", "rs2"), checkRange(name, "imm", r.imm, -2048, 2047)));
}

// F and D computational instructions. Operand formats (rd first):
//   FR  f,f,f[,rm]   FRN f,f,f   FCMP x,f,f   FR1 f,f[,rm]   F2X x,f[,rm]   F2XN x,f
//   X2F f,x[,rm]     X2FN f,x    FR4 f,f,f,f[,rm]
// `rm` is true when funct3 is a rounding mode; otherwise f3 is fixed; rs2 is fixed for unary ops.
const checkRm = (name, r) => {
  if (![0, 1, 2, 3, 4, 7].includes(r.rm)) throw new RangeError(`${name}: rounding mode ${r.rm} is reserved`);
};
function fp(name, fmt, f5, width, { f3 = -1, rs2 = -1 } = {}) {
  const hasRm = f3 < 0;
  def(name, fmt, 4,
    (r) => rType(0x53, hasRm ? r.rm : f3, (f5 << 2) | width, r.rd, r.rs1, rs2 >= 0 ? rs2 : r.rs2),
    (r) => {
      X(name, r, "rd", "rs1", ...(rs2 >= 0 ? [] : ["rs2"]));
      if (hasRm) checkRm(name, r);
    });
  SPECS[name].hasRm = hasRm;
}
for (const [s, width] of [["s", 0], ["d", 1]]) {
  fp(`fadd.${s}`, "FR", 0x00, width);
  fp(`fsub.${s}`, "FR", 0x01, width);
  fp(`fmul.${s}`, "FR", 0x02, width);
  fp(`fdiv.${s}`, "FR", 0x03, width);
  fp(`fsqrt.${s}`, "FR1", 0x0b, width, { rs2: 0 });
  fp(`fsgnj.${s}`, "FRN", 0x04, width, { f3: 0 });
  fp(`fsgnjn.${s}`, "FRN", 0x04, width, { f3: 1 });
  fp(`fsgnjx.${s}`, "FRN", 0x04, width, { f3: 2 });
  fp(`fmin.${s}`, "FRN", 0x05, width, { f3: 0 });
  fp(`fmax.${s}`, "FRN", 0x05, width, { f3: 1 });
  fp(`feq.${s}`, "FCMP", 0x14, width, { f3: 2 });
  fp(`flt.${s}`, "FCMP", 0x14, width, { f3: 1 });
  fp(`fle.${s}`, "FCMP", 0x14, width, { f3: 0 });
  fp(`fclass.${s}`, "F2XN", 0x1c, width, { f3: 1, rs2: 0 });
  fp(`fcvt.w.${s}`, "F2X", 0x18, width, { rs2: 0 });
  fp(`fcvt.wu.${s}`, "F2X", 0x18, width, { rs2: 1 });
  fp(`fcvt.l.${s}`, "F2X", 0x18, width, { rs2: 2 });
  fp(`fcvt.lu.${s}`, "F2X", 0x18, width, { rs2: 3 });
  fp(`fcvt.${s}.w`, "X2F", 0x1a, width, { rs2: 0 });
  fp(`fcvt.${s}.wu`, "X2F", 0x1a, width, { rs2: 1 });
  fp(`fcvt.${s}.l`, "X2F", 0x1a, width, { rs2: 2 });
  fp(`fcvt.${s}.lu`, "X2F", 0x1a, width, { rs2: 3 });
  fp(s === "s" ? "fmv.x.w" : "fmv.x.d", "F2XN", 0x1c, width, { f3: 0, rs2: 0 });
  fp(s === "s" ? "fmv.w.x" : "fmv.d.x", "X2FN", 0x1e, width, { f3: 0, rs2: 0 });
  for (const [base, opcode] of [["fmadd", 0x43], ["fmsub", 0x47], ["fnmsub", 0x4b], ["fnmadd", 0x4f]]) {
    const name = `${base}.${s}`;
    def(name, "FR4", 4, (r) => u32((r.rs3 << 27) | (width << 25) | (r.rs2 << 20) | (r.rs1 << 15) | (r.rm << 12) | (r.rd << 7) | opcode),
      (r) => (X(name, r, "rd", "rs1", "rs2", "rs3"), checkRm(name, r)));
    SPECS[name].hasRm = true;
  }
}
fp("fcvt.s.d", "FR1", 0x08, 0, { rs2: 1 });
fp("fcvt.d.s", "FR1", 0x08, 1, { rs2: 0 });

// ---- RV64C ----
//
// Compressed records use the operand names of the assembler syntax: rd (or rd'), rs1, rs2, imm.
const CX = (name, rec, f, lo = 0, hi = 31) => checkReg(name, f, rec[f], lo, hi);

// Quadrant 0
def("c.addi4spn", "CIW", 2, (r) => place(r.imm, 12, [5, 4, 9, 8, 7, 6, 2, 3]) | (cr(r.rd) << 2),
  (r) => (CX("c.addi4spn", r, "rd", 8, 15), checkRange("c.addi4spn", "nzuimm", r.imm, 4, 1020, 4)));
for (const [name, f3, size] of [["c.fld", 1, 8], ["c.lw", 2, 4], ["c.ld", 3, 8]]) {
  const bitsFor = size === 4 ? [5, 4, 3, -1, -1, -1, 2, 6] : [5, 4, 3, -1, -1, -1, 7, 6];
  def(name, "CL", 2, (r) => (f3 << 13) | place(r.imm, 12, bitsFor) | (cr(r.rs1) << 7) | (cr(r.rd) << 2),
    (r) => (CX(name, r, "rd", 8, 15), CX(name, r, "rs1", 8, 15), checkRange(name, "uimm", r.imm, 0, size === 4 ? 124 : 248, size)));
}
for (const [name, f3, size] of [["c.fsd", 5, 8], ["c.sw", 6, 4], ["c.sd", 7, 8]]) {
  const bitsFor = size === 4 ? [5, 4, 3, -1, -1, -1, 2, 6] : [5, 4, 3, -1, -1, -1, 7, 6];
  def(name, "CS", 2, (r) => (f3 << 13) | place(r.imm, 12, bitsFor) | (cr(r.rs1) << 7) | (cr(r.rs2) << 2),
    (r) => (CX(name, r, "rs2", 8, 15), CX(name, r, "rs1", 8, 15), checkRange(name, "uimm", r.imm, 0, size === 4 ? 124 : 248, size)));
}
// Quadrant 1
const ci6 = (imm) => place(imm, 12, [5]) | place(imm, 6, [4, 3, 2, 1, 0]);
def("c.addi", "CI", 2, (r) => 0x0001 | ci6(r.imm) | (r.rd << 7), (r) => (CX("c.addi", r, "rd"), checkRange("c.addi", "imm", r.imm, -32, 31)));
def("c.addiw", "CI", 2, (r) => 0x2001 | ci6(r.imm) | (r.rd << 7), (r) => (CX("c.addiw", r, "rd", 1), checkRange("c.addiw", "imm", r.imm, -32, 31)));
def("c.li", "CI", 2, (r) => 0x4001 | ci6(r.imm) | (r.rd << 7), (r) => (CX("c.li", r, "rd"), checkRange("c.li", "imm", r.imm, -32, 31)));
def("c.addi16sp", "CI16SP", 2, (r) => 0x6101 | place(r.imm, 12, [9]) | place(r.imm, 6, [4, 6, 8, 7, 5]),
  (r) => {
    checkRange("c.addi16sp", "nzimm", r.imm, -512, 496, 16);
    if (r.imm === 0) throw new RangeError("c.addi16sp: nzimm 0 is reserved");
  });
// c.lui: imm is the 20-bit value objdump prints (nzimm[17:12] sign-extended to 20 bits).
def("c.lui", "CLUI", 2, (r) => 0x6001 | place(r.imm, 12, [5]) | place(r.imm, 6, [4, 3, 2, 1, 0]) | (r.rd << 7),
  (r) => {
    CX("c.lui", r, "rd");
    if (r.rd === 2) throw new RangeError("c.lui: rd x2 is c.addi16sp");
    if (!((r.imm >= 1 && r.imm <= 31) || (r.imm >= 0xfffe0 && r.imm <= 0xfffff))) throw new RangeError(`c.lui: imm ${r.imm}`);
  });
for (const [name, f2] of [["c.srli", 0], ["c.srai", 1]]) {
  def(name, "CBSH", 2, (r) => 0x8001 | (f2 << 10) | ci6(r.imm) | (cr(r.rd) << 7),
    (r) => (CX(name, r, "rd", 8, 15), checkRange(name, "shamt", r.imm, 0, 63)));
}
def("c.andi", "CBI", 2, (r) => 0x8801 | ci6(r.imm) | (cr(r.rd) << 7), (r) => (CX("c.andi", r, "rd", 8, 15), checkRange("c.andi", "imm", r.imm, -32, 31)));
for (const [name, hi, f2] of [["c.sub", 0, 0], ["c.xor", 0, 1], ["c.or", 0, 2], ["c.and", 0, 3], ["c.subw", 1, 0], ["c.addw", 1, 1]]) {
  def(name, "CA", 2, (r) => 0x8c01 | (hi << 12) | (cr(r.rd) << 7) | (f2 << 5) | (cr(r.rs2) << 2),
    (r) => (CX(name, r, "rd", 8, 15), CX(name, r, "rs2", 8, 15)));
}
def("c.j", "CJ", 2, (r) => 0xa001 | place(r.imm, 12, [11, 4, 9, 8, 10, 6, 7, 3, 2, 1, 5]),
  (r) => checkRange("c.j", "offset", r.imm, -2048, 2046, 2));
for (const [name, f3] of [["c.beqz", 6], ["c.bnez", 7]]) {
  def(name, "CB", 2, (r) => (f3 << 13) | 1 | place(r.imm, 12, [8, 4, 3]) | place(r.imm, 6, [7, 6, 2, 1, 5]) | (cr(r.rs1) << 7),
    (r) => (CX(name, r, "rs1", 8, 15), checkRange(name, "offset", r.imm, -256, 254, 2)));
}
// Quadrant 2
def("c.slli", "CSH", 2, (r) => 0x0002 | ci6(r.imm) | (r.rd << 7), (r) => (CX("c.slli", r, "rd"), checkRange("c.slli", "shamt", r.imm, 0, 63)));
def("c.fldsp", "CLSP", 2, (r) => 0x2002 | place(r.imm, 12, [5]) | place(r.imm, 6, [4, 3, 8, 7, 6]) | (r.rd << 7),
  (r) => (CX("c.fldsp", r, "rd"), checkRange("c.fldsp", "uimm", r.imm, 0, 504, 8)));
def("c.lwsp", "CLSP", 2, (r) => 0x4002 | place(r.imm, 12, [5]) | place(r.imm, 6, [4, 3, 2, 7, 6]) | (r.rd << 7),
  (r) => (CX("c.lwsp", r, "rd", 1), checkRange("c.lwsp", "uimm", r.imm, 0, 252, 4)));
def("c.ldsp", "CLSP", 2, (r) => 0x6002 | place(r.imm, 12, [5]) | place(r.imm, 6, [4, 3, 8, 7, 6]) | (r.rd << 7),
  (r) => (CX("c.ldsp", r, "rd", 1), checkRange("c.ldsp", "uimm", r.imm, 0, 504, 8)));
def("c.jr", "CJR", 2, (r) => 0x8002 | (r.rs1 << 7), (r) => CX("c.jr", r, "rs1", 1));
def("c.mv", "CR", 2, (r) => 0x8002 | (r.rd << 7) | (r.rs2 << 2), (r) => (CX("c.mv", r, "rd"), CX("c.mv", r, "rs2", 1)));
def("c.ebreak", "N", 2, () => 0x9002);
def("c.jalr", "CJR", 2, (r) => 0x9002 | (r.rs1 << 7), (r) => CX("c.jalr", r, "rs1", 1));
def("c.add", "CR", 2, (r) => 0x9002 | (r.rd << 7) | (r.rs2 << 2), (r) => (CX("c.add", r, "rd"), CX("c.add", r, "rs2", 1)));
def("c.fsdsp", "CSSP", 2, (r) => 0xa002 | place(r.imm, 12, [5, 4, 3, 8, 7, 6]) | (r.rs2 << 2),
  (r) => (CX("c.fsdsp", r, "rs2"), checkRange("c.fsdsp", "uimm", r.imm, 0, 504, 8)));
def("c.swsp", "CSSP", 2, (r) => 0xc002 | place(r.imm, 12, [5, 4, 3, 2, 7, 6]) | (r.rs2 << 2),
  (r) => (CX("c.swsp", r, "rs2"), checkRange("c.swsp", "uimm", r.imm, 0, 252, 4)));
def("c.sdsp", "CSSP", 2, (r) => 0xe002 | place(r.imm, 12, [5, 4, 3, 8, 7, 6]) | (r.rs2 << 2),
  (r) => (CX("c.sdsp", r, "rs2"), checkRange("c.sdsp", "uimm", r.imm, 0, 504, 8)));

// ---- which register file each operand names ----

const FP_FMTS = {
  FR: ["f", "f", "f"], FRN: ["f", "f", "f"], FCMP: ["x", "f", "f"], FR1: ["f", "f"], F2X: ["x", "f"], F2XN: ["x", "f"],
  X2F: ["f", "x"], X2FN: ["f", "x"], FR4: ["f", "f", "f", "f"],
};

/** Register file ("x" or "f") of rd, rs1, rs2, rs3 for a mnemonic. */
export function regFiles(name) {
  const s = SPECS[name];
  if (FP_FMTS[s.fmt]) {
    const [d, a, b = "f", c = "f"] = FP_FMTS[s.fmt];
    return { rd: d, rs1: a, rs2: b, rs3: c };
  }
  const fpData = ["flw", "fld", "fsw", "fsd", "c.fld", "c.fsd", "c.fldsp", "c.fsdsp"].includes(name);
  return { rd: fpData ? "f" : "x", rs1: "x", rs2: fpData ? "f" : "x", rs3: "x" };
}

// ---- encoding ----

/** Encodes an instruction record: { bits, len }. Throws RangeError for fields out of range. */
export function encode(rec) {
  const s = SPECS[rec.name];
  if (!s) throw new Error(`unknown instruction ${rec.name}`);
  s.check(rec);
  return { bits: s.enc(rec) >>> 0, len: s.len };
}

/** Appends the little-endian bytes of rec to out (an array of numbers). */
export function emitBytes(rec, out) {
  const { bits, len } = encode(rec);
  for (let i = 0; i < len; i++) out.push((bits >>> (8 * i)) & 0xff);
  return len;
}

// ---- disassembly, in `objdump -M no-aliases,numeric` syntax ----

const hex = (v) => `0x${v.toString(16)}`;
const fenceSet = (v) => (v & 8 ? "i" : "") + (v & 4 ? "o" : "") + (v & 2 ? "r" : "") + (v & 1 ? "w" : "") || "unknown";

/** One line of disassembly; pc (a number) is used for branch targets, which objdump prints absolute. */
export function disasm(rec, pc = 0) {
  const s = SPECS[rec.name];
  const x = (n) => `x${n}`;
  const f = (n) => `f${n}`;
  const rm = () => (s.hasRm && rec.rm !== 7 ? `,${ROUNDING[rec.rm]}` : "");
  const csr = () => CSR_NAMES[rec.csr] ?? hex(rec.csr);
  const tgt = () => hex(pc + rec.imm);
  const n = rec.name;
  const ops = (() => {
    switch (s.fmt) {
      case "R": return `${x(rec.rd)},${x(rec.rs1)},${x(rec.rs2)}`;
      case "I": return `${x(rec.rd)},${x(rec.rs1)},${rec.imm}`;
      case "SH": return `${x(rec.rd)},${x(rec.rs1)},${hex(rec.imm)}`;
      case "LD":
      case "JALR": return `${x(rec.rd)},${rec.imm}(${x(rec.rs1)})`;
      case "ST": return `${x(rec.rs2)},${rec.imm}(${x(rec.rs1)})`;
      case "B": return `${x(rec.rs1)},${x(rec.rs2)},${tgt()}`;
      case "U": return `${x(rec.rd)},${hex(rec.imm)}`;
      case "J": return `${x(rec.rd)},${tgt()}`;
      case "CSR": return `${x(rec.rd)},${csr()},${x(rec.rs1)}`;
      case "CSRI": return `${x(rec.rd)},${csr()},${rec.imm}`;
      case "AMO": return `${x(rec.rd)},${x(rec.rs2)},(${x(rec.rs1)})`;
      case "LR": return `${x(rec.rd)},(${x(rec.rs1)})`;
      case "FENCE": return rec.fm === 8 ? "" : `${fenceSet(rec.pred)},${fenceSet(rec.succ)}`;
      case "N": return "";
      case "FLD": return `${f(rec.rd)},${rec.imm}(${x(rec.rs1)})`;
      case "FST": return `${f(rec.rs2)},${rec.imm}(${x(rec.rs1)})`;
      case "FR": return `${f(rec.rd)},${f(rec.rs1)},${f(rec.rs2)}${rm()}`;
      case "FRN": return `${f(rec.rd)},${f(rec.rs1)},${f(rec.rs2)}`;
      case "FCMP": return `${x(rec.rd)},${f(rec.rs1)},${f(rec.rs2)}`;
      case "FR1": return `${f(rec.rd)},${f(rec.rs1)}${rm()}`;
      case "F2X": return `${x(rec.rd)},${f(rec.rs1)}${rm()}`;
      case "F2XN": return `${x(rec.rd)},${f(rec.rs1)}`;
      case "X2F": return `${f(rec.rd)},${x(rec.rs1)}${rm()}`;
      case "X2FN": return `${f(rec.rd)},${x(rec.rs1)}`;
      case "FR4": return `${f(rec.rd)},${f(rec.rs1)},${f(rec.rs2)},${f(rec.rs3)}${rm()}`;
      case "CIW": return `${x(rec.rd)},x2,${rec.imm}`;
      case "CL": return `${n === "c.fld" ? f(rec.rd) : x(rec.rd)},${rec.imm}(${x(rec.rs1)})`;
      case "CS": return `${n === "c.fsd" ? f(rec.rs2) : x(rec.rs2)},${rec.imm}(${x(rec.rs1)})`;
      case "CI":
      case "CBI": return `${x(rec.rd)},${rec.imm}`;
      case "CI16SP": return `x2,${rec.imm}`;
      case "CLUI": return `${x(rec.rd)},${hex(rec.imm)}`;
      case "CBSH":
      case "CSH": return `${x(rec.rd)},${hex(rec.imm)}`;
      case "CA":
      case "CR": return `${x(rec.rd)},${x(rec.rs2)}`;
      case "CJ": return tgt();
      case "CB": return `${x(rec.rs1)},${tgt()}`;
      case "CJR": return x(rec.rs1);
      case "CLSP": return `${n === "c.fldsp" ? f(rec.rd) : x(rec.rd)},${rec.imm}(x2)`;
      case "CSSP": return `${n === "c.fsdsp" ? f(rec.rs2) : x(rec.rs2)},${rec.imm}(x2)`;
      default: throw new Error(`no disassembly for format ${s.fmt}`);
    }
  })();
  let mnemonic = n;
  if (s.fmt === "AMO" || s.fmt === "LR") mnemonic += rec.aq && rec.rl ? ".aqrl" : rec.aq ? ".aq" : rec.rl ? ".rl" : "";
  if (s.fmt === "FENCE" && rec.fm === 8) mnemonic = "fence.tso";
  if ((s.fmt === "CBSH" || s.fmt === "CSH") && rec.imm === 0) return `${mnemonic}64\t${x(rec.rd)}`;
  return ops ? `${mnemonic}\t${ops}` : mnemonic;
}
