// Calls a memory syscall's handler directly on a bare task (registers and an address space, no
// kernel): arguments are any 64-bit values, so the tests can give what a guest could not show under
// the host kernel (addresses at riscv64's end of the user address space, negative mmap offsets).
import { Hart } from "../../src/cpu/hart.js";
import { AddressSpace, GuestFault } from "../../src/mem/address-space.js";
import { SYSCALLS } from "../../src/kernel/syscalls/table.js";
import type { Task } from "../../src/kernel/task.js";
import type { OpenFile } from "../../src/kernel/vfs/open-file.js";

export interface BareTask {
  mem: AddressSpace;
  hart: Hart;
  /** Descriptors the task has (mmap of a file looks them up). */
  fds: Map<number, OpenFile>;
}

export function bareTask(): BareTask {
  return { mem: new AddressSpace(), hart: new Hart(), fds: new Map() };
}

/** Runs syscall `name` with the arguments, as the guest would pass them in a0..a5; returns a0 as a bigint. */
export function call(t: BareTask, name: string, ...args: (bigint | number)[]): bigint {
  const row = SYSCALLS.find((r) => r.name === name);
  if (!row) throw new Error(`no syscall ${name}`);
  args.forEach((a, i) => (t.hart.x64[10 + i] = BigInt.asIntN(64, BigInt(a))));
  // charge: host work counted for --max-insns (host-work.ts); nothing counts it here.
  const task = { mem: t.mem, hart: t.hart, kernel: { charge() {} }, process: { mem: t.mem, fds: t.fds, atExit: () => {} } } as unknown as Task;
  let r;
  try {
    r = row.handler(task);
  } catch (e) {
    // As the kernel's dispatcher does: a bad guest pointer is EFAULT.
    if (e instanceof GuestFault) return -14n;
    throw e;
  }
  if (typeof r !== "number" && typeof r !== "bigint") throw new Error(`${name} returned ${String(r)}`);
  return BigInt(r);
}
