// Directed units for the families where emulators go wrong most: the high multiplies, division and
// remainder at their edge cases, shifts by amounts around 31/32/63 (the W forms must use 5 bits),
// the sign extension of W results, the FP conversions at the integer limits in every rounding mode,
// LR/SC sequences, and the compressed instructions at the ends of their immediate ranges.
//
// Each unit sets its operands to chosen edge values (consts.mjs, or a load of a value placed in the
// window), runs the instruction under test and stores its result (and for FP its flags) in the log,
// where no later write can hide it. Each takes the program generator `g` (gen.mjs) for its random
// source, registers, window and log.
import { liInsns } from "./consts.mjs";
import { doubleEdge, intEdge, narrowingEdge, shiftEdge, singleEdge } from "./edges.mjs";

const CSR_FFLAGS = 1;
const CSR_FRM = 2;
/** Registers a unit may use: everything but x0 and sp. */
const USABLE = [1, ...Array.from({ length: 29 }, (_, i) => i + 3)];
const COMPRESSED = [8, 9, 10, 11, 12, 13, 14, 15];

/** n distinct registers from `from`. */
function pickRegs(g, n, from = USABLE) {
  const out = [];
  while (out.length < n) {
    const r = g.rng.pick(from);
    if (!out.includes(r)) out.push(r);
  }
  return out;
}

/**
 * Instructions setting integer register r to v: mostly a constant sequence; now and then a load
 * of v placed in the window (an earlier store may overwrite it there first, which only makes it
 * another value).
 */
export function setX(g, r, v) {
  const rng = g.rng;
  if (rng.chance(0.75)) return liInsns(r, v);
  const t = 8 * rng.range(0, 255);
  g.window.setBigUint64(t, BigInt.asUintN(64, v), true);
  return [...g.setBase(r, t), { name: "ld", rd: r, rs1: r, imm: 0 }];
}

/** Instructions setting FP register f to the pattern `bits` of format p (a single NaN-boxed), via x register tmp. */
function setF(g, f, bits, p, tmp) {
  if (p === "s" && g.rng.chance(0.9)) return [...liInsns(tmp, bits), { name: "fmv.w.x", rd: f, rs1: tmp }];
  // A single not NaN-boxed now and then (it reads as the canonical NaN).
  const v = p === "s" && g.rng.chance(0.7) ? bits | 0xffffffff00000000n : bits;
  return [...liInsns(tmp, v), { name: "fmv.d.x", rd: f, rs1: tmp }];
}

/** A destination for op rd, rs1, rs2: a fresh register, one of the sources, or x0. */
function dest(g, sources, from = USABLE) {
  const rng = g.rng;
  return rng.weighted([
    [5, () => {
      let r = rng.pick(from);
      while (sources.includes(r)) r = rng.pick(from);
      return r;
    }],
    [4, () => rng.pick(sources)],
    [from === USABLE ? 1 : 0, () => 0],
  ])();
}

/** The instruction followed by a log store of its destination (when it has one). */
function logged(g, insn, file = "x") {
  return insn.rd ? [insn, g.logStore(file, insn.rd)] : [insn];
}

// ---- M ----

const MULH = ["mulh", "mulhsu", "mulhu"];
const DIV64 = ["div", "divu", "rem", "remu"];
const DIVW = ["divw", "divuw", "remw", "remuw"];

/** mulh/mulhsu/mulhu, div/rem and their W forms on edge operands; the divisor 0 and −1 often. */
export function mulDiv(g) {
  const rng = g.rng;
  const name = rng.weighted([[4, () => rng.pick(MULH)], [1, () => rng.pick(["mul", "mulw"])], [3, () => rng.pick(DIV64)], [3, () => rng.pick(DIVW)]])();
  const [a, b] = pickRegs(g, 2);
  let va = intEdge(rng);
  let vb = rng.chance(0.3) ? rng.pick([0n, -1n, 1n, -2n]) : intEdge(rng);
  if (rng.chance(0.15)) {
    // The overflow case: the most negative dividend over −1 (for W forms in the low words).
    const w = DIVW.includes(name);
    va = w ? BigInt.asIntN(64, (BigInt(rng.u32()) << 32n) | 0x80000000n) : -(1n << 63n);
    vb = w ? BigInt.asIntN(64, (BigInt(rng.u32()) << 32n) | 0xffffffffn) : -1n;
  }
  if (rng.chance(0.1)) return [...setX(g, a, va), ...logged(g, { name, rd: dest(g, [a]), rs1: a, rs2: a })];
  return [...setX(g, a, va), ...setX(g, b, vb), ...logged(g, { name, rd: dest(g, [a, b]), rs1: a, rs2: b })];
}

// ---- shifts and W results ----

/** Shifts by register (amounts with junk above the bits that count) and by immediates at the limits. */
export function shift(g) {
  const rng = g.rng;
  const [a, b] = pickRegs(g, 2);
  const value = setX(g, a, intEdge(rng));
  return rng.weighted([
    [3, () => {
      const name = rng.pick(["sll", "srl", "sra", "sllw", "srlw", "sraw"]);
      return [...value, ...setX(g, b, shiftEdge(rng)), ...logged(g, { name, rd: dest(g, [a, b]), rs1: a, rs2: b })];
    }],
    [2, () => {
      const name = rng.pick(["slli", "srli", "srai"]);
      return [...value, ...logged(g, { name, rd: dest(g, [a]), rs1: a, imm: rng.pick([0, 1, 31, 32, 33, 63]) })];
    }],
    [2, () => {
      const name = rng.pick(["slliw", "srliw", "sraiw"]);
      return [...value, ...logged(g, { name, rd: dest(g, [a]), rs1: a, imm: rng.pick([0, 1, 30, 31]) })];
    }],
    [2, () => {
      const name = rng.pick(["c.slli", "c.srli", "c.srai"]);
      const r = name === "c.slli" ? a : rng.pick(COMPRESSED);
      return [...setX(g, r, intEdge(rng)), ...logged(g, { name, rd: r, imm: rng.pick([1, 31, 32, 63]) })];
    }],
  ])();
}

/** W instructions whose 32-bit results need sign extension, and the narrow loads. */
export function signExtend(g) {
  const rng = g.rng;
  const [a, b] = pickRegs(g, 2);
  return rng.weighted([
    [4, () => {
      const name = rng.pick(["addw", "subw", "mulw", "sllw", "srlw", "sraw"]);
      return [...setX(g, a, intEdge(rng)), ...setX(g, b, intEdge(rng)), ...logged(g, { name, rd: dest(g, [a, b]), rs1: a, rs2: b })];
    }],
    [2, () => [...setX(g, a, intEdge(rng)), ...logged(g, { name: "addiw", rd: dest(g, [a]), rs1: a, imm: rng.pick([0, 1, -1, 2047, -2048]) })]],
    [2, () => {
      const [c, d] = pickRegs(g, 2, COMPRESSED);
      const name = rng.pick(["c.addw", "c.subw"]);
      return [...setX(g, c, intEdge(rng)), ...setX(g, d, intEdge(rng)), ...logged(g, { name, rd: c, rs2: rng.chance(0.1) ? c : d })];
    }],
    [2, () => [...setX(g, a, intEdge(rng)), ...logged(g, { name: "c.addiw", rd: a, imm: rng.pick([0, 1, -1, 31, -32]) })]],
    [3, () => {
      // A store of an edge value, then a narrower load of it (sign or zero extended).
      const t = 8 * rng.range(0, 250);
      const store = rng.pick(["sd", "sw"]);
      const [name, size] = rng.pick([["lw", 4], ["lwu", 4], ["lh", 2], ["lhu", 2], ["lb", 1], ["lbu", 1], ["ld", 8]]);
      const off = store === "sw" && size === 8 ? 0 : size * rng.range(0, (store === "sd" ? 8 : 4) / size - 1);
      return [
        ...setX(g, a, intEdge(rng)), ...g.setBase(b, t), { name: store, rs1: b, rs2: a, imm: 0 },
        ...logged(g, { name, rd: dest(g, [b]), rs1: b, imm: off }),
      ];
    }],
  ])();
}

// ---- FP conversions ----

const TO_INT = ["w", "wu", "l", "lu"];

/**
 * A conversion (to or from an integer, between the formats) or a move at the limits, in a static
 * rounding mode or the dynamic one (frm set first, to a valid mode); its flags go to the log.
 */
export function fpConvert(g) {
  const rng = g.rng;
  const p = rng.pick(["s", "d"]);
  const [x1, tmp, flags] = pickRegs(g, 3);
  const f1 = g.f(p);
  const setup = [];
  let rm = rng.pick([0, 1, 2, 3, 4, 7, 7]);
  if (rm === 7) setup.push({ name: "csrrwi", rd: 0, csr: CSR_FRM, imm: rng.range(0, 4) });
  const edge = () => (p === "s" ? singleEdge(rng) : doubleEdge(rng));
  const op = rng.weighted([
    [5, () => {
      setup.push(...setF(g, f1, edge(), p, tmp));
      return { name: `fcvt.${rng.pick(TO_INT)}.${p}`, rd: x1, rs1: f1, rm };
    }],
    [3, () => {
      const v = rng.chance(0.8) ? intEdge(rng) : rng.pick([(1n << 24n) + 1n, (1n << 53n) + 1n, (1n << 64n) - 1n, (1n << 63n) - 1n, -(1n << 63n) + 1n]);
      setup.push(...setX(g, x1, v));
      return { name: `fcvt.${p}.${rng.pick(TO_INT)}`, rd: g.f(p), rs1: x1, rm };
    }],
    [3, () => {
      if (p === "s") {
        const f2 = g.f("d");
        setup.push(...setF(g, f2, narrowingEdge(rng), "d", tmp));
        return { name: "fcvt.s.d", rd: f1, rs1: f2, rm };
      }
      const f2 = g.f("s");
      setup.push(...setF(g, f2, singleEdge(rng), "s", tmp));
      return { name: "fcvt.d.s", rd: f1, rs1: f2, rm };
    }],
    [2, () => {
      setup.push(...setF(g, f1, edge(), p, tmp));
      const name = rng.pick([p === "s" ? "fmv.x.w" : "fmv.x.d", `fclass.${p}`]);
      return { name, rd: x1, rs1: f1 };
    }],
  ])();
  const file = op.name.startsWith("fcvt.s.") || op.name.startsWith("fcvt.d.") ? "f" : "x";
  return [
    ...setup,
    { name: "csrrwi", rd: 0, csr: CSR_FFLAGS, imm: 0 },
    op,
    { name: "csrrs", rd: flags, csr: CSR_FFLAGS, rs1: 0 },
    g.logStore(file, op.rd),
    g.logStore("x", flags),
  ];
}

// ---- LR/SC ----

/**
 * LR/SC sequences whose outcome the spec fixes or both references agree on: a plain pair; SC with
 * no reservation (after an SC that ends any); a second SC after a successful one; SC to another
 * address than the LR's; an intervening store to another address, or of the same value to the
 * reserved word; an LR to another address in between; an AMO on another address in between.
 * Left out on purpose: an intervening store (or AMO) of a different value to the reserved bytes,
 * and LR/SC pairs of different sizes. The spec leaves the SC's outcome open there, and qemu decides
 * by comparing the memory with the value the LR read, which rvtrace does not do.
 */
export function lrsc(g) {
  const rng = g.rng;
  const w = rng.pick(["w", "d"]);
  const size = w === "w" ? 4 : 8;
  const t = g.atomicOffset(size);
  // Another doubleword, within reach of an addi from sp (t is at most 2047).
  const other = t + 32 <= 2047 ? t + 8 * rng.range(1, 4) : t - 8 * rng.range(1, 4);
  const [base, base2, v, loaded, src, status] = pickRegs(g, 6);
  const aqrl = () => ({ aq: rng.chance(0.3), rl: rng.chance(0.3) });
  const lr = (b = base) => ({ name: `lr.${w}`, rd: loaded, rs1: b, ...aqrl() });
  const sc = (b = base) => ({ name: `sc.${w}`, rd: status, rs1: b, rs2: src, ...aqrl() });
  const log = (r) => g.logStore("x", r);
  // The reserved word starts as an edge value (LR.W sign-extends it).
  const out = [
    ...g.setBase(base, t), ...g.setBase(base2, other), ...setX(g, v, intEdge(rng)),
    { name: `s${w}`, rs1: base, rs2: v, imm: 0 }, ...setX(g, src, intEdge(rng)),
  ];
  const variant = rng.pick(["pair", "noReservation", "twice", "otherAddress", "storeOther", "storeSame", "lrOther", "amoOther"]);
  switch (variant) {
    case "pair":
      out.push(lr(), log(loaded), sc(), log(status));
      break;
    case "noReservation":
      out.push({ name: `sc.${w}`, rd: status, rs1: base2, rs2: src }, sc(), log(status));
      break;
    case "twice":
      out.push(lr(), sc(), log(status), { name: "addi", rd: src, rs1: src, imm: 1 }, sc(), log(status));
      break;
    case "otherAddress":
      out.push(lr(), sc(base2), log(status));
      break;
    case "storeOther":
      out.push(lr(), { name: `s${w}`, rs1: base2, rs2: v, imm: 0 }, sc(), log(status));
      break;
    case "storeSame":
      out.push(lr(), { name: `s${w}`, rs1: base, rs2: loaded, imm: 0 }, sc(), log(status));
      break;
    case "lrOther":
      out.push(lr(), lr(base2), sc(), log(status));
      break;
    default:
      out.push(lr(), { name: `amoadd.${w}`, rd: 0, rs1: base2, rs2: v }, sc(), log(status));
  }
  // What the SC left in memory.
  out.push({ name: w === "w" ? "lw" : "ld", rd: v, rs1: base, imm: 0 }, log(v));
  return out;
}

// ---- compressed immediates at their extremes ----

/** Compressed instructions with their largest, smallest and sign-changing immediates. */
export function compressedExtremes(g) {
  const rng = g.rng;
  const [a] = pickRegs(g, 1);
  const [c, c2] = pickRegs(g, 2, COMPRESSED);
  return rng.weighted([
    [2, () => logged(g, { name: "c.li", rd: a, imm: rng.pick([-32, 31, -1, 0]) })],
    [2, () => logged(g, { name: "c.lui", rd: a, imm: rng.pick([1, 31, 0xfffe0, 0xfffff]) })],
    [2, () => [...setX(g, a, intEdge(rng)), ...logged(g, { name: "c.addi", rd: a, imm: rng.pick([-32, 31, -1, 1]) })]],
    [2, () => [...setX(g, a, intEdge(rng)), ...logged(g, { name: "c.addiw", rd: a, imm: rng.pick([0, -32, 31, -1]) })]],
    [2, () => [...setX(g, c, intEdge(rng)), ...logged(g, { name: "c.andi", rd: c, imm: rng.pick([-32, 31, -1, 0]) })]],
    [1, () => logged(g, { name: "c.addi4spn", rd: c, imm: rng.pick([4, 1020]) })],
    [2, () => {
      // The largest offsets from x8..x15 and from sp.
      const [name, imm, kind] = rng.pick([
        ["c.lw", 124, "x"], ["c.ld", 248, "x"], ["c.fld", 248, "f"], ["c.sw", 124, "s"], ["c.sd", 248, "s"], ["c.fsd", 248, "fs"],
      ]);
      const k = 8 * rng.range(0, 200);
      const insn = kind === "x" ? { name, rd: c2, rs1: c, imm } : kind === "f" ? { name, rd: g.fc(), rs1: c, imm }
        : { name, rs1: c, rs2: kind === "fs" ? g.fc() : c2, imm };
      return [...g.setBase(c, k), ...(kind === "x" || kind === "f" ? logged(g, insn, kind === "f" ? "f" : "x") : [insn])];
    }],
    [2, () => {
      const [name, imm, kind] = rng.pick([
        ["c.lwsp", 252, "x"], ["c.ldsp", 504, "x"], ["c.fldsp", 504, "f"], ["c.swsp", 252, "s"], ["c.sdsp", 504, "s"], ["c.fsdsp", 504, "fs"],
      ]);
      const insn = kind === "x" ? { name, rd: a, imm } : kind === "f" ? { name, rd: g.f("d"), imm } : { name, rs2: kind === "fs" ? g.f() : a, imm };
      return kind === "x" || kind === "f" ? logged(g, insn, kind === "f" ? "f" : "x") : [insn];
    }],
    [2, () => {
      // sp moved by the extreme c.addi16sp amounts (and back), with an sp-based access at the far end.
      const access = rng.pick([{ name: "c.ldsp", rd: a, imm: 504 }, { name: "c.sdsp", rs2: a, imm: 504 }, { name: "c.lwsp", rd: a, imm: 252 }]);
      return rng.chance(0.5)
        ? [{ name: "c.addi16sp", imm: -512 }, access, { name: "c.addi16sp", imm: 496 }, { name: "c.addi", rd: 2, imm: 16 }]
        : [{ name: "c.addi16sp", imm: 496 }, access, { name: "c.addi16sp", imm: -496 }];
    }],
  ])();
}

/** The directed unit kinds and their weights in a program (see Gen.unitInsns). */
export const DIRECTED = [
  [6, mulDiv], [4, shift], [4, signExtend], [6, fpConvert], [3, lrsc], [4, compressedExtremes],
];
