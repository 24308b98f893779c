// Lays programs out in one ELF: for each program a prologue that loads the initial state, the body,
// and an epilogue that dumps the state with write(2); after the last one, exit_group(0).
//
// Memory: code from CODE_BASE; program slot s owns the data region DATA_BASE + s·REGION:
//   region + 0     .. + 0x600   log area (LOG_SIZE bytes): results some units store as they go
//                               (sd/fsd at sp − 2048 + 8k), so that values later overwritten
//                               in their registers are compared too
//   region + 0x600 .. + 0x800   dump area (512 bytes): x1..x31, f0..f31, fcsr; holds the initial
//                               values in the file, the final ones after the epilogue
//   region + 0x800 .. + 0x1800  the data window; sp = region + 0x800 throughout
// Each program writes all three (OUT_SIZE bytes, from sp − 2048) to stdout.
import { SPECS, emitBytes, encode, disasm } from "./encode.mjs";
import { buildElf } from "./elf.mjs";
import { WINDOW } from "./gen.mjs";

export const CODE_BASE = 0x10000;
export const DATA_BASE = 0x1000000;
export const REGION = 0x2000;
export const SP_OFFSET = 0x800;
export const DUMP_SIZE = 512;
export const LOG_SIZE = SP_OFFSET - DUMP_SIZE;
export const OUT_SIZE = LOG_SIZE + DUMP_SIZE + WINDOW;
/** Offsets in the dump (relative to its start, sp − 512). */
export const dumpX = (i) => 8 * (i - 1);
export const dumpF = (i) => 248 + 8 * i;
export const DUMP_FCSR = 504;

const SYS_WRITE = 64;
const SYS_EXIT_GROUP = 94;

/** The instructions that load the initial state (sp = spAddr). */
function prologue(spAddr) {
  const hi = (spAddr + 0x800) >>> 12;
  const lo = spAddr - hi * 4096;
  const out = [
    { name: "lui", rd: 2, imm: hi },
    { name: "addi", rd: 2, rs1: 2, imm: lo },
    { name: "ld", rd: 31, rs1: 2, imm: DUMP_FCSR - DUMP_SIZE },
    { name: "csrrw", rd: 0, csr: 3, rs1: 31 },
  ];
  for (let i = 0; i < 32; i++) out.push({ name: "fld", rd: i, rs1: 2, imm: dumpF(i) - DUMP_SIZE });
  for (let i = 1; i < 32; i++) if (i !== 2) out.push({ name: "ld", rd: i, rs1: 2, imm: dumpX(i) - DUMP_SIZE });
  return out;
}

/** The instructions that store the state and write the dump and the window to stdout. */
function epilogue() {
  const out = [];
  for (let i = 1; i < 32; i++) out.push({ name: "sd", rs1: 2, rs2: i, imm: dumpX(i) - DUMP_SIZE });
  for (let i = 0; i < 32; i++) out.push({ name: "fsd", rs1: 2, rs2: i, imm: dumpF(i) - DUMP_SIZE });
  out.push(
    { name: "csrrs", rd: 1, csr: 3, rs1: 0 },
    { name: "sd", rs1: 2, rs2: 1, imm: DUMP_FCSR - DUMP_SIZE },
    { name: "addi", rd: 10, rs1: 0, imm: 1 },
    { name: "addi", rd: 11, rs1: 2, imm: -SP_OFFSET },
    { name: "lui", rd: 12, imm: (OUT_SIZE + 0x800) >>> 12 },
    { name: "addi", rd: 12, rs1: 12, imm: OUT_SIZE - ((OUT_SIZE + 0x800) >>> 12) * 4096 },
    { name: "addi", rd: 17, rs1: 0, imm: SYS_WRITE },
    { name: "ecall" },
    // Drop any LR reservation left behind, so that programs in one file cannot affect each other.
    { name: "sc.d", rd: 1, rs1: 2, rs2: 0 },
  );
  return out;
}

const sizeOf = (rec) => SPECS[rec.name].len;

/**
 * Assigns addresses to the body's units starting at `start` and patches the jump offsets.
 * Returns { addrs (per unit, one more for the end), insnAddrs (per unit, per instruction) }.
 */
export function layoutBody(units, start) {
  const addrs = [];
  const insnAddrs = [];
  let pc = start;
  for (const u of units) {
    addrs.push(pc);
    const a = [];
    for (const rec of u.insns) {
      a.push(pc);
      pc += sizeOf(rec);
    }
    insnAddrs.push(a);
  }
  addrs.push(pc);
  units.forEach((u, i) => {
    const j = u.jump;
    if (!j) return;
    const from = insnAddrs[i][j.from];
    let t = Math.min(i + 1 + j.skip, units.length);
    const max = j.max ?? 4094;
    while (t > i + 1 && addrs[t] - from + (j.odd ?? 0) > max) t--;
    u.insns[j.at].imm = addrs[t] - from + (j.odd ?? 0);
  });
  return { addrs, insnAddrs };
}

/** Packs an initial state into a dump-area image (512 bytes). */
function initImage(init) {
  const b = new Uint8Array(DUMP_SIZE);
  const v = new DataView(b.buffer);
  for (let i = 1; i < 32; i++) v.setBigUint64(dumpX(i), init.x[i], true);
  for (let i = 0; i < 32; i++) v.setBigUint64(dumpF(i), init.f[i], true);
  v.setBigUint64(DUMP_FCSR, BigInt(init.fcsr), true);
  return b;
}

/** The bytes of a program's data region up to the end of its window (log, dump with the initial state, window). */
function regionImage(p) {
  const b = new Uint8Array(SP_OFFSET + WINDOW);
  b.set(initImage(p.init), SP_OFFSET - DUMP_SIZE);
  b.set(p.window, SP_OFFSET);
  return b;
}

const codeSize = (recs) => recs.reduce((n, rec) => n + sizeOf(rec), 0);

/**
 * Builds one ELF running `programs` one after the other. Returns { elf, slots }, slots[s] giving
 * program s's sp and the addresses of its body (for listings).
 *
 * Normally code and data are separate segments (R+X at CODE_BASE, R+W at DATA_BASE). With
 * `shared` everything is one R+W+X segment in which each program's data region follows its code
 * directly, so that the data stores hit pages that also hold code (decoded code that must be
 * dropped or kept correctly; the code bytes themselves never change).
 */
export function assemble(programs, { shared = false } = {}) {
  const bytes = [];
  const slots = [];
  const data = new Uint8Array(shared ? 0 : programs.length * REGION);
  let pc = CODE_BASE;
  const put = (rec) => {
    pc += emitBytes(rec, bytes);
  };
  programs.forEach((p, s) => {
    let region;
    if (shared) {
      // prologue, body, epilogue, and a jump over the data region to the next program
      const size = codeSize(prologue(0)) + codeSize(p.units.flatMap((u) => u.insns)) + codeSize(epilogue()) + 4;
      region = (pc + size + 15) & ~15;
    } else {
      region = DATA_BASE + s * REGION;
      data.set(regionImage(p), s * REGION);
    }
    const sp = region + SP_OFFSET;
    prologue(sp).forEach(put);
    const layout = layoutBody(p.units, pc);
    for (const u of p.units) u.insns.forEach(put);
    slots.push({ sp, ...layout });
    epilogue().forEach(put);
    if (shared) {
      put({ name: "jal", rd: 0, imm: region + SP_OFFSET + WINDOW - pc });
      while (pc < region) {
        bytes.push(0);
        pc++;
      }
      for (const b of regionImage(p)) bytes.push(b);
      pc += SP_OFFSET + WINDOW;
    }
  });
  put({ name: "addi", rd: 10, rs1: 0, imm: 0 });
  put({ name: "addi", rd: 17, rs1: 0, imm: SYS_EXIT_GROUP });
  put({ name: "ecall" });
  const elf = shared
    ? buildElf({ code: Uint8Array.from(bytes), codeAddr: CODE_BASE, writableCode: true })
    : buildElf({ code: Uint8Array.from(bytes), codeAddr: CODE_BASE, data, dataAddr: DATA_BASE });
  return { elf, slots };
}

/** A listing of a program's body (after assemble, so that addresses and offsets are final). */
export function listing(program, slot) {
  const lines = [];
  program.units.forEach((u, i) => {
    u.insns.forEach((rec, k) => {
      const pc = slot.insnAddrs[i][k];
      const { bits, len } = encode(rec);
      const hexBits = bits.toString(16).padStart(len * 2, "0");
      lines.push(`${k === 0 ? `u${i}`.padStart(5) : "     "}  ${pc.toString(16)}:  ${hexBits.padEnd(8)}  ${disasm(rec, pc)}`);
    });
  });
  return lines.join("\n");
}

/** Splits one program's output into { x: BigInt[32], f: BigInt[32], fcsr, window, log }. */
export function parseDump(buf) {
  const v = new DataView(buf.buffer, buf.byteOffset + LOG_SIZE, DUMP_SIZE);
  const x = [0n];
  for (let i = 1; i < 32; i++) x.push(v.getBigUint64(dumpX(i), true));
  const f = [];
  for (let i = 0; i < 32; i++) f.push(v.getBigUint64(dumpF(i), true));
  return {
    x, f, fcsr: Number(v.getBigUint64(DUMP_FCSR, true)),
    window: buf.subarray(LOG_SIZE + DUMP_SIZE, OUT_SIZE),
    log: buf.subarray(0, LOG_SIZE),
  };
}
