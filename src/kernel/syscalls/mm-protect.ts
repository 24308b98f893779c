// mprotect, the mlock family and msync: calls that act on every mapping of a range, in order, and
// meet a hole with ENOMEM. As on Linux (mm/mprotect.c, mm/mlock.c, mm/msync.c), what lies before the
// hole has been acted on by then; the checks are Linux's, in its order, on unsigned 64-bit values.
import type { SyscallRow } from "./types.js";
import type { Task } from "../task.js";
import { argInt, argU64 } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { syncSharedMaps } from "./mm-shared.js";
import { PAGE_OFFSET, WRAP, belowLimit, pageAlign } from "./mm-range.js";
import { PROT_EXEC, PROT_READ, PROT_WRITE } from "../../mem/address-space.js";

const PROT_SEM = 0x8;
const PROT_GROWSDOWN = 0x01000000;
const PROT_GROWSUP = 0x02000000;
const PROT_RWX = PROT_READ | PROT_WRITE | PROT_EXEC;
const MLOCK_ONFAULT = 1;
const MS_ASYNC = 1;
const MS_INVALIDATE = 2;
const MS_SYNC = 4;

/**
 * mprotect implements Linux syscall mprotect(2) (do_mprotect_pkey): mappings from the start of the
 * range on get the new protections until a hole (ENOMEM) or a mapping that may not have them
 * (EACCES: a MAP_SHARED mapping of a descriptor not open for writing, made writable).
 */
function mprotect(t: Task): number {
  const mem = t.mem;
  const start = argU64(t, 0);
  const lenIn = argU64(t, 1);
  let prot = argU64(t, 2);
  const grows = prot & BigInt(PROT_GROWSDOWN | PROT_GROWSUP);
  prot &= ~grows;
  if (grows === BigInt(PROT_GROWSDOWN | PROT_GROWSUP)) return -E.EINVAL;
  if (start & PAGE_OFFSET) return -E.EINVAL;
  if (lenIn === 0n) return 0;
  const end = start + pageAlign(lenIn);
  if (end <= start || end >= WRAP) return -E.ENOMEM;
  // arch_validate_prot: riscv knows PROT_SEM besides read, write and execute.
  if (prot & ~BigInt(PROT_RWX | PROT_SEM)) return -E.EINVAL;
  const want = Number(prot) & PROT_RWX;

  const range = belowLimit(start, end);
  const first = range && mem.mappingsIn(range[0], range[1])[0];
  if (!range || !first) return -E.ENOMEM;
  let from = range[0];
  if (grows === BigInt(PROT_GROWSDOWN)) {
    // The change reaches down to the start of the mapping that grows down.
    from = first.start;
    if (!first.growsDown) return -E.EINVAL;
  } else {
    if (first.start > from) return -E.ENOMEM;
    // riscv has no mapping that grows up.
    if (grows) return -E.EINVAL;
  }
  const run = mem.mappedUntil(from, range[1]);
  let stop = run;
  let error = run < range[1] || BigInt(range[1]) < end ? -E.ENOMEM : 0;
  for (const m of mem.mappingsIn(from, run)) {
    if (m.maxProt !== undefined && want & ~m.maxProt) {
      stop = Math.max(from, m.start);
      error = -E.EACCES;
      break;
    }
  }
  if (stop > from) mem.protect(from, stop - from, want);
  return error;
}

/**
 * mlock, munlock and mlock2 (do_mlock, apply_vma_lock_flags): the range, widened to whole pages, must
 * be mapped, and mlock also readable, writable or executable (faulting in a PROT_NONE page fails).
 * Guest memory never leaves host memory, so locking it has nothing else to do.
 */
function lockRange(t: Task, lock: boolean): number {
  const addr = argU64(t, 0);
  const start = addr & ~PAGE_OFFSET;
  const end = start + pageAlign(argU64(t, 1) + (addr & PAGE_OFFSET));
  if (end >= WRAP) return -E.EINVAL;
  if (end === start) return 0;
  const range = belowLimit(start, end);
  if (!range || !t.mem.isFullyMapped(range[0], range[1]) || BigInt(range[1]) < end) return -E.ENOMEM;
  if (lock && t.mem.mappingsIn(range[0], range[1]).some((m) => (m.prot & PROT_RWX) === 0)) return -E.ENOMEM;
  return 0;
}

/** mlock2(addr, len, flags): mlock with MLOCK_ONFAULT allowed. */
function mlock2(t: Task): number {
  if (argInt(t, 2) & ~MLOCK_ONFAULT) return -E.EINVAL;
  return lockRange(t, true);
}

/** msync implements Linux syscall msync(2): shared file mappings in the range write their changes back. */
function msync(t: Task): number {
  const start = argU64(t, 0);
  const flags = argInt(t, 2);
  if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) return -E.EINVAL;
  if (start & PAGE_OFFSET) return -E.EINVAL;
  if (flags & MS_ASYNC && flags & MS_SYNC) return -E.EINVAL;
  const end = start + pageAlign(argU64(t, 1));
  if (end >= WRAP) return -E.ENOMEM;
  if (end === start) return 0;
  // Every mapped part is synced; a hole anywhere makes the answer ENOMEM.
  const range = belowLimit(start, end);
  if (!range) return -E.ENOMEM;
  const r = syncSharedMaps(t.mem, range[0], range[1]);
  if (r < 0) return r;
  return t.mem.isFullyMapped(range[0], range[1]) && BigInt(range[1]) === end ? 0 : -E.ENOMEM;
}

/** mlockall(flags): MCL_CURRENT, MCL_FUTURE and MCL_ONFAULT (never alone). */
function mlockall(t: Task): number {
  const flags = argInt(t, 0);
  return flags === 0 || flags & ~7 || flags === 4 ? -E.EINVAL : 0;
}

export const protectRows: SyscallRow[] = [
  { name: "mprotect", handler: mprotect, support: "full" },
  { name: "msync", handler: msync, support: "full" },
  { name: "mlock", handler: (t) => lockRange(t, true), support: "full" },
  { name: "mlock2", handler: mlock2, support: "full" },
  { name: "munlock", handler: (t) => lockRange(t, false), support: "full" },
  { name: "mlockall", handler: mlockall, support: "full" },
  { name: "munlockall", handler: () => 0, support: "full" },
];
