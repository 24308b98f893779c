// The FPU's round-to-nearest fast paths for fadd.d/fsub.d, fmul.d, fdiv.d and the fused
// multiply-adds (fpu/arith.ts addCoreD, mulCoreD, divCoreD, fmaCoreD), emitted as WebAssembly for
// regions (region.ts fpFast) and the WebAssembly interpreter (interpreter.ts): the same operations
// in the same order, which WebAssembly's f64 arithmetic rounds as JavaScript's does (it never
// contracts a multiply and an add). Each leaves the result in local r and raises NX in fcsr when
// inexact, or branches to the enclosing block ("$slow", at depth 0 where it is emitted) for
// whatever the FPU's fast path would leave to its slow path. Also fclass.d's classification, which
// the interpreter does in line.
import { REGS_FCSR } from "../hart.js";
import { CodeWriter, T, W } from "./encode.js";

/**
 * The parameter holding the register slot's address: the same in a region (region.ts) and in the
 * WebAssembly interpreter, which has a region's parameters.
 */
const P_REGS = 4;

/** The f64 locals of the operands (a, b, and c for a fused multiply-add) and the result, and a way to get scratch ones. */
export interface FastLocals {
  a: number;
  b: number;
  /** The addend of a fused multiply-add. */
  c: number;
  /** The result. */
  r: number;
  temp: (type: T) => number;
}

/** Raises NX in fcsr. */
function raiseInexact(w: CodeWriter): void {
  w.get(P_REGS);
  w.get(P_REGS);
  w.access(W.i32_load, REGS_FCSR);
  w.i32(1);
  w.op(W.i32_or);
  w.access(W.i32_store, REGS_FCSR);
}

/** Pushes whether lo ≤ |x| ≤ hi (|x| < hi if `below`), leaving |x| in u. */
function absWithin(w: CodeWriter, x: number, u: number, lo: number, hi: number, below = false): void {
  w.get(x);
  w.op(W.f64_abs);
  w.tee(u);
  w.f64(lo);
  w.op(W.f64_ge);
  w.get(u);
  w.f64(hi);
  w.op(below ? W.f64_lt : W.f64_le, W.i32_and);
}

/** Raises NX unless local x is zero. */
function inexactUnlessZero(w: CodeWriter, x: number): void {
  w.get(x);
  w.f64(0);
  w.op(W.f64_ne, W.if, T.void);
  raiseInexact(w);
  w.op(W.end);
}

/**
 * p = a·b, and opens the `if` of the case the fast paths take: 2^-900 ≤ |p| ≤ 2^1020, and inside
 * it both operands within [2^-1000, 2^995], else to $slow (u: scratch).
 */
function productInRange(w: CodeWriter, a: number, b: number, p: number, u: number): void {
  w.get(a);
  w.get(b);
  w.op(W.f64_mul);
  w.set(p);
  absWithin(w, p, u, 2 ** -900, 2 ** 1020);
  w.op(W.if, T.void);
  for (const x of [a, b]) {
    absWithin(w, x, u, 2 ** -1000, 2 ** 995);
    w.op(W.i32_eqz, W.br_if, 1);
  }
}

/** Pushes whether p is a zero product of a zero operand: p = 0 and (a = 0 or b = 0). */
function zeroProduct(w: CodeWriter, p: number, a: number, b: number): void {
  for (const x of [p, a, b]) {
    w.get(x);
    w.f64(0);
    w.op(W.f64_eq);
  }
  w.op(W.i32_or, W.i32_and);
}

/**
 * Opens an `if` around the code that only works out whether to raise NX, when `known` (the
 * interpreter's choice): it runs only while fcsr's NX is clear. Nothing else a fast path raises, and
 * its result and whether it takes the slow path do not depend on that code, so skipping it once NX
 * is set (as it stays, in most programs, after their first inexact operation) changes nothing.
 */
function unlessInexactKnown(w: CodeWriter, known: boolean): void {
  if (!known) return;
  w.get(P_REGS);
  w.access(W.i32_load, REGS_FCSR);
  w.i32(1);
  w.op(W.i32_and, W.i32_eqz, W.if, T.void);
}

function endUnlessInexactKnown(w: CodeWriter, known: boolean): void {
  if (known) w.op(W.end);
}

/**
 * addCoreD's round-to-nearest case: r = a + b, exact or NX; else to $slow (depth 0 here). With
 * `known` TwoSum's error is worked out only while NX is clear, and with it the check that it did not
 * overflow: that sends the addition to the slow path, which rounds it the same (WebAssembly's f64
 * add is round to nearest, and a finite sum of at least 2^-1021 neither overflows nor underflows)
 * and raises NX at most.
 */
export function addFast(w: CodeWriter, { a, b, r, temp }: FastLocals, known = false): void {
  const [t, e, bb] = [temp(T.f64), temp(T.f64), temp(T.f64)];
  if (known) {
    w.get(a);
    w.get(b);
    w.op(W.f64_add);
    w.set(r);
  } else {
    twoSum(w, a, b, r, e, bb);
  }
  absWithin(w, r, t, 2 ** -1021, Infinity, true);
  w.op(W.if, T.void);
  unlessInexactKnown(w, known);
  if (known) twoSumError(w, a, b, r, e, bb);
  w.get(e);
  w.f64(0);
  w.op(W.f64_ne, W.if, T.void);
  // An operand near the overflow threshold can overflow TwoSum's intermediates.
  w.get(e);
  w.op(W.f64_abs);
  w.f64(Infinity);
  w.op(W.f64_lt, W.i32_eqz, W.br_if, known ? 3 : 2);
  raiseInexact(w);
  w.op(W.end);
  endUnlessInexactKnown(w, known);
  w.op(W.else);
  // Sums below 2^-1021 are exact; infinities and NaNs are the slow path's.
  w.get(t);
  w.f64(2 ** -1021);
  w.op(W.f64_lt, W.i32_eqz, W.br_if, 1);
  w.op(W.end);
}

/**
 * mulCoreD's round-to-nearest case: r = a·b, exact or NX; else to $slow (depth 0 here). With
 * `known`, the product's error is worked out only while NX is clear.
 */
export function mulFast(w: CodeWriter, { a, b, r, temp }: FastLocals, known = false): void {
  const e = temp(T.f64);
  productInRange(w, a, b, r, temp(T.f64));
  unlessInexactKnown(w, known);
  // The error of the product: a·b = r + e exactly.
  productError(w, temp, a, b, r);
  w.set(e);
  inexactUnlessZero(w, e);
  endUnlessInexactKnown(w, known);
  w.op(W.else);
  // A zero product of a zero operand is exact; anything else is the slow path's.
  zeroProduct(w, r, a, b);
  w.op(W.i32_eqz, W.br_if, 1);
  w.op(W.end);
}

/**
 * divCoreD's round-to-nearest case: r = a/b, exact or NX; else to $slow (depth 0 here). In range,
 * the remainder a − r·b is a double, computed exactly (a − r·b's rounding by Sterbenz's lemma, then
 * less the product's error); the quotient is exact when it is 0. With `known`, the remainder is
 * worked out only while NX is clear.
 */
export function divFast(w: CodeWriter, { a, b, r, temp }: FastLocals, known = false): void {
  const [u, ph] = [temp(T.f64), temp(T.f64)];
  w.get(a);
  w.get(b);
  w.op(W.f64_div);
  w.set(r);
  absWithin(w, r, u, 2 ** -1000, 2 ** 995);
  w.op(W.if, T.void);
  absWithin(w, b, u, 2 ** -1000, 2 ** 995);
  w.op(W.i32_eqz, W.br_if, 1);
  absWithin(w, a, u, 2 ** -900, 2 ** 1020);
  w.op(W.i32_eqz, W.br_if, 1);
  unlessInexactKnown(w, known);
  w.get(r);
  w.get(b);
  w.op(W.f64_mul);
  w.set(ph);
  w.get(a);
  w.get(ph);
  w.op(W.f64_sub);
  productError(w, temp, r, b, ph);
  w.op(W.f64_sub);
  w.set(u);
  inexactUnlessZero(w, u);
  endUnlessInexactKnown(w, known);
  w.op(W.else);
  // A zero quotient of a zero dividend is exact (0/finite, 0/∞); anything else is the slow path's.
  w.get(r);
  w.f64(0);
  w.op(W.f64_eq);
  w.get(a);
  w.f64(0);
  w.op(W.f64_eq, W.i32_and, W.i32_eqz, W.br_if, 1);
  w.op(W.end);
}

/**
 * Pushes fclass.d of the i64 local x (a double's bits) as an i32: one bit of ten, as fpu.ts's
 * classify (0 −∞, 1 −normal, 2 −subnormal, 3 −0, 4 +0, 5 +subnormal, 6 +normal, 7 +∞, 8 sNaN, 9 qNaN).
 */
export function classifyD(w: CodeWriter, x: number): void {
  const exponent = () => {
    w.get(x);
    w.i64(52);
    w.op(W.i64_shr_u);
    w.i64(0x7ff);
    w.op(W.i64_and);
  };
  const fractionZero = () => {
    w.get(x);
    w.i64(2 ** 52 - 1);
    w.op(W.i64_and, W.i64_eqz);
  };
  // neg or pos by the sign bit.
  const bySign = (neg: number, pos: number) => {
    w.i32(neg);
    w.i32(pos);
    w.get(x);
    w.i64(0);
    w.op(W.i64_lt_s, W.select);
  };
  exponent();
  w.i64(0x7ff);
  w.op(W.i64_eq, W.if, T.i32);
  fractionZero();
  w.op(W.if, T.i32);
  bySign(1 << 0, 1 << 7);
  w.op(W.else);
  // A NaN: quiet when the fraction's top bit (51) is set.
  w.i32(1 << 9);
  w.i32(1 << 8);
  w.get(x);
  w.i64(51);
  w.op(W.i64_shr_u, W.i32_wrap_i64);
  w.i32(1);
  w.op(W.i32_and, W.select);
  w.op(W.end);
  w.op(W.else);
  exponent();
  w.op(W.i64_eqz, W.if, T.i32);
  fractionZero();
  w.op(W.if, T.i32);
  bySign(1 << 3, 1 << 4);
  w.op(W.else);
  bySign(1 << 2, 1 << 5);
  w.op(W.end);
  w.op(W.else);
  bySign(1 << 1, 1 << 6);
  w.op(W.end);
  w.op(W.end);
}

/**
 * Pushes twoProductErr(x, y, p) (fpu/arith.ts): with p = fl(x·y), the exact x·y − p, by
 * Veltkamp's split of x and y into halves and Dekker's product of the halves.
 */
function productError(w: CodeWriter, temp: (type: T) => number, x: number, y: number, p: number): void {
  const u = temp(T.f64);
  const [xh, xl, yh, yl] = [temp(T.f64), temp(T.f64), temp(T.f64), temp(T.f64)];
  for (const [v, hi, lo] of [[x, xh, xl], [y, yh, yl]]) {
    w.f64(134217729);
    w.get(v);
    w.op(W.f64_mul);
    w.tee(u);
    w.get(u);
    w.get(v);
    w.op(W.f64_sub, W.f64_sub);
    w.set(hi);
    w.get(v);
    w.get(hi);
    w.op(W.f64_sub);
    w.set(lo);
  }
  w.get(xl);
  w.get(yl);
  w.op(W.f64_mul);
  w.get(p);
  w.get(xh);
  w.get(yh);
  w.op(W.f64_mul, W.f64_sub);
  w.get(xl);
  w.get(yh);
  w.op(W.f64_mul, W.f64_sub);
  w.get(xh);
  w.get(yl);
  w.op(W.f64_mul, W.f64_sub, W.f64_sub);
}

/** Sets `sum` to fl(x + y) and `err` to TwoSum's exact error, x + y − sum (bb: scratch). */
function twoSum(w: CodeWriter, x: number, y: number, sum: number, err: number, bb: number): void {
  w.get(x);
  w.get(y);
  w.op(W.f64_add);
  w.tee(sum);
  errorAfterSum(w, x, y, sum, err, bb);
}

/** Sets `err` to TwoSum's exact error of sum = fl(x + y), already in `sum` (bb: scratch). */
function twoSumError(w: CodeWriter, x: number, y: number, sum: number, err: number, bb: number): void {
  w.get(sum);
  errorAfterSum(w, x, y, sum, err, bb);
}

/** TwoSum after fl(x + y) (on the stack, and in `sum`). */
function errorAfterSum(w: CodeWriter, x: number, y: number, sum: number, err: number, bb: number): void {
  w.get(x);
  w.op(W.f64_sub);
  w.set(bb);
  w.get(x);
  w.get(sum);
  w.get(bb);
  w.op(W.f64_sub, W.f64_sub);
  w.get(y);
  w.get(bb);
  w.op(W.f64_sub, W.f64_add);
  w.set(err);
}

/**
 * fmaCoreD's round-to-nearest case: r = a·b + c rounded once, exact or NX; else to $slow (depth 0
 * here). The exact result is v + vl + tl with v = fl(uh + t) (fpu/arith.ts says why); tl can
 * decide the rounding only when vl is exactly half a gap of v, which is the slow path's.
 */
export function fmaFast(w: CodeWriter, { a, b, c, r, temp }: FastLocals): void {
  const u = temp(T.f64);
  const [p, pl, uh, ul, tt, tl, vl, bb] = [temp(T.f64), temp(T.f64), temp(T.f64), temp(T.f64), temp(T.f64), temp(T.f64), temp(T.f64), temp(T.f64)];
  productInRange(w, a, b, p, u);
  w.get(c);
  w.op(W.f64_abs);
  w.f64(2 ** 1020);
  w.op(W.f64_le, W.i32_eqz, W.br_if, 1);
  productError(w, temp, a, b, p);
  w.set(pl);
  twoSum(w, c, p, uh, ul, bb);
  twoSum(w, ul, pl, tt, tl, bb);
  // No massive cancellation: |t| ≤ |uh| / 16.
  w.get(tt);
  w.op(W.f64_abs);
  w.f64(16);
  w.op(W.f64_mul);
  w.get(uh);
  w.op(W.f64_abs);
  w.op(W.f64_le, W.i32_eqz, W.br_if, 1);
  twoSum(w, uh, tt, r, vl, bb);
  absWithin(w, r, u, 2 ** -1021, Infinity, true);
  w.op(W.i32_eqz, W.br_if, 1);
  w.get(vl);
  w.f64(0);
  w.op(W.f64_eq, W.if, T.void);
  inexactUnlessZero(w, tl);
  w.op(W.else);
  // vl ≠ 0: inexact; but when tl ≠ 0 and |vl| is exactly half the gap from v toward vl, tl decides.
  w.get(tl);
  w.f64(0);
  w.op(W.f64_ne, W.if, T.void);
  w.get(vl);
  w.op(W.f64_abs);
  halfGap(w, r, vl);
  w.op(W.f64_eq, W.br_if, 3);
  w.op(W.end);
  raiseInexact(w);
  w.op(W.end);
  w.op(W.else);
  // A zero product of a zero operand plus a finite c: c, or the zero sum p + c.
  zeroProduct(w, p, a, b);
  w.get(c);
  w.op(W.f64_abs);
  w.f64(Infinity);
  w.op(W.f64_lt, W.i32_and, W.i32_eqz, W.br_if, 1);
  w.get(c);
  w.get(p);
  w.get(c);
  w.op(W.f64_add);
  w.get(c);
  w.f64(0);
  w.op(W.f64_ne, W.select);
  w.set(r);
  w.op(W.end);
}

/**
 * Pushes halfGap(v, away) with away = (d > 0) = (v > 0): half the distance from v (normal) to its
 * neighbour on d's side, the bit pattern one up (away from zero) or one down.
 */
function halfGap(w: CodeWriter, v: number, d: number): void {
  w.get(v);
  w.op(W.i64_reinterpret_f64);
  w.i64(1);
  w.op(W.i64_add);
  w.get(v);
  w.op(W.i64_reinterpret_f64);
  w.i64(1);
  w.op(W.i64_sub);
  w.get(d);
  w.f64(0);
  w.op(W.f64_gt);
  w.get(v);
  w.f64(0);
  w.op(W.f64_gt, W.i32_eq, W.select, W.f64_reinterpret_i64);
  w.get(v);
  w.op(W.f64_sub, W.f64_abs);
  w.f64(0.5);
  w.op(W.f64_mul);
}
