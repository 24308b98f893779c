// The sandboxed file system the guest sees: the namespace (namespace.ts) plus the operations the
// path-taking syscalls need, each returning a result or -errno with Linux's error precedence
// (opening and metadata here, changes in changes.ts).
//
// Mounts come from the configuration (by default the lead mounts the host's working directory
// read-write at the same path); the program file is mounted read-only at its guest path unless a
// mount already shows that very file there; /dev/null, /dev/zero, /dev/random, /dev/urandom,
// /dev/tty (when the host has one), /proc/self/exe, /proc/self/fd and /dev/{fd,stdin,stdout,stderr}
// are placed as overlay entries, and in-memory file systems (memfs.ts) at the configured paths (the
// run's private /tmp and /dev/shm), under the mounts: a mount at the same path wins. Writes,
// creations and removals on read-only mounts and synthetic directories fail with EROFS.
//
// Paths given to and returned by these methods are byte strings (paths.ts); config paths are
// ordinary strings.
import * as fs from "node:fs";
import { fillRandom } from "../host/random.js";
import { E } from "../../abi/gen/errno.js";
import type { Task } from "../task.js";
import { ACCESS, FS_MAGIC, O, OPEN_ONLY_FLAGS, S } from "../../abi/fs.js";
import * as changes from "./changes.js";
import { nowTimespec, writableParent, type TimeArg } from "./changes.js";
import { DirFile } from "./dir.js";
import { DeviceFile, TtyFile, type DeviceKind } from "./devices.js";
import { hostErrno } from "./errors.js";
import { HostFile, PathFile, hostStatfs } from "./host-file.js";
import { Namespace, isDirNode, isLinkNode, type HostNode, type Lookup, type Node, type PathCtx } from "./namespace.js";
import { O_PATH, fdPath, noFollowFor, pinnedRef, type HostRef } from "./host-ref.js";
import { canRead, canWrite, pseudoStatfs, type OpenFile } from "./open-file.js";
import { hostArg, normalizeAbsolute, toBytePath } from "./paths.js";
import { createPipe, type PipeEnd } from "./pipe.js";
import { statFromHost, type StatInfo, type StatfsInfo, type Timespec } from "./stat.js";
import { makeStdioFiles, type StdioOptions, type StdioStreams } from "./stdio.js";
import { closeHostFd, hostFdCap, openHostFd } from "./host-fds.js";
import type { MemoryBudget } from "../../mem/memory-budget.js";
import { GenOpenFile, type GenFile, type GenRoot } from "./generated.js";
import { MemFs, SEAL, type MemCred } from "./memfs.js";
import { MemFile } from "./mem-file.js";
import * as mem from "./mem-ops.js";
import { makedev } from "../../abi/fs.js";

export interface VfsMountSpec {
  /** Host path (file or directory); resolved with realpath once, at mount time. */
  host: string;
  /** Absolute guest path. */
  guest: string;
  readOnly: boolean;
}

export interface VfsConfig {
  mounts: VfsMountSpec[];
  /** Host path of the program file; mounted read-only at exeGuestPath. Empty: none. */
  exeHostPath: string;
  exeGuestPath: string;
  /** Provide /dev/tty (the host's controlling terminal). */
  hostHasTty: boolean;
  /** Source of /dev/random and /dev/urandom bytes (default: the host's /dev/urandom). */
  random?: (buf: Uint8Array) => void;
  /** Seconds since the epoch shown as every time of synthetic nodes (default: construction time). */
  syntheticTime?: number;
  /** The run's memory limit: pipe buffers are charged to it. */
  memory?: MemoryBudget | null;
  /** The most host descriptors guests may hold (host-fds.ts); default: what the host leaves room for. */
  maxHostFds?: number;
  /** The current time, for the times of new pipes and in-memory files (default: the host's clock). */
  now?: () => Timespec;
  /**
   * Generated trees (generated.ts) at guest paths: /proc, /sys, /etc files. When one is placed at
   * /proc it replaces the built-in /proc/self/exe and /proc/self/fd. A fallback tree shows only
   * where nothing mounted has that path.
   */
  generated?: { guest: string; root: GenRoot; fallback?: boolean }[];
  /** Guest paths given an in-memory file system each (the private /tmp and /dev/shm), mode 1777. */
  memoryFs?: string[];
  /** The guest's ids: owner of in-memory files and whose permissions are checked there (default: the host's). */
  cred?: MemCred;
}

const DEVICES: readonly [string, DeviceKind][] = [
  ["/dev/null", "null"],
  ["/dev/zero", "zero"],
  ["/dev/random", "random"],
  ["/dev/urandom", "urandom"],
];

/** Links into /proc/self/fd, as udev makes them. */
const STD_LINKS: readonly [string, string][] = [
  ["/dev/fd", "/proc/self/fd"],
  ["/dev/stdin", "/proc/self/fd/0"],
  ["/dev/stdout", "/proc/self/fd/1"],
  ["/dev/stderr", "/proc/self/fd/2"],
];

export class Vfs {
  readonly ns: Namespace;
  readonly random: (buf: Uint8Array) => void;
  /** The time synthetic nodes show. */
  readonly time: Timespec;
  /**
   * Called by the write-family syscalls when a write fails with EPIPE (a pipe without readers, a
   * closed host stdout), so the kernel can raise SIGPIPE. The syscall still returns -EPIPE.
   */
  onBrokenPipe: ((task: Task) => void) | null = null;
  /** Host descriptors guests may hold at once (host-fds.ts): past them, ENFILE. */
  readonly hostFdCap: number;
  /** The run's memory limit (pipe buffers and the bytes queued in sockets are charged to it). */
  readonly memory: MemoryBudget | null;
  private readonly uid = process.getuid?.() ?? 0;
  private readonly gid = process.getgid?.() ?? 0;
  /** The time new pipes and sockets are made at (a clock, or --deterministic's fixed one). */
  readonly now: () => Timespec;
  /** Pipe inode numbers are per Vfs, so that each run numbers its pipes alike. */
  private nextPipeIno = 4096n;
  /** Socket inode numbers, per Vfs for the same reason. */
  private nextSocketIno = 8192n;
  private readonly cred: MemCred;
  /** The anonymous device number of the next in-memory file system. */
  private nextMemDev = 0x30;
  /** Where memfd_create's files live (made at the first). */
  private memfdFs: MemFs | null = null;

  constructor(config: VfsConfig) {
    this.random = config.random ?? fillRandom;
    this.hostFdCap = hostFdCap(config.maxHostFds);
    this.memory = config.memory ?? null;
    this.now = config.now ?? nowTimespec;
    this.time = { sec: BigInt(Math.floor(config.syntheticTime ?? Date.now() / 1000)), nsec: 0 };
    this.ns = new Namespace(this.time);
    this.cred = config.cred ?? { uid: this.uid, gid: this.gid };
    // Before the mounts, so that a mount at the same path (--mount X:/tmp, --tmp DIR) wins.
    for (const guest of config.memoryFs ?? []) this.ns.addMemFs(normalizeAbsolute(toBytePath(guest)), this.newMemFs());
    for (const m of config.mounts) this.mount(m.host, m.guest, m.readOnly);
    if (config.exeHostPath !== "") this.mountProgram(config.exeHostPath, config.exeGuestPath);
    for (const [guest, dev] of DEVICES) this.ns.addDevice(guest, dev);
    if (config.hostHasTty) this.ns.addDevice("/dev/tty", "tty");
    const generated = config.generated ?? [];
    for (const g of generated) this.ns.addGenerated(normalizeAbsolute(toBytePath(g.guest)), g.root, g.fallback ?? false);
    if (!generated.some((g) => g.guest === "/proc")) {
      this.ns.addExeLink("/proc/self/exe");
      this.ns.addFdDir("/proc/self/fd");
    }
    for (const [name, target] of STD_LINKS) this.ns.addSymlink(name, target);
  }

  /** Mounts a host file or directory at a guest path. Throws if the host path does not exist. */
  mount(host: string, guest: string, readOnly: boolean): void {
    const real = fs.realpathSync(host, { encoding: "buffer" }).toString("latin1");
    const g = toBytePath(guest);
    if (!g.startsWith("/")) throw new Error(`vfs: guest mount path must be absolute: ${guest}`);
    this.ns.addMount(real, normalizeAbsolute(g), readOnly);
  }

  /**
   * Makes a program file visible (read-only) at its guest path, unless the guest already sees that
   * very file there through another mount. Usable again for programs execve'd later.
   */
  mountProgram(hostPath: string, guestPath: string): void {
    const real = fs.realpathSync(hostPath, { encoding: "buffer" }).toString("latin1");
    const guest = normalizeAbsolute(toBytePath(guestPath));
    const st = fs.statSync(hostArg(real), { bigint: true });
    const seen = this.ns.resolve({ cwd: "/", exe: guest }, guest, "follow");
    if (typeof seen !== "number" && seen.node?.t === "host" && seen.node.st.ino === st.ino && seen.node.st.dev === st.dev) return;
    this.ns.addMount(real, guest, true);
  }

  /** The three stdio open files over Node streams (see stdio.ts); `output` is --max-output's count. */
  stdioFiles(streams: StdioStreams, opts: StdioOptions = {}): [OpenFile, OpenFile, OpenFile] {
    return makeStdioFiles(streams, this.time, opts);
  }

  /**
   * A new pipe: [read end, write end]. flags: O_NONBLOCK / O_DIRECT (O_CLOEXEC is the fd's).
   * -ENOMEM when its buffer does not fit in the memory limit.
   */
  pipe(flags: number): [PipeEnd, PipeEnd] | number {
    return createPipe(flags, this.now(), this.uid, this.gid, this.memory, this.nextPipeIno++);
  }

  /** The inode number of a new socket. */
  socketIno(): bigint {
    return this.nextSocketIno++;
  }

  /** A new, empty in-memory file system (a tmpfs) charged to the run's memory limit. */
  newMemFs(rootMode = 0o1777): MemFs {
    return new MemFs(makedev(0, this.nextMemDev++), this.now, this.cred, this.memory, rootMode);
  }

  /**
   * memfd_create: an anonymous in-memory file opened read-write, shown as "/memfd:NAME (deleted)".
   * Sealable (F_ADD_SEALS) only with MFD_ALLOW_SEALING.
   */
  memfd(name: string, allowSealing: boolean): OpenFile {
    this.memfdFs ??= new MemFs(makedev(0, 1), this.now, this.cred, this.memory, 0o1777);
    const ino = this.memfdFs.newInode(S.IFREG | 0o777);
    ino.seals = allowSealing ? 0 : SEAL.SEAL;
    return new MemFile(this.memfdFs, ino, O.RDWR | O.LARGEFILE, `/memfd:${name}`, true);
  }

  resolve(ctx: PathCtx, path: string, follow: boolean): Lookup | number {
    return this.ns.resolve(ctx, path, follow ? "follow" : "nofollow");
  }

  // ---- open ----

  /** openat: a new open file description (not yet in any fd table), or -errno. */
  open(ctx: PathCtx, path: string, flags: number, mode: number, umask: number): OpenFile | number {
    if (flags & O.TMPFILE_BIT) return this.openTmpfile(ctx, path, flags, mode & ~umask & 0o7777);
    const isPath = (flags & O.PATH) !== 0;
    if (isPath) flags &= O.PATH | O.DIRECTORY | O.NOFOLLOW | O.CLOEXEC;
    if ((flags & O.CREAT) && (flags & O.DIRECTORY)) return -E.EINVAL;
    const creat = (flags & O.CREAT) !== 0;
    const excl = creat && (flags & O.EXCL) !== 0;
    const stored = (flags & ~OPEN_ONLY_FLAGS) | O.LARGEFILE;
    for (let attempt = 0; ; attempt++) {
      const r = this.ns.resolve(ctx, path, excl ? "create" : flags & O.NOFOLLOW ? "nofollow" : "follow");
      if (typeof r === "number") return r;
      const n = r.node;
      if (n === null) {
        if (!creat) return -E.ENOENT;
        if (r.trailingSlash) return -E.EISDIR;
        const f = this.createFile(r, flags, stored, mode & ~umask & 0o7777);
        // Lost a race with another creator: open what is there now, as Linux would have.
        if (f === -E.EEXIST && !excl && attempt === 0) continue;
        return f;
      }
      if (excl) return -E.EEXIST;
      if (isPath) return this.openPath(n, r.path, stored, (flags & O.DIRECTORY) !== 0);
      if (n.t === "fd" && !(flags & O.NOFOLLOW)) return this.reopen(n.file, flags, stored);
      if (isLinkNode(n)) return -E.ELOOP;
      if ((flags & O.DIRECTORY) && !isDirNode(n)) return -E.ENOTDIR;
      const acc = flags & O.ACCMODE;
      const wantsWrite = acc === O.WRONLY || acc === O.RDWR;
      if (isDirNode(n)) {
        if (creat || wantsWrite || (flags & O.TRUNC)) return -E.EISDIR;
        return this.openDir(n, r.path, stored, ctx);
      }
      if (n.t === "dev") return this.openDevice(n.dev, r.path, stored);
      if (n.t === "gen") return this.openGenerated(n.g as GenFile, r.path, stored, wantsWrite || (flags & O.TRUNC) !== 0);
      if (n.t === "mem") return mem.openMemFile(n.fs, n.ino, r.path, flags, stored);
      if (n.t !== "host") return -E.ENXIO;
      const type = Number(n.st.mode) & S.IFMT;
      if (type === S.IFCHR || type === S.IFBLK) return -E.EACCES; // host device nodes: as on a nodev mount
      if (type !== S.IFREG) return -E.ENXIO; // host FIFOs and sockets are not supported
      if ((wantsWrite || (flags & O.TRUNC)) && n.mount.readOnly) return -E.EROFS;
      return this.openHostFile(n.ref, flags, stored, r.path, n.mount.readOnly, n.mountRoot, 0, -1);
    }
  }

  private hostOpenFlags(flags: number): number {
    const c = fs.constants;
    const acc = flags & O.ACCMODE;
    let hf = (acc === O.WRONLY ? c.O_WRONLY : acc === O.RDWR ? c.O_RDWR : c.O_RDONLY) | c.O_NONBLOCK;
    if (flags & O.TRUNC) hf |= c.O_TRUNC;
    if ((flags & O.SYNC) === O.SYNC) hf |= c.O_SYNC;
    else if (flags & O.DSYNC) hf |= c.O_DSYNC;
    if (flags & O.NOATIME) hf |= c.O_NOATIME ?? 0;
    return hf;
  }

  /**
   * Opens a host regular file through its ref (O_NOFOLLOW on the host, so a symlink swapped in
   * after our lookup is refused, and O_NONBLOCK so a FIFO swapped in cannot hang the emulator; it
   * is then refused).
   */
  private openHostFile(ref: HostRef, flags: number, stored: number, path: string, readOnly: boolean, mountRoot: boolean, extraHostFlags: number, createMode: number): OpenFile | number {
    let fd: number;
    const hostFlags = this.hostOpenFlags(flags) | noFollowFor(ref) | extraHostFlags;
    try {
      fd = createMode >= 0
        ? openHostFd(this.hostFdCap, hostArg(ref.path), hostFlags, createMode)
        : openHostFd(this.hostFdCap, hostArg(ref.path), hostFlags);
    } catch (err) {
      return -hostErrno(err);
    }
    try {
      const st = fs.fstatSync(fd, { bigint: true });
      if (!st.isFile()) {
        closeHostFd(fd);
        return -E.ENXIO;
      }
      if (createMode >= 0 && (Number(st.mode) & 0o777) !== (createMode & 0o777)) fs.fchmodSync(fd, createMode);
    } catch (err) {
      closeHostFd(fd);
      return -hostErrno(err);
    }
    return new HostFile(fd, stored, path, ref.shown, readOnly, mountRoot);
  }

  /**
   * open(O_TMPFILE): an unnamed file in the directory named, on the in-memory file systems only
   * (a host directory: EOPNOTSUPP, as a file system without tmpfile support).
   */
  private openTmpfile(ctx: PathCtx, path: string, flags: number, mode: number): OpenFile | number {
    if ((flags & (O.TMPFILE | O.CREAT)) !== O.TMPFILE) return -E.EINVAL;
    const acc = flags & O.ACCMODE;
    if (acc !== O.WRONLY && acc !== O.RDWR) return -E.EINVAL;
    const r = this.ns.resolve(ctx, path, "follow");
    if (typeof r === "number") return r;
    const n = r.node;
    if (n === null) return -E.ENOENT;
    if (!isDirNode(n)) return -E.ENOTDIR;
    if (n.t !== "mem") return n.t === "host" && !n.mount.readOnly ? -E.EOPNOTSUPP : -E.EROFS;
    return mem.openMemTmpfile(n, r.path, flags, (flags & ~OPEN_ONLY_FLAGS) | O.LARGEFILE, mode);
  }

  private createFile(r: Lookup, flags: number, stored: number, mode: number): OpenFile | number {
    if (r.parent?.t === "mem") return mem.createMemFile(r, stored, mode);
    const parent = writableParent(r);
    if (typeof parent === "number") return parent;
    const ref = this.ns.childOf(parent, r.name);
    if (typeof ref === "number") return ref;
    const c = fs.constants;
    return this.openHostFile(ref, flags, stored, r.path, false, false, c.O_CREAT | c.O_EXCL, mode);
  }

  private openDir(n: Node, path: string, stored: number, ctx: PathCtx): OpenFile | number {
    const listCtx: PathCtx = { cwd: "/", exe: ctx.exe, fds: ctx.fds, caller: ctx.caller };
    if (n.t === "mem") return mem.openMemDir(this.ns, n, path, stored, listCtx);
    if (n.t !== "host") {
      return new DirFile(stored, path, {
        list: () => this.ns.listDir(n, path, listCtx),
        stat: () => this.ns.statNode(n, path),
        statfs: () => pseudoStatfs(n.t === "gen" || n.t === "fddir" ? FS_MAGIC.PROC : FS_MAGIC.RAMFS, true),
        hostFd: null,
        readOnly: true,
      });
    }
    let fd: number;
    try {
      const c = fs.constants;
      fd = openHostFd(this.hostFdCap, hostArg(n.ref.path), c.O_RDONLY | c.O_DIRECTORY | noFollowFor(n.ref));
    } catch (err) {
      return -hostErrno(err);
    }
    const mountRoot = n.mountRoot;
    // Listed later, through the directory's own descriptor (held as long as it is open).
    const own: HostNode = { ...n, ref: pinnedRef(fd, n.ref.shown) };
    return new DirFile(stored, path, {
      list: () => this.ns.listDir(own, path, listCtx),
      stat: () => {
        try {
          return statFromHost(fs.fstatSync(fd, { bigint: true }), mountRoot);
        } catch (err) {
          return -hostErrno(err);
        }
      },
      statfs: () => hostStatfs(fdPath(fd), n.mount.readOnly),
      hostFd: fd,
      readOnly: n.mount.readOnly,
    });
  }

  /** A generated file: read-only (EACCES for writing, as its 0444 mode says) unless it takes writes. */
  private openGenerated(g: GenFile, path: string, stored: number, wantsWrite: boolean): OpenFile | number {
    if (wantsWrite && !g.write) return -E.EACCES;
    return new GenOpenFile(stored, path, g, () => this.ns.statNode({ t: "gen", g }, path));
  }

  private openDevice(dev: DeviceKind, path: string, stored: number): OpenFile | number {
    const statFn = (): StatInfo => this.ns.statNode({ t: "dev", dev }, path);
    if (dev !== "tty") return new DeviceFile(dev, stored, path, statFn, this.random);
    try {
      const c = fs.constants;
      const fd = openHostFd(this.hostFdCap, "/dev/tty", c.O_RDWR | c.O_NOCTTY);
      return new TtyFile(fd, stored, path, statFn);
    } catch (err) {
      return -hostErrno(err);
    }
  }

  /**
   * Opening /proc/self/fd/N (or /dev/stdout, …) for a file without a path (a pipe, stdio): Linux
   * opens a new description of the same object; here it is the same description, so offset and
   * status flags are shared with descriptor N. The access mode must be one N allows (EACCES).
   */
  private reopen(file: OpenFile, flags: number, stored: number): OpenFile | number {
    // The anonymous inode (eventfd, epoll, timerfd, signalfd) cannot be opened: ENXIO, as on Linux.
    if (file.kind === "anon") return -E.ENXIO;
    // An in-memory file is opened anew from its inode (its own offset and flags), as Linux does.
    if (file instanceof MemFile) {
      if (flags & O.DIRECTORY) return -E.ENOTDIR;
      return mem.openMemFile(file.fs, file.inode, file.shown, flags, stored, file.memfd);
    }
    const acc = flags & O.ACCMODE;
    if ((acc === O.RDONLY || acc === O.RDWR) && !canRead(file)) return -E.EACCES;
    if ((acc === O.WRONLY || acc === O.RDWR) && !canWrite(file)) return -E.EACCES;
    if ((flags & O.DIRECTORY) && file.kind !== "dir") return -E.ENOTDIR;
    return file;
  }

  private openPath(n: Node, path: string, stored: number, mustBeDir: boolean): OpenFile | number {
    const dir = isDirNode(n);
    if (mustBeDir && !dir) return -E.ENOTDIR;
    if (n.t === "mem") return mem.openMemPath(n, path, stored);
    if (n.t !== "host") {
      return new PathFile(stored, path, () => this.ns.statNode(n, path), () => pseudoStatfs(FS_MAGIC.RAMFS, true), dir);
    }
    // A host O_PATH descriptor of its own, so the node stays the one found whatever is renamed.
    let fd: number;
    try {
      fd = openHostFd(this.hostFdCap, hostArg(n.ref.path), O_PATH | noFollowFor(n.ref));
    } catch (err) {
      return -hostErrno(err);
    }
    const statFn = (): StatInfo | number => {
      try {
        return statFromHost(fs.fstatSync(fd, { bigint: true }), n.mountRoot);
      } catch (err) {
        return -hostErrno(err);
      }
    };
    const statfsFn = (): StatfsInfo | number => hostStatfs(fdPath(fd), n.mount.readOnly);
    return new PathFile(stored, path, statFn, statfsFn, dir, () => closeHostFd(fd));
  }

  /**
   * Opens a program for execve: it must be a regular file the host lets us execute (else EACCES).
   * Returns the open file (read it with pread) and its canonical guest and host paths.
   */
  openExec(ctx: PathCtx, path: string): { file: OpenFile; path: string; hostPath: string } | number {
    const r = this.ns.resolve(ctx, path, "follow");
    if (typeof r === "number") return r;
    const n = r.node;
    if (n === null) return -E.ENOENT;
    if (n.t === "mem") {
      if ((n.ino.mode & S.IFMT) !== S.IFREG) return -E.EACCES;
      const x = n.fs.permission(n.ino, ACCESS.X_OK);
      if (x < 0) return x;
      return { file: new MemFile(n.fs, n.ino, O.RDONLY | O.LARGEFILE, r.path), path: r.path, hostPath: "" };
    }
    if (n.t !== "host" || !n.st.isFile()) return -E.EACCES;
    const pinned = this.ns.pinnedPath(n);
    if (typeof pinned === "number") return pinned;
    try {
      fs.accessSync(hostArg(pinned), fs.constants.X_OK);
    } catch (err) {
      return -hostErrno(err);
    }
    const f = this.openHostFile(n.ref, O.RDONLY, O.RDONLY | O.LARGEFILE, r.path, n.mount.readOnly, n.mountRoot, 0, -1);
    if (typeof f === "number") return f;
    return { file: f as HostFile, path: r.path, hostPath: n.ref.shown };
  }

  // ---- metadata ----

  stat(ctx: PathCtx, path: string, follow: boolean): StatInfo | number {
    const r = this.resolve(ctx, path, follow);
    if (typeof r === "number") return r;
    if (r.node === null) return -E.ENOENT;
    if (r.node.t === "fd" && (follow || r.trailingSlash)) return r.node.file.stat();
    return this.ns.statNode(r.node, r.path);
  }

  readlink(ctx: PathCtx, path: string): string | number {
    const r = this.resolve(ctx, path, false);
    if (typeof r === "number") return r;
    if (r.node === null) return -E.ENOENT;
    if (!isLinkNode(r.node)) return -E.EINVAL;
    return this.ns.readLink(r.node);
  }

  /** faccessat: amode is F_OK or R_OK|W_OK|X_OK. Checked with the host's real ids, as access(2). */
  access(ctx: PathCtx, path: string, amode: number, follow: boolean): number {
    if (amode & ~7) return -E.EINVAL;
    const r = this.resolve(ctx, path, follow);
    if (typeof r === "number") return r;
    const n = r.node;
    if (n === null) return -E.ENOENT;
    switch (n.t) {
      case "synth":
        return amode & ACCESS.W_OK ? -E.EROFS : 0;
      case "dev":
        return amode & ACCESS.X_OK ? -E.EACCES : 0;
      case "link":
      case "fd":
        return 0;
      case "fddir":
        return amode & ACCESS.W_OK ? -E.EACCES : 0;
      case "gen": {
        const writable = n.g.kind === "file" && n.g.write !== undefined;
        if ((amode & ACCESS.W_OK) && !writable) return -E.EACCES;
        return amode & ACCESS.X_OK && n.g.kind === "file" ? -E.EACCES : 0;
      }
      case "mem":
        return isLinkNode(n) ? 0 : n.fs.permission(n.ino, amode);
      case "host": {
        const type = Number(n.st.mode) & S.IFMT;
        if (type === S.IFLNK) return 0;
        const special = type === S.IFCHR || type === S.IFBLK || type === S.IFIFO || type === S.IFSOCK;
        if ((amode & ACCESS.W_OK) && n.mount.readOnly && !special) return -E.EROFS;
        const pinned = this.ns.pinnedPath(n);
        if (typeof pinned === "number") return pinned;
        try {
          fs.accessSync(hostArg(pinned), amode);
          return 0;
        } catch (err) {
          return -hostErrno(err);
        }
      }
    }
  }

  statfs(ctx: PathCtx, path: string): StatfsInfo | number {
    const r = this.resolve(ctx, path, true);
    if (typeof r === "number") return r;
    const n = r.node;
    if (n === null) return -E.ENOENT;
    if (n.t === "host") {
      const pinned = this.ns.pinnedPath(n);
      return typeof pinned === "number" ? pinned : hostStatfs(pinned, n.mount.readOnly);
    }
    if (n.t === "fd") return n.file.statfs();
    if (n.t === "mem") return n.fs.statfs();
    const proc = n.t === "link" || n.t === "fddir" || n.t === "gen";
    return pseudoStatfs(n.t === "dev" ? FS_MAGIC.TMPFS : proc ? FS_MAGIC.PROC : FS_MAGIC.RAMFS, true);
  }

  /** chdir's target: the canonical guest path of a searchable directory. */
  chdir(ctx: PathCtx, path: string): string | number {
    const r = this.resolve(ctx, path, true);
    if (typeof r === "number") return r;
    const n = r.node;
    if (n === null) return -E.ENOENT;
    if (!isDirNode(n)) return -E.ENOTDIR;
    if (n.t === "mem") {
      const x = n.fs.permission(n.ino, ACCESS.X_OK);
      if (x < 0) return x;
    }
    if (n.t === "host") {
      const pinned = this.ns.pinnedPath(n);
      if (typeof pinned === "number") return pinned;
      try {
        fs.accessSync(hostArg(pinned), fs.constants.X_OK);
      } catch (err) {
        return -hostErrno(err);
      }
    }
    return r.path;
  }

  // ---- changes (changes.ts) ----

  chmod(ctx: PathCtx, path: string, mode: number): number {
    return changes.chmod(this.ns, ctx, path, mode);
  }

  utimes(ctx: PathCtx, path: string, atime: TimeArg, mtime: TimeArg, follow: boolean): number {
    return changes.utimes(this.ns, ctx, path, atime, mtime, follow);
  }

  utimesFile(file: OpenFile, atime: TimeArg, mtime: TimeArg): number {
    return changes.utimesFile(file, atime, mtime);
  }

  truncate(ctx: PathCtx, path: string, length: number): number {
    return changes.truncate(this.ns, ctx, path, length);
  }

  mkdir(ctx: PathCtx, path: string, mode: number, umask: number): number {
    return changes.mkdir(this.ns, ctx, path, mode, umask);
  }

  unlink(ctx: PathCtx, path: string, removeDir: boolean): number {
    return changes.unlink(this.ns, ctx, path, removeDir);
  }

  rename(oldCtx: PathCtx, oldPath: string, newCtx: PathCtx, newPath: string, flags: number): number {
    return changes.rename(this.ns, oldCtx, oldPath, newCtx, newPath, flags);
  }

  symlink(target: string, ctx: PathCtx, path: string): number {
    return changes.symlink(this.ns, target, ctx, path);
  }

  link(oldCtx: PathCtx, oldPath: string, newCtx: PathCtx, newPath: string, follow: boolean): number {
    return changes.link(this.ns, oldCtx, oldPath, newCtx, newPath, follow);
  }
}
