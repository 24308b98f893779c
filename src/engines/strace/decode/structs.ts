// Structures in guest memory as strace prints them (strace src/print_timespec.h, print_struct_stat.c,
// statx.c, print_statfs.c, resource.c, uname.c, sysinfo.c, times.c, signal.c, poll.c, io.c, …), with
// riscv64 layouts. A printer takes the address and returns the text, or the address itself when the
// memory cannot be read (strace's umove_or_printaddr).
import type { DecodeOptions, GuestMemory } from "./types.js";
import { devMajor, devMinor, S } from "../../../abi/fs.js";
import {
  DIRENT_TYPES, FS_MAGICS, LOCK_TYPES, MODE_TYPES, STATFS_FLAGS, STATX_ATTRS, STATX_MASKS, WHENCE,
} from "../../../abi/xlat/fs.js";
import { SA_FLAGS, SA_HANDLERS, SIGALTSTACK_FLAGS } from "../../../abi/xlat/signal.js";
import { POLL_EVENTS } from "../../../abi/xlat/misc.js";
import { flags, fdSuffix, hex, ptr, sigset, timeComment, xval } from "./print.js";
import { printStrN, quoteCharArray } from "./strings.js";

/** Little-endian field access over bytes read from the guest. */
export class View {
  private readonly dv: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number {
    return this.bytes.length;
  }
  u8(o: number): bigint { return BigInt(this.dv.getUint8(o)); }
  u16(o: number): bigint { return BigInt(this.dv.getUint16(o, true)); }
  i16(o: number): bigint { return BigInt(this.dv.getInt16(o, true)); }
  u32(o: number): bigint { return BigInt(this.dv.getUint32(o, true)); }
  i32(o: number): bigint { return BigInt(this.dv.getInt32(o, true)); }
  u64(o: number): bigint { return this.dv.getBigUint64(o, true); }
  i64(o: number): bigint { return this.dv.getBigInt64(o, true); }
  sub(o: number, len: number): Uint8Array { return this.bytes.subarray(o, o + len); }
}

/** Reads `size` bytes at `addr` as a View, or null when unreadable. */
export function readView(mem: GuestMemory, addr: bigint, size: number): View | null {
  const b = mem.read(addr, size);
  return b === null ? null : new View(b);
}

/** A printer of the structure at an address. */
export type StructPrinter = (mem: GuestMemory, addr: bigint, o: DecodeOptions) => string;

/** Builds a printer: NULL for 0, the address when unreadable, else `show(view)`. */
export function struct(size: number, show: (v: View, o: DecodeOptions, mem: GuestMemory) => string): StructPrinter {
  return (mem, addr, o) => {
    if (addr === 0n) return "NULL";
    const v = readView(mem, addr, size);
    return v === null ? ptr(addr) : show(v, o, mem);
  };
}

/** `{a=1, b=2}`, with `...` appended when abbreviated. */
export function fields(parts: readonly string[], more = false): string {
  return "{" + parts.join(", ") + (more ? (parts.length > 0 ? ", ..." : "...") : "") + "}";
}

// ---- numbers behind pointers ----

/** `[N]`: an int behind a pointer (strace printnum_int). */
export const intPtr = struct(4, (v) => `[${v.i32(0)}]`);
/** `[N]`: an unsigned int behind a pointer. */
export const uintPtr = struct(4, (v) => `[${v.u32(0)}]`);
/** `[N]`: a long behind a pointer. */
export const longPtr = struct(8, (v) => `[${v.i64(0)}]`);
/** `[N]`: an unsigned 64-bit value behind a pointer. */
export const u64Ptr = struct(8, (v) => `[${v.u64(0)}]`);
/** `[0x…]`: a pointer behind a pointer. */
export const ptrPtr = struct(8, (v) => `[${ptr(v.u64(0))}]`);
/** `[3, 4]`: pipe2's descriptor pair. */
export const fdPair = struct(8, (v, o) => {
  const a = Number(v.i32(0));
  const b = Number(v.i32(4));
  return `[${a}${fdSuffix(a, o)}, ${b}${fdSuffix(b, o)}]`;
});
/** `[fd]`: a descriptor behind a pointer (clone's pidfd). */
export const fdPtr = struct(4, (v, o) => {
  const n = Number(v.i32(0));
  return `[${n}${fdSuffix(n, o)}]`;
});

// ---- time ----

/** struct timespec: {tv_sec=1, tv_nsec=0}. */
export function timespecText(v: View, off: number, comment = false): string {
  const sec = v.i64(off);
  const nsec = v.i64(off + 8);
  return `{tv_sec=${sec}, tv_nsec=${nsec}}` + (comment ? timeComment(sec, nsec, 9) : "");
}
export const timespec = struct(16, (v) => timespecText(v, 0));

/** struct timeval: {tv_sec=1, tv_usec=0}. */
export function timevalText(v: View, off: number): string {
  return `{tv_sec=${v.i64(off)}, tv_usec=${v.i64(off + 8)}}`;
}
export const timeval = struct(16, (v) => timevalText(v, 0));

export const timezone = struct(8, (v) => `{tz_minuteswest=${v.i32(0)}, tz_dsttime=${v.i32(4)}}`);

export const itimerspec = struct(32, (v) => `{it_interval=${timespecText(v, 0)}, it_value=${timespecText(v, 16)}}`);
export const itimerval = struct(32, (v) => `{it_interval=${timevalText(v, 0)}, it_value=${timevalText(v, 16)}}`);

const UTIME_NOW = (1n << 30n) - 1n;
const UTIME_OMIT = (1n << 30n) - 2n;

/** utimensat's pair of timestamps, with UTIME_NOW and UTIME_OMIT by name. */
export const utimensPair = struct(32, (v, o) => {
  const one = (off: number): string => {
    const nsec = v.i64(off + 8);
    if (o.constStyle !== "raw" && (nsec === UTIME_NOW || nsec === UTIME_OMIT)) {
      const name = nsec === UTIME_NOW ? "UTIME_NOW" : "UTIME_OMIT";
      return o.constStyle === "verbose" ? `{tv_sec=${v.i64(off)}, tv_nsec=${nsec}} /* ${name} */` : name;
    }
    return timespecText(v, off, true);
  };
  return `[${one(0)}, ${one(16)}]`;
});

// ---- file status ----

/** makedev(0x1, 0x3) for a device number. */
export function dev(d: bigint, o: DecodeOptions): string {
  const text = `makedev(${hex(BigInt(devMajor(d)))}, ${hex(BigInt(devMinor(d)))})`;
  if (o.constStyle === "raw") return hex(d);
  return o.constStyle === "verbose" ? `${hex(d)} /* ${text} */` : text;
}

/** A symbolic st_mode (strace print_symbolic_mode_t): S_IFREG|S_ISUID|0755. */
export function symbolicMode(m: bigint, o: DecodeOptions): string {
  const fmt = m & BigInt(S.IFMT);
  let type = "";
  if (fmt !== 0n) {
    const name = MODE_TYPES.entries.find(([, val]) => val === fmt)?.[0];
    if (name === undefined) return "0" + m.toString(8);
    type = name;
  }
  const raw = m === 0n ? "000" : "0" + m.toString(8);
  if (o.constStyle === "raw") return raw;
  const bits = (m & BigInt(S.ISUID) ? "S_ISUID|" : "") + (m & BigInt(S.ISGID) ? "S_ISGID|" : "") +
    (m & BigInt(S.ISVTX) ? "S_ISVTX|" : "");
  const perm = m & 0o777n;
  const text = (type !== "" ? type + "|" : "") + bits + (perm === 0n ? "000" : ("0" + perm.toString(8)).padStart(3, "0"));
  return o.constStyle === "verbose" ? `${raw} /* ${text} */` : text;
}

function isDevice(m: bigint): boolean {
  const fmt = m & BigInt(S.IFMT);
  return fmt === BigInt(S.IFCHR) || fmt === BigInt(S.IFBLK);
}

/** struct stat (asm-generic/stat.h, 128 bytes). */
export const stat = struct(128, (v, o) => {
  const m = v.u32(16);
  const sizeOrRdev = isDevice(m) ? `st_rdev=${dev(v.u64(32), o)}` : `st_size=${v.i64(48)}`;
  if (!o.verbose) return fields([`st_mode=${symbolicMode(m, o)}`, sizeOrRdev], true);
  const time = (name: string, off: number): string[] => {
    const sec = v.i64(off);
    const nsec = v.u64(off + 8);
    return [`st_${name}=${sec}${timeComment(sec, nsec, 9)}`, `st_${name}_nsec=${nsec}`];
  };
  return fields([
    `st_dev=${dev(v.u64(0), o)}`,
    `st_ino=${v.u64(8)}`,
    `st_mode=${symbolicMode(m, o)}`,
    `st_nlink=${v.u32(20)}`,
    `st_uid=${v.u32(24)}`,
    `st_gid=${v.u32(28)}`,
    `st_blksize=${v.i32(56)}`,
    `st_blocks=${v.i64(64)}`,
    sizeOrRdev,
    ...time("atime", 72),
    ...time("mtime", 88),
    ...time("ctime", 104),
  ]);
});

const STATX_ATIME = 0x20n;
const STATX_MTIME = 0x40n;
const STATX_CTIME = 0x80n;
const STATX_BTIME = 0x800n;
const STATX_MNT_ID = 0x1000n;
const STATX_DIOALIGN = 0x2000n;

/** struct statx (linux/stat.h, 256 bytes). */
export const statx = struct(256, (v, o) => {
  const mask = v.u32(0);
  const head = `stx_mask=${flags(mask, STATX_MASKS, "STATX_???", o)}`;
  const attrs = `stx_attributes=${flags(v.u64(8), STATX_ATTRS, "STATX_ATTR_???", o)}`;
  const modeText = `stx_mode=${symbolicMode(v.u16(28), o)}`;
  if (!o.verbose) return fields([head, attrs, modeText, `stx_size=${v.u64(40)}`], true);
  const ts = (name: string, bit: bigint, off: number): string[] => {
    if ((mask & bit) === 0n) return [];
    const sec = v.i64(off);
    const nsec = v.u32(off + 8);
    return [`stx_${name}={tv_sec=${sec}, tv_nsec=${nsec}}${timeComment(sec, nsec, 9)}`];
  };
  return fields([
    head,
    `stx_blksize=${v.u32(4)}`,
    attrs,
    `stx_nlink=${v.u32(16)}`,
    `stx_uid=${v.u32(20)}`,
    `stx_gid=${v.u32(24)}`,
    modeText,
    `stx_ino=${v.u64(32)}`,
    `stx_size=${v.u64(40)}`,
    `stx_blocks=${v.u64(48)}`,
    `stx_attributes_mask=${flags(v.u64(56), STATX_ATTRS, "STATX_ATTR_???", o)}`,
    ...ts("atime", STATX_ATIME, 64),
    ...ts("btime", STATX_BTIME, 80),
    ...ts("ctime", STATX_CTIME, 96),
    ...ts("mtime", STATX_MTIME, 112),
    `stx_rdev_major=${v.u32(128)}`,
    `stx_rdev_minor=${v.u32(132)}`,
    `stx_dev_major=${v.u32(136)}`,
    `stx_dev_minor=${v.u32(140)}`,
    ...(mask & STATX_MNT_ID ? [`stx_mnt_id=${hex(v.u64(144))}`] : []),
    ...(mask & STATX_DIOALIGN ? [`stx_dio_mem_align=${v.u32(152)}`, `stx_dio_offset_align=${v.u32(156)}`] : []),
  ]);
});

/** struct statfs of a 64-bit kernel (120 bytes). */
export const statfs = struct(120, (v, o) => {
  const type = v.u64(0);
  return fields([
    `f_type=${xval(type, FS_MAGICS, undefined, o)}`,
    `f_bsize=${v.i64(8)}`,
    `f_blocks=${v.u64(16)}`,
    `f_bfree=${v.u64(24)}`,
    `f_bavail=${v.u64(32)}`,
    `f_files=${v.u64(40)}`,
    `f_ffree=${v.u64(48)}`,
    `f_fsid={val=[${hex(v.u32(56))}, ${hex(v.u32(60))}]}`,
    `f_namelen=${v.i64(64)}`,
    `f_frsize=${v.i64(72)}`,
    `f_flags=${flags(v.u64(80), STATFS_FLAGS, "ST_???", o)}`,
  ]);
});

/** struct flock (32 bytes): l_pid is printed only where the kernel fills it (F_GETLK). */
export function flock(withPid: boolean): StructPrinter {
  return struct(32, (v, o) => fields([
    `l_type=${xval(v.i16(0), LOCK_TYPES, "F_???", o, { bits: 32 })}`,
    `l_whence=${xval(v.i16(2), WHENCE, "SEEK_???", o, { bits: 32 })}`,
    `l_start=${v.i64(8)}`,
    `l_len=${v.i64(16)}`,
    ...(withPid ? [`l_pid=${v.i32(24)}`] : []),
  ]));
}

/** struct linux_dirent64 entries in a getdents64 buffer of `len` bytes. */
export function dirents(mem: GuestMemory, addr: bigint, len: number, o: DecodeOptions): string {
  const b = mem.read(addr, len);
  if (b === null) return ptr(addr);
  const v = new View(b);
  const items: string[] = [];
  let off = 0;
  while (off + 19 <= len) {
    const reclen = Number(v.u16(off + 16));
    if (reclen < 19 || off + reclen > len) break;
    if (o.verbose) {
      items.push(fields([
        `d_ino=${v.u64(off)}`,
        `d_off=${v.i64(off + 8)}`,
        `d_reclen=${reclen}`,
        `d_type=${xval(v.u8(off + 18), DIRENT_TYPES, "DT_???", o)}`,
        `d_name=${quoteCharArray(v.sub(off + 19, reclen - 19), o)}`,
      ]));
    } else items.push("");
    off += reclen;
  }
  if (!o.verbose) return `${ptr(addr)} /* ${items.length} entries */`;
  return "[" + items.join(", ") + "]";
}

// ---- resources and system information ----

function rlim(n: bigint): string {
  if (n === 0xffffffffffffffffn) return "RLIM64_INFINITY";
  if (n > 1024n && n % 1024n === 0n) return `${n / 1024n}*1024`;
  return String(n);
}

/** struct rlimit of 64-bit values. */
export const rlimit = struct(16, (v) => `{rlim_cur=${rlim(v.u64(0))}, rlim_max=${rlim(v.u64(8))}}`);

const UTS_FIELD = 65;
const UTS_NAMES = ["sysname", "nodename", "release", "version", "machine", "domainname"];

/** struct utsname: six 65-byte strings; abbreviated to the first two. */
export const utsname = struct(UTS_FIELD * 6, (v, o) => {
  const shown = o.verbose ? UTS_NAMES.length : 2;
  const parts = UTS_NAMES.slice(0, shown).map((n, i) => `${n}=${quoteCharArray(v.sub(i * UTS_FIELD, UTS_FIELD), o)}`);
  return fields(parts, !o.verbose);
});

/** struct sysinfo of a 64-bit kernel (112 bytes). */
export const sysinfo = struct(112, (v) => fields([
  `uptime=${v.i64(0)}`,
  `loads=[${v.u64(8)}, ${v.u64(16)}, ${v.u64(24)}]`,
  `totalram=${v.u64(32)}`,
  `freeram=${v.u64(40)}`,
  `sharedram=${v.u64(48)}`,
  `bufferram=${v.u64(56)}`,
  `totalswap=${v.u64(64)}`,
  `freeswap=${v.u64(72)}`,
  `procs=${v.u16(80)}`,
  `totalhigh=${v.u64(88)}`,
  `freehigh=${v.u64(96)}`,
  `mem_unit=${v.u32(104)}`,
]));

/** Clock ticks with strace's `/* 0.01 s *\/` comment (USER_HZ is 100). */
function ticks(n: bigint): string {
  if (n === 0n) return "0";
  return `${n} /* ${n / 100n}.${String(n % 100n).padStart(2, "0")} s */`;
}

/** struct tms. */
export const tms = struct(32, (v) => fields([
  `tms_utime=${ticks(v.i64(0))}`,
  `tms_stime=${ticks(v.i64(8))}`,
  `tms_cutime=${ticks(v.i64(16))}`,
  `tms_cstime=${ticks(v.i64(24))}`,
]));

const RUSAGE_LONGS = [
  "ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt", "ru_nswap", "ru_inblock",
  "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw",
];

/** struct rusage (144 bytes). */
export const rusage = struct(144, (v, o) => {
  const parts = [`ru_utime=${timevalText(v, 0)}`, `ru_stime=${timevalText(v, 16)}`];
  if (!o.verbose) return fields(parts, true);
  RUSAGE_LONGS.forEach((n, i) => parts.push(`${n}=${v.i64(32 + 8 * i)}`));
  return fields(parts);
});

// ---- signals ----

/** A sigset of `size` bytes (the kernel's is 8). */
export function sigsetPtr(size: number): StructPrinter {
  return (mem, addr, o) => {
    if (addr === 0n) return "NULL";
    // strace's print_sigset_addr_len_limit: a size other than the kernel's sigset (8 bytes on
    // riscv64, both the word size and NSIG / 8) prints the address.
    if (size !== 8) return ptr(addr);
    const b = mem.read(addr, size);
    return b === null ? ptr(addr) : sigset(b, o);
  };
}

/** A signal handler address: SIG_DFL, SIG_IGN, SIG_ERR by name. */
export function sigHandler(h: bigint, o: DecodeOptions): string {
  const known = SA_HANDLERS.entries.find(([, val]) => val === h);
  if (known === undefined) return ptr(h);
  return xval(h, SA_HANDLERS, undefined, o);
}

/** struct sigaction of riscv64 (handler, flags, mask; no sa_restorer). */
export const sigaction = struct(24, (v, o) => fields([
  `sa_handler=${sigHandler(v.u64(0), o)}`,
  `sa_mask=${sigset(v.sub(16, 8), o)}`,
  `sa_flags=${flags(v.u64(8), SA_FLAGS, "SA_???", o)}`,
]));

/** stack_t (24 bytes). */
export const stackT = struct(24, (v, o) => fields([
  `ss_sp=${ptr(v.u64(0))}`,
  `ss_flags=${flags(v.u32(8), SIGALTSTACK_FLAGS, "SS_???", o)}`,
  `ss_size=${v.u64(16)}`,
]));

// ---- arrays ----

/**
 * An array of `count` elements of `size` bytes: `[e0, e1, ...]`, cut after -s elements when
 * abbreviated (strace print_array); the address when unreadable.
 */
export function array(
  mem: GuestMemory, addr: bigint, count: number, size: number, o: DecodeOptions,
  show: (v: View, off: number, index: number) => string,
): string {
  if (addr === 0n) return "NULL";
  if (count <= 0) return "[]";
  const cut = !o.verbose && count > o.stringLimit;
  const n = cut ? o.stringLimit : count;
  const b = mem.read(addr, n * size);
  if (b === null) return ptr(addr);
  const v = new View(b);
  const items: string[] = [];
  for (let i = 0; i < n; i++) items.push(show(v, i * size, i));
  if (cut) items.push("...");
  return "[" + items.join(", ") + "]";
}

/**
 * struct iovec[count]. With `dataSize` the buffers are printed as strings, the first `dataSize`
 * bytes in all (readv at exit prints what was read); without it only their addresses.
 */
export function iovec(mem: GuestMemory, addr: bigint, count: number, o: DecodeOptions, dataSize?: bigint): string {
  let left = dataSize ?? 0n;
  return array(mem, addr, count, 16, o, (v, off) => {
    const base = v.u64(off);
    const len = v.u64(off + 8);
    let text: string;
    if (dataSize === undefined) text = ptr(base);
    else {
      const n = len < left ? len : left;
      left -= n;
      text = printStrN(mem, base, n, o);
    }
    return `{iov_base=${text}, iov_len=${len}}`;
  });
}

/** struct pollfd[count] at entry: fd and events. */
export function pollfds(mem: GuestMemory, addr: bigint, count: number, o: DecodeOptions): string {
  return array(mem, addr, count, 8, o, (v, off) => {
    const n = Number(v.i32(off));
    return `{fd=${n}${fdSuffix(n, o)}, events=${flags(v.u16(off + 4), POLL_EVENTS, "POLL???", o)}}`;
  });
}

/** The pollfds with revents set, for poll's return text; undefined when unreadable. */
export function pollRevents(mem: GuestMemory, addr: bigint, count: number, o: DecodeOptions): string | undefined {
  if (count <= 0) return "[]";
  const b = mem.read(addr, count * 8);
  if (b === null) return undefined;
  const v = new View(b);
  const items: string[] = [];
  for (let i = 0; i < count; i++) {
    const rev = v.u16(i * 8 + 6);
    if (rev === 0n) continue;
    const n = Number(v.i32(i * 8));
    items.push(`{fd=${n}${fdSuffix(n, o)}, revents=${flags(rev, POLL_EVENTS, "POLL???", o)}}`);
  }
  return "[" + items.join(", ") + "]";
}

/** A bitmap of `size` bytes listing the set bit numbers (cpu sets, fd_set): `[0 1]`. */
export function bitmap(mem: GuestMemory, addr: bigint, size: number, o: DecodeOptions): string {
  if (addr === 0n) return "NULL";
  if (size <= 0) return "[]";
  const b = mem.read(addr, size);
  if (b === null) return ptr(addr);
  const bits: string[] = [];
  for (let i = 0; i < size * 8; i++) {
    if ((b[i >> 3] >> (i & 7)) & 1) {
      if (!o.verbose && bits.length >= o.stringLimit) {
        bits.push("...");
        break;
      }
      bits.push(String(i));
    }
  }
  return "[" + bits.join(" ") + "]";
}

/** struct winsize. */
export const winsize = struct(8, (v) =>
  `{ws_row=${v.u16(0)}, ws_col=${v.u16(2)}, ws_xpixel=${v.u16(4)}, ws_ypixel=${v.u16(6)}}`);

/** struct sched_param. */
export const schedParam = struct(4, (v) => `{sched_priority=${v.i32(0)}}`);
