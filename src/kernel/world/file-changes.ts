// Which host files a syscall has just changed, for --deterministic's view of file times
// (vfs/stat-view.ts): after each successful call that writes, creates, removes, renames or changes
// the metadata of a file, the files concerned are stamped with the virtual clock. The calls are
// decoded from their arguments here, after the handler, so that the handlers and the Vfs need no
// hook of their own; only openat looks before the call too (was the file there already?).
//
// A directory gains or loses an entry: its contents changed (mtime). A file renamed or linked: its
// metadata changed (ctime).
import { AT, O } from "../../abi/fs.js";
import { GuestFault } from "../../mem/address-space.js";
import type { Task } from "../task.js";
import type { SyscallRow } from "../syscalls/types.js";
import { argInt, argIsNull, argPtr } from "../syscalls/args.js";
import { pathArg, pathAt, pathCtx } from "../syscalls/fs-common.js";
import type { Lookup, Node } from "../vfs/namespace.js";
import type { OpenFile } from "../vfs/open-file.js";
import { hostKey, type Timespec } from "../vfs/stat.js";
import type { StatView } from "../vfs/stat-view.js";

const MAP_SHARED_TYPES = [0x01 /* MAP_SHARED */, 0x03 /* MAP_SHARED_VALIDATE */];
const MAP_TYPE = 0x0f;
const PROT_WRITE = 2;
const UTIME_NOW = (1n << 30n) - 1n;
const UTIME_OMIT = (1n << 30n) - 2n;

/** The syscalls decode() looks at (most syscalls change no file: they cost one lookup here). */
const CHANGERS = new Set<string>([
  "write", "writev", "pwrite64", "pwritev", "sendfile", "copy_file_range", "ftruncate", "fallocate", "openat",
  "mkdirat", "symlinkat", "linkat", "unlinkat", "renameat2", "fchmod", "fchown", "fchmodat", "fchownat",
  "truncate", "utimensat", "mmap",
]);

function keyOfNode(n: Node | null | undefined): string | null {
  return n?.t === "host" ? hostKey(n.st) : null;
}

export class FileChanges {
  /** The identity of each open file met (it never changes while the file is open). */
  private readonly fileKeys = new WeakMap<OpenFile, string | null>();
  /** openat(O_CREAT) of a path that did not exist, per task, between the before and after hooks. */
  private readonly creating = new WeakMap<Task, boolean>();

  constructor(
    private readonly view: StatView,
    /** CLOCK_REALTIME as a Timespec (UTIME_NOW). */
    private readonly now: () => Timespec,
  ) {}

  before(t: Task, row: SyscallRow): void {
    if (row.name !== "openat" || (argInt(t, 2) & O.CREAT) === 0) return;
    const r = this.guarded(() => this.lookup(t, 0, 1, false));
    this.creating.set(t, r !== null && r.node === null);
  }

  after(t: Task, row: SyscallRow, result: number | bigint): void {
    if (!CHANGERS.has(row.name)) return;
    if (typeof result === "bigint" ? result < 0n : result < 0) return;
    this.guarded(() => this.decode(t, row.name, Number(result)));
  }

  /** Runs f; a guest pointer that faults now (another thread unmapped it) just leaves times alone. */
  private guarded<T>(f: () => T): T | null {
    try {
      return f();
    } catch (e) {
      if (e instanceof GuestFault) return null;
      throw e;
    }
  }

  private decode(t: Task, name: string, result: number): void {
    switch (name) {
      case "write":
      case "writev":
      case "pwrite64":
      case "pwritev":
      case "sendfile":
        if (result > 0) this.stampFd(t, argInt(t, 0), "data");
        return;
      case "copy_file_range":
        if (result > 0) this.stampFd(t, argInt(t, 2), "data");
        return;
      case "ftruncate":
      case "fallocate":
        this.stampFd(t, argInt(t, 0), "data");
        return;
      case "openat":
        return this.opened(t, result);
      case "mkdirat":
        return this.created(this.lookup(t, 0, 1, false));
      case "symlinkat":
        return this.created(this.lookup(t, 1, 2, false));
      case "linkat": {
        const r = this.lookup(t, 2, 3, false);
        this.stamp(keyOfNode(r?.node), "meta");
        this.stamp(keyOfNode(r?.parent), "data");
        return;
      }
      case "unlinkat":
        this.stamp(keyOfNode(this.lookup(t, 0, 1, false)?.parent), "data");
        return;
      case "renameat2": {
        this.stamp(keyOfNode(this.lookup(t, 0, 1, false)?.parent), "data");
        const r = this.lookup(t, 2, 3, false);
        this.stamp(keyOfNode(r?.node), "meta");
        this.stamp(keyOfNode(r?.parent), "data");
        return;
      }
      case "fchmod":
      case "fchown":
        this.stampFd(t, argInt(t, 0), "meta");
        return;
      case "fchmodat":
        this.stamp(keyOfNode(this.lookup(t, 0, 1, true)?.node), "meta");
        return;
      case "fchownat":
        this.stamp(this.targetKey(t, argInt(t, 4)), "meta");
        return;
      case "truncate":
        this.stamp(keyOfNode(this.lookup(t, -1, 0, true)?.node), "data");
        return;
      case "utimensat":
        return this.timesSet(t);
      case "mmap":
        return this.mapped(t);
    }
  }

  private stamp(key: string | null, kind: "data" | "meta" | "created"): void {
    if (key !== null) this.view.changed(key, kind);
  }

  private keyOfFile(f: OpenFile | undefined): string | null {
    if (!f) return null;
    let key = this.fileKeys.get(f);
    if (key === undefined) {
      const st = f.stat();
      key = typeof st === "number" ? null : (st.hostKey ?? null);
      this.fileKeys.set(f, key);
    }
    return key;
  }

  private stampFd(t: Task, fd: number, kind: "data" | "meta"): void {
    this.stamp(this.keyOfFile(t.process.fds.get(fd)), kind);
  }

  /**
   * The lookup of the path in argument `pathArgIndex` relative to the directory descriptor in
   * `dirfdArg` (-1: the working directory), or null when the path cannot be read or found.
   */
  private lookup(t: Task, dirfdArg: number, pathArgIndex: number, follow: boolean): Lookup | null {
    const at = pathAt(t, dirfdArg < 0 ? AT.FDCWD : argInt(t, dirfdArg), argPtr(t, pathArgIndex));
    if (typeof at === "number") return null;
    const r = t.kernel.vfs.resolve(at[0], at[1], follow);
    return typeof r === "number" ? null : r;
  }

  private created(r: Lookup | null): void {
    this.stamp(keyOfNode(r?.node), "created");
    this.stamp(keyOfNode(r?.parent), "data");
  }

  private opened(t: Task, fd: number): void {
    const flags = argInt(t, 2);
    const file = t.process.fds.get(fd);
    if ((flags & O.CREAT) && this.creating.get(t)) {
      this.stamp(this.keyOfFile(file), "created");
      this.stamp(keyOfNode(this.lookup(t, 0, 1, false)?.parent), "data");
    } else if ((flags & O.TRUNC) && (flags & O.ACCMODE) !== O.RDONLY && file?.kind === "file") {
      this.stamp(this.keyOfFile(file), "data");
    }
    this.creating.delete(t);
  }

  /** The file of a (dirfd, path) call with AT_EMPTY_PATH / AT_SYMLINK_NOFOLLOW flags (fchownat). */
  private targetKey(t: Task, flags: number): string | null {
    const dirfd = argInt(t, 0);
    const path = argIsNull(t, 1) ? "" : pathArg(t, argPtr(t, 1));
    if (typeof path === "number") return null;
    if (path === "" && dirfd !== AT.FDCWD) return this.keyOfFile(t.process.fds.get(dirfd));
    const ctx = pathCtx(t, dirfd, path);
    if (typeof ctx === "number") return null;
    const r = t.kernel.vfs.resolve(ctx, path === "" ? "." : path, (flags & AT.SYMLINK_NOFOLLOW) === 0);
    return typeof r === "number" ? null : keyOfNode(r.node);
  }

  /** utimensat(dirfd, path, times, flags): the times asked for; a NULL path is futimens(dirfd). */
  private timesSet(t: Task): void {
    const key = this.targetKey(t, argInt(t, 3));
    if (key === null) return;
    const time = (p: number): Timespec | null => {
      const nsec = t.mem.readI64(p + 8);
      if (nsec === UTIME_OMIT) return null;
      if (nsec === UTIME_NOW) return this.now();
      return { sec: t.mem.readI64(p), nsec: Number(nsec) };
    };
    if (argIsNull(t, 2)) {
      const now = this.now();
      this.view.timesSet(key, now, now);
      return;
    }
    const p = argPtr(t, 2);
    this.view.timesSet(key, time(p), time(p + 16));
  }

  /** mmap of a file MAP_SHARED and writable: the guest may change it with plain stores. */
  private mapped(t: Task): void {
    if (!MAP_SHARED_TYPES.includes(argInt(t, 3) & MAP_TYPE) || (argInt(t, 2) & PROT_WRITE) === 0) return;
    const key = this.keyOfFile(t.process.fds.get(argInt(t, 4)));
    if (key !== null) this.view.mappedShared(key);
  }
}
