// The interpreter in WebAssembly: the instructions programs spend most of their cold code on
// (RV64I, M but mulh, C, the F and D loads and stores, and the double-precision operations FP
// programs use most, the rest of the FP arithmetic called out to the FPU), decoded from the guest's
// memory and run in one WebAssembly function that V8 compiles once per process. The interpreter in JavaScript (interp.ts) takes 14–40 ns per instruction on code
// that never gets hot (python3's start-up spent half its time there), much of it on 64-bit values
// as int32 pairs; here a register is one i64.
//
// It is entered where the JavaScript interpreter would enter a region, at a block start, and
// behaves as a region does (same parameters, same exits, the count and the exit code in the
// hart's state words):
// - whatever it does not do itself it leaves to the JavaScript interpreter at that instruction,
//   uncounted (REGION_INTERPRET): atomics, CSRs, mulh, ebreak, any encoding it does not know
//   (the JavaScript decoder decides what is illegal), a fetch from a page not executable, an
//   instruction that crosses a page, and every memory access that is not the plain case
//   (accessFails: below 2^32, in one page, permitted, and no store to a page of decoded code);
// - an ecall leaves −Exit.Ecall, counted, with the pc at the ecall; an FP instruction the FPU finds
//   illegal (a reserved rounding mode, an encoding that is none) −Exit.Illegal, uncounted, with the
//   trap value set, as the JavaScript interpreter does;
// - the budget left REGION_GO, only once the count has reached it.
// Branches and jumps out of the address space leave the instruction to the JavaScript interpreter
// too, which reports the fault at the right address.
//
// At every block start (the first instruction, and after every branch or jump, taken or not, as
// in the JavaScript interpreter) it enters the region indexed at the pc, if there is one and more
// than MAX_BLOCK instructions of budget are left, and otherwise counts the position's heat in a
// hashed table of 16-bit counters in the reserved memory (HEAT_BASE); when a count reaches the
// threshold it returns REGION_HOT, the JavaScript side compiles a region there and calls it again.
//
// Instructions are decoded afresh each time they run (a dispatch on the major opcode and funct3,
// or for a 16-bit instruction on its quadrant and funct3): nothing is cached, so stores to code
// need no care here.
import { Exit, REGS_F, REGS_FCSR } from "../hart.js";
import { Op } from "../ops.js";
import { REGION_GO, REGION_HOT, REGION_INTERPRET } from "../code-cache.js";
import { MAX_BLOCK } from "../region-plan.js";
import { PROT_EXEC, REGION_INDEX_BASE, REGION_INDEX_ENTRIES } from "../../mem/address-space.js";
import { CodeWriter, moduleBytes, T, uleb, W } from "./encode.js";
import { accessFails, callRegion, divide, lookupRegion, pagePermissions, returnAsRegion } from "./emit.js";
import { REGION_TYPES } from "./region.js";
import { addFast, classifyD, divFast, fmaFast, mulFast, type FastLocals } from "./fp-inline.js";
import { INTERPRETER_WASM } from "./interpreter-wasm.js";

/** The heat counters (16 bits each) in the reserved memory, after the region index. */
export const HEAT_BASE = REGION_INDEX_BASE + REGION_INDEX_ENTRIES * 8;
export const HEAT_ENTRIES = 65536;
const HEAT_MULTIPLIER = 0x9e3779b1;
/**
 * After the counters, the heat at which a block is hot: the JavaScript side writes
 * jitConfig.threshold there before each call (the warm-up lowers it for a while).
 */
export const HEAT_THRESHOLD = HEAT_BASE + HEAT_ENTRIES * 2;

/** The index in the region table of the FP helper (region.ts's fpInsn), which the interpreter calls. */
export const FP_INSN_INDEX = 1;
/** Its type, in the interpreter module's types. */
const T_FP_INSN = 1;

/** The address of pc's heat counter. */
export function heatAddress(pc: number): number {
  return HEAT_BASE + ((Math.imul(pc, HEAT_MULTIPLIER) >>> 16) << 1);
}

// Parameters (a region's) and locals.
const P_H = 0;
const P_PC = 1;
const P_N = 2;
const P_BUDGET = 3;
const P_REGS = 4;
const L_INSN = 5; // the instruction (a 16-bit one in the low half, the next one's bits above)
const L_ADDR = 6; // a memory access's address
const L_SEL = 7; // the dispatch index
const L_SLOT = 8;
const L_AT = 9;
const L_PROBE = 10;
const L_IDX = 11;
const L_W = 12; // i32 scratch
const L_E = 13; // i64 scratch
const L_T = 14; // a jump's target
const L_P = 15; // division operands (i64, or i32 below)
const L_Q = 16;
const L_PW = 17;
const L_QW = 18;
const L_K = 19; // i32 scratch of the FP cases (L_W holds funct7 there)
/** The locals after the parameters, up to L_K; the FP fast paths' f64 locals follow (F64_BASE on). */
const LOCALS = [T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i64, T.i64, T.i64, T.i64, T.i32, T.i32, T.i32];
const F64_BASE = 20;

/**
 * Where a register's number is in an instruction: its byte offset in the register slot is
 * ((insn >>> shr) << shl) & mask, plus add (mask 0: always `add`).
 */
interface Reg {
  shr: number;
  shl: number;
  mask: number;
  add: number;
}
const RD: Reg = { shr: 4, shl: 0, mask: 0xf8, add: 0 }; // bits 11:7 (also the 16-bit forms' rd/rs1)
const RS1: Reg = { shr: 12, shl: 0, mask: 0xf8, add: 0 }; // bits 19:15
const RS2: Reg = { shr: 17, shl: 0, mask: 0xf8, add: 0 }; // bits 24:20
const RS3: Reg = { shr: 24, shl: 0, mask: 0xf8, add: 0 }; // bits 31:27 (the fused multiply-adds' third operand)
const C_RS2: Reg = { shr: 0, shl: 1, mask: 0xf8, add: 0 }; // bits 6:2
const C_R97: Reg = { shr: 4, shl: 0, mask: 0x38, add: 64 }; // rs1'/rd' in bits 9:7: x8–x15
const C_R42: Reg = { shr: 0, shl: 1, mask: 0x38, add: 64 }; // rs2'/rd' in bits 4:2
const SP: Reg = { shr: 0, shl: 0, mask: 0, add: 16 };
const RA: Reg = { shr: 0, shl: 0, mask: 0, add: 8 };
/** The same field naming an FP register (in the slot's f part). */
const F = (r: Reg): Reg => ({ ...r, add: r.add + REGS_F });

/**
 * An immediate: I, S or U of a 32-bit instruction, or bit fields [hi, lo, to] moved to bit `to`,
 * sign-extended from bit `sign` − 1 (sign 0: unsigned).
 */
type Imm = "I" | "S" | "U" | { parts: [number, number, number][]; sign: number };
const B_IMM: Imm = { parts: [[31, 31, 12], [7, 7, 11], [30, 25, 5], [11, 8, 1]], sign: 13 };
const J_IMM: Imm = { parts: [[31, 31, 20], [19, 12, 12], [20, 20, 11], [30, 21, 1]], sign: 21 };
const C_IMM6: Imm = { parts: [[12, 12, 5], [6, 2, 0]], sign: 6 };
const C_SHAMT: Imm = { parts: [[12, 12, 5], [6, 2, 0]], sign: 0 };
const C_J: Imm = { parts: [[12, 12, 11], [11, 11, 4], [10, 9, 8], [8, 8, 10], [7, 7, 6], [6, 6, 7], [5, 3, 1], [2, 2, 5]], sign: 12 };
const C_B: Imm = { parts: [[12, 12, 8], [11, 10, 3], [6, 5, 6], [4, 3, 1], [2, 2, 5]], sign: 9 };
const C_ADDI4SPN: Imm = { parts: [[12, 11, 4], [10, 7, 6], [6, 6, 2], [5, 5, 3]], sign: 0 };
const C_LW: Imm = { parts: [[12, 10, 3], [6, 6, 2], [5, 5, 6]], sign: 0 };
const C_LD: Imm = { parts: [[12, 10, 3], [6, 5, 6]], sign: 0 };
const C_ADDI16SP: Imm = { parts: [[12, 12, 9], [6, 6, 4], [5, 5, 6], [4, 3, 7], [2, 2, 5]], sign: 10 };
const C_LUI: Imm = { parts: [[12, 12, 17], [6, 2, 12]], sign: 18 };
const C_LWSP: Imm = { parts: [[12, 12, 5], [6, 4, 2], [3, 2, 6]], sign: 0 };
const C_LDSP: Imm = { parts: [[12, 12, 5], [6, 5, 3], [4, 2, 6]], sign: 0 };
const C_SWSP: Imm = { parts: [[12, 9, 2], [8, 7, 6]], sign: 0 };
const C_SDSP: Imm = { parts: [[12, 10, 3], [9, 7, 6]], sign: 0 };

/** Loads and stores by funct3: the WebAssembly operation and the size. */
const LOADS: [W, number][] = [
  [W.i64_load8_s, 1], [W.i64_load16_s, 2], [W.i64_load32_s, 4], [W.i64_load, 8],
  [W.i64_load8_u, 1], [W.i64_load16_u, 2], [W.i64_load32_u, 4],
];
const STORES: [W, number][] = [[W.i64_store8, 1], [W.i64_store16, 2], [W.i64_store32, 4], [W.i64_store, 8]];
/** OP-IMM and OP by funct3 (funct7 0; OP-IMM's shifts are cases of their own, for their funct6). */
const OP_BASE: W[] = [W.i64_add, W.i64_shl, W.i64_lt_s, W.i64_lt_u, W.i64_xor, W.i64_shr_u, W.i64_or, W.i64_and];
/** The M extension's divisions by funct3 (4–7), for OP and OP-32. */
const DIV_OPS: Op[] = [Op.Div, Op.Divu, Op.Rem, Op.Remu];
const DIVW_OPS: Op[] = [Op.Divw, Op.Divuw, Op.Remw, Op.Remuw];
const BRANCHES: (W | null)[] = [W.i64_eq, W.i64_ne, null, null, W.i64_lt_s, W.i64_ge_s, W.i64_lt_u, W.i64_ge_u];

/** Dispatch indexes: a 32-bit instruction's major opcode · 8 + funct3; a 16-bit one's 256 + quadrant · 8 + funct3. */
const major = (m: number, f3: number) => (m << 3) | f3;
const compressed = (q: number, f3: number) => 256 + (q << 3) + f3;
const INDEXES = 256 + 24;

class InterpreterGen extends CodeWriter {
  /** The case being emitted and how many structured blocks deep its code is. */
  private k = 0;
  private depth = 0;
  private readonly cases: { indexes: number[]; emit: () => void }[] = [];
  /** The depth of an FP case's $fpu block (see fpCase). */
  private fpuDepth = 0;
  /** f64 locals the FP fast paths use: the most any one needs (each starts from F64_BASE). */
  f64Locals = 0;

  constructor() {
    super();
    this.define();
  }

  // ---- exits and control ----

  /** Stores the count and `code` in the state words and returns the pc. */
  private finish(code: number, countOne = false): void {
    const count = () => {
      this.get(P_N);
      if (countOne) {
        this.i32(1);
        this.op(W.i32_add);
      }
    };
    returnAsRegion(this, P_REGS, P_PC, count, () => this.i32(code));
  }

  /** Label depths from the current case's code (see `function`). */
  private get toExit(): number {
    return this.cases.length - 1 - this.k + this.depth;
  }

  /** Leaves the instruction to the JavaScript interpreter. */
  private toJs(): void {
    this.br(this.toExit);
  }

  /** Goes on at the next instruction (`len` bytes on), counting this one. */
  private next(len: 2 | 4): void {
    this.br(this.toExit + (len === 2 ? 1 : 2));
  }

  /** Counts this instruction and goes to the block start at the pc it has set. */
  private blockStart(): void {
    this.get(P_N);
    this.i32(1);
    this.op(W.i32_add);
    this.set(P_N);
    this.br(this.toExit + 4);
  }

  private ifThen(): void {
    this.op(W.if, T.void);
    this.depth++;
  }

  private elseThen(): void {
    this.op(W.else);
  }

  private endIf(): void {
    this.op(W.end);
    this.depth--;
  }

  /** With an i32 condition on the stack: leaves the instruction to JavaScript when it holds. */
  private toJsIf(): void {
    this.ifThen();
    this.toJs();
    this.endIf();
  }

  // ---- fields ----

  /** Pushes the register's byte offset from P_REGS, less its `add` (which goes in the access's offset). */
  private regAddress(r: Reg): void {
    this.get(P_REGS);
    if (r.mask === 0) return;
    this.get(L_INSN);
    if (r.shr !== 0) {
      this.i32(r.shr);
      this.op(W.i32_shr_u);
    }
    if (r.shl !== 0) {
      this.i32(r.shl);
      this.op(W.i32_shl);
    }
    this.i32(r.mask);
    this.op(W.i32_and);
    this.op(W.i32_add);
  }

  /** Pushes the register's value (x0 reads 0: its word is never left non-zero). */
  private reg(r: Reg): void {
    this.regAddress(r);
    this.access(W.i64_load, r.add);
  }

  private reg32(r: Reg): void {
    this.reg(r);
    this.op(W.i32_wrap_i64);
  }

  /** Writes the i64 that `value` pushes to register r (a write to x0 is undone at once). */
  private setReg(r: Reg, value: () => void): void {
    this.regAddress(r);
    value();
    this.access(W.i64_store, r.add);
    if (r.mask !== 0 && r.add === 0) {
      this.get(P_REGS);
      this.i64(0);
      this.access(W.i64_store, 0);
    }
  }

  /** Pushes bits hi..lo of the instruction, at bit 0. */
  private bits(hi: number, lo: number): void {
    this.get(L_INSN);
    if (lo !== 0) {
      this.i32(lo);
      this.op(W.i32_shr_u);
    }
    if (hi !== 31) {
      this.i32((1 << (hi - lo + 1)) - 1);
      this.op(W.i32_and);
    }
  }

  /** Pushes the immediate as an i32. */
  private imm32(imm: Imm): void {
    if (imm === "I") {
      this.get(L_INSN);
      this.i32(20);
      this.op(W.i32_shr_s);
    } else if (imm === "S") {
      this.get(L_INSN);
      this.i32(25);
      this.op(W.i32_shr_s);
      this.i32(5);
      this.op(W.i32_shl);
      this.bits(11, 7);
      this.op(W.i32_or);
    } else if (imm === "U") {
      this.get(L_INSN);
      this.i32(0xfffff000 | 0);
      this.op(W.i32_and);
    } else {
      imm.parts.forEach(([hi, lo, to], i) => {
        this.bits(hi, lo);
        if (to !== 0) {
          this.i32(to);
          this.op(W.i32_shl);
        }
        if (i > 0) this.op(W.i32_or);
      });
      if (imm.sign !== 0) {
        this.i32(32 - imm.sign);
        this.op(W.i32_shl);
        this.i32(32 - imm.sign);
        this.op(W.i32_shr_s);
      }
    }
  }

  /** Pushes the immediate sign-extended to i64 (the unsigned ones are below 2^31). */
  private imm64(imm: Imm): void {
    this.imm32(imm);
    this.op(W.i64_extend_i32_s);
  }

  /** Pushes the pc, plus `add`, as an i64. */
  private pc64(add = 0): void {
    this.get(P_PC);
    this.op(W.i64_extend_i32_u);
    if (add !== 0) {
      this.i64(add);
      this.op(W.i64_add);
    }
  }

  // ---- instruction forms ----

  /** rd = op(rs1, imm) or op(rs1, rs2): `second` pushes the second operand. */
  private alu(opcode: W, rd: Reg, rs1: Reg, second: () => void, len: 2 | 4): void {
    this.setReg(rd, () => {
      this.reg(rs1);
      second();
      this.op(opcode);
      if (opcode === W.i64_lt_s || opcode === W.i64_lt_u) this.op(W.i64_extend_i32_u);
    });
    this.next(len);
  }

  /** The w forms: op on the low words, sign-extended. */
  private aluW(opcode: W, rd: Reg, rs1: Reg, second: () => void, len: 2 | 4): void {
    this.setReg(rd, () => {
      this.reg32(rs1);
      second();
      this.op(opcode, W.i64_extend_i32_s);
    });
    this.next(len);
  }

  /**
   * Leaves an access of `size` bytes at base + imm to JavaScript unless it may go ahead (emit.ts
   * accessFails); its address in L_ADDR.
   */
  private address(base: Reg, imm: Imm, size: number, store: boolean): void {
    this.reg(base);
    this.imm64(imm);
    this.op(W.i64_add);
    accessFails(this, L_E, L_ADDR, size, store);
    this.toJsIf();
  }

  private load(f3: number, rd: Reg, base: Reg, imm: Imm, len: 2 | 4): void {
    const [opcode, size] = LOADS[f3];
    this.address(base, imm, size, false);
    this.setReg(rd, () => {
      this.get(L_ADDR);
      this.access(opcode, 0);
    });
    this.next(len);
  }

  private store(f3: number, base: Reg, src: Reg, imm: Imm, len: 2 | 4): void {
    const [opcode, size] = STORES[f3];
    this.address(base, imm, size, true);
    this.get(L_ADDR);
    this.reg(src);
    this.access(opcode, 0);
    this.next(len);
  }

  /** flw and fld (f3 2, 3): a single is NaN-boxed, its upper half all ones. */
  private fpLoad(f3: 2 | 3, rd: Reg, base: Reg, imm: Imm, len: 2 | 4): void {
    this.address(base, imm, f3 === 2 ? 4 : 8, false);
    this.setReg(rd, () => {
      this.get(L_ADDR);
      if (f3 === 2) {
        this.access(W.i64_load32_u, 0);
        this.i64(-4294967296);
        this.op(W.i64_or);
      } else {
        this.access(W.i64_load, 0);
      }
    });
    this.next(len);
  }

  /** fsw and fsd (f3 2, 3): fsw stores the register's low half. */
  private fpStore(f3: 2 | 3, base: Reg, src: Reg, imm: Imm, len: 2 | 4): void {
    this.address(base, imm, f3 === 2 ? 4 : 8, true);
    this.get(L_ADDR);
    this.reg(src);
    this.access(f3 === 2 ? W.i64_store32 : W.i64_store, 0);
    this.next(len);
  }

  /** Leaves the instruction to JavaScript unless the i64 target on the stack is below 2^32; keeps it in L_T. */
  private checkTarget(): void {
    this.tee(L_T);
    this.i64(32);
    this.op(W.i64_shr_u);
    this.op(W.i64_eqz, W.i32_eqz);
    this.toJsIf();
  }

  /** jal and c.j (link null): the target is pc + imm. */
  private jal(link: Reg | null, imm: Imm, len: 2 | 4): void {
    this.pc64();
    this.imm64(imm);
    this.op(W.i64_add);
    this.checkTarget();
    if (link !== null) this.setReg(link, () => this.pc64(len));
    this.get(L_T);
    this.op(W.i32_wrap_i64);
    this.set(P_PC);
    this.blockStart();
  }

  /** jalr, c.jr and c.jalr: the target is (base + imm) with bit 0 cleared; base is read before the link is written. */
  private jalr(link: Reg | null, base: Reg, imm: Imm | null, len: 2 | 4): void {
    this.reg(base);
    if (imm !== null) {
      this.imm64(imm);
      this.op(W.i64_add);
    }
    this.checkTarget();
    if (link !== null) this.setReg(link, () => this.pc64(len));
    this.get(L_T);
    this.op(W.i32_wrap_i64);
    this.i32(-2);
    this.op(W.i32_and);
    this.set(P_PC);
    this.blockStart();
  }

  /** A conditional branch: rs2 null compares with zero (c.beqz, c.bnez). */
  private branch(cmp: W, rs1: Reg, rs2: Reg | null, imm: Imm, len: 2 | 4): void {
    this.reg(rs1);
    if (rs2 === null) this.i64(0);
    else this.reg(rs2);
    this.op(cmp);
    this.ifThen();
    this.pc64();
    this.imm64(imm);
    this.op(W.i64_add);
    this.checkTarget();
    this.get(L_T);
    this.op(W.i32_wrap_i64);
    this.set(P_PC);
    this.elseThen();
    this.get(P_PC);
    this.i32(len);
    this.op(W.i32_add);
    this.set(P_PC);
    this.endIf();
    this.blockStart();
  }

  /** A division of OP (i64) or OP-32 (w form). */
  private division(op: Op, word: boolean): void {
    const [p, q] = word ? [L_PW, L_QW] : [L_P, L_Q];
    for (const [r, l] of [[RS1, p], [RS2, q]] as const) {
      if (word) this.reg32(r);
      else this.reg(r);
      this.set(l);
    }
    this.setReg(RD, () => {
      divide(this, op, p, q);
      if (word) this.op(W.i64_extend_i32_s);
    });
    this.next(4);
  }

  /** With an i32 on the stack: runs `then` when it equals v (its code must leave). */
  private when(v: number, then: () => void): void {
    this.i32(v);
    this.op(W.i32_eq);
    this.ifThen();
    then();
    this.endIf();
  }

  /** Pushes funct7 (bits 31:25). */
  private funct7(): void {
    this.get(L_INSN);
    this.i32(25);
    this.op(W.i32_shr_u);
  }

  // ---- FP ----

  /**
   *   block $fpu
   *     fast paths: each either runs the instruction (and goes on to the next) or leaves
   *   end
   *   the FPU, called with the instruction's bits (it traps on an illegal one, as the JavaScript
   *   interpreter would)
   */
  private fpCase(fast: () => void): void {
    this.op(W.block, T.void);
    this.depth++;
    this.fpuDepth = this.depth;
    fast();
    this.op(W.end);
    this.depth--;
    this.get(P_H);
    this.get(L_INSN);
    this.i32(FP_INSN_INDEX);
    this.op(W.call_indirect, T_FP_INSN, 0);
    this.op(W.i32_eqz);
    this.ifThen();
    this.finish(-Exit.Illegal);
    this.endIf();
    this.next(4);
  }

  /** With an i32 condition on the stack: to the FPU when it holds. */
  private toFpuIf(): void {
    this.op(W.br_if);
    uleb(this.out, this.depth - this.fpuDepth);
  }

  /** Fresh f64 locals for one fast path (a, b, c, r and its scratch). */
  private fpLocals(): FastLocals {
    let used = 0;
    const temp = (type: T) => {
      if (type !== T.f64) throw new Error("the interpreter's FP fast paths have f64 scratch locals only");
      this.f64Locals = Math.max(this.f64Locals, used + 1);
      return F64_BASE + used++;
    };
    return { a: temp(T.f64), b: temp(T.f64), c: temp(T.f64), r: temp(T.f64), temp };
  }

  /** Pushes the rounding mode in effect: funct3, or frm (fcsr bits 7:5) when funct3 is 7 (dynamic). */
  private roundingMode(): void {
    this.get(P_REGS);
    this.access(W.i32_load, REGS_FCSR);
    this.i32(5);
    this.op(W.i32_shr_u);
    this.i32(7);
    this.op(W.i32_and);
    this.bits(14, 12);
    this.tee(L_K);
    this.get(L_K);
    this.i32(7);
    this.op(W.i32_eq, W.select);
  }

  /** To the FPU unless the rounding mode is round-to-nearest-even, the only one the arithmetic fast paths round in. */
  private nearestOrFpu(): void {
    this.roundingMode();
    this.toFpuIf();
  }

  /** Pushes the double in FP register r. */
  private fReg(r: Reg): void {
    this.regAddress(r);
    this.access(W.f64_load, r.add + REGS_F);
  }

  /** Writes the f64 that `value` pushes to FP register r, and goes on to the next instruction. */
  private setFReg(r: Reg, value: () => void): void {
    this.regAddress(r);
    value();
    this.access(W.f64_store, r.add + REGS_F);
    this.next(4);
  }

  /** Pushes the i32 condition that the instruction's bit `bit` is set. */
  private bitSet(bit: number): void {
    this.get(L_INSN);
    this.i32(1 << bit);
    this.op(W.i32_and);
  }

  /**
   * FMADD, FMSUB, FNMSUB, FNMADD with funct3 0 or 7 (one case for all): the .d forms rounding to
   * nearest. Bit 3 of the opcode negates the product (through a) and bit 2 the addend, as fpu.ts
   * does for fnmsub and fnmadd, and fmsub and fnmadd.
   */
  private fusedD(): void {
    // fmt (bits 26:25) 1: double.
    this.bits(26, 25);
    this.i32(1);
    this.op(W.i32_ne);
    this.toFpuIf();
    this.nearestOrFpu();
    const l = this.fpLocals();
    for (const [r, local, negateBit] of [[RS1, l.a, 3], [RS2, l.b, -1], [RS3, l.c, 2]] as const) {
      this.fReg(r);
      if (negateBit >= 0) {
        this.tee(local);
        this.op(W.f64_neg);
        this.get(local);
        this.bitSet(negateBit);
        this.op(W.select);
      }
      this.set(local);
    }
    fmaFast(this, l);
    this.setFReg(RD, () => this.get(l.r));
  }

  /**
   * OP-FP (one case for every funct3): a fast path for each funct7 (in L_W) that has one. A fast
   * path that gives up leaves its `if`; no other funct7 matches, and the FPU is called.
   */
  private opFp(): void {
    this.funct7();
    this.set(L_W);
    const arithmetic = (f7: number, fast: (w: CodeWriter, l: FastLocals, known: boolean) => void, negateB = false) => {
      this.get(L_W);
      this.when(f7, () => {
        this.nearestOrFpu();
        const l = this.fpLocals();
        this.fReg(RS1);
        this.set(l.a);
        this.fReg(RS2);
        if (negateB) this.op(W.f64_neg);
        this.set(l.b);
        // NX once raised stays: what only decides NX is skipped while it is set (fp-inline.ts).
        fast(this, l, true);
        this.setFReg(RD, () => this.get(l.r));
      });
    };
    /** Runs `then` when funct7 is f7 and funct3 below `below`, else goes on. */
    const withFunct3 = (f7: number, below: number, then: () => void) => {
      this.get(L_W);
      this.when(f7, () => {
        this.bits(14, 12);
        this.tee(L_K);
        this.i32(below);
        this.op(W.i32_ge_u);
        this.toFpuIf();
        then();
      });
    };
    /** Pushes whether register r holds a NaN, keeping its value in `local`. */
    const isNaN = (r: Reg, local: number) => {
      this.fReg(r);
      this.tee(local);
      this.get(local);
      this.op(W.f64_ne);
    };
    // Most often first.
    arithmetic(0x09, mulFast);
    arithmetic(0x01, addFast);
    arithmetic(0x05, addFast, true);
    // fsgnj.d, fsgnjn.d, fsgnjx.d (funct3 0–2): rs1's bits with the sign of rs2, its opposite, or
    // the two signs' xor: a ^ ((a ^ b) & sign), a ^ (((a ^ b) & sign) ^ sign), a ^ (b & sign).
    withFunct3(0x11, 3, () => {
      this.setReg(F(RD), () => {
        this.reg(F(RS1));
        // The sign's source: b (fsgnjx), else a ^ b.
        this.reg(F(RS2));
        this.reg(F(RS1));
        this.reg(F(RS2));
        this.op(W.i64_xor);
        this.get(L_K);
        this.i32(2);
        this.op(W.i32_eq, W.select);
        this.i64(-(2 ** 63));
        this.op(W.i64_and);
        // fsgnjn flips it.
        this.i64(-(2 ** 63));
        this.i64(0);
        this.get(L_K);
        this.i32(1);
        this.op(W.i32_eq, W.select, W.i64_xor, W.i64_xor);
      });
      this.next(4);
    });
    arithmetic(0x0d, divFast);
    // feq.d (funct3 2), flt.d (1), fle.d (0) of two numbers (with a NaN they raise flags: the FPU's).
    withFunct3(0x51, 3, () => {
      const l = this.fpLocals();
      isNaN(RS1, l.a);
      isNaN(RS2, l.b);
      this.op(W.i32_or);
      this.toFpuIf();
      this.setReg(RD, () => {
        for (const cmp of [W.f64_eq, W.f64_lt, W.f64_le]) {
          this.get(l.a);
          this.get(l.b);
          this.op(cmp);
        }
        // select(x, y, c) is c ? x : y: funct3 1 ? lt : le, then funct3 2 ? eq : that.
        for (const f3 of [1, 2]) {
          this.get(L_K);
          this.i32(f3);
          this.op(W.i32_eq, W.select);
        }
        this.op(W.i64_extend_i32_u);
      });
      this.next(4);
    });
    // fmin.d (funct3 0), fmax.d (1) of two numbers: WebAssembly's min and max order −0 below +0, as RISC-V does.
    withFunct3(0x15, 2, () => {
      const l = this.fpLocals();
      isNaN(RS1, l.a);
      isNaN(RS2, l.b);
      this.op(W.i32_or);
      this.toFpuIf();
      this.setFReg(RD, () => {
        this.get(l.a);
        this.get(l.b);
        this.op(W.f64_max);
        this.get(l.a);
        this.get(l.b);
        this.op(W.f64_min);
        this.get(L_K);
        this.op(W.select);
      });
    });
    // fmv.x.d (funct3 0) and fclass.d (1), rs2 0.
    withFunct3(0x71, 2, () => {
      this.bits(24, 20);
      this.toFpuIf();
      this.setReg(RD, () => {
        this.reg(F(RS1));
        this.set(L_E);
        this.get(L_K);
        this.op(W.if, T.i64);
        classifyD(this, L_E);
        this.op(W.i64_extend_i32_u, W.else);
        this.get(L_E);
        this.op(W.end);
      });
      this.next(4);
    });
    // fmv.d.x: funct3 0, rs2 0.
    withFunct3(0x79, 1, () => {
      this.bits(24, 20);
      this.toFpuIf();
      this.setReg(F(RD), () => this.reg(RS1));
      this.next(4);
    });
    // fcvt.d.w, .wu (always exact), .l, .lu (exact up to 2^53 in magnitude), rs2 0–3: any rounding
    // mode but a reserved one (funct3 5 or 6, or 7 with frm 5–7), which the FPU traps on.
    this.get(L_W);
    this.when(0x69, () => {
      this.roundingMode();
      this.i32(5);
      this.op(W.i32_ge_u);
      this.toFpuIf();
      this.bits(24, 20);
      this.tee(L_K);
      this.i32(4);
      this.op(W.i32_ge_u);
      this.toFpuIf();
      [W.f64_convert_i32_s, W.f64_convert_i32_u].forEach((convert, kind) => {
        this.get(L_K);
        this.when(kind, () =>
          this.setFReg(RD, () => {
            this.reg32(RS1);
            this.op(convert);
          }),
        );
      });
      this.reg(RS1);
      this.set(L_E);
      // .l: exact when x + 2^53 is in [0, 2^54] (unsigned); .lu when x ≤ 2^53.
      this.get(L_K);
      this.when(2, () => {
        this.get(L_E);
        this.i64(2 ** 53);
        this.op(W.i64_add);
        this.i64(2 ** 54);
        this.op(W.i64_gt_u);
        this.toFpuIf();
        this.setFReg(RD, () => {
          this.get(L_E);
          this.op(W.f64_convert_i64_s);
        });
      });
      this.get(L_E);
      this.i64(2 ** 53);
      this.op(W.i64_gt_u);
      this.toFpuIf();
      this.setFReg(RD, () => {
        this.get(L_E);
        this.op(W.f64_convert_i64_u);
      });
    });
  }

  // ---- the cases ----

  private on(indexes: number | number[], emit: () => void): void {
    this.cases.push({ indexes: typeof indexes === "number" ? [indexes] : indexes, emit });
  }

  private define(): void {
    const imm = (i: Imm) => () => this.imm64(i);
    const shamt = (mask: number) => () => {
      this.bits(25, 20);
      this.i32(mask);
      this.op(W.i32_and);
      this.op(W.i64_extend_i32_u);
    };
    const rs2 = () => this.reg(RS2);
    const rs2w = () => this.reg32(RS2);
    const all8 = (m: number) => [0, 1, 2, 3, 4, 5, 6, 7].map((f3) => major(m, f3));

    // ---- 32-bit ----
    for (let f3 = 0; f3 < 7; f3++) this.on(major(0x00, f3), () => this.load(f3, RD, RS1, "I", 4));
    for (let f3 = 0; f3 < 4; f3++) this.on(major(0x08, f3), () => this.store(f3, RS1, RS2, "S", 4));
    for (const f3 of [2, 3] as const) {
      this.on(major(0x01, f3), () => this.fpLoad(f3, F(RD), RS1, "I", 4));
      this.on(major(0x09, f3), () => this.fpStore(f3, RS1, F(RS2), "S", 4));
    }
    // FP arithmetic (OP-FP and the four fused forms, by funct3): the double-precision operations
    // programs use most in line where they are exact (fp-inline.ts, as regions have them), the
    // rest called out to the FPU with the instruction's bits.
    const fused = (f3s: number[]) => [0x10, 0x11, 0x12, 0x13].flatMap((m) => f3s.map((f3) => major(m, f3)));
    this.on(fused([0, 7]), () => this.fpCase(() => this.fusedD()));
    this.on(fused([1, 2, 3, 4, 5, 6]), () => this.fpCase(() => {}));
    this.on(all8(0x14), () => this.fpCase(() => this.opFp()));
    // MISC-MEM: fence and fence.i; stores to code drop its decoded form, so nothing to do.
    this.on([major(0x03, 0), major(0x03, 1)], () => this.next(4));
    this.on(all8(0x0d), () => {
      this.setReg(RD, imm("U"));
      this.next(4);
    });
    this.on(all8(0x05), () => {
      this.setReg(RD, () => {
        this.pc64();
        this.imm64("U");
        this.op(W.i64_add);
      });
      this.next(4);
    });
    for (const f3 of [0, 2, 3, 4, 6, 7]) this.on(major(0x04, f3), () => this.alu(OP_BASE[f3], RD, RS1, imm("I"), 4));
    this.on(major(0x04, 1), () => {
      this.get(L_INSN);
      this.i32(26);
      this.op(W.i32_shr_u);
      this.toJsIf();
      this.alu(W.i64_shl, RD, RS1, shamt(63), 4);
    });
    this.on(major(0x04, 5), () => {
      this.get(L_INSN);
      this.i32(26);
      this.op(W.i32_shr_u);
      this.set(L_W);
      this.get(L_W);
      this.when(0, () => this.alu(W.i64_shr_u, RD, RS1, shamt(63), 4));
      this.get(L_W);
      this.when(0x10, () => this.alu(W.i64_shr_s, RD, RS1, shamt(63), 4));
      this.toJs();
    });
    this.on(major(0x06, 0), () => this.aluW(W.i32_add, RD, RS1, () => this.imm32("I"), 4));
    const shamtW = () => {
      this.bits(24, 20);
    };
    this.on(major(0x06, 1), () => {
      this.funct7();
      this.toJsIf();
      this.aluW(W.i32_shl, RD, RS1, shamtW, 4);
    });
    this.on(major(0x06, 5), () => {
      this.funct7();
      this.set(L_W);
      this.get(L_W);
      this.when(0, () => this.aluW(W.i32_shr_u, RD, RS1, shamtW, 4));
      this.get(L_W);
      this.when(0x20, () => this.aluW(W.i32_shr_s, RD, RS1, shamtW, 4));
      this.toJs();
    });
    for (let f3 = 0; f3 < 8; f3++) {
      this.on(major(0x0c, f3), () => {
        this.funct7();
        this.set(L_W);
        this.get(L_W);
        this.when(0, () => this.alu(OP_BASE[f3], RD, RS1, rs2, 4));
        if (f3 === 0 || f3 >= 4) {
          this.get(L_W);
          this.when(1, () => (f3 === 0 ? this.alu(W.i64_mul, RD, RS1, rs2, 4) : this.division(DIV_OPS[f3 - 4], false)));
        }
        if (f3 === 0 || f3 === 5) {
          this.get(L_W);
          this.when(0x20, () => this.alu(f3 === 0 ? W.i64_sub : W.i64_shr_s, RD, RS1, rs2, 4));
        }
        this.toJs();
      });
    }
    // OP-32: funct3 → the operation for funct7 0, whether funct7 1 (mulw, the w divisions) has one, the one for 0x20.
    const op32: [number, W | null, boolean, W | null][] = [
      [0, W.i32_add, true, W.i32_sub],
      [1, W.i32_shl, false, null],
      [4, null, true, null],
      [5, W.i32_shr_u, true, W.i32_shr_s],
      [6, null, true, null],
      [7, null, true, null],
    ];
    for (const [f3, base, m, alt] of op32) {
      this.on(major(0x0e, f3), () => {
        this.funct7();
        this.set(L_W);
        if (base !== null) {
          this.get(L_W);
          this.when(0, () => this.aluW(base, RD, RS1, rs2w, 4));
        }
        if (m) {
          this.get(L_W);
          this.when(1, () => (f3 === 0 ? this.aluW(W.i32_mul, RD, RS1, rs2w, 4) : this.division(DIVW_OPS[f3 - 4], true)));
        }
        if (alt !== null) {
          this.get(L_W);
          this.when(0x20, () => this.aluW(alt, RD, RS1, rs2w, 4));
        }
        this.toJs();
      });
    }
    BRANCHES.forEach((cmp, f3) => {
      if (cmp !== null) this.on(major(0x18, f3), () => this.branch(cmp, RS1, RS2, B_IMM, 4));
    });
    this.on(major(0x19, 0), () => this.jalr(RD, RS1, "I", 4));
    this.on(all8(0x1b), () => this.jal(RD, J_IMM, 4));
    this.on(major(0x1c, 0), () => {
      this.get(L_INSN);
      this.when(0x00000073, () => this.finish(-Exit.Ecall, true));
      this.toJs();
    });

    // ---- 16-bit: quadrant 0 ----
    this.on(compressed(0, 0), () => {
      this.imm32(C_ADDI4SPN);
      this.tee(L_W);
      this.op(W.i32_eqz);
      this.toJsIf();
      this.setReg(C_R42, () => {
        this.reg(SP);
        this.get(L_W);
        this.op(W.i64_extend_i32_u, W.i64_add);
      });
      this.next(2);
    });
    this.on(compressed(0, 1), () => this.fpLoad(3, F(C_R42), C_R97, C_LD, 2));
    this.on(compressed(0, 5), () => this.fpStore(3, C_R97, F(C_R42), C_LD, 2));
    this.on(compressed(0, 2), () => this.load(2, C_R42, C_R97, C_LW, 2));
    this.on(compressed(0, 3), () => this.load(3, C_R42, C_R97, C_LD, 2));
    this.on(compressed(0, 6), () => this.store(2, C_R97, C_R42, C_LW, 2));
    this.on(compressed(0, 7), () => this.store(3, C_R97, C_R42, C_LD, 2));
    // ---- quadrant 1 ----
    const rdIsZero = () => {
      this.bits(11, 7);
      this.op(W.i32_eqz);
    };
    this.on(compressed(1, 0), () => this.alu(W.i64_add, RD, RD, imm(C_IMM6), 2));
    this.on(compressed(1, 1), () => {
      rdIsZero();
      this.toJsIf();
      this.aluW(W.i32_add, RD, RD, () => this.imm32(C_IMM6), 2);
    });
    this.on(compressed(1, 2), () => {
      this.setReg(RD, imm(C_IMM6));
      this.next(2);
    });
    this.on(compressed(1, 3), () => {
      this.bits(11, 7);
      this.when(2, () => {
        this.imm32(C_ADDI16SP);
        this.op(W.i32_eqz);
        this.toJsIf();
        this.alu(W.i64_add, SP, SP, imm(C_ADDI16SP), 2);
      });
      this.imm32(C_LUI);
      this.op(W.i32_eqz);
      this.toJsIf();
      this.setReg(RD, imm(C_LUI));
      this.next(2);
    });
    this.on(compressed(1, 4), () => {
      const p2 = () => this.reg(C_R42);
      this.bits(11, 10);
      this.set(L_W);
      this.get(L_W);
      this.when(0, () => this.alu(W.i64_shr_u, C_R97, C_R97, imm(C_SHAMT), 2));
      this.get(L_W);
      this.when(1, () => this.alu(W.i64_shr_s, C_R97, C_R97, imm(C_SHAMT), 2));
      this.get(L_W);
      this.when(2, () => this.alu(W.i64_and, C_R97, C_R97, imm(C_IMM6), 2));
      // Bits 11:10 = 3: bit 12 and bits 6:5 choose.
      this.bits(12, 12);
      this.i32(2);
      this.op(W.i32_shl);
      this.bits(6, 5);
      this.op(W.i32_or);
      this.set(L_W);
      [W.i64_sub, W.i64_xor, W.i64_or, W.i64_and].forEach((opcode, f2) => {
        this.get(L_W);
        this.when(f2, () => this.alu(opcode, C_R97, C_R97, p2, 2));
      });
      [W.i32_sub, W.i32_add].forEach((opcode, f2) => {
        this.get(L_W);
        this.when(4 + f2, () => this.aluW(opcode, C_R97, C_R97, () => this.reg32(C_R42), 2));
      });
      this.toJs();
    });
    this.on(compressed(1, 5), () => this.jal(null, C_J, 2));
    this.on(compressed(1, 6), () => this.branch(W.i64_eq, C_R97, null, C_B, 2));
    this.on(compressed(1, 7), () => this.branch(W.i64_ne, C_R97, null, C_B, 2));
    // ---- quadrant 2 ----
    this.on(compressed(2, 0), () => this.alu(W.i64_shl, RD, RD, imm(C_SHAMT), 2));
    this.on(compressed(2, 1), () => this.fpLoad(3, F(RD), SP, C_LDSP, 2));
    this.on(compressed(2, 5), () => this.fpStore(3, SP, F(C_RS2), C_SDSP, 2));
    this.on(compressed(2, 2), () => {
      rdIsZero();
      this.toJsIf();
      this.load(2, RD, SP, C_LWSP, 2);
    });
    this.on(compressed(2, 3), () => {
      rdIsZero();
      this.toJsIf();
      this.load(3, RD, SP, C_LDSP, 2);
    });
    this.on(compressed(2, 4), () => {
      // Bit 12 clear: c.mv (rs2 ≠ 0) or c.jr (rd ≠ 0); set: c.add (rs2 ≠ 0), c.jalr (rd ≠ 0) or c.ebreak.
      this.bits(12, 12);
      this.op(W.i32_eqz);
      this.ifThen();
      this.bits(6, 2);
      this.ifThen();
      this.setReg(RD, () => this.reg(C_RS2));
      this.next(2);
      this.endIf();
      rdIsZero();
      this.toJsIf();
      this.jalr(null, RD, null, 2);
      this.endIf();
      this.bits(6, 2);
      this.ifThen();
      this.alu(W.i64_add, RD, RD, () => this.reg(C_RS2), 2);
      this.endIf();
      rdIsZero();
      this.toJsIf();
      this.jalr(RA, RD, null, 2);
    });
    this.on(compressed(2, 6), () => this.store(2, SP, C_RS2, C_SWSP, 2));
    this.on(compressed(2, 7), () => this.store(3, SP, C_RS2, C_SDSP, 2));
  }

  // ---- the function ----

  /**
   *   loop $block    block start: enter a region, or count heat
   *     loop $fetch  the budget, the fetch, the dispatch index
   *       block $next4
   *         block $next2
   *           block $exit
   *             block $c(N−1) … block $c0
   *               br_table on the index: a case, or $exit
   *             end $c0   case 0 … end $c(N−1)   case N−1
   *           end $exit   REGION_INTERPRET at pc
   *         end $next2    pc += 2, count, round $fetch
   *       end $next4      pc += 4, count, round $fetch
   */
  function(): number[] {
    const N = this.cases.length;
    this.op(W.loop, T.void); // $block
    this.regionOrHeat();
    this.op(W.loop, T.void); // $fetch
    this.get(P_N);
    this.get(P_BUDGET);
    this.op(W.i32_ge_s, W.if, T.void);
    this.finish(REGION_GO);
    this.op(W.end);
    // The pc's page is executable: checked at every block start and where a step enters a page.
    // Four bytes read even for a 16-bit instruction at a page's end: the memory goes on (the
    // reserved pages are never executable), and only the low half is used then.
    this.get(P_PC);
    this.access(W.i32_load, 0);
    this.tee(L_INSN);
    this.i32(3);
    this.op(W.i32_and);
    this.i32(3);
    this.op(W.i32_eq, W.if, T.i32);
    this.get(P_PC);
    this.i32(4095);
    this.op(W.i32_and);
    this.i32(4094);
    this.op(W.i32_eq, W.if, T.void);
    this.finish(REGION_INTERPRET); // it crosses the page: the JavaScript interpreter checks the next one
    this.op(W.end);
    this.bits(6, 2);
    this.i32(3);
    this.op(W.i32_shl);
    this.bits(14, 12);
    this.op(W.i32_or);
    this.op(W.else);
    this.get(L_INSN);
    this.i32(3);
    this.op(W.i32_and);
    this.i32(3);
    this.op(W.i32_shl);
    this.bits(15, 13);
    this.op(W.i32_or);
    this.i32(256);
    this.op(W.i32_add);
    this.op(W.end);
    this.set(L_SEL);
    this.op(W.block, T.void); // $next4
    this.op(W.block, T.void); // $next2
    this.op(W.block, T.void); // $exit
    for (let c = 0; c < N; c++) this.op(W.block, T.void);
    const caseOf = new Array<number>(INDEXES).fill(N);
    this.cases.forEach(({ indexes }, c) => indexes.forEach((i) => (caseOf[i] = c)));
    this.get(L_SEL);
    this.op(W.br_table);
    uleb(this.out, INDEXES);
    for (const c of caseOf) uleb(this.out, c);
    uleb(this.out, N);
    for (let c = 0; c < N; c++) {
      this.op(W.end);
      this.k = c;
      this.depth = 0;
      this.cases[c].emit();
      if (this.depth !== 0) throw new Error(`interpreter case ${c} left ${this.depth} blocks open`);
    }
    this.op(W.end); // $exit
    this.finish(REGION_INTERPRET);
    this.op(W.end); // $next2
    this.step(2, 1);
    this.op(W.end); // $next4
    this.step(4, 0);
    this.op(W.end); // $fetch
    this.op(W.end); // $block
    this.op(W.unreachable);
    return this.out;
  }

  /** pc += len, count one, round $fetch (at label depth `fetch`); a step into the next page checks it. */
  private step(len: number, fetch: number): void {
    this.get(P_PC);
    this.i32(len);
    this.op(W.i32_add);
    this.tee(P_PC);
    this.get(P_N);
    this.i32(1);
    this.op(W.i32_add);
    this.set(P_N);
    this.i32(4095);
    this.op(W.i32_and);
    this.i32(len);
    this.op(W.i32_lt_u, W.if, T.void);
    // After the budget, as the fetch would have checked them: a spent budget still ends in REGION_GO.
    this.get(P_N);
    this.get(P_BUDGET);
    this.op(W.i32_lt_s, W.if, T.void);
    this.leaveUnlessExecutable();
    this.op(W.end, W.end);
    this.br(fetch);
  }

  /** Returns REGION_INTERPRET at pc unless its page is executable (the JavaScript interpreter reports the fault). */
  private leaveUnlessExecutable(): void {
    this.get(P_PC);
    pagePermissions(this);
    this.i32(PROT_EXEC);
    this.op(W.i32_and, W.i32_eqz, W.if, T.void);
    this.finish(REGION_INTERPRET);
    this.op(W.end);
  }

  /** At a block start: the region indexed at pc, while budget is left for one; else the pc's heat. */
  private regionOrHeat(): void {
    this.get(P_BUDGET);
    this.get(P_N);
    this.op(W.i32_sub);
    this.i32(MAX_BLOCK);
    this.op(W.i32_gt_s, W.if, T.void);
    lookupRegion(this, { pc: P_PC, index: L_IDX, slot: L_SLOT, at: L_AT, probe: L_PROBE });
    this.get(L_IDX);
    this.op(W.if, T.void);
    callRegion(this, { h: P_H, pc: P_PC, n: P_N, budget: P_BUDGET, regs: P_REGS }, L_IDX);
    this.br(2); // $block
    this.op(W.end);
    this.op(W.end);
    // Code in a page that is not executable is not counted (nor compiled), nor run.
    this.leaveUnlessExecutable();
    // The heat: a 16-bit count. It may start anywhere (code at the same addresses ran before, or
    // another pc shares the counter), so a count at or above the threshold is hot.
    this.get(P_PC);
    this.i32(HEAT_MULTIPLIER);
    this.op(W.i32_mul);
    this.i32(16);
    this.op(W.i32_shr_u);
    this.i32(1);
    this.op(W.i32_shl);
    this.tee(L_AT);
    this.get(L_AT);
    this.access(W.i32_load16_u, HEAT_BASE);
    this.i32(1);
    this.op(W.i32_add);
    this.tee(L_W);
    this.access(W.i32_store16, HEAT_BASE);
    this.get(L_W);
    this.i32(0);
    this.access(W.i32_load, HEAT_THRESHOLD);
    this.op(W.i32_ge_u, W.if, T.void);
    // Hot: counted again from 0 (the JavaScript side compiles the region, or leaves the block to
    // its own interpreter if none can be compiled there).
    this.get(L_AT);
    this.i32(0);
    this.access(W.i32_store16, HEAT_BASE);
    this.finish(REGION_HOT);
    this.op(W.end);
  }
}

/**
 * The interpreter's module as bytes, made by the generator above. What rvtrace loads is the copy
 * in interpreter-wasm.ts (tools/gen-wasm-interpreter.mjs writes it, and test/cpu/wasm-interpreter
 * checks it is current): generating it takes V8, still cold at start-up, some 10 ms.
 */
export function interpreterBytes(): Uint8Array<ArrayBuffer> {
  const gen = new InterpreterGen();
  const body = gen.function();
  const types = [REGION_TYPES[0], REGION_TYPES[4]];
  const locals = [...LOCALS, ...new Array<T>(gen.f64Locals).fill(T.f64)];
  return moduleBytes({ types, memoryPages: 65536, table: true, imports: [], func: { type: 0, locals, body } });
}

let module: WebAssembly.Module | null = null;

/** The interpreter's module (compiled once per process): it imports an address space's memory and its region table, as the dispatcher does. */
export function interpreterModule(): WebAssembly.Module {
  return (module ??= new WebAssembly.Module(Buffer.from(INTERPRETER_WASM, "base64")));
}
