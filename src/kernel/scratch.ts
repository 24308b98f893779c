// Scratch memory for engines: bytes an engine puts in guest memory for the syscall in progress
// (a rewritten write buffer, a replacement path), which the guest never sees. They lie in hidden
// pages (AddressSpace.mapHidden: above the stack, in no mapping, so not in a maps listing nor
// copied by fork), and live until the syscall returns: right after the syscall-exit reports the
// pages are zeroed and unmapped, and the argument registers an engine pointed at them get the
// guest's values back (Linux preserves every register but a0 across a syscall, and a restarted
// call must see its own arguments again).
import type { AddressSpace } from "../mem/address-space.js";
import { GUEST_LIMIT, PAGE_SIZE, pageRoundUp } from "../mem/address-space.js";
import type { Task } from "./task.js";

/** The scratch window: above the initial stack (LAYOUT.stackTop), up to the end of guest memory. */
const SCRATCH_BASE = 0xf000_0000;
const SCRATCH_END = GUEST_LIMIT;
/** The most one syscall may use. */
export const SCRATCH_MAX = 16 * 1024 * 1024;

/** What one task holds for its current syscall. */
export interface ScratchUse {
  mem: AddressSpace;
  ranges: { start: number; len: number }[];
  /** Argument registers to give back: index and the guest's value, in the order they were taken. */
  restore: { arg: number; value: bigint }[];
}

/** Ranges in use, per address space (threads share one). */
const inUse = new WeakMap<AddressSpace, { start: number; end: number }[]>();

/** Maps `len` zeroed scratch bytes for t's current syscall; returns their address. */
export function allocScratch(t: Task, len: number): number {
  if (!Number.isInteger(len) || len < 0 || len > SCRATCH_MAX) throw new RangeError(`scratch of ${len} bytes (at most ${SCRATCH_MAX})`);
  const mem = t.process.mem;
  const size = Math.max(PAGE_SIZE, pageRoundUp(len));
  const used = inUse.get(mem) ?? [];
  inUse.set(mem, used);
  // first fit, in address order
  used.sort((a, b) => a.start - b.start);
  let start = SCRATCH_BASE;
  for (const u of used) {
    if (u.start - start >= size) break;
    start = Math.max(start, u.end);
  }
  if (start + size > SCRATCH_END) throw new RangeError("scratch memory exhausted");
  mem.mapHidden(start, size);
  used.push({ start, end: start + size });
  const use = t.scratch && t.scratch.mem === mem ? t.scratch : (t.scratch = { mem, ranges: [], restore: [] });
  use.ranges.push({ start, len: size });
  return start;
}

/** Copies bytes to scratch and points syscall argument `arg` at them; returns the address. */
export function scratchArg(t: Task, arg: number, bytes: Uint8Array): number {
  if (!Number.isInteger(arg) || arg < 0 || arg > 5) throw new RangeError(`syscall argument ${arg} does not exist`);
  const addr = allocScratch(t, bytes.length);
  t.process.mem.bytes.set(bytes, addr);
  const original = arg === 0 ? t.origA0 : t.hart.x64[10 + arg];
  t.scratch!.restore.push({ arg, value: original });
  t.hart.setX(10 + arg, BigInt(addr));
  if (arg === 0) t.origA0 = BigInt(addr);
  return addr;
}

/** After the syscall-exit reports: the scratch goes, the guest's argument registers come back. */
export function releaseScratch(t: Task): void {
  const use = t.scratch;
  if (!use) return;
  t.scratch = null;
  const used = inUse.get(use.mem) ?? [];
  for (const r of use.ranges) {
    use.mem.unmapHidden(r.start, r.len);
    const i = used.findIndex((u) => u.start === r.start);
    if (i >= 0) used.splice(i, 1);
  }
  // After a successful execve the registers belong to the new program: nothing to give back.
  if (t.process.mem !== use.mem) return;
  for (let i = use.restore.length - 1; i >= 0; i--) {
    const { arg, value } = use.restore[i];
    if (arg === 0) t.origA0 = value; // a0 holds the result
    else t.hart.setX(10 + arg, value);
  }
}
