// The `struct pt_regs *regs` of callbacks: a live view of a task's registers (Part A.1, B §12).
// Values are exact 64-bit bigints. At syscall entry the arguments are a0..a5 with a0 also kept
// as orig_a0, so a0 can carry the result while arg(0) stays readable; setArg(0) updates both.
import type { Task } from "../kernel/task.js";

const A0 = 10;

export class Regs {
  constructor(private readonly task: Task) {}

  /** The program counter. */
  get pc(): bigint {
    return BigInt(this.task.hart.pc);
  }
  set pc(v: bigint) {
    this.task.hart.pc = Number(BigInt.asUintN(32, v));
  }

  /** Integer register n (x0 reads 0). */
  x(n: number): bigint {
    return n === 0 ? 0n : this.task.hart.x64[n];
  }
  setX(n: number, v: bigint): void {
    this.task.hart.setX(n, v);
    if (n === A0) this.task.origA0 = this.task.hart.x64[A0];
  }

  get a0(): bigint { return this.x(10); }
  set a0(v: bigint) { this.task.hart.setX(10, v); }
  get a1(): bigint { return this.x(11); }
  set a1(v: bigint) { this.setX(11, v); }
  get a2(): bigint { return this.x(12); }
  set a2(v: bigint) { this.setX(12, v); }
  get a3(): bigint { return this.x(13); }
  set a3(v: bigint) { this.setX(13, v); }
  get a4(): bigint { return this.x(14); }
  set a4(v: bigint) { this.setX(14, v); }
  get a5(): bigint { return this.x(15); }
  set a5(v: bigint) { this.setX(15, v); }
  get a6(): bigint { return this.x(16); }
  set a6(v: bigint) { this.setX(16, v); }
  get a7(): bigint { return this.x(17); }
  set a7(v: bigint) { this.setX(17, v); }
  get sp(): bigint { return this.x(2); }
  set sp(v: bigint) { this.setX(2, v); }

  /** The syscall number (a7); writing -1 at entry skips the syscall. */
  get syscallNumber(): bigint {
    return this.x(17);
  }
  set syscallNumber(v: bigint) {
    this.setX(17, v);
  }

  /** Syscall argument i (0…5); argument 0 is orig_a0. */
  arg(i: number): bigint {
    if (i < 0 || i > 5) throw new RangeError(`syscall argument ${i} does not exist`);
    return i === 0 ? this.task.origA0 : this.x(A0 + i);
  }
  /** Rewrites syscall argument i; for argument 0 both a0 and orig_a0. */
  setArg(i: number, v: bigint): void {
    if (i < 0 || i > 5) throw new RangeError(`syscall argument ${i} does not exist`);
    this.task.hart.setX(A0 + i, v);
    if (i === 0) this.task.origA0 = this.task.hart.x64[A0];
  }

  /** The syscall's return value (a0, signed). */
  get returnValue(): bigint {
    return this.x(A0);
  }
  set returnValue(v: bigint) {
    this.task.hart.setX(A0, v);
  }

  /** FP register n as its raw 64-bit pattern. */
  f(n: number): bigint {
    return this.task.hart.f64bits[n];
  }
  setF(n: number, v: bigint): void {
    this.task.hart.f64bits[n] = BigInt.asUintN(64, v);
  }
  /** FP register n as a double. */
  fDouble(n: number): number {
    return this.task.hart.f[n];
  }
  /** fcsr: frm in bits 7:5, fflags in bits 4:0. */
  get fcsr(): number {
    return this.task.hart.fcsr;
  }
  set fcsr(v: number) {
    this.task.hart.fcsr = v & 0xff;
  }
}
