// How the host is reached: through descriptors, never through host path strings.
//
// A host path string is looked up by the host afresh at every use, through every directory in it;
// anyone who can write one of those directories (the guest itself, or another process sharing a
// mounted directory) can swap a symlink in between rvtrace's check and its use, and send the use
// anywhere on the host. So every mount root is opened once, at start, and held for the whole run,
// and every place below it is named relative to a held descriptor of its parent directory:
//
//   /proc/self/fd/D/NAME   D held open on the parent directory; the host resolves /proc/self/fd/D
//                          to that very directory (it cannot be swapped), then looks up one name,
//                          which rvtrace never lets the host follow (O_NOFOLLOW, lstat, readlink,
//                          and calls that never follow their last component).
//   /proc/self/fd/H        H held open (O_PATH) on the node itself: the host goes to that inode.
//                          This is a magic link, so it must be followed (no O_NOFOLLOW on it).
//
// Directories on the way down are opened with O_PATH|O_NOFOLLOW|O_DIRECTORY, and checked to be the
// directory rvtrace lstat-ed, so a symlink or another directory swapped in is refused. A `..` in a
// guest path never reaches the host (the namespace pops its own stack). This is what Linux's
// openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) gives; Node has no openat, and /proc/self/fd is
// how to get the same from a path API.
//
// Descriptors opened for one syscall's lookups are held in a HostHandles and closed when the
// syscall returns (phases.ts); open files keep descriptors of their own.
import * as fs from "node:fs";
import { E } from "../../abi/gen/errno.js";
import { hostErrno } from "./errors.js";
import { hostArg } from "./paths.js";
import { hostFsCalls } from "./host-calls.js";

/** A place on the host, reachable without the host following anything rvtrace did not check. */
export interface HostRef {
  /** The path handed to the host (a byte string): /proc/self/fd/D/NAME or /proc/self/fd/H. */
  readonly path: string;
  /** H when `path` is /proc/self/fd/H (the node's own held descriptor), else null. */
  readonly fd: number | null;
  /** The host path as a person would write it, for messages only: never handed to the host. */
  readonly shown: string;
}

// /proc/PID rather than /proc/self: one symlink fewer for the host to resolve at every use.
const PROC_FD = `/proc/${process.pid}/fd/`;

export function childRef(dirFd: number, name: string, shown: string): HostRef {
  return { path: `${PROC_FD}${dirFd}/${name}`, fd: null, shown };
}

export function pinnedRef(fd: number, shown: string): HostRef {
  return { path: `${PROC_FD}${fd}`, fd, shown };
}

/** The path that reaches the inode held by descriptor fd (followed by the host as a magic link). */
export function fdPath(fd: number): string {
  return `${PROC_FD}${fd}`;
}

/** lstat of a ref: undefined when the name does not exist; other errors are -errno. */
export function lstatRef(ref: HostRef): fs.BigIntStats | undefined | number {
  hostFsCalls.count++;
  try {
    // lstat of a /proc/self/fd/H link would describe the link, not the node H holds.
    if (ref.fd !== null) return fs.fstatSync(ref.fd, { bigint: true });
    return fs.lstatSync(hostArg(ref.path), { bigint: true, throwIfNoEntry: false });
  } catch (err) {
    return -hostErrno(err);
  }
}

/**
 * Whether two stats describe the same node. The type is compared too: a host reuses a freed inode
 * number at once, so a symlink made in place of a file may carry the file's number.
 */
export function sameNode(a: fs.BigIntStats, b: fs.BigIntStats): boolean {
  return a.ino === b.ino && a.dev === b.dev && (a.mode & BigInt(fs.constants.S_IFMT)) === (b.mode & BigInt(fs.constants.S_IFMT));
}

/** Host open(2) flags a ref needs added: O_NOFOLLOW, except on a magic link that must be followed. */
export function noFollowFor(ref: HostRef): number {
  return ref.fd === null ? fs.constants.O_NOFOLLOW : 0;
}

/** O_PATH (Linux): a descriptor that only names a node. Node does not export it. */
export const O_PATH = 0o10000000;

/**
 * Directory descriptors kept between syscalls (the most recently used ones): enough for the
 * directories a program works in, and well inside the host descriptors kept back for rvtrace
 * itself (host-fds.ts HOST_FD_RESERVE), since they are not counted with the guests'.
 */
export const KEPT_DIRS = 64;

/**
 * The descriptors lookups open: O_PATH handles of single nodes, held for one syscall, and
 * directory handles, kept between syscalls so a path's directories are not opened again at every
 * call. A kept directory handle is used again only when a fresh lstat of its name shows the very
 * directory it holds: the same inode on the same device, and as the handle keeps that inode alive,
 * the host cannot have given its number to anything else.
 */
export class HostHandles {
  /** Opened for the current syscall: closed when it returns. */
  private readonly held: number[] = [];
  /** Directory handles by the ref path they were opened by, least recently used first. */
  private readonly dirs = new Map<string, { fd: number; st: fs.BigIntStats }>();

  /**
   * Opens `ref` with O_PATH (plus `extra` host flags) without following it, and checks it is the
   * node `expected` (what an lstat found): a node swapped in since then is -ENOENT, as if the name
   * had gone. Returns the descriptor, held until the syscall returns.
   */
  open(ref: HostRef, expected: fs.BigIntStats, extra = 0): number {
    const opened = openChecked(ref, expected, extra);
    if (opened.fd >= 0) this.held.push(opened.fd);
    return opened.error ?? opened.fd;
  }

  /** A handle of the directory at `ref`, which an lstat just found to be `expected`. */
  dir(ref: HostRef, expected: fs.BigIntStats): number {
    const kept = this.dirs.get(ref.path);
    if (kept && sameNode(kept.st, expected)) {
      this.dirs.delete(ref.path);
      this.dirs.set(ref.path, kept);
      return kept.fd;
    }
    const opened = openChecked(ref, expected, fs.constants.O_DIRECTORY);
    if (opened.error !== undefined) {
      if (opened.fd >= 0) this.held.push(opened.fd);
      return opened.error;
    }
    if (kept) {
      // Something else has that name now; the old handle may still be named by a lookup of this call.
      this.dirs.delete(ref.path);
      this.held.push(kept.fd);
    }
    this.dirs.set(ref.path, { fd: opened.fd, st: expected });
    return opened.fd;
  }

  /** Closes what the current syscall opened, and the directory handles used least beyond the kept number. */
  release(): void {
    // Called after every syscall, and most open nothing: return before any iterator is made.
    if (this.held.length > 0) {
      for (const fd of this.held) closeQuietly(fd);
      this.held.length = 0;
    }
    if (this.dirs.size <= KEPT_DIRS) return;
    for (const [key, kept] of this.dirs) {
      if (this.dirs.size <= KEPT_DIRS) break;
      this.dirs.delete(key);
      closeQuietly(kept.fd);
    }
  }

  /** How many descriptors are held for the current syscall (for tests). */
  get count(): number {
    return this.held.length;
  }
}

function openChecked(ref: HostRef, expected: fs.BigIntStats, extra: number): { fd: number; error?: number } {
  let fd: number;
  hostFsCalls.count++;
  try {
    fd = fs.openSync(hostArg(ref.path), O_PATH | noFollowFor(ref) | extra);
  } catch (err) {
    const errno = hostErrno(err);
    // A symlink swapped in for a directory (O_DIRECTORY|O_NOFOLLOW) reads as ENOTDIR or ELOOP.
    return { fd: -1, error: errno === E.ENOTDIR || errno === E.ELOOP ? -E.ENOENT : -errno };
  }
  try {
    if (!sameNode(fs.fstatSync(fd, { bigint: true }), expected)) return { fd, error: -E.ENOENT };
  } catch (err) {
    return { fd, error: -hostErrno(err) };
  }
  return { fd };
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Already closed: nothing is lost.
  }
}
