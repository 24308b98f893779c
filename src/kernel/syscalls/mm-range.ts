// Addresses and lengths of the memory syscalls as Linux reads them: unsigned 64-bit values (BigInt),
// page rounding that wraps as C's does, Linux's user address space (TASK_SIZE), and the step from a
// checked range of that space to the part of it guest memory holds (below GUEST_LIMIT, 2 MiB short of 4 GiB; nothing is ever
// mapped above, so the rest of a range is a hole there, as an unmapped range is on Linux).
import type { AddressSpace } from "../../mem/address-space.js";
import { GUEST_LIMIT, PAGE_SIZE, TASK_SIZE as TASK_SIZE_NUMBER } from "../../mem/address-space.js";
import { E } from "../../abi/gen/errno.js";
import { dropSharedMaps } from "./mm-shared.js";

/** The end of the user address space (riscv64, Sv48). */
export const TASK_SIZE = BigInt(TASK_SIZE_NUMBER);
export const PAGE = BigInt(PAGE_SIZE);
/** offset_in_page's mask. */
export const PAGE_OFFSET = PAGE - 1n;
/** Where guest memory ends (the memory's last 2 MiB are rvtrace's own: address-space.ts). */
export const LIMIT = BigInt(GUEST_LIMIT);
/** 2^64: a sum at or above it wrapped in C. */
export const WRAP = 1n << 64n;

/** Linux's PAGE_ALIGN on an unsigned long: rounds up to a page, wrapping to 0 past 2^64. */
export function pageAlign(len: bigint): bigint {
  return BigInt.asUintN(64, len + PAGE_OFFSET) & ~PAGE_OFFSET;
}

/** [start, end) cut where guest memory ends, as Numbers; null when it starts there or above. */
export function belowLimit(start: bigint, end: bigint): [number, number] | null {
  if (start >= LIMIT) return null;
  return [Number(start), end > LIMIT ? GUEST_LIMIT : Number(end)];
}

/**
 * Linux's do_vmi_munmap: unmaps [start, start + len) after its checks (EINVAL for an unaligned start,
 * a range past TASK_SIZE or an empty one). munmap is this; so is the cut of a shrinking mremap.
 */
export function unmapRange(mem: AddressSpace, start: bigint, len: bigint): number {
  if (start & PAGE_OFFSET || start > TASK_SIZE || len > TASK_SIZE - start) return -E.EINVAL;
  const aligned = pageAlign(len);
  if (aligned === 0n) return -E.EINVAL;
  const range = belowLimit(start, start + aligned);
  if (range) {
    dropSharedMaps(mem, range[0], range[1]);
    mem.unmap(range[0], range[1] - range[0]);
  }
  return 0;
}

