// Socket ABI constants rvtrace's AF_UNIX sockets use (linux/socket.h, linux/net.h,
// asm-generic/socket.h; the same on riscv64 and x86-64). The strace printer's tables of names are
// in xlat/net.ts.

export const AF_UNSPEC = 0;
export const AF_UNIX = 1;
/** AF_MAX: families at or above it do not exist (EAFNOSUPPORT). */
export const AF_MAX = 46;

export const SOCK = {
  STREAM: 1,
  DGRAM: 2,
  RAW: 3,
  SEQPACKET: 5,
  /** SOCK_MAX: types at or above it are EINVAL. */
  MAX: 11,
  TYPE_MASK: 0xf,
  CLOEXEC: 0o2000000,
  NONBLOCK: 0o4000,
} as const;

export const MSG = {
  OOB: 0x1,
  PEEK: 0x2,
  CTRUNC: 0x8,
  TRUNC: 0x20,
  DONTWAIT: 0x40,
  WAITALL: 0x100,
  NOSIGNAL: 0x4000,
  CMSG_CLOEXEC: 0x40000000,
} as const;

export const SOL_SOCKET = 1;
export const SCM_RIGHTS = 1;
export const SCM_CREDENTIALS = 2;
/** Most descriptors one SCM_RIGHTS message may carry. */
export const SCM_MAX_FD = 253;

export const SO = {
  DEBUG: 1,
  REUSEADDR: 2,
  TYPE: 3,
  ERROR: 4,
  DONTROUTE: 5,
  BROADCAST: 6,
  SNDBUF: 7,
  RCVBUF: 8,
  KEEPALIVE: 9,
  OOBINLINE: 10,
  NO_CHECK: 11,
  PRIORITY: 12,
  REUSEPORT: 15,
  PASSCRED: 16,
  PEERCRED: 17,
  RCVLOWAT: 18,
  SNDLOWAT: 19,
  ACCEPTCONN: 30,
  PROTOCOL: 38,
  DOMAIN: 39,
} as const;

/** shutdown(2)'s how, and the sk_shutdown bits it sets (how + 1). */
export const SHUT = { RD: 0, WR: 1, RDWR: 2 } as const;
export const RCV_SHUTDOWN = 1;
export const SEND_SHUTDOWN = 2;

/** sizeof: struct msghdr, struct cmsghdr, struct ucred, struct sockaddr_storage (riscv64 LP64). */
export const SIZEOF_MSGHDR = 56;
export const SIZEOF_CMSGHDR = 16;
export const SIZEOF_UCRED = 12;
export const SOCKADDR_STORAGE = 128;
/** offsetof(struct sockaddr_un, sun_path). */
export const SUN_PATH_OFFSET = 2;

/** CMSG_ALIGN, CMSG_LEN and CMSG_SPACE for an LP64 ABI (8-byte alignment). */
export const cmsgAlign = (n: number): number => (n + 7) & ~7;
export const cmsgLen = (n: number): number => SIZEOF_CMSGHDR + n;
export const cmsgSpace = (n: number): number => SIZEOF_CMSGHDR + cmsgAlign(n);

/** Linux's defaults (net.core.wmem_default/rmem_default, wmem_max/rmem_max). */
export const SOCK_BUF_DEFAULT = 212992;
export const SOCK_BUF_MAX = 212992;
/** SOCK_MIN_SNDBUF and SOCK_MIN_RCVBUF: 2 × (2048 + an sk_buff's truesize) and 2048 + it. */
export const SOCK_MIN_SNDBUF = 4608;
export const SOCK_MIN_RCVBUF = 2304;
