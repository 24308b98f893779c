// What a syscall wrote into guest memory: rvtrace's extension of the utrace API for record and
// replay (docs/engines.md, "Guest memory a syscall wrote"). The kernel keeps a log of the ranges
// its checked accessors wrote while one syscall's handler ran (AddressSpace.writeLog); at the
// syscall-exit report an engine gets them merged, with the bytes they hold now. Replaying puts such
// bytes back with the kernel's own rights: a read-only page the kernel filled (a file mapping) takes
// them as it took the file's bytes.
import { PAGE_MAPPED, PAGE_SHIFT, PAGE_SIZE, type AddressSpace } from "../mem/address-space.js";
import { GuestFault } from "../mem/address-space.js";

/** One run of guest memory a syscall wrote, and its bytes at the syscall's exit. */
export interface SyscallWrite {
  addr: number;
  bytes: Uint8Array;
}

/**
 * Merges a log of [addr, len] pairs into sorted, disjoint runs (touching runs join) and copies
 * their bytes. Pages unmapped since the write (a failed mmap cleans up) are left out.
 */
export function collectWrites(mem: AddressSpace, log: readonly number[]): SyscallWrite[] {
  if (log.length === 0) return [];
  const ranges: [number, number][] = [];
  for (let i = 0; i < log.length; i += 2) ranges.push([log[i], log[i] + log[i + 1]]);
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const out: SyscallWrite[] = [];
  for (const [start, end] of merged) {
    // Split at unmapped pages.
    let runStart = -1;
    for (let a = start; a < end; ) {
      const pageEnd = Math.min(end, ((a >>> PAGE_SHIFT) + 1) * PAGE_SIZE);
      const mapped = (mem.perms[a >>> PAGE_SHIFT] & PAGE_MAPPED) !== 0;
      if (mapped && runStart < 0) runStart = a;
      if (!mapped && runStart >= 0) {
        out.push({ addr: runStart, bytes: mem.bytes.slice(runStart, a) });
        runStart = -1;
      }
      a = pageEnd;
    }
    if (runStart >= 0) out.push({ addr: runStart, bytes: mem.bytes.slice(runStart, end) });
  }
  return out;
}

/**
 * Writes runs into guest memory as the kernel does for a syscall: page protections are not checked
 * (the kernel fills read-only file mappings), but every page must be mapped (GuestFault otherwise,
 * and nothing is written).
 */
export function pokeWrites(mem: AddressSpace, writes: readonly SyscallWrite[]): void {
  for (const w of writes) {
    if (!mem.isFullyMapped(w.addr, w.addr + w.bytes.length)) throw new GuestFault(w.addr);
  }
  for (const w of writes) mem.poke(w.addr, w.bytes);
}
