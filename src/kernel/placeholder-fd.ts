// Replay's stand-in for a descriptor that a recorded call opened on the host. The replay has no host
// files: it answers every call that touched one from the recording, but the descriptor must still
// exist in the guest's table, at the same number with the same close-on-exec flag, so that the calls
// replay re-runs for real (pipe, dup, close, fcntl F_SETFD, exec's close-on-exec, a later open) find
// the table as it was. Those calls are the only ones that meet a placeholder, and they use only the
// table and the file's flags; mmap reads nothing from it (the replay then writes the recorded bytes
// of the mapping), and a shared mapping's write-back goes nowhere.
import { E } from "../abi/gen/errno.js";
import type { Process } from "./process.js";
import { FileBase, type IoResult } from "./vfs/open-file.js";
import type { StatInfo } from "./vfs/stat.js";

export class PlaceholderFile extends FileBase {
  readonly kind = "file";

  stat(): StatInfo | number {
    return -E.EIO;
  }
  override read(_buf: Uint8Array): IoResult {
    return -E.EIO;
  }
  override write(_buf: Uint8Array): IoResult {
    return -E.EIO;
  }
  override pread(_buf: Uint8Array, _pos: number): IoResult {
    return 0;
  }
  override pwrite(buf: Uint8Array, _pos: number): IoResult {
    return buf.length;
  }
}

/**
 * Puts a placeholder at descriptor `fd` of `proc` (flags as open's, without the open-only ones).
 * False when `fd` is already open (the replay has diverged) or out of range.
 */
export function installPlaceholder(proc: Process, fd: number, flags: number, cloexec: boolean, path: string): boolean {
  if (proc.fds.get(fd) !== undefined) return false;
  return proc.fds.installAt(fd, new PlaceholderFile(flags, path), cloexec) === fd;
}
