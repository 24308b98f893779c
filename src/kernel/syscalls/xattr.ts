// Extended attributes: getxattr, lgetxattr, fgetxattr, listxattr, llistxattr, flistxattr,
// setxattr, lsetxattr, fsetxattr, removexattr, lremovexattr, fremovexattr.
//
// The guest's files have no extended attributes and cannot be given any (host attributes would
// leak the host, and writing them would change it): the file system answers as one that knows the
// user., trusted., security. and system. namespaces but holds nothing. So a get is ENODATA, a list
// is empty, a remove is ENODATA (there is nothing to remove) and a set is ENOTSUP (EOPNOTSUPP).
// Before that come Linux's own checks, in its order (fs/xattr.c): the flags and the name (ERANGE
// for an empty or over-long one), E2BIG for a value over XATTR_SIZE_MAX, the path lookup or the
// descriptor, EROFS for a write on a read-only mount, then xattr_permission (user.* attributes
// only on regular files and directories: ENODATA to read, EPERM to write elsewhere; trusted.*
// needs CAP_SYS_ADMIN), and EOPNOTSUPP for a name in no namespace or a file of /proc (procfs
// has no attribute handlers).
import { E } from "../../abi/gen/errno.js";
import { AT, FS_MAGIC, O, S } from "../../abi/fs.js";
import type { Task } from "../task.js";
import { HostFile } from "../vfs/host-file.js";
import { argInt, argPtr, argU64 } from "./args.js";
import { fileOf, pathAt } from "./fs-common.js";
import type { SyscallResult, SyscallRow } from "./types.js";

const XATTR_NAME_MAX = 255;
const XATTR_SIZE_MAX = 65536;
const XATTR_CREATE = 1;
const XATTR_REPLACE = 2;

const NAMESPACES = ["user.", "trusted.", "security.", "system."];

/** What an attribute call acts on: the file's type and whether its mount is read-only. */
interface Target {
  mode: number;
  readOnly: boolean;
  /** On a file system without attribute handlers (procfs): EOPNOTSUPP once the checks pass. */
  noXattr: boolean;
}

type Access = "read" | "write";

/** import_xattr_name: the name's bytes as a string, or -ERANGE (empty or too long). */
function xattrName(t: Task, addr: number): string | number {
  let raw: Uint8Array;
  try {
    raw = t.mem.readCStringBytes(addr, XATTR_NAME_MAX + 1);
  } catch (err) {
    if (err instanceof RangeError) return -E.ERANGE;
    throw err;
  }
  if (raw.length === 0 || raw.length > XATTR_NAME_MAX) return -E.ERANGE;
  return String.fromCharCode(...raw);
}

/** The file a path names (following a final symlink unless `follow` is false), or -errno. */
function pathTarget(t: Task, follow: boolean): Target | number {
  const at = pathAt(t, AT.FDCWD, argPtr(t, 0));
  if (typeof at === "number") return at;
  const r = t.kernel.vfs.resolve(at[0], at[1], follow);
  if (typeof r === "number") return r;
  if (r.node === null) return -E.ENOENT;
  const st = t.kernel.vfs.stat(at[0], at[1], follow);
  if (typeof st === "number") return st;
  const fsInfo = t.kernel.vfs.statfs(at[0], at[1]);
  const noXattr = typeof fsInfo !== "number" && fsInfo.type === FS_MAGIC.PROC;
  return { mode: st.mode, readOnly: r.node.t === "host" && r.node.mount.readOnly, noXattr };
}

/** The file of a descriptor (O_PATH ones are EBADF, as fdget gives), or -errno. */
function fdTarget(t: Task): Target | number {
  const f = fileOf(t, argInt(t, 0));
  if (typeof f === "number") return f;
  if (f.flags & O.PATH) return -E.EBADF;
  const st = f.stat();
  if (typeof st === "number") return st;
  const fsInfo = f.statfs();
  const noXattr = typeof fsInfo !== "number" && fsInfo.type === FS_MAGIC.PROC;
  return { mode: st.mode, readOnly: f instanceof HostFile && f.readOnly, noXattr };
}

/** xattr_permission and the namespace lookup: 0 when the name may be asked about, or -errno. */
function permission(t: Task, target: Target, name: string, access: Access): number {
  if (access === "write" && target.readOnly) return -E.EROFS;
  const type = target.mode & S.IFMT;
  if (name.startsWith("user.") && type !== S.IFREG && type !== S.IFDIR) return access === "write" ? -E.EPERM : -E.ENODATA;
  if (name.startsWith("trusted.") && t.kernel.world.uid !== 0) return access === "write" ? -E.EPERM : -E.ENODATA;
  if (!NAMESPACES.some((ns) => name.startsWith(ns)) || target.noXattr) return -E.EOPNOTSUPP;
  return 0;
}

function getx(target: (t: Task) => Target | number) {
  return (t: Task): SyscallResult => {
    const name = xattrName(t, argPtr(t, 1));
    if (typeof name === "number") return name;
    const f = target(t);
    if (typeof f === "number") return f;
    const e = permission(t, f, name, "read");
    return e < 0 ? e : -E.ENODATA;
  };
}

function listx(target: (t: Task) => Target | number) {
  return (t: Task): SyscallResult => {
    const f = target(t);
    return typeof f === "number" ? f : 0;
  };
}

function setx(target: (t: Task) => Target | number) {
  return (t: Task): SyscallResult => {
    if (argInt(t, 4) & ~(XATTR_CREATE | XATTR_REPLACE)) return -E.EINVAL;
    const name = xattrName(t, argPtr(t, 1));
    if (typeof name === "number") return name;
    const size = argU64(t, 3);
    if (size > BigInt(XATTR_SIZE_MAX)) return -E.E2BIG;
    if (size > 0n) t.mem.read(argPtr(t, 2), Number(size)); // EFAULT for a bad value
    const f = target(t);
    if (typeof f === "number") return f;
    const e = permission(t, f, name, "write");
    return e < 0 ? e : -E.EOPNOTSUPP;
  };
}

function removex(target: (t: Task) => Target | number) {
  return (t: Task): SyscallResult => {
    const name = xattrName(t, argPtr(t, 1));
    if (typeof name === "number") return name;
    const f = target(t);
    if (typeof f === "number") return f;
    const e = permission(t, f, name, "write");
    return e < 0 ? e : -E.ENODATA;
  };
}

const byPath = (t: Task) => pathTarget(t, true);
const byLink = (t: Task) => pathTarget(t, false);

const GET = "no file has extended attributes: ENODATA after the lookup and Linux's permission checks";
const LIST = "no file has extended attributes: an empty list after the lookup";
const SET = "attributes cannot be set: ENOTSUP (EROFS on read-only mounts, EPERM where Linux forbids them) after the lookup";
const REMOVE = "there is nothing to remove: ENODATA (EROFS on read-only mounts, EPERM where Linux forbids it) after the lookup";

export const xattrSyscalls: SyscallRow[] = [
  { name: "getxattr", handler: getx(byPath), support: "stub", note: GET },
  { name: "lgetxattr", handler: getx(byLink), support: "stub", note: GET },
  { name: "fgetxattr", handler: getx(fdTarget), support: "stub", note: GET },
  { name: "listxattr", handler: listx(byPath), support: "stub", note: LIST },
  { name: "llistxattr", handler: listx(byLink), support: "stub", note: LIST },
  { name: "flistxattr", handler: listx(fdTarget), support: "stub", note: LIST },
  { name: "setxattr", handler: setx(byPath), support: "stub", note: SET },
  { name: "lsetxattr", handler: setx(byLink), support: "stub", note: SET },
  { name: "fsetxattr", handler: setx(fdTarget), support: "stub", note: SET },
  { name: "removexattr", handler: removex(byPath), support: "stub", note: REMOVE },
  { name: "lremovexattr", handler: removex(byLink), support: "stub", note: REMOVE },
  { name: "fremovexattr", handler: removex(fdTarget), support: "stub", note: REMOVE },
];
