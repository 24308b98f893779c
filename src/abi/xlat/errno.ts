// Errno values a tracer can see beyond asm-generic/errno.h: the kernel-internal codes of
// linux/errno.h (512 and up), with the texts strace prints for the restart codes instead of
// strerror's "Unknown error 512" (strace src/syscall.c).
import { xlat } from "./types.js";

/** Kernel-internal errno names (linux/errno.h). */
export const KERNEL_ERRNOS = xlat([
  ["ERESTARTSYS", 512],
  ["ERESTARTNOINTR", 513],
  ["ERESTARTNOHAND", 514],
  ["ENOIOCTLCMD", 515],
  ["ERESTART_RESTARTBLOCK", 516],
  ["EPROBE_DEFER", 517],
  ["EOPENSTALE", 518],
  ["ENOPARAM", 519],
  ["EBADHANDLE", 521],
  ["ENOTSYNC", 522],
  ["EBADCOOKIE", 523],
  ["ENOTSUPP", 524],
  ["ETOOSMALL", 525],
  ["ESERVERFAULT", 526],
  ["EBADTYPE", 527],
  ["EJUKEBOX", 528],
  ["EIOCBQUEUED", 529],
  ["ERECALLCONFLICT", 530],
  ["ENOGRACE", 531],
]);

/** The restart codes and what strace prints for them: `= ? ERESTARTSYS (To be restarted if SA_RESTART is set)`. */
export const RESTART_MESSAGES: Readonly<Record<number, string>> = {
  512: "To be restarted if SA_RESTART is set",
  513: "To be restarted",
  514: "To be restarted if no handler",
  516: "Interrupted by signal",
};
