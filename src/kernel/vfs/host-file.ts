// Regular files on host mounts, read and written with Node's synchronous fs calls on a host fd at
// explicit positions (the offset lives here, so dup'ed and inherited descriptors share it as on
// Linux). O_APPEND is emulated (each write goes to the current end), since F_SETFL may toggle it
// and Node cannot change a host fd's flags. Also O_PATH descriptors, which only name a node.
import * as fs from "node:fs";
import { closeHostFd } from "./host-fds.js";
import { E } from "../../abi/gen/errno.js";
import { FS_MAGIC, O, ST_RDONLY, ST_VALID } from "../../abi/fs.js";
import { seekTarget } from "./seek.js";
import { toSeconds } from "./dir.js";
import { hostErrno } from "./errors.js";
import { FileBase, pseudoStatfs, type IoResult } from "./open-file.js";
import { hostArg } from "./paths.js";
import { fdPath } from "./host-ref.js";
import { statFromHost, type StatInfo, type StatfsInfo, type Timespec } from "./stat.js";

/** Host position argument: a Number while exact, else a bigint. */
function hostPos(pos: number): number | bigint {
  return Number.isSafeInteger(pos) ? pos : BigInt(pos);
}

/** statfs of a host path, with the mount's read-only flag. */
export function hostStatfs(hostPath: string, readOnly: boolean): StatfsInfo | number {
  try {
    const s = fs.statfsSync(hostArg(hostPath), { bigint: true });
    return {
      type: Number(s.type),
      bsize: s.bsize,
      blocks: s.blocks,
      bfree: s.bfree,
      bavail: s.bavail,
      files: s.files,
      ffree: s.ffree,
      namelen: 255,
      flags: ST_VALID | (readOnly ? ST_RDONLY : 0),
    };
  } catch (err) {
    return -hostErrno(err);
  }
}

export class HostFile extends FileBase {
  readonly kind = "file";
  offset = 0;

  /**
   * @param fd host descriptor (owned: closed with the file, unless `ownsFd` is false)
   * @param hostPath host path it was opened by, for messages (never handed to the host)
   * @param readOnly the mount is read-only (fchmod, futimens, ftruncate give EROFS)
   * @param mountRoot the file is itself a mount (the program file)
   */
  constructor(
    readonly fd: number,
    flags: number,
    path: string,
    readonly hostPath: string,
    readonly readOnly: boolean,
    readonly mountRoot = false,
    private readonly ownsFd = true,
  ) {
    super(flags, path);
  }

  override read(buf: Uint8Array): IoResult {
    const n = this.pread(buf, this.offset);
    if (n > 0) this.offset += n;
    return n;
  }

  override pread(buf: Uint8Array, pos: number): number {
    if (buf.length === 0) return 0;
    try {
      return fs.readSync(this.fd, buf, 0, buf.length, hostPos(pos));
    } catch (err) {
      return -hostErrno(err);
    }
  }

  override write(buf: Uint8Array): IoResult {
    let pos = this.offset;
    if (this.flags & O.APPEND) {
      const size = this.size();
      if (size < 0) return size;
      pos = size;
    }
    const n = this.pwrite(buf, pos);
    if (n >= 0) this.offset = pos + n;
    return n;
  }

  override pwrite(buf: Uint8Array, pos: number): number {
    if (buf.length === 0) return 0;
    try {
      let done = 0;
      while (done < buf.length) {
        const n = fs.writeSync(this.fd, buf, done, buf.length - done, pos + done);
        if (n <= 0) break;
        done += n;
      }
      return done;
    } catch (err) {
      return -hostErrno(err);
    }
  }

  private size(): number {
    try {
      return Number(fs.fstatSync(this.fd, { bigint: true }).size);
    } catch (err) {
      return -hostErrno(err);
    }
  }

  override seek(offset: number, whence: number): number {
    const next = seekTarget({ current: this.offset, size: () => this.size() }, offset, whence);
    if (next >= 0) this.offset = next;
    return next;
  }

  stat(): StatInfo | number {
    try {
      return statFromHost(fs.fstatSync(this.fd, { bigint: true }), this.mountRoot);
    } catch (err) {
      return -hostErrno(err);
    }
  }

  override statfs(): StatfsInfo | number {
    return hostStatfs(fdPath(this.fd), this.readOnly);
  }

  override available(): number {
    const size = this.size();
    if (size < 0) return size;
    return Math.max(0, size - this.offset);
  }

  override truncate(length: number): number {
    if (this.readOnly) return -E.EROFS;
    try {
      fs.ftruncateSync(this.fd, length);
      return 0;
    } catch (err) {
      return -hostErrno(err);
    }
  }

  override sync(dataOnly: boolean): number {
    try {
      if (dataOnly) fs.fdatasyncSync(this.fd);
      else fs.fsyncSync(this.fd);
      return 0;
    } catch (err) {
      return -hostErrno(err);
    }
  }

  override chmod(mode: number): number {
    if (this.readOnly) return -E.EROFS;
    try {
      fs.fchmodSync(this.fd, mode);
      return 0;
    } catch (err) {
      return -hostErrno(err);
    }
  }

  override chown(uid: number, gid: number): number {
    if (this.readOnly) return -E.EROFS;
    try {
      const st = fs.fstatSync(this.fd);
      fs.fchownSync(this.fd, uid === -1 ? st.uid : uid, gid === -1 ? st.gid : gid);
      return 0;
    } catch (err) {
      return -hostErrno(err);
    }
  }

  override utimes(atime: Timespec, mtime: Timespec): number {
    if (this.readOnly) return -E.EROFS;
    try {
      fs.futimesSync(this.fd, toSeconds(atime), toSeconds(mtime));
      return 0;
    } catch (err) {
      return -hostErrno(err);
    }
  }

  override close(): void {
    // The guest's close has already succeeded; a host close error has nowhere to go.
    if (this.ownsFd) closeHostFd(this.fd);
  }
}

/**
 * An O_PATH descriptor: names a node for fstat, fchdir, *at lookups and close; every I/O operation
 * fails with EBADF as on Linux.
 */
export class PathFile extends FileBase {
  readonly kind = "path";

  constructor(
    flags: number,
    path: string,
    private readonly statFn: () => StatInfo | number,
    private readonly statfsFn: () => StatfsInfo | number = () => pseudoStatfs(FS_MAGIC.RAMFS),
    /** The node is a directory (usable as a dirfd and by fchdir). */
    readonly isDirectory = false,
    /** Lets go of what the file holds on the host (its O_PATH descriptor). */
    private readonly onClose: () => void = () => {},
  ) {
    super(flags, path);
  }

  override close(): void {
    this.onClose();
  }

  stat(): StatInfo | number {
    return this.statFn();
  }
  override statfs(): StatfsInfo | number {
    return this.statfsFn();
  }
  override read(): number {
    return -E.EBADF;
  }
  override write(): number {
    return -E.EBADF;
  }
  override pread(): number {
    return -E.EBADF;
  }
  override pwrite(): number {
    return -E.EBADF;
  }
  override seek(): number {
    return -E.EBADF;
  }
  override getdents(): number {
    return -E.EBADF;
  }
  override ioctl(): number {
    return -E.EBADF;
  }
  override truncate(): number {
    return -E.EBADF;
  }
  override sync(): number {
    return -E.EBADF;
  }
  override chmod(): number {
    return -E.EBADF;
  }
  override chown(): number {
    return -E.EBADF;
  }
  override utimes(): number {
    return -E.EBADF;
  }
}
