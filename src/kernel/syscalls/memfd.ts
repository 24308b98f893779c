// memfd_create and the file seals of fcntl (F_ADD_SEALS, F_GET_SEALS): anonymous files in memory,
// built on the in-memory file system of the private /tmp (vfs/memfs.ts), charged to the run's
// memory limit like every other in-memory file.
import { E } from "../../abi/gen/errno.js";
import type { Task } from "../task.js";
import { argInt, argPtr } from "./args.js";
import type { SyscallResult, SyscallRow } from "./types.js";
import { canWrite, type OpenFile } from "../vfs/open-file.js";
import { MemFile } from "../vfs/mem-file.js";
import { SEAL } from "../vfs/memfs.js";
import { readPath } from "../vfs/paths.js";

export const MFD = { CLOEXEC: 0x1, ALLOW_SEALING: 0x2, HUGETLB: 0x4, NOEXEC_SEAL: 0x8, EXEC: 0x10 } as const;
/** The longest name: NAME_MAX less the "memfd:" prefix Linux puts before it. */
const MFD_NAME_MAX = 255 - "memfd:".length;
const ALL_SEALS = SEAL.SEAL | SEAL.SHRINK | SEAL.GROW | SEAL.WRITE | SEAL.FUTURE_WRITE | SEAL.EXEC;

function memfdCreate(t: Task): SyscallResult {
  const flags = argInt(t, 1) >>> 0;
  if (flags & ~(MFD.CLOEXEC | MFD.ALLOW_SEALING | MFD.HUGETLB | MFD.NOEXEC_SEAL | MFD.EXEC)) return -E.EINVAL;
  if ((flags & MFD.EXEC) && (flags & MFD.NOEXEC_SEAL)) return -E.EINVAL;
  // Huge pages are a property of the host's memory, which the guest does not choose here.
  if (flags & MFD.HUGETLB) return -E.EINVAL;
  const name = readPath(t.mem, argPtr(t, 0));
  if (typeof name === "number" || name.length > MFD_NAME_MAX) return -E.EINVAL;
  const noexec = (flags & MFD.NOEXEC_SEAL) !== 0;
  const file = t.kernel.vfs.memfd(name, (flags & MFD.ALLOW_SEALING) !== 0 || noexec);
  if (noexec && file instanceof MemFile) {
    file.inode.mode &= ~0o111;
    file.inode.seals |= SEAL.EXEC;
  }
  const fd = t.process.fds.install(file, 0, (flags & MFD.CLOEXEC) !== 0);
  return fd;
}

/** fcntl(F_ADD_SEALS): only on in-memory files opened for writing, while F_SEAL_SEAL is not set. */
export function addSeals(f: OpenFile, seals: number): number {
  if (!(f instanceof MemFile)) return -E.EINVAL;
  if (seals & ~ALL_SEALS) return -E.EINVAL;
  if (!canWrite(f)) return -E.EPERM;
  if (f.inode.seals & SEAL.SEAL) return -E.EPERM;
  f.inode.seals |= seals;
  return 0;
}

/** Whether writes to the file are sealed (F_SEAL_WRITE, F_SEAL_FUTURE_WRITE): mmap refuses shared writable maps. */
export function writeSealed(f: OpenFile): boolean {
  return f instanceof MemFile && (f.inode.seals & (SEAL.WRITE | SEAL.FUTURE_WRITE)) !== 0;
}

/** fcntl(F_GET_SEALS): the seals of an in-memory file (F_SEAL_SEAL for /tmp files); EINVAL for others. */
export function getSeals(f: OpenFile): number {
  return f instanceof MemFile ? f.inode.seals : -E.EINVAL;
}

export const memfdSyscalls: SyscallRow[] = [
  {
    name: "memfd_create",
    handler: memfdCreate,
    support: "partial",
    note: "MFD_HUGETLB gives EINVAL; F_SEAL_WRITE is accepted even while writable shared mappings exist (Linux: EBUSY)",
  },
];
