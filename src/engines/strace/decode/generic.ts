// The decoder driven by the ArgSpec rows of src/abi/syscalls.ts: each argument kind knows whether it
// is printed at entry (in-parameters, snapshotted before the call runs) or at exit (out-parameters,
// left as an address when the call failed). Syscalls with odd arguments have hand-written decoders
// in the family files; this one serves every other row, and the helpers below serve those too.
import type { ArgSpec, RetKind, StructName, SyscallMeta } from "../../../abi/syscalls.js";
import type { Arg, Decoded, Decoder, Entry, Exit } from "./types.js";
import { dirfd, fd, flags, hex, int, mode, ptr, s64, signal, u32, u64, xval } from "./print.js";
import { printCStr, printPath, printPathN, printStrN } from "./strings.js";
import {
  bitmap, fdPair, flock, intPtr, iovec, itimerspec, itimerval, longPtr, ptrPtr, rlimit, rusage,
  schedParam, sigaction, sigsetPtr, stackT, stat, statfs, statx, struct, sysinfo, timespec, timeval,
  timezone, tms, u64Ptr, uintPtr, utimensPair, utsname, winsize, type StructPrinter,
} from "./structs.js";
import { clockName, fdRet, idText, out } from "./deferred.js";
import { siginfo, sigevent } from "./signal.js";
import { cloneArgs, rseq } from "./process.js";
import { openHow } from "./file.js";
import { sockaddr, msghdr } from "./net.js";
import { termios, epollEvent, hwprobePairs } from "./misc.js";

/** Printers of the structures ArgSpec rows name. `len` is the argument holding the size, if any. */
export const STRUCTS: Record<StructName, (len: bigint | undefined) => StructPrinter> = {
  timespec: () => timespec,
  timeval: () => timeval,
  timezone: () => timezone,
  itimerspec: () => itimerspec,
  itimerval: () => itimerval,
  utimens: () => utimensPair,
  timex: () => (_m, addr) => ptr(addr),
  stat: () => stat,
  statx: () => statx,
  statfs: () => statfs,
  flock: () => flock(false),
  open_how: () => openHow,
  rlimit: () => rlimit,
  utsname: () => utsname,
  sysinfo: () => sysinfo,
  tms: () => tms,
  rusage: () => rusage,
  sched_param: () => schedParam,
  sched_attr: () => (_m, addr) => ptr(addr),
  sigaction: () => sigaction,
  stack_t: () => stackT,
  siginfo: () => siginfo,
  sigevent: () => sigevent,
  int: () => intPtr,
  uint: () => uintPtr,
  long: () => longPtr,
  u64: () => u64Ptr,
  ptr: () => ptrPtr,
  fd_pair: () => fdPair,
  rseq: () => rseq,
  clone_args: () => cloneArgs,
  robust_list: () => (_m, addr) => ptr(addr),
  winsize: () => winsize,
  termios: () => termios,
  epoll_event: () => epollEvent,
  sockaddr: (len) => (mem, addr, o) => sockaddr(mem, addr, len === undefined ? 128 : Number(len), o),
  msghdr: () => msghdr,
  cap_header: () => struct(8, (v) => `{version=${hex(v.u32(0))}, pid=${v.i32(4)}}`),
  cap_data: () => (_m, addr) => ptr(addr),
  mq_attr: () => struct(32, (v) =>
    `{mq_flags=${v.i64(0)}, mq_maxmsg=${v.i64(8)}, mq_msgsize=${v.i64(16)}, mq_curmsgs=${v.i64(24)}}`),
  file_handle: () => (_m, addr) => ptr(addr),
  hwprobe_pairs: () => (mem, addr, o) => hwprobePairs(mem, addr, 1, o, true),
};

/** Prints a structure of `name` at entry. */
export function structIn(name: StructName, addr: bigint, e: Entry, len?: bigint): string {
  return STRUCTS[name](len)(e.mem, addr, e.o);
}

/** Prints a structure of `name` at exit (the address if the call failed). */
export function structOut(name: StructName, addr: bigint, len?: bigint): Arg {
  return out(addr, (x) => STRUCTS[name](len)(x.mem, addr, x.o));
}

const ALL = (1n << 64n) - 1n;

/** The text of argument `i` of the call as `spec` describes it. */
export function specArg(spec: ArgSpec, i: number, e: Entry): Arg {
  const v = e.args[i] ?? 0n;
  const a = (k: number): bigint => e.args[k] ?? 0n;
  const { mem, o } = e;
  switch (spec.kind) {
    case "int": return String(int(v));
    case "uint": return String(u32(v));
    case "long": return String(s64(v));
    case "ulong": return String(u64(v));
    case "hex": return hex(v);
    case "ptr": return ptr(v);
    case "fd": return fd(v, o);
    case "dirfd": return dirfd(v, o);
    case "path": return printPath(mem, v, o);
    case "str": return printCStr(mem, v, o);
    case "mode": return mode(u32(v));
    case "signo": return signal(int(v), o);
    case "id": return idText(v);
    case "clockid": return clockName(v, o);
    case "bufIn": return printStrN(mem, v, u64(a(spec.len)), o);
    case "bufOut": return out(v, (x) => printStrN(x.mem, v, x.ret, x.o));
    case "pathOut": return out(v, (x) => printPathN(x.mem, v, Number(x.ret), x.o));
    case "flags": return flags(u32(v), spec.xlat, spec.dflt, o);
    case "xval": return xval(v, spec.xlat, spec.dflt, o, { bits: spec.bits ?? 32 });
    case "struct": {
      const len = spec.len === undefined ? undefined : a(spec.len);
      return spec.dir === "in" ? structIn(spec.struct, v, e, len) : structOut(spec.struct, v, len);
    }
    case "sigset": {
      const size = Number(u64(a(spec.size)));
      return spec.dir === "in" ? sigsetPtr(size)(mem, v, o) : out(v, (x) => sigsetPtr(size)(x.mem, v, x.o));
    }
    case "iovec": {
      const count = int(a(spec.count));
      if (spec.dir === "in") return iovec(mem, v, count, o, ALL);
      return (x) => iovec(x.mem, v, count, x.o, x.failed ? undefined : x.ret);
    }
    case "bitmap": {
      const size = Number(u32(a(spec.size)));
      return spec.dir === "in" ? bitmap(mem, v, size, o) : out(v, (x) => bitmap(x.mem, v, size, x.o));
    }
  }
}

/** The success text of a return value of `kind`. */
export function retText(kind: RetKind): ((x: Exit) => string) | undefined {
  switch (kind) {
    case "fd": return fdRet;
    case "hex": return (x) => hex(x.ret);
    case "octal": return (x) => mode(x.ret);
    default: return undefined;
  }
}

/** The decoder of a metadata row. */
export function specDecoder(meta: SyscallMeta): Decoder {
  const ret = retText(meta.ret);
  return (e): Decoded => ({ args: meta.args.map((spec, i) => specArg(spec, i, e)), ret });
}

/** strace's printargs: every argument in hex (unknown syscalls, and decoders' fallbacks). */
export function rawDecoder(nargs: number): Decoder {
  return (e) => ({ args: e.args.slice(0, nargs).map(hex) });
}

