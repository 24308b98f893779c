// Reading syscall arguments from a task's registers (a0..a5 = x10..x15) without allocating.
import type { Task } from "../task.js";
import { GuestFault } from "../../mem/address-space.js";

const A0 = 10;

/** Argument i as a signed 32-bit int (C `int`). */
export function argInt(t: Task, i: number): number {
  return t.hart.x[2 * (A0 + i)];
}

/** Argument i as an unsigned 32-bit int (C `unsigned int`). */
export function argU32(t: Task, i: number): number {
  return t.hart.x[2 * (A0 + i)] >>> 0;
}

/** Argument i as a signed 64-bit bigint (C `long`). */
export function argI64(t: Task, i: number): bigint {
  return t.hart.x64[A0 + i];
}

/** Argument i as an unsigned 64-bit bigint. */
export function argU64(t: Task, i: number): bigint {
  return BigInt.asUintN(64, t.hart.x64[A0 + i]);
}

/**
 * Argument i as a Number when it fits in 53 bits signed (sizes, offsets, lengths); otherwise
 * ±Infinity so range checks fail cleanly.
 */
export function argLong(t: Task, i: number): number {
  const hi = t.hart.x[2 * (A0 + i) + 1];
  const lo = t.hart.x[2 * (A0 + i)] >>> 0;
  if (hi > 0x1fffff) return Infinity;
  if (hi < -0x200000) return -Infinity;
  return hi * 4294967296 + lo;
}

/** Argument i as a guest pointer. Pointers at or above 4 GiB can never be valid: GuestFault. */
export function argPtr(t: Task, i: number): number {
  if (t.hart.x[2 * (A0 + i) + 1] !== 0) throw new GuestFault(-1);
  return t.hart.x[2 * (A0 + i)] >>> 0;
}

/** True when argument i is the NULL pointer. */
export function argIsNull(t: Task, i: number): boolean {
  return t.hart.x[2 * (A0 + i)] === 0 && t.hart.x[2 * (A0 + i) + 1] === 0;
}
