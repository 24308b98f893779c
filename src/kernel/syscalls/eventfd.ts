// eventfd2(initval, flags) (fs/eventfd.c): a new EventFdFile (events/eventfd.ts).
import type { SyscallResult, SyscallRow } from "./types.js";
import type { Task } from "../task.js";
import { argInt, argU32 } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { O } from "../../abi/fs.js";
import { EFD_SEMAPHORE, EventFdFile } from "../events/eventfd.js";

function eventfd2(t: Task): SyscallResult {
  const flags = argInt(t, 1);
  if (flags & ~(O.CLOEXEC | O.NONBLOCK | EFD_SEMAPHORE)) return -E.EINVAL;
  const f = new EventFdFile(BigInt(argU32(t, 0)), flags, (flags & EFD_SEMAPHORE) !== 0, t.kernel.vfs.time);
  return t.process.fds.install(f, 0, (flags & O.CLOEXEC) !== 0);
}

export const eventfdSyscalls: SyscallRow[] = [{ name: "eventfd2", handler: eventfd2, support: "full" }];
