// The compiled tier's WebAssembly back end: a region (region-plan.ts) becomes a module with one
// function, which V8 compiles with Liftoff in microseconds and tiers up to TurboFan when it stays
// hot (JavaScript regions cost TurboFan ~60 µs per guest instruction: docs/performance.md).
//
// The function behaves exactly as a JavaScript region does (jit.ts says what that is): same
// entries, same exits, same count. What differs is where things are:
// - the guest's memory is the module's memory (the address space's WebAssembly.Memory), so loads
//   and stores go straight to it, after the same checks as the JavaScript tier's: below 4 GiB,
//   within one page, and the page's permission byte, read from the table in the memory's last MiB;
// - the registers are in the hart's register slot in that memory (hart.ts, address `regs`): the
//   function's prologue reads each one the region uses into a local (i64, or f64 for the FP
//   registers), and every write goes through to the slot at once, so every exit, and every call
//   out to JavaScript, sees the interpreter's state (a call out that writes a register is
//   followed by a read of it);
// - the count and the exit code go to the slot's state words, and the pc is the result.
//
// Control flow. The blocks are the cases of a loop around a br_table on the pc: a jump to a later
// block of the region is a plain branch to it, a jump back or through a register goes round the
// loop, and any other pc leaves it.
//
//   loop $L
//     block $X
//       block $B(K-1) … block $B0
//         br_table on (pc − first leader's pc) / 2: leader → its $B, else $X
//       end $B0   case 0 …
//       end $B1   case 1 …
//     end $B(K-1) case K−1
//   end $X   store count and code, return pc
import { Exit, REGS_F, REGS_FCSR, type Hart } from "../hart.js";
import { Op } from "../ops.js";
import { REGION_GO, REGION_INTERPRET, type CodePage, type RegionFn } from "../code-cache.js";
import { decodeFp, execFp, fpOpWritesX, FpOp } from "../fpu.js";
import { csr, mulHigh } from "../alu.js";
import { blockExtent, slotInsn, stopsForInterpreter, type RegionPlan } from "../region-plan.js";
import { destinationWord, X0_SINK } from "../decode.js";
import type { AddressSpace } from "../../mem/address-space.js";
import { CodeWriter, moduleBytes, reexportBytes, T, W, uleb } from "./encode.js";
import { addFast, classifyD, divFast, fmaFast, mulFast } from "./fp-inline.js";
import { accessFails, divide, DIVISIONS, returnAsRegion } from "./emit.js";

// Parameters and fixed locals of the region function.
const P_H = 0; // the hart (externref), for calls out
const P_PC = 1; // the entry pc; then the pc to dispatch on or to leave at
const P_N = 2; // instructions counted so far in this run()
const P_BUDGET = 3;
const P_REGS = 4; // the register slot's address
const FIRST_LOCAL = 5; // locals are numbered after the parameters
const L_K = FIRST_LOCAL; // instructions of the current block done when leaving in its middle
const L_CODE = FIRST_LOCAL + 1; // REGION_GO, REGION_INTERPRET or −Exit

// The calls out, through a function table of the helpers below at these indexes: imported functions
// would cost every module ~150 µs more to compile (V8 compiles its JS-call wrappers per module), an
// imported table almost nothing (it is never written after it is made, which would update every
// instance importing it).
const HELPER_FP = 0;
const HELPER_CSR = 1;
const HELPER_MULH = 2;
const HELPER_FP_INSN = 3;

const T_REGION = 0;
const T_FP = 1;
const T_CSR = 2;
const T_MULH = 3;
export const REGION_TYPES = [
  { params: [T.externref, T.i32, T.i32, T.i32, T.i32], results: [T.i32] }, // the region
  { params: [T.externref, T.i32, T.i32], results: [T.i32] }, // fp(h, op, raw)
  { params: [T.externref, T.i32, T.i32, T.i32, T.i32, T.i32], results: [T.i32] }, // csr(h, rd, rs1, imm, n, raw)
  { params: [T.externref, T.i32, T.i32, T.i32, T.i32], results: [] }, // mulh(h, op, rd, rs1, rs2)
  { params: [T.externref, T.i32], results: [T.i32] }, // fpInsn(h, raw): the WebAssembly interpreter's
];

/** Calls of the FPU helper from regions so far (tests check that what runs in line does). */
let fpHelperCalls = 0;
export function regionFpHelperCalls(): number {
  return fpHelperCalls;
}

/** The calls out: what a region cannot do in WebAssembly. A false result leaves the trap value set. */
const helpers = {
  fp(h: Hart, op: number, raw: number): number {
    fpHelperCalls++;
    if (execFp(h, op, raw)) return 1;
    h.trapValue = raw;
    return 0;
  },
  csr(h: Hart, rd: number, rs1: number, imm: number, n: number, raw: number): number {
    if (csr(h, rd, rs1, imm, n)) return 1;
    h.trapValue = raw;
    return 0;
  },
  mulh(h: Hart, op: number, rd: number, rs1: number, rs2: number): void {
    mulHigh(h.x64, op, rd, rs1, rs2);
  },
  /** An FP computational instruction given by its bits (the WebAssembly interpreter decodes none). */
  fpInsn(h: Hart, raw: number): number {
    const op = decodeFp(raw);
    if (op >= 0 && execFp(h, op, raw)) return 1;
    h.trapValue = raw;
    return 0;
  },
};

/**
 * The helpers as WebAssembly functions (a module that imports them and exports them again), so
 * that they can go into a function table: made once per process.
 */
let helperTableMade: WebAssembly.Table | null = null;
function helperTable(): WebAssembly.Table {
  if (helperTableMade !== null) return helperTableMade;
  const bytes = reexportBytes(REGION_TYPES.slice(1), ["fp", "csr", "mulh", "fpInsn"]);
  const exported = new WebAssembly.Instance(new WebAssembly.Module(bytes), { h: helpers }).exports;
  helperTableMade = new WebAssembly.Table({ element: "anyfunc", initial: 4 });
  helperTableMade.set(HELPER_FP, exported.fp as () => unknown);
  helperTableMade.set(HELPER_CSR, exported.csr as () => unknown);
  helperTableMade.set(HELPER_MULH, exported.mulh as () => unknown);
  helperTableMade.set(HELPER_FP_INSN, exported.fpInsn as () => unknown);
  return helperTableMade;
}

/** The WebAssembly interpreter's FP helper, as a WebAssembly function (for its table: wasm/dispatch.ts). */
export function fpInsnHelper(): () => unknown {
  return helperTable().get(HELPER_FP_INSN) as () => unknown;
}

/** Compiles region `plan` of page pg to a WebAssembly function on mem's memory. */
export function compileWasmRegion(mem: AddressSpace, pg: CodePage, plan: RegionPlan): RegionFn {
  const g = new WasmGen(pg.d, pg.page * 4096, plan);
  const body = g.function();
  const bytes = moduleBytes({
    types: REGION_TYPES,
    memoryPages: 65536,
    table: true,
    imports: [],
    func: { type: T_REGION, locals: g.locals, body },
  });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { mem: mem.memory }, t: { table: helperTable() } });
  return instance.exports.r as RegionFn;
}

class WasmGen extends CodeWriter {
  /** Types of the locals after the parameters. */
  readonly locals: T[] = [T.i32, T.i32];
  /** The case (block number) of each leader slot, −1 elsewhere. */
  private readonly caseOf = new Int16Array(2048).fill(-1);
  private readonly K: number;
  /** The case being emitted, and how many `if`s deep its code is. */
  private j = 0;
  private depth = 0;
  /**
   * The i64 local of each register-file word the region uses, by word index, and the f64 local of
   * each FP register (by number, f0 … f31: an f64 local keeps a value's bits). The prologue loads
   * them all and every write goes through to the slot, so a local always equals its slot word: a
   * block need not load what an earlier block, or an earlier pass round the loop, already has.
   * (Keeping writes in the locals and storing every written register at the exit and before calls
   * out, tried: crc32 5% faster, the bash loop 5% slower, its regions left after a few blocks.)
   */
  private readonly regLocal: (number | undefined)[] = [];
  private readonly fpLocal: (number | undefined)[] = [];
  /**
   * Scratch locals by type, handed out again to each instruction (none lives past the instruction
   * that takes it). Few locals matter: TurboFan merges every local at every branch to a block.
   */
  private readonly scratchPool = new Map<T, number[]>();
  private readonly scratchUsed = new Map<T, number>();

  constructor(
    private readonly d: Int32Array,
    private readonly base: number,
    private readonly plan: RegionPlan,
  ) {
    super();
    plan.leaders.forEach((s, k) => (this.caseOf[s] = k));
    this.K = plan.leaders.length;
  }

  /** The function's body (without its final `end`): the prologue, then the loop. */
  function(): number[] {
    const loop = this.loop();
    this.regLocal.forEach((l, r) => {
      if (l === undefined) return;
      this.get(P_REGS);
      this.access(W.i64_load, r * 4);
      this.set(l);
    });
    this.fpLocal.forEach((l, f) => {
      if (l === undefined) return;
      this.get(P_REGS);
      this.access(W.f64_load, REGS_F + f * 8);
      this.set(l);
    });
    for (const b of loop) this.out.push(b);
    return this.out;
  }

  /** The loop of the cases, taken out of `out` (the prologue, which goes first, is known only after it). */
  private loop(): number[] {
    const { leaders } = this.plan;
    const K = this.K;
    this.op(W.loop, T.void);
    this.op(W.block, T.void);
    for (let k = 0; k < K; k++) this.op(W.block, T.void);
    // The dispatch, inside $B0: $Bm is at depth m, $X at K.
    const first = leaders[0];
    const last = leaders[K - 1];
    this.get(P_PC);
    this.i32(this.base + first * 2);
    this.op(W.i32_sub);
    this.i32(1);
    this.op(W.i32_shr_u);
    this.op(W.br_table);
    uleb(this.out, last - first + 1);
    for (let s = first; s <= last; s++) uleb(this.out, this.caseOf[s] >= 0 ? this.caseOf[s] : K);
    uleb(this.out, K);
    for (let k = 0; k < K; k++) {
      this.op(W.end);
      this.j = k;
      this.block(leaders[k]);
    }
    this.op(W.end); // $X
    const count = () => {
      this.get(P_N);
      this.get(L_K);
      this.op(W.i32_add);
    };
    returnAsRegion(this, P_REGS, P_PC, count, () => this.get(L_CODE));
    this.op(W.end); // $L
    this.op(W.unreachable);
    return this.out.splice(0);
  }

  // ---- emitting ----

  /** A new local of type t. */
  private newLocal(t: T): number {
    this.locals.push(t);
    return FIRST_LOCAL + this.locals.length - 1;
  }

  /** A scratch local of type t for the instruction being emitted. */
  private temp(t: T): number {
    let pool = this.scratchPool.get(t);
    if (pool === undefined) this.scratchPool.set(t, (pool = []));
    const used = this.scratchUsed.get(t) ?? 0;
    if (used === pool.length) pool.push(this.newLocal(t));
    this.scratchUsed.set(t, used + 1);
    return pool[used];
  }

  /** Calls helper `index` of type `type` with the arguments on the stack. */
  private callOut(index: number, type: number): void {
    this.i32(index);
    this.op(W.call_indirect, type, 0);
  }

  /** Opens an `if` (its code is one level deeper for branches). */
  private ifThen(): void {
    this.op(W.if, T.void);
    this.depth++;
  }

  private endIf(): void {
    this.op(W.end);
    this.depth--;
  }

  // ---- registers ----

  /** The local of register-file word r (x1 … x31), made on first use. */
  private regOf(r: number): number {
    return (this.regLocal[r] ??= this.newLocal(T.i64));
  }

  /** Pushes register-file word r's 64-bit register (word 0: x0, always 0). */
  private reg(r: number): void {
    if (r < 2) this.i64(0);
    else this.get(this.regOf(r));
  }

  /** Pushes the low 32 bits of register-file word r's register. */
  private reg32(r: number): void {
    this.reg(r);
    this.op(W.i32_wrap_i64);
  }

  /** Writes the i64 on the stack to register rd, local and slot (word 64 = x0: dropped). */
  private setReg(rd: number): void {
    if (rd === X0_SINK) {
      this.op(W.drop);
      return;
    }
    const l = this.regOf(rd);
    this.set(l);
    this.get(P_REGS);
    this.get(l);
    this.access(W.i64_store, rd * 4);
  }

  /** Writes the i32 on the stack, sign-extended, to register rd. */
  private setRegW(rd: number): void {
    this.op(W.i64_extend_i32_s);
    this.setReg(rd);
  }

  /** The f64 local of FP register f (0 … 31), made on first use. */
  private fpOf(f: number): number {
    return (this.fpLocal[f] ??= this.newLocal(T.f64));
  }

  /** Writes the f64 on the stack to FP register f, local and slot. */
  private setFp(f: number): void {
    const l = this.fpOf(f);
    this.set(l);
    this.get(P_REGS);
    this.get(l);
    this.access(W.f64_store, REGS_F + f * 8);
  }

  /** Reads FP register f's slot into its local again (a call out wrote it). */
  private reloadFp(f: number): void {
    this.get(P_REGS);
    this.access(W.f64_load, REGS_F + f * 8);
    this.set(this.fpOf(f));
  }

  /** Reads register rd's slot word into its local again (a call out wrote it; x0: nothing to do). */
  private reload(rd: number): void {
    if (rd < 2 || rd >= X0_SINK) return;
    this.get(P_REGS);
    this.access(W.i64_load, rd * 4);
    this.set(this.regOf(rd));
  }

  // ---- control ----

  /** Label depth of $X, $L and case m's start from where code is now. */
  private depthX(): number {
    return this.K - 1 - this.j + this.depth;
  }

  /** Leaves the region: `code` at `pc`, with `counted` instructions of this block done. */
  private leave(pc: number, counted: number, code: number): void {
    this.i32(pc);
    this.set(P_PC);
    if (counted !== 0) {
      this.i32(counted);
      this.set(L_K);
    }
    if (code !== 0) {
      this.i32(code);
      this.set(L_CODE);
    }
    this.br(this.depthX());
  }

  /** Adds L to the count. */
  private count(L: number): void {
    this.get(P_N);
    this.i32(L);
    this.op(W.i32_add);
    this.set(P_N);
  }

  /** Goes on at `target` (the block's count already added); as the case's last code it may fall into the next case. */
  private goto(target: number, last: boolean): void {
    const off = target - this.base;
    const m = off >= 0 && off < 4096 && (off & 1) === 0 ? this.caseOf[off >> 1] : -1;
    if (m < 0) {
      this.leave(target, 0, REGION_GO);
    } else if (m > this.j) {
      if (!(last && m === this.j + 1 && this.depth === 0)) this.br(m - this.j - 1 + this.depth);
    } else {
      this.i32(target);
      this.set(P_PC);
      this.br(this.depthX() + 1);
    }
  }

  /** Emits the case of the block starting at slot s. */
  private block(s: number): void {
    const d = this.d;
    const { slots, end, next: t } = blockExtent(d, this.base, this.plan.isLeader, s);
    const L = slots.length;
    // The block runs only if all of it fits in the budget.
    this.get(P_N);
    this.i32(L);
    this.op(W.i32_add);
    this.get(P_BUDGET);
    this.op(W.i32_gt_s);
    this.ifThen();
    this.leave(this.base + s * 2, 0, REGION_GO);
    this.endIf();
    for (let j = 0; j < L; j++) this.insn(slots[j], j, L);
    const nextPc = this.base + t * 2;
    if (end === "fall") {
      this.count(L);
      this.goto(nextPc, true);
    } else if (end === "stop") {
      this.leave(nextPc, L, stopsForInterpreter(d, t) ? REGION_INTERPRET : REGION_GO);
    }
  }

  /**
   * Pushes nothing; leaves a local with the address of an access of `size` bytes at rs1 + imm, after
   * sending the instruction to the interpreter unless the address is below 2^32, the access stays
   * in one page, and the page's permission byte passes (`store`: writable and holding no decoded
   * code; else readable).
   */
  private address(rs1: number, imm: number, size: number, store: boolean, pc: number, j: number): number {
    const a = this.temp(T.i32);
    this.reg(rs1);
    if (imm !== 0) {
      this.i64(imm);
      this.op(W.i64_add);
    }
    accessFails(this, this.temp(T.i64), a, size, store);
    this.ifThen();
    this.leave(pc, j, REGION_INTERPRET);
    this.endIf();
    return a;
  }

  /** Emits one instruction: slot s, index j in a block of L instructions. */
  private insn(s: number, j: number, L: number): void {
    const { op, rd, rs1, rs2, imm, raw, pc, next } = slotInsn(this.d, this.base, s);
    this.scratchUsed.clear();

    switch (op) {
      case Op.Li:
      case Op.Lui:
        this.i64(imm);
        this.setReg(rd);
        return;
      case Op.Mv:
        this.reg(rs1);
        this.setReg(rd);
        return;
      case Op.Auipc:
        this.i64(pc + imm);
        this.setReg(rd);
        return;
      case Op.Addi:
      case Op.Xori:
      case Op.Ori:
      case Op.Andi:
      case Op.Slli:
      case Op.Srli:
      case Op.Srai:
        this.reg(rs1);
        this.i64(imm);
        this.op(WITH_IMM[op]!);
        this.setReg(rd);
        return;
      case Op.Slti:
      case Op.Sltiu:
        this.reg(rs1);
        this.i64(imm);
        this.op(op === Op.Slti ? W.i64_lt_s : W.i64_lt_u, W.i64_extend_i32_u);
        this.setReg(rd);
        return;
      case Op.Add:
      case Op.Sub:
      case Op.Xor:
      case Op.Or:
      case Op.And:
      case Op.Sll:
      case Op.Srl:
      case Op.Sra:
      case Op.Mul:
        this.reg(rs1);
        this.reg(rs2);
        this.op(TWO_REGS[op]!);
        this.setReg(rd);
        return;
      case Op.Slt:
      case Op.Sltu:
        this.reg(rs1);
        this.reg(rs2);
        this.op(op === Op.Slt ? W.i64_lt_s : W.i64_lt_u, W.i64_extend_i32_u);
        this.setReg(rd);
        return;
      case Op.Addiw:
      case Op.Slliw:
      case Op.Srliw:
      case Op.Sraiw:
        this.reg32(rs1);
        this.i32(imm);
        this.op(WORD_WITH_IMM[op]!!);
        this.setRegW(rd);
        return;
      case Op.Addw:
      case Op.Subw:
      case Op.Sllw:
      case Op.Srlw:
      case Op.Sraw:
      case Op.Mulw:
        this.reg32(rs1);
        this.reg32(rs2);
        this.op(WORD_TWO_REGS[op]!!);
        this.setRegW(rd);
        return;
      case Op.Mulh:
      case Op.Mulhu:
      case Op.Mulhsu:
        this.get(P_H);
        this.i32(op);
        this.i32(rd >> 1);
        this.i32(rs1 >> 1);
        this.i32(rs2 >> 1);
        this.callOut(HELPER_MULH, T_MULH);
        this.reload(rd);
        return;
      case Op.Div:
      case Op.Divu:
      case Op.Rem:
      case Op.Remu:
      case Op.Divw:
      case Op.Divuw:
      case Op.Remw:
      case Op.Remuw:
        this.divide(op, rd, rs1, rs2);
        return;

      case Op.Lb:
      case Op.Lbu:
      case Op.Lh:
      case Op.Lhu:
      case Op.Lw:
      case Op.Lwu:
      case Op.Ld: {
        const [opcode, size] = LOADS[op]!;
        const at = this.address(rs1, imm, size, false, pc, j);
        if (rd === X0_SINK) return;
        this.get(at);
        this.access(opcode, 0);
        this.setReg(rd);
        return;
      }
      case Op.Flw:
      case Op.Fld: {
        const at = this.address(rs1, imm, op === Op.Flw ? 4 : 8, false, pc, j);
        this.get(at);
        if (op === Op.Flw) {
          // NaN-boxed: the upper half all ones.
          this.access(W.i64_load32_u, 0);
          this.i64(-4294967296);
          this.op(W.i64_or);
          this.op(W.f64_reinterpret_i64);
        } else {
          this.access(W.f64_load, 0);
        }
        this.setFp(rd >> 1);
        return;
      }
      case Op.Sb:
      case Op.Sh:
      case Op.Sw:
      case Op.Sd: {
        const [opcode, size] = STORES[op]!;
        const at = this.address(rs1, imm, size, true, pc, j);
        this.get(at);
        this.reg(rs2);
        this.access(opcode, 0);
        return;
      }
      case Op.Fsw:
      case Op.Fsd: {
        const at = this.address(rs1, imm, op === Op.Fsw ? 4 : 8, true, pc, j);
        this.get(at);
        this.get(this.fpOf(rs2 >> 1));
        if (op === Op.Fsw) {
          this.op(W.i64_reinterpret_f64, W.i32_wrap_i64);
          this.access(W.i32_store, 0);
        } else {
          this.access(W.f64_store, 0);
        }
        return;
      }

      case Op.Fp:
        if (this.fpInline(imm, raw, pc, j)) return;
        this.get(P_H);
        this.i32(imm);
        this.i32(raw);
        this.callOut(HELPER_FP, T_FP);
        this.op(W.i32_eqz);
        this.ifThen();
        this.leave(pc, j, -Exit.Illegal);
        this.endIf();
        if (fpOpWritesX(imm)) this.reload(((raw >>> 7) & 31) * 2);
        else this.reloadFp((raw >>> 7) & 31);
        return;

      case Op.Fence:
      case Op.FenceI:
        return;
      case Op.Csr:
        this.get(P_H);
        this.i32(rd);
        this.i32(rs1);
        this.i32(imm);
        this.get(P_N);
        this.i32(j + 1);
        this.op(W.i32_add);
        this.i32(raw);
        this.callOut(HELPER_CSR, T_CSR);
        this.op(W.i32_eqz);
        this.ifThen();
        this.leave(pc, j, -Exit.Illegal);
        this.endIf();
        this.reload(rd);
        return;

      case Op.Ecall:
        // Counted, as the interpreter counts it; the pc stays at the ecall.
        this.leave(pc, j + 1, -Exit.Ecall);
        return;
      case Op.Jal:
        if (rd !== 64) {
          this.i64(next);
          this.setReg(rd);
        }
        this.count(L);
        this.goto(pc + imm, true);
        return;
      case Op.Jalr: {
        const target = this.temp(T.i64);
        this.reg(rs1);
        if (imm !== 0) {
          this.i64(imm);
          this.op(W.i64_add);
        }
        this.tee(target);
        // A target outside the address space: the interpreter reports the fetch fault.
        this.i64(0xffffffff);
        this.op(W.i64_gt_u);
        this.ifThen();
        this.leave(pc, j, REGION_INTERPRET);
        this.endIf();
        if (rd !== 64) {
          this.i64(next);
          this.setReg(rd);
        }
        this.get(target);
        this.op(W.i32_wrap_i64);
        this.i32(-2);
        this.op(W.i32_and);
        this.set(P_PC);
        this.count(L);
        // Round the loop: the dispatch enters the target's block or leaves at it.
        this.br(this.depthX() + 1);
        return;
      }
      case Op.Beq:
      case Op.Bne:
      case Op.Blt:
      case Op.Bge:
      case Op.Bltu:
      case Op.Bgeu:
        this.count(L);
        this.reg(rs1);
        this.reg(rs2);
        this.op(BRANCHES[op]!);
        this.ifThen();
        this.goto(pc + imm, false);
        this.endIf();
        this.goto(next, true);
        return;
      default:
        // Ebreak, Illegal: the interpreter reports them.
        this.leave(pc, j, REGION_INTERPRET);
        return;
    }
  }

  /**
   * An FP operation in line, when fpInline's table has it: its fast path, and the FPU helper for
   * what the fast path leaves (a NaN, a rounding mode other than to nearest, a result out of the
   * fast range). False when the operation has no fast path (the caller calls the helper).
   *
   *   block $done
   *     block $slow   the fast path: its result to rd, br $done; or br $slow
   *     end
   *     the helper, then rd read back from the slot
   *   end
   */
  private fpInline(op: number, raw: number, pc: number, j: number): boolean {
    const rm = (raw >>> 12) & 7;
    const rounds = ROUNDING_FP.has(op);
    if (!rounds && !EXACT_FP.has(op)) return false;
    // A rounding operation's fast path rounds to nearest: a static RNE, or DYN when frm is RNE.
    if (rounds && rm !== 0 && rm !== 7) return false;
    const rd = (raw >>> 7) & 31;
    this.op(W.block, T.void); // $done
    this.depth++;
    this.op(W.block, T.void); // $slow
    this.depth++;
    // DYN: frm must be RNE for a rounding operation, and valid for a conversion (which is exact
    // but illegal under a reserved frm): RNE for both keeps it simple, the helper does the rest.
    if ((rounds || CONVERSIONS_FP.has(op)) && rm === 7) {
      this.get(P_REGS);
      this.access(W.i32_load, REGS_FCSR);
      this.i32(0xe0);
      this.op(W.i32_and, W.br_if, 0);
    }
    if (rounds) this.fpRounding(op, raw);
    else this.fpExact(op, raw);
    this.op(W.br, 1); // $done
    this.op(W.end); // $slow
    this.depth--;
    this.get(P_H);
    this.i32(op);
    this.i32(raw);
    this.callOut(HELPER_FP, T_FP);
    this.op(W.i32_eqz);
    this.ifThen();
    this.leave(pc, j, -Exit.Illegal);
    this.endIf();
    if (fpOpWritesX(op)) this.reload(rd * 2);
    else this.reloadFp(rd);
    this.op(W.end); // $done
    this.depth--;
    return true;
  }

  /**
   * fadd/fsub/fmul/fdiv.d and the fused multiply-adds rounding to nearest (fp-inline.ts); $slow at
   * depth 0. NX once raised stays, so while it is set the work that only decides it is skipped.
   */
  private fpRounding(op: number, raw: number): void {
    const rd = (raw >>> 7) & 31;
    const rs1 = (raw >>> 15) & 31;
    const rs2 = (raw >>> 20) & 31;
    const a = this.temp(T.f64);
    const b = this.temp(T.f64);
    const r = this.temp(T.f64);
    const c = this.temp(T.f64);
    const fused = op >= FMADD_D;
    this.get(this.fpOf(rs1));
    // fnmsub and fnmadd negate the product, as fpu.ts does through a.
    if (op === FNMSUB_D || op === FNMADD_D) this.op(W.f64_neg);
    this.set(a);
    this.get(this.fpOf(rs2));
    if (op === FSUB_D) this.op(W.f64_neg);
    this.set(b);
    if (fused) {
      this.get(this.fpOf(raw >>> 27));
      if (op === FMSUB_D || op === FNMADD_D) this.op(W.f64_neg);
      this.set(c);
    }
    const locals = { a, b, c, r, temp: (type: T) => this.temp(type) };
    if (fused) fmaFast(this, locals);
    else if (op === FMUL_D) mulFast(this, locals, true);
    else if (op === FDIV_D) divFast(this, locals, true);
    else addFast(this, locals, true);
    this.get(r);
    this.setFp(rd);
  }

  /**
   * The double operations that raise no flag and whose result does not depend on the rounding
   * mode: sign injection, moves and fclass (bits), conversions from integers while exact (from 64
   * bits only up to 2^53 in magnitude; beyond, to $slow), and comparisons, fmin and fmax of two
   * numbers (a NaN operand goes to $slow, at depth 0).
   */
  private fpExact(op: number, raw: number): void {
    const rd = (raw >>> 7) & 31;
    const rs1 = (raw >>> 15) & 31;
    const rs2 = (raw >>> 20) & 31;
    const bits = (f: number) => {
      this.get(this.fpOf(f));
      this.op(W.i64_reinterpret_f64);
    };
    const bothNumbers = () => {
      for (const f of [rs1, rs2]) {
        this.get(this.fpOf(f));
        this.get(this.fpOf(f));
        this.op(W.f64_ne, W.br_if, 0);
      }
      this.get(this.fpOf(rs1));
      this.get(this.fpOf(rs2));
    };
    switch (op) {
      case FSGNJ_D:
      case FSGNJN_D:
        // copysign and neg work on the bits: a NaN's payload stays.
        this.get(this.fpOf(rs1));
        this.get(this.fpOf(rs2));
        if (op === FSGNJN_D) this.op(W.f64_neg);
        this.op(W.f64_copysign);
        this.setFp(rd);
        return;
      case FSGNJX_D:
        // rs1's bits with rs2's sign bit xored in.
        bits(rs1);
        bits(rs2);
        this.i64(63);
        this.op(W.i64_shr_u);
        this.i64(63);
        this.op(W.i64_shl, W.i64_xor, W.f64_reinterpret_i64);
        this.setFp(rd);
        return;
      case FMV_X_D:
        bits(rs1);
        this.setReg(destinationWord(rd));
        return;
      case FMV_D_X:
        this.reg(rs1 * 2);
        this.op(W.f64_reinterpret_i64);
        this.setFp(rd);
        return;
      case FCVT_D_W:
      case FCVT_D_WU:
        this.reg32(rs1 * 2);
        this.op(op === FCVT_D_W ? W.f64_convert_i32_s : W.f64_convert_i32_u);
        this.setFp(rd);
        return;
      case FCVT_D_L:
      case FCVT_D_LU: {
        // Exact up to 2^53 in magnitude (.l: x + 2^53 in [0, 2^54] unsigned); beyond, the FPU rounds.
        const x = this.temp(T.i64);
        this.reg(rs1 * 2);
        this.tee(x);
        if (op === FCVT_D_L) {
          this.i64(2 ** 53);
          this.op(W.i64_add);
          this.i64(2 ** 54);
        } else {
          this.i64(2 ** 53);
        }
        this.op(W.i64_gt_u, W.br_if, 0);
        this.get(x);
        this.op(op === FCVT_D_L ? W.f64_convert_i64_s : W.f64_convert_i64_u);
        this.setFp(rd);
        return;
      }
      case FCLASS_D: {
        const x = this.temp(T.i64);
        bits(rs1);
        this.set(x);
        classifyD(this, x);
        this.op(W.i64_extend_i32_u);
        this.setReg(destinationWord(rd));
        return;
      }
      case FEQ_D:
      case FLT_D:
      case FLE_D:
        bothNumbers();
        this.op(op === FEQ_D ? W.f64_eq : op === FLT_D ? W.f64_lt : W.f64_le, W.i64_extend_i32_u);
        this.setReg(destinationWord(rd));
        return;
      case FMIN_D:
      case FMAX_D:
        // Of two numbers, WebAssembly's min and max order −0 below +0, as RISC-V's do.
        bothNumbers();
        this.op(op === FMIN_D ? W.f64_min : W.f64_max);
        this.setFp(rd);
        return;
    }
  }

  /** The eight divisions and remainders (emit.ts), the w forms on the low words, sign-extended. */
  private divide(op: Op, rd: number, rs1: number, rs2: number): void {
    const word = DIVISIONS[op]!.word;
    const type = word ? T.i32 : T.i64;
    const p = this.temp(type);
    const q = this.temp(type);
    for (const [r, l] of [[rs1, p], [rs2, q]]) {
      if (word) this.reg32(r);
      else this.reg(r);
      this.set(l);
    }
    divide(this, op, p, q);
    if (word) this.setRegW(rd);
    else this.setReg(rd);
  }
}

// The FP operations compiled in line (fpu.ts's FpOp numbers).
const { FADD_D, FSUB_D, FMUL_D, FDIV_D, FMADD_D, FMSUB_D, FNMSUB_D, FNMADD_D } = FpOp;
const { FSGNJ_D, FSGNJN_D, FSGNJX_D, FMIN_D, FMAX_D, FEQ_D, FLT_D, FLE_D, FCLASS_D } = FpOp;
const { FCVT_D_W, FCVT_D_WU, FCVT_D_L, FCVT_D_LU, FMV_X_D, FMV_D_X } = FpOp;
/** Operations whose fast path rounds to nearest (fpRounding). */
const ROUNDING_FP = new Set<number>([FADD_D, FSUB_D, FMUL_D, FDIV_D, FMADD_D, FMSUB_D, FNMSUB_D, FNMADD_D]);
/** Operations that neither round nor raise a flag in their fast path (fpExact). */
const EXACT_FP = new Set<number>([
  FSGNJ_D, FSGNJN_D, FSGNJX_D, FMIN_D, FMAX_D, FEQ_D, FLT_D, FLE_D,
  FCVT_D_W, FCVT_D_WU, FCVT_D_L, FCVT_D_LU, FCLASS_D, FMV_X_D, FMV_D_X,
]);
/** Conversions: exact in their fast path, but illegal under DYN with a reserved frm. */
const CONVERSIONS_FP = new Set<number>([FCVT_D_W, FCVT_D_WU, FCVT_D_L, FCVT_D_LU]);

// The instructions that are one WebAssembly operation, as tables.
const WITH_IMM: Partial<Record<Op, W>> = {
  [Op.Addi]: W.i64_add, [Op.Xori]: W.i64_xor, [Op.Ori]: W.i64_or, [Op.Andi]: W.i64_and,
  [Op.Slli]: W.i64_shl, [Op.Srli]: W.i64_shr_u, [Op.Srai]: W.i64_shr_s,
};
const TWO_REGS: Partial<Record<Op, W>> = {
  [Op.Add]: W.i64_add, [Op.Sub]: W.i64_sub, [Op.Xor]: W.i64_xor, [Op.Or]: W.i64_or, [Op.And]: W.i64_and,
  [Op.Sll]: W.i64_shl, [Op.Srl]: W.i64_shr_u, [Op.Sra]: W.i64_shr_s, [Op.Mul]: W.i64_mul,
};
const WORD_WITH_IMM: Partial<Record<Op, W>> = {
  [Op.Addiw]: W.i32_add, [Op.Slliw]: W.i32_shl, [Op.Srliw]: W.i32_shr_u, [Op.Sraiw]: W.i32_shr_s,
};
const WORD_TWO_REGS: Partial<Record<Op, W>> = {
  [Op.Addw]: W.i32_add, [Op.Subw]: W.i32_sub, [Op.Sllw]: W.i32_shl, [Op.Srlw]: W.i32_shr_u,
  [Op.Sraw]: W.i32_shr_s, [Op.Mulw]: W.i32_mul,
};
const BRANCHES: Partial<Record<Op, W>> = {
  [Op.Beq]: W.i64_eq, [Op.Bne]: W.i64_ne, [Op.Blt]: W.i64_lt_s, [Op.Bge]: W.i64_ge_s,
  [Op.Bltu]: W.i64_lt_u, [Op.Bgeu]: W.i64_ge_u,
};
/** Loads into integer registers: the WebAssembly load and the size. */
const LOADS: Partial<Record<Op, [W, number]>> = {
  [Op.Lb]: [W.i64_load8_s, 1], [Op.Lbu]: [W.i64_load8_u, 1], [Op.Lh]: [W.i64_load16_s, 2],
  [Op.Lhu]: [W.i64_load16_u, 2], [Op.Lw]: [W.i64_load32_s, 4], [Op.Lwu]: [W.i64_load32_u, 4],
  [Op.Ld]: [W.i64_load, 8],
};
const STORES: Partial<Record<Op, [W, number]>> = {
  [Op.Sb]: [W.i64_store8, 1], [Op.Sh]: [W.i64_store16, 2], [Op.Sw]: [W.i64_store32, 4], [Op.Sd]: [W.i64_store, 8],
};
