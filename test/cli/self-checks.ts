// The strace-style self-checking guests (guests/src/st-*.c): each prints the lines a trace of the
// syscalls it names must end with. trace.test.ts holds rvtrace to them; trace-self-checks-live.test.ts
// holds the expectations of some to the host's strace.

/** A guest, the syscalls it checks, and its exit status. */
export const SELF_CHECKS: [name: string, trace: string, status: number, extra: string[]][] = [
  ["st-file", "openat,close,faccessat,mkdirat,newfstatat,symlinkat,readlinkat,truncate,fchmodat,chdir,getcwd,unlinkat", 0, ["-a0"]],
  ["st-desc", "write,read,lseek,pread64,pwrite64,dup,dup3,fcntl,close,pipe2,readv,ftruncate,fsync", 0, ["-a0"]],
  ["st-mem", "mmap,mprotect,madvise,mremap,munmap,brk", 0, ["-a0"]],
  [
    "st-net",
    "socketpair,sendmsg,recvmsg,getsockopt,setsockopt,getsockname,getpeername,shutdown,sendto,recvfrom,socket,connect,getxattr,listxattr,removexattr",
    0, ["-a0"],
  ],
  [
    "st-proc",
    "getpid,getppid,gettid,getuid,geteuid,getgid,getegid,umask,uname,prlimit64,sched_yield,kill,tgkill,rt_sigprocmask,rt_sigaction,exit_group",
    7, ["-a0"],
  ],
  [
    "st-events",
    "epoll_create1,epoll_ctl,epoll_pwait,epoll_pwait2,eventfd2,timerfd_create,timerfd_settime,timerfd_gettime,signalfd4,read",
    0, ["-a0"],
  ],
  ["st-segv", "none", 139, ["-a0"]],
  ["st-align", "getppid,close,write", 0, []],
];
