// Decoders of descriptor syscalls (strace src/fcntl.c, ioctl.c, term.c, dirent64.c, desc.c, poll.c,
// epoll.c, io.c): fcntl and ioctl, whose third argument depends on the command; getdents64;
// select/poll and their result texts; preadv2/pwritev2, whose offset comes in two registers.
import type { Arg, Decoded, DecoderTable, DecodeOptions, Entry, Exit, GuestMemory } from "./types.js";
import {
  F_OWNER_TYPES, FCNTL_CMDS, FD_FLAGS, LOCK_TYPES, NOTIFY_FLAGS, RWF_FLAGS, SEALS,
} from "../../../abi/xlat/fs.js";
import { F } from "../../../abi/fs.js";
import { EPOLL_EVENTS } from "../../../abi/xlat/misc.js";
import { IOC_DIRS, IOCTL_NR, IOCTL_REQUESTS, TCFLSH_ARGS, TCXONC_ARGS } from "../../../abi/xlat/ioctl.js";
import { fd, fdSuffix, flags, hex, int, matchFlags, ptr, s64, signal, signame, u32, u64, xval } from "./print.js";
import { printStrN } from "./strings.js";
import type { Xlat } from "../../../abi/xlat/types.js";
import {
  array, dirents, fields, flock, intPtr, iovec, pollfds, pollRevents, sigsetPtr, struct,
  timespec, u64Ptr, winsize, type StructPrinter,
} from "./structs.js";
import { openFlags } from "./file.js";
import { fdRet, out } from "./deferred.js";
import { termios } from "./misc.js";

// ---- fcntl ----

const fOwnerEx = struct(8, (v, o) => fields([
  `type=${xval(v.i32(0), F_OWNER_TYPES, "F_OWNER_???", o, { bits: 32 })}`,
  `pid=${v.i32(4)}`,
]));

function fcntl(e: Entry): Decoded {
  const [fdArg, cmdArg, arg] = e.args;
  const { o, mem } = e;
  const cmd = int(cmdArg);
  const head = [fd(fdArg, o), xval(u32(cmdArg), FCNTL_CMDS, "F_???", o, { bits: 32 })];
  const withArg = (a: Arg, ret?: (x: Exit) => string): Decoded => ({ args: [...head, a], ret });
  switch (cmd) {
    case F.SETFD: return withArg(flags(u32(arg), FD_FLAGS, "FD_???", o));
    case F.SETOWN: case F.SETPIPE_SZ: return withArg(String(int(arg)));
    case F.DUPFD: case F.DUPFD_CLOEXEC: return withArg(String(int(arg)), fdRet);
    case F.SETFL: return withArg(openFlags(u32(arg), o));
    case F.SETLK: case F.SETLKW: case F.OFD_SETLK: case F.OFD_SETLKW: return withArg(flock(false)(mem, arg, o));
    case F.GETLK: case F.OFD_GETLK: return withArg(out(arg, (x) => flock(true)(x.mem, arg, x.o)));
    case F.SETOWN_EX: return withArg(fOwnerEx(mem, arg, o));
    case F.GETOWN_EX: return withArg(out(arg, (x) => fOwnerEx(x.mem, arg, x.o)));
    case F.SETLEASE: return withArg(xval(u32(arg), LOCK_TYPES, "F_???", o, { bits: 32 }));
    case F.NOTIFY: return withArg(flags(u32(arg), NOTIFY_FLAGS, "DN_???", o));
    case F.SETSIG: return withArg(signal(int(arg), o));
    case F.ADD_SEALS: return withArg(flags(u32(arg), SEALS, "F_SEAL_???", o));
    case F.GETFD: return { args: head, ret: (x) => auxFlags(x.ret, "flags", FD_FLAGS) };
    case F.GETFL: return { args: head, ret: (x) => `${hex(x.ret)} (flags ${openFlags(x.ret, { ...x.o, constStyle: "abbrev" })})` };
    case F.GET_SEALS: return { args: head, ret: (x) => auxFlags(x.ret, "seals", SEALS) };
    case F.GETLEASE: return { args: head, ret: (x) => `${s64(x.ret)} (${xval(x.ret, LOCK_TYPES, "F_???", { ...x.o, constStyle: "abbrev" })})` };
    case F.GETSIG: return { args: head, ret: (x) => (x.ret === 0n ? "0" : `${s64(x.ret)} (${signame(int(x.ret))})`) };
    case F.GETOWN: case F.GETPIPE_SZ: return { args: head };
    default: return withArg(hex(arg));
  }
}

/** `0x1 (flags FD_CLOEXEC)`: a hex return value with its flag names; the bare value when none. */
function auxFlags(v: bigint, word: string, x: Xlat): string {
  const { names, rest } = matchFlags(v, x);
  if (names.length === 0) return hex(v);
  return `${hex(v)} (${word} ${names.join("|")}${rest !== 0n ? "|" + hex(rest) : ""})`;
}

// ---- ioctl ----

const IOC_NRSHIFT = 0n;
const IOC_TYPESHIFT = 8n;
const IOC_SIZESHIFT = 16n;
const IOC_DIRSHIFT = 30n;

/** An ioctl request: its name, or `_IOC(dir, type, nr, size)`. */
export function ioctlRequest(req: bigint, o: DecodeOptions): string {
  const v = u32(req);
  if (o.constStyle === "raw") return hex(v);
  const name = IOCTL_REQUESTS.entries.find(([, val]) => val === v)?.[0];
  if (name !== undefined) return o.constStyle === "verbose" ? `${hex(v)} /* ${name} */` : name;
  const dir = (v >> IOC_DIRSHIFT) & 3n;
  const type = (v >> IOC_TYPESHIFT) & 0xffn;
  const nr = (v >> IOC_NRSHIFT) & 0xffn;
  const size = (v >> IOC_SIZESHIFT) & 0x3fffn;
  return `_IOC(${flags(dir, IOC_DIRS, undefined, { ...o, constStyle: "abbrev" })}, ${hex(type)}, ${hex(nr)}, ${hex(size)})`;
}

const NO_ARG = new Set<number>([
  IOCTL_NR.TIOCEXCL, IOCTL_NR.TIOCNXCL, IOCTL_NR.TIOCCONS, IOCTL_NR.TIOCSSERIAL, IOCTL_NR.TIOCNOTTY,
  IOCTL_NR.TIOCSBRK, IOCTL_NR.TIOCCBRK, IOCTL_NR.TIOCVHANGUP, IOCTL_NR.FIONCLEX, IOCTL_NR.FIOCLEX,
]);
const INT_OUT = new Set<number>([
  IOCTL_NR.FIONREAD, IOCTL_NR.TIOCOUTQ, IOCTL_NR.TIOCGPGRP, IOCTL_NR.TIOCGSID, IOCTL_NR.TIOCGETD,
  IOCTL_NR.TIOCMGET, IOCTL_NR.TIOCGSOFTCAR, IOCTL_NR.TIOCGPTN, IOCTL_NR.FS_IOC_GETFLAGS,
]);
const INT_IN = new Set<number>([
  IOCTL_NR.TIOCSPGRP, IOCTL_NR.FIONBIO, IOCTL_NR.FIOASYNC, IOCTL_NR.TIOCSETD, IOCTL_NR.TIOCMBIS,
  IOCTL_NR.TIOCMBIC, IOCTL_NR.TIOCMSET, IOCTL_NR.TIOCSSOFTCAR, IOCTL_NR.TIOCPKT, IOCTL_NR.TIOCSPTLCK,
  IOCTL_NR.FS_IOC_SETFLAGS,
]);
const TERMIOS_OUT = new Set<number>([IOCTL_NR.TCGETS, IOCTL_NR.TIOCGLCKTRMIOS]);
const TERMIOS_IN = new Set<number>([IOCTL_NR.TCSETS, IOCTL_NR.TCSETSW, IOCTL_NR.TCSETSF, IOCTL_NR.TIOCSLCKTRMIOS]);
const PTR_ONLY = new Set<number>([IOCTL_NR.TCGETA, IOCTL_NR.TCSETA, IOCTL_NR.TCSETAW, IOCTL_NR.TCSETAF]);
const INT_ARG = new Set<number>([IOCTL_NR.TCSBRK, IOCTL_NR.TCSBRKP, IOCTL_NR.TIOCSCTTY]);

function ioctlArg(req: number, arg: bigint, e: Entry): Arg | undefined {
  const { mem, o } = e;
  const outStruct = (p: StructPrinter): Arg => out(arg, (x) => p(x.mem, arg, x.o));
  if (NO_ARG.has(req)) return undefined;
  if (TERMIOS_OUT.has(req)) return outStruct(termios);
  if (TERMIOS_IN.has(req)) return termios(mem, arg, o);
  if (req === IOCTL_NR.TIOCGWINSZ) return outStruct(winsize);
  if (req === IOCTL_NR.TIOCSWINSZ) return winsize(mem, arg, o);
  if (INT_OUT.has(req)) return outStruct(intPtr);
  if (INT_IN.has(req)) return intPtr(mem, arg, o);
  if (req === IOCTL_NR.BLKGETSIZE64) return outStruct(u64Ptr);
  if (req === IOCTL_NR.TIOCSTI) return printStrN(mem, arg, 1n, o);
  if (req === IOCTL_NR.TCXONC) return xval(u32(arg), TCXONC_ARGS, "TC???", o, { bits: 32 });
  if (req === IOCTL_NR.TCFLSH) return xval(u32(arg), TCFLSH_ARGS, "TC???", o, { bits: 32 });
  if (INT_ARG.has(req)) return String(int(arg));
  if (PTR_ONLY.has(req)) return ptr(arg);
  if (req === IOCTL_NR.FICLONE) return fd(arg, o);
  return hex(arg);
}

function ioctl(e: Entry): Decoded {
  const [fdArg, reqArg, arg] = e.args;
  const req = Number(u32(reqArg));
  const args: Arg[] = [fd(fdArg, e.o), ioctlRequest(reqArg, e.o)];
  const a = ioctlArg(req, arg, e);
  if (a !== undefined) args.push(a);
  return { args };
}

// ---- directories ----

function getdents64(e: Entry): Decoded {
  const [fdArg, dirp, count] = e.args;
  return {
    args: [fd(fdArg, e.o), out(dirp, (x) => dirents(x.mem, dirp, Number(x.ret), x.o)), String(u32(count))],
  };
}

// ---- select and poll ----

function fdSet(mem: GuestMemory, addr: bigint, nfds: number, o: DecodeOptions): string {
  if (addr === 0n) return "NULL";
  const bytes = Math.ceil(Math.max(nfds, 0) / 64) * 8;
  const b = mem.read(addr, bytes);
  if (b === null) return ptr(addr);
  const fds: string[] = [];
  for (let i = 0; i < nfds; i++) if ((b[i >> 3] >> (i & 7)) & 1) fds.push(String(i) + fdSuffix(i, o));
  return "[" + fds.join(" ") + "]";
}

function pselect6(e: Entry): Decoded {
  const [nfdsArg, r, w, x, tmo, sig] = e.args;
  const nfds = int(nfdsArg);
  const { mem, o } = e;
  const sigmask = (): string => {
    if (sig === 0n) return "NULL";
    const v = mem.read(sig, 16);
    if (v === null) return ptr(sig);
    const dv = new DataView(v.buffer, v.byteOffset, 16);
    const ss = dv.getBigUint64(0, true);
    const len = dv.getBigUint64(8, true);
    return `{sigmask=${sigsetPtr(Number(len))(mem, ss, o)}, sigsetsize=${len}}`;
  };
  return {
    args: [String(nfds), fdSet(mem, r, nfds, o), fdSet(mem, w, nfds, o), fdSet(mem, x, nfds, o), timespec(mem, tmo, o), sigmask()],
    ret: (xx) => {
      if (xx.ret === 0n) return "0 (Timeout)";
      let ready = Number(xx.ret);
      const parts: string[] = [];
      const sets: [string, bigint][] = [["in", r], ["out", w], ["except", x]];
      for (const [label, addr] of sets) {
        if (ready <= 0 || addr === 0n) continue;
        const b = xx.mem.read(addr, Math.ceil(Math.max(nfds, 0) / 64) * 8);
        if (b === null) continue;
        const fds: string[] = [];
        for (let i = 0; i < nfds && ready > 0; i++) {
          if ((b[i >> 3] >> (i & 7)) & 1) {
            fds.push(String(i) + fdSuffix(i, xx.o));
            ready--;
          }
        }
        if (fds.length > 0) parts.push(`${label} [${fds.join(" ")}]`);
      }
      if (tmo !== 0n) parts.push(`left ${timespec(xx.mem, tmo, xx.o)}`);
      return parts.length > 0 ? `${xx.ret} (${parts.join(", ")})` : String(xx.ret);
    },
  };
}

function ppoll(e: Entry): Decoded {
  const [fds, nfdsArg, tmo, sig, size] = e.args;
  const nfds = Number(u32(nfdsArg));
  const { mem, o } = e;
  return {
    args: [pollfds(mem, fds, nfds, o), String(nfds), timespec(mem, tmo, o), sigsetPtr(Number(u64(size)))(mem, sig, o), String(u64(size))],
    ret: (x) => {
      if (x.ret === 0n) return "0 (Timeout)";
      const rev = pollRevents(x.mem, fds, nfds, x.o);
      const parts = rev === undefined ? [] : [rev];
      if (tmo !== 0n) parts.push(`left ${timespec(x.mem, tmo, x.o)}`);
      return parts.length > 0 ? `${s64(x.ret)} (${parts.join(", ")})` : String(s64(x.ret));
    },
  };
}

// ---- epoll ----

/** struct epoll_event array of `count` entries (riscv64: events u32, 4 bytes padding, data u64). */
export function epollEvents(mem: GuestMemory, addr: bigint, count: number, o: DecodeOptions): string {
  return array(mem, addr, count, 16, o, (v, off) =>
    `{events=${flags(v.u32(off), EPOLL_EVENTS, "EPOLL???", o)}, data={u32=${v.u32(off + 8)}, u64=${v.u64(off + 8)}}}`);
}

function epollPwait(e: Entry): Decoded {
  const [epfd, events, maxevents, timeout, sig, size] = e.args;
  const { mem, o } = e;
  const tmo = e.name === "epoll_pwait2" ? timespec(mem, timeout, o) : String(int(timeout));
  return {
    args: [
      fd(epfd, o), out(events, (x) => epollEvents(x.mem, events, Number(x.ret), x.o)), String(int(maxevents)), tmo,
      sigsetPtr(Number(u64(size)))(mem, sig, o), String(u64(size)),
    ],
  };
}

// ---- vectored I/O with flags ----

function preadv2(e: Entry): Decoded {
  const [fdArg, iov, cnt, off, , fl] = e.args;
  const count = int(cnt);
  const iovArg: Arg = e.name === "preadv2"
    ? (x) => iovec(x.mem, iov, count, x.o, x.failed ? undefined : x.ret)
    : iovec(e.mem, iov, count, e.o, (1n << 64n) - 1n);
  return { args: [fd(fdArg, e.o), iovArg, String(count), String(s64(off)), flags(u32(fl), RWF_FLAGS, "RWF_???", e.o)] };
}

/** Hand-written decoders of the descriptor family. */
export const DESC_DECODERS: DecoderTable = {
  fcntl,
  ioctl,
  getdents64,
  pselect6,
  ppoll,
  epoll_pwait: epollPwait,
  epoll_pwait2: epollPwait,
  preadv2,
  pwritev2: preadv2,
};
