// Open regular files of the in-memory file system (memfs.ts): the files of the private /tmp and
// /dev/shm, and memfd_create's. Reads and writes go to the inode's pages at this description's
// offset; O_APPEND writes at the end; seals (F_ADD_SEALS) refuse writes and size changes with EPERM.
//
// The path shown (/proc/self/fd links) is the one the file was opened by, with " (deleted)" once
// the inode has no name left, as Linux shows it; memfd files are "/memfd:NAME (deleted)" from the
// start.
import { E } from "../../abi/gen/errno.js";
import { O, S } from "../../abi/fs.js";
import { seekTarget } from "./seek.js";
import { FileBase, type IoResult } from "./open-file.js";
import { SEAL, type MemFs, type MemInode } from "./memfs.js";
import type { StatInfo, StatfsInfo, Timespec } from "./stat.js";

/** The largest file offset (an off_t that JavaScript numbers hold exactly). */
const MAX_OFFSET = Number.MAX_SAFE_INTEGER;

export class MemFile extends FileBase {
  readonly kind = "file";
  offset = 0;
  readonly clock: () => Timespec;

  /**
   * @param shown the guest path it was opened by (or "/memfd:NAME")
   * @param memfd made by memfd_create: never had a name
   */
  constructor(
    readonly fs: MemFs,
    readonly inode: MemInode,
    flags: number,
    readonly shown: string,
    readonly memfd = false,
  ) {
    super(flags, shown);
    this.clock = fs.now;
    inode.opens++;
    // The path follows the inode: " (deleted)" once it has no name (FileBase stores a plain value).
    Object.defineProperty(this, "path", { get: () => (inode.nlink === 0 ? `${shown} (deleted)` : shown) });
  }


  override read(buf: Uint8Array): IoResult {
    const n = this.pread(buf, this.offset);
    if (n > 0) this.offset += n;
    return n;
  }

  override pread(buf: Uint8Array, pos: number): number {
    return this.fs.read(this.inode, buf, pos);
  }

  override write(buf: Uint8Array): IoResult {
    const pos = this.flags & O.APPEND ? this.inode.size : this.offset;
    const n = this.pwrite(buf, pos);
    if (n >= 0) this.offset = pos + n;
    return n;
  }

  override pwrite(buf: Uint8Array, pos: number): number {
    if (buf.length === 0) return 0;
    if (this.inode.seals & (SEAL.WRITE | SEAL.FUTURE_WRITE)) return -E.EPERM;
    if (pos + buf.length > MAX_OFFSET) {
      if (pos >= MAX_OFFSET) return -E.EFBIG;
      buf = buf.subarray(0, MAX_OFFSET - pos);
    }
    if (this.inode.seals & SEAL.GROW && pos + buf.length > this.inode.size) {
      if (pos >= this.inode.size) return -E.EPERM;
      buf = buf.subarray(0, this.inode.size - pos);
    }
    return this.fs.write(this.inode, buf, pos);
  }

  override seek(offset: number, whence: number): number {
    const next = seekTarget({
      current: this.offset,
      size: () => this.inode.size,
      dataOrHole: (from, data) => this.fs.seekData(this.inode, from, data),
    }, offset, whence);
    if (next >= 0) this.offset = next;
    return next;
  }

  stat(): StatInfo {
    return this.fs.stat(this.inode);
  }

  override statfs(): StatfsInfo {
    return this.fs.statfs();
  }

  override available(): number {
    return Math.max(0, this.inode.size - this.offset);
  }

  override truncate(length: number): number {
    return truncateMem(this.fs, this.inode, length);
  }

  override sync(_dataOnly: boolean): number {
    return 0;
  }

  override chmod(mode: number): number {
    return chmodMem(this.fs, this.inode, mode);
  }

  override chown(uid: number, gid: number): number {
    return chownMem(this.fs, this.inode, uid, gid);
  }

  override utimes(atime: Timespec, mtime: Timespec): number {
    return utimesMem(this.fs, this.inode, atime, mtime, false);
  }

  override close(): void {
    this.inode.opens--;
    this.fs.maybeFree(this.inode);
  }
}

/** ftruncate/truncate of a memfs file (permission already checked): seals, then the new size. */
export function truncateMem(fs: MemFs, n: MemInode, length: number): number {
  if (length > MAX_OFFSET) return -E.EFBIG;
  if (length < n.size && n.seals & SEAL.SHRINK) return -E.EPERM;
  if (length > n.size && n.seals & SEAL.GROW) return -E.EPERM;
  // Growing takes no pages (the new part is a hole), so it never fails for lack of memory.
  fs.truncate(n, length);
  return 0;
}

/** chmod: the owner (or root) only; not the x bits under F_SEAL_EXEC. */
export function chmodMem(fs: MemFs, n: MemInode, mode: number): number {
  if (!fs.owns(n)) return -E.EPERM;
  // F_SEAL_EXEC (MFD_NOEXEC_SEAL) freezes the execute bits.
  if (n.seals & SEAL.EXEC && ((n.mode ^ mode) & 0o111) !== 0) return -E.EPERM;
  n.mode = (n.mode & ~0o7777) | (mode & 0o7777);
  fs.touch(n, false);
  return 0;
}

/**
 * chown (uid or gid -1: unchanged): root may give anything; others may only "change" the owner to
 * themselves and the group to their own, of a file they own. Clears set-user-ID and set-group-ID
 * of a regular file, as Linux does.
 */
export function chownMem(fs: MemFs, n: MemInode, uid: number, gid: number): number {
  if (fs.cred.uid !== 0) {
    const owner = n.uid === fs.cred.uid;
    if (uid !== -1 && !(owner && uid === n.uid)) return -E.EPERM;
    if (gid !== -1 && !(owner && (gid === fs.cred.gid || gid === n.gid))) return -E.EPERM;
  }
  if (uid !== -1) n.uid = uid >>> 0;
  if (gid !== -1) n.gid = gid >>> 0;
  if ((n.mode & S.IFMT) !== S.IFDIR) n.mode &= ~(n.mode & 0o10 ? 0o6000 : 0o4000);
  fs.touch(n, false);
  return 0;
}

/**
 * utimensat: explicit times need the owner (EPERM); "now" for both (`bothNow`) needs the owner or
 * write permission (EACCES), as Linux checks it.
 */
export function utimesMem(fs: MemFs, n: MemInode, atime: Timespec, mtime: Timespec, bothNow: boolean): number {
  if (!fs.owns(n)) {
    if (!bothNow) return -E.EPERM;
    const p = fs.permission(n, 2);
    if (p < 0) return p;
  }
  n.atime = atime;
  n.mtime = mtime;
  fs.touch(n, false);
  return 0;
}
