// Open file descriptions: what a file descriptor refers to. Several descriptors (dup, fork) may share
// one OpenFile, and with it the offset and status flags; `refs` counts them and the file's close
// hook runs when the last goes (retainFile / releaseFile).
//
// Every operation returns a result in the syscall convention: a count or value ≥ 0, or -errno; reads
// and writes that must wait return Blocked (the syscall is re-run when the queue wakes).
import { E } from "../../abi/gen/errno.js";
import type { AddressSpace } from "../../mem/address-space.js";
import { Blocked, WaitQueue } from "../wait-queue.js";
import { FS_MAGIC, O, POLL, ST_VALID } from "../../abi/fs.js";
import type { StatInfo, StatfsInfo, Timespec } from "./stat.js";
import type { DirEntry } from "./dir.js";

export type IoResult = number | Blocked;

/** "anon": a file of the anonymous inode (eventpoll, eventfd, timerfd, signalfd: src/kernel/events/). */
export type FileKind = "file" | "dir" | "path" | "device" | "pipe" | "stdio" | "socket" | "anon";

/** Readiness for poll/select: the POLL* bits true now, and a queue woken when that may change. */
export interface PollState {
  events: number;
  queue: WaitQueue | null;
  /**
   * Optional counters of the wake-ups Linux sends with EPOLLIN (`inSeq`) or EPOLLOUT (`outSeq`)
   * in their key even when the state does not change (every write to a pipe or eventfd): an
   * edge-triggered epoll reports each (events/epoll.ts). Without them only changes are edges.
   */
  inSeq?: number;
  outSeq?: number;
}

export interface OpenFile {
  readonly kind: FileKind;
  /** Access mode and status flags, as F_GETFL reports them (no O_CREAT/O_EXCL/O_TRUNC/O_CLOEXEC). */
  flags: number;
  /**
   * The guest path this file was opened by (canonical byte string), or a label such as
   * "pipe:[42]" for files without one. Directories use it as the base of *at lookups.
   */
  readonly path: string;
  /** Descriptors (and other holders) referring to this description. */
  refs: number;

  read(buf: Uint8Array): IoResult;
  write(buf: Uint8Array): IoResult;
  pread(buf: Uint8Array, pos: number): IoResult;
  pwrite(buf: Uint8Array, pos: number): IoResult;
  /** lseek: the new offset or -errno. */
  seek(offset: number, whence: number): number;
  stat(): StatInfo | number;
  statfs(): StatfsInfo | number;
  /** Encoded linux_dirent64 records filling at most `max` bytes, or -errno (0 bytes at the end). */
  /** inoOf: the d_ino to show for an entry (--deterministic's view), by default its own. */
  getdents(max: number, inoOf?: (e: DirEntry) => bigint): Uint8Array | number;
  /** Directories: how many entries their listings have held so far (charged to --max-insns). */
  readonly entriesListed?: number;
  /** Device-specific ioctls (the fd-level ones are handled by the syscall). */
  ioctl(request: number, arg: bigint, mem: AddressSpace): number;
  /** False when EPIPE from a write raises no SIGPIPE (datagram sockets); absent: it does. */
  readonly epipeSignals?: boolean;
  /** True for a terminal (the job-control ioctls and signals apply to it). */
  isTerminal?(): boolean;
  /** Bytes readable without blocking (FIONREAD), or -errno. */
  available(): number;
  truncate(length: number): number;
  sync(dataOnly: boolean): number;
  chmod(mode: number): number;
  /** fchown: uid or gid -1 leaves that one as it is. */
  chown(uid: number, gid: number): number;
  utimes(atime: Timespec, mtime: Timespec): number;
  /** The clock of the file system holding the file, when it is not the host's (UTIME_NOW). */
  readonly clock?: () => Timespec;
  poll(): PollState;
  /** Called once, when the last reference goes. */
  close(): void;
}

/** Takes a reference to a file (a new descriptor, a mapping, …). */
export function retainFile(f: OpenFile): void {
  f.refs++;
}

/** Drops a reference; closes the file when it was the last. */
export function releaseFile(f: OpenFile): void {
  if (f.refs <= 0) throw new Error(`releaseFile: ${f.path} has no references`);
  if (--f.refs === 0) f.close();
}

/** True when the file was opened for reading (not O_WRONLY, not O_PATH). */
export function canRead(f: OpenFile): boolean {
  const acc = f.flags & O.ACCMODE;
  return (f.flags & O.PATH) === 0 && (acc === O.RDONLY || acc === O.RDWR);
}

/** True when the file was opened for writing (O_WRONLY or O_RDWR, not O_PATH). */
export function canWrite(f: OpenFile): boolean {
  const acc = f.flags & O.ACCMODE;
  return (f.flags & O.PATH) === 0 && (acc === O.WRONLY || acc === O.RDWR);
}

const ALWAYS_READY: PollState = { events: POLL.IN | POLL.OUT | POLL.RDNORM | POLL.WRNORM, queue: null };

/**
 * Defaults for everything a particular kind of file does not support, with the errno Linux gives
 * for a file whose file_operations lack the operation.
 */
export abstract class FileBase implements OpenFile {
  abstract readonly kind: FileKind;
  refs = 0;

  constructor(
    public flags: number,
    readonly path: string,
  ) {}

  abstract stat(): StatInfo | number;

  read(_buf: Uint8Array): IoResult {
    return -E.EINVAL;
  }
  write(_buf: Uint8Array): IoResult {
    return -E.EINVAL;
  }
  pread(_buf: Uint8Array, _pos: number): IoResult {
    return -E.ESPIPE;
  }
  pwrite(_buf: Uint8Array, _pos: number): IoResult {
    return -E.ESPIPE;
  }
  seek(_offset: number, _whence: number): number {
    return -E.ESPIPE;
  }
  statfs(): StatfsInfo | number {
    return pseudoStatfs(FS_MAGIC.PIPEFS);
  }
  getdents(_max: number): Uint8Array | number {
    return -E.ENOTDIR;
  }
  ioctl(_request: number, _arg: bigint, _mem: AddressSpace): number {
    return -E.ENOTTY;
  }
  available(): number {
    return -E.ENOTTY;
  }
  truncate(_length: number): number {
    return -E.EINVAL;
  }
  sync(_dataOnly: boolean): number {
    return -E.EINVAL;
  }
  chmod(_mode: number): number {
    return -E.EPERM;
  }
  chown(_uid: number, _gid: number): number {
    return -E.EPERM;
  }
  utimes(_atime: Timespec, _mtime: Timespec): number {
    return -E.EPERM;
  }
  poll(): PollState {
    return ALWAYS_READY;
  }
  close(): void {}
}

/** statfs of a pseudo file system (pipefs, devtmpfs, …): no blocks, no files. */
export function pseudoStatfs(type: number, readOnly = false): StatfsInfo {
  return {
    type,
    bsize: 4096n,
    blocks: 0n,
    bfree: 0n,
    bavail: 0n,
    files: 0n,
    ffree: 0n,
    namelen: 255,
    flags: ST_VALID | (readOnly ? 1 : 0),
  };
}

export { Blocked, WaitQueue };
