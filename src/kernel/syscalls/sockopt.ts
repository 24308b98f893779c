// getsockopt and setsockopt on AF_UNIX sockets: the SOL_SOCKET options Linux's sock_getsockopt
// and sock_setsockopt handle for them (net/core/sock.c). Other levels are EOPNOTSUPP (AF_UNIX has
// no options of its own); options rvtrace does not keep (timeouts, linger, filters, …) are
// ENOPROTOOPT. Results are copied as Linux copies them: at most the caller's length, which is
// then set to what was copied.
import { E } from "../../abi/gen/errno.js";
import { SO, SOCK_BUF_MAX, SOCK_MIN_RCVBUF, SOCK_MIN_SNDBUF, SOL_SOCKET, AF_UNIX } from "../../abi/socket.js";
import type { Task } from "../task.js";
import { NO_CRED, ucredBytes, type UnixSocket } from "../vfs/unix-socket.js";
import { argInt, argPtr } from "./args.js";
import { socketOf } from "./socket.js";
import type { SyscallResult, SyscallRow } from "./types.js";

/** Plain options a socket keeps and reports back unchanged, with their defaults. */
const KEPT: ReadonlyMap<number, number> = new Map([
  [SO.DEBUG, 0],
  [SO.REUSEADDR, 0],
  [SO.DONTROUTE, 0],
  [SO.BROADCAST, 0],
  [SO.KEEPALIVE, 0],
  [SO.OOBINLINE, 0],
  [SO.NO_CHECK, 0],
  [SO.PRIORITY, 0],
  [SO.REUSEPORT, 0],
  [SO.RCVLOWAT, 1],
]);

/** Options that are the same as a boolean (any non-zero value reads back as 1). */
const BOOLEAN = new Set<number>([SO.DEBUG, SO.REUSEADDR, SO.DONTROUTE, SO.BROADCAST, SO.KEEPALIVE, SO.OOBINLINE, SO.NO_CHECK, SO.REUSEPORT]);

/** An option's value as getsockopt shows it: bytes, or -ENOPROTOOPT. */
function optionValue(s: UnixSocket, name: number): Uint8Array | number {
  const int = (v: number): Uint8Array => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, v, true);
    return b;
  };
  switch (name) {
    case SO.TYPE:
      return int(s.type);
    case SO.DOMAIN:
      return int(AF_UNIX);
    case SO.PROTOCOL:
    case SO.ACCEPTCONN:
      return int(0);
    case SO.ERROR:
      return int(s.takeError());
    case SO.SNDBUF:
      return int(s.sndbuf);
    case SO.RCVBUF:
      return int(s.rcvbuf);
    case SO.PASSCRED:
      return int(s.passcred ? 1 : 0);
    case SO.SNDLOWAT:
      return int(1);
    case SO.PEERCRED: {
      // No peer: pid 0 and the overflow ids, as cred_to_ucred gives for none.
      return ucredBytes(s.peerCred ?? NO_CRED);
    }
    default: {
      const kept = KEPT.get(name);
      if (kept === undefined) return -E.ENOPROTOOPT;
      return int(s.options.get(name) ?? kept);
    }
  }
}

function getsockopt(t: Task): SyscallResult {
  const s = socketOf(t, argInt(t, 0));
  if (typeof s === "number") return s;
  if (argInt(t, 1) !== SOL_SOCKET) return -E.EOPNOTSUPP;
  const lenAddr = argPtr(t, 4);
  const len = t.mem.readU32(lenAddr) | 0;
  if (len < 0) return -E.EINVAL;
  const v = optionValue(s, argInt(t, 2));
  if (typeof v === "number") return v;
  const n = Math.min(len, v.length);
  if (n > 0) t.mem.write(argPtr(t, 3), v.subarray(0, n));
  t.mem.writeU32(lenAddr, n);
  return 0;
}

function setsockopt(t: Task): SyscallResult {
  const s = socketOf(t, argInt(t, 0));
  if (typeof s === "number") return s;
  if (argInt(t, 1) !== SOL_SOCKET) return -E.EOPNOTSUPP;
  if ((argInt(t, 4) >>> 0) < 4) return -E.EINVAL;
  const val = t.mem.readU32(argPtr(t, 3)) | 0;
  const name = argInt(t, 2);
  switch (name) {
    case SO.SNDBUF:
      // The value is doubled for the kernel's overhead and bounded by wmem_max (unsigned compare).
      s.sndbuf = Math.max(Math.min(val >>> 0, SOCK_BUF_MAX) * 2, SOCK_MIN_SNDBUF);
      s.queue.wakeAll();
      return 0;
    case SO.RCVBUF:
      s.rcvbuf = Math.max(Math.min(val >>> 0, SOCK_BUF_MAX) * 2, SOCK_MIN_RCVBUF);
      return 0;
    case SO.PASSCRED:
      s.passcred = val !== 0;
      return 0;
    case SO.PRIORITY:
      // Priorities above 6 need CAP_NET_ADMIN (or CAP_NET_RAW), which a guest does not have.
      if ((val < 0 || val > 6) && t.kernel.world.uid !== 0) return -E.EPERM;
      s.options.set(name, val);
      return 0;
    case SO.RCVLOWAT:
      s.options.set(name, val < 0 ? 0x7fffffff : val);
      return 0;
    default:
      if (!KEPT.has(name)) return -E.ENOPROTOOPT;
      s.options.set(name, BOOLEAN.has(name) ? (val !== 0 ? 1 : 0) : val);
      return 0;
  }
}

export const sockoptSyscalls: SyscallRow[] = [
  {
    name: "getsockopt",
    handler: getsockopt,
    support: "partial",
    note: "SOL_SOCKET: SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_ERROR, SO_SNDBUF, SO_RCVBUF, SO_PASSCRED, SO_PEERCRED, SO_ACCEPTCONN, SO_SNDLOWAT and the plain flags (SO_KEEPALIVE, SO_REUSEADDR, …); others ENOPROTOOPT; other levels EOPNOTSUPP",
  },
  {
    name: "setsockopt",
    handler: setsockopt,
    support: "partial",
    note: "SOL_SOCKET: SO_SNDBUF (limits what a sender may queue), SO_RCVBUF (kept), SO_PASSCRED, and the plain flags kept for getsockopt; others ENOPROTOOPT (timeouts among them); other levels EOPNOTSUPP",
  },
];
