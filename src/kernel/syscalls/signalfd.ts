// signalfd4(fd, mask, sizemask, flags) (fs/signalfd.c): a new SignalFdFile (events/signalfd.ts),
// or, with fd ≠ -1, a new mask for an existing one (whose readers then look again).
import type { SyscallResult, SyscallRow } from "./types.js";
import type { Task } from "../task.js";
import { argInt, argLong, argPtr } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { O } from "../../abi/fs.js";
import { SIGKILL, SIGSTOP } from "../../abi/signals.js";
import { sigbit } from "../signals.js";
import { SignalFdFile } from "../events/signalfd.js";
import { signalNotify } from "../events/signal-notify.js";

const SIGSET_SIZE = 8;

function signalfd4(t: Task): SyscallResult {
  if (argLong(t, 2) !== SIGSET_SIZE) return -E.EINVAL;
  let mask = t.mem.readU64(argPtr(t, 1));
  const flags = argInt(t, 3);
  if (flags & ~(O.CLOEXEC | O.NONBLOCK)) return -E.EINVAL;
  mask &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
  const fd = argInt(t, 0);
  if (fd === -1) {
    const f = new SignalFdFile(mask, t, flags, t.kernel.vfs.time);
    return t.process.fds.install(f, 0, (flags & O.CLOEXEC) !== 0);
  }
  const f = t.process.fds.get(fd);
  if (!f || (f.flags & O.PATH) !== 0) return -E.EBADF;
  if (!(f instanceof SignalFdFile)) return -E.EINVAL;
  f.mask = mask;
  signalNotify(t.process).queue.wakeAll();
  return fd;
}

export const signalfdSyscalls: SyscallRow[] = [{ name: "signalfd4", handler: signalfd4, support: "full" }];
