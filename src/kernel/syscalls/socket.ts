// Socket syscalls that make, name and connect sockets: socket, socketpair, bind, listen, accept,
// accept4, connect, shutdown, getsockname, getpeername. The data path (send/recv families) is in
// socket-msg.ts, options in sockopt.ts, the socket itself in vfs/unix-socket.ts.
//
// The sandbox's choices (README, "Sandbox"): AF_UNIX sockets exist, but nothing is ever bound:
// bind is EACCES (no socket files or abstract names are made), so listen finds an unbound socket
// (EINVAL), accept a socket that is not listening, and connect nobody: ENOENT when the path does
// not exist (glibc's nscd probe of /var/run/nscd/socket fails quietly this way), ECONNREFUSED when
// it does or the name is abstract. Every other address family is the network, or a kernel
// interface (netlink, packet) that a sandbox does not grant: EACCES, as an LSM denial gives.
import { E } from "../../abi/gen/errno.js";
import { AT } from "../../abi/fs.js";
import { AF_MAX, AF_UNIX, AF_UNSPEC, SHUT, SOCK, SOCKADDR_STORAGE, SUN_PATH_OFFSET } from "../../abi/socket.js";
import { PROT_WRITE } from "../../mem/address-space.js";
import type { Task } from "../task.js";
import { createSocketPair, UnixSocket, type Cred } from "../vfs/unix-socket.js";
import { argInt, argPtr } from "./args.js";
import { pathCtx } from "./fs-common.js";
import type { SyscallResult, SyscallRow } from "./types.js";

/** The socket behind a descriptor: -EBADF when none is open, -ENOTSOCK when it is no socket. */
export function socketOf(t: Task, fd: number): UnixSocket | number {
  const f = t.process.fds.get(fd);
  if (!f) return -E.EBADF;
  return f instanceof UnixSocket ? f : -E.ENOTSOCK;
}

/** The calling process's credentials, as SO_PEERCRED and SCM_CREDENTIALS carry them. */
export function credOf(t: Task): Cred {
  return { pid: t.process.pid, uid: t.kernel.world.uid, gid: t.kernel.world.gid };
}

/**
 * Checks socket(2)'s family, type and protocol as sock_create and unix_create do. Returns the
 * AF_UNIX type to make (SOCK_RAW is a datagram socket, as in Linux) or -errno.
 */
function socketKind(domain: number, type: number, protocol: number): number {
  if (domain < 0 || domain >= AF_MAX || domain === AF_UNSPEC) return -E.EAFNOSUPPORT;
  if (type < 0 || type >= SOCK.MAX) return -E.EINVAL;
  if (domain !== AF_UNIX) return -E.EACCES;
  if (protocol !== 0 && protocol !== AF_UNIX) return -E.EPROTONOSUPPORT;
  switch (type) {
    case SOCK.STREAM:
    case SOCK.DGRAM:
    case SOCK.SEQPACKET:
      return type;
    case SOCK.RAW:
      return SOCK.DGRAM;
    default:
      return -E.ESOCKTNOSUPPORT;
  }
}

function socket(t: Task): SyscallResult {
  const raw = argInt(t, 1);
  if (raw & ~(SOCK.TYPE_MASK | SOCK.CLOEXEC | SOCK.NONBLOCK)) return -E.EINVAL;
  const kind = socketKind(argInt(t, 0), raw & SOCK.TYPE_MASK, argInt(t, 2));
  if (kind < 0) return kind;
  const cred = credOf(t);
  const s = new UnixSocket(kind, raw & SOCK.NONBLOCK, t.kernel.vfs.now(), cred.uid, cred.gid, t.kernel.vfs.socketIno(), cred, t.kernel.vfs.memory);
  return t.process.fds.install(s, 0, (raw & SOCK.CLOEXEC) !== 0);
}

function socketpair(t: Task): SyscallResult {
  const raw = argInt(t, 1);
  if (raw & ~(SOCK.TYPE_MASK | SOCK.CLOEXEC | SOCK.NONBLOCK)) return -E.EINVAL;
  const kind = socketKind(argInt(t, 0), raw & SOCK.TYPE_MASK, argInt(t, 2));
  if (kind < 0) return kind;
  const ptr = argPtr(t, 3);
  t.mem.check(ptr, 8, PROT_WRITE);
  const [a, b] = createSocketPair(kind, raw & SOCK.NONBLOCK, t.kernel.vfs.now(), credOf(t), [t.kernel.vfs.socketIno(), t.kernel.vfs.socketIno()], t.kernel.vfs.memory);
  const cloexec = (raw & SOCK.CLOEXEC) !== 0;
  const fds = t.process.fds;
  const fa = fds.install(a, 0, cloexec);
  if (fa < 0) {
    b.close();
    return fa;
  }
  const fb = fds.install(b, 0, cloexec);
  if (fb < 0) {
    fds.close(fa);
    return fb;
  }
  t.mem.writeU32(ptr, fa);
  t.mem.writeU32(ptr + 4, fb);
  return 0;
}

/** move_addr_to_kernel: the address bytes (empty for length 0), or -EINVAL for a bad length. */
export function readSockaddr(t: Task, addr: number, len: number): Uint8Array | number {
  if (len < 0 || len > SOCKADDR_STORAGE) return -E.EINVAL;
  if (len === 0) return new Uint8Array(0);
  return t.mem.read(addr, len);
}

/** unix_validate_addr: an AF_UNIX address at least as long as its family field. */
function validUnixAddr(a: Uint8Array): boolean {
  return a.length >= SUN_PATH_OFFSET && (a[0] | (a[1] << 8)) === AF_UNIX;
}

/**
 * What looking for the socket bound at a valid AF_UNIX address finds: nobody, since nothing is
 * ever bound. The path's lookup errors first (ENOENT, ENOTDIR, …), then ECONNREFUSED for a file
 * that is there (Linux's answer for a non-socket, and for a socket nobody listens on); abstract
 * names (a leading NUL) are ECONNREFUSED.
 */
export function findBound(t: Task, a: Uint8Array): number {
  const name = a.subarray(SUN_PATH_OFFSET);
  if (name.length === 0 || name[0] === 0) return -E.ECONNREFUSED;
  const end = name.indexOf(0);
  const path = String.fromCharCode(...(end < 0 ? name : name.subarray(0, end)));
  const ctx = pathCtx(t, AT.FDCWD, path);
  if (typeof ctx === "number") return ctx;
  const r = t.kernel.vfs.resolve(ctx, path, true);
  if (typeof r === "number") return r;
  return r.node === null ? -E.ENOENT : -E.ECONNREFUSED;
}

/** The lookup error of a destination address (unix_validate_addr, then findBound). */
export function destinationError(t: Task, a: Uint8Array): number {
  return validUnixAddr(a) ? findBound(t, a) : -E.EINVAL;
}

function bind(t: Task): SyscallResult {
  const s = socketOf(t, argInt(t, 0));
  if (typeof s === "number") return s;
  const a = readSockaddr(t, argPtr(t, 1), argInt(t, 2));
  if (typeof a === "number") return a;
  if (!validUnixAddr(a)) return -E.EINVAL;
  return -E.EACCES;
}

function listen(t: Task): SyscallResult {
  const s = socketOf(t, argInt(t, 0));
  if (typeof s === "number") return s;
  return s.type === SOCK.DGRAM ? -E.EOPNOTSUPP : -E.EINVAL;
}

function acceptCommon(t: Task, flags: number): SyscallResult {
  if (flags & ~(SOCK.CLOEXEC | SOCK.NONBLOCK)) return -E.EINVAL;
  const s = socketOf(t, argInt(t, 0));
  if (typeof s === "number") return s;
  return s.type === SOCK.DGRAM ? -E.EOPNOTSUPP : -E.EINVAL;
}

function connect(t: Task): SyscallResult {
  const s = socketOf(t, argInt(t, 0));
  if (typeof s === "number") return s;
  const a = readSockaddr(t, argPtr(t, 1), argInt(t, 2));
  if (typeof a === "number") return a;
  if (s.type === SOCK.DGRAM) {
    if (a.length < SUN_PATH_OFFSET) return -E.EINVAL;
    // AF_UNSPEC dissolves a datagram socket's association (1003.1g).
    if ((a[0] | (a[1] << 8)) === AF_UNSPEC) {
      s.peer = null;
      return 0;
    }
  }
  return destinationError(t, a);
}

function shutdown(t: Task): SyscallResult {
  const s = socketOf(t, argInt(t, 0));
  if (typeof s === "number") return s;
  const how = argInt(t, 1);
  if (how < SHUT.RD || how > SHUT.RDWR) return -E.EINVAL;
  s.shutdown(how);
  return 0;
}

/**
 * move_addr_to_user for an unnamed AF_UNIX address (only sa_family): copies at most the caller's
 * length of it and writes back its real length, 2.
 */
export function writeUnnamed(t: Task, addr: number, lenAddr: number, family: boolean): number {
  const len = t.mem.readU32(lenAddr) | 0;
  const klen = family ? SUN_PATH_OFFSET : 0;
  if (len < 0) return -E.EINVAL;
  const n = Math.min(len, klen);
  if (n > 0) t.mem.write(addr, new Uint8Array([AF_UNIX, 0]).subarray(0, n));
  t.mem.writeU32(lenAddr, klen);
  return 0;
}

function getname(peer: boolean) {
  return (t: Task): SyscallResult => {
    const s = socketOf(t, argInt(t, 0));
    if (typeof s === "number") return s;
    if (peer && !s.peer) return -E.ENOTCONN;
    return writeUnnamed(t, argPtr(t, 1), argPtr(t, 2), true);
  };
}

const NOTHING_BOUND = "nothing is ever bound: bind is EACCES (see the README's sandbox section)";

export const socketSyscalls: SyscallRow[] = [
  {
    name: "socket",
    handler: socket,
    support: "partial",
    note: "AF_UNIX stream, datagram and seqpacket sockets; every other family is EACCES (no network in the sandbox)",
  },
  {
    name: "socketpair",
    handler: socketpair,
    support: "full",
    note: "AF_UNIX only; other families are EACCES",
  },
  { name: "bind", handler: bind, support: "stub", note: `AF_UNIX addresses are checked, then EACCES: ${NOTHING_BOUND}` },
  { name: "listen", handler: listen, support: "stub", note: `EINVAL (unbound) or EOPNOTSUPP (datagram): ${NOTHING_BOUND}` },
  { name: "accept", handler: (t) => acceptCommon(t, 0), support: "stub", note: "no socket ever listens: EINVAL, or EOPNOTSUPP on datagram sockets" },
  { name: "accept4", handler: (t) => acceptCommon(t, argInt(t, 3)), support: "stub", note: "as accept, after the flags are checked" },
  {
    name: "connect",
    handler: connect,
    support: "partial",
    note: "nobody listens: ENOENT for a missing path, ECONNREFUSED for an existing one or an abstract name; AF_UNSPEC disconnects a datagram socket",
  },
  { name: "shutdown", handler: shutdown, support: "full" },
  { name: "getsockname", handler: getname(false), support: "full", note: "sockets are never bound: sa_family only, length 2" },
  { name: "getpeername", handler: getname(true), support: "full", note: "peers are unnamed: sa_family only, length 2" },
];

