// Changes to the namespace: chmod, utimes, truncate, mkdir, unlink, rename, symlink, link. Each
// takes the Namespace and gives a result or -errno, with Linux's error precedence (for example
// EEXIST before EROFS for mkdir, EROFS before ENOENT for unlink). Writes, creations and removals on
// read-only mounts and synthetic directories fail with EROFS; mount points are EBUSY.
//
// The host is reached only through the refs lookups give (host-ref.ts): calls that never follow
// their last component (rmdir, unlink, rename, symlink, link, lchown, lutimes, mkdir) take the ref's
// path; calls that would follow it (chmod, chown, utimes, truncate) take ns.pinnedPath, a
// descriptor of the very node the lookup found.
//
// Nodes and directories of the in-memory /tmp are handed to mem-ops.ts, which keeps the same
// order of errors.
import * as fs from "node:fs";
import { E } from "../../abi/gen/errno.js";
import { RENAME } from "../../abi/fs.js";
import { toSeconds } from "./dir.js";
import { hostErrno } from "./errors.js";
import { isDirNode, type HostNode, type Lookup, type Namespace, type Node, type PathCtx } from "./namespace.js";
import type { OpenFile } from "./open-file.js";
import { hostArg } from "./paths.js";
import { O_PATH, fdPath, sameNode } from "./host-ref.js";
import { statFromHost, timespecFromNs, type Timespec } from "./stat.js";
import type { MemNode } from "./namespace.js";
import { MemFile } from "./mem-file.js";
import * as mem from "./mem-ops.js";

/** A time argument of utimensat: a value, the current time, or "leave unchanged". */
export type TimeArg = Timespec | "now" | "omit";

export function nowTimespec(): Timespec {
  return timespecFromNs(BigInt(Date.now()) * 1_000_000n);
}

/** The writable host directory a lookup's parent is, or -EROFS. */
export function writableParent(r: Lookup): HostNode | number {
  const p = r.parent;
  if (!p || p.t !== "host" || p.mount.readOnly || !p.st.isDirectory()) return -E.EROFS;
  return p;
}

/** An in-memory file reached through /proc/self/fd/N (followed): the node of its inode. */
function memOfFd(n: Node): MemNode | null {
  return n.t === "fd" && n.file instanceof MemFile ? { t: "mem", fs: n.file.fs, ino: n.file.inode } : null;
}

/** The node a change applies to: must exist, be in memory or lie in a read-write mount. */
function writableNode(ns: Namespace, ctx: PathCtx, path: string, follow: boolean): HostNode | MemNode | number {
  const r = ns.resolve(ctx, path, follow ? "follow" : "nofollow");
  if (typeof r === "number") return r;
  const n = (follow && r.node && memOfFd(r.node)) || r.node;
  if (n === null) return -E.ENOENT;
  if (n.t === "mem") return n;
  if (n.t !== "host" || n.mount.readOnly) return -E.EROFS;
  return n;
}

export function chmod(ns: Namespace, ctx: PathCtx, path: string, mode: number): number {
  const n = writableNode(ns, ctx, path, true);
  if (typeof n === "number") return n;
  if (n.t === "mem") return mem.chmodMem(n.fs, n.ino, mode);
  const pinned = ns.pinnedPath(n);
  if (typeof pinned === "number") return pinned;
  try {
    fs.chmodSync(hostArg(pinned), mode & 0o7777);
    return 0;
  } catch (err) {
    return -hostErrno(err);
  }
}

/** fchownat on a path: uid or gid -1 leaves that one as it is; the host decides who may. */
export function chown(ns: Namespace, ctx: PathCtx, path: string, uid: number, gid: number, follow: boolean): number {
  const n = writableNode(ns, ctx, path, follow);
  if (typeof n === "number") return n;
  if (n.t === "mem") return mem.chownMem(n.fs, n.ino, uid, gid);
  const owner = uid === -1 ? Number(n.st.uid) : uid;
  const group = gid === -1 ? Number(n.st.gid) : gid;
  const target = n.st.isSymbolicLink() ? n.ref.path : ns.pinnedPath(n);
  if (typeof target === "number") return target;
  try {
    if (n.st.isSymbolicLink()) fs.lchownSync(hostArg(target), owner, group);
    else fs.chownSync(hostArg(target), owner, group);
    return 0;
  } catch (err) {
    return -hostErrno(err);
  }
}

/** utimensat on a path. Sub-microsecond precision is lost (Node takes fractional seconds). */
export function utimes(ns: Namespace, ctx: PathCtx, path: string, atime: TimeArg, mtime: TimeArg, follow: boolean): number {
  if (atime === "omit" && mtime === "omit") {
    const r = ns.resolve(ctx, path, follow ? "follow" : "nofollow");
    if (typeof r === "number") return r;
    return r.node === null ? -E.ENOENT : 0;
  }
  const n = writableNode(ns, ctx, path, follow);
  if (typeof n === "number") return n;
  if (n.t === "mem") {
    const st = n.fs.stat(n.ino);
    const a = resolveTime(atime, st.atime, n.fs.now);
    const m = resolveTime(mtime, st.mtime, n.fs.now);
    return mem.utimesPathMem(n, a, m, atime === "now" && mtime === "now");
  }
  const cur = statFromHost(n.st);
  const a = resolveTime(atime, cur.atime);
  const m = resolveTime(mtime, cur.mtime);
  const target = n.st.isSymbolicLink() ? n.ref.path : ns.pinnedPath(n);
  if (typeof target === "number") return target;
  try {
    if (n.st.isSymbolicLink()) fs.lutimesSync(hostArg(target), toSeconds(a), toSeconds(m));
    else fs.utimesSync(hostArg(target), toSeconds(a), toSeconds(m));
    return 0;
  } catch (err) {
    return -hostErrno(err);
  }
}

/** utimensat on an open file (path NULL or AT_EMPTY_PATH). */
export function utimesFile(file: OpenFile, atime: TimeArg, mtime: TimeArg): number {
  if (atime === "omit" && mtime === "omit") return 0;
  const st = file.stat();
  if (typeof st === "number") return st;
  // UTIME_NOW is the time of the file's own file system (the run's clock for the in-memory /tmp).
  const clock = file.clock ?? nowTimespec;
  return file.utimes(resolveTime(atime, st.atime, clock), resolveTime(mtime, st.mtime, clock));
}

export function truncate(ns: Namespace, ctx: PathCtx, path: string, length: number): number {
  const r = ns.resolve(ctx, path, "follow");
  if (typeof r === "number") return r;
  const n = (r.node && memOfFd(r.node)) || r.node;
  if (n === null) return -E.ENOENT;
  if (isDirNode(n)) return -E.EISDIR;
  if (n.t === "mem") return mem.truncatePathMem(n, length);
  if (n.t !== "host") return n.t === "dev" ? 0 : -E.EINVAL;
  if (n.mount.readOnly) return -E.EROFS;
  if (!n.st.isFile()) return -E.EINVAL;
  const pinned = ns.pinnedPath(n);
  if (typeof pinned === "number") return pinned;
  try {
    fs.truncateSync(hostArg(pinned), length);
    return 0;
  } catch (err) {
    return -hostErrno(err);
  }
}

export function mkdir(ns: Namespace, ctx: PathCtx, path: string, mode: number, umask: number): number {
  const r = ns.resolve(ctx, path, "create");
  if (typeof r === "number") return r;
  if (r.node !== null) return -E.EEXIST;
  if (r.parent?.t === "mem") return mem.mkdirMem(r, mode, umask);
  const parent = writableParent(r);
  if (typeof parent === "number") return parent;
  const want = mode & 0o1777 & ~umask;
  const ref = ns.childOf(parent, r.name);
  if (typeof ref === "number") return ref;
  const host = hostArg(ref.path);
  try {
    fs.mkdirSync(host, want);
    // The host's umask may have taken bits the guest's did not: set them on the directory made,
    // through a descriptor of it (a symlink swapped in meanwhile is not followed).
    const st = fs.lstatSync(host, { bigint: true });
    if (st.isDirectory() && (Number(st.mode) & 0o1777) !== want) {
      const fd = fs.openSync(host, O_PATH | fs.constants.O_NOFOLLOW | fs.constants.O_DIRECTORY);
      try {
        if (sameNode(fs.fstatSync(fd, { bigint: true }), st)) fs.chmodSync(fdPath(fd), want);
      } finally {
        fs.closeSync(fd);
      }
    }
    return 0;
  } catch (err) {
    return -hostErrno(err);
  }
}

/** unlinkat: a file (or symlink), or with removeDir an empty directory. */
export function unlink(ns: Namespace, ctx: PathCtx, path: string, removeDir: boolean): number {
  const r = ns.resolve(ctx, path, "create");
  if (typeof r === "number") return r;
  if (removeDir) {
    if (r.name === ".") return -E.EINVAL;
    if (r.name === "..") return -E.ENOTEMPTY;
    if (r.name === "") return -E.EBUSY;
  } else if (r.name === "." || r.name === ".." || r.name === "") {
    return -E.EISDIR;
  }
  if (r.parent?.t === "mem") return mem.unlinkMem(ns, r, removeDir);
  const parent = writableParent(r);
  if (typeof parent === "number") return parent;
  const n = r.node;
  if (n === null) return -E.ENOENT;
  if (ns.isBusy(r.path)) return -E.EBUSY;
  if (n.t !== "host") return -E.EROFS;
  const host = hostArg(n.ref.path);
  try {
    if (removeDir) {
      if (!n.st.isDirectory()) return -E.ENOTDIR;
      fs.rmdirSync(host);
    } else {
      if (n.st.isDirectory()) return -E.EISDIR;
      if (r.trailingSlash) return -E.ENOTDIR;
      fs.unlinkSync(host);
    }
    return 0;
  } catch (err) {
    return -hostErrno(err);
  }
}

/**
 * renameat2. RENAME_NOREPLACE is checked just before the host rename (a host process creating
 * the target in between would be overwritten). RENAME_EXCHANGE and RENAME_WHITEOUT: EINVAL.
 */
export function rename(ns: Namespace, oldCtx: PathCtx, oldPath: string, newCtx: PathCtx, newPath: string, flags: number): number {
  if (flags & ~(RENAME.NOREPLACE | RENAME.EXCHANGE | RENAME.WHITEOUT)) return -E.EINVAL;
  if ((flags & RENAME.NOREPLACE) && (flags & RENAME.EXCHANGE)) return -E.EINVAL;
  if (flags & RENAME.WHITEOUT) return -E.EINVAL;
  const ro = ns.resolve(oldCtx, oldPath, "create");
  if (typeof ro === "number") return ro;
  const rn = ns.resolve(newCtx, newPath, "create");
  if (typeof rn === "number") return rn;
  const special = (name: string): boolean => name === "." || name === ".." || name === "";
  if (special(ro.name)) return -E.EBUSY;
  if (special(rn.name)) return flags & RENAME.NOREPLACE ? -E.EEXIST : -E.EBUSY;
  const op = ro.parent;
  const np = rn.parent;
  if (op?.t === "mem" || np?.t === "mem") {
    if (op?.t !== "mem" || np?.t !== "mem" || op.fs !== np.fs) return -E.EXDEV;
    return mem.renameMem(ns, ro, rn, flags);
  }
  if (flags & RENAME.EXCHANGE) return -E.EINVAL;
  const mountOf = (p: Node | null): number => (p?.t === "host" ? p.mount.id : 0);
  if (mountOf(op) !== mountOf(np)) return -E.EXDEV;
  const oldParent = writableParent(ro);
  if (typeof oldParent === "number") return oldParent;
  const newParent = writableParent(rn);
  if (typeof newParent === "number") return newParent;
  const n = ro.node;
  if (n === null) return -E.ENOENT;
  if (ns.isBusy(ro.path) || ns.isBusy(rn.path)) return -E.EBUSY;
  if (n.t !== "host") return -E.EBUSY;
  if (!n.st.isDirectory() && (ro.trailingSlash || rn.trailingSlash)) return -E.ENOTDIR;
  if ((flags & RENAME.NOREPLACE) && rn.node !== null) return -E.EEXIST;
  const to = ns.childOf(newParent, rn.name);
  if (typeof to === "number") return to;
  try {
    fs.renameSync(hostArg(n.ref.path), hostArg(to.path));
    return 0;
  } catch (err) {
    return -hostErrno(err);
  }
}

/** symlinkat: the target is stored as given and interpreted in the guest namespace when followed. */
export function symlink(ns: Namespace, target: string, ctx: PathCtx, path: string): number {
  if (target.length === 0) return -E.ENOENT;
  const r = ns.resolve(ctx, path, "create");
  if (typeof r === "number") return r;
  if (r.node !== null) return -E.EEXIST;
  if (r.trailingSlash) return -E.ENOENT;
  if (r.parent?.t === "mem") return mem.symlinkMem(r, target);
  const parent = writableParent(r);
  if (typeof parent === "number") return parent;
  const ref = ns.childOf(parent, r.name);
  if (typeof ref === "number") return ref;
  try {
    fs.symlinkSync(hostArg(target), hostArg(ref.path));
    return 0;
  } catch (err) {
    return -hostErrno(err);
  }
}

/** linkat: a hard link inside one mount; `follow` is AT_SYMLINK_FOLLOW. */
export function link(ns: Namespace, oldCtx: PathCtx, oldPath: string, newCtx: PathCtx, newPath: string, follow: boolean): number {
  const ro = ns.resolve(oldCtx, oldPath, follow ? "follow" : "nofollow");
  if (typeof ro === "number") return ro;
  if (ro.node === null) return -E.ENOENT;
  const rn = ns.resolve(newCtx, newPath, "create");
  if (typeof rn === "number") return rn;
  if (rn.node !== null) return -E.EEXIST;
  if (rn.trailingSlash) return -E.ENOENT;
  const n = ro.node;
  const np = rn.parent;
  if (np?.t === "mem" || n.t === "mem" || (follow && n.t === "fd" && n.file instanceof MemFile)) return mem.linkMem(n, rn);
  if (n.t !== "host" || np?.t !== "host" || n.mount.id !== np.mount.id) return -E.EXDEV;
  const parent = writableParent(rn);
  if (typeof parent === "number") return parent;
  if (n.st.isDirectory()) return -E.EPERM;
  const ref = ns.childOf(parent, rn.name);
  if (typeof ref === "number") return ref;
  try {
    fs.linkSync(hostArg(n.ref.path), hostArg(ref.path));
    return 0;
  } catch (err) {
    return -hostErrno(err);
  }
}

function resolveTime(t: TimeArg, current: Timespec, now: () => Timespec = nowTimespec): Timespec {
  if (t === "omit") return current;
  if (t === "now") return now();
  return t;
}
