// The FPU's round-to-nearest fast paths for fadd.d/fsub.d and fmul.d (fpu/arith.ts addCoreD,
// mulCoreD), emitted as WebAssembly for regions (region.ts fpFast): the same operations in the same
// order, which WebAssembly's f64 arithmetic rounds as JavaScript's does (it never contracts a
// multiply and an add). Each leaves the result in local r and raises NX in fcsr when inexact, or
// branches to the enclosing block ("$slow", at depth 0 where it is emitted) for whatever the FPU's
// fast path would leave to its slow path.
import { REGS_FCSR } from "../hart.js";
import { CodeWriter, T, W } from "./encode.js";

/** The region function's parameter holding the register slot's address (region.ts). */
const P_REGS = 4;

/** The f64 locals the fast paths use (operands a, b and c, result r, scratch t and e) and a way to get more. */
export interface FastLocals {
  a: number;
  b: number;
  /** The addend of a fused multiply-add. */
  c: number;
  r: number;
  t: number;
  e: number;
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

/** addCoreD's round-to-nearest case: r = a + b, exact or NX; else to $slow (depth 0 here). */
export function addFast(w: CodeWriter, { a, b, r, t, e, temp }: FastLocals): void {
  const bb = temp(T.f64);
  w.get(a);
  w.get(b);
  w.op(W.f64_add);
  w.tee(r);
  w.op(W.f64_abs);
  w.tee(t);
  w.f64(2 ** -1021);
  w.op(W.f64_ge);
  w.get(t);
  w.f64(Infinity);
  w.op(W.f64_lt, W.i32_and);
  w.op(W.if, T.void);
  // TwoSum's error: a + b = r + e exactly.
  w.get(r);
  w.get(a);
  w.op(W.f64_sub);
  w.set(bb);
  w.get(a);
  w.get(r);
  w.get(bb);
  w.op(W.f64_sub, W.f64_sub);
  w.get(b);
  w.get(bb);
  w.op(W.f64_sub, W.f64_add);
  w.tee(e);
  w.f64(0);
  w.op(W.f64_ne, W.if, T.void);
  // An operand near the overflow threshold can overflow TwoSum's intermediates.
  w.get(e);
  w.op(W.f64_abs);
  w.f64(Infinity);
  w.op(W.f64_lt, W.i32_eqz, W.br_if, 2);
  raiseInexact(w);
  w.op(W.end);
  w.op(W.else);
  // Sums below 2^-1021 are exact; infinities and NaNs are the slow path's.
  w.get(t);
  w.f64(2 ** -1021);
  w.op(W.f64_lt, W.i32_eqz, W.br_if, 1);
  w.op(W.end);
}

/** mulCoreD's round-to-nearest case: r = a·b, exact or NX; else to $slow (depth 0 here). */
export function mulFast(w: CodeWriter, { a, b, r, t, e, temp }: FastLocals): void {
  const u = temp(T.f64);
  w.get(a);
  w.get(b);
  w.op(W.f64_mul);
  w.tee(r);
  w.op(W.f64_abs);
  w.tee(t);
  w.f64(2 ** -900);
  w.op(W.f64_ge);
  w.get(t);
  w.f64(2 ** 1020);
  w.op(W.f64_le, W.i32_and);
  w.op(W.if, T.void);
  for (const x of [a, b]) {
    w.get(x);
    w.op(W.f64_abs);
    w.tee(u);
    w.f64(2 ** 995);
    w.op(W.f64_le);
    w.get(u);
    w.f64(2 ** -1000);
    w.op(W.f64_ge, W.i32_and, W.i32_eqz, W.br_if, 1);
  }
  // The error of the product: a·b = r + e exactly.
  productError(w, temp, a, b, r);
  w.tee(e);
  w.f64(0);
  w.op(W.f64_ne, W.if, T.void);
  raiseInexact(w);
  w.op(W.end);
  w.op(W.else);
  // A zero product of a zero operand is exact; anything else is the slow path's.
  w.get(r);
  w.f64(0);
  w.op(W.f64_eq);
  w.get(a);
  w.f64(0);
  w.op(W.f64_eq);
  w.get(b);
  w.f64(0);
  w.op(W.f64_eq, W.i32_or, W.i32_and, W.i32_eqz, W.br_if, 1);
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
export function fmaFast(w: CodeWriter, { a, b, c, r, t, temp }: FastLocals): void {
  const u = temp(T.f64);
  const [p, pl, uh, ul, tt, tl, vl, bb] = [temp(T.f64), temp(T.f64), temp(T.f64), temp(T.f64), temp(T.f64), temp(T.f64), temp(T.f64), temp(T.f64)];
  w.get(a);
  w.get(b);
  w.op(W.f64_mul);
  w.tee(p);
  w.op(W.f64_abs);
  w.tee(t);
  w.f64(2 ** -900);
  w.op(W.f64_ge);
  w.get(t);
  w.f64(2 ** 1020);
  w.op(W.f64_le, W.i32_and);
  w.op(W.if, T.void);
  for (const x of [a, b]) {
    w.get(x);
    w.op(W.f64_abs);
    w.tee(u);
    w.f64(2 ** 995);
    w.op(W.f64_le);
    w.get(u);
    w.f64(2 ** -1000);
    w.op(W.f64_ge, W.i32_and, W.i32_eqz, W.br_if, 1);
  }
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
  w.get(r);
  w.op(W.f64_abs);
  w.tee(u);
  w.f64(2 ** -1021);
  w.op(W.f64_ge);
  w.get(u);
  w.f64(Infinity);
  w.op(W.f64_lt, W.i32_and, W.i32_eqz, W.br_if, 1);
  w.get(vl);
  w.f64(0);
  w.op(W.f64_eq, W.if, T.void);
  w.get(tl);
  w.f64(0);
  w.op(W.f64_ne, W.if, T.void);
  raiseInexact(w);
  w.op(W.end);
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
  w.get(p);
  w.f64(0);
  w.op(W.f64_eq);
  w.get(a);
  w.f64(0);
  w.op(W.f64_eq);
  w.get(b);
  w.f64(0);
  w.op(W.f64_eq, W.i32_or, W.i32_and);
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
