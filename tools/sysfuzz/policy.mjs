// What the syscall fuzzer (tools/sysfuzz.mjs, guest guests/src/sysfuzz.c) never calls, and what it
// calls only after adjusting an argument, each with the reason. The fuzzer's guest must survive every
// call it makes, as it would on Linux: a call that would end it, block it for ever, or destroy its own
// memory, descriptors or output is not a finding about rvtrace, so it is left out or steered. All
// other calls, with any argument, must leave rvtrace standing and the guest running.
//
// tools/sysfuzz/table.mjs turns these tables into guests/src/sysfuzz-table.h.

/** Syscalls never called, by name, with the reason. */
export const SKIPPED = {
  exit: "ends the fuzzer",
  exit_group: "ends the fuzzer",
  execve: "replaces the fuzzer with another program (a path naming one would run it)",
  execveat: "replaces the fuzzer with another program (a path naming one would run it)",
  clone: "a child would run the fuzzer's loop on its memory or a copy of it; CLONE_VM without a new stack corrupts the parent",
  clone3: "a child would run the fuzzer's loop on its memory or a copy of it; CLONE_VM without a new stack corrupts the parent",
  kill: "every pid the guest can name is itself or its group, and SIGKILL and SIGSTOP cannot be ignored",
  tkill: "every tid the guest can name is itself, and SIGKILL and SIGSTOP cannot be ignored",
  tgkill: "every tid the guest can name is itself, and SIGKILL and SIGSTOP cannot be ignored",
  rt_sigqueueinfo: "every pid the guest can name is itself, and SIGKILL and SIGSTOP cannot be ignored",
  rt_tgsigqueueinfo: "every tid the guest can name is itself, and SIGKILL and SIGSTOP cannot be ignored",
  pidfd_send_signal: "a pidfd can only name the guest itself, and SIGKILL and SIGSTOP cannot be ignored",
  rt_sigreturn: "restores the registers from whatever the stack holds",
  rt_sigsuspend: "waits for a signal, and every signal is ignored",
  nanosleep: "sleeps as long as its argument says",
  clock_nanosleep: "sleeps as long as its argument says",
  futex_waitv: "waits on futex words (for ever without a timeout)",
  io_getevents: "waits for asynchronous I/O to complete (for ever without a timeout)",
  io_pgetevents: "waits for asynchronous I/O to complete (for ever without a timeout)",
  io_uring_setup: "io_uring runs reads and writes that the guards below never see",
  io_uring_enter: "io_uring runs reads and writes that the guards below never see, and waits for them",
  io_uring_register: "io_uring runs reads and writes that the guards below never see",
  semop: "waits on a semaphore",
  semtimedop: "waits on a semaphore",
  mq_timedsend: "waits on a full message queue (for ever without a timeout)",
  mq_timedreceive: "waits on an empty message queue (for ever without a timeout)",
  userfaultfd: "a registered range makes the next access to it wait for a handler that never comes",
  process_vm_writev: "writes the fuzzer's own memory at addresses no guard checks",
  seccomp: "a filter can kill the fuzzer at its next call or make every later call fail",
  shmat: "SHM_REMAP replaces pages at an address no guard checks",
  remap_file_pages: "remaps a whole mapping found at an address no guard checks",
  openat2: "its flags are inside a structure, where O_NONBLOCK cannot be forced (opening a FIFO waits for a writer)",
  reboot: "ends every process (on a real kernel, the machine)",
  kexec_load: "replaces the running kernel",
  kexec_file_load: "replaces the running kernel",
};

/**
 * Syscalls called only after an argument is adjusted (or the call dropped), keyed by name: the guard
 * the guest applies (its number in the header) and why. Applied in sysfuzz.c's guard().
 */
export const GUARDED = {
  mmap: ["G_MMAP", "MAP_FIXED into the fuzzer's own code, data, stack or argument area would replace it: dropped, as Linux would honour it"],
  munmap: ["G_RANGE", "a range Linux would accept that covers the fuzzer's own memory would unmap it: dropped"],
  mprotect: ["G_RANGE", "as munmap: the fuzzer's own memory made unreadable or read-only would end it"],
  pkey_mprotect: ["G_RANGE", "as mprotect"],
  madvise: ["G_RANGE", "MADV_DONTNEED and friends on the fuzzer's own memory would zero it"],
  mremap: ["G_MREMAP", "moving the fuzzer's own memory away, or MREMAP_FIXED onto it, would end it"],
  brk: ["G_BRK", "shrinking the break below where it was at start frees the thread's TLS (errno lives there)"],
  futex: ["G_FUTEX", "the waiting operations (WAIT, WAIT_BITSET, LOCK_PI, LOCK_PI2, WAIT_REQUEUE_PI) may wait for ever: dropped"],
  ppoll: ["G_TIMEOUT_PTR 2", "a NULL or long timeout waits for ever on descriptors that never become ready: set to a zero timeout"],
  pselect6: ["G_TIMEOUT_PTR 4", "as ppoll"],
  rt_sigtimedwait: ["G_TIMEOUT_PTR 2", "waits for a signal that never comes: set to a zero timeout"],
  epoll_pwait2: ["G_TIMEOUT_PTR 3", "as ppoll"],
  epoll_pwait: ["G_TIMEOUT_INT 3", "a negative or long timeout waits for ever: set to 0"],
  pipe2: ["G_NONBLOCK 1 04000", "a read from an empty pipe (or a write to a full one) would wait for ever: O_NONBLOCK forced"],
  openat: ["G_NONBLOCK 2 04000", "opening a FIFO waits for the other end: O_NONBLOCK forced"],
  open_by_handle_at: ["G_NONBLOCK 2 04000", "as openat"],
  eventfd2: ["G_NONBLOCK 1 04000", "a read of a zero counter waits: EFD_NONBLOCK forced"],
  signalfd4: ["G_NONBLOCK 3 04000", "a read waits for a signal: SFD_NONBLOCK forced"],
  timerfd_create: ["G_NONBLOCK 1 04000", "a read waits for the timer: TFD_NONBLOCK forced"],
  inotify_init1: ["G_NONBLOCK 0 04000", "a read waits for an event: IN_NONBLOCK forced"],
  socket: ["G_NONBLOCK 1 04000", "accept and recv wait: SOCK_NONBLOCK forced"],
  socketpair: ["G_NONBLOCK 1 04000", "recv waits: SOCK_NONBLOCK forced"],
  accept4: ["G_NONBLOCK 3 04000", "the accepted socket's reads would wait: SOCK_NONBLOCK forced"],
  msgrcv: ["G_NONBLOCK 4 04000", "waits for a message: IPC_NOWAIT forced"],
  msgsnd: ["G_NONBLOCK 3 04000", "waits for room: IPC_NOWAIT forced"],
  flock: ["G_NONBLOCK 1 4", "a second open file description of the same file waits for the fuzzer's own lock: LOCK_NB forced"],
  fcntl: ["G_FCNTL", "F_SETFL keeps O_NONBLOCK (a descriptor made blocking would wait); F_OFD_SETLKW becomes F_OFD_SETLK (an OFD lock waits for the fuzzer's own)"],
  ioctl: ["G_IOCTL", "FIONBIO could make a descriptor blocking: dropped"],
  mknodat: ["G_MKNOD", "a FIFO would make the next open of it wait: the file type becomes a regular file"],
  rt_sigaction: ["G_SIGACTION", "a new action could install a handler at any address or restore a default that ends the fuzzer: the new action is NULL (the old one is still read back)"],
  setrlimit: ["G_RLIMIT 0", "RLIMIT_CPU and RLIMIT_RTTIME end the fuzzer with SIGKILL at the hard limit: dropped"],
  prlimit64: ["G_RLIMIT 1", "as setrlimit"],
  close_range: ["G_CLOSE_RANGE", "closing descriptor 1 would end the fuzzer's output: dropped when the range holds 1"],
  prctl: ["G_PRCTL", "PR_SET_SECCOMP and PR_SET_SYSCALL_USER_DISPATCH can kill the fuzzer or divert every call; PR_SET_MM rewrites its memory layout: dropped"],
};

/** Guards that apply to every call, whatever its number. */
export const EVERY_CALL = [
  "descriptor arguments are never 1 (the fuzzer's output): a value whose low 32 bits are 1 becomes 2",
  "an integer argument that falls inside the fuzzer's own code, data, heap or stack becomes a pointer into the argument area (a call could write through it)",
  "pointer arguments point into the argument area (followed by an unmapped page), into the memory arena the memory calls work on, or at addresses that are never mapped",
];
