// The architectural state of one RISC-V hart (one guest thread).
//
// Integer registers live in one piece of memory seen two ways: `x` as int32 pairs (x[2n] = low word,
// x[2n+1] = high word) for the interpreter's fast paths, and `x64` as BigInt64Array for wide
// operations (mul, div) that V8 compiles to real 64-bit arithmetic when they go typed array →
// operation → typed array (reference/emulators.md §4.6). x0 is kept zero by the interpreter.
//
// FP registers are 64-bit raw bit patterns, seen as float64 (`f`), float32 (`f32`, the low half at
// index 2n) and int32 pairs (`fi`). Single-precision values are NaN-boxed: upper 32 bits all ones.

import { REGISTER_SLOT_SIZE, type AddressSpace, type RegisterSlotOwner } from "../mem/address-space.js";

/** Why `run` returned. Details of a trap are in the hart's `trap*` fields. */
export const enum Exit {
  /** The instruction budget ran out; pc is the next instruction. */
  Budget = 0,
  /** `ecall`; pc still points at the ecall (the kernel advances it). */
  Ecall = 1,
  /** `ebreak` / `c.ebreak`; pc points at it. */
  Ebreak = 2,
  /** Illegal instruction; pc points at it, trapValue = the instruction bits. */
  Illegal = 3,
  /** Memory fault; pc points at the instruction, trapValue = the address, trapCode = si_code. */
  MemFault = 4,
  /** Instruction fetch fault; trapValue = the address, trapCode = si_code. */
  FetchFault = 5,
  /** Single-step or block-step completed; pc is the next instruction. */
  Step = 6,
  /** `requestExit()` was called (e.g. by a signal arriving for another task). */
  Interrupted = 7,
  /** Misaligned atomic access (SIGBUS/BUS_ADRALN); pc points at it, trapValue = the address. */
  Misaligned = 8,
}

/** Kind of memory fault, in Linux's si_code terms. */
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;
export const BUS_ADRALN = 1;
export const BUS_ADRERR = 2;

/** Stepping mode of the hart (utrace single-step / block-step). */
export const enum StepMode {
  None = 0,
  Single = 1,
  Block = 2,
}

/** Where a hart's registers lie in its register storage (a slot of REGISTER_SLOT_SIZE bytes). */
export const REGS_X = 0;
/**
 * Three int32 words: the instruction count and exit code a compiled region leaves behind (jit.ts),
 * and fcsr (where compiled FP code reads the rounding mode and raises flags).
 */
export const REGS_STATE = 264;
export const REGS_FCSR = REGS_STATE + 8;
export const REGS_F = 280;

export class Hart implements RegisterSlotOwner {
  // Registers live in a slot of the address space the hart runs in (see homeIn), where compiled
  // guest code reaches them, or, before its first run and after that address space is released,
  // in storage of the hart's own. The views below are replaced when the storage moves.

  // 33 integer slots: the interpreter sends writes to x0 into slot 32, which nobody reads.
  /** Integer registers as int32 pairs: x[2n] low word, x[2n+1] high word. */
  declare x: Int32Array;
  /** Integer registers as signed 64-bit values. */
  declare x64: BigInt64Array;
  /** FP registers as float64. */
  declare f: Float64Array;
  /** FP registers as float32 halves: f32[2n] is the single-precision value of f<n>. */
  declare f32: Float32Array;
  /** FP registers as int32 pairs: fi[2n] low word, fi[2n+1] high word. */
  declare fi: Int32Array;
  /** FP registers as raw 64-bit patterns. */
  declare f64bits: BigUint64Array;
  /** Where a compiled region leaves its instruction count ([0]) and what to do next ([1]); [2] is fcsr. */
  declare state: Int32Array;

  /** The address space holding the registers, and their slot's address there (−1: none). */
  home: AddressSpace | null = null;
  regs = -1;

  constructor() {
    // (The views are declared, not initialised, fields: V8 would otherwise see them undefined
    // first and keep them as generic values.)
    this.bind(new ArrayBuffer(REGISTER_SLOT_SIZE), 0);
  }

  private bind(buffer: ArrayBufferLike, at: number): void {
    this.x = new Int32Array(buffer, at + REGS_X, 66);
    this.x64 = new BigInt64Array(buffer, at + REGS_X, 33);
    this.f = new Float64Array(buffer, at + REGS_F, 32);
    this.f32 = new Float32Array(buffer, at + REGS_F, 64);
    this.fi = new Int32Array(buffer, at + REGS_F, 64);
    this.f64bits = new BigUint64Array(buffer, at + REGS_F, 32);
    this.state = new Int32Array(buffer, at + REGS_STATE, 3);
  }

  /** Moves the registers into a slot of `mem`; stays where it is when mem has no slot free. */
  homeIn(mem: AddressSpace): void {
    const slot = mem.claimRegisterSlot(this);
    if (slot < 0) return;
    this.moveTo(mem.memory.buffer, slot);
    this.home?.freeRegisterSlot(this.regs);
    this.home = mem;
    this.regs = slot;
  }

  /** The address space is going away: the registers move into storage of the hart's own. */
  evictRegisters(): void {
    this.moveTo(new ArrayBuffer(REGISTER_SLOT_SIZE), 0);
    this.home = null;
    this.regs = -1;
  }

  /** Gives the slot back (a thread that is gone); the registers move into the hart's own storage. */
  leaveHome(): void {
    const home = this.home;
    if (home === null) return;
    const slot = this.regs;
    this.evictRegisters();
    home.freeRegisterSlot(slot);
  }

  private moveTo(buffer: ArrayBufferLike, at: number): void {
    const x = this.x;
    const fi = this.fi;
    const fcsr = this.fcsr;
    this.bind(buffer, at);
    this.x.set(x);
    this.fi.set(fi);
    this.fcsr = fcsr;
  }

  /** Program counter; always below 2^32 (all guest mappings are). */
  pc = 0;
  /** fcsr: frm in bits 7:5, fflags in bits 4:0 (kept with the registers). */
  get fcsr(): number {
    return this.state[2];
  }

  set fcsr(v: number) {
    this.state[2] = v;
  }
  /** LR/SC reservation address, or -1 when there is none. */
  reservation = -1;
  /** Instructions retired (the `instret` CSR and --max-insns). */
  instret = 0;

  /** Details of the last trap: the faulting address or instruction bits. */
  trapValue = 0;
  /** Details of the last trap: si_code. */
  trapCode = 0;
  /** The faulting address of the last memory trap, exact (it may be at or above 2^32). */
  trapAddress = 0n;
  /** Source of the `time` CSR (the kernel sets it; counts in 10 MHz ticks as on common boards). */
  readTime: () => bigint = () => 0n;

  stepMode: StepMode = StepMode.None;
  /** Set by requestExit(); makes run() return Exit.Interrupted at the next block boundary. */
  exitRequested = false;

  /** Reads integer register n as a signed 64-bit bigint. */
  getX(n: number): bigint {
    return this.x64[n];
  }

  /** Writes integer register n (writes to x0 are ignored). */
  setX(n: number, v: bigint): void {
    if (n !== 0) this.x64[n] = BigInt.asIntN(64, v);
  }

  /** Reads integer register n as a Number; exact only when it fits in 53 bits. */
  getXNumber(n: number): number {
    return this.x[2 * n + 1] * 4294967296 + (this.x[2 * n] >>> 0);
  }

  /** Writes a signed Number (|v| < 2^53) into integer register n. */
  setXNumber(n: number, v: number): void {
    if (n === 0) return;
    this.x[2 * n] = v | 0;
    this.x[2 * n + 1] = Math.floor(v / 4294967296) | 0;
  }

  /** Asks the interpreter to return at the next block boundary. */
  requestExit(): void {
    this.exitRequested = true;
  }

  /** Copies the whole architectural state from another hart (fork, clone). */
  copyFrom(other: Hart): void {
    this.x.set(other.x);
    this.fi.set(other.fi);
    this.pc = other.pc;
    this.fcsr = other.fcsr;
    this.reservation = -1;
  }
}
