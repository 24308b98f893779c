// Memory-management constant tables in strace's print order (strace xlat/mmap_prot.in, mmap_flags.in,
// madvise_cmds.in, …) with riscv64 values (asm-generic/mman-common.h, asm-generic/mman.h,
// linux/mman.h). riscv64 has no MAP_32BIT.
import { xlat } from "./types.js";

/** mmap/mprotect protection bits. PROT_NONE is printed for 0. */
export const MMAP_PROT = xlat([
  ["PROT_NONE", 0x0],
  ["PROT_READ", 0x1],
  ["PROT_WRITE", 0x2],
  ["PROT_EXEC", 0x4],
  ["PROT_SEM", 0x8],
  ["PROT_GROWSDOWN", 0x01000000],
  ["PROT_GROWSUP", 0x02000000],
]);

/** The MAP_TYPE field (low 4 bits) of mmap flags. */
export const MMAP_TYPES = xlat([
  ["MAP_FILE", 0x0],
  ["MAP_SHARED", 0x1],
  ["MAP_PRIVATE", 0x2],
  ["MAP_SHARED_VALIDATE", 0x3],
]);
export const MAP_TYPE = 0xfn;

/** mmap flag bits outside MAP_TYPE and the MAP_HUGE_* size field. */
export const MMAP_FLAGS = xlat([
  ["MAP_FIXED", 0x10],
  ["MAP_ANONYMOUS", 0x20],
  ["MAP_NORESERVE", 0x4000],
  ["MAP_POPULATE", 0x8000],
  ["MAP_NONBLOCK", 0x10000],
  ["MAP_GROWSDOWN", 0x100],
  ["MAP_DENYWRITE", 0x800],
  ["MAP_EXECUTABLE", 0x1000],
  ["MAP_LOCKED", 0x2000],
  ["MAP_STACK", 0x20000],
  ["MAP_HUGETLB", 0x40000],
  ["MAP_SYNC", 0x80000],
  ["MAP_FIXED_NOREPLACE", 0x100000],
  ["MAP_UNINITIALIZED", 0x4000000],
]);
/** MAP_HUGE_SHIFT and MAP_HUGE_MASK: log2 of the huge page size, printed as `N<<MAP_HUGE_SHIFT`. */
export const MAP_HUGE_SHIFT = 26n;
export const MAP_HUGE_MASK = 0x3fn;

/** madvise advice. */
export const MADVISE_CMDS = xlat([
  ["MADV_NORMAL", 0],
  ["MADV_RANDOM", 1],
  ["MADV_SEQUENTIAL", 2],
  ["MADV_WILLNEED", 3],
  ["MADV_DONTNEED", 4],
  ["MADV_FREE", 8],
  ["MADV_REMOVE", 9],
  ["MADV_DONTFORK", 10],
  ["MADV_DOFORK", 11],
  ["MADV_MERGEABLE", 12],
  ["MADV_UNMERGEABLE", 13],
  ["MADV_HUGEPAGE", 14],
  ["MADV_NOHUGEPAGE", 15],
  ["MADV_DONTDUMP", 16],
  ["MADV_DODUMP", 17],
  ["MADV_WIPEONFORK", 18],
  ["MADV_KEEPONFORK", 19],
  ["MADV_COLD", 20],
  ["MADV_PAGEOUT", 21],
  ["MADV_POPULATE_READ", 22],
  ["MADV_POPULATE_WRITE", 23],
  ["MADV_DONTNEED_LOCKED", 24],
  ["MADV_COLLAPSE", 25],
  ["MADV_HWPOISON", 100],
  ["MADV_SOFT_OFFLINE", 101],
]);

/** mremap flags. */
export const MREMAP_FLAGS = xlat([
  ["MREMAP_MAYMOVE", 1],
  ["MREMAP_FIXED", 2],
  ["MREMAP_DONTUNMAP", 4],
]);

/** msync flags. */
export const MSYNC_FLAGS = xlat([
  ["MS_SYNC", 4],
  ["MS_ASYNC", 1],
  ["MS_INVALIDATE", 2],
]);

/** mlockall flags. */
export const MLOCKALL_FLAGS = xlat([
  ["MCL_CURRENT", 1],
  ["MCL_FUTURE", 2],
  ["MCL_ONFAULT", 4],
]);

/** mlock2 flags. */
export const MLOCK_FLAGS = xlat([["MLOCK_ONFAULT", 1]]);

/** membarrier commands. */
export const MEMBARRIER_CMDS = xlat([
  ["MEMBARRIER_CMD_QUERY", 0],
  ["MEMBARRIER_CMD_GLOBAL", 1 << 0],
  ["MEMBARRIER_CMD_GLOBAL_EXPEDITED", 1 << 1],
  ["MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED", 1 << 2],
  ["MEMBARRIER_CMD_PRIVATE_EXPEDITED", 1 << 3],
  ["MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED", 1 << 4],
  ["MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE", 1 << 5],
  ["MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE", 1 << 6],
  ["MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ", 1 << 7],
  ["MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ", 1 << 8],
  ["MEMBARRIER_CMD_GET_REGISTRATIONS", 1 << 9],
]);

/** set_mempolicy/mbind modes. */
export const MEMPOLICY_MODES = xlat([
  ["MPOL_DEFAULT", 0],
  ["MPOL_PREFERRED", 1],
  ["MPOL_BIND", 2],
  ["MPOL_INTERLEAVE", 3],
  ["MPOL_LOCAL", 4],
  ["MPOL_PREFERRED_MANY", 5],
  ["MPOL_WEIGHTED_INTERLEAVE", 6],
]);

/** pkey_alloc access rights. */
export const PKEY_ACCESS = xlat([
  ["PKEY_DISABLE_ACCESS", 1],
  ["PKEY_DISABLE_WRITE", 2],
  ["PKEY_DISABLE_EXECUTE", 4],
]);
