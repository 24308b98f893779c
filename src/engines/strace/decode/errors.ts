// Error returns as strace prints them (strace src/syscall.c): `-1 ENOENT (No such file or directory)`
// with glibc's strerror text, and `? ERESTARTSYS (To be restarted if SA_RESTART is set)` for the
// kernel-internal restart codes a tracer can see when a signal interrupts a call.
import { ERRNO_TABLE } from "../../../abi/gen/errno.js";
import { strerror } from "../../../abi/errno-messages.js";
import { KERNEL_ERRNOS, RESTART_MESSAGES } from "../../../abi/xlat/errno.js";

const names = new Map<number, string>();
for (const [name, n] of ERRNO_TABLE) if (!names.has(n)) names.set(n, name);
for (const [name, n] of KERNEL_ERRNOS.entries) names.set(Number(n), name);

/** The name of an errno value (the first one where aliases share it: EAGAIN, not EWOULDBLOCK). */
export function errnoName(errno: number): string | undefined {
  return names.get(errno);
}

/** The largest errno a syscall return value can carry (MAX_ERRNO). */
export const MAX_ERRNO = 4095;

/** The text after `= ` for a call that failed with `errno`. */
export function errorText(errno: number): string {
  const restart = RESTART_MESSAGES[errno];
  const name = errnoName(errno);
  if (restart !== undefined) return `? ${name ?? errno} (${restart})`;
  return `-1 ${name ?? String(errno)} (${strerror(errno)})`;
}

/** True for the restart codes, which strace shows as `= ?` rather than `= -1`. */
export function isRestart(errno: number): boolean {
  return RESTART_MESSAGES[errno] !== undefined;
}
