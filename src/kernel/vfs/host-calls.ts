// A count of the host file-system calls made for guests (lstat of each path component, opens,
// readdir, readlink), which --max-insns charges to the syscall that made them (kernel/host-work.ts).
// One counter for the Node process: the kernel reads it before and after each syscall.
export const hostFsCalls = { count: 0 };
