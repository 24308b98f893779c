// What the host does for a guest inside syscalls, in instruction-equivalents charged against
// --max-insns (Kernel.charge), so that a guest cannot make the host work unboundedly with a few cheap
// instructions: every syscall's own path, host file-system calls (a path resolved component by
// component, a file opened, a directory listed), descriptors allocated, bytes moved by read/write
// and copies, a program loaded by execve, an address space copied by fork, loops over pages and
// mappings (an mprotect of 4 GiB, 100,000 mappings; mem/address-space.ts prices them), and, under a
// memory limit, the host's page fault at each page's first write.
//
// One unit is about the host time of one guest instruction: 3 ns (the compiled tier runs 200–420 M
// instructions/s on tools/bench's guests here). The prices were measured on this machine (README
// "Limits" says how) and are rounded: they bound the host time a budget allows, they are not a model
// of it. Work that depends on the size of what is handled is priced by size.
import type { Kernel } from "./kernel.js";
import type { SyscallRow } from "./syscalls/types.js";
import { hostFsCalls } from "./vfs/host-calls.js";
import { addressSpaceWork } from "../mem/address-space.js";

export const HOST_WORK_PRICES = {
  /** Every syscall: entry, dispatch, exit and return to user mode (0.25–0.5 µs measured with getppid). */
  syscall: 96,
  /** One host file-system call with the work around it: an lstat of a path component, an open, a readdir (5 µs). */
  hostFsCall: 1600,
  /**
   * Allocating a descriptor (open, dup, pipe, …): the table's O(log n) search (free-slots.ts), the
   * open file object, and for an open the path walk in rvtrace beside its host calls (an open and
   * close of /dev/null, which makes no host call, measured 3.7 µs).
   */
  fdAllocation: 512,
  /** Bytes moved per unit by read/write and their vector, positional and copying forms (0.4 ns a byte). */
  bytesPerUnit: 8,
  /** One entry of a directory listing, beside its lstat: merging, sorting and encoding it. */
  dirEntry: 256,
  /** Bytes of a program file per unit at execve (read, parsed, copied into the new image). */
  programBytesPerUnit: 8,
  /** Bytes of mapped memory per unit that fork scans for data and exit zeroes (about 0.1 ns a byte). */
  scannedBytesPerUnit: 32,
  /** Bytes per unit that fork copies (the chunks that hold data: 0.4–0.8 ns a byte). */
  copiedBytesPerUnit: 8,
} as const;

const P = HOST_WORK_PRICES;

/** The price of each kind of work, in units (fractions add up). */
export const hostWork = {
  bytes: (n: number): number => (n > 0 ? n / P.bytesPerUnit : 0),
  dirEntries: (n: number): number => n * P.dirEntry,
  program: (bytes: number): number => bytes / P.programBytesPerUnit,
  fork: (scanned: number, copied: number): number => scanned / P.scannedBytesPerUnit + copied / P.copiedBytesPerUnit,
};

/**
 * The work address-space operations did since the last call (loops over pages and mappings, zeroing,
 * first writes under a memory limit; mem/address-space.ts prices it), taken off its counter.
 */
export function takeAddressSpaceWork(): number {
  const units = addressSpaceWork.units;
  addressSpaceWork.units = 0;
  return units;
}

/** Host file-system calls made so far (read before a syscall runs, for chargeSyscall). */
export function hostFsCallCount(): number {
  return hostFsCalls.count;
}

/**
 * Charges what a syscall cost beyond its guest instructions, once its handler has run: its own path,
 * the host file-system calls it made since `fsCallsBefore`, and, for rows that move bytes, the bytes
 * its result counts.
 */
export function chargeSyscall(k: Kernel, row: SyscallRow | undefined, result: unknown, fsCallsBefore: number): void {
  let units = P.syscall + (hostFsCalls.count - fsCallsBefore) * P.hostFsCall + takeAddressSpaceWork();
  if (row?.chargesBytes && typeof result === "number" && result > 0) units += result / P.bytesPerUnit;
  k.charge(units);
}
