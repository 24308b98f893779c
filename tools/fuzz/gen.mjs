// Random program bodies for the differential fuzzer.
//
// A program is its initial state (31 integer registers, 32 FP registers, fcsr, a 4 KiB data window)
// and a list of units. A unit is a short instruction sequence that is safe on its own: a memory
// access together with the instruction that points its base register into the window, an LR with
// its SC, a write of frm together with the value it writes, a jump with the auipc it is relative
// to. Branches and jumps go forward to the start of a later unit (or to the end of the body), so
// every unit is entered at its first instruction; dropping units (for minimisation) keeps a
// program valid.
//
// Register conventions: x2 (sp) points at the data window all the time (a unit that moves it moves
// it back); it is never a destination otherwise. Everything else is fair game, including x0 as a
// destination. The window is [sp, sp + WINDOW); below it are the register dump area and the log
// area, where some units store their results (see asm.mjs).
//
// Values: half of the programs draw registers and memory from a few "palette" values (and their
// negations) so that equal operands, ±0 pairs and the like are common; FP registers are split by
// format (see f()) so that most single-precision operands are properly NaN-boxed; "crafted" units
// load operands built for rounding ties, the subnormal and overflow boundaries, FMA cancellation
// and the integer conversion limits; "directed" units (directed.mjs) set operands to edge values for
// the families where emulators most often go wrong. Loops run their bodies a few, dozens or over
// HOT_LOOP_THRESHOLD times, so that the compiled tier's regions run again and again (and get compiled
// at all in the fuzzer's "default" tier, run.mjs).
import { Rng } from "./rng.mjs";
import { SPECS, regFiles } from "./encode.mjs";
import { fpValue, fpValueD, fpValueS, intValue } from "./values.mjs";
import { DIRECTED } from "./directed.mjs";

export const WINDOW = 4096;
/**
 * Block starts after which the fuzzer's "default" tier compiles (RVTRACE_JIT_THRESHOLD; run.mjs):
 * below rvtrace's own default (10000), so that the generated hot loops stay short.
 */
export const HOT_LOOP_THRESHOLD = 2000;
/** The page boundary inside the window (the window starts half a page into a page). */
export const WINDOW_PAGE_CROSS = 0x800;

const FP_FORMATS = new Set(["FR", "FRN", "FCMP", "FR1", "F2X", "F2XN", "X2F", "X2FN", "FR4"]);
export const FP_OPS = Object.keys(SPECS).filter((n) => FP_FORMATS.has(SPECS[n].fmt));
const ALU_R = ["add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and", "addw", "subw", "sllw", "srlw", "sraw"];
const ALU_I = ["addi", "slti", "sltiu", "xori", "ori", "andi", "addiw"];
const MUL = ["mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu", "mulw", "divw", "divuw", "remw", "remuw"];
const AMO_OPS = ["amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax", "amominu", "amomaxu"];
const LOADS = { lb: 1, lh: 2, lw: 4, ld: 8, lbu: 1, lhu: 2, lwu: 4 };
const STORES = { sb: 1, sh: 2, sw: 4, sd: 8 };
const FLOADS = { flw: 4, fld: 8 };
const FSTORES = { fsw: 4, fsd: 8 };
const CSR_FFLAGS = 1;
const CSR_FRM = 2;
const CSR_FCSR = 3;
const M64 = (1n << 64n) - 1n;

/** Most instructions in a loop body before padding, and most padding instructions. */
const LOOP_BODY_MAX = 48;
const LOOP_PAD_MAX = 32;
/** Most instructions in one unit (a loop: counter, body, branch over part of it, padding, end). */
export const MAX_UNIT = 1 + LOOP_BODY_MAX + 2 + LOOP_PAD_MAX + 2;

/** 8-byte slots of the log area, which starts 2048 bytes below sp (see asm.mjs). */
const LOG_SLOTS = 192;

/** Integer registers a random instruction may write: everything but sp. */
const WRITABLE_X = [0, 1, ...Array.from({ length: 29 }, (_, i) => i + 3)];
const NONZERO_WRITABLE_X = WRITABLE_X.slice(1);

class Gen {
  constructor(rng, window) {
    this.rng = rng;
    this.logSlot = 0;
    this.window = new DataView(window.buffer, window.byteOffset, window.byteLength);
  }

  // ---- operands ----
  xd() {
    return this.rng.chance(0.07) ? 0 : this.rng.pick(NONZERO_WRITABLE_X);
  }
  xdNonZero() {
    return this.rng.pick(NONZERO_WRITABLE_X);
  }
  xs() {
    const r = this.rng;
    return r.chance(0.07) ? 0 : r.chance(0.03) ? 2 : r.range(1, 31);
  }
  xc() {
    return this.rng.range(8, 15);
  }
  /**
   * An FP register for a value of format fmt ("s", "d" or undefined for either). The registers
   * are split by format, f0-f7/f16-f23 for singles and f8-f15/f24-f31 for doubles, and an
   * instruction mostly takes its operands from its format's half: otherwise nearly every single-
   * precision operand would be an unboxed double (so the canonical NaN) and NaNs would spread
   * through everything.
   */
  f(fmt) {
    const r = this.rng;
    if (fmt === undefined || r.chance(0.05)) return r.range(0, 31);
    const k = r.range(0, 15);
    return (k & 7) | ((k & 8) << 1) | (fmt === "d" ? 8 : 0);
  }
  fc() {
    return this.rng.range(8, 15);
  }
  rm() {
    return this.rng.chance(0.5) ? 7 : this.rng.range(0, 4);
  }
  imm12() {
    const r = this.rng;
    return r.weighted([
      [3, () => r.pick([0, 1, -1, 2047, -2048, 2046, -2047, 0x7ff, 0x555, -0x556, 31, 32, 63, 64])],
      [4, () => r.range(-32, 32)],
      [4, () => r.range(-2048, 2047)],
    ])();
  }

  // ---- window offsets ----
  /** An offset in the window for an access of `size` bytes; aligned with probability `aligned`. */
  offset(size, aligned = 0.75, max = WINDOW - 8) {
    const r = this.rng;
    if (size > 1 && r.chance(0.1)) return WINDOW_PAGE_CROSS - r.range(1, size - 1); // straddles the page boundary
    if (r.chance(0.05)) return WINDOW_PAGE_CROSS - size * r.range(0, 2);
    let t = r.range(0, max);
    if (r.chance(aligned)) t -= t % size;
    return t;
  }

  /** A naturally aligned offset that an addi from sp reaches (for the atomics, which have no immediate). */
  atomicOffset(size) {
    const r = this.rng;
    if (r.chance(0.2)) return WINDOW_PAGE_CROSS - size * r.range(1, 2);
    const t = r.range(0, 2047);
    return t - (t % size);
  }

  /**
   * Instructions that point a fresh base register at sp + k, for an access at window offset t
   * with a random immediate. Returns { setup, base, imm }.
   */
  baseFor(t, { allowSp = true } = {}) {
    const r = this.rng;
    if (allowSp && t <= 2047 && r.chance(0.15)) return { setup: [], base: 2, imm: t };
    let imm = r.chance(0.3) ? 0 : r.range(-2048, 2047);
    let k = t - imm;
    if (k > 2047) {
      k = 2047;
      imm = t - k;
    } else if (k < -2048) {
      k = -2048;
      imm = t - k;
    }
    const base = this.xdNonZero();
    return { setup: this.setBase(base, k), base, imm };
  }

  /** One instruction setting base = sp + k. */
  setBase(base, k) {
    const r = this.rng;
    if (base >= 8 && base <= 15 && k >= 4 && k <= 1020 && k % 4 === 0 && r.chance(0.5)) {
      return [{ name: "c.addi4spn", rd: base, imm: k }];
    }
    if (k === 0 && r.chance(0.5)) return [{ name: "c.mv", rd: base, rs2: 2 }];
    return [{ name: "addi", rd: base, rs1: 2, imm: k }];
  }

  /** A store of register reg (file "x" or "f") to the next slot of the log area. */
  logStore(file, reg) {
    const imm = -2048 + 8 * (this.logSlot++ % LOG_SLOTS);
    return { name: file === "f" ? "fsd" : "sd", rs1: 2, rs2: reg, imm };
  }

  // ---- units ----
  unit() {
    const insns = this.unitInsns();
    // Now and then keep the unit's result in the log, where a later write cannot hide it.
    const last = insns[insns.length - 1];
    const dest = insns.jump ? null : destination(last);
    if (dest && this.rng.chance(0.3)) insns.push(this.logStore(dest.file, dest.reg));
    // A "fixed" unit must keep all its instructions (minimisation drops only whole units of it).
    return insns.fixed || insns.jump ? { insns, fixed: true } : { insns };
  }

  unitInsns() {
    const r = this.rng;
    const kind = r.weighted([
      [20, "alu"], [10, "calu"], [8, "mul"], [26, "fp"], [6, "fpPattern"], [12, "mem"], [7, "cmem"], [4, "amo"],
      [2, "lrsc"], [5, "csr"], [7, "branch"], [1, "fence"], [1, "spadj"], [6, "loop"], [5, "crafted"], ...DIRECTED,
    ]);
    return typeof kind === "function" ? kind(this) : this[kind]();
  }

  alu() {
    const r = this.rng;
    return [r.weighted([
      [10, () => ({ name: r.pick(ALU_R), rd: this.xd(), rs1: this.xs(), rs2: this.xs() })],
      [8, () => ({ name: r.pick(ALU_I), rd: this.xd(), rs1: this.xs(), imm: this.imm12() })],
      [3, () => ({ name: r.pick(["slli", "srli", "srai"]), rd: this.xd(), rs1: this.xs(), imm: r.pick([0, 1, 31, 32, 63, r.range(0, 63)]) })],
      [3, () => ({ name: r.pick(["slliw", "srliw", "sraiw"]), rd: this.xd(), rs1: this.xs(), imm: r.pick([0, 1, 15, 31, r.range(0, 31)]) })],
      [2, () => ({ name: r.pick(["lui", "auipc"]), rd: this.xd(), imm: r.pick([0, 0x80000, 0xfffff, 0x7ffff, 1, r.range(0, 0xfffff)]) })],
    ])()];
  }

  mul() {
    return [{ name: this.rng.pick(MUL), rd: this.xd(), rs1: this.xs(), rs2: this.xs() }];
  }

  calu() {
    const r = this.rng;
    const notSp = () => r.pick(WRITABLE_X);
    const imm6 = () => r.chance(0.2) ? r.pick([0, -32, 31, -1, 1]) : r.range(-32, 31);
    return [r.weighted([
      [3, () => ({ name: "c.addi", rd: notSp(), imm: imm6() })],
      [3, () => ({ name: "c.addiw", rd: this.xdNonZero(), imm: imm6() })],
      [3, () => ({ name: "c.li", rd: notSp(), imm: imm6() })],
      [2, () => ({ name: "c.lui", rd: notSp(), imm: r.chance(0.5) ? r.range(1, 31) : r.range(0xfffe0, 0xfffff) })],
      [2, () => ({ name: r.pick(["c.srli", "c.srai"]), rd: this.xc(), imm: r.chance(0.1) ? 0 : r.range(0, 63) })],
      [2, () => ({ name: "c.andi", rd: this.xc(), imm: imm6() })],
      [5, () => ({ name: r.pick(["c.sub", "c.xor", "c.or", "c.and", "c.subw", "c.addw"]), rd: this.xc(), rs2: this.xc() })],
      [2, () => ({ name: "c.slli", rd: notSp(), imm: r.chance(0.1) ? 0 : r.range(0, 63) })],
      [2, () => ({ name: "c.mv", rd: notSp(), rs2: r.range(1, 31) })],
      [3, () => ({ name: "c.add", rd: notSp(), rs2: r.range(1, 31) })],
      [1, () => ({ name: "c.addi4spn", rd: this.xc(), imm: 4 * r.range(1, 255) })],
    ])()];
  }

  fp() {
    return [this.fpOp(this.rng.pick(FP_OPS))];
  }

  fpOp(name, fields = {}) {
    const s = SPECS[name];
    const files = {
      FR: "fff", FRN: "fff", FCMP: "xff", FR1: "ff", F2X: "xf", F2XN: "xf", X2F: "fx", X2FN: "fx", FR4: "ffff",
    }[s.fmt];
    const rec = { name };
    const fmt = name.endsWith(".s") || name === "fmv.x.w" || name === "fmv.w.x" ? "s" : "d";
    ["rd", "rs1", "rs2", "rs3"].forEach((field, i) => {
      if (i >= files.length) return;
      // The conversions between formats: the source is in the other format.
      const own = (name === "fcvt.s.d" || name === "fcvt.d.s") && i === 1 ? (fmt === "s" ? "d" : "s") : fmt;
      rec[field] = files[i] === "f" ? this.f(own) : i === 0 ? this.xd() : this.xs();
    });
    // x op x: equal operands (and, for the FMAs, a·a + a and the like).
    if (files.length >= 3 && files[1] === "f" && this.rng.chance(0.12)) rec.rs2 = rec.rs1;
    if (files.length === 4 && this.rng.chance(0.12)) rec.rs3 = this.rng.pick([rec.rs1, rec.rs2]);
    if (s.hasRm) rec.rm = this.rm();
    return Object.assign(rec, fields);
  }

  /** Sequences that make exact residuals: TwoProduct with an FMA, TwoSum, round trips. */
  fpPattern() {
    const r = this.rng;
    const p = r.pick(["s", "d"]);
    const [a, b] = [this.f(p), this.f(p)];
    let t = this.f(p);
    while (t === a || t === b) t = this.f(p);
    return r.weighted([
      [3, () => [
        this.fpOp(`fmul.${p}`, { rd: t, rs1: a, rs2: b }),
        this.fpOp(r.pick([`fmsub.${p}`, `fnmadd.${p}`, `fmadd.${p}`, `fnmsub.${p}`]), { rs1: a, rs2: b, rs3: t }),
      ]],
      [2, () => {
        const u = this.f(p);
        return [
          this.fpOp(`fadd.${p}`, { rd: t, rs1: a, rs2: b }),
          this.fpOp(`fsub.${p}`, { rd: u, rs1: t, rs2: a }),
          this.fpOp(`fsub.${p}`, { rs1: b, rs2: u }),
        ];
      }],
      [2, () => {
        const x = this.xdNonZero();
        const w = r.pick(["w", "wu", "l", "lu"]);
        return [this.fpOp(`fcvt.${w}.${p}`, { rd: x, rs1: a }), this.fpOp(`fcvt.${p}.${w}`, { rs1: x })];
      }],
      [1, () => [
        this.fpOp(`fdiv.${p}`, { rd: t, rs1: a, rs2: b }),
        this.fpOp(r.pick([`fnmsub.${p}`, `fmadd.${p}`]), { rs1: t, rs2: b, rs3: a }),
      ]],
      [1, () => [this.fpOp(`fsqrt.${p}`, { rd: t, rs1: a }), this.fpOp(`fnmsub.${p}`, { rs1: t, rs2: t, rs3: a })]],
      // x and −x (or |x|) as the two operands of one instruction: ±0, ±inf, NaN signs.
      [6, () => {
        const ops = ["fadd", "fsub", "fmul", "fdiv", "fmin", "fmax", "feq", "flt", "fle", "fsgnj", "fsgnjn", "fsgnjx", "fmadd", "fnmsub"];
        const op = this.fpOp(`${r.pick(ops)}.${p}`);
        [op.rs1, op.rs2] = r.chance(0.5) ? [a, t] : [t, a];
        return [{ name: `${r.pick(["fsgnjn", "fsgnjx", "fsgnj"])}.${p}`, rd: t, rs1: a, rs2: r.chance(0.7) ? a : b }, op];
      }],
    ])();
  }

  /**
   * Operands made for a rounding edge, put in the window and loaded right before the operation:
   * sums and products that lie exactly halfway between two representable values (also at the
   * subnormal and overflow ends of the range), and FMAs whose addend cancels the product's top.
   */
  crafted() {
    const r = this.rng;
    const p = r.pick(["s", "d"]);
    let made = null;
    for (let tries = 0; !made && tries < 8; tries++) {
      made = r.weighted([
        [3, () => craftAdd(r, p)], [3, () => craftMul(r, p)], [2, () => craftFma(r, p)], [2, () => craftCvt(r, p)],
        [2, () => craftCompare(r, p)],
      ])();
    }
    if (!made) return this.fp();
    const { name, values } = made;
    const t = 8 * r.range(0, 250);
    values.forEach((v, k) => {
      if (p === "d") this.window.setBigUint64(t + 8 * k, v, true);
      else this.window.setUint32(t + 8 * k, Number(v), true);
    });
    const base = this.xdNonZero();
    const regs = [];
    while (regs.length < values.length) {
      const f = this.f(p);
      if (!regs.includes(f)) regs.push(f);
    }
    const loads = regs.map((f, k) => ({ name: p === "d" ? "fld" : "flw", rd: f, rs1: base, imm: 8 * k }));
    const op = this.fpOp(name, { rs1: regs[0], rs2: regs[1] });
    if (regs.length > 2) op.rs3 = regs[2];
    // The result and the flags of this one operation go to the log.
    let flags = this.xdNonZero();
    while (flags === op.rd) flags = this.xdNonZero();
    const dest = destination(op);
    return [
      ...this.setBase(base, t), ...loads,
      { name: "csrrwi", rd: 0, csr: CSR_FFLAGS, imm: 0 },
      op,
      { name: "csrrs", rd: flags, csr: CSR_FFLAGS, rs1: 0 },
      ...(dest ? [this.logStore(dest.file, dest.reg)] : []),
      this.logStore("x", flags),
    ];
  }

  mem() {
    const r = this.rng;
    const table = r.weighted([[4, LOADS], [3, STORES], [2, FLOADS], [2, FSTORES]]);
    const name = r.pick(Object.keys(table));
    const size = table[name];
    const { setup, base, imm } = this.baseFor(this.offset(size));
    let insn;
    if (table === LOADS) insn = { name, rd: this.xd(), rs1: base, imm };
    else if (table === STORES) insn = { name, rs1: base, rs2: this.xs(), imm };
    else if (table === FLOADS) insn = { name, rd: this.f(name === "flw" ? "s" : "d"), rs1: base, imm };
    else insn = { name, rs1: base, rs2: this.f(name === "fsw" ? "s" : undefined), imm };
    return [...setup, insn];
  }

  /** The compressed loads and stores: x8..x15-based and sp-based. */
  cmem() {
    const r = this.rng;
    if (r.chance(0.5)) {
      const [name, size] = r.pick([["c.lw", 4], ["c.ld", 8], ["c.fld", 8], ["c.sw", 4], ["c.sd", 8], ["c.fsd", 8]]);
      const imm = size * r.range(0, 31);
      let k = r.range(0, 1800);
      if (r.chance(0.75)) k -= k % size;
      if (r.chance(0.1)) k = WINDOW_PAGE_CROSS - imm - r.range(1, size - 1);
      const base = this.xc();
      const setup = this.setBase(base, k);
      const fpData = name === "c.fld" || name === "c.fsd";
      const insn = name === "c.lw" || name === "c.ld" || name === "c.fld"
        ? { name, rd: fpData ? this.fc() : this.xc(), rs1: base, imm }
        : { name, rs2: fpData ? this.fc() : this.xc(), rs1: base, imm };
      return [...setup, insn];
    }
    return [this.spMem()];
  }

  /** One sp-based compressed load or store, at most 504 + 8 bytes above sp. */
  spMem() {
    const r = this.rng;
    const [name, size, n] = r.pick([
      ["c.lwsp", 4, 64], ["c.ldsp", 8, 64], ["c.fldsp", 8, 64], ["c.swsp", 4, 64], ["c.sdsp", 8, 64], ["c.fsdsp", 8, 64],
    ]);
    const imm = size * r.range(0, n - 1);
    switch (name) {
      case "c.lwsp":
      case "c.ldsp":
        return { name, rd: this.xdNonZero(), imm };
      case "c.fldsp":
        return { name, rd: this.f("d"), imm };
      case "c.fsdsp":
        return { name, rs2: this.f(), imm };
      default:
        return { name, rs2: this.xs(), imm };
    }
  }

  amo() {
    const r = this.rng;
    const w = r.pick(["w", "d"]);
    const size = w === "w" ? 4 : 8;
    const t = this.atomicOffset(size);
    const base = this.xdNonZero();
    return [
      ...this.setBase(base, t),
      { name: `${r.pick(AMO_OPS)}.${w}`, rd: this.xd(), rs1: base, rs2: this.xs(), aq: r.chance(0.3), rl: r.chance(0.3) },
    ];
  }

  lrsc() {
    const r = this.rng;
    const w = r.pick(["w", "d"]);
    const size = w === "w" ? 4 : 8;
    const t = this.atomicOffset(size);
    const base = this.xdNonZero();
    const out = [...this.setBase(base, t)];
    if (r.chance(0.15)) {
      // An SC with no reservation: fails, writes 1.
      out.push({ name: `sc.${w}`, rd: this.xd(), rs1: base, rs2: this.xs(), aq: r.chance(0.3), rl: r.chance(0.3) });
      return out;
    }
    let rd = this.xd();
    while (rd === base) rd = this.xd();
    out.push({ name: `lr.${w}`, rd, rs1: base, aq: r.chance(0.3), rl: r.chance(0.3) });
    for (let n = r.range(0, 2); n > 0; n--) {
      const [insn] = r.chance(0.5) ? this.alu() : this.mul();
      if (insn.rd === base) insn.rd = 0;
      out.push(insn);
    }
    out.push({ name: `sc.${w}`, rd: this.xd(), rs1: base, rs2: this.xs(), aq: r.chance(0.3), rl: r.chance(0.3) });
    return out;
  }

  /** fflags, frm and fcsr accesses. frm never ends up holding a reserved rounding mode. */
  csr() {
    const r = this.rng;
    const csr = r.pick([CSR_FFLAGS, CSR_FRM, CSR_FCSR]);
    const validFrm = () => r.range(0, 4);
    const kind = r.weighted([[3, "read"], [3, "write"], [2, "set"], [2, "clear"]]);
    const imm = r.chance(0.5);
    if (kind === "read") {
      return [imm
        ? { name: r.pick(["csrrsi", "csrrci"]), rd: this.xd(), csr, imm: 0 }
        : { name: r.pick(["csrrs", "csrrc"]), rd: this.xd(), csr, rs1: 0 }];
    }
    if (kind === "clear") {
      // Clearing bits keeps frm valid (every subset of the bits of 0..4 is 0..4).
      return [imm
        ? { name: "csrrci", rd: this.xd(), csr, imm: r.range(0, 31) }
        : { name: "csrrc", rd: this.xd(), csr, rs1: this.xs() }];
    }
    const fixFrm = csr === CSR_FFLAGS ? [] : [{ name: "csrrwi", rd: 0, csr: CSR_FRM, imm: validFrm() }];
    if (kind === "set") {
      return [
        imm ? { name: "csrrsi", rd: this.xd(), csr, imm: r.range(0, 31) } : { name: "csrrs", rd: this.xd(), csr, rs1: this.xs() },
        ...fixFrm,
      ];
    }
    // write
    if (csr === CSR_FFLAGS) {
      return [imm
        ? { name: "csrrwi", rd: this.xd(), csr, imm: r.range(0, 31) }
        : { name: "csrrw", rd: this.xd(), csr, rs1: this.xs() }];
    }
    // Bits above the field are ignored by the write; some values have them set.
    const junk = r.chance(0.3) ? r.range(1, 7) : 0;
    const value = csr === CSR_FRM ? validFrm() | (junk << 3) : (validFrm() << 5) | r.range(0, 31) | (junk << 8);
    if (imm && value < 32) return [{ name: "csrrwi", rd: this.xd(), csr, imm: value }];
    const t = this.xdNonZero();
    return [{ name: "addi", rd: t, rs1: 0, imm: value }, { name: "csrrw", rd: this.xd(), csr, rs1: t }];
  }

  /**
   * A forward branch or jump. `jump` says which instruction gets the offset: the target is the
   * start of the unit `skip` units after the next one (or the end of the body); `from` is the
   * instruction the offset is relative to (an auipc for the indirect jumps); `odd` is added to it.
   */
  branch() {
    const r = this.rng;
    const skip = r.weighted([[1, 0], [4, 1], [3, 2], [2, 3], [2, r.range(4, 8)]]);
    const kind = r.weighted([[8, "b"], [3, "cb"], [3, "jal"], [2, "cj"], [2, "jalr"], [1, "cjr"], [1, "cjalr"]]);
    const link = () => this.xd();
    const target = () => r.pick(NONZERO_WRITABLE_X);
    switch (kind) {
      case "b": {
        const rs1 = this.xs();
        const rs2 = r.chance(0.1) ? rs1 : this.xs();
        return this.withJump([{ name: r.pick(["beq", "bne", "blt", "bge", "bltu", "bgeu"]), rs1, rs2, imm: 0 }], { skip, at: 0, from: 0 });
      }
      case "cb":
        return this.withJump([{ name: r.pick(["c.beqz", "c.bnez"]), rs1: this.xc(), imm: 0 }], { skip, at: 0, from: 0, max: 254 });
      case "jal":
        return this.withJump([{ name: "jal", rd: link(), imm: 0 }], { skip, at: 0, from: 0 });
      case "cj":
        return this.withJump([{ name: "c.j", imm: 0 }], { skip, at: 0, from: 0, max: 2046 });
      case "jalr": {
        const t = target();
        return this.withJump([{ name: "auipc", rd: t, imm: 0 }, { name: "jalr", rd: link(), rs1: t, imm: 0 }],
          { skip, at: 1, from: 0, odd: r.chance(0.25) ? 1 : 0, max: 2047 });
      }
      default: {
        const t = target();
        return this.withJump([
          { name: "auipc", rd: t, imm: 0 },
          { name: "addi", rd: t, rs1: t, imm: 0 },
          { name: kind === "cjr" ? "c.jr" : "c.jalr", rs1: t },
        ], { skip, at: 1, from: 0, odd: r.chance(0.25) ? 1 : 0, max: 2047 });
      }
    }
  }

  /**
   * A counted loop around generated units, so that the same code runs again with new values and
   * its blocks get hot: a few iterations, a few dozen, or more than HOT_LOOP_THRESHOLD, so that the
   * fuzzer's "default" tier (rvtrace's code generator and dispatch at that threshold) compiles it too.
   * The counter is a register that no instruction of the body writes, set before the loop and
   * decremented at its end: the loop always ends. Some body instructions read the counter (values
   * that change every iteration), and the body may branch forward over some of its own units on a
   * bit of the counter, so that both paths run and the region has several blocks. The branch back
   * is sometimes a c.bnez at its largest backward offset (−256), the body padded to fit.
   */
  loop() {
    const r = this.rng;
    const counter = r.chance(0.4) ? this.xc() : this.xdNonZero();
    const iterations = r.weighted([[5, () => r.range(2, 4)], [3, () => r.range(8, 64)], [2, () => r.range(HOT_LOOP_THRESHOLD + 1, HOT_LOOP_THRESHOLD + 47)]])();
    const parts = [];
    let size = 0;
    for (let n = r.range(1, 6); n > 0;) {
      const insns = this.loopPart(counter);
      if (insns.some((rec) => writesX(rec, counter))) continue;
      if (size + insns.length > LOOP_BODY_MAX) break;
      parts.push(insns);
      size += insns.length;
      n--;
    }
    if (parts.length >= 2 && r.chance(0.5)) {
      // if (counter & m) skip parts at+1 .. at+over
      const at = r.range(0, parts.length - 2);
      const over = r.range(1, parts.length - 1 - at);
      const skipped = bytesOf(parts.slice(at + 1, at + 1 + over).flat());
      let t = this.xdNonZero();
      while (t === counter) t = this.xdNonZero();
      const test = { name: "andi", rd: t, rs1: counter, imm: r.pick([1, 2, 3]) };
      const branch = t >= 8 && t <= 15 && skipped + 2 <= 254 && r.chance(0.5)
        ? { name: r.pick(["c.beqz", "c.bnez"]), rs1: t, imm: 2 + skipped }
        : { name: r.pick(["beq", "bne"]), rs1: t, rs2: 0, imm: 4 + skipped };
      parts.splice(at + 1, 0, [test, branch]);
    }
    const body = parts.flat();
    const dec = r.chance(0.5) ? { name: "c.addi", rd: counter, imm: -1 } : { name: "addi", rd: counter, rs1: counter, imm: -1 };
    const compressed = counter >= 8 && counter <= 15;
    let bytes = bytesOf([...body, dec]);
    let back;
    if (compressed && bytes < 256 && 256 - bytes <= 2 * LOOP_PAD_MAX && r.chance(0.3)) {
      // Pad with 2-byte instructions (not writing the counter) to the largest backward c.bnez.
      while (bytes < 256) {
        let pad = this.xdNonZero();
        while (pad === counter) pad = this.xdNonZero();
        body.push(r.chance(0.5) ? { name: "c.li", rd: pad, imm: r.range(-32, 31) } : { name: "c.addi", rd: pad, imm: r.pick([-32, 31, 1]) });
        bytes += 2;
      }
      back = { name: "c.bnez", rs1: counter, imm: -256 };
    } else if (compressed && bytes <= 256 && r.chance(0.5)) {
      back = { name: "c.bnez", rs1: counter, imm: -bytes };
    } else {
      // bne c, x0 / blt x0, c: taken while the counter is positive (and non-zero).
      back = r.chance(0.5) ? { name: "bne", rs1: counter, rs2: 0, imm: -bytes } : { name: "blt", rs1: 0, rs2: counter, imm: -bytes };
    }
    const insns = [{ name: "addi", rd: counter, rs1: 0, imm: iterations }, ...body, dec, back];
    insns.fixed = true; // the backward offset counts the bytes in between
    return insns;
  }

  /** One unit of a loop body: straight-line code (no jumps out, no loop), some of it reading the counter. */
  loopPart(counter) {
    const r = this.rng;
    const kind = r.weighted([
      [4, "alu"], [2, "calu"], [2, "mul"], [5, "fp"], [1, "fpPattern"], [2, "mem"], [1, "cmem"], [1, "amo"], [1, "csr"],
      [1, "crafted"], [3, "counterUse"], ...DIRECTED,
    ]);
    if (kind === "counterUse") {
      const name = r.pick([...ALU_R, ...MUL]);
      const rd = this.xd();
      return [r.chance(0.5) ? { name, rd, rs1: counter, rs2: this.xs() } : { name, rd, rs1: this.xs(), rs2: counter }];
    }
    return typeof kind === "function" ? kind(this) : this[kind]();
  }

  withJump(insns, jump) {
    insns.jump = jump;
    return insns;
  }

  fence() {
    const r = this.rng;
    return [r.weighted([
      [4, () => ({ name: "fence", pred: r.range(0, 15), succ: r.range(0, 15) })],
      [1, () => ({ name: "fence", pred: 3, succ: 3, fm: 8 })],
      [2, () => ({ name: "fence.i" })],
    ])()];
  }

  /** Moves sp and back again, with an sp-based access in between. */
  spadj() {
    const r = this.rng;
    const mid = () => (r.chance(0.6) ? [this.spMem()] : []);
    return r.weighted([
      [2, () => {
        const d = 16 * r.range(0, 31);
        return d === 0
          ? [{ name: "c.addi16sp", imm: -496 }, { name: "c.addi16sp", imm: 496 }]
          : [{ name: "c.addi16sp", imm: d }, ...mid(), { name: "c.addi16sp", imm: -d }];
      }],
      [1, () => {
        const d = 8 * r.range(1, 3);
        return [{ name: "c.addi", rd: 2, imm: d }, ...mid(), { name: "c.addi", rd: 2, imm: -d }];
      }],
      [1, () => {
        const d = 8 * r.range(1, 255);
        return [{ name: "addi", rd: 2, rs1: 2, imm: d }, ...mid(), { name: "addi", rd: 2, rs1: 2, imm: -d }];
      }],
    ])();
  }
}

// ---- exact values for crafted.rounding cases ----

const FORMATS = {
  s: { P: 24, EMIN: -126, EMAX: 127, BIAS: 127, FRAC: 23, SIGN: 1n << 31n },
  d: { P: 53, EMIN: -1022, EMAX: 1023, BIAS: 1023, FRAC: 52, SIGN: 1n << 63n },
};

const bitLength = (m) => m.toString(2).length;

/** The bits of (−1)^neg · m · 2^k in format p, or null when that value is not representable. */
function exactBits(p, neg, m, k) {
  const F = FORMATS[p];
  let len = bitLength(m);
  if (len > F.P) {
    const drop = BigInt(len - F.P);
    if (m & ((1n << drop) - 1n)) return null;
    m >>= drop;
    k += Number(drop);
    len = F.P;
  }
  m <<= BigInt(F.P - len);
  k -= F.P - len;
  const e = k + F.P - 1; // m is now in [2^(P-1), 2^P)
  if (e > F.EMAX) return null;
  const sign = neg ? F.SIGN : 0n;
  if (e >= F.EMIN) return sign | (BigInt(e + F.BIAS) << BigInt(F.FRAC)) | (m - (1n << BigInt(F.P - 1)));
  const shift = BigInt(F.EMIN - e);
  if (shift >= BigInt(F.P) || m & ((1n << shift) - 1n)) return null;
  return sign | (m >> shift);
}

/** A result exponent near 0, near the subnormal boundary, or near overflow. */
function edgeExponent(r, p) {
  const F = FORMATS[p];
  return r.weighted([[3, () => r.range(-30, 30)], [3, () => F.EMIN + r.range(-F.P, 4)], [2, () => F.EMAX - r.range(0, 3)], [1, () => r.range(F.EMIN, F.EMAX)]])();
}

/** a + b exactly halfway (or 1.5, 2.5, 3.5 ulps) between two neighbours of a. */
function craftAdd(r, p) {
  const F = FORMATS[p];
  const P = BigInt(F.P);
  let A = (1n << (P - 1n)) | (BigInt(r.u32()) << 32n | BigInt(r.u32())) & ((1n << (P - 1n)) - 1n);
  if (r.chance(0.3)) A = (A >> 8n) << 8n | 1n << 8n;
  const ka = edgeExponent(r, p) - (F.P - 1);
  const a = exactBits(p, r.chance(0.4), A, ka);
  const b = exactBits(p, r.chance(0.5), BigInt(r.pick([1, 1, 3, 5, 7])), ka - 1);
  if (a === null || b === null) return null;
  return r.weighted([
    [3, () => ({ name: `fadd.${p}`, values: [a, b] })],
    [2, () => ({ name: `fsub.${p}`, values: [a, b] })],
    // a·1 + b, −(a·1) − b, ...: the same sum through the FMAs
    [2, () => ({ name: `${r.pick(["fmadd", "fmsub", "fnmadd", "fnmsub"])}.${p}`, values: [a, exactBits(p, r.chance(0.2), 1n, 0), b] })],
  ])();
}

/** (2^i + 1)·(2^j + 1) with i + j = P: the product's last bit is exactly half an ulp. */
function craftMul(r, p) {
  const F = FORMATS[p];
  const i = r.range(1, F.P - 1);
  const j = F.P - i + (r.chance(0.2) ? r.pick([-1, 1]) : 0);
  if (j < 1 || j >= F.P) return null;
  const e = edgeExponent(r, p) - F.P; // exponent of the product's unit bit
  const ka = r.range(Math.max(F.EMIN, e - F.EMAX + 4), Math.min(F.EMAX - F.P, e - F.EMIN - F.P));
  const a = exactBits(p, r.chance(0.4), (1n << BigInt(i)) + 1n, ka);
  const b = exactBits(p, r.chance(0.4), (1n << BigInt(j)) + (r.chance(0.8) ? 1n : 3n), e - ka);
  if (a === null || b === null) return null;
  return r.weighted([
    [3, () => ({ name: `fmul.${p}`, values: [a, b] })],
    [2, () => ({ name: `${r.pick(["fmadd", "fmsub", "fnmadd", "fnmsub"])}.${p}`, values: [a, b, r.chance(0.5) ? 0n : FORMATS[p].SIGN] })],
  ])();
}

/** a·b + c where c cancels the top of the product, leaving bits a separate multiply would lose. */
function craftFma(r, p) {
  const F = FORMATS[p];
  const i = r.range(1, F.P - 1);
  const j = r.range(Math.max(1, F.P - i), F.P - 1);
  const e = r.weighted([[3, () => r.range(-40, 40)], [1, () => F.EMIN + r.range(0, 2 * F.P)], [1, () => F.EMAX - F.P - r.range(0, 4)]])();
  const ka = Math.floor(e / 2);
  const a = exactBits(p, false, (1n << BigInt(i)) + 1n, ka);
  const b = exactBits(p, false, (1n << BigInt(j)) + BigInt(r.pick([1, 3, -1])), e - ka);
  // c = −2^(i+j) (·2^e), or that plus a little
  const cm = (1n << BigInt(i + j)) + (r.chance(0.3) ? (1n << BigInt(r.range(0, i))) : 0n);
  const c = exactBits(p, true, cm, e);
  if (a === null || b === null || c === null) return null;
  return { name: `${r.pick(["fmadd", "fmsub", "fnmadd", "fnmsub"])}.${p}`, values: [a, b, c] };
}

/** n + 0.5 (or n ± 0.5 exactly at the integer formats' limits) for a conversion to an integer. */
function craftCvt(r, p) {
  const F = FORMATS[p];
  const w = r.pick(["w", "wu", "l", "lu"]);
  const bits = r.weighted([
    // n + 1/2 for |n| < 2^(P-1)
    [4, () => exactBits(p, r.chance(0.4), 2n * BigInt(Math.floor(r.u32() / 2 ** 32 * 2 ** r.range(0, Math.min(31, F.P - 2)))) + 1n, -1)],
    // around 2^31, 2^32, 2^63, 2^64 and their negatives
    [3, () => {
      const top = r.pick([31, 32, 63, 64]);
      const m = (1n << BigInt(F.P)) - BigInt(r.range(0, 3));
      return exactBits(p, r.chance(0.4), m, top - F.P + r.pick([-1, 0, 0, 1]));
    }],
    // tiny and below 1
    [1, () => exactBits(p, r.chance(0.5), BigInt(r.range(1, 7)), -r.range(1, 4))],
  ])();
  return bits === null ? null : { name: `fcvt.${w}.${p}`, values: [bits] };
}

/** ±0 against ∓0, equal values, and NaNs (quiet and signalling) for min, max and the comparisons. */
function craftCompare(r, p) {
  const F = FORMATS[p];
  const qnan = p === "d" ? 0x7ff8000000000000n : 0x7fc00000n;
  const snan = p === "d" ? 0x7ff0000000000001n : 0x7f800001n;
  const x = exactBits(p, r.chance(0.5), BigInt(r.range(1, 1000)), r.range(-20, 20));
  const pairs = [
    [0n, F.SIGN], [F.SIGN, 0n], [0n, 0n], [F.SIGN, F.SIGN], [x, x], [x, x ^ F.SIGN], [qnan, x], [x, qnan], [snan, x],
    [x, snan], [qnan, snan], [qnan | F.SIGN, 0n],
  ];
  const [a, b] = r.pick(pairs);
  return { name: `${r.pick(["fmin", "fmax", "feq", "flt", "fle", "fsgnj", "fsgnjn", "fsgnjx"])}.${p}`, values: [a, b] };
}

/** The register rec writes, as { file, reg }, or null (stores, branches, writes to x0). */
function destination(rec) {
  if (rec.name === "c.jalr") return { file: "x", reg: 1 };
  const fmt = SPECS[rec.name].fmt;
  if (rec.rd === undefined || ["ST", "FST", "CS", "CSSP", "B", "CB", "CJ", "CJR", "CI16SP"].includes(fmt)) return null;
  const file = regFiles(rec.name).rd;
  if (file === "x" && (rec.rd === 0 || rec.rd === 2)) return null;
  return { file, reg: rec.rd };
}

/** The size in bytes of a list of instructions. */
const bytesOf = (insns) => insns.reduce((n, rec) => n + SPECS[rec.name].len, 0);

/** Whether rec writes integer register x (stores and branches have no rd). */
function writesX(rec, x) {
  if (rec.name === "c.jalr") return x === 1;
  const fmt = SPECS[rec.name].fmt;
  return rec.rd === x && regFiles(rec.name).rd === "x" && !["ST", "FST", "CS", "CSSP", "B", "CB"].includes(fmt);
}

/**
 * Generates program `index` of the run with seed `seed`: { seed, index, init: { x, f, fcsr },
 * window, units }. x and f are arrays of 32 unsigned 64-bit BigInts (x[0] and x[2] unused).
 */
export function generateProgram(seed, index, length) {
  const rng = new Rng(seed, index);
  // Small palettes of values that recur (also negated), so that equal operands, x and −x, +0 and
  // −0, and the like meet in one instruction far more often than independent draws would make them.
  // Half of the programs draw nearly everything from a palette of a few values.
  const narrow = rng.chance(0.5);
  const intPalette = Array.from({ length: narrow ? rng.range(2, 6) : 6 }, () => intValue(rng));
  const fpPalette = {
    s: Array.from({ length: narrow ? rng.range(2, 6) : 8 }, () => fpValueS(rng)),
    d: Array.from({ length: narrow ? rng.range(2, 6) : 8 }, () => fpValueD(rng)),
  };
  const intInit = () => {
    if (!rng.chance(narrow ? 0.6 : 0.35)) return intValue(rng);
    const v = rng.pick(intPalette);
    return rng.weighted([[3, v], [1, BigInt.asUintN(64, -v)], [1, BigInt.asUintN(64, v + 1n)], [1, ~v & M64]]);
  };
  const fpInit = (fmt) => {
    if (rng.chance(0.05)) return fpValue(rng);
    if (!rng.chance(narrow ? 0.85 : 0.5)) return fmt === "s" ? fpValueS(rng) : fpValueD(rng);
    const v = rng.pick(fpPalette[fmt]);
    if (!rng.chance(0.4)) return v;
    // The same value with the other sign (bit 31 for a NaN-boxed single, bit 63 otherwise).
    return v >> 32n === 0xffffffffn ? v ^ 0x80000000n : v ^ (1n << 63n);
  };
  const x = [0n];
  for (let i = 1; i < 32; i++) x.push(i === 2 ? 0n : intInit());
  const f = [];
  for (let i = 0; i < 32; i++) f.push(fpInit(i & 8 ? "d" : "s"));
  const fcsr = (rng.range(0, 4) << 5) | rng.range(0, 31);
  const window = new Uint8Array(WINDOW);
  const wv = new DataView(window.buffer);
  // Memory: integers, doubles, and pairs of singles (so that flw mostly finds a binary32 value).
  for (let o = 0; o < WINDOW; o += 8) {
    const kind = rng.weighted([[4, "x"], [3, "d"], [3, "ss"]]);
    if (kind === "ss") {
      wv.setUint32(o, Number(fpInit("s") & 0xffffffffn), true);
      wv.setUint32(o + 4, Number(fpInit("s") & 0xffffffffn), true);
    } else wv.setBigUint64(o, kind === "x" ? intInit() : fpInit("d"), true);
  }
  const g = new Gen(rng, window);
  const units = [];
  let count = 0;
  while (count < length) {
    const u = g.unit();
    u.jump = u.insns.jump;
    delete u.insns.jump;
    units.push(u);
    count += u.insns.length;
  }
  return { seed, index, init: { x, f, fcsr }, window, units };
}

/** The number of body instructions of a program. */
export const bodyLength = (p) => p.units.reduce((n, u) => n + u.insns.length, 0);
