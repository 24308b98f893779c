// The guest's file namespace: host directories (or single files) mounted at guest paths, device
// nodes and /proc/self/exe placed at exact guest paths ("overlay" entries), and read-only synthetic
// directories for every ancestor of those, showing only the mounted children.
//
// Lookup is done here, one component at a time, never by the host: each component inside a mount
// is lstat-ed on the host relative to a held descriptor of its directory (host-ref.ts: no host path
// string is ever handed to the host), symlinks are read with readlink and their targets interpreted in the
// GUEST namespace (absolute targets from the guest root, relative ones from the link's directory),
// `..` pops the guest path (so it leaves a mount root towards the guest parent, never the host
// parent), at most 40 links are followed (ELOOP), and a name over 255 bytes is ENAMETOOLONG.
// Anything outside every mount does not exist (ENOENT).
//
// In-memory file systems (memfs.ts: the private /tmp and /dev/shm) are overlay entries too; their
// nodes ("mem") are looked up in rvtrace's memory, with the search permission checked here as the
// host checks it for host directories.
//
// An overlay entry wins over what a host mount has at the same path. A synthetic ancestor inside
// a host mount is used only where the host has no real directory at that path (so /proc/self stays
// ours even if a host "/" is mounted, where /proc/self is a symlink).
import * as fs from "node:fs";
import { E } from "../../abi/gen/errno.js";
import { DT, MAX_SYMLINKS, NAME_MAX, PATH_MAX, S, dtFromMode, makedev } from "../../abi/fs.js";
import type { DirEntry } from "./dir.js";
import type { OpenFile } from "./open-file.js";
import { DEVICE_NUMBERS, type DeviceKind } from "./devices.js";
import { hostErrno } from "./errors.js";
import { ancestors, baseName, fnv1a64, hostArg, joinPath, parentPath } from "./paths.js";
import { HostHandles, O_PATH, childRef, fdPath, lstatRef, pinnedRef, type HostRef } from "./host-ref.js";
import { hostFsCalls } from "./host-calls.js";
import { hostKey, statFromHost, syntheticStat, type StatInfo, type Timespec } from "./stat.js";
import type { GenCaller, GenDir, GenEntry, GenFile, GenRoot } from "./generated.js";
import { isMemDir, isMemLink, type MemFs, type MemInode } from "./memfs.js";
import { MemFile } from "./mem-file.js";

export interface Mount {
  id: number;
  /** Host path (byte string, symlink-free) at start: for messages only (see rootFd). */
  host: string;
  /**
   * A descriptor held open on the mounted directory or file for the whole run: every use goes
   * through it. -errno when the host path could not be opened (then the mount shows nothing).
   */
  rootFd: number;
  /** Guest path (byte string, normalised). */
  guest: string;
  readOnly: boolean;
}

/** What a guest path names. */
export type Node =
  | {
      t: "host";
      mount: Mount;
      /** Where it is on the host (through held descriptors). */
      ref: HostRef;
      /** Its lstat when it was looked up. */
      st: fs.BigIntStats;
      /** The node is the mount's root itself. */
      mountRoot: boolean;
    }
  | { t: "synth" }
  | { t: "dev"; dev: DeviceKind }
  | { t: "link"; target: string }
  /** /proc/self/fd: lists the calling process's descriptors. */
  | { t: "fddir" }
  /** /proc/self/fd/N: a "magic" link to what descriptor N refers to. */
  | { t: "fd"; fd: number; file: OpenFile }
  /** A generated file or directory (generated.ts): /proc, /sys, the sandbox's /etc files. */
  | { t: "gen"; g: GenFile | GenDir }
  /** A file, directory or symlink of an in-memory file system (memfs.ts: the private /tmp). */
  | { t: "mem"; fs: MemFs; ino: MemInode };

type OverlayEntry =
  | { t: "mount"; mount: Mount }
  | { t: "dev"; dev: DeviceKind }
  | { t: "exe-link" }
  | { t: "symlink"; target: string }
  | { t: "fd-dir" }
  /** A generated tree; a fallback one shows only where the host mount below has nothing. */
  | { t: "gen"; root: GenRoot; fallback: boolean }
  | { t: "memfs"; fs: MemFs };

/** The descriptor table as lookups see it (FdTable satisfies this). */
export interface FdView {
  get(fd: number): OpenFile | undefined;
  fds(): number[];
  /** Whether close-on-exec is set (/proc/PID/fdinfo shows it as O_CLOEXEC). */
  isCloexec?(fd: number): boolean;
}

/** Per-lookup context: the directory relative paths start from, and the calling process. */
export interface PathCtx {
  /** Absolute canonical guest path (byte string). */
  cwd: string;
  /** Guest path of the running program (byte string), for /proc/self/exe. */
  exe: string;
  /** The calling process's descriptors, for /proc/self/fd (absent: the directory is empty). */
  fds?: FdView;
  /** The calling process and thread, for generated trees (/proc/self); absent: none. */
  caller?: GenCaller;
}

/**
 * Whether a /proc/self/fd/N link can be followed as a path: files opened through the namespace
 * have one (their canonical guest path). Pipes, stdio and the like cannot; opening such a link
 * gives the very same open file (see Vfs.open).
 */
function fdTarget(f: OpenFile): string | null {
  // An in-memory file may have no name left (memfd, unlinked): it is reopened by its inode.
  if (f instanceof MemFile) return null;
  if (!f.path.startsWith("/")) return null;
  return f.kind === "file" || f.kind === "dir" || f.kind === "path" || f.kind === "device" ? f.path : null;
}

export interface Lookup {
  /** The node, or null when the final component does not exist (its parent does). */
  node: Node | null;
  /** Canonical guest path of the node (or of where it would be created). */
  path: string;
  /** The directory holding it (null for "/"). */
  parent: Node | null;
  parentPath: string;
  /** The final component as written: a name, ".", "..", or "" for "/". */
  name: string;
  /** The path ended in "/". */
  trailingSlash: boolean;
}

/**
 * How the final component is treated: "follow" follows a final symlink; "nofollow" does not
 * (unless the path ends in "/", as Linux does); "create" never does (mkdir, symlink, link, unlink,
 * rename: the final name itself is what the call is about).
 */
export type FinalMode = "follow" | "nofollow" | "create";

/** st_dev values of synthetic nodes (anonymous devices, major 0). */
export const SYNTH_DEV = { dirs: makedev(0, 0x21), devices: makedev(0, 5), proc: makedev(0, 0x16) } as const;

/** A made-up, stable inode number for a synthetic node: a 48-bit hash of its guest path. */
export function synthIno(path: string): bigint {
  return fnv1a64(path) & 0xffff_ffff_ffffn || 1n;
}

export function isDirNode(n: Node): boolean {
  return n.t === "synth" || n.t === "fddir" || (n.t === "gen" && n.g.kind === "dir") || (n.t === "host" && n.st.isDirectory()) || (n.t === "mem" && isMemDir(n.ino));
}

export function isLinkNode(n: Node): boolean {
  return n.t === "link" || n.t === "fd" || (n.t === "host" && n.st.isSymbolicLink()) || (n.t === "mem" && isMemLink(n.ino));
}

export type HostNode = Extract<Node, { t: "host" }>;
export type MemNode = Extract<Node, { t: "mem" }>;

export class Namespace {
  readonly mounts: Mount[] = [];
  /** The in-memory file systems and where they are (for listings such as /proc/mounts). */
  readonly memMounts: { guest: string; fs: MemFs }[] = [];
  private readonly overlay = new Map<string, OverlayEntry>();
  /** Synthetic directories (every ancestor of an overlay entry) and their children's names. */
  private readonly synthDirs = new Map<string, Set<string>>([["/", new Set()]]);
  private nextMountId = 1;
  /** Descriptors opened by lookups (host-ref.ts says which are kept and for how long). */
  readonly handles = new HostHandles();

  constructor(private readonly time: Timespec) {}

  /**
   * Mounts a host directory or file (host path already symlink-free) at a guest path. The root is
   * opened now and held: renaming or replacing it on the host later does not move the mount.
   */
  addMount(host: string, guest: string, readOnly: boolean): Mount {
    let rootFd: number;
    try {
      rootFd = fs.openSync(hostArg(host), O_PATH);
    } catch (err) {
      rootFd = -hostErrno(err);
    }
    const mount: Mount = { id: this.nextMountId++, host, guest, rootFd, readOnly };
    this.mounts.push(mount);
    this.addOverlay(guest, { t: "mount", mount });
    return mount;
  }

  addDevice(guest: string, dev: DeviceKind): void {
    this.addOverlay(guest, { t: "dev", dev });
  }

  /** A magic symlink whose target is the calling process's program (PathCtx.exe). */
  addExeLink(guest: string): void {
    this.addOverlay(guest, { t: "exe-link" });
  }

  /** A fixed synthetic symlink (/dev/stdin → /proc/self/fd/0, …). */
  addSymlink(guest: string, target: string): void {
    this.addOverlay(guest, { t: "symlink", target });
  }

  /** The calling process's descriptor directory (/proc/self/fd). */
  addFdDir(guest: string): void {
    this.addOverlay(guest, { t: "fd-dir" });
  }

  /**
   * A generated tree at a guest path (/proc, /sys/devices/system/cpu, /etc/passwd). A fallback one
   * yields to what a host mount has at that path (a sysroot's own /etc/passwd).
   */
  addGenerated(guest: string, root: GenRoot, fallback = false): void {
    // A file mounted at that very path (--mount HOST:/etc/hosts) is what the guest gets.
    if (fallback && this.overlay.has(guest)) return;
    this.addOverlay(guest, { t: "gen", root, fallback });
  }

  /** An in-memory file system (the private /tmp, /dev/shm) mounted at a guest path. */
  addMemFs(guest: string, fs: MemFs): void {
    this.memMounts.push({ guest, fs });
    this.addOverlay(guest, { t: "memfs", fs });
  }

  private addOverlay(guest: string, entry: OverlayEntry): void {
    this.overlay.set(guest, entry);
    if (guest === "/") return;
    for (const a of ancestors(guest)) if (!this.synthDirs.has(a)) this.synthDirs.set(a, new Set());
    const chain = [...ancestors(guest), guest];
    for (let i = 0; i + 1 < chain.length; i++) this.synthDirs.get(chain[i])!.add(baseName(chain[i + 1]));
  }

  /** The mount whose tree holds a guest path lexically (the deepest one), for diagnostics. */
  mountAt(guest: string): Mount | undefined {
    const e = this.overlay.get(guest);
    return e?.t === "mount" ? e.mount : undefined;
  }

  /** Closes the descriptors the current syscall's lookups opened; nodes found before are stale after. */
  releaseHandles(): void {
    this.handles.release();
  }

  /**
   * A descriptor of host directory `dir` to look up names in, opened without following anything
   * and checked to be the directory found by the lookup; -errno if it has gone or been swapped.
   */
  dirHandle(dir: HostNode): number {
    if (dir.ref.fd !== null) return dir.ref.fd;
    return this.handles.dir(dir.ref, dir.st);
  }

  /** The ref of name `name` in host directory `dir` (for creating it), or -errno. */
  childOf(dir: HostNode, name: string): HostRef | number {
    const fd = this.dirHandle(dir);
    if (fd < 0) return fd;
    return childRef(fd, name, joinPath(dir.ref.shown, name));
  }

  /**
   * A path that reaches exactly node `n` even for calls that follow symlinks (chmod, truncate,
   * access, statfs, utimes): /proc/self/fd/H of a held O_PATH descriptor checked to be `n`.
   */
  pinnedPath(n: HostNode): string | number {
    if (n.ref.fd !== null) return n.ref.path;
    const fd = this.handles.open(n.ref, n.st);
    return fd < 0 ? fd : fdPath(fd);
  }

  /** True for paths that are mount points or synthetic: they cannot be removed or renamed. */
  isBusy(path: string): boolean {
    return this.overlay.has(path) || this.synthDirs.has(path);
  }

  root(ctx: PathCtx): Node | number {
    const n = this.fromOverlay("/", ctx);
    return n ?? { t: "synth" };
  }

  private fromOverlay(path: string, ctx: PathCtx): Node | null | number {
    const e = this.overlay.get(path);
    if (!e) return null;
    switch (e.t) {
      case "mount": {
        const missing = e.mount.rootFd === -E.ENOENT;
        if (e.mount.rootFd < 0 && !missing) return e.mount.rootFd;
        const ref = pinnedRef(e.mount.rootFd, e.mount.host);
        const st = missing ? undefined : lstatRef(ref);
        if (typeof st === "number") return st;
        if (st === undefined) return this.synthDirs.has(path) ? { t: "synth" } : null;
        return { t: "host", mount: e.mount, ref, st, mountRoot: true };
      }
      case "dev":
        return { t: "dev", dev: e.dev };
      case "exe-link":
        return { t: "link", target: ctx.exe };
      case "symlink":
        return { t: "link", target: e.target };
      case "fd-dir":
        return { t: "fddir" };
      case "gen":
        return genNode(e.root(ctx.caller ?? NO_CALLER));
      case "memfs":
        return { t: "mem", fs: e.fs, ino: e.fs.root };
    }
  }

  /** The child `name` of directory `dir` (at guest path dirPath): a node, null if absent, or -errno. */
  lookupChild(dir: Node, dirPath: string, name: string, ctx: PathCtx): Node | null | number {
    const childPath = joinPath(dirPath, name);
    const e = this.overlay.get(childPath);
    if (e?.t === "gen" && e.fallback && dir.t === "host") {
      const own = this.hostChild(dir, name, false);
      if (own !== null) return own;
    }
    const ov = this.fromOverlay(childPath, ctx);
    if (ov !== null) return ov;
    const synth = this.synthDirs.has(childPath);
    if (dir.t === "host") return this.hostChild(dir, name, synth);
    if (dir.t === "mem") {
      // Searching a directory needs its x bit (the host checks this for host directories).
      const p = dir.fs.permission(dir.ino, 1);
      if (p < 0) return p;
      const c = dir.ino.entries?.get(name);
      if (c === undefined || (synth && !isMemDir(c))) return synth ? { t: "synth" } : null;
      return { t: "mem", fs: dir.fs, ino: c };
    }
    if (dir.t === "synth") return synth ? { t: "synth" } : null;
    if (dir.t === "gen") {
      if (dir.g.kind !== "dir") return -E.ENOTDIR;
      const c = dir.g.child(name);
      return c === null ? null : genNode(c);
    }
    if (dir.t === "fddir") {
      if (!/^(0|[1-9][0-9]{0,9})$/.test(name)) return null;
      const fd = Number(name);
      const file = ctx.fds?.get(fd);
      return file ? { t: "fd", fd, file } : null;
    }
    return -E.ENOTDIR;
  }

  /** The host entry `name` of host directory `dir`; `synth`: a synthetic directory shows there if the host has none. */
  private hostChild(dir: HostNode, name: string, synth: boolean): Node | null | number {
    const ref = this.childOf(dir, name);
    if (typeof ref === "number") return ref;
    const st = lstatRef(ref);
    if (typeof st === "number") return st;
    if (st === undefined || (synth && !st.isDirectory())) return synth ? { t: "synth" } : null;
    return { t: "host", mount: dir.mount, ref, st, mountRoot: false };
  }

  /** The target of a symlink node, as a byte string (what readlink shows). */
  readLink(n: Node): string | number {
    if (n.t === "link") return n.target;
    if (n.t === "fd") return n.file.path;
    if (n.t === "mem") return isMemLink(n.ino) ? n.ino.target : -E.EINVAL;
    if (n.t !== "host") return -E.EINVAL;
    try {
      hostFsCalls.count++;
      // readlink never follows its last component, and the directory before it is held.
      return fs.readlinkSync(hostArg(n.ref.path), { encoding: "buffer" }).toString("latin1");
    } catch (err) {
      return -hostErrno(err);
    }
  }

  /** Resolves a guest path (byte string) as described at the top of this file. */
  resolve(ctx: PathCtx, path: string, mode: FinalMode): Lookup | number {
    if (path.length === 0) return -E.ENOENT;
    if (path.length >= PATH_MAX) return -E.ENAMETOOLONG;
    const trailingSlash = path.length > 1 && path.endsWith("/");
    const todo: string[] = [];
    const push = (p: string): void => {
      const parts = p.split("/");
      for (let i = parts.length - 1; i >= 0; i--) if (parts[i] !== "") todo.push(parts[i]);
    };
    push(path);
    if (path[0] !== "/") push(ctx.cwd);
    const root = this.root(ctx);
    if (typeof root === "number") return root;
    const nodes: Node[] = [root];
    const names: string[] = [];
    let lastName = "";
    let links = 0;
    while (todo.length > 0) {
      const comp = todo.pop()!;
      const isLast = todo.length === 0;
      const cur = nodes[nodes.length - 1];
      if (!isDirNode(cur)) return -E.ENOTDIR;
      lastName = comp;
      if (comp === ".") continue;
      if (comp === "..") {
        if (nodes.length > 1) {
          nodes.pop();
          names.pop();
        }
        continue;
      }
      if (comp.length > NAME_MAX) return -E.ENAMETOOLONG;
      const curPath = "/" + names.join("/");
      const child = this.lookupChild(cur, curPath, comp, ctx);
      if (typeof child === "number") return child;
      if (child === null) {
        if (!isLast) return -E.ENOENT;
        return { node: null, path: joinPath(curPath, comp), parent: cur, parentPath: curPath, name: comp, trailingSlash };
      }
      if (isLinkNode(child) && (!isLast || mode === "follow" || (mode === "nofollow" && trailingSlash))) {
        if (++links > MAX_SYMLINKS) return -E.ELOOP;
        const target = child.t === "fd" ? fdTarget(child.file) : this.readLink(child);
        if (typeof target === "number") return target;
        if (target === null) {
          // A descriptor link without a path: it can only be the final component.
          if (!isLast) return -E.ENOTDIR;
          nodes.push(child);
          names.push(comp);
          continue;
        }
        if (target.length === 0) return -E.ENOENT;
        if (target[0] === "/") {
          nodes.length = 1;
          names.length = 0;
          lastName = "";
        }
        push(target);
        continue;
      }
      nodes.push(child);
      names.push(comp);
    }
    const node = nodes[nodes.length - 1];
    const p = "/" + names.join("/");
    if (trailingSlash && mode !== "create" && !isDirNode(node)) return -E.ENOTDIR;
    return {
      node,
      path: p,
      parent: nodes.length > 1 ? nodes[nodes.length - 2] : null,
      parentPath: parentPath(p),
      name: names.length === 0 && lastName !== "." && lastName !== ".." ? "" : lastName,
      trailingSlash,
    };
  }

  /** stat of a node found at guest path `path`. */
  statNode(n: Node, path: string): StatInfo {
    switch (n.t) {
      case "host":
        return statFromHost(n.st, n.mountRoot);
      case "mem":
        return n.fs.stat(n.ino);
      case "synth": {
        let subdirs = 0;
        for (const c of this.synthDirs.get(path) ?? []) if (this.synthDirs.has(joinPath(path, c))) subdirs++;
        return syntheticStat({ dev: SYNTH_DEV.dirs, ino: synthIno(path), mode: S.IFDIR | 0o555, nlink: 2 + subdirs, time: this.time });
      }
      case "dev": {
        const [major, minor] = DEVICE_NUMBERS[n.dev];
        return syntheticStat({
          dev: SYNTH_DEV.devices,
          ino: synthIno(path),
          mode: S.IFCHR | 0o666,
          rdev: makedev(major, minor),
          time: this.time,
        });
      }
      case "link":
        return syntheticStat({
          dev: SYNTH_DEV.proc,
          ino: synthIno(path),
          mode: S.IFLNK | 0o777,
          size: BigInt(n.target.length),
          time: this.time,
        });
      case "fddir":
        return syntheticStat({ dev: SYNTH_DEV.proc, ino: synthIno(path), mode: S.IFDIR | 0o500, nlink: 2, time: this.time });
      case "fd":
        return syntheticStat({
          dev: SYNTH_DEV.proc,
          ino: synthIno(path),
          mode: S.IFLNK | 0o700,
          size: 64n,
          time: this.time,
        });
      case "gen":
        return genStat(n.g, path, this.time);
    }
  }

  private direntOf(n: Node, path: string, name: string): DirEntry {
    if (n.t === "host") return { name, ino: n.st.ino, type: dtFromMode(Number(n.st.mode)), hostKey: hostKey(n.st) };
    if (n.t === "mem") return n.fs.direntOf(n.ino, name);
    const type = isDirNode(n) ? DT.DIR : n.t === "dev" ? DT.CHR : n.t === "gen" ? DT.REG : DT.LNK;
    return { name, ino: synthIno(path), type };
  }

  /**
   * The entries of directory `n` at `path`: ".", "..", then the host entries merged with what is
   * mounted there, sorted by name (bytewise).
   */
  listDir(n: Node, path: string, ctx: PathCtx): DirEntry[] | number {
    const byName = new Map<string, DirEntry>();
    if (n.t === "host") {
      const dirFd = this.dirHandle(n);
      if (dirFd < 0) return dirFd;
      let names: Buffer[];
      try {
        hostFsCalls.count++;
        names = fs.readdirSync(hostArg(fdPath(dirFd)), { encoding: "buffer" });
      } catch (err) {
        return -hostErrno(err);
      }
      for (const b of names) {
        const name = b.toString("latin1");
        const st = lstatRef(childRef(dirFd, name, ""));
        if (st === undefined || typeof st === "number") continue;
        byName.set(name, { name, ino: st.ino, type: dtFromMode(Number(st.mode)), hostKey: hostKey(st) });
      }
    }
    if (n.t === "mem") for (const [name, c] of n.ino.entries ?? []) byName.set(name, n.fs.direntOf(c, name));
    if (n.t === "fddir") {
      for (const fd of ctx.fds?.fds() ?? []) {
        const name = String(fd);
        byName.set(name, { name, ino: synthIno(joinPath(path, name)), type: DT.LNK });
      }
    }
    const generated = n.t === "gen" && n.g.kind === "dir" ? n.g.names() : [];
    for (const name of generated) {
      const child = this.lookupChild(n, path, name, ctx);
      if (child === null || typeof child === "number") continue;
      byName.set(name, this.direntOf(child, joinPath(path, name), name));
    }
    for (const name of this.synthDirs.get(path) ?? []) {
      const child = this.lookupChild(n, path, name, ctx);
      if (child === null || typeof child === "number") continue;
      byName.set(name, this.direntOf(child, joinPath(path, name), name));
    }
    // Descriptors come in numeric order (as /proc lists them), generated directories in their own
    // order (/proc: its files, then the pids ascending); names otherwise sort bytewise.
    const sorted = [...byName.values()];
    if (n.t !== "fddir" && n.t !== "gen") sorted.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let parent = this.direntOf(n, path, "..");
    if (path !== "/") {
      const up = this.resolve(ctx, parentPath(path), "follow");
      if (typeof up !== "number" && up.node) parent = this.direntOf(up.node, up.path, "..");
    }
    return [this.direntOf(n, path, "."), { ...parent, type: DT.DIR }, ...sorted];
  }
}

const NO_CALLER: GenCaller = { pid: 0, tid: 0 };

/** The namespace node of a generated entry: links and descriptor links become the usual kinds. */
function genNode(g: GenEntry): Node | number {
  switch (g.kind) {
    case "link": {
      const target = g.target();
      return typeof target === "number" ? target : { t: "link", target };
    }
    case "fd":
      return { t: "fd", fd: g.fd, file: g.file };
    default:
      return { t: "gen", g };
  }
}

/** stat of a generated node: /proc's device, size 0 as Linux's seq files show (unless sized). */
function genStat(g: GenFile | GenDir, path: string, time: Timespec): StatInfo {
  const owner = { uid: g.owner?.uid ?? 0, gid: g.owner?.gid ?? 0 };
  if (g.kind === "dir") {
    return syntheticStat({ dev: SYNTH_DEV.proc, ino: synthIno(path), mode: S.IFDIR | (g.mode ?? 0o555), nlink: 2, time, ...owner });
  }
  let size = 0n;
  if (g.sized) {
    const c = g.content();
    size = BigInt(c.length);
  }
  return syntheticStat({ dev: SYNTH_DEV.proc, ino: synthIno(path), mode: S.IFREG | (g.mode ?? 0o444), size, time, ...owner });
}
