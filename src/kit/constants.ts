// Names and numbers an engine author needs, both ways: errno values (E.EACCES), signals
// (SIG.SIGUSR1) and riscv64 syscall numbers (SYS.openat). They come from the same generated
// tables the kernel uses (src/abi/gen, from Linux's asm-generic headers), so they cannot disagree.
import { E as ERRNO, ERRNO_TABLE } from "../abi/gen/errno.js";
import { SYSCALL_NUMBERS } from "../abi/gen/syscall-numbers.js";
import { SIGNALS, NSIG, signalName as abiSignalName } from "../abi/signals.js";

/** errno numbers by name: `E.EACCES` is 13. Return `-E.EACCES` as a failed syscall's result. */
export const E = ERRNO;
export type ErrnoName = keyof typeof E;

/** riscv64 syscall numbers by name: `SYS.openat` is 56. Compare with `regs.syscallNumber` as `BigInt(SYS.openat)`. */
export const SYS = SYSCALL_NUMBERS;

type SignalRow = (typeof SIGNALS)[number];
/** Signal numbers by name: `SIG.SIGUSR1` is 10; `SIGRTMIN` is 32 and `SIGRTMAX` 64 (the kernel's, not glibc's 34). */
export const SIG = Object.freeze({
  ...(Object.fromEntries(SIGNALS.map(([n, name]) => [name, n])) as { readonly [K in SignalRow[1]]: Extract<SignalRow, readonly [number, K, string]>[0] }),
  SIGIOT: 6,
  SIGPOLL: 29,
  SIGRTMIN: 32,
  SIGRTMAX: NSIG,
} as const);

const errnoByNumber = new Map<number, string>();
for (const [name, n] of ERRNO_TABLE) if (!errnoByNumber.has(n)) errnoByNumber.set(n, name);

/** The name of an errno value (13 → "EACCES"; negative results work too); undefined if unknown. Aliases give the first name (11 → "EAGAIN"). */
export function errnoName(errno: number | bigint): string | undefined {
  const n = Math.abs(Number(errno));
  return errnoByNumber.get(n);
}

/** The number of an errno name ("EACCES" → 13); undefined if unknown. */
export function errnoNumber(name: string): number | undefined {
  return (E as Record<string, number>)[name];
}

/** The signal's name (10 → "SIGUSR1", 40 → "SIGRT8"). */
export function signalName(signo: number): string {
  return abiSignalName(signo);
}

/** The number of a signal name, with or without "SIG" ("SIGUSR1", "USR1" → 10; "SIGRT8" → 40); undefined if unknown. */
export function signalNumber(name: string): number | undefined {
  const full = name.startsWith("SIG") ? name : `SIG${name}`;
  const known = (SIG as Record<string, number>)[full];
  if (known !== undefined) return known;
  const rt = /^SIGRT(\d+)$/.exec(full);
  if (rt && Number(rt[1]) <= NSIG - 32) return 32 + Number(rt[1]);
  return undefined;
}
