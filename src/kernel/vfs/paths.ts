// Paths inside the Vfs are "byte strings": one JS char per byte (latin1), so any name Linux allows,
// UTF-8 or not, survives a round trip guest → host → guest unchanged, and lengths are byte counts.
// Strings from outside (config, Process.cwd) are ordinary UTF-8 JS strings and are converted here.
import { E } from "../../abi/gen/errno.js";
import type { AddressSpace } from "../../mem/address-space.js";
import { PATH_MAX } from "../../abi/fs.js";

const ASCII = /^[\x00-\x7f]*$/;
const latin1 = new TextDecoder("latin1");

/** A UTF-8 JS string (config, Process.cwd) → byte string. */
export function toBytePath(s: string): string {
  if (ASCII.test(s)) return s;
  return Buffer.from(s, "utf8").toString("latin1");
}

/** A byte string → UTF-8 JS string (lossy only for names that are not valid UTF-8). */
export function fromBytePath(s: string): string {
  if (ASCII.test(s)) return s;
  return Buffer.from(s, "latin1").toString("utf8");
}

/** A byte string as the Buffer Node's fs calls take (so no re-encoding happens on the host). */
export function hostArg(s: string): Buffer {
  return Buffer.from(s, "latin1");
}

/** Raw bytes → byte string. */
export function bytesToPath(b: Uint8Array): string {
  return latin1.decode(b);
}

/** Byte string → raw bytes. */
export function pathToBytes(s: string): Uint8Array {
  return Buffer.from(s, "latin1");
}

/**
 * Reads a path argument from guest memory as Linux's getname does: GuestFault propagates
 * (→ EFAULT), a string of PATH_MAX bytes or more is -ENAMETOOLONG. The empty string is returned
 * as is (callers decide between ENOENT and AT_EMPTY_PATH).
 */
export function readPath(mem: AddressSpace, addr: number): string | number {
  let raw: Uint8Array;
  try {
    raw = mem.readCStringBytes(addr, PATH_MAX);
  } catch (err) {
    if (err instanceof RangeError) return -E.ENAMETOOLONG;
    throw err;
  }
  if (raw.length >= PATH_MAX) return -E.ENAMETOOLONG;
  return bytesToPath(raw);
}

/** Joins a directory byte path and a name. */
export function joinPath(dir: string, name: string): string {
  return dir === "/" ? "/" + name : dir + "/" + name;
}

/** The parent of a normalised absolute path ("/" for "/"). */
export function parentPath(p: string): string {
  const i = p.lastIndexOf("/");
  return i <= 0 ? "/" : p.slice(0, i);
}

/** The last component of a normalised absolute path ("" for "/"). */
export function baseName(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

/**
 * Lexically normalises an absolute path (config input only: guest lookups never do this, since
 * `..` after a symlink must follow the link).
 */
export function normalizeAbsolute(p: string): string {
  const out: string[] = [];
  for (const c of p.split("/")) {
    if (c === "" || c === ".") continue;
    if (c === "..") out.pop();
    else out.push(c);
  }
  return "/" + out.join("/");
}

/** Ancestors of a normalised absolute path, from "/" down to its parent. */
export function ancestors(p: string): string[] {
  const out = ["/"];
  const parts = p.split("/").filter((c) => c !== "");
  let cur = "";
  for (let i = 0; i < parts.length - 1; i++) {
    cur += "/" + parts[i];
    out.push(cur);
  }
  return p === "/" ? [] : out;
}

/** A stable 64-bit FNV-1a hash of a string, for made-up inode numbers. */
export function fnv1a64(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i) & 0xff);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}
