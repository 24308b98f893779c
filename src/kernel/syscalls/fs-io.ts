// Descriptor I/O syscalls: read/write and their vector and positional forms, lseek, getdents64,
// close, dup, fcntl, ioctl, pipe2, ftruncate, fsync, sync, sendfile, copy_file_range, fadvise64,
// fallocate.
// Thin adapters: registers in (args.ts), the
// OpenFile does the work (vfs/), results out to guest memory.
import { E } from "../../abi/gen/errno.js";
import type { Task } from "../task.js";
import { Blocked, ERESTARTSYS } from "../wait-queue.js";
import { SIGTTIN, SIGTTOU, SIG_IGN } from "../../abi/signals.js";
import { sigbit } from "../signals.js";
import { argI64, argInt, argIsNull, argPtr, argU32, argU64 } from "./args.js";
import type { SyscallResult, SyscallRow } from "./types.js";
import { F, FD_CLOEXEC, F_UNLCK, IOCTL, O, PIPE_CAPACITY, SEEK, SETFL_MASK, SIZEOF } from "../../abi/fs.js";
import { canRead, canWrite, type IoResult, type OpenFile } from "../vfs/open-file.js";
import { PipeEnd } from "../vfs/pipe.js";
import { PROT_WRITE } from "../../mem/address-space.js";
import { hostWork } from "../host-work.js";
import { addSeals, getSeals } from "./memfd.js";
import { findConflict, flockFile, F_RDLCK, F_WRLCK, releaseProcessLocks, setRecordLock } from "./file-locks.js";
import { accessiblePrefix, countArg, fileOf, guestIn, guestOut, offsetArg, readIovecs, type Iovec } from "./fs-common.js";

/** Positional I/O is refused on streams (ESPIPE), as for files without FMODE_PREAD. */
function seekable(f: OpenFile): boolean {
  return f.kind !== "pipe" && f.kind !== "stdio" && f.kind !== "socket";
}

/** After a write-family call: EPIPE raises SIGPIPE through the kernel's hook (not for datagram sockets). */
function afterWrite(t: Task, r: IoResult, f?: OpenFile): SyscallResult {
  if (r === -E.EPIPE && f?.epipeSignals !== false) t.kernel.vfs.onBrokenPipe?.(t);
  return r;
}

/**
 * A process outside the terminal's foreground group that reads from it gets SIGTTIN (its group
 * stops, by default) and the read is restarted once it is continued; with SIGTTIN ignored or
 * blocked the read fails with EIO. Returns null when the read may go on.
 */
function backgroundRead(t: Task, f: OpenFile): SyscallResult | null {
  if (!f.isTerminal?.() || t.process.pgid === t.kernel.foregroundPgid()) return null;
  return ttySignal(t, SIGTTIN);
}

/** SIGTTIN or SIGTTOU for background terminal access: -EIO if it cannot stop the process, else a restart. */
function ttySignal(t: Task, signo: number): number {
  const ignored = t.process.sigactions[signo].handler === SIG_IGN || (t.sigmask & sigbit(signo)) !== 0n;
  if (ignored) return -E.EIO;
  for (const p of t.kernel.processes.values()) {
    if (p.pgid === t.process.pgid && p.alive) t.kernel.sendProcessSignal(p, { signo, code: 0x80 /* SI_KERNEL */ });
  }
  return -ERESTARTSYS;
}

function read(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  if (!canRead(f)) return -E.EBADF;
  const background = backgroundRead(t, f);
  if (background !== null) return background;
  return f.read(guestOut(t.mem, argPtr(t, 1), countArg(argU64(t, 2))));
}

function write(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  if (!canWrite(f)) return -E.EBADF;
  return afterWrite(t, f.write(guestIn(t.mem, argPtr(t, 1), countArg(argU64(t, 2)))), f);
}

function pread64(t: Task): SyscallResult {
  const pos = offsetArg(argI64(t, 3));
  if (pos === null) return -E.EINVAL;
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  if (!seekable(f)) return -E.ESPIPE;
  if (!canRead(f)) return -E.EBADF;
  return f.pread(guestOut(t.mem, argPtr(t, 1), countArg(argU64(t, 2))), pos);
}

/**
 * Where a positional write lands: at `pos`, except on an O_APPEND file, where Linux appends whatever
 * the position (its documented pwrite bug, which programs meet); the file offset is left alone.
 */
function writePos(f: OpenFile, pos: number): number {
  if (!(f.flags & O.APPEND)) return pos;
  const st = f.stat();
  return typeof st === "number" ? st : Number(st.size);
}

function pwrite64(t: Task): SyscallResult {
  const pos = offsetArg(argI64(t, 3));
  if (pos === null) return -E.EINVAL;
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  if (!seekable(f)) return -E.ESPIPE;
  if (!canWrite(f)) return -E.EBADF;
  const at = writePos(f, pos);
  if (at < 0) return at;
  return afterWrite(t, f.pwrite(guestIn(t.mem, argPtr(t, 1), countArg(argU64(t, 2))), at));
}

/**
 * Reads into successive iovecs until one comes back short. A read that would block after data has
 * arrived returns what arrived; a bad buffer after some data ends the call with that count.
 */
function readVec(t: Task, f: OpenFile, iov: Iovec[], pos: number | null): SyscallResult {
  let total = 0;
  for (const v of iov) {
    if (v.len === 0) continue;
    let view: Uint8Array;
    try {
      view = guestOut(t.mem, v.base, v.len);
    } catch (err) {
      if (total > 0) return total;
      throw err;
    }
    const r: IoResult = pos === null ? f.read(view) : f.pread(view, pos + total);
    if (r instanceof Blocked) return total > 0 ? total : r;
    if (r < 0) return total > 0 ? total : r;
    total += r;
    if (r < v.len) break;
  }
  return total;
}

/** Gathers the iovecs into one buffer and writes it at once (so ≤ PIPE_BUF stays atomic). */
function writeVec(t: Task, f: OpenFile, iov: Iovec[], pos: number | null): SyscallResult {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const v of iov) {
    if (v.len === 0) continue;
    let view: Uint8Array;
    try {
      view = guestIn(t.mem, v.base, v.len);
    } catch (err) {
      if (size > 0) break;
      throw err;
    }
    parts.push(view);
    size += view.length;
    if (view.length < v.len) break;
  }
  let buf: Uint8Array;
  if (parts.length === 1) buf = parts[0];
  else {
    buf = new Uint8Array(size);
    let off = 0;
    for (const p of parts) {
      buf.set(p, off);
      off += p.length;
    }
  }
  if (pos === null) return afterWrite(t, f.write(buf), f);
  const at = writePos(f, pos);
  return at < 0 ? at : afterWrite(t, f.pwrite(buf, at));
}

function readv(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  if (!canRead(f)) return -E.EBADF;
  const background = backgroundRead(t, f);
  if (background !== null) return background;
  const iov = readIovecs(t.mem, argPtr(t, 1), argInt(t, 2));
  if (typeof iov === "number") return iov;
  if (iov.every((v) => v.len === 0)) return f.read(new Uint8Array(0));
  return readVec(t, f, iov, null);
}

function writev(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  if (!canWrite(f)) return -E.EBADF;
  const iov = readIovecs(t.mem, argPtr(t, 1), argInt(t, 2));
  if (typeof iov === "number") return iov;
  return writeVec(t, f, iov, null);
}

function preadv(t: Task): SyscallResult {
  const pos = offsetArg(argI64(t, 3));
  if (pos === null) return -E.EINVAL;
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  if (!seekable(f)) return -E.ESPIPE;
  if (!canRead(f)) return -E.EBADF;
  const iov = readIovecs(t.mem, argPtr(t, 1), argInt(t, 2));
  if (typeof iov === "number") return iov;
  return readVec(t, f, iov, pos);
}

function pwritev(t: Task): SyscallResult {
  const pos = offsetArg(argI64(t, 3));
  if (pos === null) return -E.EINVAL;
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  if (!seekable(f)) return -E.ESPIPE;
  if (!canWrite(f)) return -E.EBADF;
  const iov = readIovecs(t.mem, argPtr(t, 1), argInt(t, 2));
  if (typeof iov === "number") return iov;
  return writeVec(t, f, iov, pos);
}

function lseek(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  const whence = argU32(t, 2);
  if (whence > SEEK.HOLE) return -E.EINVAL;
  const off = argI64(t, 1);
  if (off > BigInt(Number.MAX_SAFE_INTEGER) || off < -BigInt(Number.MAX_SAFE_INTEGER)) return -E.EINVAL;
  return f.seek(Number(off), whence);
}

function getdents64(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  const ptr = argPtr(t, 1);
  const count = argU32(t, 2);
  // Check the buffer before taking entries off the directory: a fault must not lose them.
  if (f.kind === "path") return -E.EBADF;
  if (f.kind !== "dir") return -E.ENOTDIR;
  const room = accessiblePrefix(t.mem, ptr, count, PROT_WRITE);
  if (room === 0 && count > 0) return -E.EFAULT;
  const listedBefore = f.entriesListed ?? 0;
  const world = t.kernel.world;
  const r = f.getdents(room, (e) => world.direntIno(e));
  // Listing the directory (a host lstat per entry) is charged by its size to --max-insns.
  t.kernel.charge(hostWork.dirEntries((f.entriesListed ?? 0) - listedBefore));
  if (typeof r === "number") return r;
  t.mem.write(ptr, r);
  return r.length;
}

function close(t: Task): SyscallResult {
  const fd = argInt(t, 0);
  const f = t.process.fds.get(fd);
  // Closing any descriptor of a file drops the process's record locks on it (POSIX's rule).
  if (f) releaseProcessLocks(t, f);
  return t.process.fds.close(fd);
}

/** close_range(first, last, flags): CLOSE_RANGE_CLOEXEC (4) marks instead of closing; UNSHARE (2) is moot. */
function closeRange(t: Task): SyscallResult {
  const first = argU32(t, 0);
  const last = argU32(t, 1);
  const flags = argU32(t, 2);
  if (flags & ~6 || first > last) return -E.EINVAL;
  const fds = t.process.fds;
  for (const fd of fds.fds()) {
    if (fd < first || fd > last) continue;
    if (flags & 4) fds.setCloexec(fd, true);
    else {
      const f = fds.get(fd);
      if (f) releaseProcessLocks(t, f);
      fds.close(fd);
    }
  }
  return 0;
}

function dup(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  return t.process.fds.install(f, 0, false);
}

function dup3(t: Task): SyscallResult {
  const oldfd = argInt(t, 0);
  const newfd = argInt(t, 1);
  const flags = argInt(t, 2);
  if (flags & ~O.CLOEXEC) return -E.EINVAL;
  if (oldfd === newfd) return -E.EINVAL;
  const fds = t.process.fds;
  if (newfd < 0 || newfd >= fds.limit) return -E.EBADF;
  const f = fileOf(t, oldfd);
  if (typeof f === "number") return f;
  const replaced = fds.get(newfd);
  if (replaced) releaseProcessLocks(t, replaced);
  return fds.installAt(newfd, f, (flags & O.CLOEXEC) !== 0);
}

/**
 * The byte range [start, end) a struct flock names, from l_whence, l_start and l_len (a negative
 * length reaches back from l_start; 0 means to the end of the file, however it grows); -EINVAL for
 * a bad whence or a range that starts before 0, -EOVERFLOW past the largest offset.
 */
function lockRange(f: OpenFile, whence: number, start: bigint, len: bigint): [number, number] | number {
  let base = 0n;
  if (whence === SEEK.CUR) {
    const pos = f.seek(0, SEEK.CUR);
    if (pos < 0) return pos;
    base = BigInt(pos);
  } else if (whence === SEEK.END) {
    const st = f.stat();
    if (typeof st === "number") return st;
    base = st.size;
  } else if (whence !== SEEK.SET) return -E.EINVAL;
  let from = base + start;
  let to = len === 0n ? null : from + len;
  if (len < 0n) [from, to] = [from + len, from];
  if (from < 0n) return -E.EINVAL;
  if (from > BigInt(Number.MAX_SAFE_INTEGER) || (to !== null && to > BigInt(Number.MAX_SAFE_INTEGER))) return -E.EOVERFLOW;
  return [Number(from), to === null ? Infinity : Number(to)];
}

/**
 * F_GETLK / F_SETLK / F_SETLKW and their OFD forms: struct flock is {l_type i16, l_whence i16, pad,
 * l_start i64, l_len i64, l_pid i32, pad}. Classic locks belong to the process, OFD locks to the
 * open file description (file-locks.ts).
 */
function lockCmd(t: Task, f: OpenFile, cmd: number): SyscallResult {
  const p = argPtr(t, 2);
  t.mem.read(p, SIZEOF.flock);
  const type = t.mem.readU16(p) << 16 >> 16;
  const ofd = cmd === F.OFD_GETLK || cmd === F.OFD_SETLK || cmd === F.OFD_SETLKW;
  if (type !== F_RDLCK && type !== F_WRLCK && type !== F_UNLCK) return -E.EINVAL;
  if (ofd && t.mem.readI32(p + 24) !== 0) return -E.EINVAL;
  const range = lockRange(f, t.mem.readU16(p + 2) << 16 >> 16, t.mem.readI64(p + 8), t.mem.readI64(p + 16));
  if (typeof range === "number") return range;
  const [start, end] = range;
  const owner = ofd ? f : t.process;
  if (cmd === F.GETLK || cmd === F.OFD_GETLK) {
    if (type === F_UNLCK) return -E.EINVAL;
    const c = findConflict(t, f, owner, type, start, end);
    if (typeof c === "number") return c;
    if (c === null) {
      t.mem.writeU16(p, F_UNLCK);
      return 0;
    }
    t.mem.writeU16(p, c.type);
    t.mem.writeU16(p + 2, SEEK.SET);
    t.mem.writeU64(p + 8, BigInt(c.start));
    t.mem.writeU64(p + 16, c.end === Infinity ? 0n : BigInt(c.end - c.start));
    // An OFD lock has no process to name: Linux reports -1.
    t.mem.writeU32(p + 24, c.ofd ? 0xffff_ffff : (c.owner as typeof t.process).pid);
    return 0;
  }
  if (type === F_RDLCK && !canRead(f)) return -E.EBADF;
  if (type === F_WRLCK && !canWrite(f)) return -E.EBADF;
  return setRecordLock(t, f, owner, type, start, end, cmd === F.SETLKW || cmd === F.OFD_SETLKW);
}

function fcntl(t: Task): SyscallResult {
  const fd = argInt(t, 0);
  const f = fileOf(t, fd);
  if (typeof f === "number") return f;
  const cmd = argInt(t, 1);
  const fds = t.process.fds;
  const isPath = (f.flags & O.PATH) !== 0;
  switch (cmd) {
    case F.DUPFD:
    case F.DUPFD_CLOEXEC: {
      const min = argU64(t, 2);
      if (min >= BigInt(fds.limit)) return -E.EINVAL;
      return fds.install(f, Number(min), cmd === F.DUPFD_CLOEXEC);
    }
    case F.GETFD:
      return fds.isCloexec(fd) ? FD_CLOEXEC : 0;
    case F.SETFD:
      fds.setCloexec(fd, (argInt(t, 2) & FD_CLOEXEC) !== 0);
      return 0;
    case F.GETFL:
      return f.flags;
  }
  if (isPath) return -E.EBADF;
  switch (cmd) {
    case F.SETFL:
      f.flags = (f.flags & ~SETFL_MASK) | (argInt(t, 2) & SETFL_MASK);
      return 0;
    case F.GETLK:
    case F.SETLK:
    case F.SETLKW:
    case F.OFD_GETLK:
    case F.OFD_SETLK:
    case F.OFD_SETLKW:
      return lockCmd(t, f, cmd);
    case F.GETOWN:
    case F.SETOWN:
    case F.GETSIG:
    case F.SETSIG:
      return 0;
    case F.GETLEASE:
      return F_UNLCK;
    case F.ADD_SEALS:
      return addSeals(f, argInt(t, 2));
    case F.GET_SEALS:
      return getSeals(f);
    case F.GETPIPE_SZ:
      return f instanceof PipeEnd ? f.pipe.capacity : -E.EBADF;
    case F.SETPIPE_SZ: {
      if (!(f instanceof PipeEnd)) return -E.EBADF;
      const want = argU64(t, 2);
      if (want > 1_048_576n) return -E.EPERM; // /proc/sys/fs/pipe-max-size, unprivileged
      return f.pipe.resize(Math.max(Number(want), PIPE_CAPACITY >> 4));
    }
    default:
      return -E.EINVAL;
  }
}

/**
 * tcgetpgrp/tcsetpgrp on the host's terminal: the terminal's foreground process group, which
 * rvtrace's own signals from the terminal (^C, ^Z) go to. Until a guest sets one it is the group
 * of the run's first process, the one rvtrace was started in.
 */
function foregroundGroup(t: Task, f: OpenFile, set: boolean): number {
  if (!f.isTerminal?.()) return -E.ENOTTY;
  const k = t.kernel;
  if (!set) {
    t.mem.writeU32(argPtr(t, 2), k.foregroundPgid());
    return 0;
  }
  // tcsetpgrp from a background process stops it with SIGTTOU, unless it ignores or blocks SIGTTOU
  // (which is how a shell hands the terminal to a job).
  if (t.process.pgid !== k.foregroundPgid()) {
    const ignored = t.process.sigactions[SIGTTOU].handler === SIG_IGN || (t.sigmask & sigbit(SIGTTOU)) !== 0n;
    if (!ignored) return ttySignal(t, SIGTTOU);
  }
  const pgid = t.mem.readI32(argPtr(t, 2));
  if (pgid < 0) return -E.EINVAL;
  const exists = [...k.processes.values()].some((p) => p.pgid === pgid && p.sid === t.process.sid && p.alive);
  if (!exists) return -E.EPERM;
  k.setForegroundPgid(pgid);
  return 0;
}

function ioctl(t: Task): SyscallResult {
  const fd = argInt(t, 0);
  const f = fileOf(t, fd);
  if (typeof f === "number") return f;
  if (f.flags & O.PATH) return -E.EBADF;
  const req = argU32(t, 1);
  const fds = t.process.fds;
  switch (req) {
    case IOCTL.FIOCLEX:
      fds.setCloexec(fd, true);
      return 0;
    case IOCTL.FIONCLEX:
      fds.setCloexec(fd, false);
      return 0;
    case IOCTL.FIONBIO:
    case IOCTL.FIOASYNC: {
      const on = t.mem.readI32(argPtr(t, 2)) !== 0;
      const bit = req === IOCTL.FIONBIO ? O.NONBLOCK : O.ASYNC;
      f.flags = on ? f.flags | bit : f.flags & ~bit;
      return 0;
    }
    case IOCTL.TIOCGPGRP:
    case IOCTL.TIOCSPGRP:
      return foregroundGroup(t, f, req === IOCTL.TIOCSPGRP);
    case IOCTL.FIONREAD: {
      const n = f.available();
      if (n < 0) return n;
      t.mem.writeU32(argPtr(t, 2), Math.min(n, 0x7fffffff));
      return 0;
    }
    default:
      return f.ioctl(req, argU64(t, 2), t.mem);
  }
}

function pipe2(t: Task): SyscallResult {
  const ptr = argPtr(t, 0);
  const flags = argInt(t, 1);
  if (flags & ~(O.CLOEXEC | O.NONBLOCK | O.DIRECT)) return -E.EINVAL;
  t.mem.check(ptr, 8, PROT_WRITE);
  const ends = t.kernel.vfs.pipe(flags);
  if (typeof ends === "number") return ends; // ENOMEM: no room for its buffer under --memory-limit
  const [r, w] = ends;
  const cloexec = (flags & O.CLOEXEC) !== 0;
  const fds = t.process.fds;
  const rfd = fds.install(r, 0, cloexec);
  if (rfd < 0) {
    w.close();
    return rfd;
  }
  const wfd = fds.install(w, 0, cloexec);
  if (wfd < 0) {
    fds.close(rfd);
    return wfd;
  }
  t.mem.writeU32(ptr, rfd);
  t.mem.writeU32(ptr + 4, wfd);
  return 0;
}

function ftruncate(t: Task): SyscallResult {
  const len = argI64(t, 1);
  if (len < 0n) return -E.EINVAL;
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  if (f.flags & O.PATH) return -E.EBADF;
  if (!canWrite(f) || f.kind !== "file") return -E.EINVAL;
  if (len > BigInt(Number.MAX_SAFE_INTEGER)) return -E.EFBIG;
  return f.truncate(Number(len));
}

function syncCall(dataOnly: boolean) {
  return (t: Task): SyscallResult => {
    const f = fileOf(t, argInt(t, 0));
    if (typeof f === "number") return f;
    return f.sync(dataOnly);
  };
}

/** syncfs(fd): like sync, for a valid descriptor. */
function syncfs(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  return typeof f === "number" ? f : 0;
}

/** The most sendfile and copy_file_range move in one call (callers loop on short counts). */
const COPY_CHUNK = 1 << 20;

/**
 * Copies up to `count` bytes from `src` at `from` to `dst`: at `to`, or at its file position when
 * `to` is null. Returns the count written (0 at the end of src), -errno or Blocked (nothing moved).
 */
function copyChunk(src: OpenFile, from: number, dst: OpenFile, to: number | null, count: number): IoResult {
  const buf = new Uint8Array(Math.min(count, COPY_CHUNK));
  const got = src.pread(buf, from);
  if (typeof got !== "number" || got <= 0) return got;
  const data = buf.subarray(0, got);
  return to === null ? dst.write(data) : dst.pwrite(data, to);
}

/**
 * sendfile(out_fd, in_fd, offset, count): in_fd must be seekable (Linux wants a file it can map);
 * with an offset pointer, in_fd's position stays and *offset advances instead.
 */
function sendfile(t: Task): SyscallResult {
  const src = fileOf(t, argInt(t, 1));
  if (typeof src === "number") return src;
  const dst = fileOf(t, argInt(t, 0));
  if (typeof dst === "number") return dst;
  if (!canRead(src) || !canWrite(dst)) return -E.EBADF;
  if (!seekable(src)) return -E.EINVAL;
  const offAddr = argIsNull(t, 2) ? null : argPtr(t, 2);
  const from = offAddr === null ? src.seek(0, SEEK.CUR) : Number(t.mem.readI64(offAddr));
  if (from < 0) return offAddr === null ? from : -E.EINVAL;
  const r = copyChunk(src, from, dst, null, countArg(argU64(t, 3)));
  if (typeof r !== "number" || r <= 0) return afterWrite(t, r);
  if (offAddr === null) src.seek(from + r, SEEK.SET);
  else t.mem.writeU64(offAddr, BigInt(from + r));
  return r;
}

/** copy_file_range(fd_in, off_in, fd_out, off_out, len, flags) between regular files. */
function copyFileRange(t: Task): SyscallResult {
  if (argInt(t, 5) !== 0) return -E.EINVAL;
  const src = fileOf(t, argInt(t, 0));
  if (typeof src === "number") return src;
  const dst = fileOf(t, argInt(t, 2));
  if (typeof dst === "number") return dst;
  if (!canRead(src) || !canWrite(dst) || dst.flags & O.APPEND) return -E.EBADF;
  if (src.kind === "dir" || dst.kind === "dir") return -E.EISDIR;
  if (src.kind !== "file" || dst.kind !== "file") return -E.EINVAL;
  const inAddr = argIsNull(t, 1) ? null : argPtr(t, 1);
  const outAddr = argIsNull(t, 3) ? null : argPtr(t, 3);
  const from = inAddr === null ? src.seek(0, SEEK.CUR) : Number(t.mem.readI64(inAddr));
  const to = outAddr === null ? dst.seek(0, SEEK.CUR) : Number(t.mem.readI64(outAddr));
  if (from < 0 || to < 0) return -E.EINVAL;
  const r = copyChunk(src, from, dst, to, countArg(argU64(t, 4)));
  if (typeof r !== "number" || r <= 0) return r;
  if (inAddr === null) src.seek(from + r, SEEK.SET);
  else t.mem.writeU64(inAddr, BigInt(from + r));
  if (outAddr === null) dst.seek(to + r, SEEK.SET);
  else t.mem.writeU64(outAddr, BigInt(to + r));
  return r;
}

/** posix_fadvise: advice about a file's future use; valid advice is accepted and has no effect. */
function fadvise64(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  if (f.kind === "pipe") return -E.ESPIPE;
  const advice = argInt(t, 3);
  if (advice < 0 || advice > 5 || argI64(t, 2) < 0n) return -E.EINVAL;
  return 0;
}

const FALLOC_FL_KEEP_SIZE = 1;

/**
 * fallocate(fd, mode, offset, len): mode 0 grows the file to offset+len (the host allocates as it
 * writes); KEEP_SIZE has nothing to do; hole punching and the other modes are EOPNOTSUPP.
 */
function fallocate(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  const mode = argInt(t, 1);
  const offset = argI64(t, 2);
  const len = argI64(t, 3);
  if (offset < 0n || len <= 0n) return -E.EINVAL;
  if (!canWrite(f)) return -E.EBADF;
  if (f.kind === "pipe") return -E.ESPIPE;
  if (f.kind !== "file") return -E.ENODEV;
  if (mode & ~FALLOC_FL_KEEP_SIZE) return -E.EOPNOTSUPP;
  const end = offset + len;
  if (end > BigInt(Number.MAX_SAFE_INTEGER)) return -E.EFBIG;
  if (mode & FALLOC_FL_KEEP_SIZE) return 0;
  const st = f.stat();
  if (typeof st === "number") return st;
  return Number(st.size) < Number(end) ? f.truncate(Number(end)) : 0;
}

/** flock(fd, op): a whole-file lock held by the open file description (file-locks.ts). */
function flock(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  if (f.flags & O.PATH) return -E.EBADF;
  return flockFile(t, f, argInt(t, 1));
}

export const fsIoSyscalls: SyscallRow[] = [
  { name: "read", handler: read, support: "full", chargesBytes: true },
  {
    name: "write",
    handler: write,
    support: "partial",
    chargesBytes: true,
    note: "a blocking write of more than PIPE_BUF bytes to a pipe returns a short count when the pipe fills, instead of waiting for all of it",
  },
  { name: "readv", handler: readv, support: "full", chargesBytes: true },
  {
    name: "writev",
    handler: writev,
    support: "partial",
    chargesBytes: true,
    note: "iovecs are gathered into one write; pipes as for write",
  },
  { name: "pread64", handler: pread64, support: "full", chargesBytes: true },
  { name: "pwrite64", handler: pwrite64, support: "full", chargesBytes: true },
  { name: "preadv", handler: preadv, support: "full", chargesBytes: true },
  { name: "pwritev", handler: pwritev, support: "full", chargesBytes: true },
  {
    name: "lseek",
    handler: lseek,
    support: "partial",
    note: "SEEK_DATA/SEEK_HOLE treat a file as all data (no sparse-file knowledge); stdio streams are not seekable unless redirected to a regular file (stdout/stderr: lseek only, pread/pwrite ESPIPE)",
  },
  {
    name: "getdents64",
    handler: getdents64,
    support: "full",
    chargesBytes: true,
    note: "entries sorted by name, listed when reading starts at offset 0",
  },
  { name: "close", handler: close, support: "full" },
  { name: "close_range", handler: closeRange, support: "full" },
  { name: "dup", handler: dup, support: "full" },
  { name: "dup3", handler: dup3, support: "full" },
  {
    name: "fcntl",
    handler: fcntl,
    support: "partial",
    note: "record locks (classic and OFD) are kept and conflict as in Linux, without deadlock detection; F_SETOWN/F_SETSIG are accepted and ignored; leases and notify are not supported",
  },
  {
    name: "ioctl",
    handler: ioctl,
    support: "partial",
    note: "FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIONREAD; on terminals TCGETS/TCSETS* (kept, and mirrored on the host's terminal), TIOCGPGRP/TIOCSPGRP, TIOCGWINSZ, TIOCSWINSZ (ignored); all else ENOTTY",
  },
  {
    name: "pipe2",
    handler: pipe2,
    support: "partial",
    note: "O_DIRECT (packet mode) is accepted but pipes stay byte streams",
  },
  { name: "ftruncate", handler: ftruncate, support: "full" },
  { name: "fsync", handler: syncCall(false), support: "full" },
  { name: "fdatasync", handler: syncCall(true), support: "full" },
  // Host writes are made at once; the host's own cache is the host's business.
  { name: "sync", handler: () => 0, support: "full" },
  { name: "syncfs", handler: syncfs, support: "full" },
  { name: "sendfile", handler: sendfile, support: "full", chargesBytes: true },
  { name: "copy_file_range", handler: copyFileRange, support: "full", chargesBytes: true },
  { name: "fadvise64", handler: fadvise64, support: "full" },
  { name: "fallocate", handler: fallocate, support: "partial", note: "mode 0 and FALLOC_FL_KEEP_SIZE; punching and zeroing ranges are EOPNOTSUPP" },
  {
    name: "flock",
    handler: flock,
    support: "full",
  },
];
