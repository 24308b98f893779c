// The system the guest is told it runs on (uname, /proc/sys/kernel, /etc/hostname): a fixed,
// plausible riscv64 Linux, never the host's details.
export const UTSNAME = {
  sysname: "Linux",
  nodename: "rvtrace",
  release: "6.1.0",
  version: "#1 SMP rvtrace",
  machine: "riscv64",
  domainname: "(none)",
} as const;
