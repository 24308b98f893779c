// The part of a syscall's write log that holds its output. The kernel reads into guest memory
// directly (a read of n bytes into a buffer of 4096 opens all 4096 for writing), so the log of a
// call that fills a buffer covers the whole buffer; its output is only the first `result` bytes.
// A recording keeps those (a small read from a large buffer stays small); the rest of the buffer
// is as it was, and needs no replaying.
import type { Task } from "../../kernel/task.js";
import type { SyscallWrite } from "../../utrace/syscall-writes.js";
import { SYSCALL_NUMBERS as N } from "../../abi/gen/syscall-numbers.js";

/** The argument holding the buffer of each call that returns the number of bytes it put there. */
const BUFFER_ARG = new Map<number, number>([
  [N.read, 1], [N.pread64, 1], [N.getdents64, 1], [N.readlinkat, 2], [N.getrandom, 0], [N.getcwd, 0],
]);

/** The ranges [start, end) that can hold the call's output, or null when the whole log is output. */
function outputRanges(task: Task, nr: number, args: readonly bigint[], result: bigint): [number, number][] | null {
  const arg = BUFFER_ARG.get(nr);
  if (arg !== undefined) {
    if (result <= 0n) return [];
    const start = Number(BigInt.asUintN(64, args[arg]));
    return [[start, start + Number(result)]];
  }
  if (nr === N.readv || nr === N.preadv) {
    if (result <= 0n) return [];
    const out: [number, number][] = [];
    let left = Number(result);
    try {
      for (const v of task.readIovec(args[1], Number(BigInt.asUintN(32, args[2])))) {
        if (left === 0) break;
        const n = Math.min(left, Number(v.len));
        out.push([Number(v.base), Number(v.base) + n]);
        left -= n;
      }
    } catch {
      return null; // the iovecs cannot be read again: keep everything
    }
    return out;
  }
  return null;
}

/** The write log cut down to the call's output. */
export function clipToOutput(task: Task, nr: number, args: readonly bigint[], result: bigint, writes: SyscallWrite[]): SyscallWrite[] {
  const ranges = outputRanges(task, nr, args, result);
  if (ranges === null) return writes;
  const out: SyscallWrite[] = [];
  for (const w of writes) {
    const end = w.addr + w.bytes.length;
    for (const [a, b] of ranges) {
      const from = Math.max(a, w.addr);
      const to = Math.min(b, end);
      if (from < to) out.push({ addr: from, bytes: w.bytes.subarray(from - w.addr, to - w.addr) });
    }
  }
  return out.sort((x, y) => x.addr - y.addr);
}
