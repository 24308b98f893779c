// File-system ABI constants of riscv64 Linux, as data. Sources: asm-generic/fcntl.h (O_*, F_*),
// linux/fcntl.h (AT_*, F_DUPFD_CLOEXEC, F_*PIPE_SZ), linux/fs.h (RENAME_*), linux/stat.h (S_IF*,
// STATX_*, UTIME_*), asm-generic/ioctls.h and asm-generic/termbits.h (tty ioctls and termios
// bits), linux/magic.h (statfs f_type values), linux/limits.h (PATH_MAX, NAME_MAX, IOV_MAX).

/** open(2) flags (octal in the header). */
export const O = {
  ACCMODE: 0o3,
  RDONLY: 0o0,
  WRONLY: 0o1,
  RDWR: 0o2,
  CREAT: 0o100,
  EXCL: 0o200,
  NOCTTY: 0o400,
  TRUNC: 0o1000,
  APPEND: 0o2000,
  NONBLOCK: 0o4000,
  DSYNC: 0o10000,
  ASYNC: 0o20000, // FASYNC
  DIRECT: 0o40000,
  LARGEFILE: 0o100000,
  DIRECTORY: 0o200000,
  NOFOLLOW: 0o400000,
  NOATIME: 0o1000000,
  CLOEXEC: 0o2000000,
  SYNC: 0o4010000, // __O_SYNC | O_DSYNC
  PATH: 0o10000000,
  TMPFILE: 0o20200000, // __O_TMPFILE | O_DIRECTORY
  TMPFILE_BIT: 0o20000000, // __O_TMPFILE
} as const;

/** Flags open(2) accepts (VALID_OPEN_FLAGS); others are silently ignored by open/openat. */
export const VALID_OPEN_FLAGS =
  O.ACCMODE | O.CREAT | O.EXCL | O.NOCTTY | O.TRUNC | O.APPEND | O.NONBLOCK | O.DSYNC | O.ASYNC |
  O.DIRECT | O.LARGEFILE | O.DIRECTORY | O.NOFOLLOW | O.NOATIME | O.CLOEXEC | O.SYNC | O.PATH |
  O.TMPFILE_BIT;

/** Flags that only matter at open time and are not kept in the file's status flags. */
export const OPEN_ONLY_FLAGS = O.CREAT | O.EXCL | O.NOCTTY | O.TRUNC | O.CLOEXEC;

/** Status flags F_SETFL may change (SETFL_MASK). */
export const SETFL_MASK = O.APPEND | O.NONBLOCK | O.ASYNC | O.DIRECT | O.NOATIME;

/** *at(2) flags and the special directory descriptor. */
export const AT = {
  FDCWD: -100,
  SYMLINK_NOFOLLOW: 0x100,
  EACCESS: 0x200,
  REMOVEDIR: 0x200,
  SYMLINK_FOLLOW: 0x400,
  NO_AUTOMOUNT: 0x800,
  EMPTY_PATH: 0x1000,
  STATX_SYNC_TYPE: 0x6000,
  RECURSIVE: 0x8000,
} as const;

/** renameat2 flags. */
export const RENAME = { NOREPLACE: 1, EXCHANGE: 2, WHITEOUT: 4 } as const;

/** access(2) modes. */
export const ACCESS = { F_OK: 0, X_OK: 1, W_OK: 2, R_OK: 4 } as const;

/** File type bits of st_mode. */
export const S = {
  IFMT: 0o170000,
  IFSOCK: 0o140000,
  IFLNK: 0o120000,
  IFREG: 0o100000,
  IFBLK: 0o60000,
  IFDIR: 0o40000,
  IFCHR: 0o20000,
  IFIFO: 0o10000,
  ISUID: 0o4000,
  ISGID: 0o2000,
  ISVTX: 0o1000,
} as const;

/** Directory entry types (d_type). */
export const DT = { UNKNOWN: 0, FIFO: 1, CHR: 2, DIR: 4, BLK: 6, REG: 8, LNK: 10, SOCK: 12 } as const;

/** d_type for an st_mode. */
export function dtFromMode(mode: number): number {
  return (mode & S.IFMT) >>> 12;
}

/** fcntl commands. */
export const F = {
  DUPFD: 0,
  GETFD: 1,
  SETFD: 2,
  GETFL: 3,
  SETFL: 4,
  GETLK: 5,
  SETLK: 6,
  SETLKW: 7,
  SETOWN: 8,
  GETOWN: 9,
  SETSIG: 10,
  GETSIG: 11,
  SETOWN_EX: 15,
  GETOWN_EX: 16,
  OFD_GETLK: 36,
  OFD_SETLK: 37,
  OFD_SETLKW: 38,
  SETLEASE: 1024,
  GETLEASE: 1025,
  NOTIFY: 1026,
  DUPFD_CLOEXEC: 1030,
  SETPIPE_SZ: 1031,
  GETPIPE_SZ: 1032,
  ADD_SEALS: 1033,
  GET_SEALS: 1034,
} as const;

export const FD_CLOEXEC = 1;
/** struct flock l_type values. */
export const F_UNLCK = 2;

/** lseek whence. */
export const SEEK = { SET: 0, CUR: 1, END: 2, DATA: 3, HOLE: 4 } as const;

/** statx mask bits and attributes. */
export const STATX = {
  TYPE: 0x1,
  MODE: 0x2,
  NLINK: 0x4,
  UID: 0x8,
  GID: 0x10,
  ATIME: 0x20,
  MTIME: 0x40,
  CTIME: 0x80,
  INO: 0x100,
  SIZE: 0x200,
  BLOCKS: 0x400,
  BASIC_STATS: 0x7ff,
  BTIME: 0x800,
  MNT_ID: 0x1000,
  RESERVED: 0x80000000,
  ATTR_MOUNT_ROOT: 0x2000,
} as const;

/** utimensat's special tv_nsec values. */
export const UTIME_NOW = (1 << 30) - 1;
export const UTIME_OMIT = (1 << 30) - 2;

/** Path limits (linux/limits.h). PATH_MAX counts the terminating NUL. */
export const PATH_MAX = 4096;
export const NAME_MAX = 255;
export const IOV_MAX = 1024;
/** Symbolic links followed in one lookup before ELOOP (MAXSYMLINKS). */
export const MAX_SYMLINKS = 40;
/** The largest count one read/write transfers (MAX_RW_COUNT = INT_MAX & PAGE_MASK). */
export const MAX_RW_COUNT = 0x7ffff000;
/** Atomic pipe write size and default pipe capacity. */
export const PIPE_BUF = 4096;
export const PIPE_CAPACITY = 65536;

/** ioctl request numbers (asm-generic/ioctls.h). */
export const IOCTL = {
  TCGETS: 0x5401,
  TCSETS: 0x5402,
  TCSETSW: 0x5403,
  TCSETSF: 0x5404,
  TIOCGPGRP: 0x540f,
  TIOCSPGRP: 0x5410,
  TIOCGWINSZ: 0x5413,
  TIOCSWINSZ: 0x5414,
  FIONREAD: 0x541b,
  FIONBIO: 0x5421,
  FIONCLEX: 0x5450,
  FIOCLEX: 0x5451,
  FIOASYNC: 0x5452,
} as const;

/** Sizes of the structures the fs syscalls write. */
export const SIZEOF = {
  stat: 128,
  statx: 256,
  statfs: 120,
  termios: 36, // kernel struct termios: 4 tcflag_t, c_line, c_cc[19]
  winsize: 8,
  iovec: 16,
  flock: 32,
} as const;

/** termios bits (asm-generic/termbits.h, termbits-common.h) for a plausible cooked tty. */
export const TERMIOS_DEFAULT = {
  iflag: 0x100 /* ICRNL */ | 0x400 /* IXON */ | 0x4000 /* IUTF8 */,
  oflag: 0x1 /* OPOST */ | 0x4 /* ONLCR */,
  cflag: 0xf /* B38400 */ | 0x30 /* CS8 */ | 0x80 /* CREAD */,
  lflag:
    0x1 /* ISIG */ | 0x2 /* ICANON */ | 0x8 /* ECHO */ | 0x10 /* ECHOE */ | 0x20 /* ECHOK */ |
    0x200 /* ECHOCTL */ | 0x800 /* ECHOKE */ | 0x8000 /* IEXTEN */,
  /** c_cc indexed by VINTR(0) VQUIT VERASE VKILL VEOF VTIME VMIN VSWTC VSTART VSTOP VSUSP VEOL
   *  VREPRINT VDISCARD VWERASE VLNEXT VEOL2, as `stty -a` shows on a fresh terminal. */
  cc: [0x03, 0x1c, 0x7f, 0x15, 0x04, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0],
} as const;

/** statfs f_type values (linux/magic.h) and f_flags bits (ST_*). */
export const FS_MAGIC = {
  RAMFS: 0x858458f6,
  TMPFS: 0x01021994,
  PROC: 0x9fa0,
  PIPEFS: 0x50495045,
  DEVPTS: 0x1cd1,
  SOCKFS: 0x534f434b,
} as const;
export const ST_RDONLY = 1;
export const ST_NOSUID = 2;
export const ST_NODEV = 4;
/** f_flags is valid (always set by Linux since 2.6.36). */
export const ST_VALID = 0x20;

/** poll(2) event bits, for OpenFile.poll. */
export const POLL = {
  IN: 0x1,
  PRI: 0x2,
  OUT: 0x4,
  ERR: 0x8,
  HUP: 0x10,
  NVAL: 0x20,
  RDNORM: 0x40,
  WRNORM: 0x100,
} as const;

/** Linux's encoding of a device number in st_dev/st_rdev (new_encode_dev). */
export function makedev(major: number, minor: number): bigint {
  const mi = BigInt(minor >>> 0);
  const ma = BigInt(major >>> 0);
  return (mi & 0xffn) | ((ma & 0xfffn) << 8n) | ((mi & 0xffffff00n) << 12n) | ((ma & 0xfffff000n) << 32n);
}

export function devMajor(dev: bigint): number {
  return Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & 0xfffff000n));
}

export function devMinor(dev: bigint): number {
  return Number((dev & 0xffn) | ((dev >> 12n) & 0xffffff00n));
}
