// What the host does for a guest inside syscalls, in instruction-equivalents charged against
// --max-insns (Kernel.charge), so that a guest cannot spend unbounded host time in a few cheap
// instructions: a descriptor allocated, a directory listed, bytes moved by read/write and copies,
// a program loaded by execve, an address space copied by fork.
//
// One unit is about the host time of one guest instruction (2–5 ns on the compiled tier here: 200 to
// 420 M instructions/s on tools/bench's guests). The prices below were measured on this machine and
// rounded up (README "Limits" lists them and how): they bound the host time a budget allows, they
// are not a model of it. Work that depends on the size of what is handled is priced by size.
export const HOST_WORK_PRICES = {
  /** Allocating a descriptor (open, dup, pipe, socket, …), beside the syscall itself. */
  fdAllocation: 64,
  /** Bytes moved per unit by read/write and their vector, positional and copying forms. */
  bytesPerUnit: 16,
  /** One entry of a directory listing (the host lists the directory and lstat()s each entry). */
  dirEntry: 512,
  /** Bytes of a program file per unit at execve (read, parsed, copied into the new image). */
  programBytesPerUnit: 16,
  /** Bytes of mapped memory per unit that fork scans for data (a native compare against zeros). */
  scannedBytesPerUnit: 1024,
  /** Bytes per unit that fork copies (the chunks that hold data). */
  copiedBytesPerUnit: 16,
} as const;

const P = HOST_WORK_PRICES;

/** The price of each kind of work, in units (fractions add up). */
export const hostWork = {
  bytes: (n: number): number => (n > 0 ? n / P.bytesPerUnit : 0),
  dirEntries: (n: number): number => n * P.dirEntry,
  program: (bytes: number): number => bytes / P.programBytesPerUnit,
  fork: (scanned: number, copied: number): number => scanned / P.scannedBytesPerUnit + copied / P.copiedBytesPerUnit,
};
