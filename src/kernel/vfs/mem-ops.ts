// The path operations of the in-memory file system (memfs.ts) as the Vfs and changes.ts call them,
// once a lookup has found a memfs node or parent: open and create (O_TMPFILE too), mkdir, unlink and
// rmdir, rename (RENAME_NOREPLACE, RENAME_EXCHANGE), link, symlink, truncate. Each gives a result or
// -errno in Linux's order: the names (".", ".."), then permission on the directory (EACCES), the
// sticky bit (EPERM), the types (ENOTDIR, EISDIR), mount points (EBUSY), emptiness (ENOTEMPTY).
import { E } from "../../abi/gen/errno.js";
import { ACCESS, O, RENAME, S } from "../../abi/fs.js";
import { DirFile } from "./dir.js";
import { PathFile } from "./host-file.js";
import { MemFile, chmodMem, chownMem, truncateMem, utimesMem } from "./mem-file.js";
import { isMemDir, isMemReg, type MemFs, type MemInode } from "./memfs.js";
import type { Lookup, MemNode, Namespace, Node, PathCtx } from "./namespace.js";
import type { OpenFile } from "./open-file.js";
import type { Timespec } from "./stat.js";

/** Files made by O_TMPFILE without O_EXCL and not linked yet: linkat may give them a name. */
const linkable = new WeakSet<MemInode>();

function memParent(r: Lookup): MemNode | null {
  return r.parent?.t === "mem" ? r.parent : null;
}

/** The access an open asks of the file: read, write, or both (O_TRUNC asks for write too). */
function openAccess(flags: number): number {
  const acc = flags & O.ACCMODE;
  let want = acc === O.RDONLY ? ACCESS.R_OK : acc === O.WRONLY ? ACCESS.W_OK : ACCESS.R_OK | ACCESS.W_OK;
  if (flags & O.TRUNC) want |= ACCESS.W_OK;
  return want;
}

/** Opens an existing memfs regular file (or reopens one through /proc/self/fd/N). */
export function openMemFile(fs: MemFs, ino: MemInode, path: string, flags: number, stored: number, memfd = false): OpenFile | number {
  const p = fs.permission(ino, openAccess(flags));
  if (p < 0) return p;
  if (flags & O.TRUNC && (flags & O.ACCMODE) !== O.RDONLY && ino.size > 0) {
    const t = truncateMem(fs, ino, 0);
    if (t < 0) return t;
  }
  return new MemFile(fs, ino, stored, path, memfd);
}

/** Creates and opens a new regular file `r.name` in memfs directory r.parent (mode: umask applied). */
export function createMemFile(r: Lookup, stored: number, mode: number): OpenFile | number {
  const parent = memParent(r)!;
  const p = parent.fs.permission(parent.ino, ACCESS.W_OK | ACCESS.X_OK);
  if (p < 0) return p;
  const ino = parent.fs.newInode(S.IFREG | mode);
  parent.fs.addEntry(parent.ino, r.name, ino);
  return new MemFile(parent.fs, ino, stored, r.path);
}

/**
 * open(O_TMPFILE) in a memfs directory: a regular file with no name (linkat can give it one unless
 * O_EXCL was given). Flags were checked by the caller (O_DIRECTORY with it, write access).
 */
export function openMemTmpfile(dir: MemNode, dirPath: string, flags: number, stored: number, mode: number): OpenFile | number {
  const p = dir.fs.permission(dir.ino, ACCESS.W_OK | ACCESS.X_OK);
  if (p < 0) return p;
  const ino = dir.fs.newInode(S.IFREG | mode);
  if (!(flags & O.EXCL)) linkable.add(ino);
  // /proc/self/fd shows "/tmp/#INO (deleted)", as Linux names such a file.
  return new MemFile(dir.fs, ino, stored, `${dirPath === "/" ? "" : dirPath}/#${ino.ino}`);
}

/** An open memfs directory: listed through the namespace (mounts inside it show too). */
export function openMemDir(ns: Namespace, n: MemNode, path: string, stored: number, listCtx: PathCtx): OpenFile | number {
  const p = n.fs.permission(n.ino, ACCESS.R_OK);
  if (p < 0) return p;
  return new DirFile(stored, path, {
    list: () => ns.listDir(n, path, listCtx),
    stat: () => n.fs.stat(n.ino),
    statfs: () => n.fs.statfs(),
    hostFd: null,
    readOnly: false,
    meta: {
      chmod: (mode) => chmodMem(n.fs, n.ino, mode),
      chown: (uid, gid) => chownMem(n.fs, n.ino, uid, gid),
      utimes: (a, m) => utimesMem(n.fs, n.ino, a, m, false),
      now: n.fs.now,
    },
  });
}

/** O_PATH of a memfs node. */
export function openMemPath(n: MemNode, path: string, stored: number): OpenFile {
  return new PathFile(stored, path, () => n.fs.stat(n.ino), () => n.fs.statfs(), isMemDir(n.ino));
}

export function mkdirMem(r: Lookup, mode: number, umask: number): number {
  const parent = memParent(r)!;
  const fs = parent.fs;
  const p = fs.permission(parent.ino, ACCESS.W_OK | ACCESS.X_OK);
  if (p < 0) return p;
  fs.addEntry(parent.ino, r.name, fs.newInode(S.IFDIR | (mode & 0o1777 & ~umask)));
  return 0;
}

export function symlinkMem(r: Lookup, target: string): number {
  const parent = memParent(r)!;
  const fs = parent.fs;
  const p = fs.permission(parent.ino, ACCESS.W_OK | ACCESS.X_OK);
  if (p < 0) return p;
  const ino = fs.newInode(S.IFLNK | 0o777);
  ino.target = target;
  fs.addEntry(parent.ino, r.name, ino);
  return 0;
}

/** unlinkat of an existing entry of a memfs directory (names and the parent's presence checked). */
export function unlinkMem(ns: Namespace, r: Lookup, removeDir: boolean): number {
  const parent = memParent(r)!;
  const n = r.node;
  if (n === null) return -E.ENOENT;
  if (n.t !== "mem") return -E.EBUSY; // a mount point inside /tmp (the working directory)
  const fs = parent.fs;
  const d = fs.mayDelete(parent.ino, n.ino);
  if (d < 0) return d;
  if (removeDir) {
    if (!isMemDir(n.ino)) return -E.ENOTDIR;
    if (ns.isBusy(r.path)) return -E.EBUSY;
    if (n.ino.entries!.size > 0) return -E.ENOTEMPTY;
  } else {
    if (isMemDir(n.ino)) return -E.EISDIR;
    if (r.trailingSlash) return -E.ENOTDIR;
  }
  fs.removeEntry(parent.ino, r.name);
  return 0;
}

/** Whether directory `a` is `b` or one of b's ancestors. */
function isAncestor(a: MemInode, b: MemInode): boolean {
  for (let d = b; ; d = d.parent!) {
    if (d === a) return true;
    if (d.parent === d || d.parent === null) return false;
  }
}

/**
 * renameat2 inside one memfs (the caller checked the names and that both parents are of it).
 * RENAME_EXCHANGE swaps two entries; RENAME_NOREPLACE refuses an existing target.
 */
export function renameMem(ns: Namespace, ro: Lookup, rn: Lookup, flags: number): number {
  const op = memParent(ro)!;
  const np = memParent(rn)!;
  const fs = op.fs;
  const from = ro.node;
  if (from === null) return -E.ENOENT;
  if (from.t !== "mem") return -E.EBUSY;
  const to = rn.node;
  if (to !== null && to.t !== "mem") return -E.EBUSY;
  if (flags & RENAME.EXCHANGE && to === null) return -E.ENOENT;
  if (flags & RENAME.NOREPLACE && to !== null) return -E.EEXIST;
  const src = from.ino;
  const dst = to?.ino ?? null;
  let p = fs.mayDelete(op.ino, src);
  if (p < 0) return p;
  p = dst ? fs.mayDelete(np.ino, dst) : fs.permission(np.ino, ACCESS.W_OK | ACCESS.X_OK);
  if (p < 0) return p;
  const srcDir = isMemDir(src);
  if (!srcDir && (ro.trailingSlash || (rn.trailingSlash && !(flags & RENAME.EXCHANGE && dst && isMemDir(dst))))) return -E.ENOTDIR;
  if (flags & RENAME.EXCHANGE) {
    const dstDir = isMemDir(dst!);
    if ((srcDir && isAncestor(src, np.ino)) || (dstDir && isAncestor(dst!, op.ino))) return -E.EINVAL;
    if (ns.isBusy(ro.path) || ns.isBusy(rn.path)) return -E.EBUSY;
    if (src === dst) return 0;
    swapEntries(fs, op.ino, ro.name, np.ino, rn.name);
    return 0;
  }
  if (src === dst) return 0; // two names of one file: nothing happens
  if (srcDir && isAncestor(src, np.ino)) return -E.EINVAL;
  if (dst) {
    if (srcDir && !isMemDir(dst)) return -E.ENOTDIR;
    if (!srcDir && isMemDir(dst)) return -E.EISDIR;
  }
  if (ns.isBusy(ro.path) || ns.isBusy(rn.path)) return -E.EBUSY;
  if (dst && isMemDir(dst) && dst.entries!.size > 0) return -E.ENOTEMPTY;
  if (dst) fs.removeEntry(np.ino, rn.name);
  fs.moveEntry(op.ino, ro.name, np.ino, rn.name);
  return 0;
}

function swapEntries(fs: MemFs, da: MemInode, a: string, db: MemInode, b: string): void {
  const x = da.entries!.get(a)!;
  const y = db.entries!.get(b)!;
  da.entries!.set(a, y);
  db.entries!.set(b, x);
  // Directories moved between parents carry their ".." link with them.
  const fix = (n: MemInode, from: MemInode, to: MemInode): void => {
    if (!isMemDir(n) || from === to) return;
    from.nlink--;
    to.nlink++;
    n.parent = to;
  };
  fix(x, da, db);
  fix(y, db, da);
  for (const n of [da, db]) fs.touch(n, true);
  for (const n of [x, y]) fs.touch(n, false);
}

/**
 * linkat: a new name for a memfs file (`n`, found by the old path or a /proc/self/fd link) in
 * memfs directory rn.parent of the same file system (else EXDEV).
 */
export function linkMem(n: Node, rn: Lookup): number {
  const np = memParent(rn);
  let ino: MemInode | null = null;
  let fs: MemFs | null = null;
  if (n.t === "mem") ({ ino, fs } = n);
  else if (n.t === "fd" && n.file instanceof MemFile && !n.file.memfd) ({ inode: ino, fs } = n.file);
  if (ino === null || fs === null || np === null || np.fs !== fs) return -E.EXDEV;
  const p = fs.permission(np.ino, ACCESS.W_OK | ACCESS.X_OK);
  if (p < 0) return p;
  if (isMemDir(ino)) return -E.EPERM;
  // A file with no name left cannot get one back, unless it was made by O_TMPFILE without O_EXCL.
  if (ino.nlink === 0 && !linkable.has(ino)) return -E.ENOENT;
  linkable.delete(ino);
  fs.addEntry(np.ino, rn.name, ino);
  fs.touch(ino, false);
  return 0;
}

/** truncate(2) of a memfs node found by path. */
export function truncatePathMem(n: MemNode, length: number): number {
  if (isMemDir(n.ino)) return -E.EISDIR;
  if (!isMemReg(n.ino)) return -E.EINVAL;
  const p = n.fs.permission(n.ino, ACCESS.W_OK);
  if (p < 0) return p;
  return truncateMem(n.fs, n.ino, length);
}

/** utimensat of a memfs node found by path: times resolved, `bothNow` when both were UTIME_NOW. */
export function utimesPathMem(n: MemNode, atime: Timespec, mtime: Timespec, bothNow: boolean): number {
  return utimesMem(n.fs, n.ino, atime, mtime, bothNow);
}

export { chmodMem, chownMem };
