// The one error type the ELF loader throws for a file it cannot run (or arguments it cannot pass).

/**
 * The errno Linux's execve would report for the problem: ENOEXEC for a file that is not a
 * runnable riscv64 ELF, EINVAL for segments the kernel would refuse to map, E2BIG for an argument
 * list that does not fit, ELIBBAD for a program interpreter that is not a loadable ELF file,
 * ENOMEM when no room is left to map an interpreter.
 */
export type ElfErrorCode = "ENOEXEC" | "EINVAL" | "E2BIG" | "ELIBBAD" | "ENOMEM";

/** A file (or argument list) the loader rejects; `message` is a short lower-case description. */
export class ElfError extends Error {
  override readonly name = "ElfError";

  constructor(
    message: string,
    readonly code: ElfErrorCode = "ENOEXEC",
  ) {
    super(message);
  }
}

/** "0x" + lower-case hex, for messages. */
export function hex(v: number | bigint): string {
  return `0x${v.toString(16)}`;
}
