// The interpreter: one flat loop over pre-decoded slots (decode.ts), registers as int32 pairs.
// It allocates nothing and throws nothing; it returns an Exit saying why it stopped, with details
// in the hart. Anything rare (page-crossing or faulting memory access, atomics, CSRs, division)
// leaves the loop for a helper function.
import { Exit, Hart, StepMode, SEGV_ACCERR, SEGV_MAPERR } from "./hart.js";
import { Op, AmoKind } from "./ops.js";
import { decode16, decode32, SLOT_WORDS } from "./decode.js";
import { codeCacheOf } from "./code-cache.js";
import { execFp } from "./fpu.js";
import { loadSlow, storeSlow, atomicAddress, loaded } from "./mem-slow.js";
import { AddressSpace, PAGE_CODE, PAGE_MAPPED, PROT_EXEC, PROT_READ, PROT_WRITE } from "../mem/address-space.js";

const LIMIT = 4294967296;
/** A page base no pc can be in: forces a page lookup at the next instruction. */
const NO_PAGE = -2 * LIMIT;
const WRITABLE = PROT_WRITE | PAGE_CODE;

/**
 * Runs hart h in address space mem for at most `budget` instructions. Returns why it stopped;
 * h.pc is then the next instruction to run (or the trapping one, for traps).
 */
export function run(h: Hart, mem: AddressSpace, budget: number): Exit {
  const x = h.x;
  const x64 = h.x64;
  const fi = h.fi;
  const perms = mem.perms;
  const view = mem.view;
  const cache = codeCacheOf(mem);
  const blockStep = h.stepMode === StepMode.Block;
  if (h.stepMode === StepMode.Single) budget = 1;
  // The reservation does not survive a trap to the kernel (Linux clears it on every return).
  h.reservation = -1;

  let pc = h.pc;
  let n = 0;
  let pageBase = NO_PAGE;
  let d: Int32Array = EMPTY;
  let exit: Exit = Exit.Budget;

  for (;;) {
    if (n >= budget) {
      exit = blockStep ? Exit.Budget : h.stepMode === StepMode.Single ? Exit.Step : Exit.Budget;
      break;
    }
    if (pc - pageBase >= 4096 || pc < pageBase) {
      // Entering another page: it must be mapped executable.
      if (pc < 0 || pc >= LIMIT || (perms[pc >>> 12] & PROT_EXEC) === 0) {
        exit = fetchFault(h, pc, perms);
        break;
      }
      pageBase = pc - (pc & 4095);
      d = cache.page(pc >>> 12);
    }
    const i = ((pc - pageBase) >>> 1) * SLOT_WORDS;
    let op = d[i];
    if (op === Op.Undecoded) {
      if (!decodeAt(mem, pc, d, i)) {
        exit = fetchFault(h, pc + 2, perms);
        h.pc = pc;
        h.instret += n;
        return exit;
      }
      op = d[i];
    }
    const a = d[i + 1];
    const rd = a & 0xff;
    const rs1 = (a >>> 8) & 0xff;
    const rs2 = (a >>> 16) & 0xff;
    const imm = d[i + 2];
    n++;

    switch (op) {
      case Op.Li:
        x[rd] = imm;
        x[rd + 1] = imm >> 31;
        break;
      case Op.Mv:
        x[rd] = x[rs1];
        x[rd + 1] = x[rs1 + 1];
        break;
      case Op.Addi: {
        const l = x[rs1];
        const r = (l + imm) | 0;
        x[rd + 1] = (x[rs1 + 1] + (imm >> 31) + ((r >>> 0) < (l >>> 0) ? 1 : 0)) | 0;
        x[rd] = r;
        break;
      }
      case Op.Addiw: {
        const r = (x[rs1] + imm) | 0;
        x[rd] = r;
        x[rd + 1] = r >> 31;
        break;
      }
      case Op.Add: {
        const l = x[rs1];
        const r = (l + x[rs2]) | 0;
        x[rd + 1] = (x[rs1 + 1] + x[rs2 + 1] + ((r >>> 0) < (l >>> 0) ? 1 : 0)) | 0;
        x[rd] = r;
        break;
      }
      case Op.Sub: {
        const l = x[rs1];
        const m = x[rs2];
        x[rd + 1] = (x[rs1 + 1] - x[rs2 + 1] - ((l >>> 0) < (m >>> 0) ? 1 : 0)) | 0;
        x[rd] = (l - m) | 0;
        break;
      }
      case Op.Addw: {
        const r = (x[rs1] + x[rs2]) | 0;
        x[rd] = r;
        x[rd + 1] = r >> 31;
        break;
      }
      case Op.Subw: {
        const r = (x[rs1] - x[rs2]) | 0;
        x[rd] = r;
        x[rd + 1] = r >> 31;
        break;
      }
      case Op.Lui:
        x[rd] = imm;
        x[rd + 1] = imm >> 31;
        break;
      case Op.Auipc:
        setNumber(x, rd, pc + imm);
        break;
      case Op.Xori:
        x[rd] = x[rs1] ^ imm;
        x[rd + 1] = x[rs1 + 1] ^ (imm >> 31);
        break;
      case Op.Ori:
        x[rd] = x[rs1] | imm;
        x[rd + 1] = x[rs1 + 1] | (imm >> 31);
        break;
      case Op.Andi:
        x[rd] = x[rs1] & imm;
        x[rd + 1] = x[rs1 + 1] & (imm >> 31);
        break;
      case Op.Xor:
        x[rd] = x[rs1] ^ x[rs2];
        x[rd + 1] = x[rs1 + 1] ^ x[rs2 + 1];
        break;
      case Op.Or:
        x[rd] = x[rs1] | x[rs2];
        x[rd + 1] = x[rs1 + 1] | x[rs2 + 1];
        break;
      case Op.And:
        x[rd] = x[rs1] & x[rs2];
        x[rd + 1] = x[rs1 + 1] & x[rs2 + 1];
        break;
      case Op.Slti: {
        const hb = imm >> 31;
        const ha = x[rs1 + 1];
        x[rd] = ha < hb || (ha === hb && x[rs1] >>> 0 < imm >>> 0) ? 1 : 0;
        x[rd + 1] = 0;
        break;
      }
      case Op.Sltiu: {
        const hb = (imm >> 31) >>> 0;
        const ha = x[rs1 + 1] >>> 0;
        x[rd] = ha < hb || (ha === hb && x[rs1] >>> 0 < imm >>> 0) ? 1 : 0;
        x[rd + 1] = 0;
        break;
      }
      case Op.Slt: {
        const ha = x[rs1 + 1];
        const hb = x[rs2 + 1];
        x[rd] = ha < hb || (ha === hb && x[rs1] >>> 0 < x[rs2] >>> 0) ? 1 : 0;
        x[rd + 1] = 0;
        break;
      }
      case Op.Sltu: {
        const ha = x[rs1 + 1] >>> 0;
        const hb = x[rs2 + 1] >>> 0;
        x[rd] = ha < hb || (ha === hb && x[rs1] >>> 0 < x[rs2] >>> 0) ? 1 : 0;
        x[rd + 1] = 0;
        break;
      }
      case Op.Slli:
        shiftLeft(x, rd, x[rs1], x[rs1 + 1], imm);
        break;
      case Op.Srli:
        shiftRightLogical(x, rd, x[rs1], x[rs1 + 1], imm);
        break;
      case Op.Srai:
        shiftRightArith(x, rd, x[rs1], x[rs1 + 1], imm);
        break;
      case Op.Sll:
        shiftLeft(x, rd, x[rs1], x[rs1 + 1], x[rs2] & 63);
        break;
      case Op.Srl:
        shiftRightLogical(x, rd, x[rs1], x[rs1 + 1], x[rs2] & 63);
        break;
      case Op.Sra:
        shiftRightArith(x, rd, x[rs1], x[rs1 + 1], x[rs2] & 63);
        break;
      case Op.Slliw: {
        const r = x[rs1] << imm;
        x[rd] = r;
        x[rd + 1] = r >> 31;
        break;
      }
      case Op.Srliw: {
        const r = (x[rs1] >>> imm) | 0;
        x[rd] = r;
        x[rd + 1] = r >> 31;
        break;
      }
      case Op.Sraiw: {
        const r = x[rs1] >> imm;
        x[rd] = r;
        x[rd + 1] = r >> 31;
        break;
      }
      case Op.Sllw: {
        const r = x[rs1] << (x[rs2] & 31);
        x[rd] = r;
        x[rd + 1] = r >> 31;
        break;
      }
      case Op.Srlw: {
        const r = (x[rs1] >>> (x[rs2] & 31)) | 0;
        x[rd] = r;
        x[rd + 1] = r >> 31;
        break;
      }
      case Op.Sraw: {
        const r = x[rs1] >> (x[rs2] & 31);
        x[rd] = r;
        x[rd + 1] = r >> 31;
        break;
      }

      // ---- control transfer ----
      case Op.Jal:
        x[rd] = (pc + (a >>> 24)) | 0;
        x[rd + 1] = 0;
        pc += imm;
        if (blockStep) return finish(h, pc, n, Exit.Step);
        continue;
      case Op.Jalr: {
        const target = x[rs1 + 1] * LIMIT + (x[rs1] >>> 0) + imm;
        x[rd] = (pc + (a >>> 24)) | 0;
        x[rd + 1] = 0;
        if (target < 0 || target >= LIMIT) {
          // The fetch at the target faults; report the exact 64-bit address.
          h.trapAddress = BigInt.asUintN(64, BigInt(target - (target % 2)));
          h.trapValue = Number(h.trapAddress);
          h.trapCode = SEGV_MAPERR;
          return finish(h, pc, n, Exit.FetchFault);
        }
        pc = target - (target % 2);
        if (blockStep) return finish(h, pc, n, Exit.Step);
        continue;
      }
      case Op.Beq:
        if (x[rs1] === x[rs2] && x[rs1 + 1] === x[rs2 + 1]) {
          pc += imm;
          if (blockStep) return finish(h, pc, n, Exit.Step);
          continue;
        }
        break;
      case Op.Bne:
        if (x[rs1] !== x[rs2] || x[rs1 + 1] !== x[rs2 + 1]) {
          pc += imm;
          if (blockStep) return finish(h, pc, n, Exit.Step);
          continue;
        }
        break;
      case Op.Blt: {
        const ha = x[rs1 + 1];
        const hb = x[rs2 + 1];
        if (ha < hb || (ha === hb && x[rs1] >>> 0 < x[rs2] >>> 0)) {
          pc += imm;
          if (blockStep) return finish(h, pc, n, Exit.Step);
          continue;
        }
        break;
      }
      case Op.Bge: {
        const ha = x[rs1 + 1];
        const hb = x[rs2 + 1];
        if (!(ha < hb || (ha === hb && x[rs1] >>> 0 < x[rs2] >>> 0))) {
          pc += imm;
          if (blockStep) return finish(h, pc, n, Exit.Step);
          continue;
        }
        break;
      }
      case Op.Bltu: {
        const ha = x[rs1 + 1] >>> 0;
        const hb = x[rs2 + 1] >>> 0;
        if (ha < hb || (ha === hb && x[rs1] >>> 0 < x[rs2] >>> 0)) {
          pc += imm;
          if (blockStep) return finish(h, pc, n, Exit.Step);
          continue;
        }
        break;
      }
      case Op.Bgeu: {
        const ha = x[rs1 + 1] >>> 0;
        const hb = x[rs2 + 1] >>> 0;
        if (!(ha < hb || (ha === hb && x[rs1] >>> 0 < x[rs2] >>> 0))) {
          pc += imm;
          if (blockStep) return finish(h, pc, n, Exit.Step);
          continue;
        }
        break;
      }

      // ---- loads: fast when the access stays in one readable page below 2^32 ----
      case Op.Lb: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (perms[ea >>> 12] & PROT_READ) === 0) {
          if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 1)) return finish(h, pc, n - 1, Exit.MemFault);
          x[rd] = (loaded.lo << 24) >> 24;
        } else x[rd] = view.getInt8(ea);
        x[rd + 1] = x[rd] >> 31;
        break;
      }
      case Op.Lbu: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (perms[ea >>> 12] & PROT_READ) === 0) {
          if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 1)) return finish(h, pc, n - 1, Exit.MemFault);
          x[rd] = loaded.lo & 0xff;
        } else x[rd] = view.getUint8(ea);
        x[rd + 1] = 0;
        break;
      }
      case Op.Lh: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4094 || (perms[ea >>> 12] & PROT_READ) === 0) {
          if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 2)) return finish(h, pc, n - 1, Exit.MemFault);
          x[rd] = (loaded.lo << 16) >> 16;
        } else x[rd] = view.getInt16(ea, true);
        x[rd + 1] = x[rd] >> 31;
        break;
      }
      case Op.Lhu: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4094 || (perms[ea >>> 12] & PROT_READ) === 0) {
          if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 2)) return finish(h, pc, n - 1, Exit.MemFault);
          x[rd] = loaded.lo & 0xffff;
        } else x[rd] = view.getUint16(ea, true);
        x[rd + 1] = 0;
        break;
      }
      case Op.Lw: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4092 || (perms[ea >>> 12] & PROT_READ) === 0) {
          if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 4)) return finish(h, pc, n - 1, Exit.MemFault);
          x[rd] = loaded.lo;
        } else x[rd] = view.getInt32(ea, true);
        x[rd + 1] = x[rd] >> 31;
        break;
      }
      case Op.Lwu: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4092 || (perms[ea >>> 12] & PROT_READ) === 0) {
          if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 4)) return finish(h, pc, n - 1, Exit.MemFault);
          x[rd] = loaded.lo;
        } else x[rd] = view.getInt32(ea, true);
        x[rd + 1] = 0;
        break;
      }
      case Op.Ld: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4088 || (perms[ea >>> 12] & PROT_READ) === 0) {
          if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 8)) return finish(h, pc, n - 1, Exit.MemFault);
          x[rd] = loaded.lo;
          x[rd + 1] = loaded.hi;
        } else {
          x[rd] = view.getInt32(ea, true);
          x[rd + 1] = view.getInt32(ea + 4, true);
        }
        break;
      }
      case Op.Flw: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4092 || (perms[ea >>> 12] & PROT_READ) === 0) {
          if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 4)) return finish(h, pc, n - 1, Exit.MemFault);
          fi[rd] = loaded.lo;
        } else fi[rd] = view.getInt32(ea, true);
        fi[rd + 1] = -1; // NaN-boxing
        break;
      }
      case Op.Fld: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4088 || (perms[ea >>> 12] & PROT_READ) === 0) {
          if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 8)) return finish(h, pc, n - 1, Exit.MemFault);
          fi[rd] = loaded.lo;
          fi[rd + 1] = loaded.hi;
        } else {
          fi[rd] = view.getInt32(ea, true);
          fi[rd + 1] = view.getInt32(ea + 4, true);
        }
        break;
      }

      // ---- stores: fast when the page is writable and holds no decoded code ----
      case Op.Sb: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (perms[ea >>> 12] & WRITABLE) !== PROT_WRITE) {
          if (!storeSlow(h, mem, x[rs1], x[rs1 + 1], imm, 1, x[rs2], 0)) return finish(h, pc, n - 1, Exit.MemFault);
          pageBase = NO_PAGE;
        } else view.setInt8(ea, x[rs2]);
        break;
      }
      case Op.Sh: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4094 || (perms[ea >>> 12] & WRITABLE) !== PROT_WRITE) {
          if (!storeSlow(h, mem, x[rs1], x[rs1 + 1], imm, 2, x[rs2], 0)) return finish(h, pc, n - 1, Exit.MemFault);
          pageBase = NO_PAGE;
        } else view.setInt16(ea, x[rs2], true);
        break;
      }
      case Op.Sw: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4092 || (perms[ea >>> 12] & WRITABLE) !== PROT_WRITE) {
          if (!storeSlow(h, mem, x[rs1], x[rs1 + 1], imm, 4, x[rs2], 0)) return finish(h, pc, n - 1, Exit.MemFault);
          pageBase = NO_PAGE;
        } else view.setInt32(ea, x[rs2], true);
        break;
      }
      case Op.Sd: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4088 || (perms[ea >>> 12] & WRITABLE) !== PROT_WRITE) {
          if (!storeSlow(h, mem, x[rs1], x[rs1 + 1], imm, 8, x[rs2], x[rs2 + 1])) return finish(h, pc, n - 1, Exit.MemFault);
          pageBase = NO_PAGE;
        } else {
          view.setInt32(ea, x[rs2], true);
          view.setInt32(ea + 4, x[rs2 + 1], true);
        }
        break;
      }
      case Op.Fsw: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4092 || (perms[ea >>> 12] & WRITABLE) !== PROT_WRITE) {
          if (!storeSlow(h, mem, x[rs1], x[rs1 + 1], imm, 4, fi[rs2], 0)) return finish(h, pc, n - 1, Exit.MemFault);
          pageBase = NO_PAGE;
        } else view.setInt32(ea, fi[rs2], true);
        break;
      }
      case Op.Fsd: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4088 || (perms[ea >>> 12] & WRITABLE) !== PROT_WRITE) {
          if (!storeSlow(h, mem, x[rs1], x[rs1 + 1], imm, 8, fi[rs2], fi[rs2 + 1])) return finish(h, pc, n - 1, Exit.MemFault);
          pageBase = NO_PAGE;
        } else {
          view.setInt32(ea, fi[rs2], true);
          view.setInt32(ea + 4, fi[rs2 + 1], true);
        }
        break;
      }

      // ---- M ----
      case Op.Mul:
        mul64(x, rd, x[rs1], x[rs1 + 1], x[rs2], x[rs2 + 1]);
        break;
      case Op.Mulw: {
        const r = Math.imul(x[rs1], x[rs2]);
        x[rd] = r;
        x[rd + 1] = r >> 31;
        break;
      }
      case Op.Mulh:
        x64[rd >> 1] = (x64[rs1 >> 1] * x64[rs2 >> 1]) >> 64n;
        break;
      case Op.Mulhu:
        x64[rd >> 1] = BigInt.asIntN(64, (BigInt.asUintN(64, x64[rs1 >> 1]) * BigInt.asUintN(64, x64[rs2 >> 1])) >> 64n);
        break;
      case Op.Mulhsu:
        x64[rd >> 1] = BigInt.asIntN(64, (x64[rs1 >> 1] * BigInt.asUintN(64, x64[rs2 >> 1])) >> 64n);
        break;
      case Op.Div:
      case Op.Divu:
      case Op.Rem:
      case Op.Remu:
        divide64(x64, op, rd >> 1, rs1 >> 1, rs2 >> 1);
        break;
      case Op.Divw: {
        const p = x[rs1];
        const q = x[rs2];
        const r = q === 0 ? -1 : (p / q) | 0;
        x[rd] = r;
        x[rd + 1] = r >> 31;
        break;
      }
      case Op.Divuw: {
        const p = x[rs1] >>> 0;
        const q = x[rs2] >>> 0;
        const r = q === 0 ? -1 : (p / q) | 0;
        x[rd] = r;
        x[rd + 1] = r >> 31;
        break;
      }
      case Op.Remw: {
        const p = x[rs1];
        const q = x[rs2];
        const r = q === 0 ? p : q === -1 ? 0 : p % q | 0;
        x[rd] = r;
        x[rd + 1] = r >> 31;
        break;
      }
      case Op.Remuw: {
        const p = x[rs1] >>> 0;
        const q = x[rs2] >>> 0;
        const r = q === 0 ? p | 0 : p % q | 0;
        x[rd] = r;
        x[rd + 1] = r >> 31;
        break;
      }

      // ---- A ----
      case Op.LrW:
      case Op.LrD:
      case Op.ScW:
      case Op.ScD:
      case Op.AmoW:
      case Op.AmoD: {
        const r = atomic(h, mem, op, rd, rs1, rs2, imm);
        if (r !== Exit.Budget) return finish(h, pc, n - 1, r);
        pageBase = NO_PAGE;
        break;
      }

      // ---- F/D arithmetic ----
      case Op.Fp:
        if (!execFp(h, imm, d[i + 3])) {
          h.trapValue = d[i + 3];
          return finish(h, pc, n - 1, Exit.Illegal);
        }
        break;

      // ---- system ----
      case Op.Fence:
        break;
      case Op.FenceI:
        // Writes to code already drop its decoded form, so fetches see stores without this.
        break;
      case Op.Csr:
        if (!csr(h, rd, rs1, imm, n)) {
          h.trapValue = d[i + 3];
          return finish(h, pc, n - 1, Exit.Illegal);
        }
        break;
      case Op.Ecall:
        return finish(h, pc, n, Exit.Ecall);
      case Op.Ebreak:
        return finish(h, pc, n - 1, Exit.Ebreak);
      default:
        h.trapValue = d[i + 3];
        return finish(h, pc, n - 1, Exit.Illegal);
    }
    pc += a >>> 24;
  }
  return finish(h, pc, n, exit);
}

const EMPTY = new Int32Array(0);

function finish(h: Hart, pc: number, n: number, exit: Exit): Exit {
  h.pc = pc;
  h.instret += n;
  return exit;
}

function fetchFault(h: Hart, addr: number, perms: Uint8Array): Exit {
  const inRange = addr >= 0 && addr < LIMIT;
  h.trapAddress = BigInt.asUintN(64, BigInt(Math.trunc(addr)));
  h.trapValue = addr;
  h.trapCode = inRange && perms[addr >>> 12] & PAGE_MAPPED ? SEGV_ACCERR : SEGV_MAPERR;
  return Exit.FetchFault;
}

/** Decodes the instruction at pc into slot i; false if its second half is on a non-executable page. */
function decodeAt(mem: AddressSpace, pc: number, d: Int32Array, i: number): boolean {
  const lo = mem.view.getUint16(pc, true);
  if ((lo & 3) !== 3) {
    decode16(lo, d, i);
    return true;
  }
  const next = pc + 2;
  if ((next & 4095) === 0) {
    if (next >= LIMIT || (mem.perms[next >>> 12] & PROT_EXEC) === 0) return false;
    // The instruction straddles two pages: a write to the second must drop it too.
    mem.perms[next >>> 12] |= PAGE_CODE;
  }
  decode32((lo | (mem.view.getUint16(next, true) << 16)) >>> 0, d, i);
  return true;
}

/** Writes a Number (|v| < 2^53) into register slot rd as a 64-bit value. */
function setNumber(x: Int32Array, rd: number, v: number): void {
  x[rd] = v | 0;
  x[rd + 1] = Math.floor(v / LIMIT) | 0;
}

function shiftLeft(x: Int32Array, rd: number, lo: number, hi: number, sh: number): void {
  if (sh === 0) {
    x[rd] = lo;
    x[rd + 1] = hi;
  } else if (sh < 32) {
    x[rd + 1] = (hi << sh) | (lo >>> (32 - sh));
    x[rd] = lo << sh;
  } else {
    x[rd + 1] = lo << (sh - 32);
    x[rd] = 0;
  }
}

function shiftRightLogical(x: Int32Array, rd: number, lo: number, hi: number, sh: number): void {
  if (sh === 0) {
    x[rd] = lo;
    x[rd + 1] = hi;
  } else if (sh < 32) {
    x[rd] = (lo >>> sh) | (hi << (32 - sh));
    x[rd + 1] = hi >>> sh;
  } else {
    x[rd] = hi >>> (sh - 32);
    x[rd + 1] = 0;
  }
}

function shiftRightArith(x: Int32Array, rd: number, lo: number, hi: number, sh: number): void {
  if (sh === 0) {
    x[rd] = lo;
    x[rd + 1] = hi;
  } else if (sh < 32) {
    x[rd] = (lo >>> sh) | (hi << (32 - sh));
    x[rd + 1] = hi >> sh;
  } else {
    x[rd] = hi >> (sh - 32);
    x[rd + 1] = hi >> 31;
  }
}

/** The low 64 bits of a 64×64 product, from 16-bit limbs so every partial product is exact. */
function mul64(x: Int32Array, rd: number, al: number, ah: number, bl: number, bh: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const carry = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  x[rd + 1] = (carry + Math.imul(al, bh) + Math.imul(ah, bl)) | 0;
  x[rd] = Math.imul(al, bl);
}

const INT64_MIN = -(2n ** 63n);

function divide64(x64: BigInt64Array, op: Op, rd: number, rs1: number, rs2: number): void {
  const p = x64[rs1];
  const q = x64[rs2];
  let r: bigint;
  switch (op) {
    case Op.Div:
      r = q === 0n ? -1n : p === INT64_MIN && q === -1n ? INT64_MIN : p / q;
      break;
    case Op.Rem:
      r = q === 0n ? p : p === INT64_MIN && q === -1n ? 0n : p % q;
      break;
    case Op.Divu:
      r = q === 0n ? -1n : BigInt.asUintN(64, p) / BigInt.asUintN(64, q);
      break;
    default:
      r = q === 0n ? p : BigInt.asUintN(64, p) % BigInt.asUintN(64, q);
  }
  x64[rd] = BigInt.asIntN(64, r);
}

/** LR, SC and AMOs. Returns Exit.Budget to mean "done, continue". */
function atomic(h: Hart, mem: AddressSpace, op: Op, rd: number, rs1: number, rs2: number, kind: number): Exit {
  const x = h.x;
  const x64 = h.x64;
  const wide = op === Op.LrD || op === Op.ScD || op === Op.AmoD;
  const size = wide ? 8 : 4;
  const isLr = op === Op.LrW || op === Op.LrD;
  const addr = atomicAddress(h, mem, x[rs1], x[rs1 + 1], size, !isLr);
  if (addr === -2) {
    h.trapValue = Number(h.trapAddress);
    return Exit.Misaligned;
  }
  if (addr < 0) return Exit.MemFault;
  const view = mem.view;
  if (isLr) {
    h.reservation = addr;
    x64[rd >> 1] = wide ? view.getBigInt64(addr, true) : BigInt(view.getInt32(addr, true));
    return Exit.Budget;
  }
  if (op === Op.ScW || op === Op.ScD) {
    const ok = h.reservation === addr;
    h.reservation = -1;
    if (ok) {
      if (wide) view.setBigInt64(addr, x64[rs2 >> 1], true);
      else view.setInt32(addr, x[rs2], true);
    }
    x[rd] = ok ? 0 : 1;
    x[rd + 1] = 0;
    return Exit.Budget;
  }
  const old = wide ? view.getBigInt64(addr, true) : BigInt(view.getInt32(addr, true));
  const src = wide ? x64[rs2 >> 1] : BigInt(x[rs2]);
  const bits = wide ? 64 : 32;
  const u = (v: bigint) => BigInt.asUintN(bits, v);
  let v: bigint;
  switch (kind as AmoKind) {
    case AmoKind.Swap: v = src; break;
    case AmoKind.Add: v = old + src; break;
    case AmoKind.Xor: v = old ^ src; break;
    case AmoKind.And: v = old & src; break;
    case AmoKind.Or: v = old | src; break;
    case AmoKind.Min: v = old < src ? old : src; break;
    case AmoKind.Max: v = old > src ? old : src; break;
    case AmoKind.Minu: v = u(old) < u(src) ? old : src; break;
    default: v = u(old) > u(src) ? old : src; break;
  }
  if (wide) view.setBigInt64(addr, BigInt.asIntN(64, v), true);
  else view.setInt32(addr, Number(BigInt.asIntN(32, v)), true);
  x64[rd >> 1] = old;
  return Exit.Budget;
}

// CSR numbers (unprivileged spec, "Zicsr" and the counters).
const CSR_FFLAGS = 0x001;
const CSR_FRM = 0x002;
const CSR_FCSR = 0x003;
const CSR_CYCLE = 0xc00;
const CSR_TIME = 0xc01;
const CSR_INSTRET = 0xc02;

/** Executes a CSR instruction; false if it is illegal (unknown CSR, write to a read-only one). */
function csr(h: Hart, rd: number, rs1: number, imm: number, n: number): boolean {
  const num = imm & 0xfff;
  const funct3 = (imm >>> 12) & 7;
  const uimm = (imm >>> 15) & 0x1f;
  const immediate = funct3 >= 5;
  const kind = funct3 & 3; // 1 = write, 2 = set, 3 = clear
  const srcIsZero = immediate ? uimm === 0 : rs1 === 0;
  const writes = kind === 1 || !srcIsZero;
  const src = immediate ? BigInt(uimm) : h.x64[rs1 >> 1];

  let old: bigint;
  switch (num) {
    case CSR_FFLAGS: old = BigInt(h.fcsr & 0x1f); break;
    case CSR_FRM: old = BigInt((h.fcsr >>> 5) & 7); break;
    case CSR_FCSR: old = BigInt(h.fcsr & 0xff); break;
    case CSR_CYCLE:
    case CSR_INSTRET:
      if (writes) return false;
      old = BigInt(h.instret + n);
      break;
    case CSR_TIME:
      if (writes) return false;
      old = h.readTime();
      break;
    default:
      return false;
  }
  if (writes) {
    const v = Number(BigInt.asUintN(8, kind === 1 ? src : kind === 2 ? old | src : old & ~src));
    if (num === CSR_FFLAGS) h.fcsr = (h.fcsr & ~0x1f) | (v & 0x1f);
    else if (num === CSR_FRM) h.fcsr = (h.fcsr & 0x1f) | ((v & 7) << 5);
    else h.fcsr = v & 0xff;
  }
  h.x64[rd >> 1] = old;
  return true;
}
