// The constant names in rvtrace's tables that Debian bookworm's riscv64 headers cannot vouch for,
// each group with the reason. test/abi/xlat-headers.test.ts requires every other name to be in the
// header snapshot with the table's value, requires these to be absent from it (so a header update
// that brings one in makes the test say "remove it from the list"), and requires each to still be
// used by some table (so the list cannot outlive the constant).
//
// The values of these names were checked once by other means, as each group says; nothing in CI
// checks them again.

/** Names the headers lack, grouped by why. */
export const ABSENT_FROM_HEADERS: readonly { readonly reason: string; readonly names: readonly string[] }[] = [
  {
    reason:
      "added to the uapi headers after Linux 6.1 (bookworm's linux-libc-dev-riscv64-cross is 6.1.4). " +
      "All equal the values in Debian sid's linux-libc-dev 7.2.13, read with " +
      "`node tools/xlat-values.mjs --uapi-root DIR` (docs/testing.md)",
    names: [
      // linux/futex.h (futex2)
      "FUTEX2_NUMA", "FUTEX2_PRIVATE", "FUTEX2_SIZE_U8", "FUTEX2_SIZE_U16", "FUTEX2_SIZE_U32", "FUTEX2_SIZE_U64",
      // linux/membarrier.h, linux/memfd.h, linux/mempolicy.h, linux/pidfd.h, linux/ptrace.h, linux/sched.h
      "MEMBARRIER_CMD_GET_REGISTRATIONS", "MFD_EXEC", "MFD_NOEXEC_SEAL", "MPOL_WEIGHTED_INTERLEAVE", "PIDFD_THREAD",
      "PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG", "PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG", "SCHED_EXT",
      // asm-generic/siginfo.h, linux/stat.h
      "SEGV_CPERR", "STATX_ATTR_WRITE_ATOMIC", "STATX_MNT_ID_UNIQUE", "STATX_SUBVOL", "STATX_WRITE_ATOMIC",
      // asm/hwprobe.h (the riscv_hwprobe syscall itself is newer than 6.1)
      "RISCV_HWPROBE_KEY_MVENDORID", "RISCV_HWPROBE_KEY_MARCHID", "RISCV_HWPROBE_KEY_MIMPID",
      "RISCV_HWPROBE_KEY_BASE_BEHAVIOR", "RISCV_HWPROBE_KEY_IMA_EXT_0", "RISCV_HWPROBE_KEY_CPUPERF_0",
      "RISCV_HWPROBE_KEY_ZICBOZ_BLOCK_SIZE", "RISCV_HWPROBE_KEY_HIGHEST_VIRT_ADDRESS", "RISCV_HWPROBE_KEY_TIME_CSR_FREQ",
      "RISCV_HWPROBE_KEY_MISALIGNED_SCALAR_PERF", "RISCV_HWPROBE_KEY_MISALIGNED_VECTOR_PERF",
      "RISCV_HWPROBE_KEY_VENDOR_EXT_THEAD_0", "RISCV_HWPROBE_KEY_ZICBOM_BLOCK_SIZE", "RISCV_HWPROBE_KEY_VENDOR_EXT_SIFIVE_0",
      "RISCV_HWPROBE_BASE_BEHAVIOR_IMA", "RISCV_HWPROBE_IMA_FD", "RISCV_HWPROBE_IMA_C", "RISCV_HWPROBE_IMA_V",
      "RISCV_HWPROBE_EXT_ZBA", "RISCV_HWPROBE_EXT_ZBB", "RISCV_HWPROBE_EXT_ZBS", "RISCV_HWPROBE_EXT_ZICBOZ",
      "RISCV_HWPROBE_EXT_ZBC", "RISCV_HWPROBE_EXT_ZBKB", "RISCV_HWPROBE_EXT_ZBKC", "RISCV_HWPROBE_EXT_ZBKX",
      "RISCV_HWPROBE_EXT_ZKND", "RISCV_HWPROBE_EXT_ZKNE", "RISCV_HWPROBE_EXT_ZKNH", "RISCV_HWPROBE_EXT_ZKSED",
      "RISCV_HWPROBE_EXT_ZKSH", "RISCV_HWPROBE_EXT_ZKT", "RISCV_HWPROBE_EXT_ZVBB", "RISCV_HWPROBE_EXT_ZVBC",
      "RISCV_HWPROBE_EXT_ZVKB", "RISCV_HWPROBE_EXT_ZVKG", "RISCV_HWPROBE_EXT_ZVKNED", "RISCV_HWPROBE_EXT_ZVKNHA",
      "RISCV_HWPROBE_EXT_ZVKNHB", "RISCV_HWPROBE_EXT_ZVKSED", "RISCV_HWPROBE_EXT_ZVKSH", "RISCV_HWPROBE_EXT_ZVKT",
      "RISCV_HWPROBE_EXT_ZFH", "RISCV_HWPROBE_EXT_ZFHMIN", "RISCV_HWPROBE_EXT_ZIHINTNTL", "RISCV_HWPROBE_EXT_ZVFH",
      "RISCV_HWPROBE_EXT_ZVFHMIN", "RISCV_HWPROBE_EXT_ZFA", "RISCV_HWPROBE_EXT_ZTSO", "RISCV_HWPROBE_EXT_ZACAS",
      "RISCV_HWPROBE_EXT_ZICOND", "RISCV_HWPROBE_EXT_ZIHINTPAUSE", "RISCV_HWPROBE_EXT_ZVE32X", "RISCV_HWPROBE_EXT_ZVE32F",
      "RISCV_HWPROBE_EXT_ZVE64X", "RISCV_HWPROBE_EXT_ZVE64F", "RISCV_HWPROBE_EXT_ZVE64D", "RISCV_HWPROBE_EXT_ZIMOP",
      "RISCV_HWPROBE_EXT_ZCA", "RISCV_HWPROBE_EXT_ZCB", "RISCV_HWPROBE_EXT_ZCD", "RISCV_HWPROBE_EXT_ZCF",
      "RISCV_HWPROBE_EXT_ZCMOP", "RISCV_HWPROBE_EXT_ZAWRS", "RISCV_HWPROBE_EXT_SUPM", "RISCV_HWPROBE_EXT_ZICNTR",
      "RISCV_HWPROBE_EXT_ZIHPM", "RISCV_HWPROBE_EXT_ZFBFMIN", "RISCV_HWPROBE_EXT_ZVFBFMIN", "RISCV_HWPROBE_EXT_ZVFBFWMA",
      "RISCV_HWPROBE_EXT_ZICBOM", "RISCV_HWPROBE_EXT_ZAAMO", "RISCV_HWPROBE_EXT_ZALRSC", "RISCV_HWPROBE_EXT_ZABHA",
      "RISCV_HWPROBE_MISALIGNED_UNKNOWN", "RISCV_HWPROBE_MISALIGNED_EMULATED", "RISCV_HWPROBE_MISALIGNED_SLOW",
      "RISCV_HWPROBE_MISALIGNED_FAST", "RISCV_HWPROBE_MISALIGNED_UNSUPPORTED",
      "RISCV_HWPROBE_MISALIGNED_SCALAR_UNKNOWN", "RISCV_HWPROBE_MISALIGNED_SCALAR_EMULATED",
      "RISCV_HWPROBE_MISALIGNED_SCALAR_SLOW", "RISCV_HWPROBE_MISALIGNED_SCALAR_FAST",
      "RISCV_HWPROBE_MISALIGNED_SCALAR_UNSUPPORTED", "RISCV_HWPROBE_MISALIGNED_VECTOR_UNKNOWN",
      "RISCV_HWPROBE_MISALIGNED_VECTOR_SLOW", "RISCV_HWPROBE_MISALIGNED_VECTOR_FAST",
      "RISCV_HWPROBE_MISALIGNED_VECTOR_UNSUPPORTED", "RISCV_HWPROBE_WHICH_CPUS",
    ],
  },
  {
    reason:
      "kernel-internal errno codes of include/linux/errno.h (512 and up), never exported to userspace; " +
      "a tracer sees them in syscall results. Checked by hand against that file",
    names: [
      "ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD", "ERESTART_RESTARTBLOCK", "EPROBE_DEFER",
      "EOPENSTALE", "ENOPARAM", "EBADHANDLE", "ENOTSYNC", "EBADCOOKIE", "ENOTSUPP", "ETOOSMALL", "ESERVERFAULT",
      "EBADTYPE", "EJUKEBOX", "EIOCBQUEUED", "ERECALLCONFLICT", "ENOGRACE",
    ],
  },
  {
    reason:
      "defined only in the kernel's own headers, not exported (include/linux/socket.h: MSG_*, SOL_*; " +
      "include/linux/statfs.h: ST_*; include/linux/sched/coredump.h: SUID_DUMP_*; include/linux/syslog.h: " +
      "SYSLOG_ACTION_*; arch/riscv/include/asm/cacheflush.h: SYS_RISCV_FLUSH_ICACHE_LOCAL), nor by glibc 2.36. " +
      "Checked by hand against those files",
    names: [
      "MSG_PROBE", "MSG_SENDPAGE_NOTLAST", "MSG_NO_SHARED_FRAGS", "MSG_CMSG_COMPAT", "SOL_SCTP", "SOL_UDPLITE",
      "ST_VALID", "ST_NOSYMFOLLOW", "SUID_DUMP_DISABLE", "SUID_DUMP_USER", "SUID_DUMP_ROOT",
      "SYSLOG_ACTION_CLOSE", "SYSLOG_ACTION_OPEN", "SYSLOG_ACTION_READ", "SYSLOG_ACTION_READ_ALL",
      "SYSLOG_ACTION_READ_CLEAR", "SYSLOG_ACTION_CLEAR", "SYSLOG_ACTION_CONSOLE_OFF", "SYSLOG_ACTION_CONSOLE_ON",
      "SYSLOG_ACTION_CONSOLE_LEVEL", "SYSLOG_ACTION_SIZE_UNREAD", "SYSLOG_ACTION_SIZE_BUFFER",
      "SYS_RISCV_FLUSH_ICACHE_LOCAL",
    ],
  },
  {
    reason:
      "not defined for riscv64 at all, only for other architectures: strace names them everywhere and rvtrace " +
      "keeps them. Their values were checked in Debian sid's linux-libc-dev 7.2.13 for those architectures " +
      "(PKEY_DISABLE_EXECUTE 0x4 in aarch64's and powerpc's asm/mman.h, SA_RESTORER 0x04000000 in " +
      "aarch64's, arm's and i386's asm/signal.h)",
    names: ["PKEY_DISABLE_EXECUTE", "SA_RESTORER"],
  },
];

/**
 * Names the headers define with another value on purpose, by table label. Each is compared with
 * nothing; the reason says what the table's value is instead.
 */
export const DIFFERENT_ON_PURPOSE: Readonly<Record<string, string>> = {
  FUTEX_CMD_MASK:
    "misc.ts FUTEX.CMD_MASK is strace's 127 (src/futex.c: `cmd = op & 127`), which picks the command out of " +
    "the op for printing; the kernel's FUTEX_CMD_MASK is ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME)",
};
