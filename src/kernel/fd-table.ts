// A process's file descriptor table: fd → (open file description, close-on-exec flag). Entries
// share OpenFile objects (dup, fork); each entry holds one reference (retainFile/releaseFile), so a
// file's close hook runs when its last descriptor, in any table, is closed.
//
// The lowest free descriptor is found in O(log n) (free-slots.ts), and each allocation is charged
// to the run's budget of host work (--max-insns) through `meter`.
import { E } from "../abi/gen/errno.js";
import { releaseFile, retainFile, type OpenFile } from "./vfs/open-file.js";
import { FreeSlots } from "./free-slots.js";

/** Default RLIMIT_NOFILE: descriptors are 0 … limit-1. */
export const RLIMIT_NOFILE = 1024;

interface FdEntry {
  file: OpenFile;
  cloexec: boolean;
}

/** Where a table reports the host work of allocating descriptors (the kernel: host-work.ts). */
export interface FdMeter {
  chargeFdAllocation(): void;
}

export class FdTable {
  private entries: (FdEntry | undefined)[] = [];
  /** The descriptors in use, for finding the lowest free one. */
  private used = new FreeSlots();
  /** Charged for each descriptor allocated; a clone (fork) keeps it. */
  meter: FdMeter | null = null;
  /** RLIMIT_NOFILE (soft); setrlimit may change it. */
  limit = RLIMIT_NOFILE;
  /** Processes using this table (clone with CLONE_FILES shares it); the last one closes it. */
  users = 1;

  get(fd: number): OpenFile | undefined {
    return Number.isInteger(fd) && fd >= 0 ? this.entries[fd]?.file : undefined;
  }

  /**
   * Installs `file` at the lowest free descriptor ≥ minFd and returns it, taking a reference.
   * -EMFILE when none is free below the limit, -EINVAL when minFd is out of range (F_DUPFD). On
   * failure a file nobody else references is closed, so callers can simply return the error.
   */
  install(file: OpenFile, minFd = 0, cloexec = false): number {
    if (!Number.isInteger(minFd) || minFd < 0 || minFd >= this.limit) {
      if (file.refs === 0) file.close();
      return -E.EINVAL;
    }
    this.meter?.chargeFdAllocation();
    const fd = this.used.lowestFree(minFd);
    if (fd >= this.limit) {
      if (file.refs === 0) file.close();
      return -E.EMFILE;
    }
    retainFile(file);
    this.entries[fd] = { file, cloexec };
    this.used.markUsed(fd);
    return fd;
  }

  /** Installs `file` at exactly `fd` (dup2/dup3), closing what was there. -EBADF past the limit. */
  installAt(fd: number, file: OpenFile, cloexec = false): number {
    if (!Number.isInteger(fd) || fd < 0 || fd >= this.limit) {
      if (file.refs === 0) file.close();
      return -E.EBADF;
    }
    this.meter?.chargeFdAllocation();
    retainFile(file);
    const old = this.entries[fd];
    this.entries[fd] = { file, cloexec };
    this.used.markUsed(fd);
    if (old) releaseFile(old.file);
    return fd;
  }

  /** close(fd): 0, or -EBADF. */
  close(fd: number): number {
    const e = Number.isInteger(fd) && fd >= 0 ? this.entries[fd] : undefined;
    if (!e) return -E.EBADF;
    this.entries[fd] = undefined;
    this.used.markFree(fd);
    releaseFile(e.file);
    return 0;
  }

  isCloexec(fd: number): boolean {
    return this.entries[fd]?.cloexec ?? false;
  }

  /** Sets or clears FD_CLOEXEC; false if fd is not open. */
  setCloexec(fd: number, value: boolean): boolean {
    const e = Number.isInteger(fd) && fd >= 0 ? this.entries[fd] : undefined;
    if (!e) return false;
    e.cloexec = value;
    return true;
  }

  /** The open descriptors, ascending. */
  fds(): number[] {
    const out: number[] = [];
    this.entries.forEach((e, fd) => {
      if (e) out.push(fd);
    });
    return out;
  }

  /** A copy for fork (or clone without CLONE_FILES): same OpenFiles, one more reference each. */
  clone(): FdTable {
    const t = new FdTable();
    t.limit = this.limit;
    t.used = this.used.clone();
    t.meter = this.meter;
    this.entries.forEach((e, fd) => {
      if (!e) return;
      retainFile(e.file);
      t.entries[fd] = { file: e.file, cloexec: e.cloexec };
    });
    return t;
  }

  /** Closes every descriptor (process exit). */
  closeAll(): void {
    for (const fd of this.fds()) this.close(fd);
  }

  /** Closes the close-on-exec descriptors (execve). */
  closeOnExec(): void {
    for (const fd of this.fds()) if (this.entries[fd]!.cloexec) this.close(fd);
  }
}
