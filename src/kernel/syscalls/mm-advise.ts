// madvise and mincore: advice and residency for every mapping of a range (mm/madvise.c,
// mm/mincore.c), with Linux's checks in its order on unsigned 64-bit values. madvise acts on the
// mappings around holes and answers ENOMEM at the end; mincore stops at the first hole.
import type { SyscallRow } from "./types.js";
import type { Task } from "../task.js";
import type { Mapping } from "../../mem/address-space.js";
import { argInt, argU64 } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { PAGE_OFFSET, TASK_SIZE, WRAP, belowLimit, pageAlign } from "./mm-range.js";
import { ADVICE, PAGE_SIZE, PROT_READ, PROT_WRITE } from "../../mem/address-space.js";

// Advice (asm-generic/mman-common.h).
const MADV_DONTNEED = 4;
const MADV_FREE = 8;
const MADV_REMOVE = 9;
const MADV_WIPEONFORK = 18;
const MADV_KEEPONFORK = 19;
const MADV_POPULATE_READ = 22;
const MADV_POPULATE_WRITE = 23;
const MADV_DONTNEED_LOCKED = 24;
const MADV_COLLAPSE = 25;
const MADV_HWPOISON = 100;
const MADV_SOFT_OFFLINE = 101;
/**
 * The advice a riscv64 kernel with KSM, transparent huge pages and memory-failure handling knows
 * (madvise_behavior_valid): 0-4, 8-25, 100 and 101. The guard-page advice of Linux 6.13 (102, 103)
 * is unknown here, as on the kernels before it: rvtrace has no guard pages to install.
 */
const VALID_ADVICE = new Set([0, 1, 2, 3, 4, ...Array.from({ length: 18 }, (_, i) => 8 + i), 100, 101]);

/**
 * The VM flags each advice sets and clears ([set, clear] in ADVICE bits): Linux keeps them per mapping,
 * splitting mappings to do so, and fork honours two of them (address-space.ts clone()).
 */
const FLAG_ADVICE: Record<number, [number, number]> = {
  0: [0, ADVICE.RANDOM | ADVICE.SEQUENTIAL],
  1: [ADVICE.RANDOM, ADVICE.SEQUENTIAL],
  2: [ADVICE.SEQUENTIAL, ADVICE.RANDOM],
  10: [ADVICE.DONTFORK, 0],
  11: [0, ADVICE.DONTFORK],
  12: [ADVICE.MERGEABLE, 0],
  13: [0, ADVICE.MERGEABLE],
  14: [ADVICE.HUGEPAGE, ADVICE.NOHUGEPAGE],
  15: [ADVICE.NOHUGEPAGE, ADVICE.HUGEPAGE],
  16: [ADVICE.DONTDUMP, 0],
  17: [0, ADVICE.DONTDUMP],
  [MADV_WIPEONFORK]: [ADVICE.WIPEONFORK, 0],
  [MADV_KEEPONFORK]: [0, ADVICE.WIPEONFORK],
};

/** What one piece [a, b) of mapping m does with the advice: 0 or -errno (which ends the walk). */
function advise(t: Task, m: Mapping, a: number, b: number, advice: number): number {
  const flags = FLAG_ADVICE[advice];
  if (flags) {
    // Fork's advice is for private anonymous memory only; KSM leaves shared memory alone.
    if ((advice === MADV_WIPEONFORK || advice === MADV_KEEPONFORK) && (m.shared || m.file)) return -E.EINVAL;
    if (!(advice === 12 && m.shared)) t.mem.advise(a, b, flags[0], flags[1]);
    return 0;
  }
  switch (advice) {
    case MADV_DONTNEED:
    case MADV_DONTNEED_LOCKED:
      // Private pages are dropped and read as zero again; shared ones stay in their file or memory.
      if (!m.shared) t.mem.zero(a, b - a);
      return 0;
    case MADV_FREE:
      // Freed lazily on Linux (kept until memory is short); only private anonymous memory may be.
      return m.shared || m.file ? -E.EINVAL : 0;
    case MADV_REMOVE:
      if (!m.shared && !m.file) return -E.EINVAL;
      if (!m.shared || (m.maxProt !== undefined && !(m.maxProt & PROT_WRITE))) return -E.EACCES;
      if (m.file) return -E.EOPNOTSUPP; // punching a hole in a host file is not offered
      t.mem.zero(a, b - a);
      return 0;
    case MADV_COLLAPSE:
      // There are no transparent huge pages to collapse into.
      return -E.EINVAL;
    default:
      return 0;
  }
}

/**
 * MADV_POPULATE_READ/WRITE fault the range in, page after page (madvise_populate, not the per-mapping
 * walk): the first hole is ENOMEM, the first mapping that cannot be read (or written) EINVAL.
 */
function populate(mappings: Mapping[], from: number, end: bigint, need: number): number {
  let at = from;
  for (const m of mappings) {
    if (m.start > at) return -E.ENOMEM;
    if (!(m.prot & need)) return -E.EINVAL;
    at = m.end;
  }
  return BigInt(at) < end ? -E.ENOMEM : 0;
}

/** madvise implements Linux syscall madvise(2). */
function madvise(t: Task): number {
  const start = argU64(t, 0);
  const lenIn = argU64(t, 1);
  const advice = argInt(t, 2);
  if (!VALID_ADVICE.has(advice)) return -E.EINVAL;
  if (start & PAGE_OFFSET) return -E.EINVAL;
  const len = pageAlign(lenIn);
  // A length rounded up from a small negative number to zero.
  if (lenIn !== 0n && len === 0n) return -E.EINVAL;
  const end = start + len;
  if (end >= WRAP) return -E.EINVAL;
  if (end === start) return 0;
  // Injecting memory errors needs CAP_SYS_ADMIN, which the guest does not have.
  if (advice === MADV_HWPOISON || advice === MADV_SOFT_OFFLINE) return -E.EPERM;
  const range = belowLimit(start, end);
  const mappings = range ? t.mem.mappingsIn(range[0], range[1]) : [];
  if (advice === MADV_POPULATE_READ || advice === MADV_POPULATE_WRITE) {
    return populate(mappings, range ? range[0] : 0, end, advice === MADV_POPULATE_READ ? PROT_READ : PROT_WRITE);
  }
  if (!range || mappings.length === 0) return -E.ENOMEM;
  let at = range[0];
  let hole = false;
  for (const m of mappings) {
    const a = Math.max(at, m.start);
    const b = Math.min(range[1], m.end);
    if (a > at) hole = true;
    const r = advise(t, m, a, b, advice);
    if (r < 0) return r;
    at = b;
  }
  return hole || BigInt(at) < end ? -E.ENOMEM : 0;
}

/**
 * mincore(addr, len, vec): one byte per page, bit 0 set when the page is resident. Guest memory
 * never leaves host memory, so every mapped page is; the answer stops at the first hole (ENOMEM).
 */
function mincore(t: Task): number {
  const start = argU64(t, 0);
  const len = argU64(t, 1);
  const vec = argU64(t, 2);
  if (start & PAGE_OFFSET) return -E.EINVAL;
  // access_ok on the range and then on the vector, as Linux checks them.
  if (len > TASK_SIZE || start > TASK_SIZE - len) return -E.ENOMEM;
  const pages = (len + PAGE_OFFSET) >> 12n;
  if (vec > TASK_SIZE - pages) return -E.EFAULT;
  if (pages === 0n) return 0;
  const end = start + pages * BigInt(PAGE_SIZE);
  const range = belowLimit(start, end);
  if (!range) return -E.ENOMEM;
  const run = t.mem.mappedUntil(range[0], range[1]);
  if (run === range[0]) return -E.ENOMEM;
  // A vector beyond guest memory faults here (GuestFault: EFAULT), after the range was found mapped.
  t.mem.write(Number(vec), new Uint8Array((run - range[0]) / PAGE_SIZE).fill(1));
  return run < range[1] || BigInt(range[1]) < end ? -E.ENOMEM : 0;
}

export const madviseRows: SyscallRow[] = [
  { name: "mincore", handler: mincore, support: "full" },
  {
    name: "madvise", handler: madvise, support: "partial",
    note: "advice is checked as Linux does; MADV_DONTNEED and MADV_REMOVE drop private (or shared anonymous) pages, and private file pages read as zero afterwards instead of the file's bytes; MADV_DONTFORK and MADV_WIPEONFORK act at fork; the flag advice splits mappings as on Linux; the rest has no effect; MADV_REMOVE on a shared file mapping is EOPNOTSUPP",
  },
];
