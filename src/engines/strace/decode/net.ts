// Decoders of socket syscalls (strace src/net.c, sockaddr.c, msghdr.c): the socket type and its
// flags, protocols by family, socket addresses for AF_UNIX, AF_INET and AF_INET6, and message
// headers with their control messages (cmsg.ts).
import type { Arg, Decoded, DecoderTable, DecodeOptions, Entry, Exit, GuestMemory } from "./types.js";
import {
  AF, ADDRESS_FAMILIES, INET_PROTOCOLS, MSG_FLAGS, SOCKET_LEVELS, SOCKET_OPTIONS, SOCKET_TYPE_FLAGS,
  SOCKET_TYPES,
} from "../../../abi/xlat/net.js";
import { fd, flags, hex, int, ptr, u32, u64, xval } from "./print.js";
import { printStrN, quote } from "./strings.js";
import { fdPair, fields, iovec, readView } from "./structs.js";
import { fdRet, out } from "./deferred.js";
import { msgControl } from "./cmsg.js";

/** A socket type argument: `SOCK_STREAM|SOCK_CLOEXEC`. */
export function socketType(v: bigint, o: DecodeOptions): string {
  if (o.constStyle === "raw") return hex(v);
  const abbrev: DecodeOptions = { ...o, constStyle: "abbrev" };
  const type = SOCKET_TYPES.entries.find(([, val]) => val === (v & 0xfn))?.[0];
  const rest = type === undefined ? v : v & ~0xfn;
  let text = type ?? "";
  if (rest !== 0n || type === undefined) text += (type === undefined ? "" : "|") + flags(rest, SOCKET_TYPE_FLAGS, "SOCK_???", abbrev);
  return o.constStyle === "verbose" ? `${hex(v)} /* ${text} */` : text;
}

function protocol(family: bigint, v: bigint, o: DecodeOptions): string {
  if (family === AF.INET || family === AF.INET6) return xval(v, INET_PROTOCOLS, "IPPROTO_???", o, { bits: 32 });
  return String(int(v));
}

function family(v: bigint, o: DecodeOptions): string {
  return xval(v, ADDRESS_FAMILIES, "AF_???", o, { bits: 32 });
}

function ipv4(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** An IPv6 address as inet_ntop writes it (longest zero run as ::, v4-mapped as ::ffff:a.b.c.d). */
export function ipv6(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[2 * i] << 8) | b[2 * i + 1]);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `::ffff:${ipv4(b.subarray(12))}`;
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  const hexes = g.map((x) => x.toString(16));
  if (best < 0) return hexes.join(":");
  return hexes.slice(0, best).join(":") + "::" + hexes.slice(best + bestLen).join(":");
}

/** A struct sockaddr of `len` bytes. */
export function sockaddr(mem: GuestMemory, addr: bigint, len: number, o: DecodeOptions): string {
  if (addr === 0n) return "NULL";
  if (len < 2 || len > 128) return ptr(addr);
  const v = readView(mem, addr, len);
  if (v === null) return ptr(addr);
  const fam = v.u16(0);
  const head = `sa_family=${family(fam, o)}`;
  if (fam === AF.UNIX) {
    if (len === 2) return fields([head]);
    const path = v.sub(2, len - 2);
    if (path[0] === 0) return fields([head, `sun_path=@${quote(trimNul(path.subarray(1)), { hex: o.hexStrings })}`]);
    return fields([head, `sun_path=${quote(trimNul(path), { hex: o.hexStrings })}`]);
  }
  if (fam === AF.INET && len >= 8) {
    const port = (v.bytes[2] << 8) | v.bytes[3];
    return fields([head, `sin_port=htons(${port})`, `sin_addr=inet_addr("${ipv4(v.sub(4, 4))}")`]);
  }
  if (fam === AF.INET6 && len >= 24) {
    const port = (v.bytes[2] << 8) | v.bytes[3];
    const flow = (BigInt(v.bytes[4]) << 24n) | (BigInt(v.bytes[5]) << 16n) | (BigInt(v.bytes[6]) << 8n) | BigInt(v.bytes[7]);
    const parts = [head, `sin6_port=htons(${port})`, `sin6_flowinfo=htonl(${flow})`,
      `inet_pton(AF_INET6, "${ipv6(v.sub(8, 16))}", &sin6_addr)`];
    if (len >= 28) parts.push(`sin6_scope_id=${v.u32(24)}`);
    return fields(parts);
  }
  return fields([head, `sa_data=${quote(v.sub(2, len - 2), { hex: o.hexStrings })}`]);
}

function trimNul(b: Uint8Array): Uint8Array {
  const n = b.indexOf(0);
  return n >= 0 ? b.subarray(0, n) : b;
}

/** struct msghdr (56 bytes on riscv64). */
export function msghdr(mem: GuestMemory, addr: bigint, o: DecodeOptions, dataSize?: bigint, namelenBefore?: number): string {
  if (addr === 0n) return "NULL";
  const v = readView(mem, addr, 56);
  if (v === null) return ptr(addr);
  const name = v.u64(0);
  const namelen = Number(v.u32(8));
  const changed = namelenBefore !== undefined && namelenBefore !== namelen;
  return fields([
    `msg_name=${name === 0n ? "NULL" : sockaddr(mem, name, namelen, o)}`,
    `msg_namelen=${changed ? `${namelenBefore} => ` : ""}${namelen}`,
    `msg_iov=${iovec(mem, v.u64(16), Number(v.u64(24)), o, dataSize ?? (1n << 64n) - 1n)}`,
    `msg_iovlen=${v.u64(24)}`,
    ...(v.u64(40) > 0n ? [`msg_control=${msgControl(mem, v.u64(32), v.u64(40), o)}`] : []),
    `msg_controllen=${v.u64(40)}`,
    `msg_flags=${flags(v.u32(48), MSG_FLAGS, "MSG_???", o)}`,
  ]);
}

/** An in/out socklen_t: `[16]`, or `[128 => 16]` when the call changed it. */
function socklen(e: Entry, addr: bigint): Arg {
  const before = readView(e.mem, addr, 4)?.u32(0);
  return (x: Exit) => {
    if (addr === 0n) return "NULL";
    const after = readView(x.mem, addr, 4)?.u32(0);
    if (before === undefined || after === undefined || x.failed) return before !== undefined ? `[${before}]` : ptr(addr);
    return before === after ? `[${after}]` : `[${before} => ${after}]`;
  };
}

function outSockaddr(addr: bigint, lenAddr: bigint): Arg {
  return out(addr, (x) => {
    const len = lenAddr === 0n ? undefined : readView(x.mem, lenAddr, 4)?.u32(0);
    return sockaddr(x.mem, addr, len === undefined ? 0 : Number(len), x.o);
  });
}

function socket(e: Entry): Decoded {
  const [dom, type, proto] = e.args;
  return { args: [family(u32(dom), e.o), socketType(u32(type), e.o), protocol(u32(dom), u32(proto), e.o)], ret: fdRet };
}

function socketpair(e: Entry): Decoded {
  const [dom, type, proto, sv] = e.args;
  return {
    args: [family(u32(dom), e.o), socketType(u32(type), e.o), protocol(u32(dom), u32(proto), e.o),
      out(sv, (x) => fdPair(x.mem, sv, x.o))],
  };
}

function bindConnect(e: Entry): Decoded {
  const [s, addr, len] = e.args;
  return { args: [fd(s, e.o), sockaddr(e.mem, addr, Number(u32(len)), e.o), String(u32(len))] };
}

function acceptLike(e: Entry): Decoded {
  const [s, addr, lenAddr, fl] = e.args;
  const args: Arg[] = [fd(s, e.o), outSockaddr(addr, lenAddr), socklen(e, lenAddr)];
  if (e.name === "accept4") args.push(flags(u32(fl), SOCKET_TYPE_FLAGS, "SOCK_???", e.o));
  return { args, ret: e.name.startsWith("accept") ? fdRet : undefined };
}

function sendto(e: Entry): Decoded {
  const [s, buf, len, fl, addr, alen] = e.args;
  return {
    args: [fd(s, e.o), printStrN(e.mem, buf, u64(len), e.o), String(u64(len)), flags(u32(fl), MSG_FLAGS, "MSG_???", e.o),
      sockaddr(e.mem, addr, Number(u32(alen)), e.o), String(u32(alen))],
  };
}

function recvfrom(e: Entry): Decoded {
  const [s, buf, len, fl, addr, lenAddr] = e.args;
  return {
    args: [fd(s, e.o), out(buf, (x) => printStrN(x.mem, buf, x.ret, x.o)), String(u64(len)),
      flags(u32(fl), MSG_FLAGS, "MSG_???", e.o), outSockaddr(addr, lenAddr), socklen(e, lenAddr)],
  };
}

const SOL_SOCKET = 1n;
const SO_PEERCRED = 17n;

function sockopt(e: Entry): Decoded {
  const [s, level, name, val, len] = e.args;
  const lv = u32(level);
  const nameText = lv === SOL_SOCKET ? xval(u32(name), SOCKET_OPTIONS, "SO_???", e.o, { bits: 32 }) : String(int(name));
  const head = [fd(s, e.o), xval(lv, SOCKET_LEVELS, "SOL_???", e.o, { bits: 32 }), nameText];
  const isPeercred = lv === SOL_SOCKET && u32(name) === SO_PEERCRED;
  const intVal = (mem: GuestMemory, n: number): string => {
    if (isPeercred && n >= 12) {
      const v = readView(mem, val, 12);
      return v === null ? ptr(val) : `{pid=${v.i32(0)}, uid=${v.u32(4)}, gid=${v.u32(8)}}`;
    }
    if (n === 4) {
      const v = readView(mem, val, 4);
      return v === null ? ptr(val) : `[${v.i32(0)}]`;
    }
    return printStrN(mem, val, BigInt(n), e.o);
  };
  if (e.name === "setsockopt") return { args: [...head, val === 0n ? "NULL" : intVal(e.mem, Number(u32(len))), String(u32(len))] };
  const lenBefore = readView(e.mem, len, 4)?.u32(0);
  return {
    args: [
      ...head,
      (x) => {
        if (x.failed || val === 0n) return ptr(val);
        const n = readView(x.mem, len, 4)?.u32(0);
        return n === undefined ? ptr(val) : intVal(x.mem, Number(n));
      },
      (x) => {
        const after = readView(x.mem, len, 4)?.u32(0);
        if (lenBefore === undefined) return ptr(len);
        return after === undefined || after === lenBefore || x.failed ? `[${lenBefore}]` : `[${lenBefore} => ${after}]`;
      },
    ],
  };
}

function sendmsg(e: Entry): Decoded {
  const [s, msg, fl] = e.args;
  return { args: [fd(s, e.o), msghdr(e.mem, msg, e.o), flags(u32(fl), MSG_FLAGS, "MSG_???", e.o)] };
}

/** recvmsg: the header as it came back, with msg_namelen's change; on failure strace shows only what went in. */
function recvmsg(e: Entry): Decoded {
  const [s, msg, fl] = e.args;
  const namelenBefore = msg === 0n ? undefined : readView(e.mem, msg + 8n, 4)?.u32(0);
  const before = namelenBefore === undefined ? undefined : Number(namelenBefore);
  return {
    args: [
      fd(s, e.o),
      (x: Exit) => {
        if (x.failed) return before === undefined ? ptr(msg) : `{msg_namelen=${before}}`;
        return msghdr(x.mem, msg, x.o, x.ret, before);
      },
      flags(u32(fl), MSG_FLAGS, "MSG_???", e.o),
    ],
  };
}

/** Hand-written decoders of the network family. */
export const NET_DECODERS: DecoderTable = {
  socket,
  socketpair,
  bind: bindConnect,
  connect: bindConnect,
  accept: acceptLike,
  accept4: acceptLike,
  getsockname: acceptLike,
  getpeername: acceptLike,
  sendto,
  recvfrom,
  setsockopt: sockopt,
  getsockopt: sockopt,
  sendmsg,
  recvmsg,
};
