// The architectural state of one RISC-V hart (one guest thread).
//
// Integer registers live in one ArrayBuffer seen two ways: `x` as int32 pairs (x[2n] = low word,
// x[2n+1] = high word) for the interpreter's fast paths, and `x64` as BigInt64Array for wide
// operations (mul, div) that V8 compiles to real 64-bit arithmetic when they go typed array →
// operation → typed array (reference/emulators.md §4.6). x0 is kept zero by the interpreter.
//
// FP registers are 64-bit raw bit patterns, seen as float64 (`f`), float32 (`f32`, the low half at
// index 2n) and int32 pairs (`fi`). Single-precision values are NaN-boxed: upper 32 bits all ones.

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

export class Hart {
  // 33 slots: the interpreter sends writes to x0 into slot 32, which nobody reads.
  private readonly xBuffer = new ArrayBuffer(33 * 8);
  /** Integer registers as int32 pairs: x[2n] low word, x[2n+1] high word. */
  readonly x = new Int32Array(this.xBuffer);
  /** Integer registers as signed 64-bit values. */
  readonly x64 = new BigInt64Array(this.xBuffer);

  private readonly fBuffer = new ArrayBuffer(32 * 8);
  /** FP registers as float64. */
  readonly f = new Float64Array(this.fBuffer);
  /** FP registers as float32 halves: f32[2n] is the single-precision value of f<n>. */
  readonly f32 = new Float32Array(this.fBuffer);
  /** FP registers as int32 pairs: fi[2n] low word, fi[2n+1] high word. */
  readonly fi = new Int32Array(this.fBuffer);
  /** FP registers as raw 64-bit patterns. */
  readonly f64bits = new BigUint64Array(this.fBuffer);

  /** Program counter; always below 2^32 (all guest mappings are). */
  pc = 0;
  /** fcsr: frm in bits 7:5, fflags in bits 4:0. */
  fcsr = 0;
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
