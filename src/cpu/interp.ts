// The interpreter: one flat loop over pre-decoded slots (decode.ts), registers as int32 pairs.
// It allocates nothing and throws nothing; it returns an Exit saying why it stopped, with details
// in the hart. Anything rare (page-crossing or faulting memory access, atomics, CSRs, division)
// leaves the loop for a helper function.
//
// It is also the dispatcher of the compiled tier (jit.ts): at every block start (the first
// instruction of a run and every branch or jump target, taken or not) it enters the region
// compiled for that position if there is one, and otherwise counts the position's heat and
// compiles a region once it is hot. Once the address space has the WebAssembly interpreter
// (wasm/interpreter.ts, made with its first region), every block start goes there instead: that
// interpreter enters regions and counts heat itself, and hands back only what it leaves to this
// one, instruction by instruction.
//
// Written for V8's optimising compiler. V8 optimises the loop after a few hundred guest
// instructions, from the type feedback gathered so far, and throws the optimised code away (to
// compile it again later, 50–300 ms of compiler time) the first time an operation runs that had
// never run before. So: the switch holds only instructions every program uses from its first
// instructions on, and the others share one call, to execRare; every way out of the loop goes
// through one exit at its end; and before the first guest instruction the loop is trained on a
// built-in program that takes every path (warmup.ts).
import { Exit, Hart, StepMode, SEGV_ACCERR, SEGV_MAPERR } from "./hart.js";
import { Op } from "./ops.js";
import { decodeAt, SLOT_WORDS } from "./decode.js";
import { codeCacheOf, CodePage, detachedPage, REGION_GO } from "./code-cache.js";
import { execFp } from "./fpu.js";
import { loadSlow, storeSlow, loaded } from "./mem-slow.js";
import { atomic, csr, divide64, jalrFault, mulHigh } from "./alu.js";
import { compileRegion, enterRegions, jitConfig, MAX_BLOCK, runWasmInterpreter } from "./jit.js";
import { warmUpOnce } from "./warmup.js";
import { AddressSpace, PAGE_CODE, PAGE_MAPPED, PROT_EXEC, PROT_READ, PROT_WRITE } from "../mem/address-space.js";

export { jitConfig } from "./jit.js";

const LIMIT = 4294967296;
/** A page base no pc can be in: forces a page lookup at the next instruction. */
const NO_PAGE = -2 * LIMIT;
const WRITABLE = PROT_WRITE | PAGE_CODE;

/**
 * Runs hart h in address space mem for at most `budget` instructions. Returns why it stopped;
 * h.pc is then the next instruction to run (or the trapping one, for traps).
 */
export function run(h: Hart, mem: AddressSpace, budget: number): Exit {
  if (coldStart) {
    // Before the first interpret() (V8 collects no type feedback in a function's nested calls
    // while an outer call of it is still running its first time).
    coldStart = false;
    warmUpOnce(mem, interpret);
  }
  // The registers move into the address space they run in, where compiled code reaches them.
  if (h.home !== mem) h.homeIn(mem);
  return interpret(h, mem, budget);
}

/** The interpreter itself (run() is the entry that trains it first). */
function interpret(h: Hart, mem: AddressSpace, budget: number): Exit {
  const x = h.x;
  const state = h.state;
  const perms = mem.perms;
  const view = mem.view;
  const cache = codeCacheOf(mem);
  const blockStep = h.stepMode === StepMode.Block;
  const single = h.stepMode === StepMode.Single;
  if (single) budget = 1;
  // Worked out here, not where the budget runs out: that path is rare, and V8 would deoptimise
  // the whole loop the first time it met a comparison there it had never seen run.
  const budgetExit = single ? Exit.Step : Exit.Budget;
  // The compiled tier runs only when nobody watches single instructions or blocks.
  // Compiled code needs the registers in the address space (WebAssembly regions read them there;
  // a page may hold both kinds of region once the back end has changed): no slot was free, no region.
  const jit = jitConfig.enabled && h.stepMode === StepMode.None && h.home === mem;
  const threshold = jitConfig.threshold;
  // Once the address space has one, the WebAssembly interpreter takes over at block starts.
  const wasmInterpreter = jit ? (cache.regionIndex?.interpreter ?? null) : null;
  // The reservation does not survive a trap to the kernel (Linux clears it on every return).
  h.reservation = -1;

  let pc = h.pc;
  let n = 0;
  let pageBase = NO_PAGE;
  let pg: CodePage = EMPTY_PAGE;
  let d: Int32Array = pg.d;
  /** CodeCache.epoch when pg was looked up: a change means pg may have been dropped. */
  let epoch = cache.epoch;
  /** The next instruction starts a block (only tracked with the compiled tier on). */
  let atBlock = jit;
  let exit: Exit = Exit.Budget;

  loop: for (;;) {
    if (n >= budget) {
      exit = budgetExit;
      break;
    }
    if (pc - pageBase >= 4096 || pc < pageBase) {
      // Entering another page: it must be mapped executable.
      if (pc < 0 || pc >= LIMIT || (perms[pc >>> 12] & PROT_EXEC) === 0) {
        exit = fetchFault(h, pc, perms);
        break;
      }
      pageBase = pc - (pc & 4095);
      pg = cache.page(pc >>> 12);
      d = pg.d;
    }
    const slot = (pc - pageBase) >>> 1;
    if (atBlock) {
      atBlock = false;
      // The WebAssembly interpreter takes every block start; else the region compiled here, if any.
      const f = wasmInterpreter === null ? pg.fns[slot] : undefined;
      if (wasmInterpreter !== null || (f !== undefined && budget - n > MAX_BLOCK)) {
        pc = wasmInterpreter !== null
          ? runWasmInterpreter(wasmInterpreter, h, mem, cache, pc, n, budget)
          : enterRegions(f!, h, cache, pc, n, budget);
        n = state[0];
        const r = state[1];
        if (r < 0) {
          // A trap at pc; the region or the WebAssembly interpreter has set the trap details.
          exit = -r as Exit;
          break;
        }
        // REGION_INTERPRET: this instruction is ours, whatever is compiled there; REGION_GO: go on
        // (at a block start: the budget is spent, or another region may start there).
        atBlock = r === REGION_GO;
        continue;
      }
      if (f === undefined && ++pg.heat[slot] === threshold && compileRegion(mem, pg, slot)) {
        atBlock = true;
        continue;
      }
    }
    const i = slot * SLOT_WORDS;
    let op = d[i];
    if (op === Op.Undecoded) {
      if (!decodeAt(mem, pc, d, i)) {
        exit = fetchFault(h, pc + 2, perms);
        break;
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
      case Op.Lui:
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
      case Op.Auipc: {
        const v = pc + imm;
        x[rd] = v | 0;
        x[rd + 1] = Math.floor(v / LIMIT) | 0;
        break;
      }
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
      case Op.Mul:
        mul64(x, rd, x[rs1], x[rs1 + 1], x[rs2], x[rs2 + 1]);
        break;

      // ---- control transfer ----
      case Op.Jal:
        atBlock = jit;
        x[rd] = (pc + (a >>> 24)) | 0;
        x[rd + 1] = 0;
        pc += imm;
        if (blockStep) {
          exit = Exit.Step;
          break loop;
        }
        continue;
      case Op.Jalr: {
        atBlock = jit;
        const target = x[rs1 + 1] * LIMIT + (x[rs1] >>> 0) + imm;
        x[rd] = (pc + (a >>> 24)) | 0;
        x[rd + 1] = 0;
        if (target < 0 || target >= LIMIT) {
          // The fetch at the target faults; report the exact 64-bit address.
          jalrFault(h, target);
          exit = Exit.FetchFault;
          break loop;
        }
        pc = target - (target % 2);
        if (blockStep) {
          exit = Exit.Step;
          break loop;
        }
        continue;
      }
      case Op.Beq:
        atBlock = jit;
        if (x[rs1] === x[rs2] && x[rs1 + 1] === x[rs2 + 1]) {
          pc += imm;
          if (blockStep) {
            exit = Exit.Step;
            break loop;
          }
          continue;
        }
        break;
      case Op.Bne:
        atBlock = jit;
        if (x[rs1] !== x[rs2] || x[rs1 + 1] !== x[rs2 + 1]) {
          pc += imm;
          if (blockStep) {
            exit = Exit.Step;
            break loop;
          }
          continue;
        }
        break;
      case Op.Blt: {
        atBlock = jit;
        const ha = x[rs1 + 1];
        const hb = x[rs2 + 1];
        if (ha < hb || (ha === hb && x[rs1] >>> 0 < x[rs2] >>> 0)) {
          pc += imm;
          if (blockStep) {
            exit = Exit.Step;
            break loop;
          }
          continue;
        }
        break;
      }
      case Op.Bge: {
        atBlock = jit;
        const ha = x[rs1 + 1];
        const hb = x[rs2 + 1];
        if (!(ha < hb || (ha === hb && x[rs1] >>> 0 < x[rs2] >>> 0))) {
          pc += imm;
          if (blockStep) {
            exit = Exit.Step;
            break loop;
          }
          continue;
        }
        break;
      }
      case Op.Bltu: {
        atBlock = jit;
        const ha = x[rs1 + 1] >>> 0;
        const hb = x[rs2 + 1] >>> 0;
        if (ha < hb || (ha === hb && x[rs1] >>> 0 < x[rs2] >>> 0)) {
          pc += imm;
          if (blockStep) {
            exit = Exit.Step;
            break loop;
          }
          continue;
        }
        break;
      }
      case Op.Bgeu: {
        atBlock = jit;
        const ha = x[rs1 + 1] >>> 0;
        const hb = x[rs2 + 1] >>> 0;
        if (!(ha < hb || (ha === hb && x[rs1] >>> 0 < x[rs2] >>> 0))) {
          pc += imm;
          if (blockStep) {
            exit = Exit.Step;
            break loop;
          }
          continue;
        }
        break;
      }

      // ---- loads: fast when the access stays in one readable page below 2^32 ----
      case Op.Lbu: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (perms[ea >>> 12] & PROT_READ) === 0) {
          if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 1)) {
            n--;
            exit = Exit.MemFault;
            break loop;
          }
          x[rd] = loaded.lo & 0xff;
        } else x[rd] = view.getUint8(ea);
        x[rd + 1] = 0;
        break;
      }
      case Op.Lhu: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4094 || (perms[ea >>> 12] & PROT_READ) === 0) {
          if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 2)) {
            n--;
            exit = Exit.MemFault;
            break loop;
          }
          x[rd] = loaded.lo & 0xffff;
        } else x[rd] = view.getUint16(ea, true);
        x[rd + 1] = 0;
        break;
      }
      case Op.Lw: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4092 || (perms[ea >>> 12] & PROT_READ) === 0) {
          if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 4)) {
            n--;
            exit = Exit.MemFault;
            break loop;
          }
          x[rd] = loaded.lo;
        } else x[rd] = view.getInt32(ea, true);
        x[rd + 1] = x[rd] >> 31;
        break;
      }
      case Op.Ld: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4088 || (perms[ea >>> 12] & PROT_READ) === 0) {
          if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 8)) {
            n--;
            exit = Exit.MemFault;
            break loop;
          }
          x[rd] = loaded.lo;
          x[rd + 1] = loaded.hi;
        } else {
          x[rd] = view.getInt32(ea, true);
          x[rd + 1] = view.getInt32(ea + 4, true);
        }
        break;
      }

      // ---- stores: fast when the page is writable and holds no decoded code ----
      case Op.Sb: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (perms[ea >>> 12] & WRITABLE) !== PROT_WRITE) {
          if (!storeSlow(h, mem, x[rs1], x[rs1 + 1], imm, 1, x[rs2], 0)) {
            n--;
            exit = Exit.MemFault;
            break loop;
          }
          pageBase = NO_PAGE;
        } else view.setInt8(ea, x[rs2]);
        break;
      }
      case Op.Sw: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4092 || (perms[ea >>> 12] & WRITABLE) !== PROT_WRITE) {
          if (!storeSlow(h, mem, x[rs1], x[rs1 + 1], imm, 4, x[rs2], 0)) {
            n--;
            exit = Exit.MemFault;
            break loop;
          }
          pageBase = NO_PAGE;
        } else view.setInt32(ea, x[rs2], true);
        break;
      }
      case Op.Sd: {
        const ea = (x[rs1] >>> 0) + imm;
        if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4088 || (perms[ea >>> 12] & WRITABLE) !== PROT_WRITE) {
          if (!storeSlow(h, mem, x[rs1], x[rs1 + 1], imm, 8, x[rs2], x[rs2 + 1])) {
            n--;
            exit = Exit.MemFault;
            break loop;
          }
          pageBase = NO_PAGE;
        } else {
          view.setInt32(ea, x[rs2], true);
          view.setInt32(ea + 4, x[rs2 + 1], true);
        }
        break;
      }

      case Op.Ecall:
        exit = Exit.Ecall;
        break loop;

      default: {
        // Everything else, through one call site (see the top of the file).
        const r = execRare(h, mem, op, rd, rs1, rs2, imm, d[i + 3], n);
        if (r !== Exit.Budget) {
          n--;
          exit = r;
          break loop;
        }
        if (cache.epoch !== epoch) {
          // A store or an atomic dropped decoded code: pg may be gone.
          epoch = cache.epoch;
          pageBase = NO_PAGE;
        }
      }
    }
    pc += a >>> 24;
  }
  // Every way out comes here (not a return of its own): V8 then has type feedback for this code
  // from the first syscall on, and does not deoptimise run() the first time the budget runs out.
  setPc(h, pc);
  h.instret += n;
  return exit;
}

/**
 * The instructions run() keeps out of its loop. Returns Exit.Budget when the instruction is done,
 * else the trap (the instruction does not count; trap details are in the hart). n is the count of
 * this run() including this instruction (for the instret CSR).
 */
function execRare(h: Hart, mem: AddressSpace, op: Op, rd: number, rs1: number, rs2: number, imm: number, raw: number, n: number): Exit {
  const x = h.x;
  const fi = h.fi;
  const perms = mem.perms;
  const view = mem.view;
  switch (op) {
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

    // ---- loads and stores ----
    case Op.Lb: {
      const ea = (x[rs1] >>> 0) + imm;
      if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (perms[ea >>> 12] & PROT_READ) === 0) {
        if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 1)) return Exit.MemFault;
        x[rd] = (loaded.lo << 24) >> 24;
      } else x[rd] = view.getInt8(ea);
      x[rd + 1] = x[rd] >> 31;
      break;
    }
    case Op.Lh: {
      const ea = (x[rs1] >>> 0) + imm;
      if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4094 || (perms[ea >>> 12] & PROT_READ) === 0) {
        if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 2)) return Exit.MemFault;
        x[rd] = (loaded.lo << 16) >> 16;
      } else x[rd] = view.getInt16(ea, true);
      x[rd + 1] = x[rd] >> 31;
      break;
    }
    case Op.Lwu: {
      const ea = (x[rs1] >>> 0) + imm;
      if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4092 || (perms[ea >>> 12] & PROT_READ) === 0) {
        if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 4)) return Exit.MemFault;
        x[rd] = loaded.lo;
      } else x[rd] = view.getInt32(ea, true);
      x[rd + 1] = 0;
      break;
    }
    case Op.Flw: {
      const ea = (x[rs1] >>> 0) + imm;
      if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4092 || (perms[ea >>> 12] & PROT_READ) === 0) {
        if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 4)) return Exit.MemFault;
        fi[rd] = loaded.lo;
      } else fi[rd] = view.getInt32(ea, true);
      fi[rd + 1] = -1; // NaN-boxing
      break;
    }
    case Op.Fld: {
      const ea = (x[rs1] >>> 0) + imm;
      if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4088 || (perms[ea >>> 12] & PROT_READ) === 0) {
        if (!loadSlow(h, mem, x[rs1], x[rs1 + 1], imm, 8)) return Exit.MemFault;
        fi[rd] = loaded.lo;
        fi[rd + 1] = loaded.hi;
      } else {
        fi[rd] = view.getInt32(ea, true);
        fi[rd + 1] = view.getInt32(ea + 4, true);
      }
      break;
    }
    case Op.Sh: {
      const ea = (x[rs1] >>> 0) + imm;
      if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4094 || (perms[ea >>> 12] & WRITABLE) !== PROT_WRITE) {
        if (!storeSlow(h, mem, x[rs1], x[rs1 + 1], imm, 2, x[rs2], 0)) return Exit.MemFault;
      } else view.setInt16(ea, x[rs2], true);
      break;
    }
    case Op.Fsw: {
      const ea = (x[rs1] >>> 0) + imm;
      if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4092 || (perms[ea >>> 12] & WRITABLE) !== PROT_WRITE) {
        if (!storeSlow(h, mem, x[rs1], x[rs1 + 1], imm, 4, fi[rs2], 0)) return Exit.MemFault;
      } else view.setInt32(ea, fi[rs2], true);
      break;
    }
    case Op.Fsd: {
      const ea = (x[rs1] >>> 0) + imm;
      if (x[rs1 + 1] !== 0 || ea < 0 || ea >= LIMIT || (ea & 4095) > 4088 || (perms[ea >>> 12] & WRITABLE) !== PROT_WRITE) {
        if (!storeSlow(h, mem, x[rs1], x[rs1 + 1], imm, 8, fi[rs2], fi[rs2 + 1])) return Exit.MemFault;
      } else {
        view.setInt32(ea, fi[rs2], true);
        view.setInt32(ea + 4, fi[rs2 + 1], true);
      }
      break;
    }

    // ---- M ----
    case Op.Mulw: {
      const r = Math.imul(x[rs1], x[rs2]);
      x[rd] = r;
      x[rd + 1] = r >> 31;
      break;
    }
    case Op.Mulh:
    case Op.Mulhu:
    case Op.Mulhsu:
      mulHigh(h.x64, op, rd >> 1, rs1 >> 1, rs2 >> 1);
      break;
    case Op.Div:
    case Op.Divu:
    case Op.Rem:
    case Op.Remu:
      divide64(h.x64, op, rd >> 1, rs1 >> 1, rs2 >> 1);
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
    case Op.AmoD:
      return atomic(h, mem, op, rd, rs1, rs2, imm);

    // ---- F/D arithmetic ----
    case Op.Fp:
      if (!execFp(h, imm, raw)) {
        h.trapValue = raw;
        return Exit.Illegal;
      }
      break;

    // ---- system ----
    case Op.Fence:
    case Op.FenceI:
      // Writes to code already drop its decoded form, so fetches see stores without fence.i.
      break;
    case Op.Csr:
      if (!csr(h, rd, rs1, imm, n)) {
        h.trapValue = raw;
        return Exit.Illegal;
      }
      break;
    case Op.Ebreak:
      return Exit.Ebreak;
    default:
      h.trapValue = raw;
      return Exit.Illegal;
  }
  return Exit.Budget;
}

/** No run() has happened in this process yet (see warmup.ts). */
let coldStart = true;

/** Stands for "no page yet"; never read, since pageBase starts at NO_PAGE. */
const EMPTY_PAGE = detachedPage(0);

/**
 * h.pc = pc, keeping the field a small integer when the pc allows. V8 holds pc in run() as a
 * double; stored as such, it would turn h.pc into a double field, which changes the layout of
 * every hart and throws away the optimised code that relied on the old one.
 */
function setPc(h: Hart, pc: number): void {
  if (pc >= 0 && pc < 0x40000000) h.pc = pc | 0;
  else h.pc = pc;
}

function fetchFault(h: Hart, addr: number, perms: Uint8Array): Exit {
  const inRange = addr >= 0 && addr < LIMIT;
  h.trapAddress = BigInt.asUintN(64, BigInt(Math.trunc(addr)));
  h.trapValue = addr;
  h.trapCode = inRange && perms[addr >>> 12] & PAGE_MAPPED ? SEGV_ACCERR : SEGV_MAPERR;
  return Exit.FetchFault;
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
