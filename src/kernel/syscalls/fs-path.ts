// Path-taking and metadata syscalls: openat, the stat family, readlinkat, faccessat, mkdirat,
// unlinkat, renameat2, symlinkat, linkat, chmod, chown, utimensat, statfs, truncate, and the working
// directory (getcwd, chdir, fchdir, umask). Lookups go through the Vfs (vfs/), relative to the
// working directory or a directory descriptor.
import { E } from "../../abi/gen/errno.js";
import type { Task } from "../task.js";
import { argI64, argInt, argIsNull, argPtr, argU32 } from "./args.js";
import type { SyscallResult, SyscallRow } from "./types.js";
import { AT, O, STATX, UTIME_NOW, UTIME_OMIT } from "../../abi/fs.js";
import { PathFile } from "../vfs/host-file.js";
import type { PathCtx } from "../vfs/namespace.js";
import type { OpenFile } from "../vfs/open-file.js";
import { pathToBytes } from "../vfs/paths.js";
import { encodeStat, encodeStatfs, encodeStatx, type StatInfo } from "../vfs/stat.js";
import { chown as chownPath, type TimeArg } from "../vfs/changes.js";
import { dirPathOf, fileOf, getCwd, pathArg, pathAt, pathCtx, rootCtx, setCwd } from "./fs-common.js";

function openat(t: Task): SyscallResult {
  const flags = argInt(t, 2);
  const at = pathAt(t, argInt(t, 0), argPtr(t, 1));
  if (typeof at === "number") return at;
  const mode = argU32(t, 3) & 0o7777;
  const f = t.kernel.vfs.open(at[0], at[1], flags, mode, t.process.umask);
  if (typeof f === "number") return f;
  return t.process.fds.install(f, 0, (flags & O.CLOEXEC) !== 0);
}

/**
 * What a stat-family call with (dirfd, path, flags) is about: an open file (AT_EMPTY_PATH with an
 * empty path, or a NULL path where allowed), or a path to look up.
 */
type Target = { file: OpenFile } | { ctx: PathCtx; path: string };

function targetOf(t: Task, dirfd: number, pathPtrArg: number, flags: number, nullMeansFd = false): Target | number {
  let path: string | number;
  if (nullMeansFd && argIsNull(t, pathPtrArg)) path = "";
  else path = pathArg(t, argPtr(t, pathPtrArg));
  if (typeof path === "number") return path;
  if (path === "") {
    if (!(flags & AT.EMPTY_PATH) && !nullMeansFd) return -E.ENOENT;
    if (dirfd === AT.FDCWD) return { ctx: rootCtx(t), path: getCwd(t.process) };
    const f = fileOf(t, dirfd);
    if (typeof f === "number") return f;
    return { file: f };
  }
  const ctx = pathCtx(t, dirfd, path);
  if (typeof ctx === "number") return ctx;
  return { ctx, path };
}

function statTarget(t: Task, target: Target, follow: boolean): StatInfo | number {
  if ("file" in target) return target.file.stat();
  return t.kernel.vfs.stat(target.ctx, target.path, follow);
}

const FSTATAT_FLAGS = AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH | AT.NO_AUTOMOUNT;

function newfstatat(t: Task): SyscallResult {
  const flags = argInt(t, 3);
  if (flags & ~FSTATAT_FLAGS) return -E.EINVAL;
  const target = targetOf(t, argInt(t, 0), 1, flags);
  if (typeof target === "number") return target;
  const st = statTarget(t, target, (flags & AT.SYMLINK_NOFOLLOW) === 0);
  if (typeof st === "number") return st;
  t.mem.write(argPtr(t, 2), encodeStat(t.kernel.world.stat(st)));
  return 0;
}

function fstat(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  const st = f.stat();
  if (typeof st === "number") return st;
  t.mem.write(argPtr(t, 1), encodeStat(t.kernel.world.stat(st)));
  return 0;
}

function statx(t: Task): SyscallResult {
  const flags = argInt(t, 2);
  if (flags & ~(FSTATAT_FLAGS | AT.STATX_SYNC_TYPE)) return -E.EINVAL;
  if ((flags & AT.STATX_SYNC_TYPE) === AT.STATX_SYNC_TYPE) return -E.EINVAL;
  if (argU32(t, 3) & STATX.RESERVED) return -E.EINVAL;
  const target = targetOf(t, argInt(t, 0), 1, flags, (flags & AT.EMPTY_PATH) !== 0);
  if (typeof target === "number") return target;
  const st = statTarget(t, target, (flags & AT.SYMLINK_NOFOLLOW) === 0);
  if (typeof st === "number") return st;
  t.mem.write(argPtr(t, 4), encodeStatx(t.kernel.world.stat(st)));
  return 0;
}

function readlinkat(t: Task): SyscallResult {
  const dirfd = argInt(t, 0);
  const bufsiz = argInt(t, 3);
  const path = pathArg(t, argPtr(t, 1));
  if (typeof path === "number") return path;
  if (bufsiz <= 0) return -E.EINVAL;
  let target: string | number;
  if (path === "") {
    // An O_PATH descriptor of a symlink itself (open with O_PATH|O_NOFOLLOW).
    const f = dirfd === AT.FDCWD ? -E.ENOENT : fileOf(t, dirfd);
    if (typeof f === "number") return f === -E.EBADF ? f : -E.ENOENT;
    if (!(f instanceof PathFile)) return -E.ENOENT;
    target = t.kernel.vfs.readlink(rootCtx(t), f.path);
  } else {
    const ctx = pathCtx(t, dirfd, path);
    if (typeof ctx === "number") return ctx;
    target = t.kernel.vfs.readlink(ctx, path);
  }
  if (typeof target === "number") return target;
  const bytes = pathToBytes(target).subarray(0, bufsiz);
  t.mem.write(argPtr(t, 2), bytes);
  return bytes.length;
}

function access(t: Task, dirfd: number, mode: number, flags: number): SyscallResult {
  const target = targetOf(t, dirfd, 1, flags);
  if (typeof target === "number") return target;
  const follow = (flags & AT.SYMLINK_NOFOLLOW) === 0;
  if ("file" in target) {
    if (mode & ~7) return -E.EINVAL;
    const dir = dirPathOf(target.file);
    const p = dir ?? (target.file.path.startsWith("/") ? target.file.path : null);
    if (p === null) return mode & 1 ? -E.EACCES : 0;
    return t.kernel.vfs.access(rootCtx(t), p, mode, follow);
  }
  return t.kernel.vfs.access(target.ctx, target.path, mode, follow);
}

function faccessat(t: Task): SyscallResult {
  return access(t, argInt(t, 0), argInt(t, 2), 0);
}

function faccessat2(t: Task): SyscallResult {
  const flags = argInt(t, 3);
  if (flags & ~(AT.EACCESS | AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH)) return -E.EINVAL;
  return access(t, argInt(t, 0), argInt(t, 2), flags);
}

function mkdirat(t: Task): SyscallResult {
  const at = pathAt(t, argInt(t, 0), argPtr(t, 1));
  if (typeof at === "number") return at;
  return t.kernel.vfs.mkdir(at[0], at[1], argU32(t, 2), t.process.umask);
}

function unlinkat(t: Task): SyscallResult {
  const flags = argInt(t, 2);
  if (flags & ~AT.REMOVEDIR) return -E.EINVAL;
  const at = pathAt(t, argInt(t, 0), argPtr(t, 1));
  if (typeof at === "number") return at;
  return t.kernel.vfs.unlink(at[0], at[1], (flags & AT.REMOVEDIR) !== 0);
}

function renameat2(t: Task): SyscallResult {
  const from = pathAt(t, argInt(t, 0), argPtr(t, 1));
  if (typeof from === "number") return from;
  const to = pathAt(t, argInt(t, 2), argPtr(t, 3));
  if (typeof to === "number") return to;
  return t.kernel.vfs.rename(from[0], from[1], to[0], to[1], argU32(t, 4));
}

function symlinkat(t: Task): SyscallResult {
  const target = pathArg(t, argPtr(t, 0));
  if (typeof target === "number") return target;
  const at = pathAt(t, argInt(t, 1), argPtr(t, 2));
  if (typeof at === "number") return at;
  return t.kernel.vfs.symlink(target, at[0], at[1]);
}

function linkat(t: Task): SyscallResult {
  const flags = argInt(t, 4);
  if (flags & ~(AT.SYMLINK_FOLLOW | AT.EMPTY_PATH)) return -E.EINVAL;
  // AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH, which the guest does not have: an empty path is ENOENT.
  const from = pathAt(t, argInt(t, 0), argPtr(t, 1));
  if (typeof from === "number") return from;
  const to = pathAt(t, argInt(t, 2), argPtr(t, 3));
  if (typeof to === "number") return to;
  return t.kernel.vfs.link(from[0], from[1], to[0], to[1], (flags & AT.SYMLINK_FOLLOW) !== 0);
}

function fchmod(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  return f.chmod(argU32(t, 1) & 0o7777);
}

function fchmodat(t: Task): SyscallResult {
  const at = pathAt(t, argInt(t, 0), argPtr(t, 1));
  if (typeof at === "number") return at;
  return t.kernel.vfs.chmod(at[0], at[1], argU32(t, 2));
}

function fchown(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  return f.chown(argInt(t, 1), argInt(t, 2));
}

/** fchownat(dirfd, path, owner, group, flags); an id of -1 is left as it is. */
function fchownat(t: Task): SyscallResult {
  const flags = argInt(t, 4);
  if (flags & ~(AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH)) return -E.EINVAL;
  const target = targetOf(t, argInt(t, 0), 1, flags);
  if (typeof target === "number") return target;
  const uid = argInt(t, 2);
  const gid = argInt(t, 3);
  if ("file" in target) return target.file.chown(uid, gid);
  // The Vfs has no chown of its own: the namespace's change, as Vfs.chmod does it.
  return chownPath(t.kernel.vfs.ns, target.ctx, target.path, uid, gid, (flags & AT.SYMLINK_NOFOLLOW) === 0);
}

/** One struct timespec of utimensat's array: a time, UTIME_NOW or UTIME_OMIT; EINVAL otherwise. */
function timeArg(t: Task, p: number): TimeArg | number {
  const sec = t.mem.readI64(p);
  const nsec = t.mem.readI64(p + 8);
  if (nsec === BigInt(UTIME_NOW)) return "now";
  if (nsec === BigInt(UTIME_OMIT)) return "omit";
  if (nsec < 0n || nsec > 999_999_999n) return -E.EINVAL;
  return { sec, nsec: Number(nsec) };
}

function utimensat(t: Task): SyscallResult {
  const dirfd = argInt(t, 0);
  const flags = argInt(t, 3);
  if (flags & ~(AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH)) return -E.EINVAL;
  let atime: TimeArg = "now";
  let mtime: TimeArg = "now";
  if (!argIsNull(t, 2)) {
    const p = argPtr(t, 2);
    const a = timeArg(t, p);
    if (typeof a === "number") return a;
    const m = timeArg(t, p + 16);
    if (typeof m === "number") return m;
    atime = a;
    mtime = m;
  }
  const vfs = t.kernel.vfs;
  if (argIsNull(t, 1)) {
    // utimensat(fd, NULL, …) is futimens(fd).
    if (dirfd === AT.FDCWD) return -E.EFAULT;
    const f = fileOf(t, dirfd);
    if (typeof f === "number") return f;
    return vfs.utimesFile(f, atime, mtime);
  }
  const target = targetOf(t, dirfd, 1, flags);
  if (typeof target === "number") return target;
  if ("file" in target) return vfs.utimesFile(target.file, atime, mtime);
  return vfs.utimes(target.ctx, target.path, atime, mtime, (flags & AT.SYMLINK_NOFOLLOW) === 0);
}

function statfs(t: Task): SyscallResult {
  const at = pathAt(t, AT.FDCWD, argPtr(t, 0));
  if (typeof at === "number") return at;
  const s = t.kernel.vfs.statfs(at[0], at[1]);
  if (typeof s === "number") return s;
  t.mem.write(argPtr(t, 1), encodeStatfs(t.kernel.world.statfs(s)));
  return 0;
}

function fstatfs(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  const s = f.statfs();
  if (typeof s === "number") return s;
  t.mem.write(argPtr(t, 1), encodeStatfs(t.kernel.world.statfs(s)));
  return 0;
}

function truncate(t: Task): SyscallResult {
  const at = pathAt(t, AT.FDCWD, argPtr(t, 0));
  if (typeof at === "number") return at;
  const len = argI64(t, 1);
  if (len < 0n) return -E.EINVAL;
  if (len > BigInt(Number.MAX_SAFE_INTEGER)) return -E.EFBIG;
  return t.kernel.vfs.truncate(at[0], at[1], Number(len));
}

/** getcwd: the path with its NUL; the returned length counts the NUL. ERANGE when it does not fit. */
function getcwd(t: Task): SyscallResult {
  const bytes = pathToBytes(getCwd(t.process));
  const size = argU32(t, 1);
  if (size < bytes.length + 1) return -E.ERANGE;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  t.mem.write(argPtr(t, 0), out);
  return out.length;
}

function chdir(t: Task): SyscallResult {
  const at = pathAt(t, AT.FDCWD, argPtr(t, 0));
  if (typeof at === "number") return at;
  const dir = t.kernel.vfs.chdir(at[0], at[1]);
  if (typeof dir === "number") return dir;
  setCwd(t.process, dir);
  return 0;
}

function fchdir(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  const dir = dirPathOf(f);
  if (dir === null) return -E.ENOTDIR;
  const checked = t.kernel.vfs.chdir(rootCtx(t), dir);
  if (typeof checked === "number") return checked;
  setCwd(t.process, checked);
  return 0;
}

function umask(t: Task): SyscallResult {
  const old = t.process.umask;
  t.process.umask = argU32(t, 0) & 0o777;
  return old;
}

export const fsPathSyscalls: SyscallRow[] = [
  {
    name: "openat",
    handler: openat,
    support: "partial",
    note: "O_TMPFILE works in the in-memory /tmp and /dev/shm, and gives EOPNOTSUPP on host mounts; host FIFOs and sockets give ENXIO and host device nodes EACCES (as on a nodev mount); O_DIRECT is ignored",
  },
  { name: "newfstatat", handler: newfstatat, support: "full" },
  { name: "fstat", handler: fstat, support: "full" },
  {
    name: "statx",
    handler: statx,
    support: "partial",
    note: "reports STATX_BASIC_STATS (and STATX_BTIME when the host knows it) whatever is asked; no stx_mnt_id or direct-I/O alignment",
  },
  { name: "readlinkat", handler: readlinkat, support: "full" },
  { name: "faccessat", handler: faccessat, support: "full" },
  {
    name: "faccessat2",
    handler: faccessat2,
    support: "partial",
    note: "AT_EACCESS checks with the host's real ids, like plain access (the guest has no separate effective ids)",
  },
  { name: "mkdirat", handler: mkdirat, support: "full" },
  { name: "unlinkat", handler: unlinkat, support: "full" },
  {
    name: "renameat2",
    handler: renameat2,
    support: "partial",
    note: "RENAME_WHITEOUT gives EINVAL, and RENAME_EXCHANGE too on host mounts (it works in the in-memory /tmp); RENAME_NOREPLACE is checked just before the host rename, not atomically",
  },
  { name: "symlinkat", handler: symlinkat, support: "full" },
  {
    name: "linkat",
    handler: linkat,
    support: "partial",
    note: "AT_EMPTY_PATH gives ENOENT, as for a process without CAP_DAC_READ_SEARCH",
  },
  { name: "fchmod", handler: fchmod, support: "full" },
  { name: "fchmodat", handler: fchmodat, support: "full" },
  { name: "fchown", handler: fchown, support: "full" },
  { name: "fchownat", handler: fchownat, support: "full" },
  {
    name: "utimensat",
    handler: utimensat,
    support: "partial",
    note: "times reach the host as fractional seconds (sub-microsecond precision is lost); UTIME_NOW is sent as an explicit time, so the host requires ownership",
  },
  {
    name: "statfs",
    handler: statfs,
    support: "partial",
    note: "f_fsid is zero; synthetic directories report ramfs, devices tmpfs, the in-memory /tmp tmpfs with the memory limit as its size",
  },
  {
    name: "fstatfs",
    handler: fstatfs,
    support: "partial",
    note: "as statfs",
  },
  { name: "truncate", handler: truncate, support: "full" },
  { name: "getcwd", handler: getcwd, support: "full" },
  { name: "chdir", handler: chdir, support: "full" },
  { name: "fchdir", handler: fchdir, support: "full" },
  { name: "umask", handler: umask, support: "full" },
];
