// Process constant tables in strace's print order (strace xlat/clone_flags.in, wait4_options.in,
// resources.in, prctl_options.in, …) with riscv64 values (linux/sched.h, linux/wait.h,
// asm-generic/resource.h, linux/prctl.h, linux/capability.h).
import { xlat, xlatSeq } from "./types.js";

/** clone(2) flags (the low byte is the exit signal, printed separately). */
export const CLONE_FLAGS = xlat([
  ["CLONE_VM", 0x100],
  ["CLONE_FS", 0x200],
  ["CLONE_FILES", 0x400],
  ["CLONE_SIGHAND", 0x800],
  ["CLONE_PIDFD", 0x1000],
  ["CLONE_PTRACE", 0x2000],
  ["CLONE_VFORK", 0x4000],
  ["CLONE_PARENT", 0x8000],
  ["CLONE_THREAD", 0x10000],
  ["CLONE_NEWNS", 0x20000],
  ["CLONE_SYSVSEM", 0x40000],
  ["CLONE_SETTLS", 0x80000],
  ["CLONE_PARENT_SETTID", 0x100000],
  ["CLONE_CHILD_CLEARTID", 0x200000],
  ["CLONE_UNTRACED", 0x800000],
  ["CLONE_CHILD_SETTID", 0x1000000],
  ["CLONE_NEWCGROUP", 0x2000000],
  ["CLONE_NEWUTS", 0x4000000],
  ["CLONE_NEWIPC", 0x8000000],
  ["CLONE_NEWUSER", 0x10000000],
  ["CLONE_NEWPID", 0x20000000],
  ["CLONE_NEWNET", 0x40000000],
  ["CLONE_IO", 0x80000000],
]);

/** clone3 flags: clone's, plus the 64-bit ones. */
export const CLONE3_FLAGS = xlat([
  ...CLONE_FLAGS.entries,
  ["CLONE_CLEAR_SIGHAND", 0x100000000n],
  ["CLONE_INTO_CGROUP", 0x200000000n],
]);

/** The clone flag bits that are named in clone_args and clone(2) arguments. */
export const CLONE = {
  PIDFD: 0x1000n,
  SETTLS: 0x80000n,
  PARENT_SETTID: 0x100000n,
  CHILD_CLEARTID: 0x200000n,
  CHILD_SETTID: 0x1000000n,
  INTO_CGROUP: 0x200000000n,
  CSIGNAL: 0xffn,
} as const;

/** unshare(2) flags. */
export const UNSHARE_FLAGS = xlat([
  ["CLONE_NEWTIME", 0x80],
  ["CLONE_VM", 0x100],
  ["CLONE_FS", 0x200],
  ["CLONE_FILES", 0x400],
  ["CLONE_SIGHAND", 0x800],
  ["CLONE_THREAD", 0x10000],
  ["CLONE_NEWNS", 0x20000],
  ["CLONE_SYSVSEM", 0x40000],
  ["CLONE_NEWCGROUP", 0x2000000],
  ["CLONE_NEWUTS", 0x4000000],
  ["CLONE_NEWIPC", 0x8000000],
  ["CLONE_NEWUSER", 0x10000000],
  ["CLONE_NEWPID", 0x20000000],
  ["CLONE_NEWNET", 0x40000000],
]);

/** setns(2) nstype. */
export const SETNS_TYPES = xlat([
  ["CLONE_NEWTIME", 0x80],
  ["CLONE_NEWNS", 0x20000],
  ["CLONE_NEWCGROUP", 0x2000000],
  ["CLONE_NEWUTS", 0x4000000],
  ["CLONE_NEWIPC", 0x8000000],
  ["CLONE_NEWUSER", 0x10000000],
  ["CLONE_NEWPID", 0x20000000],
  ["CLONE_NEWNET", 0x40000000],
]);

/** wait4/waitid options. */
export const WAIT_OPTIONS = xlat([
  ["WNOHANG", 0x1],
  ["WEXITED", 0x4],
  ["WSTOPPED", 0x2],
  ["WCONTINUED", 0x8],
  ["WNOWAIT", 0x1000000],
  ["__WCLONE", 0x80000000],
  ["__WALL", 0x40000000],
  ["__WNOTHREAD", 0x20000000],
]);

/** waitid idtype. */
export const WAITID_TYPES = xlatSeq(["P_ALL", "P_PID", "P_PGID", "P_PIDFD"]);

/** getrlimit/setrlimit/prlimit64 resources. */
export const RLIMIT_RESOURCES = xlatSeq([
  "RLIMIT_CPU",
  "RLIMIT_FSIZE",
  "RLIMIT_DATA",
  "RLIMIT_STACK",
  "RLIMIT_CORE",
  "RLIMIT_RSS",
  "RLIMIT_NPROC",
  "RLIMIT_NOFILE",
  "RLIMIT_MEMLOCK",
  "RLIMIT_AS",
  "RLIMIT_LOCKS",
  "RLIMIT_SIGPENDING",
  "RLIMIT_MSGQUEUE",
  "RLIMIT_NICE",
  "RLIMIT_RTPRIO",
  "RLIMIT_RTTIME",
]);

/** getrusage who. */
export const RUSAGE_WHO = xlat([
  ["RUSAGE_SELF", 0],
  ["RUSAGE_CHILDREN", -1],
  ["RUSAGE_BOTH", -2],
  ["RUSAGE_THREAD", 1],
]);

/** getpriority/setpriority which. */
export const PRIORITY_WHICH = xlatSeq(["PRIO_PROCESS", "PRIO_PGRP", "PRIO_USER"]);

/** Scheduling policies. */
export const SCHED_POLICIES = xlat([
  ["SCHED_OTHER", 0],
  ["SCHED_FIFO", 1],
  ["SCHED_RR", 2],
  ["SCHED_BATCH", 3],
  ["SCHED_IDLE", 5],
  ["SCHED_DEADLINE", 6],
  ["SCHED_EXT", 7],
]);

/** sched_setattr flags. */
export const SCHED_FLAGS = xlat([
  ["SCHED_FLAG_RESET_ON_FORK", 0x1],
  ["SCHED_FLAG_RECLAIM", 0x2],
  ["SCHED_FLAG_DL_OVERRUN", 0x4],
  ["SCHED_FLAG_KEEP_POLICY", 0x8],
  ["SCHED_FLAG_KEEP_PARAMS", 0x10],
  ["SCHED_FLAG_UTIL_CLAMP_MIN", 0x20],
  ["SCHED_FLAG_UTIL_CLAMP_MAX", 0x40],
]);

/** prctl options. */
export const PRCTL_OPTIONS = xlat([
  ["PR_SET_PDEATHSIG", 1],
  ["PR_GET_PDEATHSIG", 2],
  ["PR_GET_DUMPABLE", 3],
  ["PR_SET_DUMPABLE", 4],
  ["PR_GET_UNALIGN", 5],
  ["PR_SET_UNALIGN", 6],
  ["PR_GET_KEEPCAPS", 7],
  ["PR_SET_KEEPCAPS", 8],
  ["PR_GET_FPEMU", 9],
  ["PR_SET_FPEMU", 10],
  ["PR_GET_FPEXC", 11],
  ["PR_SET_FPEXC", 12],
  ["PR_GET_TIMING", 13],
  ["PR_SET_TIMING", 14],
  ["PR_SET_NAME", 15],
  ["PR_GET_NAME", 16],
  ["PR_GET_ENDIAN", 19],
  ["PR_SET_ENDIAN", 20],
  ["PR_GET_SECCOMP", 21],
  ["PR_SET_SECCOMP", 22],
  ["PR_CAPBSET_READ", 23],
  ["PR_CAPBSET_DROP", 24],
  ["PR_GET_TSC", 25],
  ["PR_SET_TSC", 26],
  ["PR_GET_SECUREBITS", 27],
  ["PR_SET_SECUREBITS", 28],
  ["PR_SET_TIMERSLACK", 29],
  ["PR_GET_TIMERSLACK", 30],
  ["PR_TASK_PERF_EVENTS_DISABLE", 31],
  ["PR_TASK_PERF_EVENTS_ENABLE", 32],
  ["PR_MCE_KILL", 33],
  ["PR_MCE_KILL_GET", 34],
  ["PR_SET_MM", 35],
  ["PR_SET_CHILD_SUBREAPER", 36],
  ["PR_GET_CHILD_SUBREAPER", 37],
  ["PR_SET_NO_NEW_PRIVS", 38],
  ["PR_GET_NO_NEW_PRIVS", 39],
  ["PR_GET_TID_ADDRESS", 40],
  ["PR_SET_THP_DISABLE", 41],
  ["PR_GET_THP_DISABLE", 42],
  ["PR_MPX_ENABLE_MANAGEMENT", 43],
  ["PR_MPX_DISABLE_MANAGEMENT", 44],
  ["PR_SET_FP_MODE", 45],
  ["PR_GET_FP_MODE", 46],
  ["PR_CAP_AMBIENT", 47],
  ["PR_SVE_SET_VL", 50],
  ["PR_SVE_GET_VL", 51],
  ["PR_GET_SPECULATION_CTRL", 52],
  ["PR_SET_SPECULATION_CTRL", 53],
  ["PR_PAC_RESET_KEYS", 54],
  ["PR_SET_TAGGED_ADDR_CTRL", 55],
  ["PR_GET_TAGGED_ADDR_CTRL", 56],
  ["PR_SET_IO_FLUSHER", 57],
  ["PR_GET_IO_FLUSHER", 58],
  ["PR_SET_SYSCALL_USER_DISPATCH", 59],
  ["PR_PAC_SET_ENABLED_KEYS", 60],
  ["PR_PAC_GET_ENABLED_KEYS", 61],
  ["PR_SCHED_CORE", 62],
  ["PR_SME_SET_VL", 63],
  ["PR_SME_GET_VL", 64],
  ["PR_SET_VMA", 0x53564d41],
  ["PR_SET_PTRACER", 0x59616d61],
]);

/** PR_SET_DUMPABLE / PR_GET_DUMPABLE values. */
export const PR_DUMPABLE = xlatSeq(["SUID_DUMP_DISABLE", "SUID_DUMP_USER", "SUID_DUMP_ROOT"]);

/** PR_SET_SECCOMP / seccomp(2) modes. */
export const SECCOMP_MODES = xlatSeq(["SECCOMP_MODE_DISABLED", "SECCOMP_MODE_STRICT", "SECCOMP_MODE_FILTER"]);

/** seccomp(2) operations. */
export const SECCOMP_OPS = xlatSeq([
  "SECCOMP_SET_MODE_STRICT",
  "SECCOMP_SET_MODE_FILTER",
  "SECCOMP_GET_ACTION_AVAIL",
  "SECCOMP_GET_NOTIF_SIZES",
]);

/** PR_SET_VMA sub-options. */
export const PR_SET_VMA_OPTIONS = xlat([["PR_SET_VMA_ANON_NAME", 0]]);

/** PR_CAP_AMBIENT sub-options. */
export const PR_CAP_AMBIENT_OPS = xlatSeq([
  "",
  "PR_CAP_AMBIENT_IS_SET",
  "PR_CAP_AMBIENT_RAISE",
  "PR_CAP_AMBIENT_LOWER",
  "PR_CAP_AMBIENT_CLEAR_ALL",
]);

/** PR_{GET,SET}_SPECULATION_CTRL: which misfeature. */
export const PR_SPEC_WHICH = xlatSeq(["PR_SPEC_STORE_BYPASS", "PR_SPEC_INDIRECT_BRANCH", "PR_SPEC_L1D_FLUSH"]);

/** PR_{GET,SET}_SPECULATION_CTRL: state bits. */
export const PR_SPEC_STATES = xlat([
  ["PR_SPEC_NOT_AFFECTED", 0],
  ["PR_SPEC_PRCTL", 1],
  ["PR_SPEC_ENABLE", 2],
  ["PR_SPEC_DISABLE", 4],
  ["PR_SPEC_FORCE_DISABLE", 8],
  ["PR_SPEC_DISABLE_NOEXEC", 16],
]);

/** PR_SET_SYSCALL_USER_DISPATCH modes. */
export const PR_SYS_DISPATCH = xlatSeq(["PR_SYS_DISPATCH_OFF", "PR_SYS_DISPATCH_ON"]);

/** Capability numbers (linux/capability.h). */
export const CAPABILITIES = xlatSeq([
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_DAC_READ_SEARCH",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_KILL",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETPCAP",
  "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE",
  "CAP_NET_BROADCAST",
  "CAP_NET_ADMIN",
  "CAP_NET_RAW",
  "CAP_IPC_LOCK",
  "CAP_IPC_OWNER",
  "CAP_SYS_MODULE",
  "CAP_SYS_RAWIO",
  "CAP_SYS_CHROOT",
  "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT",
  "CAP_SYS_ADMIN",
  "CAP_SYS_BOOT",
  "CAP_SYS_NICE",
  "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME",
  "CAP_SYS_TTY_CONFIG",
  "CAP_MKNOD",
  "CAP_LEASE",
  "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL",
  "CAP_SETFCAP",
  "CAP_MAC_OVERRIDE",
  "CAP_MAC_ADMIN",
  "CAP_SYSLOG",
  "CAP_WAKE_ALARM",
  "CAP_BLOCK_SUSPEND",
  "CAP_AUDIT_READ",
  "CAP_PERFMON",
  "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
]);

/** rseq flags. */
export const RSEQ_FLAGS = xlat([["RSEQ_FLAG_UNREGISTER", 1]]);

/** rseq cpu_id special values. */
export const RSEQ_CPU_IDS = xlat([
  ["RSEQ_CPU_ID_UNINITIALIZED", -1],
  ["RSEQ_CPU_ID_REGISTRATION_FAILED", -2],
]);

/** personality(2) domains (the low byte). */
export const PERSONALITY_TYPES = xlat([
  ["PER_LINUX", 0x0000],
  ["PER_SVR4", 0x0001],
  ["PER_SVR3", 0x0002],
  ["PER_SCOSVR3", 0x0003],
  ["PER_OSR5", 0x0003],
  ["PER_WYSEV386", 0x0004],
  ["PER_ISCR4", 0x0005],
  ["PER_BSD", 0x0006],
  ["PER_XENIX", 0x0007],
  ["PER_LINUX32", 0x0008],
  ["PER_IRIX32", 0x0009],
  ["PER_IRIXN32", 0x000a],
  ["PER_IRIX64", 0x000b],
  ["PER_RISCOS", 0x000c],
  ["PER_SOLARIS", 0x000d],
  ["PER_UW7", 0x000e],
  ["PER_OSF4", 0x000f],
  ["PER_HPUX", 0x0010],
]);

/** ptrace requests (linux/ptrace.h; riscv64 has no arch-specific ones besides the generic set). */
export const PTRACE_REQUESTS = xlat([
  ["PTRACE_TRACEME", 0],
  ["PTRACE_PEEKTEXT", 1],
  ["PTRACE_PEEKDATA", 2],
  ["PTRACE_PEEKUSER", 3],
  ["PTRACE_POKETEXT", 4],
  ["PTRACE_POKEDATA", 5],
  ["PTRACE_POKEUSER", 6],
  ["PTRACE_CONT", 7],
  ["PTRACE_KILL", 8],
  ["PTRACE_SINGLESTEP", 9],
  ["PTRACE_ATTACH", 16],
  ["PTRACE_DETACH", 17],
  ["PTRACE_SYSCALL", 24],
  ["PTRACE_SETOPTIONS", 0x4200],
  ["PTRACE_GETEVENTMSG", 0x4201],
  ["PTRACE_GETSIGINFO", 0x4202],
  ["PTRACE_SETSIGINFO", 0x4203],
  ["PTRACE_GETREGSET", 0x4204],
  ["PTRACE_SETREGSET", 0x4205],
  ["PTRACE_SEIZE", 0x4206],
  ["PTRACE_INTERRUPT", 0x4207],
  ["PTRACE_LISTEN", 0x4208],
  ["PTRACE_PEEKSIGINFO", 0x4209],
  ["PTRACE_GETSIGMASK", 0x420a],
  ["PTRACE_SETSIGMASK", 0x420b],
  ["PTRACE_SECCOMP_GET_FILTER", 0x420c],
  ["PTRACE_SECCOMP_GET_METADATA", 0x420d],
  ["PTRACE_GET_SYSCALL_INFO", 0x420e],
  ["PTRACE_GET_RSEQ_CONFIGURATION", 0x420f],
  ["PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG", 0x4210],
  ["PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG", 0x4211],
]);

/** kcmp types. */
export const KCMP_TYPES = xlatSeq([
  "KCMP_FILE",
  "KCMP_VM",
  "KCMP_FILES",
  "KCMP_FS",
  "KCMP_SIGHAND",
  "KCMP_IO",
  "KCMP_SYSVSEM",
  "KCMP_EPOLL_TFD",
]);

/** pidfd_open flags. */
export const PIDFD_OPEN_FLAGS = xlat([
  ["PIDFD_NONBLOCK", 0x800],
  ["PIDFD_THREAD", 0x80],
]);

/** reboot(2) commands. */
export const REBOOT_CMDS = xlat([
  ["LINUX_REBOOT_CMD_RESTART", 0x01234567],
  ["LINUX_REBOOT_CMD_HALT", 0xcdef0123],
  ["LINUX_REBOOT_CMD_CAD_ON", 0x89abcdef],
  ["LINUX_REBOOT_CMD_CAD_OFF", 0x00000000],
  ["LINUX_REBOOT_CMD_POWER_OFF", 0x4321fedc],
  ["LINUX_REBOOT_CMD_RESTART2", 0xa1b2c3d4],
  ["LINUX_REBOOT_CMD_SW_SUSPEND", 0xd000fce2],
  ["LINUX_REBOOT_CMD_KEXEC", 0x45584543],
]);

/** personality(2) flag bits (above the domain byte). */
export const PERSONALITY_FLAGS = xlat([
  ["UNAME26", 0x0020000],
  ["ADDR_NO_RANDOMIZE", 0x0040000],
  ["FDPIC_FUNCPTRS", 0x0080000],
  ["MMAP_PAGE_ZERO", 0x0100000],
  ["ADDR_COMPAT_LAYOUT", 0x0200000],
  ["READ_IMPLIES_EXEC", 0x0400000],
  ["ADDR_LIMIT_32BIT", 0x0800000],
  ["SHORT_INODE", 0x1000000],
  ["WHOLE_SECONDS", 0x2000000],
  ["STICKY_TIMEOUTS", 0x4000000],
  ["ADDR_LIMIT_3GB", 0x8000000],
]);

/** ptrace event numbers in a wait status (status >> 16). */
export const PTRACE_EVENTS = xlatSeq([
  "",
  "PTRACE_EVENT_FORK",
  "PTRACE_EVENT_VFORK",
  "PTRACE_EVENT_CLONE",
  "PTRACE_EVENT_EXEC",
  "PTRACE_EVENT_VFORK_DONE",
  "PTRACE_EVENT_EXIT",
  "PTRACE_EVENT_SECCOMP",
]);

/** The prctl option numbers whose arguments the decoder prints specially (linux/prctl.h). */
export const PR = {
  SET_PDEATHSIG: 1, GET_PDEATHSIG: 2, GET_DUMPABLE: 3, SET_DUMPABLE: 4, GET_UNALIGN: 5, GET_KEEPCAPS: 7,
  SET_KEEPCAPS: 8, GET_FPEMU: 9, GET_FPEXC: 11, GET_TIMING: 13, SET_NAME: 15, GET_NAME: 16,
  GET_ENDIAN: 19, GET_SECCOMP: 21, SET_SECCOMP: 22, CAPBSET_READ: 23, CAPBSET_DROP: 24, GET_TSC: 25,
  GET_SECUREBITS: 27, SET_TIMERSLACK: 29, GET_TIMERSLACK: 30, SET_CHILD_SUBREAPER: 36,
  GET_CHILD_SUBREAPER: 37, SET_NO_NEW_PRIVS: 38, GET_NO_NEW_PRIVS: 39, GET_TID_ADDRESS: 40,
  SET_THP_DISABLE: 41, GET_THP_DISABLE: 42, CAP_AMBIENT: 47, GET_SPECULATION_CTRL: 52,
  SET_SPECULATION_CTRL: 53, SET_IO_FLUSHER: 57, GET_IO_FLUSHER: 58, SET_SYSCALL_USER_DISPATCH: 59,
  SET_VMA: 0x53564d41, SET_PTRACER: 0x59616d61,
} as const;
