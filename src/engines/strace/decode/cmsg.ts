// struct cmsghdr lists (msg_control of sendmsg and recvmsg) as strace prints them (msghdr.c):
// `[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5]}]`, with SCM_RIGHTS'
// descriptors and SCM_CREDENTIALS' struct ucred decoded; other messages show their header only.
import type { DecodeOptions, GuestMemory } from "./types.js";
import { SOCKET_LEVELS } from "../../../abi/xlat/net.js";
import { fd, ptr, xval } from "./print.js";
import { readView } from "./structs.js";
import { xlat } from "../../../abi/xlat/types.js";

/** SOL_SOCKET control message types (strace xlat/scmvals.in). */
const SCM_TYPES = xlat([
  ["SCM_RIGHTS", 1],
  ["SCM_CREDENTIALS", 2],
  ["SCM_SECURITY", 3],
  ["SCM_PIDFD", 4],
  ["SO_TIMESTAMP_OLD", 29],
  ["SO_TIMESTAMPNS_OLD", 35],
  ["SO_TIMESTAMPING_OLD", 37],
]);

const SOL_SOCKET = 1n;
const HDR = 16;
/** strace reads at most this much of a control buffer. */
const MAX_CONTROL = 4096;

function data(level: bigint, type: bigint, body: Uint8Array, o: DecodeOptions): string | null {
  if (level !== SOL_SOCKET) return null;
  const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
  if (type === 1n) {
    const fds: string[] = [];
    for (let i = 0; i + 4 <= body.length; i += 4) fds.push(fd(BigInt(v.getInt32(i, true)), o));
    return `[${fds.join(", ")}]`;
  }
  if (type === 2n && body.length >= 12) {
    return `{pid=${v.getInt32(0, true)}, uid=${v.getUint32(4, true)}, gid=${v.getUint32(8, true)}}`;
  }
  return null;
}

/** The msg_control field's value: a list of messages, or the pointer when unreadable. */
export function msgControl(mem: GuestMemory, addr: bigint, len: bigint, o: DecodeOptions): string {
  const size = Number(len > BigInt(MAX_CONTROL) ? BigInt(MAX_CONTROL) : len);
  const v = size >= HDR ? readView(mem, addr, size) : null;
  if (v === null) return ptr(addr);
  const items: string[] = [];
  for (let off = 0; off + HDR <= size;) {
    const cmsgLen = v.u64(off);
    const level = BigInt(v.u32(off + 8));
    const type = BigInt(v.u32(off + 12));
    const parts = [
      `cmsg_len=${cmsgLen}`,
      `cmsg_level=${xval(level, SOCKET_LEVELS, "SOL_???", o, { bits: 32 })}`,
      `cmsg_type=${level === SOL_SOCKET ? xval(type, SCM_TYPES, "SCM_???", o, { bits: 32 }) : "0x" + type.toString(16)}`,
    ];
    if (cmsgLen < BigInt(HDR)) {
      items.push(`{${parts.join(", ")}}`);
      break;
    }
    const end = Math.min(Number(cmsgLen > BigInt(size) ? BigInt(size) : cmsgLen), size - off);
    const body = data(level, type, v.sub(off + HDR, Math.max(0, end - HDR)), o);
    if (body !== null) parts.push(`cmsg_data=${body}`);
    items.push(`{${parts.join(", ")}}`);
    off += (Number(cmsgLen) + 7) & ~7;
  }
  return `[${items.join(", ")}]`;
}
