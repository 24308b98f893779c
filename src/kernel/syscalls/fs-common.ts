// Helpers shared by the file-system syscall handlers (fs-io.ts, fs-path.ts): descriptor and *at
// base lookup, the working directory as a byte path, and guest buffers as views.
import { E } from "../../abi/gen/errno.js";
import type { Task } from "../task.js";
import type { Process } from "../process.js";
import { GuestFault, PAGE_MAPPED, PAGE_SHIFT, PAGE_SIZE, PROT_READ, PROT_WRITE, lacksOnlyDeferredWrite, type AddressSpace } from "../../mem/address-space.js";
import { AT, IOV_MAX, MAX_RW_COUNT, SIZEOF } from "../../abi/fs.js";
import { DirFile } from "../vfs/dir.js";
import { PathFile } from "../vfs/host-file.js";
import type { PathCtx } from "../vfs/namespace.js";
import type { OpenFile } from "../vfs/open-file.js";
import { fromBytePath, readPath, toBytePath } from "../vfs/paths.js";

// Process.cwd is an ordinary (UTF-8) string; lookups need the exact bytes. The bytes set by chdir
// are remembered per process so names that are not valid UTF-8 survive.
const cwdBytesOf = new WeakMap<object, { shown: string; bytes: string }>();

export function getCwd(p: Process): string {
  const c = cwdBytesOf.get(p.fs);
  return c && c.shown === p.cwd ? c.bytes : toBytePath(p.cwd);
}

export function setCwd(p: Process, bytes: string): void {
  p.cwd = fromBytePath(bytes);
  cwdBytesOf.set(p.fs, { shown: p.cwd, bytes });
}

/** The directory path an open file names, when it is a directory (DirFile, or O_PATH on one). */
export function dirPathOf(f: OpenFile): string | null {
  if (f instanceof DirFile) return f.path;
  if (f instanceof PathFile && f.isDirectory) return f.path;
  return null;
}

/** The lookup context of a task for absolute paths. */
export function rootCtx(t: Task): PathCtx {
  return { cwd: "/", exe: toBytePath(t.process.exePath), fds: t.process.fds, caller: { pid: t.process.pid, tid: t.tid } };
}

/**
 * The lookup context for `path` relative to `dirfd`: absolute paths ignore dirfd; AT_FDCWD is the
 * working directory; otherwise dirfd must be an open directory (EBADF, ENOTDIR).
 */
export function pathCtx(t: Task, dirfd: number, path: string): PathCtx | number {
  const exe = toBytePath(t.process.exePath);
  const fds = t.process.fds;
  const caller = { pid: t.process.pid, tid: t.tid };
  if (path.startsWith("/")) return { cwd: "/", exe, fds, caller };
  if (dirfd === AT.FDCWD) return { cwd: getCwd(t.process), exe, fds, caller };
  const f = fds.get(dirfd);
  if (!f) return -E.EBADF;
  const dir = dirPathOf(f);
  if (dir === null) return -E.ENOTDIR;
  return { cwd: dir, exe, fds, caller };
}

/** A path argument: the byte string, or -errno (ENAMETOOLONG; EFAULT propagates as GuestFault). */
export function pathArg(t: Task, addr: number): string | number {
  return readPath(t.mem, addr);
}

/** Reads a path and builds its context in one step: [ctx, path] or -errno. Empty paths: ENOENT. */
export function pathAt(t: Task, dirfd: number, addr: number): [PathCtx, string] | number {
  const path = pathArg(t, addr);
  if (typeof path === "number") return path;
  if (path === "") return -E.ENOENT;
  const ctx = pathCtx(t, dirfd, path);
  if (typeof ctx === "number") return ctx;
  return [ctx, path];
}

/** The file of a descriptor, or -EBADF. */
export function fileOf(t: Task, fd: number): OpenFile | number {
  return t.process.fds.get(fd) ?? -E.EBADF;
}

/** A size_t count argument, capped at MAX_RW_COUNT as Linux's read/write do. */
export function countArg(raw: bigint): number {
  const v = BigInt.asUintN(64, raw);
  return v > BigInt(MAX_RW_COUNT) ? MAX_RW_COUNT : Number(v);
}

/**
 * How many bytes from addr are accessible with `prot`, up to len, stopping at the first page that
 * is not (so a read into a buffer larger than its mapping fills what exists, as on Linux).
 */
export function accessiblePrefix(mem: AddressSpace, addr: number, len: number, prot: number): number {
  if (len === 0) return 0;
  if (!Number.isInteger(addr) || addr < 0 || addr >= 2 ** 32) return 0;
  const end = Math.min(addr + len, 2 ** 32);
  let page = addr >>> PAGE_SHIFT;
  let ok = addr;
  while (ok < end) {
    const perm = mem.perms[page];
    // A page whose first write is still to come counts as writable (writing charges it).
    if ((perm & PAGE_MAPPED) === 0 || ((perm & prot) !== prot && !lacksOnlyDeferredWrite(perm, prot))) break;
    page++;
    ok = Math.min(page * PAGE_SIZE, end);
  }
  return ok - addr;
}

const EMPTY = new Uint8Array(0);

/** A writable view of the guest buffer for a read; GuestFault if not even its first byte is. */
export function guestOut(mem: AddressSpace, addr: number, len: number): Uint8Array {
  if (len === 0) return EMPTY;
  const n = accessiblePrefix(mem, addr, len, PROT_WRITE);
  if (n === 0) throw new GuestFault(addr);
  return mem.writableViewOf(addr, n);
}

/** A readable view of the guest buffer for a write; GuestFault if not even its first byte is. */
export function guestIn(mem: AddressSpace, addr: number, len: number): Uint8Array {
  if (len === 0) return EMPTY;
  const n = accessiblePrefix(mem, addr, len, PROT_READ);
  if (n === 0) throw new GuestFault(addr);
  return mem.viewOf(addr, n);
}

export interface Iovec {
  /** Guest address, or -1 when it cannot be valid (≥ 4 GiB). */
  base: number;
  len: number;
}

/**
 * Reads an iovec array (16-byte entries {base u64, len u64}). EINVAL for a count over IOV_MAX or
 * negative, or lengths whose total exceeds SSIZE_MAX; the total is capped at MAX_RW_COUNT.
 */
export function readIovecs(mem: AddressSpace, addr: number, count: number): Iovec[] | number {
  if (count < 0 || count > IOV_MAX) return -E.EINVAL;
  if (count === 0) return [];
  const raw = mem.read(addr, count * SIZEOF.iovec);
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: Iovec[] = [];
  let total = 0n;
  let room = MAX_RW_COUNT;
  for (let i = 0; i < count; i++) {
    const base = v.getBigUint64(i * 16, true);
    const len = v.getBigUint64(i * 16 + 8, true);
    total += len;
    if (len > 0x7fff_ffff_ffff_ffffn || total > 0x7fff_ffff_ffff_ffffn) return -E.EINVAL;
    const n = len > BigInt(room) ? room : Number(len);
    room -= n;
    out.push({ base: base < 0x1_0000_0000n ? Number(base) : -1, len: n });
  }
  return out;
}

/** An off_t argument as a Number, or null when negative or not exactly representable. */
export function offsetArg(raw: bigint): number | null {
  if (raw < 0n || raw > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(raw);
}
