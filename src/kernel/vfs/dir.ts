// Open directories: getdents64 over a listing the Vfs builds (host entries merged with what is
// mounted there, or a synthetic directory's children), sorted by name so the order is
// deterministic, with "." and ".." first. The listing is taken at the first getdents and again
// whenever the offset is back at 0 (rewinddir), as a snapshot; d_off of entry i is i + 1, and lseek
// accepts those values (telldir/seekdir).
import * as fs from "node:fs";
import { E } from "../../abi/gen/errno.js";
import { SEEK } from "../../abi/fs.js";
import { hostErrno } from "./errors.js";
import { closeHostFd } from "./host-fds.js";
import { FileBase } from "./open-file.js";
import { pathToBytes } from "./paths.js";
import type { StatInfo, StatfsInfo, Timespec } from "./stat.js";

export interface DirEntry {
  /** Byte-string name. */
  name: string;
  ino: bigint;
  /** DT_* */
  type: number;
  /** The host file's identity (stat.ts hostKey), for host entries only. */
  hostKey?: string;
}

/** Size of one linux_dirent64 record for a name of `nameLen` bytes: 19-byte header, name, NUL, 8-aligned. */
export function direntSize(nameLen: number): number {
  return (19 + nameLen + 1 + 7) & ~7;
}

/** The d_ino shown for an entry: its own, unless a view of the host's metadata says otherwise. */
export type DirentIno = (e: DirEntry) => bigint;

const ownIno: DirentIno = (e) => e.ino;

/**
 * Encodes entries[start…] as linux_dirent64 records (d_ino u64, d_off i64, d_reclen u16, d_type
 * u8, NUL-terminated name) into at most `max` bytes. Returns the bytes and how many entries fit.
 */
export function encodeDirents(entries: readonly DirEntry[], start: number, max: number, inoOf: DirentIno = ownIno): { bytes: Uint8Array; count: number } {
  let size = 0;
  let end = start;
  while (end < entries.length) {
    const rec = direntSize(entries[end].name.length);
    if (size + rec > max) break;
    size += rec;
    end++;
  }
  const bytes = new Uint8Array(size);
  const v = new DataView(bytes.buffer);
  let off = 0;
  for (let i = start; i < end; i++) {
    const e = entries[i];
    const rec = direntSize(e.name.length);
    v.setBigUint64(off, BigInt.asUintN(64, inoOf(e)), true);
    v.setBigInt64(off + 8, BigInt(i + 1), true);
    v.setUint16(off + 16, rec, true);
    v.setUint8(off + 18, e.type);
    bytes.set(pathToBytes(e.name), off + 19);
    off += rec;
  }
  return { bytes, count: end - start };
}

export interface DirSource {
  list(): DirEntry[] | number;
  stat(): StatInfo | number;
  statfs(): StatfsInfo | number;
  /** Host descriptor of a host directory (fstat, fsync, fchmod, futimens); null when synthetic. */
  hostFd: number | null;
  readOnly: boolean;
  /** fchmod, fchown and futimens of a directory that is neither host nor read-only (the in-memory /tmp). */
  meta?: {
    chmod(mode: number): number;
    chown(uid: number, gid: number): number;
    utimes(atime: Timespec, mtime: Timespec): number;
    /** Its file system's clock (UTIME_NOW). */
    now(): Timespec;
  };
}

export class DirFile extends FileBase {
  readonly kind = "dir";
  private entries: DirEntry[] | null = null;
  readonly clock?: () => Timespec;
  private pos = 0;
  /** Entries of every listing taken so far (each costs the host an lstat). */
  entriesListed = 0;

  constructor(
    flags: number,
    path: string,
    private readonly source: DirSource,
  ) {
    super(flags, path);
    if (source.meta) this.clock = source.meta.now;
  }

  override read(_buf: Uint8Array): number {
    return -E.EISDIR;
  }

  override pread(_buf: Uint8Array, _pos: number): number {
    return -E.EISDIR;
  }

  override getdents(max: number, inoOf?: DirentIno): Uint8Array | number {
    if (this.entries === null || this.pos === 0) {
      const list = this.source.list();
      if (typeof list === "number") return list;
      this.entries = list;
      this.entriesListed += list.length;
    }
    if (this.pos >= this.entries.length) return new Uint8Array(0);
    const { bytes, count } = encodeDirents(this.entries, this.pos, max, inoOf);
    if (count === 0) return -E.EINVAL;
    this.pos += count;
    return bytes;
  }

  override seek(offset: number, whence: number): number {
    let next: number;
    if (whence === SEEK.SET) next = offset;
    else if (whence === SEEK.CUR) next = this.pos + offset;
    else return -E.EINVAL;
    if (!Number.isSafeInteger(next) || next < 0) return -E.EINVAL;
    this.pos = next;
    return next;
  }

  stat(): StatInfo | number {
    return this.source.stat();
  }

  override statfs(): StatfsInfo | number {
    return this.source.statfs();
  }

  override sync(dataOnly: boolean): number {
    const fd = this.source.hostFd;
    if (fd === null) return this.source.meta ? 0 : -E.EINVAL;
    try {
      if (dataOnly) fs.fdatasyncSync(fd);
      else fs.fsyncSync(fd);
      return 0;
    } catch (err) {
      return -hostErrno(err);
    }
  }

  override chmod(mode: number): number {
    if (this.source.meta) return this.source.meta.chmod(mode);
    const fd = this.source.hostFd;
    if (fd === null || this.source.readOnly) return -E.EROFS;
    try {
      fs.fchmodSync(fd, mode);
      return 0;
    } catch (err) {
      return -hostErrno(err);
    }
  }

  override chown(uid: number, gid: number): number {
    if (this.source.meta) return this.source.meta.chown(uid, gid);
    const fd = this.source.hostFd;
    if (fd === null || this.source.readOnly) return -E.EROFS;
    try {
      const st = fs.fstatSync(fd);
      fs.fchownSync(fd, uid === -1 ? st.uid : uid, gid === -1 ? st.gid : gid);
      return 0;
    } catch (err) {
      return -hostErrno(err);
    }
  }

  override utimes(atime: Timespec, mtime: Timespec): number {
    if (this.source.meta) return this.source.meta.utimes(atime, mtime);
    const fd = this.source.hostFd;
    if (fd === null || this.source.readOnly) return -E.EROFS;
    try {
      fs.futimesSync(fd, toSeconds(atime), toSeconds(mtime));
      return 0;
    } catch (err) {
      return -hostErrno(err);
    }
  }

  override close(): void {
    // Closing a host fd cannot fail in a way the guest could see (close has already succeeded).
    if (this.source.hostFd !== null) closeHostFd(this.source.hostFd);
  }
}

/** A Timespec as the fractional seconds Node's utimes calls take (sub-microsecond precision is lost). */
export function toSeconds(t: Timespec): number {
  return Number(t.sec) + t.nsec / 1e9;
}
