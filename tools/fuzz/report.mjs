// Describing a difference between the two emulators' dumps of one program.
import { SPECS, regFiles } from "./encode.mjs";

const hex64 = (v) => `0x${v.toString(16).padStart(16, "0")}`;
const FLAG_NAMES = ["NX", "UF", "OF", "DZ", "NV"];

function fcsrText(v) {
  const flags = FLAG_NAMES.filter((_, i) => v & (1 << i)).join("|") || "-";
  return `0x${v.toString(16).padStart(2, "0")} (frm ${(v >> 5) & 7}, flags ${flags})`;
}

/** What an FP register value means, for reports: a double, a boxed single, or neither. */
export function fpText(bits) {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigUint64(0, bits);
  if (bits >> 32n === 0xffffffffn) return `single ${dv.getFloat32(4)}`;
  return `double ${dv.getFloat64(0)}`;
}

/** Lines describing every difference between two parsed dumps (rvtrace first). */
export function diffLines(rv, qemu) {
  if (!rv || !qemu) {
    return [rv ? "qemu-riscv64 produced no dump for this program (it stopped earlier)" : "rvtrace produced no dump for this program (it stopped earlier)"];
  }
  const lines = [];
  for (let i = 1; i < 32; i++) {
    if (rv.x[i] !== qemu.x[i]) lines.push(`x${i}: rvtrace ${hex64(rv.x[i])}  qemu ${hex64(qemu.x[i])}`);
  }
  for (let i = 0; i < 32; i++) {
    if (rv.f[i] !== qemu.f[i]) {
      lines.push(`f${i}: rvtrace ${hex64(rv.f[i])}  qemu ${hex64(qemu.f[i])}   (${fpText(rv.f[i])} vs ${fpText(qemu.f[i])})`);
    }
  }
  if (rv.fcsr !== qemu.fcsr) lines.push(`fcsr: rvtrace ${fcsrText(rv.fcsr)}  qemu ${fcsrText(qemu.fcsr)}`);
  const lv = (b) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  let logDiffs = 0;
  for (let o = 0; o < rv.log.length; o += 8) {
    const a = lv(rv.log).getBigUint64(o, true);
    const b = lv(qemu.log).getBigUint64(o, true);
    if (a !== b && logDiffs++ < 8) lines.push(`log slot ${o / 8} (sp${o - 2048}): rvtrace ${hex64(a)}  qemu ${hex64(b)}`);
  }
  if (logDiffs > 8) lines.push(`log: ${logDiffs - 8} more slot(s) differ`);
  const diffs = [];
  for (let o = 0; o < rv.window.length; o++) if (rv.window[o] !== qemu.window[o]) diffs.push(o);
  if (diffs.length) {
    const shown = diffs.slice(0, 8).map((o) => `sp+${o}: ${rv.window[o].toString(16).padStart(2, "0")} vs ${qemu.window[o].toString(16).padStart(2, "0")}`);
    lines.push(`memory: ${diffs.length} byte(s) differ: ${shown.join(", ")}${diffs.length > 8 ? ", ..." : ""}`);
  }
  return lines;
}

/** The initial values of the registers a program reads before writing them, for a reproducer. */
export function initialValuesLines(program) {
  const xs = new Set();
  const fs = new Set();
  const writtenX = new Set([0, 2]);
  const writtenF = new Set();
  let csr = false;
  const read = (file, r) => {
    if (file === "f" ? writtenF.has(r) : writtenX.has(r)) return;
    (file === "f" ? fs : xs).add(r);
  };
  for (const u of program.units) {
    for (const rec of u.insns) {
      const files = regFiles(rec.name);
      const fmt = SPECS[rec.name].fmt;
      if (SPECS[rec.name].hasRm || fmt === "CSR" || fmt === "CSRI") csr = true;
      for (const field of ["rs1", "rs2", "rs3"]) if (rec[field] !== undefined) read(files[field], rec[field]);
      // Compressed two-operand forms read rd too (the c.*sp forms read sp, which is known).
      if (["CI", "CBI", "CBSH", "CSH", "CA"].includes(fmt) || rec.name === "c.add") {
        if (rec.name !== "c.li") read("x", rec.rd);
      }
      if (fmt === "CJR") read("x", rec.rs1);
      if (rec.rd !== undefined && !["ST", "FST", "CS", "CSSP", "B", "CB"].includes(fmt)) {
        (files.rd === "f" ? writtenF : writtenX).add(rec.rd);
      }
      if (rec.name === "c.jalr" || rec.name === "c.jal") writtenX.add(1);
    }
  }
  const lines = [];
  for (const i of [...xs].sort((a, b) => a - b)) lines.push(`x${i} = ${hex64(program.init.x[i])}`);
  for (const i of [...fs].sort((a, b) => a - b)) lines.push(`f${i} = ${hex64(program.init.f[i])}   (${fpText(program.init.f[i])})`);
  if (csr) lines.push(`fcsr = ${fcsrText(program.init.fcsr)}`);
  return lines;
}

const ACCESS_SIZE = {
  lb: 1, lbu: 1, sb: 1, lh: 2, lhu: 2, sh: 2, lw: 4, lwu: 4, sw: 4, flw: 4, fsw: 4, "c.lw": 4, "c.sw": 4, "c.lwsp": 4,
  "c.swsp": 4, ld: 8, sd: 8, fld: 8, fsd: 8, "c.ld": 8, "c.sd": 8, "c.fld": 8, "c.fsd": 8, "c.ldsp": 8, "c.sdsp": 8,
  "c.fldsp": 8, "c.fsdsp": 8,
};

/**
 * The window bytes the memory instructions touch, as they are before the program runs (the base
 * registers are always set to sp + k inside the unit, so the offsets are known statically).
 */
export function memoryLines(program) {
  const touched = new Map();
  for (const u of program.units) {
    const known = new Map([[2, 0]]);
    for (const rec of u.insns) {
      const n = rec.name;
      let size = ACCESS_SIZE[n];
      let base = rec.rs1;
      if (n.endsWith("sp") && n !== "c.addi16sp" && n.startsWith("c.")) base = 2;
      if (size === undefined && (SPECS[n].fmt === "AMO" || SPECS[n].fmt === "LR")) size = n.endsWith(".d") ? 8 : 4;
      if (size !== undefined && known.has(base)) {
        const off = known.get(base) + (rec.imm ?? 0);
        if (!touched.has(off)) touched.set(off, size);
        else touched.set(off, Math.max(size, touched.get(off)));
      }
      // Track registers set to sp + k.
      if (n === "addi" && known.has(rec.rs1)) known.set(rec.rd, known.get(rec.rs1) + rec.imm);
      else if (n === "c.addi4spn") known.set(rec.rd, known.get(2) + rec.imm);
      else if (n === "c.mv" && known.has(rec.rs2)) known.set(rec.rd, known.get(rec.rs2));
      else if (n === "c.addi16sp") known.set(2, known.get(2) + rec.imm);
      else if (n === "c.addi" && rec.rd === 2) known.set(2, known.get(2) + rec.imm);
      else if (rec.rd !== undefined && regFiles(n).rd === "x") known.delete(rec.rd);
    }
  }
  const lines = [];
  for (const [off, size] of [...touched].sort((a, b) => a[0] - b[0])) {
    if (off < 0 || off >= program.window.length) continue;
    const bytes = [...program.window.subarray(off, off + size)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    lines.push(`sp+${off} (${size} bytes): ${bytes}`);
  }
  return lines;
}
