// inotify_init1, inotify_add_watch, inotify_rm_watch.
//
// The sandbox offers no inotify instances: inotify_init1 fails with EMFILE, what Linux gives when
// the user's limit of instances (fs.inotify.max_user_instances) is reached, here 0. Programs treat
// that as "inotify is unavailable now" and fall back to polling (tail -f, coreutils, Python's
// watchdog, GLib), where ENOSYS would claim a kernel built without it. Since no descriptor is ever
// an inotify instance, add_watch and rm_watch fail as Linux does for any other descriptor: EBADF
// for one that is not open, EINVAL for one that is (after add_watch's checks of its mask).
import { E } from "../../abi/gen/errno.js";
import { O } from "../../abi/fs.js";
import type { Task } from "../task.js";
import { argInt, argU32 } from "./args.js";
import { fileOf } from "./fs-common.js";
import type { SyscallResult, SyscallRow } from "./types.js";

const IN_CLOEXEC = O.CLOEXEC;
const IN_NONBLOCK = O.NONBLOCK;

/** ALL_INOTIFY_BITS: the events, IN_UNMOUNT … IN_IGNORED, and the flags add_watch knows. */
const ALL_INOTIFY_BITS = 0x00000fff | 0x00002000 | 0x00004000 | 0x00008000 | 0x01000000 | 0x02000000 | 0x04000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x80000000;
const IN_MASK_CREATE = 0x10000000;
const IN_MASK_ADD = 0x20000000;

function inotifyInit1(t: Task): SyscallResult {
  if (argInt(t, 0) & ~(IN_CLOEXEC | IN_NONBLOCK)) return -E.EINVAL;
  return -E.EMFILE;
}

function inotifyAddWatch(t: Task): SyscallResult {
  const mask = argU32(t, 2);
  if ((mask & ALL_INOTIFY_BITS) === 0) return -E.EINVAL;
  if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE)) return -E.EINVAL;
  const f = fileOf(t, argInt(t, 0));
  return typeof f === "number" ? f : -E.EINVAL;
}

function inotifyRmWatch(t: Task): SyscallResult {
  const f = fileOf(t, argInt(t, 0));
  return typeof f === "number" ? f : -E.EINVAL;
}

const NONE = "the sandbox offers no inotify instances (EMFILE: the per-user limit is 0), see the README";

export const inotifySyscalls: SyscallRow[] = [
  { name: "inotify_init1", handler: inotifyInit1, support: "stub", note: `flags are checked (EINVAL), then EMFILE: ${NONE}` },
  { name: "inotify_add_watch", handler: inotifyAddWatch, support: "stub", note: "no descriptor is an inotify instance: EINVAL for a bad mask or any open descriptor, EBADF otherwise" },
  { name: "inotify_rm_watch", handler: inotifyRmWatch, support: "stub", note: "no descriptor is an inotify instance: EBADF or EINVAL" },
];
