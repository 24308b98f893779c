// mremap: shrink a mapping, grow it in place, or move it (MREMAP_MAYMOVE, MREMAP_FIXED,
// MREMAP_DONTUNMAP). The checks are Linux 6.x's (mm/mremap.c: check_mremap_params, then the mapping
// at the old address, then check_prep_vma), in its order, on unsigned 64-bit values.
//
// As on Linux, MREMAP_FIXED unmaps the target range before it asks whether the target may be mapped
// at all: a target in the NULL page is EPERM after whatever was mapped there has gone.
import type { Task } from "../task.js";
import { argU64 } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { dropSharedMaps } from "./mm-shared.js";
import { LIMIT, PAGE_OFFSET, TASK_SIZE, belowLimit, pageAlign, unmapRange } from "./mm-range.js";
import { LAYOUT } from "../../mem/address-space.js";

const MREMAP_MAYMOVE = 1n;
const MREMAP_FIXED = 2n;
const MREMAP_DONTUNMAP = 4n;

/** mremap implements Linux syscall mremap(2). */
export function mremap(t: Task): number {
  const mem = t.mem;
  const addr = argU64(t, 0);
  const flags = argU64(t, 3);
  const target = argU64(t, 4);

  // check_mremap_params
  if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) return -E.EINVAL;
  if (addr & PAGE_OFFSET) return -E.EINVAL;
  const oldLen = pageAlign(argU64(t, 1));
  const newLen = pageAlign(argU64(t, 2));
  if (newLen === 0n) return -E.EINVAL;
  if (newLen > TASK_SIZE) return -E.EINVAL;
  // MREMAP_FIXED and MREMAP_DONTUNMAP name a new address (a hint for DONTUNMAP alone).
  const toNew = (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) !== 0n;
  if (toNew) {
    if (target > TASK_SIZE - newLen) return -E.EINVAL;
    if (target & PAGE_OFFSET) return -E.EINVAL;
    if (!(flags & MREMAP_MAYMOVE)) return -E.EINVAL;
    if (flags & MREMAP_DONTUNMAP && oldLen !== newLen) return -E.EINVAL;
    const oldEnd = BigInt.asUintN(64, addr + oldLen);
    if (oldEnd > target && target + newLen > addr) return -E.EINVAL;
  }

  // A move to a fixed place that keeps the length moves every mapping in the range (Linux 6.17).
  if (flags & MREMAP_FIXED && oldLen === newLen) return moveEach(mem, addr, oldLen, target, (flags & MREMAP_DONTUNMAP) !== 0n);

  // The mapping at the old address, then check_prep_vma.
  const m = addr < LIMIT ? mem.findMapping(Number(addr)) : undefined;
  if (!m) return -E.EFAULT;
  const start = Number(addr);
  if (toNew || newLen > oldLen) {
    // Duplicating a private mapping (old length 0) would make an unrelated one.
    if (oldLen === 0n && !m.shared) return -E.EINVAL;
    // What is moved or grown must lie in one mapping; a move that shrinks first cuts the rest off.
    const kept = toNew && newLen < oldLen ? newLen : oldLen;
    if (addr + kept > BigInt(m.end)) return -E.EFAULT;
  }
  // Past the checks above, the old range lies inside one mapping or is cut by a shrink.
  const oldEnd = start + Number(oldLen > LIMIT ? LIMIT : oldLen);

  if (!toNew) {
    if (newLen === oldLen) return start;
    if (newLen < oldLen) {
      // A shrink unmaps the tail, whatever it spans, as munmap would (and fails where munmap would).
      const r = unmapRange(mem, addr + newLen, oldLen - newLen);
      return r < 0 ? r : start;
    }
    const grownEnd = addr + newLen;
    // --memory-limit: the pages added must fit, as a new mapping of that size would.
    if (!mem.mayMap(Number(newLen - oldLen), m.prot, m.file === true || m.shared !== undefined)) return -E.ENOMEM;
    // Grow in place when the range ends where its mapping does and the pages after it are free.
    if (oldEnd === m.end && grownEnd <= LIMIT && !mem.isAnyMapped(oldEnd, Number(grownEnd) - oldEnd)) {
      dropSharedMaps(mem, start, oldEnd);
      mem.map(oldEnd, Number(grownEnd) - oldEnd, m.prot, m.name, m);
      return start;
    }
    if (!(flags & MREMAP_MAYMOVE)) return -E.ENOMEM;
    if (newLen > LIMIT) return -E.ENOMEM;
    const moved = mem.findFree(Number(newLen));
    if (moved < 0) return -E.ENOMEM;
    dropSharedMaps(mem, start, oldEnd);
    mem.move(start, oldEnd - start, moved, Number(newLen));
    return moved;
  }

  // mremap_to: MREMAP_FIXED first unmaps the target (the part of it guest memory has).
  let oldLength = oldEnd - start;
  if (flags & MREMAP_FIXED) {
    const clear = belowLimit(target, target + newLen);
    if (clear) {
      dropSharedMaps(mem, clear[0], clear[1]);
      mem.unmap(clear[0], clear[1] - clear[0]);
    }
  }
  if (newLen < oldLen) {
    const r = unmapRange(mem, addr + newLen, oldLen - newLen);
    if (r < 0) return r;
    oldLength = Number(newLen);
  }
  // get_unmapped_area for the new range: the NULL page is refused; guest memory ends 2 MiB short of 4 GiB.
  let to: number;
  if (flags & MREMAP_FIXED) {
    if (target < BigInt(LAYOUT.minAddr)) return -E.EPERM;
    if (target + newLen > LIMIT) return -E.ENOMEM;
    to = Number(target);
  } else {
    const hinted = target >= BigInt(LAYOUT.minAddr) && target + newLen <= BigInt(LAYOUT.mmapTop) && !mem.isAnyMapped(Number(target), Number(newLen));
    to = hinted ? Number(target) : newLen <= LIMIT ? mem.findFree(Number(newLen)) : -1;
    if (to < 0) return -E.ENOMEM;
  }
  dropSharedMaps(mem, start, start + oldLength);
  mem.move(start, oldLength, to, Number(newLen));
  // MREMAP_DONTUNMAP leaves the old range mapped, without its pages: it reads as zero.
  if (flags & MREMAP_DONTUNMAP) mem.map(start, oldLength, m.prot, m.name, m);
  return to;
}

/**
 * remap_move: MREMAP_FIXED with the length kept moves each mapping of [addr, addr + len) to the same
 * offset from `target`, gaps and all, each one's target unmapped first. The range must begin in a
 * mapping (EFAULT). Returns the new address of the first, or the -errno that stopped the moves (those
 * before it have happened).
 */
function moveEach(mem: Task["mem"], addr: bigint, len: bigint, target: bigint, dontUnmap: boolean): number {
  const range = belowLimit(addr, addr + len);
  const pieces = range ? mem.mappingsIn(range[0], range[1]) : [];
  if (!range || pieces.length === 0 || pieces[0].start > range[0]) return -E.EFAULT;
  let first = -1;
  for (const m of pieces) {
    const a = Math.max(range[0], m.start);
    const b = Math.min(range[1], m.end);
    const to = target + BigInt(a - range[0]);
    const clear = belowLimit(to, to + BigInt(b - a));
    if (clear) {
      dropSharedMaps(mem, clear[0], clear[1]);
      mem.unmap(clear[0], clear[1] - clear[0]);
    }
    if (to < BigInt(LAYOUT.minAddr)) return -E.EPERM;
    if (to + BigInt(b - a) > LIMIT) return -E.ENOMEM;
    dropSharedMaps(mem, a, b);
    mem.move(a, b - a, Number(to), b - a);
    if (dontUnmap) mem.map(a, b - a, m.prot, m.name, m);
    if (first < 0) first = Number(to);
  }
  return first;
}
