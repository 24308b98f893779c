// The checksums a recording keeps so that a replay can tell it has gone another way even where a
// call's number and arguments are the same: the bytes a write-family call wrote to the host (a
// program that prints other text through the same buffer), and the guest memory a call that the
// replay runs for real wrote (a result that hides in memory).
import { lazyZlib } from "./zlib.js";
import type { Task } from "../../kernel/task.js";
import type { SyscallWrite } from "../../utrace/syscall-writes.js";
import { SYSCALL_NUMBERS as N } from "../../abi/gen/syscall-numbers.js";

/** The first `count` bytes a write, pwrite64, writev or pwritev call takes from guest memory. */
export function writtenBytes(task: Task, nr: number, args: readonly bigint[], count: number): Uint8Array {
  if (count <= 0) return new Uint8Array(0);
  if (nr === N.write || nr === N.pwrite64) return task.readBytes(args[1], count);
  const parts: Uint8Array[] = [];
  let left = count;
  for (const v of task.readIovec(args[1], Number(BigInt.asUintN(32, args[2])))) {
    if (left === 0) break;
    const n = Math.min(left, Number(v.len));
    parts.push(task.readBytes(v.base, n));
    left -= n;
  }
  return Buffer.concat(parts);
}

/** crc32 of the bytes. */
export function dataChecksum(bytes: Uint8Array): number {
  return lazyZlib().crc32(bytes);
}

/** crc32 over each run's address and bytes; null when nothing was written. */
export function writesChecksum(writes: readonly SyscallWrite[]): number | null {
  if (writes.length === 0) return null;
  const { crc32 } = lazyZlib();
  let c = 0;
  const addr = Buffer.alloc(4);
  for (const w of writes) {
    addr.writeUInt32LE(w.addr >>> 0);
    c = crc32(addr, c);
    c = crc32(w.bytes, c);
  }
  return c;
}
