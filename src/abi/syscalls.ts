// Syscall metadata for tracing: for every riscv64 syscall, its number, strace's trace classes
// (`-e trace=%file` …) and its argument kinds. Modelled on strace's src/linux/64/syscallent.h, whose
// rows are `{ nargs, TD|TF|…, SEN(decoder), "name" }`; here the argument list is a small typed DSL
// that the strace decoder (src/engines/strace/decode) prints from, and that filters read to find
// descriptor and path arguments (-e trace-fds, -P).
//
// Legend of strace's class shorthands, as used below:
//   TD %desc     (takes or returns a file descriptor)     TF %file     (takes a file name)
//   TP %process  (process lifecycle)                       TM %memory   (memory mapping)
//   TS %signal   (signal related)                          TI %ipc      (SysV IPC)
//   TN %net      (network)                                 TC %creds    (user and group ids)
//   TCL %clock   (reads or changes clocks)                 PU %pure     (no arguments, cannot fail)
//   TST %stat, TLST %lstat, TFST %fstat, TSTA %%stat (any stat variant),
//   TSF %statfs, TFSF %fstatfs, TSFA %%statfs (any statfs variant).
import { SYSCALL_NUMBERS, type SyscallName } from "./gen/syscall-numbers.js";
import type { Xlat } from "./xlat/types.js";
import {
  ACCESS_MODES, AT_FLAGS, CLOSE_RANGE_FLAGS, EPOLL_CREATE_FLAGS, EVENTFD_FLAGS, FACCESSAT_FLAGS,
  FADVISE_ADVICE, FALLOC_FLAGS, KEXEC_FILE_FLAGS, FAN_INIT_FLAGS, FLOCK_CMDS, INOTIFY_INIT_FLAGS, INOTIFY_MASKS,
  IOPRIO_WHO, MOUNT_FLAGS, NAME_TO_HANDLE_AT_FLAGS, OPEN_MODE_FLAGS, OPEN_TREE_FLAGS,
  RENAME_FLAGS, RWF_FLAGS, SIGNALFD_FLAGS, SPLICE_FLAGS, SYNC_FILE_RANGE_FLAGS, TIMERFD_FLAGS,
  UMOUNT_FLAGS, WHENCE, XATTR_FLAGS,
} from "./xlat/fs.js";
import {
  MADVISE_CMDS, MEMBARRIER_CMDS, MEMPOLICY_MODES, MLOCKALL_FLAGS, MLOCK_FLAGS, MMAP_PROT, MSYNC_FLAGS,
  PKEY_ACCESS,
} from "./xlat/mem.js";
import {
  KCMP_TYPES, PIDFD_OPEN_FLAGS, PRIORITY_WHICH, PTRACE_REQUESTS, REBOOT_CMDS, RLIMIT_RESOURCES,
  RSEQ_FLAGS, RUSAGE_WHO, SCHED_POLICIES, SECCOMP_OPS, SETNS_TYPES, UNSHARE_FLAGS,
  WAIT_OPTIONS, WAITID_TYPES,
} from "./xlat/process.js";
import { EPOLL_CTL_OPS, GETRANDOM_FLAGS, IORING_ENTER_FLAGS, RISCV_FLUSH_ICACHE_FLAGS, RISCV_HWPROBE_FLAGS, SYSLOG_ACTIONS, BPF_CMDS } from "./xlat/misc.js";
import { ITIMER_WHICH, TIMER_FLAGS } from "./xlat/time.js";
import { SIGPROCMASK_CMDS } from "./xlat/signal.js";
import { MSG_FLAGS, SHUTDOWN_MODES, SOCKET_LEVELS, SOCKET_TYPE_FLAGS } from "./xlat/net.js";

/** strace's syscall classes, for `-e trace=%class`. */
export type TraceClass =
  | "%file" | "%desc" | "%process" | "%memory" | "%signal" | "%ipc" | "%net" | "%creds" | "%clock"
  | "%stat" | "%lstat" | "%fstat" | "%%stat" | "%statfs" | "%fstatfs" | "%%statfs" | "%pure";

/** Every class name, in strace's order. */
export const TRACE_CLASSES: readonly TraceClass[] = [
  "%file", "%process", "%net", "%signal", "%ipc", "%desc", "%memory", "%creds", "%clock", "%stat",
  "%lstat", "%fstat", "%%stat", "%statfs", "%fstatfs", "%%statfs", "%pure",
];

/** Structures an argument can point to (printed by src/engines/strace/decode/structs.ts and friends). */
export type StructName =
  | "timespec" | "timeval" | "timezone" | "itimerspec" | "itimerval" | "utimens" | "timex"
  | "stat" | "statx" | "statfs" | "flock" | "open_how"
  | "rlimit" | "utsname" | "sysinfo" | "tms" | "rusage" | "sched_param" | "sched_attr"
  | "sigaction" | "stack_t" | "siginfo" | "sigevent"
  | "int" | "uint" | "long" | "u64" | "ptr" | "fd_pair"
  | "rseq" | "clone_args" | "robust_list" | "winsize" | "termios" | "epoll_event" | "sockaddr"
  | "msghdr" | "cap_header" | "cap_data" | "mq_attr" | "file_handle" | "hwprobe_pairs";

/**
 * One argument. Kinds: scalar formats (int, uint, long, ulong, hex, ptr), descriptors (fd, dirfd),
 * strings (path: a file name, never truncated; str: NUL-terminated, cut at -s), buffers (bufIn: data
 * the call reads, length in argument `len`; bufOut: data it writes, shown up to the return value),
 * constants (flags/xval with a table), mode (octal permissions), signo, id (uid/gid, -1 as -1),
 * clockid, and pointers to structures, sigsets, iovec arrays and bitmaps, which are read at entry
 * (`dir: "in"`) or at exit (`dir: "out"`, not dereferenced when the call fails).
 */
export type ArgSpec =
  | { readonly name: string; readonly kind: "int" | "uint" | "long" | "ulong" | "hex" | "ptr" | "fd" | "dirfd" | "path" | "str" | "mode" | "signo" | "id" | "clockid" }
  | { readonly name: string; readonly kind: "bufIn"; readonly len: number }
  | { readonly name: string; readonly kind: "bufOut"; readonly len: number }
  | { readonly name: string; readonly kind: "pathOut"; readonly len: number }
  | { readonly name: string; readonly kind: "flags"; readonly xlat: Xlat; readonly dflt: string }
  | { readonly name: string; readonly kind: "xval"; readonly xlat: Xlat; readonly dflt: string; readonly bits?: 32 | 64 }
  | { readonly name: string; readonly kind: "struct"; readonly struct: StructName; readonly dir: "in" | "out"; readonly len?: number }
  | { readonly name: string; readonly kind: "sigset"; readonly size: number; readonly dir: "in" | "out" }
  | { readonly name: string; readonly kind: "iovec"; readonly count: number; readonly dir: "in" | "out" }
  | { readonly name: string; readonly kind: "bitmap"; readonly size: number; readonly dir: "in" | "out" };

/** How a successful return value is printed: decimal, a descriptor (-y adds its path), hex (addresses), octal (umask). */
export type RetKind = "int" | "fd" | "hex" | "octal";

/** A syscall's tracing metadata. */
export interface SyscallMeta {
  readonly name: SyscallName;
  readonly nr: number;
  readonly classes: readonly TraceClass[];
  readonly args: readonly ArgSpec[];
  readonly ret: RetKind;
  /** strace's NF: the call cannot fail, so values like -1 are results, not errors. */
  readonly neverFails?: boolean;
}

// ---- the argument DSL ----

const int = (name: string): ArgSpec => ({ name, kind: "int" });
const uint = (name: string): ArgSpec => ({ name, kind: "uint" });
const long = (name: string): ArgSpec => ({ name, kind: "long" });
const ulong = (name: string): ArgSpec => ({ name, kind: "ulong" });
const hex = (name: string): ArgSpec => ({ name, kind: "hex" });
const ptr = (name: string): ArgSpec => ({ name, kind: "ptr" });
const fd = (name = "fd"): ArgSpec => ({ name, kind: "fd" });
const dirfd = (name = "dirfd"): ArgSpec => ({ name, kind: "dirfd" });
const path = (name = "pathname"): ArgSpec => ({ name, kind: "path" });
const str = (name: string): ArgSpec => ({ name, kind: "str" });
const mode = (name = "mode"): ArgSpec => ({ name, kind: "mode" });
const signo = (name = "sig"): ArgSpec => ({ name, kind: "signo" });
const id = (name: string): ArgSpec => ({ name, kind: "id" });
const clockid = (name = "clockid"): ArgSpec => ({ name, kind: "clockid" });
const bufIn = (name: string, len: number): ArgSpec => ({ name, kind: "bufIn", len });
const bufOut = (name: string, len: number): ArgSpec => ({ name, kind: "bufOut", len });
const pathOut = (name: string, len: number): ArgSpec => ({ name, kind: "pathOut", len });
const flags = (name: string, xlat: Xlat, dflt: string): ArgSpec => ({ name, kind: "flags", xlat, dflt });
const xval = (name: string, xlat: Xlat, dflt: string, bits: 32 | 64 = 32): ArgSpec => ({ name, kind: "xval", xlat, dflt, bits });
const sIn = (name: string, s: StructName, len?: number): ArgSpec => ({ name, kind: "struct", struct: s, dir: "in", len });
const sOut = (name: string, s: StructName, len?: number): ArgSpec => ({ name, kind: "struct", struct: s, dir: "out", len });
const sigsetIn = (name: string, size: number): ArgSpec => ({ name, kind: "sigset", size, dir: "in" });
const sigsetOut = (name: string, size: number): ArgSpec => ({ name, kind: "sigset", size, dir: "out" });
const iovIn = (name: string, count: number): ArgSpec => ({ name, kind: "iovec", count, dir: "in" });
const iovOut = (name: string, count: number): ArgSpec => ({ name, kind: "iovec", count, dir: "out" });
const bitsIn = (name: string, size: number): ArgSpec => ({ name, kind: "bitmap", size, dir: "in" });
const bitsOut = (name: string, size: number): ArgSpec => ({ name, kind: "bitmap", size, dir: "out" });

const TD: TraceClass = "%desc";
const TF: TraceClass = "%file";
const TP: TraceClass = "%process";
const TM: TraceClass = "%memory";
const TS: TraceClass = "%signal";
const TI: TraceClass = "%ipc";
const TN: TraceClass = "%net";
const TC: TraceClass = "%creds";
const TCL: TraceClass = "%clock";
const PU: TraceClass = "%pure";
const TFST: TraceClass = "%fstat";
const TSTA: TraceClass = "%%stat";
const TSF: TraceClass = "%statfs";
const TFSF: TraceClass = "%fstatfs";
const TSFA: TraceClass = "%%statfs";

interface Row {
  classes: TraceClass[];
  args: ArgSpec[];
  ret?: RetKind;
  neverFails?: boolean;
}

const r = (classes: TraceClass[], args: ArgSpec[], ret?: RetKind, neverFails?: boolean): Row => ({ classes, args, ret, neverFails });

const xattrSet = (first: ArgSpec): Row => r([first.kind === "fd" ? TD : TF], [first, str("name"), bufIn("value", 3), ulong("size"), flags("flags", XATTR_FLAGS, "XATTR_???")]);
const xattrGet = (first: ArgSpec): Row => r([first.kind === "fd" ? TD : TF], [first, str("name"), bufOut("value", 3), ulong("size")]);
const xattrList = (first: ArgSpec): Row => r([first.kind === "fd" ? TD : TF], [first, bufOut("list", 2), ulong("size")]);
const xattrRemove = (first: ArgSpec): Row => r([first.kind === "fd" ? TD : TF], [first, str("name")]);
const none = (classes: TraceClass[] = []): Row => r(classes, []);

/** Every syscall of SYSCALL_NUMBERS (checked at load): classes and arguments as strace has them. */
const ROWS: Record<SyscallName, Row> = {
  io_setup: r([TM], [uint("nr_events"), ptr("ctx_idp")]),
  io_destroy: r([TM], [hex("ctx_id")]),
  io_submit: r([], [hex("ctx_id"), long("nr"), ptr("iocbpp")]),
  io_cancel: r([], [hex("ctx_id"), ptr("iocb"), ptr("result")]),
  io_getevents: r([], [hex("ctx_id"), long("min_nr"), long("nr"), ptr("events"), sIn("timeout", "timespec")]),
  setxattr: xattrSet(path()),
  lsetxattr: xattrSet(path()),
  fsetxattr: xattrSet(fd()),
  getxattr: xattrGet(path()),
  lgetxattr: xattrGet(path()),
  fgetxattr: xattrGet(fd()),
  listxattr: xattrList(path()),
  llistxattr: xattrList(path()),
  flistxattr: xattrList(fd()),
  removexattr: xattrRemove(path()),
  lremovexattr: xattrRemove(path()),
  fremovexattr: xattrRemove(fd()),
  getcwd: r([TF], [pathOut("buf", 1), ulong("size")]),
  lookup_dcookie: r([], [hex("cookie"), ptr("buffer"), ulong("len")]),
  eventfd2: r([TD], [uint("initval"), flags("flags", EVENTFD_FLAGS, "EFD_???")], "fd"),
  epoll_create1: r([TD], [flags("flags", EPOLL_CREATE_FLAGS, "EPOLL_???")], "fd"),
  epoll_ctl: r([TD], [fd("epfd"), xval("op", EPOLL_CTL_OPS, "EPOLL_CTL_???"), fd(), sIn("event", "epoll_event")]),
  epoll_pwait: r([TD], [fd("epfd"), ptr("events"), int("maxevents"), int("timeout"), sigsetIn("sigmask", 5), ulong("sigsetsize")]),
  dup: r([TD], [fd("oldfd")], "fd"),
  dup3: r([TD], [fd("oldfd"), fd("newfd"), flags("flags", OPEN_MODE_FLAGS, "O_???")], "fd"),
  fcntl: r([TD], [fd(), int("cmd"), hex("arg")]),
  inotify_init1: r([TD], [flags("flags", INOTIFY_INIT_FLAGS, "IN_???")], "fd"),
  inotify_add_watch: r([TD, TF], [fd(), path(), flags("mask", INOTIFY_MASKS, "IN_???")]),
  inotify_rm_watch: r([TD], [fd(), int("wd")]),
  ioctl: r([TD], [fd(), hex("request"), hex("arg")]),
  ioprio_set: r([], [xval("which", IOPRIO_WHO, "IOPRIO_WHO_???"), int("who"), hex("ioprio")]),
  ioprio_get: r([], [xval("which", IOPRIO_WHO, "IOPRIO_WHO_???"), int("who")]),
  flock: r([TD], [fd(), flags("operation", FLOCK_CMDS, "LOCK_???")]),
  mknodat: r([TD, TF], [dirfd(), path(), mode(), hex("dev")]),
  mkdirat: r([TD, TF], [dirfd(), path(), mode()]),
  unlinkat: r([TD, TF], [dirfd(), path(), flags("flags", AT_FLAGS, "AT_???")]),
  symlinkat: r([TD, TF], [path("target"), dirfd("newdirfd"), path("linkpath")]),
  linkat: r([TD, TF], [dirfd("olddirfd"), path("oldpath"), dirfd("newdirfd"), path("newpath"), flags("flags", AT_FLAGS, "AT_???")]),
  umount2: r([TF], [path("target"), flags("flags", UMOUNT_FLAGS, "MNT_???")]),
  mount: r([TF], [path("source"), path("target"), str("filesystemtype"), flags("mountflags", MOUNT_FLAGS, "MS_???"), ptr("data")]),
  pivot_root: r([TF], [path("new_root"), path("put_old")]),
  nfsservctl: r([], [int("cmd"), ptr("argp"), ptr("resp")]),
  statfs: r([TF, TSF, TSFA], [path(), sOut("buf", "statfs")]),
  fstatfs: r([TD, TFSF, TSFA], [fd(), sOut("buf", "statfs")]),
  truncate: r([TF], [path(), long("length")]),
  ftruncate: r([TD], [fd(), long("length")]),
  fallocate: r([TD], [fd(), flags("mode", FALLOC_FLAGS, "FALLOC_FL_???"), long("offset"), long("len")]),
  faccessat: r([TD, TF], [dirfd(), path(), flags("mode", ACCESS_MODES, "?_OK")]),
  chdir: r([TF], [path()]),
  fchdir: r([TD], [fd()]),
  chroot: r([TF], [path()]),
  fchmod: r([TD], [fd(), mode()]),
  fchmodat: r([TD, TF], [dirfd(), path(), mode()]),
  fchownat: r([TD, TF], [dirfd(), path(), id("owner"), id("group"), flags("flags", AT_FLAGS, "AT_???")]),
  fchown: r([TD], [fd(), id("owner"), id("group")]),
  openat: r([TD, TF], [dirfd(), path(), flags("flags", OPEN_MODE_FLAGS, "O_???"), mode()], "fd"),
  close: r([TD], [fd()]),
  vhangup: none(),
  pipe2: r([TD], [sOut("pipefd", "fd_pair"), flags("flags", OPEN_MODE_FLAGS, "O_???")]),
  quotactl: r([TF], [hex("cmd"), path("special"), int("id"), ptr("addr")]),
  getdents64: r([TD], [fd(), ptr("dirp"), uint("count")]),
  lseek: r([TD], [fd(), long("offset"), xval("whence", WHENCE, "SEEK_???")]),
  read: r([TD], [fd(), bufOut("buf", 2), ulong("count")]),
  write: r([TD], [fd(), bufIn("buf", 2), ulong("count")]),
  readv: r([TD], [fd(), iovOut("iov", 2), int("iovcnt")]),
  writev: r([TD], [fd(), iovIn("iov", 2), int("iovcnt")]),
  pread64: r([TD], [fd(), bufOut("buf", 2), ulong("count"), long("offset")]),
  pwrite64: r([TD], [fd(), bufIn("buf", 2), ulong("count"), long("offset")]),
  preadv: r([TD], [fd(), iovOut("iov", 2), int("iovcnt"), long("offset")]),
  pwritev: r([TD], [fd(), iovIn("iov", 2), int("iovcnt"), long("offset")]),
  sendfile: r([TD, TN], [fd("out_fd"), fd("in_fd"), sIn("offset", "long"), ulong("count")]),
  pselect6: r([TD], [int("nfds"), bitsIn("readfds", 0), bitsIn("writefds", 0), bitsIn("exceptfds", 0), sIn("timeout", "timespec"), ptr("sigmask")]),
  ppoll: r([TD], [ptr("fds"), uint("nfds"), sIn("tmo_p", "timespec"), sigsetIn("sigmask", 4), ulong("sigsetsize")]),
  signalfd4: r([TD, TS], [fd(), sigsetIn("mask", 2), ulong("sizemask"), flags("flags", SIGNALFD_FLAGS, "SFD_???")], "fd"),
  vmsplice: r([TD], [fd(), iovIn("iov", 2), ulong("nr_segs"), flags("flags", SPLICE_FLAGS, "SPLICE_F_???")]),
  splice: r([TD], [fd("fd_in"), sIn("off_in", "long"), fd("fd_out"), sIn("off_out", "long"), ulong("len"), flags("flags", SPLICE_FLAGS, "SPLICE_F_???")]),
  tee: r([TD], [fd("fd_in"), fd("fd_out"), ulong("len"), flags("flags", SPLICE_FLAGS, "SPLICE_F_???")]),
  readlinkat: r([TD, TF], [dirfd(), path(), pathOut("buf", 3), ulong("bufsiz")]),
  newfstatat: r([TD, TF, TFST, TSTA], [dirfd(), path(), sOut("statbuf", "stat"), flags("flags", AT_FLAGS, "AT_???")]),
  fstat: r([TD, TFST, TSTA], [fd(), sOut("statbuf", "stat")]),
  sync: none(),
  fsync: r([TD], [fd()]),
  fdatasync: r([TD], [fd()]),
  sync_file_range: r([TD], [fd(), long("offset"), long("nbytes"), flags("flags", SYNC_FILE_RANGE_FLAGS, "SYNC_FILE_RANGE_???")]),
  timerfd_create: r([TD], [clockid(), flags("flags", TIMERFD_FLAGS, "TFD_???")], "fd"),
  timerfd_settime: r([TD], [fd(), flags("flags", TIMERFD_FLAGS, "TFD_???"), sIn("new_value", "itimerspec"), sOut("old_value", "itimerspec")]),
  timerfd_gettime: r([TD], [fd(), sOut("curr_value", "itimerspec")]),
  utimensat: r([TD, TF], [dirfd(), path(), sIn("times", "utimens"), flags("flags", AT_FLAGS, "AT_???")]),
  acct: r([TF], [path()]),
  capget: r([TC], [sIn("hdrp", "cap_header"), sOut("datap", "cap_data")]),
  capset: r([TC], [sIn("hdrp", "cap_header"), sIn("datap", "cap_data")]),
  personality: r([], [hex("persona")], "hex", true),
  exit: r([TP], [int("status")]),
  exit_group: r([TP], [int("status")]),
  waitid: r([TP], [xval("idtype", WAITID_TYPES, "P_???"), int("id"), sOut("infop", "siginfo"), flags("options", WAIT_OPTIONS, "W???"), sOut("rusage", "rusage")]),
  set_tid_address: r([], [ptr("tidptr")]),
  unshare: r([], [flags("flags", UNSHARE_FLAGS, "CLONE_???")]),
  futex: r([], [ptr("uaddr"), int("futex_op"), uint("val"), sIn("timeout", "timespec"), ptr("uaddr2"), uint("val3")]),
  set_robust_list: r([], [ptr("head"), ulong("len")]),
  get_robust_list: r([], [int("pid"), sOut("head_ptr", "ptr"), sOut("len_ptr", "u64")]),
  nanosleep: r([], [sIn("req", "timespec"), sOut("rem", "timespec")]),
  getitimer: r([], [xval("which", ITIMER_WHICH, "ITIMER_???"), sOut("curr_value", "itimerval")]),
  setitimer: r([], [xval("which", ITIMER_WHICH, "ITIMER_???"), sIn("new_value", "itimerval"), sOut("old_value", "itimerval")]),
  kexec_load: r([], [hex("entry"), ulong("nr_segments"), ptr("segments"), hex("flags")]),
  init_module: r([], [bufIn("module_image", 1), ulong("len"), str("param_values")]),
  delete_module: r([], [str("name"), hex("flags")]),
  timer_create: r([], [clockid(), sIn("sevp", "sigevent"), sOut("timerid", "int")]),
  timer_gettime: r([], [int("timerid"), sOut("curr_value", "itimerspec")]),
  timer_getoverrun: r([], [int("timerid")]),
  timer_settime: r([], [int("timerid"), flags("flags", TIMER_FLAGS, "TIMER_???"), sIn("new_value", "itimerspec"), sOut("old_value", "itimerspec")]),
  timer_delete: r([], [int("timerid")]),
  clock_settime: r([TCL], [clockid(), sIn("tp", "timespec")]),
  clock_gettime: r([TCL], [clockid(), sOut("tp", "timespec")]),
  clock_getres: r([TCL], [clockid(), sOut("res", "timespec")]),
  clock_nanosleep: r([TCL], [clockid(), flags("flags", TIMER_FLAGS, "TIMER_???"), sIn("request", "timespec"), sOut("remain", "timespec")]),
  syslog: r([], [xval("type", SYSLOG_ACTIONS, "SYSLOG_ACTION_???"), bufOut("bufp", 2), int("len")]),
  ptrace: r([], [xval("request", PTRACE_REQUESTS, "PTRACE_???", 64), int("pid"), hex("addr"), hex("data")]),
  sched_setparam: r([], [int("pid"), sIn("param", "sched_param")]),
  sched_setscheduler: r([], [int("pid"), xval("policy", SCHED_POLICIES, "SCHED_???"), sIn("param", "sched_param")]),
  sched_getscheduler: r([], [int("pid")]),
  sched_getparam: r([], [int("pid"), sOut("param", "sched_param")]),
  sched_setaffinity: r([], [int("pid"), uint("cpusetsize"), bitsIn("mask", 1)]),
  sched_getaffinity: r([], [int("pid"), uint("cpusetsize"), bitsOut("mask", 1)]),
  sched_yield: none(),
  sched_get_priority_max: r([], [xval("policy", SCHED_POLICIES, "SCHED_???")]),
  sched_get_priority_min: r([], [xval("policy", SCHED_POLICIES, "SCHED_???")]),
  sched_rr_get_interval: r([], [int("pid"), sOut("tp", "timespec")]),
  restart_syscall: none(),
  kill: r([TS, TP], [int("pid"), signo()]),
  tkill: r([TS, TP], [int("tid"), signo()]),
  tgkill: r([TS, TP], [int("tgid"), int("tid"), signo()]),
  sigaltstack: r([TS], [sIn("ss", "stack_t"), sOut("old_ss", "stack_t")]),
  rt_sigsuspend: r([TS], [sigsetIn("mask", 1), ulong("sigsetsize")]),
  rt_sigaction: r([TS], [signo("signum"), sIn("act", "sigaction"), sOut("oldact", "sigaction"), ulong("sigsetsize")]),
  rt_sigprocmask: r([TS], [xval("how", SIGPROCMASK_CMDS, "SIG_???"), sigsetIn("set", 3), sigsetOut("oldset", 3), ulong("sigsetsize")]),
  rt_sigpending: r([TS], [sigsetOut("set", 1), ulong("sigsetsize")]),
  rt_sigtimedwait: r([TS], [sigsetIn("set", 3), sOut("info", "siginfo"), sIn("timeout", "timespec"), ulong("sigsetsize")]),
  rt_sigqueueinfo: r([TS, TP], [int("tgid"), signo(), sIn("info", "siginfo")]),
  rt_sigreturn: r([TS], []),
  setpriority: r([], [xval("which", PRIORITY_WHICH, "PRIO_???"), int("who"), int("prio")]),
  getpriority: r([], [xval("which", PRIORITY_WHICH, "PRIO_???"), int("who")]),
  reboot: r([], [hex("magic"), hex("magic2"), xval("cmd", REBOOT_CMDS, "LINUX_REBOOT_CMD_???"), ptr("arg")]),
  setregid: r([TC], [id("rgid"), id("egid")]),
  setgid: r([TC], [id("gid")]),
  setreuid: r([TC], [id("ruid"), id("euid")]),
  setuid: r([TC], [id("uid")]),
  setresuid: r([TC], [id("ruid"), id("euid"), id("suid")]),
  getresuid: r([TC], [sOut("ruid", "uint"), sOut("euid", "uint"), sOut("suid", "uint")]),
  setresgid: r([TC], [id("rgid"), id("egid"), id("sgid")]),
  getresgid: r([TC], [sOut("rgid", "uint"), sOut("egid", "uint"), sOut("sgid", "uint")]),
  setfsuid: r([TC], [id("fsuid")]),
  setfsgid: r([TC], [id("fsgid")]),
  times: r([], [sOut("buf", "tms")]),
  setpgid: r([], [int("pid"), int("pgid")]),
  getpgid: r([], [int("pid")]),
  getsid: r([], [int("pid")]),
  setsid: none(),
  getgroups: r([TC], [int("size"), ptr("list")]),
  setgroups: r([TC], [int("size"), ptr("list")]),
  uname: r([], [sOut("buf", "utsname")]),
  sethostname: r([], [bufIn("name", 1), ulong("len")]),
  setdomainname: r([], [bufIn("name", 1), ulong("len")]),
  getrlimit: r([], [xval("resource", RLIMIT_RESOURCES, "RLIMIT_???"), sOut("rlim", "rlimit")]),
  setrlimit: r([], [xval("resource", RLIMIT_RESOURCES, "RLIMIT_???"), sIn("rlim", "rlimit")]),
  getrusage: r([], [xval("who", RUSAGE_WHO, "RUSAGE_???"), sOut("usage", "rusage")]),
  umask: r([], [mode("mask")], "octal", true),
  prctl: r([], [int("option"), hex("arg2"), hex("arg3"), hex("arg4"), hex("arg5")]),
  getcpu: r([], [sOut("cpu", "uint"), sOut("node", "uint"), ptr("tcache")]),
  gettimeofday: r([TCL], [sOut("tv", "timeval"), sOut("tz", "timezone")]),
  settimeofday: r([TCL], [sIn("tv", "timeval"), sIn("tz", "timezone")]),
  adjtimex: r([TCL], [sIn("buf", "timex")]),
  getpid: r([PU], [], "int", true),
  getppid: r([PU], [], "int", true),
  getuid: r([TC, PU], [], "int", true),
  geteuid: r([TC, PU], [], "int", true),
  getgid: r([TC, PU], [], "int", true),
  getegid: r([TC, PU], [], "int", true),
  gettid: r([PU], [], "int", true),
  sysinfo: r([], [sOut("info", "sysinfo")]),
  mq_open: r([TD], [str("name"), flags("oflag", OPEN_MODE_FLAGS, "O_???"), mode(), sIn("attr", "mq_attr")], "fd"),
  mq_unlink: r([], [str("name")]),
  mq_timedsend: r([TD], [fd("mqdes"), bufIn("msg_ptr", 2), ulong("msg_len"), uint("msg_prio"), sIn("abs_timeout", "timespec")]),
  mq_timedreceive: r([TD], [fd("mqdes"), bufOut("msg_ptr", 2), ulong("msg_len"), sOut("msg_prio", "uint"), sIn("abs_timeout", "timespec")]),
  mq_notify: r([TD], [fd("mqdes"), sIn("sevp", "sigevent")]),
  mq_getsetattr: r([TD], [fd("mqdes"), sIn("newattr", "mq_attr"), sOut("oldattr", "mq_attr")]),
  msgget: r([TI], [hex("key"), hex("msgflg")]),
  msgctl: r([TI], [int("msqid"), int("cmd"), ptr("buf")]),
  msgrcv: r([TI], [int("msqid"), ptr("msgp"), ulong("msgsz"), long("msgtyp"), hex("msgflg")]),
  msgsnd: r([TI], [int("msqid"), ptr("msgp"), ulong("msgsz"), hex("msgflg")]),
  semget: r([TI], [hex("key"), int("nsems"), hex("semflg")]),
  semctl: r([TI], [int("semid"), int("semnum"), int("cmd"), hex("arg")]),
  semtimedop: r([TI], [int("semid"), ptr("sops"), ulong("nsops"), sIn("timeout", "timespec")]),
  semop: r([TI], [int("semid"), ptr("sops"), ulong("nsops")]),
  shmget: r([TI], [hex("key"), ulong("size"), hex("shmflg")]),
  shmctl: r([TI], [int("shmid"), int("cmd"), ptr("buf")]),
  shmat: r([TI, TM], [int("shmid"), ptr("shmaddr"), hex("shmflg")], "hex"),
  shmdt: r([TI, TM], [ptr("shmaddr")]),
  socket: r([TN], [int("domain"), int("type"), int("protocol")], "fd"),
  socketpair: r([TN], [int("domain"), int("type"), int("protocol"), sOut("sv", "fd_pair")]),
  bind: r([TN], [fd("sockfd"), sIn("addr", "sockaddr", 2), uint("addrlen")]),
  listen: r([TN], [fd("sockfd"), int("backlog")]),
  accept: r([TN], [fd("sockfd"), sOut("addr", "sockaddr"), sOut("addrlen", "uint")], "fd"),
  connect: r([TN], [fd("sockfd"), sIn("addr", "sockaddr", 2), uint("addrlen")]),
  getsockname: r([TN], [fd("sockfd"), sOut("addr", "sockaddr"), sOut("addrlen", "uint")]),
  getpeername: r([TN], [fd("sockfd"), sOut("addr", "sockaddr"), sOut("addrlen", "uint")]),
  sendto: r([TN], [fd("sockfd"), bufIn("buf", 2), ulong("len"), flags("flags", MSG_FLAGS, "MSG_???"), sIn("dest_addr", "sockaddr", 5), uint("addrlen")]),
  recvfrom: r([TN], [fd("sockfd"), bufOut("buf", 2), ulong("len"), flags("flags", MSG_FLAGS, "MSG_???"), sOut("src_addr", "sockaddr"), sOut("addrlen", "uint")]),
  setsockopt: r([TN], [fd("sockfd"), xval("level", SOCKET_LEVELS, "SOL_???"), int("optname"), bufIn("optval", 4), uint("optlen")]),
  getsockopt: r([TN], [fd("sockfd"), xval("level", SOCKET_LEVELS, "SOL_???"), int("optname"), ptr("optval"), sOut("optlen", "uint")]),
  shutdown: r([TN], [fd("sockfd"), xval("how", SHUTDOWN_MODES, "SHUT_???")]),
  sendmsg: r([TN], [fd("sockfd"), sIn("msg", "msghdr"), flags("flags", MSG_FLAGS, "MSG_???")]),
  recvmsg: r([TN], [fd("sockfd"), sOut("msg", "msghdr"), flags("flags", MSG_FLAGS, "MSG_???")]),
  readahead: r([TD], [fd(), long("offset"), ulong("count")]),
  brk: r([TM], [ptr("addr")], "hex"),
  munmap: r([TM], [ptr("addr"), ulong("length")]),
  mremap: r([TM], [ptr("old_address"), ulong("old_size"), ulong("new_size"), hex("flags"), ptr("new_address")], "hex"),
  add_key: r([], [str("type"), str("description"), bufIn("payload", 3), ulong("plen"), int("keyring")]),
  request_key: r([], [str("type"), str("description"), str("callout_info"), int("dest_keyring")]),
  keyctl: r([], [int("operation"), hex("arg2"), hex("arg3"), hex("arg4"), hex("arg5")]),
  clone: r([TP], [hex("flags"), ptr("stack"), ptr("parent_tid"), ptr("tls"), ptr("child_tid")]),
  execve: r([TF, TP], [path(), ptr("argv"), ptr("envp")]),
  mmap: r([TD, TM], [ptr("addr"), ulong("length"), flags("prot", MMAP_PROT, "PROT_???"), hex("flags"), fd(), hex("offset")], "hex"),
  fadvise64: r([TD], [fd(), long("offset"), long("len"), xval("advice", FADVISE_ADVICE, "POSIX_FADV_???")]),
  swapon: r([TF], [path(), hex("swapflags")]),
  swapoff: r([TF], [path()]),
  mprotect: r([TM], [ptr("addr"), ulong("len"), flags("prot", MMAP_PROT, "PROT_???")]),
  msync: r([TM], [ptr("addr"), ulong("length"), flags("flags", MSYNC_FLAGS, "MS_???")]),
  mlock: r([TM], [ptr("addr"), ulong("len")]),
  munlock: r([TM], [ptr("addr"), ulong("len")]),
  mlockall: r([TM], [flags("flags", MLOCKALL_FLAGS, "MCL_???")]),
  munlockall: none([TM]),
  mincore: r([TM], [ptr("addr"), ulong("length"), ptr("vec")]),
  madvise: r([TM], [ptr("addr"), ulong("length"), xval("advice", MADVISE_CMDS, "MADV_???")]),
  remap_file_pages: r([TM], [ptr("addr"), ulong("size"), flags("prot", MMAP_PROT, "PROT_???"), ulong("pgoff"), hex("flags")]),
  mbind: r([TM], [ptr("addr"), ulong("len"), xval("mode", MEMPOLICY_MODES, "MPOL_???"), ptr("nodemask"), ulong("maxnode"), hex("flags")]),
  get_mempolicy: r([TM], [sOut("mode", "int"), ptr("nodemask"), ulong("maxnode"), ptr("addr"), hex("flags")]),
  set_mempolicy: r([TM], [xval("mode", MEMPOLICY_MODES, "MPOL_???"), ptr("nodemask"), ulong("maxnode")]),
  migrate_pages: r([TM], [int("pid"), ulong("maxnode"), ptr("old_nodes"), ptr("new_nodes")]),
  move_pages: r([TM], [int("pid"), ulong("count"), ptr("pages"), ptr("nodes"), ptr("status"), hex("flags")]),
  rt_tgsigqueueinfo: r([TP, TS], [int("tgid"), int("tid"), signo(), sIn("info", "siginfo")]),
  perf_event_open: r([TD], [ptr("attr"), int("pid"), int("cpu"), fd("group_fd"), hex("flags")], "fd"),
  accept4: r([TN], [fd("sockfd"), sOut("addr", "sockaddr"), sOut("addrlen", "uint"), flags("flags", SOCKET_TYPE_FLAGS, "SOCK_???")], "fd"),
  recvmmsg: r([TN], [fd("sockfd"), ptr("msgvec"), uint("vlen"), flags("flags", MSG_FLAGS, "MSG_???"), sIn("timeout", "timespec")]),
  riscv_hwprobe: r([], [sOut("pairs", "hwprobe_pairs"), ulong("pair_count"), ulong("cpusetsize"), bitsIn("cpus", 2), flags("flags", RISCV_HWPROBE_FLAGS, "RISCV_HWPROBE_???")]),
  riscv_flush_icache: r([TM], [ptr("start"), ptr("end"), flags("flags", RISCV_FLUSH_ICACHE_FLAGS, "SYS_RISCV_FLUSH_ICACHE_???")]),
  wait4: r([TP], [int("pid"), sOut("wstatus", "int"), flags("options", WAIT_OPTIONS, "W???"), sOut("rusage", "rusage")]),
  prlimit64: r([], [int("pid"), xval("resource", RLIMIT_RESOURCES, "RLIMIT_???"), sIn("new_limit", "rlimit"), sOut("old_limit", "rlimit")]),
  fanotify_init: r([TD], [flags("flags", FAN_INIT_FLAGS, "FAN_???"), flags("event_f_flags", OPEN_MODE_FLAGS, "O_???")], "fd"),
  fanotify_mark: r([TD, TF], [fd("fanotify_fd"), hex("flags"), hex("mask"), dirfd(), path()]),
  name_to_handle_at: r([TD, TF], [dirfd(), path(), sOut("handle", "file_handle"), sOut("mount_id", "int"), flags("flags", NAME_TO_HANDLE_AT_FLAGS, "AT_???")]),
  open_by_handle_at: r([TD], [fd("mount_fd"), sIn("handle", "file_handle"), flags("flags", OPEN_MODE_FLAGS, "O_???")], "fd"),
  clock_adjtime: r([TCL], [clockid(), sIn("buf", "timex")]),
  syncfs: r([TD], [fd()]),
  setns: r([TD], [fd(), xval("nstype", SETNS_TYPES, "CLONE_NEW???")]),
  sendmmsg: r([TN], [fd("sockfd"), ptr("msgvec"), uint("vlen"), flags("flags", MSG_FLAGS, "MSG_???")]),
  process_vm_readv: r([], [int("pid"), iovOut("local_iov", 2), ulong("liovcnt"), iovIn("remote_iov", 4), ulong("riovcnt"), hex("flags")]),
  process_vm_writev: r([], [int("pid"), iovIn("local_iov", 2), ulong("liovcnt"), iovIn("remote_iov", 4), ulong("riovcnt"), hex("flags")]),
  kcmp: r([], [int("pid1"), int("pid2"), xval("type", KCMP_TYPES, "KCMP_???"), hex("idx1"), hex("idx2")]),
  finit_module: r([TD], [fd(), str("param_values"), hex("flags")]),
  sched_setattr: r([], [int("pid"), sIn("attr", "sched_attr"), uint("flags")]),
  sched_getattr: r([], [int("pid"), sOut("attr", "sched_attr"), uint("size"), hex("flags")]),
  renameat2: r([TD, TF], [dirfd("olddirfd"), path("oldpath"), dirfd("newdirfd"), path("newpath"), flags("flags", RENAME_FLAGS, "RENAME_???")]),
  seccomp: r([], [xval("operation", SECCOMP_OPS, "SECCOMP_SET_MODE_???"), hex("flags"), ptr("args")]),
  getrandom: r([], [bufOut("buf", 1), ulong("buflen"), flags("flags", GETRANDOM_FLAGS, "GRND_???")]),
  memfd_create: r([TD], [str("name"), hex("flags")], "fd"),
  bpf: r([TD], [xval("cmd", BPF_CMDS, "BPF_???"), ptr("attr"), uint("size")]),
  execveat: r([TD, TF, TP], [dirfd(), path(), ptr("argv"), ptr("envp"), flags("flags", AT_FLAGS, "AT_???")]),
  userfaultfd: r([TD], [flags("flags", OPEN_MODE_FLAGS, "O_???")], "fd"),
  membarrier: r([], [xval("cmd", MEMBARRIER_CMDS, "MEMBARRIER_CMD_???"), uint("flags")]),
  mlock2: r([TM], [ptr("addr"), ulong("len"), flags("flags", MLOCK_FLAGS, "MLOCK_???")]),
  copy_file_range: r([TD], [fd("fd_in"), sIn("off_in", "long"), fd("fd_out"), sIn("off_out", "long"), ulong("len"), uint("flags")]),
  preadv2: r([TD], [fd(), iovOut("iov", 2), int("iovcnt"), long("offset"), flags("flags", RWF_FLAGS, "RWF_???")]),
  pwritev2: r([TD], [fd(), iovIn("iov", 2), int("iovcnt"), long("offset"), flags("flags", RWF_FLAGS, "RWF_???")]),
  pkey_mprotect: r([TM], [ptr("addr"), ulong("len"), flags("prot", MMAP_PROT, "PROT_???"), int("pkey")]),
  pkey_alloc: r([], [hex("flags"), flags("access_rights", PKEY_ACCESS, "PKEY_???")]),
  pkey_free: r([], [int("pkey")]),
  statx: r([TD, TF, TFST, TSTA], [dirfd(), path(), hex("flags"), hex("mask"), sOut("statxbuf", "statx")]),
  io_pgetevents: r([], [hex("ctx_id"), long("min_nr"), long("nr"), ptr("events"), sIn("timeout", "timespec"), ptr("usig")]),
  rseq: r([], [sIn("rseq", "rseq"), uint("rseq_len"), flags("flags", RSEQ_FLAGS, "RSEQ_FLAG_???"), hex("sig")]),
  kexec_file_load: r([TD], [fd("kernel_fd"), fd("initrd_fd"), ulong("cmdline_len"), str("cmdline"), flags("flags", KEXEC_FILE_FLAGS, "KEXEC_FILE_???")]),
  pidfd_send_signal: r([TD, TS], [fd("pidfd"), signo(), sIn("info", "siginfo"), hex("flags")]),
  io_uring_setup: r([TD], [uint("entries"), ptr("p")], "fd"),
  io_uring_enter: r([TD, TS], [fd(), uint("to_submit"), uint("min_complete"), flags("flags", IORING_ENTER_FLAGS, "IORING_ENTER_???"), ptr("sig"), ulong("sz")]),
  io_uring_register: r([TD, TM], [fd(), uint("opcode"), ptr("arg"), uint("nr_args")]),
  open_tree: r([TD, TF], [dirfd(), path(), flags("flags", OPEN_TREE_FLAGS, "OPEN_TREE_???")], "fd"),
  move_mount: r([TD, TF], [dirfd("from_dirfd"), path("from_pathname"), dirfd("to_dirfd"), path("to_pathname"), hex("flags")]),
  fsopen: r([TD], [str("fsname"), hex("flags")], "fd"),
  fsconfig: r([TD, TF], [fd(), uint("cmd"), str("key"), ptr("value"), int("aux")]),
  fsmount: r([TD], [fd(), hex("flags"), hex("attr_flags")], "fd"),
  fspick: r([TD, TF], [dirfd(), path(), hex("flags")], "fd"),
  pidfd_open: r([TD], [int("pid"), flags("flags", PIDFD_OPEN_FLAGS, "PIDFD_???")], "fd"),
  clone3: r([TP], [sIn("cl_args", "clone_args"), ulong("size")]),
  close_range: r([TD], [uint("first"), uint("last"), flags("flags", CLOSE_RANGE_FLAGS, "CLOSE_RANGE_???")]),
  openat2: r([TD, TF], [dirfd(), path(), sIn("how", "open_how"), ulong("size")], "fd"),
  pidfd_getfd: r([TD], [fd("pidfd"), int("targetfd"), hex("flags")], "fd"),
  faccessat2: r([TD, TF], [dirfd(), path(), flags("mode", ACCESS_MODES, "?_OK"), flags("flags", FACCESSAT_FLAGS, "AT_???")]),
  process_madvise: r([TD], [fd("pidfd"), iovIn("iovec", 2), ulong("vlen"), xval("advice", MADVISE_CMDS, "MADV_???"), hex("flags")]),
  epoll_pwait2: r([TD], [fd("epfd"), ptr("events"), int("maxevents"), sIn("timeout", "timespec"), sigsetIn("sigmask", 5), ulong("sigsetsize")]),
  mount_setattr: r([TD, TF], [dirfd(), path(), flags("flags", AT_FLAGS, "AT_???"), ptr("attr"), ulong("size")]),
  quotactl_fd: r([TD], [fd(), hex("cmd"), int("id"), ptr("addr")]),
  landlock_create_ruleset: r([TD], [ptr("attr"), ulong("size"), hex("flags")], "fd"),
  landlock_add_rule: r([TD], [fd("ruleset_fd"), uint("rule_type"), ptr("rule_attr"), hex("flags")]),
  landlock_restrict_self: r([TD], [fd("ruleset_fd"), hex("flags")]),
  memfd_secret: r([TD], [flags("flags", OPEN_MODE_FLAGS, "O_???")], "fd"),
  process_mrelease: r([TD], [fd("pidfd"), hex("flags")]),
  futex_waitv: r([], [ptr("waiters"), uint("nr_futexes"), hex("flags"), sIn("timeout", "timespec"), clockid()]),
  set_mempolicy_home_node: r([TM], [ptr("start"), ulong("len"), ulong("home_node"), hex("flags")]),
};

/** The metadata of every syscall, in number order. */
export const SYSCALL_META: readonly SyscallMeta[] = (Object.keys(SYSCALL_NUMBERS) as SyscallName[])
  .map((name) => {
    const row = ROWS[name];
    if (row === undefined) throw new Error(`syscall ${name} has no metadata row`);
    return {
      name,
      nr: SYSCALL_NUMBERS[name],
      classes: row.classes,
      args: row.args,
      ret: row.ret ?? "int",
      ...(row.neverFails ? { neverFails: true } : {}),
    };
  })
  .sort((a, b) => a.nr - b.nr);

const byNr = new Map<number, SyscallMeta>(SYSCALL_META.map((m) => [m.nr, m]));
const byName = new Map<string, SyscallMeta>(SYSCALL_META.map((m) => [m.name, m]));

/** The metadata of a syscall number, or undefined for numbers riscv64 does not define. */
export function syscallMeta(nr: number): SyscallMeta | undefined {
  return byNr.get(nr);
}

/** The metadata of a syscall by name. */
export function syscallMetaByName(name: string): SyscallMeta | undefined {
  return byName.get(name);
}

/** The syscalls of a class (`%file`, …), for `-e trace=%class`. */
export function syscallsOfClass(c: TraceClass): readonly SyscallMeta[] {
  return SYSCALL_META.filter((m) => m.classes.includes(c));
}
