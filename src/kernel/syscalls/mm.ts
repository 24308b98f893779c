// Memory syscalls: brk, mmap, munmap, mprotect, mremap, madvise, msync, and the mlock family. Shared file mappings'
// write-back is in mm-shared.ts.
import type { SyscallRow } from "./types.js";
import type { Task } from "../task.js";
import { argInt, argLong, argPtr, argU64 } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { canRead, canWrite } from "../vfs/open-file.js";
import { addSharedMap, dropSharedMaps, sharedMapDeniesWrite, syncSharedMaps } from "./mm-shared.js";
import { LAYOUT, PAGE_SIZE, pageRoundUp, PROT_READ, PROT_WRITE, PROT_EXEC, ADDRESS_LIMIT } from "../../mem/address-space.js";

// mmap flags (asm-generic/mman-common.h, linux/mman.h).
const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_SHARED_VALIDATE = 0x03;
const MAP_TYPE = 0x0f;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_FIXED_NOREPLACE = 0x100000;
const MREMAP_MAYMOVE = 1;
const MREMAP_FIXED = 2;
const MADV_DONTNEED = 4;
const MS_ASYNC = 1;
const MS_INVALIDATE = 2;
const MS_SYNC = 4;
const PROT_KNOWN = PROT_READ | PROT_WRITE | PROT_EXEC;
/** The most a guest may grow brk beyond its start (RLIMIT_DATA is unlimited by default; keep it sane). */
const BRK_MAX = 0x2000_0000;

/** brk implements Linux syscall brk(2): returns the new break, or the old one on failure. */
function brk(t: Task): number {
  const mem = t.mem;
  const want = argLong(t, 0);
  if (want < mem.brkStart || want > mem.brkStart + BRK_MAX) return mem.brk;
  const oldTop = pageRoundUp(mem.brk);
  const newTop = pageRoundUp(want);
  if (newTop > oldTop) {
    if (mem.isAnyMapped(oldTop, newTop - oldTop)) return mem.brk;
    mem.map(oldTop, newTop - oldTop, PROT_READ | PROT_WRITE, "[heap]");
  } else if (newTop < oldTop) {
    mem.unmap(newTop, oldTop - newTop);
  }
  mem.brk = want;
  return want;
}

/** mmap implements Linux syscall mmap(2): anonymous mappings, and private or shared file mappings. */
function mmap(t: Task): number {
  const mem = t.mem;
  const hint = argLong(t, 0);
  const len = argLong(t, 1);
  const prot = argInt(t, 2);
  const flags = argInt(t, 3);
  const fd = argInt(t, 4);
  const offset = argLong(t, 5);
  if (len <= 0) return -E.EINVAL;
  // Linux: a length that cannot fit in the address space is ENOMEM (the C++ runtime relies on it).
  if (len > ADDRESS_LIMIT) return -E.ENOMEM;
  if (prot & ~PROT_KNOWN) return -E.EINVAL;
  const type = flags & MAP_TYPE;
  if (type !== MAP_PRIVATE && type !== MAP_SHARED && type !== MAP_SHARED_VALIDATE) return -E.EINVAL;
  if (offset < 0 || offset % PAGE_SIZE !== 0) return -E.EINVAL;
  const size = pageRoundUp(len);

  let file = null;
  if (!(flags & MAP_ANONYMOUS)) {
    file = t.process.fds.get(fd);
    if (!file) return -E.EBADF;
    // A writable shared mapping writes to the file: it must be open for reading and writing.
    if (type !== MAP_PRIVATE && prot & PROT_WRITE && !(canRead(file) && canWrite(file))) return -E.EACCES;
  }

  let addr: number;
  if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
    if (hint % PAGE_SIZE !== 0) return -E.EINVAL;
    if (hint < LAYOUT.minAddr || hint + size > ADDRESS_LIMIT) return flags & MAP_FIXED ? -E.EPERM : -E.ENOMEM;
    if (flags & MAP_FIXED_NOREPLACE && !(flags & MAP_FIXED) && mem.isAnyMapped(hint, size)) return -E.EEXIST;
    addr = hint;
  } else if (hint >= LAYOUT.minAddr && hint % PAGE_SIZE === 0 && hint + size <= LAYOUT.mmapTop && !mem.isAnyMapped(hint, size)) {
    addr = hint;
  } else {
    addr = mem.findFree(size);
    if (addr < 0) return -E.ENOMEM;
  }

  dropSharedMaps(mem, addr, addr + size);
  mem.map(addr, size, prot, file ? "file" : "anon");
  if (file) {
    // A copy of the file's bytes; a shared mapping writes its changes back (mm-shared.ts).
    const chunk = new Uint8Array(size);
    const got = file.pread ? file.pread(chunk, offset) : -E.ENODEV;
    if (typeof got !== "number" || got < 0) {
      mem.unmap(addr, size);
      return typeof got === "number" ? (got === -E.EISDIR ? -E.ENODEV : got) : -E.EACCES;
    }
    // Through poke, not the backing store directly: a write log (record and replay) sees the file's bytes.
    mem.poke(addr, chunk.subarray(0, got));
    if (type !== MAP_PRIVATE) addSharedMap(t.process, addr, addr + size, file, offset);
  }
  // Shared with the children a fork makes from now on.
  if (type !== MAP_PRIVATE) mem.addSharedSegment(addr, addr + size);
  return addr;
}

// Hostile addresses and lengths: the checks below follow Linux's own, in Linux's order, on the
// unsigned 64-bit values (BigInt), so a negative address or a length that wraps gets Linux's errno and
// changes nothing. Guest memory ends at 4 GiB; Linux's user address space goes on to TASK_SIZE, where
// nothing is ever mapped for a guest, so a range that reaches past 4 GiB is treated as unmapped there.

/** Linux's TASK_SIZE for riscv64 with Sv48 (as for x86-64): the end of the user address space. */
const TASK_SIZE = 1n << 47n;
const PAGE = BigInt(PAGE_SIZE);
const PAGE_OFFSET = PAGE - 1n;
const LIMIT = BigInt(ADDRESS_LIMIT);

/** Linux's PAGE_ALIGN on an unsigned long: rounds up to a page, wrapping to 0 past 2^64. */
const pageAlign = (len: bigint): bigint => BigInt.asUintN(64, len + PAGE_OFFSET) & ~PAGE_OFFSET;

/** [start, end) as Numbers when it lies wholly below 4 GiB, else null (nothing is mapped there). */
function below4G(start: bigint, end: bigint): [number, number] | null {
  return end <= LIMIT ? [Number(start), Number(end)] : null;
}

/** munmap implements Linux syscall munmap(2); pages above guest memory are never mapped. */
function munmap(t: Task): number {
  const start = argU64(t, 0);
  const len = argU64(t, 1);
  if (start & PAGE_OFFSET || start > TASK_SIZE || len > TASK_SIZE - start) return -E.EINVAL;
  const aligned = pageAlign(len);
  if (aligned === 0n) return -E.EINVAL;
  if (start < LIMIT) {
    const from = Number(start);
    const to = Number(start + aligned < LIMIT ? start + aligned : LIMIT);
    dropSharedMaps(t.mem, from, to);
    t.mem.unmap(from, to - from);
  }
  return 0;
}

/** mprotect implements Linux syscall mprotect(2). */
function mprotect(t: Task): number {
  const start = argU64(t, 0);
  const prot = argInt(t, 2);
  if (start & PAGE_OFFSET) return -E.EINVAL;
  if (prot & ~(PROT_KNOWN | 0x01000000 | 0x02000000)) return -E.EINVAL;
  const len = argU64(t, 1);
  if (len === 0n) return 0;
  const aligned = pageAlign(len);
  const end = start + aligned;
  if (aligned === 0n || end >= 1n << 64n) return -E.ENOMEM;
  const range = below4G(start, end);
  if (!range || !t.mem.isFullyMapped(range[0], range[1])) return -E.ENOMEM;
  // Writing through a MAP_SHARED mapping writes the file: its descriptor must have been writable.
  if (prot & PROT_WRITE && sharedMapDeniesWrite(t.mem, range[0], range[1])) return -E.EACCES;
  return t.mem.protect(range[0], range[1] - range[0], prot & PROT_KNOWN) ? 0 : -E.ENOMEM;
}

/** mremap implements Linux syscall mremap(2): shrink, grow in place, or move with MREMAP_MAYMOVE. */
function mremap(t: Task): number {
  const mem = t.mem;
  const flags = argInt(t, 3);
  const oldStart = argU64(t, 0);
  if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | 4) || oldStart & PAGE_OFFSET) return -E.EINVAL;
  if (flags & MREMAP_FIXED && !(flags & MREMAP_MAYMOVE)) return -E.EINVAL;
  const oldAligned = pageAlign(argU64(t, 1));
  const newAligned = pageAlign(argU64(t, 2));
  if (newAligned === 0n || newAligned > TASK_SIZE) return -E.EINVAL;
  let target: bigint | null = null;
  if (flags & MREMAP_FIXED) {
    target = argU64(t, 4);
    if (target & PAGE_OFFSET || target > TASK_SIZE - newAligned) return -E.EINVAL;
    // The new range may not overlap the old one.
    if (target < oldStart + oldAligned && oldStart < target + newAligned) return -E.EINVAL;
    if (target < BigInt(LAYOUT.minAddr)) return -E.EPERM;
  }
  const old = below4G(oldStart, oldStart + oldAligned);
  if (!old || !mem.findMapping(old[0]) || !mem.isFullyMapped(old[0], old[1])) return -E.EFAULT;
  const m = mem.findMapping(old[0])!;
  const oldLen = old[1] - old[0];
  // Guest memory ends at 4 GiB: a range that would reach past it cannot be had.
  if (newAligned > LIMIT) return -E.ENOMEM;
  const newLen = Number(newAligned);
  // A shared file mapping that is resized or moved writes back now and is private from then on.
  dropSharedMaps(mem, old[0], old[1]);
  if (target !== null) {
    const to = below4G(target, target + newAligned);
    if (!to) return -E.ENOMEM;
    mem.move(old[0], oldLen, to[0], newLen);
    return to[0];
  }
  if (newLen <= oldLen) {
    if (newLen < oldLen) mem.unmap(old[0] + newLen, oldLen - newLen);
    return old[0];
  }
  if (old[0] + newLen <= ADDRESS_LIMIT && !mem.isAnyMapped(old[1], newLen - oldLen)) {
    const saved = mem.bytes.slice(old[0], old[1]);
    mem.map(old[1], newLen - oldLen, m.prot, m.name);
    mem.bytes.set(saved, old[0]);
    return old[0];
  }
  if (!(flags & MREMAP_MAYMOVE)) return -E.ENOMEM;
  const moved = mem.findFree(newLen);
  if (moved < 0) return -E.ENOMEM;
  mem.move(old[0], oldLen, moved, newLen);
  return moved;
}

/** madvise implements Linux syscall madvise(2): MADV_DONTNEED zeroes; other advice is accepted. */
function madvise(t: Task): number {
  const start = argU64(t, 0);
  const lenIn = argU64(t, 1);
  const advice = argInt(t, 2);
  if (start & PAGE_OFFSET) return -E.EINVAL;
  const len = pageAlign(lenIn);
  if (lenIn !== 0n && len === 0n) return -E.EINVAL;
  const end = start + len;
  if (end >= 1n << 64n) return -E.EINVAL;
  if (end === start) return 0;
  const range = below4G(start, end);
  if (!range || !t.mem.isFullyMapped(range[0], range[1])) return -E.ENOMEM;
  if (advice === MADV_DONTNEED) t.mem.zero(range[0], range[1] - range[0]);
  return 0;
}

/** msync implements Linux syscall msync(2): shared file mappings write their changes back. */
function msync(t: Task): number {
  const start = argU64(t, 0);
  const flags = argInt(t, 2);
  if (start & PAGE_OFFSET || flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) return -E.EINVAL;
  if (flags & MS_ASYNC && flags & MS_SYNC) return -E.EINVAL;
  const end = start + pageAlign(argU64(t, 1));
  if (end >= 1n << 64n) return -E.ENOMEM;
  if (end === start) return 0;
  const range = below4G(start, end);
  if (!range || !t.mem.isFullyMapped(range[0], range[1])) return -E.ENOMEM;
  return syncSharedMaps(t.mem, range[0], range[1]);
}

/** mlock/munlock(addr, len): the range must be mapped (ENOMEM); nothing is paged out anyway. */
function mlockRange(t: Task): number {
  const addr = argU64(t, 0);
  const start = addr & ~PAGE_OFFSET;
  const end = start + pageAlign(argU64(t, 1) + (addr & PAGE_OFFSET));
  if (end >= 1n << 64n) return -E.EINVAL;
  if (end === start) return 0;
  const range = below4G(start, end);
  if (!range || !t.mem.isFullyMapped(range[0], range[1])) return -E.ENOMEM;
  return 0;
}

/**
 * mincore(addr, len, vec): one byte per page, bit 0 set when the page is resident. Guest memory
 * never leaves host memory, so every mapped page is; a range with a hole is ENOMEM.
 */
function mincore(t: Task): number {
  const start = argU64(t, 0);
  const len = argU64(t, 1);
  if (start & PAGE_OFFSET) return -E.EINVAL;
  if (start + len > TASK_SIZE) return -E.ENOMEM;
  const range = below4G(start, start + pageAlign(len));
  if (!range || !t.mem.isFullyMapped(range[0], range[1])) return -E.ENOMEM;
  t.mem.write(argPtr(t, 2), new Uint8Array((range[1] - range[0]) / PAGE_SIZE).fill(1));
  return 0;
}

export const mmSyscalls: SyscallRow[] = [
  { name: "brk", handler: brk, support: "full" },
  {
    name: "mmap", handler: mmap, support: "partial",
    note: "a MAP_SHARED file mapping is a copy whose changes reach the file at msync, munmap and exit; it does not see the file's later changes",
  },
  { name: "munmap", handler: munmap, support: "full" },
  { name: "mprotect", handler: mprotect, support: "full" },
  { name: "mremap", handler: mremap, support: "full" },
  { name: "msync", handler: msync, support: "full" },
  // Guest memory never leaves host memory: locking it has nothing to do.
  { name: "mlock", handler: mlockRange, support: "full" },
  { name: "munlock", handler: mlockRange, support: "full" },
  { name: "mlockall", handler: (t) => (argInt(t, 0) & ~7 || (argInt(t, 0) & 3) === 0 ? -E.EINVAL : 0), support: "full" },
  { name: "munlockall", handler: () => 0, support: "full" },
  { name: "mincore", handler: mincore, support: "full" },
  { name: "madvise", handler: madvise, support: "partial", note: "only MADV_DONTNEED has an effect; other advice is accepted and ignored" },
];
