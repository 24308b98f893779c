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

/** The f64 locals the fast paths use (operands a and b, result r, scratch t and e) and a way to get more. */
export interface FastLocals {
  a: number;
  b: number;
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
  const ah = temp(T.f64);
  const al = temp(T.f64);
  const bh = temp(T.f64);
  const bl = temp(T.f64);
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
  // Veltkamp's split of a and b, then the error of the product: a·b = r + e exactly.
  for (const [x, hi, lo] of [[a, ah, al], [b, bh, bl]]) {
    w.f64(134217729);
    w.get(x);
    w.op(W.f64_mul);
    w.tee(u);
    w.get(u);
    w.get(x);
    w.op(W.f64_sub, W.f64_sub);
    w.set(hi);
    w.get(x);
    w.get(hi);
    w.op(W.f64_sub);
    w.set(lo);
  }
  w.get(al);
  w.get(bl);
  w.op(W.f64_mul);
  w.get(r);
  w.get(ah);
  w.get(bh);
  w.op(W.f64_mul, W.f64_sub);
  w.get(al);
  w.get(bh);
  w.op(W.f64_mul, W.f64_sub);
  w.get(ah);
  w.get(bl);
  w.op(W.f64_mul, W.f64_sub, W.f64_sub);
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

