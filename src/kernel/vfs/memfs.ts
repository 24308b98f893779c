// An in-memory file system, Linux's tmpfs for the guest: the private /tmp and /dev/shm of a run and
// the files behind memfd_create. Nothing of it reaches the host, and it is gone when the run ends.
//
// This file holds the tree itself: inodes (regular files, directories, symbolic links), their data
// in 4 KiB pages, permission checks, and stat/statfs as Linux's tmpfs reports them. The path
// operations on it are in mem-ops.ts, its open files in mem-file.ts.
//
// - Data lives in pages allocated when first written (a file may have holes, which read as zeros
//   and which SEEK_DATA/SEEK_HOLE find). Every page is charged to the run's memory limit
//   (memory-budget.ts): a write that finds no room fails with ENOSPC, as tmpfs does when full.
// - An inode lives while a directory entry or an open file holds it: the pages of a file
//   unlinked while open are given back when its last open file closes.
// - Times come from the run's clock (deterministic runs stay deterministic); reads do not change
//   atime (as on a noatime mount). Inode numbers count up from 1 per file system, in creation order.
// - Permissions are checked with the guest's own ids (owner, group, other bits; root passes read
//   and write checks, and execute when any x bit is set), and the sticky bit of a directory limits
//   removals and renames in it to the owners of the entry or of the directory.
import { E } from "../../abi/gen/errno.js";
import { ACCESS, DT, FS_MAGIC, S, ST_NODEV, ST_NOSUID, ST_VALID, dtFromMode } from "../../abi/fs.js";
import type { MemoryBudget } from "../../mem/memory-budget.js";
import type { DirEntry } from "./dir.js";
import type { StatInfo, StatfsInfo, Timespec } from "./stat.js";

export const MEM_PAGE = 4096;
/** tmpfs counts 20 bytes of st_size per directory entry (BOGO_DIRENT_SIZE), "." and ".." included. */
const BOGO_DIRENT_SIZE = 20;
/** File seals (F_ADD_SEALS). */
export const SEAL = { SEAL: 1, SHRINK: 2, GROW: 4, WRITE: 8, FUTURE_WRITE: 0x10, EXEC: 0x20 } as const;
/** What statfs reports as the size of a file system without a memory limit: 4 GiB. */
const UNLIMITED_BLOCKS = 1 << 20;

export interface MemInode {
  readonly ino: bigint;
  /** st_mode, type included. */
  mode: number;
  uid: number;
  gid: number;
  /** Directory entries naming it (a directory counts its own "." and its subdirectories' ".."). */
  nlink: number;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  readonly btime: Timespec;
  /** Regular files: the length, and the pages written so far (page index → 4 KiB). */
  size: number;
  pages: Map<number, Uint8Array> | null;
  /** Directories: the entries by name (bytewise), and the directory holding it. */
  entries: Map<string, MemInode> | null;
  parent: MemInode | null;
  /** Symbolic links: the target, as given. */
  target: string;
  /** Open files of it (mem-file.ts): an unlinked inode lives until the last closes. */
  opens: number;
  /** F_SEAL_* bits (F_SEAL_SEAL alone unless made by memfd_create with MFD_ALLOW_SEALING). */
  seals: number;
}

/** The guest's credentials, for permission checks and the owner of new files. */
export interface MemCred {
  uid: number;
  gid: number;
}

export class MemFs {
  readonly root: MemInode;
  private nextIno = 1n;
  /** Inodes alive (for statfs's f_files). */
  private inodes = 0;
  /** Pages held by every file (for statfs and the memory budget). */
  pagesUsed = 0;
  /** Inodes already freed (an unlinked file whose last open file closed). */
  private readonly freed = new WeakSet<MemInode>();

  /**
   * @param dev st_dev of every inode (an anonymous device, major 0)
   * @param now the run's clock
   * @param cred the guest's ids
   * @param memory the run's memory limit, charged for every page (null: no limit)
   * @param rootMode permission bits of the root directory (1777 for /tmp and /dev/shm)
   */
  constructor(
    readonly dev: bigint,
    readonly now: () => Timespec,
    readonly cred: MemCred,
    private readonly memory: MemoryBudget | null,
    rootMode = 0o1777,
  ) {
    this.root = this.newInode(S.IFDIR | rootMode, 0, 0);
    this.root.nlink = 2;
    this.root.parent = this.root;
  }

  /** A new inode, not yet in any directory (nlink 0). */
  newInode(mode: number, uid = this.cred.uid, gid = this.cred.gid): MemInode {
    const t = this.now();
    const type = mode & S.IFMT;
    this.inodes++;
    return {
      ino: this.nextIno++,
      mode,
      uid,
      gid,
      nlink: 0,
      atime: t,
      mtime: t,
      ctime: t,
      btime: t,
      size: type === S.IFDIR ? 2 * BOGO_DIRENT_SIZE : 0,
      pages: type === S.IFREG ? new Map() : null,
      entries: type === S.IFDIR ? new Map() : null,
      parent: null,
      target: "",
      opens: 0,
      seals: SEAL.SEAL,
    };
  }

  // ---- the tree ----

  /** Adds entry `name` for `child` to directory `dir` (which changes). */
  addEntry(dir: MemInode, name: string, child: MemInode): void {
    dir.entries!.set(name, child);
    dir.size += BOGO_DIRENT_SIZE;
    child.nlink++;
    if (isMemDir(child)) {
      child.nlink++; // its "."
      child.parent = dir;
      dir.nlink++; // its ".."
    }
    this.touch(dir, true);
  }

  /** Removes entry `name` of `dir`; the inode goes when nothing holds it any more. */
  removeEntry(dir: MemInode, name: string): void {
    const child = dir.entries!.get(name);
    if (!child) return;
    dir.entries!.delete(name);
    dir.size -= BOGO_DIRENT_SIZE;
    if (isMemDir(child)) {
      child.nlink = 0;
      dir.nlink--;
    } else {
      child.nlink--;
      child.ctime = this.now();
    }
    this.touch(dir, true);
    this.maybeFree(child);
  }

  /** Moves entry `a` of `from` to name `b` of `to` (which must be free), ".." links and all. */
  moveEntry(from: MemInode, a: string, to: MemInode, b: string): void {
    const child = from.entries!.get(a)!;
    from.entries!.delete(a);
    from.size -= BOGO_DIRENT_SIZE;
    to.entries!.set(b, child);
    to.size += BOGO_DIRENT_SIZE;
    if (isMemDir(child) && from !== to) {
      from.nlink--;
      to.nlink++;
      child.parent = to;
    }
    this.touch(from, true);
    this.touch(to, true);
    this.touch(child, false);
  }

  /** Frees an inode's pages once no entry and no open file holds it. */
  maybeFree(n: MemInode): void {
    if (n.nlink > 0 || n.opens > 0 || this.freed.has(n)) return;
    this.freed.add(n);
    this.inodes--;
    if (n.pages) this.dropPages(n, 0);
  }

  /** mtime and ctime (data) or ctime alone (metadata) now. */
  touch(n: MemInode, data: boolean): void {
    const t = this.now();
    if (data) n.mtime = t;
    n.ctime = t;
  }

  // ---- data ----

  /** Reads up to buf.length bytes at pos; 0 at or past the end. */
  read(n: MemInode, buf: Uint8Array, pos: number): number {
    if (pos >= n.size) return 0;
    const len = Math.min(buf.length, n.size - pos);
    let done = 0;
    while (done < len) {
      const at = pos + done;
      const page = Math.floor(at / MEM_PAGE);
      const off = at - page * MEM_PAGE;
      const k = Math.min(MEM_PAGE - off, len - done);
      const p = n.pages!.get(page);
      if (p) buf.set(p.subarray(off, off + k), done);
      else buf.fill(0, done, done + k);
      done += k;
    }
    return len;
  }

  /**
   * Writes buf at pos, growing the file. Stops at the first page the memory limit has no room for:
   * the count written, or -ENOSPC when nothing was.
   */
  write(n: MemInode, buf: Uint8Array, pos: number): number {
    let done = 0;
    while (done < buf.length) {
      const at = pos + done;
      const page = Math.floor(at / MEM_PAGE);
      const off = at - page * MEM_PAGE;
      const k = Math.min(MEM_PAGE - off, buf.length - done);
      let p = n.pages!.get(page);
      if (!p) {
        if (this.memory && !this.memory.tryTake(MEM_PAGE)) break;
        p = new Uint8Array(MEM_PAGE);
        n.pages!.set(page, p);
        this.pagesUsed++;
      }
      p.set(buf.subarray(done, done + k), off);
      done += k;
    }
    if (done === 0 && buf.length > 0) return -E.ENOSPC;
    if (pos + done > n.size) n.size = pos + done;
    this.touch(n, true);
    return done;
  }

  /** Sets the length; pages past it are freed and the tail of the last one zeroed. */
  truncate(n: MemInode, length: number): void {
    if (length < n.size) {
      this.dropPages(n, Math.ceil(length / MEM_PAGE));
      const last = n.pages!.get(Math.floor(length / MEM_PAGE));
      if (last) last.fill(0, length % MEM_PAGE);
    }
    n.size = length;
    this.touch(n, true);
  }

  private dropPages(n: MemInode, fromPage: number): void {
    for (const k of [...n.pages!.keys()]) {
      if (k < fromPage) continue;
      n.pages!.delete(k);
      this.pagesUsed--;
      this.memory?.give(MEM_PAGE);
    }
  }

  /** SEEK_DATA (data true) or SEEK_HOLE from pos: the offset, or -ENXIO at or past the end. */
  seekData(n: MemInode, pos: number, data: boolean): number {
    if (pos >= n.size) return -E.ENXIO;
    for (let page = Math.floor(pos / MEM_PAGE); page * MEM_PAGE < n.size; page++) {
      if (n.pages!.has(page) === data) return Math.max(pos, page * MEM_PAGE);
    }
    return data ? -E.ENXIO : n.size;
  }

  // ---- permissions ----

  /** 0 when the guest may access `n` with amode (R_OK|W_OK|X_OK bits), else -EACCES. */
  permission(n: MemInode, amode: number): number {
    if (amode === 0) return 0;
    if (this.cred.uid === 0) {
      // Root reads and writes anything; executes what some x bit allows (directories: searches).
      if (!(amode & ACCESS.X_OK) || isMemDir(n) || n.mode & 0o111) return 0;
      return -E.EACCES;
    }
    const bits = n.uid === this.cred.uid ? (n.mode >> 6) & 7 : n.gid === this.cred.gid ? (n.mode >> 3) & 7 : n.mode & 7;
    return (bits & amode) === amode ? 0 : -E.EACCES;
  }

  /** The guest owns `n` (or is root): what chmod, utimes with times and the sticky bit ask. */
  owns(n: MemInode): boolean {
    return this.cred.uid === 0 || n.uid === this.cred.uid;
  }

  /** May the guest remove or replace entry `child` of `dir`: -EACCES, -EPERM (sticky) or 0. */
  mayDelete(dir: MemInode, child: MemInode): number {
    const p = this.permission(dir, ACCESS.W_OK | ACCESS.X_OK);
    if (p < 0) return p;
    if (dir.mode & S.ISVTX && !this.owns(child) && !this.owns(dir)) return -E.EPERM;
    return 0;
  }

  // ---- what the guest is shown ----

  stat(n: MemInode): StatInfo {
    const isLink = (n.mode & S.IFMT) === S.IFLNK;
    return {
      dev: this.dev,
      ino: n.ino,
      mode: n.mode,
      nlink: n.nlink,
      uid: n.uid,
      gid: n.gid,
      rdev: 0n,
      size: BigInt(isLink ? n.target.length : n.size),
      blksize: MEM_PAGE,
      blocks: BigInt((n.pages?.size ?? 0) * (MEM_PAGE / 512)),
      atime: n.atime,
      mtime: n.mtime,
      ctime: n.ctime,
      btime: n.btime,
      mountRoot: n === this.root,
    };
  }

  direntOf(n: MemInode, name: string): DirEntry {
    return { name, ino: n.ino, type: dtFromMode(n.mode) || DT.UNKNOWN };
  }

  statfs(): StatfsInfo {
    const blocks = this.memory ? Math.floor(this.memory.limit / MEM_PAGE) : UNLIMITED_BLOCKS;
    const free = this.memory ? Math.max(0, Math.floor(this.memory.available / MEM_PAGE)) : Math.max(0, blocks - this.pagesUsed);
    return {
      type: FS_MAGIC.TMPFS,
      bsize: BigInt(MEM_PAGE),
      blocks: BigInt(blocks),
      bfree: BigInt(free),
      bavail: BigInt(free),
      files: BigInt(blocks),
      ffree: BigInt(Math.max(0, blocks - this.inodes)),
      namelen: 255,
      flags: ST_VALID | ST_NOSUID | ST_NODEV,
      own: true,
    };
  }
}

export function isMemDir(n: MemInode): boolean {
  return (n.mode & S.IFMT) === S.IFDIR;
}

export function isMemLink(n: MemInode): boolean {
  return (n.mode & S.IFMT) === S.IFLNK;
}

export function isMemReg(n: MemInode): boolean {
  return (n.mode & S.IFMT) === S.IFREG;
}
