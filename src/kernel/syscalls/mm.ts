// Memory syscalls: brk, mmap and munmap here, and the table of every memory syscall. The others are
// in mm-protect.ts (mprotect, mlock, msync), mm-advise.ts (madvise, mincore) and mm-remap.ts (mremap);
// shared file mappings' write-back is in mm-shared.ts.
//
// Hostile addresses and lengths: the checks follow Linux 6.x's own (mm/mmap.c, mm/util.c,
// arch/riscv/kernel/sys_riscv.c), in Linux's order, on the unsigned 64-bit values (mm-range.ts), so
// a negative address or a length that wraps gets Linux's errno and changes nothing.
import type { SyscallRow } from "./types.js";
import type { Task } from "../task.js";
import type { OpenFile } from "../vfs/open-file.js";
import { argI64, argInt, argLong, argU64 } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { O } from "../../abi/fs.js";
import { canRead, canWrite } from "../vfs/open-file.js";
import { addSharedMap, dropSharedMaps } from "./mm-shared.js";
import { hostWork } from "../host-work.js";
import { fillFromFile } from "./mm-file.js";
import { writeSealed } from "./memfd.js";
import { addFileSegment } from "./mm-memfs.js";
import { LIMIT, PAGE_OFFSET, TASK_SIZE, pageAlign, unmapRange } from "./mm-range.js";
import { madviseRows } from "./mm-advise.js";
import { protectRows } from "./mm-protect.js";
import { mremap } from "./mm-remap.js";
import {
  GUEST_LIMIT, LAYOUT, PAGE_SIZE, pageRoundUp, PROT_READ, PROT_WRITE, PROT_EXEC, type MappingTraits,
} from "../../mem/address-space.js";

// mmap flags (asm-generic/mman-common.h, linux/mman.h).
const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_SHARED_VALIDATE = 0x03;
const MAP_DROPPABLE = 0x08;
const MAP_TYPE = 0x0f;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_GROWSDOWN = 0x100;
const MAP_LOCKED = 0x2000;
const MAP_HUGETLB = 0x40000;
const MAP_SYNC = 0x80000;
const MAP_FIXED_NOREPLACE = 0x100000;
const MAP_HUGE_SHIFT = 26;
const MAP_HUGE_MASK = 0x3f;
/**
 * The flags every file mapping accepts (linux/mman.h's LEGACY_MAP_MASK for riscv64): the types,
 * FIXED, ANONYMOUS, DENYWRITE, EXECUTABLE, UNINITIALIZED, GROWSDOWN, LOCKED, NORESERVE, POPULATE,
 * NONBLOCK, STACK, HUGETLB and the huge page sizes 2 MB and 1 GB. MAP_SHARED_VALIDATE refuses others.
 */
const LEGACY_MAP_MASK =
  0x01 | 0x02 | 0x10 | 0x20 | 0x800 | 0x1000 | 0x4000000 | 0x100 | 0x2000 | 0x4000 | 0x8000 | 0x10000 | 0x20000 |
  0x40000 | (21 << MAP_HUGE_SHIFT) | (30 << MAP_HUGE_SHIFT);
/** Huge page sizes (log2) a riscv64 kernel has: the default, 2 MB and 1 GB. None are reserved, so such a mapping is ENOMEM. */
const HUGE_PAGE_SIZES = [0, 21, 30];
/** vm.max_map_count's default. */
const MAX_MAP_COUNT = 65530;
/** MAX_LFS_FILESIZE: the largest offset a regular file may be mapped to. */
const MAX_FILE_SIZE = (1n << 63n) - 1n;
const PROT_RWX = PROT_READ | PROT_WRITE | PROT_EXEC;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
/** Names the object each MAP_SHARED mapping shares (Mapping.shared). */
let sharedObjects = 0;
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
    // Guest memory ends at GUEST_LIMIT, as Linux's brk fails at a mapping or the end of the space.
    if (newTop > GUEST_LIMIT || mem.isAnyMapped(oldTop, newTop - oldTop)) return mem.brk;
    if (!mem.mayMap(newTop - oldTop, PROT_WRITE, false)) return mem.brk; // --memory-limit
    mem.map(oldTop, newTop - oldTop, PROT_READ | PROT_WRITE, "[heap]");
  } else if (newTop < oldTop) {
    dropSharedMaps(mem, newTop, oldTop);
    mem.unmap(newTop, oldTop - newTop);
  }
  mem.brk = want;
  return want;
}

/**
 * Why a file cannot be mapped (-errno), or 0. Regular files and /dev/zero can; a directory, pipe or
 * other device has no mmap (ENODEV).
 */
function unmappable(file: OpenFile): number {
  if (file.kind === "file") return 0;
  if (file.kind === "device" && (file as OpenFile & { device?: string }).device === "zero") return 0;
  if (file.kind === "stdio") {
    // A standard stream is mappable when the host gave it a regular file.
    const st = file.stat();
    if (typeof st !== "number" && (st.mode & S_IFMT) === S_IFREG) return 0;
  }
  return -E.ENODEV;
}

/** Where a mapping without MAP_FIXED goes: the hint when that range is free, else the highest free range. */
function placeMapping(t: Task, hint: bigint, size: number): number {
  // round_hint_to_min: a hint below mmap_min_addr asks for mmap_min_addr.
  let h = hint & ~PAGE_OFFSET;
  if (h !== 0n && h < BigInt(LAYOUT.minAddr)) h = BigInt(LAYOUT.minAddr);
  if (h !== 0n && h + BigInt(size) <= BigInt(LAYOUT.mmapTop) && !t.mem.isAnyMapped(Number(h), size)) return Number(h);
  return t.mem.findFree(size);
}

/** mmap implements Linux syscall mmap(2): anonymous mappings, and private or shared file mappings. */
function mmap(t: Task): number {
  const mem = t.mem;
  const addrIn = argU64(t, 0);
  const lenIn = argU64(t, 1);
  // Only the low bits of prot and flags carry meaning; flags' high half is refused by MAP_SHARED_VALIDATE.
  const prot = Number(argU64(t, 2) & 0xffffffffn);
  const flagsHigh = argU64(t, 3) >> 32n !== 0n;
  let flags = argInt(t, 3) >>> 0;
  const offset = argI64(t, 5);

  // riscv's sys_mmap: the offset is a signed off_t, shifted arithmetically into a page offset.
  if (offset & PAGE_OFFSET) return -E.EINVAL;
  const pgoff = BigInt.asUintN(64, offset >> 12n);

  let file: OpenFile | null = null;
  if (!(flags & MAP_ANONYMOUS)) {
    file = t.process.fds.get(argInt(t, 4)) ?? null;
    if (!file || file.flags & O.PATH) return -E.EBADF;
    if (flags & MAP_HUGETLB) return -E.EINVAL;
  } else if (flags & MAP_HUGETLB) {
    // No huge pages are ever reserved: a size the kernel has is ENOMEM, any other EINVAL.
    return HUGE_PAGE_SIZES.includes((flags >>> MAP_HUGE_SHIFT) & MAP_HUGE_MASK) ? -E.ENOMEM : -E.EINVAL;
  }

  // do_mmap
  if (lenIn === 0n) return -E.EINVAL;
  if (flags & MAP_FIXED_NOREPLACE) flags |= MAP_FIXED;
  const len = pageAlign(lenIn);
  if (len === 0n) return -E.ENOMEM;
  if (BigInt.asUintN(64, pgoff + (len >> 12n)) < pgoff) return -E.EOVERFLOW;
  if (mem.mappingCount() > MAX_MAP_COUNT) return -E.ENOMEM;

  // __get_unmapped_area
  if (len > TASK_SIZE - BigInt(LAYOUT.minAddr)) return -E.ENOMEM;
  let addr: number;
  if (flags & MAP_FIXED) {
    if (addrIn > TASK_SIZE - len) return -E.ENOMEM;
    if (addrIn & PAGE_OFFSET) return -E.EINVAL;
    if (addrIn < BigInt(LAYOUT.minAddr)) return -E.EPERM;
    // Guest memory ends 2 MiB short of 4 GiB (GUEST_LIMIT): Linux would map there, rvtrace cannot.
    if (addrIn + len > LIMIT) return -E.ENOMEM;
    addr = Number(addrIn);
    if (flags & MAP_FIXED_NOREPLACE && mem.isAnyMapped(addr, Number(len))) return -E.EEXIST;
  } else {
    if (len > LIMIT) return -E.ENOMEM;
    addr = placeMapping(t, addrIn, Number(len));
    if (addr < 0) return -E.ENOMEM;
  }
  const size = Number(len);

  const type = flags & MAP_TYPE;
  const traits: MappingTraits = {};
  if (file) {
    const maxSize = file.kind === "file" ? MAX_FILE_SIZE : (1n << 64n) - 1n;
    if (len > maxSize || pgoff > (maxSize - len) >> 12n) return -E.EOVERFLOW;
    // No file here is a DAX file: synchronous page faults are never available.
    if (flags & MAP_SYNC) return -E.EOPNOTSUPP;
    if (type === MAP_SHARED || type === MAP_SHARED_VALIDATE) {
      if (type === MAP_SHARED_VALIDATE && (flagsHigh || flags & ~LEGACY_MAP_MASK)) return -E.EOPNOTSUPP;
      if (prot & PROT_WRITE && !canWrite(file)) return -E.EACCES;
      // A memfd sealed against writes cannot be written through a mapping either.
      const sealed = writeSealed(file);
      if (prot & PROT_WRITE && sealed) return -E.EPERM;
      traits.shared = ++sharedObjects;
      // Linux clears VM_MAYWRITE: mprotect can never make it writable.
      if (!canWrite(file) || sealed) traits.maxProt = PROT_READ | PROT_EXEC;
    } else if (type !== MAP_PRIVATE) {
      return -E.EINVAL;
    }
    if (!canRead(file)) return -E.EACCES;
    const why = unmappable(file);
    if (why < 0) return why;
    if (flags & MAP_GROWSDOWN) return -E.EINVAL;
    traits.file = true;
  } else if (type === MAP_SHARED) {
    if (flags & MAP_GROWSDOWN) return -E.EINVAL;
    traits.shared = ++sharedObjects;
  } else if (type === MAP_DROPPABLE) {
    // Droppable pages may vanish at any time; keeping them is one of the things they may do.
    if (flags & (MAP_LOCKED | MAP_HUGETLB | MAP_GROWSDOWN)) return -E.EINVAL;
  } else if (type !== MAP_PRIVATE) {
    return -E.EINVAL;
  }
  if (flags & MAP_GROWSDOWN) traits.growsDown = true;

  if (!mem.mayMap(size, prot, file !== null || traits.shared !== undefined)) return -E.ENOMEM; // --memory-limit
  dropSharedMaps(mem, addr, addr + size);
  // Named as /proc/PID/maps shows it: a file's guest path (a file without one, such as /dev/zero's
  // private mapping, shows as anonymous memory), nothing for anonymous memory.
  mem.map(addr, size, prot & PROT_RWX, file?.path.startsWith("/") ? file.path : "", traits);
  if (file) {
    const clean = traits.shared ? new Uint8Array(size) : undefined;
    const r = fillFromFile(mem, addr, size, file, Number(pgoff) * PAGE_SIZE, clean);
    if (r < 0) {
      mem.unmap(addr, size);
      return r;
    }
    t.kernel.charge(hostWork.bytes(r)); // the file's bytes read, to --max-insns
    if (clean) addSharedMap(t.process, addr, addr + size, file, Number(pgoff) * PAGE_SIZE, clean);
  }
  // Shared with the children a fork makes from now on (and with other mappings of an in-memory file).
  if (traits.shared) addFileSegment(mem, addr, size, file, Number(pgoff) * PAGE_SIZE);
  return addr;
}

/** munmap implements Linux syscall munmap(2); pages above guest memory are never mapped. */
function munmap(t: Task): number {
  return unmapRange(t.mem, argU64(t, 0), argU64(t, 1));
}

export const mmSyscalls: SyscallRow[] = [
  { name: "brk", handler: brk, support: "full" },
  {
    name: "mmap", handler: mmap, support: "partial",
    note: "a MAP_SHARED file mapping is a copy whose changes reach the file at msync, munmap and exit; it does not see the file's later changes (but mappings of the same part of an in-memory file by different processes share their bytes); guest memory ends 2 MiB short of 4 GiB, at 0xffe00000 (a range above it is ENOMEM)",
  },
  { name: "munmap", handler: munmap, support: "full" },
  {
    name: "mremap", handler: mremap, support: "partial",
    note: "a MAP_SHARED file mapping that is resized or moved writes its changes back and is a private copy from then on",
  },
  ...protectRows,
  ...madviseRows,
];
