// File-system syscalls: the rows of both halves, descriptor I/O (fs-io.ts) and paths and metadata
// (fs-path.ts). The sandboxed file system itself is in ../vfs/.
import type { SyscallRow } from "./types.js";
import { fsIoSyscalls } from "./fs-io.js";
import { fsPathSyscalls } from "./fs-path.js";

export const fsSyscalls: SyscallRow[] = [...fsIoSyscalls, ...fsPathSyscalls];
