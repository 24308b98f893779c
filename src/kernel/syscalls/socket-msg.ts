// The data path of sockets: sendmsg, recvmsg, sendto, recvfrom (read, write, readv and writev on a
// socket go through its OpenFile). This file turns struct msghdr, iovecs and control messages
// (SCM_RIGHTS, SCM_CREDENTIALS) into the socket's Outgoing/Incoming and back, with Linux's checks
// in Linux's order (net/socket.c ____sys_sendmsg, ____sys_recvmsg; net/core/scm.c).
import { E } from "../../abi/gen/errno.js";
import { IOV_MAX } from "../../abi/fs.js";
import {
  MSG, SCM_CREDENTIALS, SCM_MAX_FD, SCM_RIGHTS, SIZEOF_CMSGHDR, SIZEOF_MSGHDR, SIZEOF_UCRED, SOCKADDR_STORAGE,
  SOL_SOCKET, cmsgAlign, cmsgLen, cmsgSpace,
} from "../../abi/socket.js";
import { GuestFault, PROT_WRITE } from "../../mem/address-space.js";
import type { Task } from "../task.js";
import { Blocked } from "../wait-queue.js";
import { releaseFile, retainFile, type OpenFile } from "../vfs/open-file.js";
import { ucredBytes, type Cred, type Incoming, type UnixSocket } from "../vfs/unix-socket.js";
import { argInt, argIsNull, argPtr, argU64 } from "./args.js";
import { accessiblePrefix, countArg, readIovecs, type Iovec } from "./fs-common.js";
import { credOf, destinationError, readSockaddr, socketOf, writeUnnamed } from "./socket.js";
import type { SyscallResult, SyscallRow } from "./types.js";

/** net.core.optmem_max: the most control data a send may carry (ENOBUFS past it). */
const OPTMEM_MAX = 131072;

/** struct msghdr as the guest wrote it. */
interface Msghdr {
  name: number;
  namelen: number;
  iov: number;
  iovlen: bigint;
  control: number;
  controllen: bigint;
}

function ptrOrFault(v: bigint): number {
  if (v >= 0x1_0000_0000n) throw new GuestFault(-1);
  return Number(v);
}

/** Reads a msghdr; -EINVAL for a negative name length, -EMSGSIZE for too many iovecs. */
function readMsghdr(t: Task, addr: number): Msghdr | number {
  const raw = t.mem.read(addr, SIZEOF_MSGHDR);
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const name = v.getBigUint64(0, true);
  let namelen = v.getInt32(8, true);
  const iovlen = v.getBigUint64(24, true);
  if (name === 0n) namelen = 0;
  if (namelen < 0) return -E.EINVAL;
  if (namelen > SOCKADDR_STORAGE) namelen = SOCKADDR_STORAGE;
  if (iovlen > BigInt(IOV_MAX)) return -E.EMSGSIZE;
  const controllen = v.getBigUint64(40, true);
  // Pointers are only looked at when there is something behind them.
  return {
    name: namelen === 0 ? 0 : ptrOrFault(name),
    namelen,
    iov: iovlen === 0n ? 0 : ptrOrFault(v.getBigUint64(16, true)),
    iovlen,
    control: controllen === 0n ? 0 : ptrOrFault(v.getBigUint64(32, true)),
    controllen,
  };
}

/**
 * Gathers the iovecs' bytes into one buffer (a send is one segment), at most `limit` of them: a
 * socket never queues more than its send buffer at once, and a datagram longer than that is
 * EMSGSIZE whatever its tail holds, so the rest is never copied.
 */
function gather(t: Task, iov: Iovec[], limit: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const v of iov) {
    if (v.len === 0) continue;
    if (size >= limit) break;
    if (v.base < 0) throw new GuestFault(-1);
    const view = t.mem.read(v.base, Math.min(v.len, limit - size));
    parts.push(view);
    size += view.length;
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Releases references taken while parsing a send that does not go ahead. */
function releaseAll(fds: OpenFile[] | null): void {
  if (fds) for (const f of fds) releaseFile(f);
}

/**
 * __scm_send: the descriptors and credentials of a send's control messages. Descriptors come back
 * with a reference each (the caller hands them to the socket or releases them).
 */
function parseControl(t: Task, ctl: Uint8Array): { fds: OpenFile[] | null; cred: Cred } | number {
  const v = new DataView(ctl.buffer, ctl.byteOffset, ctl.byteLength);
  let cred = credOf(t);
  let fds: OpenFile[] | null = null;
  const fail = (e: number): number => {
    releaseAll(fds);
    return e;
  };
  for (let off = 0; off + SIZEOF_CMSGHDR <= ctl.length;) {
    const len = v.getBigUint64(off, true);
    if (len < BigInt(SIZEOF_CMSGHDR) || len > BigInt(ctl.length - off)) return fail(-E.EINVAL);
    const level = v.getInt32(off + 8, true);
    const type = v.getInt32(off + 12, true);
    const dataLen = Number(len) - SIZEOF_CMSGHDR;
    if (level === SOL_SOCKET) {
      if (type === SCM_RIGHTS) {
        const num = Math.floor(dataLen / 4);
        if (num > 0) {
          fds ??= [];
          if (num > SCM_MAX_FD || fds.length + num > SCM_MAX_FD) return fail(-E.EINVAL);
          for (let i = 0; i < num; i++) {
            const f = t.process.fds.get(v.getInt32(off + SIZEOF_CMSGHDR + 4 * i, true));
            if (!f) return fail(-E.EBADF);
            retainFile(f);
            fds.push(f);
          }
        }
      } else if (type === SCM_CREDENTIALS) {
        if (Number(len) !== cmsgLen(SIZEOF_UCRED)) return fail(-E.EINVAL);
        const given = {
          pid: v.getInt32(off + 16, true),
          uid: v.getUint32(off + 20, true),
          gid: v.getUint32(off + 24, true),
        };
        // scm_check_creds: one's own pid and ids, unless privileged.
        const mine = credOf(t);
        const root = t.kernel.world.uid === 0;
        if (!root && (given.pid !== mine.pid || given.uid !== mine.uid || given.gid !== mine.gid)) return fail(-E.EPERM);
        cred = given;
      } else {
        return fail(-E.EINVAL);
      }
    }
    off += cmsgAlign(Number(len));
  }
  return { fds, cred };
}

/** After a send: EPIPE on a stream raises SIGPIPE, unless MSG_NOSIGNAL. */
function afterSend(t: Task, s: UnixSocket, r: number | Blocked, flags: number): SyscallResult {
  if (r === -E.EPIPE && s.epipeSignals && !(flags & MSG.NOSIGNAL)) t.kernel.vfs.onBrokenPipe?.(t);
  return r;
}

function sendmsg(t: Task): SyscallResult {
  const s = socketOf(t, argInt(t, 0));
  if (typeof s === "number") return s;
  const flags = argInt(t, 2);
  const m = readMsghdr(t, argPtr(t, 1));
  if (typeof m === "number") return m;
  const name = m.namelen > 0 ? t.mem.read(m.name, m.namelen) : null;
  const iov = readIovecs(t.mem, m.iov, Number(m.iovlen));
  if (typeof iov === "number") return iov;
  if (m.controllen > 0x7fff_ffffn) return -E.ENOBUFS;
  if (m.controllen > BigInt(OPTMEM_MAX)) return -E.ENOBUFS;
  const data = gather(t, iov, s.sndbuf);
  let parsed: { fds: OpenFile[] | null; cred: Cred } = { fds: null, cred: credOf(t) };
  if (m.controllen > 0n) {
    const p = parseControl(t, t.mem.read(m.control, Number(m.controllen)));
    if (typeof p === "number") return p;
    parsed = p;
  }
  const named = name ? destinationError(t, name) : 0;
  const r = s.send({ data, fds: parsed.fds, cred: parsed.cred, flags, named });
  return afterSend(t, s, r, flags);
}

function sendto(t: Task): SyscallResult {
  const s = socketOf(t, argInt(t, 0));
  if (typeof s === "number") return s;
  const flags = argInt(t, 3);
  const len = countArg(argU64(t, 2));
  const data = len === 0 ? new Uint8Array(0) : t.mem.read(argPtr(t, 1), Math.min(len, s.sndbuf));
  let named = 0;
  if (!argIsNull(t, 4)) {
    const a = readSockaddr(t, argPtr(t, 4), argInt(t, 5));
    if (typeof a === "number") return a;
    if (a.length > 0) named = destinationError(t, a);
  }
  const r = s.send({ data, fds: null, cred: credOf(t), flags, named });
  return afterSend(t, s, r, flags);
}

/** How much of the iovecs can take data: stops at the first byte that cannot. -EFAULT if none. */
function capacity(t: Task, iov: Iovec[]): number {
  let total = 0;
  for (const v of iov) {
    if (v.len === 0) continue;
    const n = v.base < 0 ? 0 : accessiblePrefix(t.mem, v.base, v.len, PROT_WRITE);
    total += n;
    if (n < v.len) {
      if (total === 0) throw new GuestFault(v.base);
      break;
    }
  }
  return total;
}

function scatter(t: Task, iov: Iovec[], data: Uint8Array): void {
  let off = 0;
  for (const v of iov) {
    if (off >= data.length) break;
    if (v.len === 0) continue;
    const n = Math.min(v.len, data.length - off);
    t.mem.write(v.base, data.subarray(off, off + n));
    off += n;
  }
}

/** Where control messages go in a recvmsg, as put_cmsg and scm_detach_fds fill it. */
class ControlOut {
  used = 0;
  flags = 0;
  constructor(
    private readonly t: Task,
    private readonly addr: number,
    private left: number,
  ) {}

  /** put_cmsg: one message, cut short (MSG_CTRUNC) if it does not fit. */
  put(type: number, data: Uint8Array): void {
    if (this.addr === 0 || this.left < SIZEOF_CMSGHDR) {
      this.flags |= MSG.CTRUNC;
      return;
    }
    let len = cmsgLen(data.length);
    if (this.left < len) {
      this.flags |= MSG.CTRUNC;
      len = this.left;
    }
    this.header(len, type);
    this.t.mem.write(this.addr + this.used + SIZEOF_CMSGHDR, data.subarray(0, len - SIZEOF_CMSGHDR));
    this.advance(cmsgSpace(data.length));
  }

  private header(len: number, type: number): void {
    const h = new Uint8Array(SIZEOF_CMSGHDR);
    const v = new DataView(h.buffer);
    v.setBigUint64(0, BigInt(len), true);
    v.setInt32(8, SOL_SOCKET, true);
    v.setInt32(12, type, true);
    this.t.mem.write(this.addr + this.used, h);
  }

  private advance(space: number): void {
    const n = Math.min(space, this.left);
    this.used += n;
    this.left -= n;
  }

  /**
   * scm_detach_fds: installs as many descriptors as fit (lowest free numbers), drops the rest with
   * MSG_CTRUNC. Takes over the references of `fds`.
   */
  putFds(fds: OpenFile[], cloexec: boolean): void {
    const room = this.addr === 0 ? 0 : Math.floor((this.left - SIZEOF_CMSGHDR) / 4);
    const max = Math.max(0, Math.min(room, fds.length));
    const numbers: number[] = [];
    for (let i = 0; i < max; i++) {
      const fd = this.t.process.fds.install(fds[i], 0, cloexec);
      if (fd < 0) break;
      numbers.push(fd);
    }
    for (const f of fds) releaseFile(f);
    if (numbers.length > 0) {
      this.header(cmsgLen(4 * numbers.length), SCM_RIGHTS);
      const body = new Uint8Array(4 * numbers.length);
      const v = new DataView(body.buffer);
      numbers.forEach((fd, i) => v.setInt32(4 * i, fd, true));
      this.t.mem.write(this.addr + this.used + SIZEOF_CMSGHDR, body);
      this.advance(cmsgSpace(4 * numbers.length));
    }
    if (numbers.length < fds.length) this.flags |= MSG.CTRUNC;
  }
}

/** A received message's control part (scm_recv), with the MSG_* flags it adds. */
function deliverControl(t: Task, r: Incoming, flags: number, addr: number, len: number): ControlOut {
  const out = new ControlOut(t, addr, len);
  if (r.cred) out.put(SCM_CREDENTIALS, ucredBytes(r.cred));
  if (r.fds.length > 0) out.putFds(r.fds, (flags & MSG.CMSG_CLOEXEC) !== 0);
  return out;
}

function recvmsg(t: Task): SyscallResult {
  const s = socketOf(t, argInt(t, 0));
  if (typeof s === "number") return s;
  const flags = argInt(t, 2);
  const addr = argPtr(t, 1);
  const m = readMsghdr(t, addr);
  if (typeof m === "number") return m;
  const iov = readIovecs(t.mem, m.iov, Number(m.iovlen));
  if (typeof iov === "number") return iov;
  const r = s.recv(capacity(t, iov), flags);
  if (typeof r === "number" || r instanceof Blocked) return r;
  scatter(t, iov, r.data);
  const ctlLen = m.controllen > 0x7fff_ffffn ? 0x7fff_ffff : Number(m.controllen);
  const ctl = deliverControl(t, r, flags, m.control, ctlLen);
  if (m.name !== 0) t.mem.writeU32(addr + 8, 0); // the peer is unnamed: msg_namelen 0
  t.mem.writeU64(addr + 40, BigInt(ctl.used));
  t.mem.writeU32(addr + 48, (flags & MSG.CMSG_CLOEXEC) | r.flags | ctl.flags);
  return r.count;
}

function recvfrom(t: Task): SyscallResult {
  const s = socketOf(t, argInt(t, 0));
  if (typeof s === "number") return s;
  const flags = argInt(t, 3);
  const len = countArg(argU64(t, 2));
  const buf = argPtr(t, 1);
  const room = capacity(t, [{ base: buf, len }]);
  const r = s.recv(room, flags);
  if (typeof r === "number" || r instanceof Blocked) return r;
  if (r.data.length > 0) t.mem.write(buf, r.data);
  for (const f of r.fds) releaseFile(f);
  if (!argIsNull(t, 4)) {
    const e = writeUnnamed(t, argPtr(t, 4), argPtr(t, 5), false);
    if (e < 0) return e;
  }
  return r.count;
}

export const socketMsgSyscalls: SyscallRow[] = [
  {
    name: "sendmsg",
    handler: sendmsg,
    support: "partial",
    chargesBytes: true,
    note: "AF_UNIX: SCM_RIGHTS and SCM_CREDENTIALS; MSG_OOB is EOPNOTSUPP; a blocking stream send returns a short count when the peer's queue fills",
  },
  {
    name: "recvmsg",
    handler: recvmsg,
    support: "full",
    chargesBytes: true,
    note: "AF_UNIX: MSG_PEEK, MSG_TRUNC, MSG_WAITALL, MSG_DONTWAIT, MSG_CMSG_CLOEXEC; MSG_CTRUNC as Linux",
  },
  { name: "sendto", handler: sendto, support: "partial", chargesBytes: true, note: "as sendmsg; a datagram to an address finds nobody bound" },
  { name: "recvfrom", handler: recvfrom, support: "full", chargesBytes: true, note: "the source address of an unnamed peer has length 0" },
];
