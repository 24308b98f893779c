// Generated files and directories: /proc, /sys and the few /etc files a sandbox offers when nothing
// mounted provides them. The namespace knows only these shapes; what they contain is made by
// generators outside the vfs (src/kernel/procfs), from what the kernel lets them see. A generated
// file's content is made once, when it is opened, and stays fixed for that open file (as Linux's
// seq files give one consistent snapshot per read from offset 0); a generated directory is listed
// afresh at every listing, so /proc shows the processes alive at that moment.
import { E } from "../../abi/gen/errno.js";
import { FS_MAGIC, O, SEEK } from "../../abi/fs.js";
import { FileBase, pseudoStatfs, type IoResult } from "./open-file.js";
import type { OpenFile } from "./open-file.js";
import type { StatInfo, StatfsInfo } from "./stat.js";

/** A generated regular file (mode 0444 unless given). */
export interface GenFile {
  kind: "file";
  /** Permission bits (S_IFREG is added). */
  mode?: number;
  /** The content, made at open time. A string is a byte string (one char per byte). */
  content(): Uint8Array | string;
  /**
   * Accepts a write (the whole of it, at offset 0) for the few files a process may write (its own
   * comm): the count written or -errno. Absent: the file is read-only (EACCES at open for writing).
   */
  write?(data: Uint8Array): number;
  /** stat shows the content's size (files of /etc); otherwise 0, as /proc's files. */
  sized?: boolean;
  /** Owner shown by stat (root unless given): /proc/PID belongs to the process's user. */
  owner?: { uid: number; gid: number };
}

/** A generated directory. */
export interface GenDir {
  kind: "dir";
  /** Permission bits (S_IFDIR is added); 0555 unless given. */
  mode?: number;
  /** The names listed, in the order getdents shows them. */
  names(): string[];
  /** The entry `name`, or null when there is none (a name listing does not show may still exist: /proc/self). */
  child(name: string): GenEntry | null;
  owner?: { uid: number; gid: number };
}

/** A symlink whose target is computed at lookup; -errno when it cannot be shown (ENOENT). */
export interface GenLink {
  kind: "link";
  target(): string | number;
}

/** A "magic" link to an open file (/proc/PID/fd/N): following it reaches that very file. */
export interface GenFdLink {
  kind: "fd";
  fd: number;
  file: OpenFile;
}

export type GenEntry = GenFile | GenDir | GenLink | GenFdLink;

/** Who is looking: generated trees show /proc/self as the calling process. 0: no process (rvtrace itself). */
export interface GenCaller {
  pid: number;
  tid: number;
}

/** The root of a generated tree placed at a guest path: made for each lookup, for the caller. */
export type GenRoot = (caller: GenCaller) => GenFile | GenDir | GenLink;

const encoder = new TextEncoder();

function toBytes(c: Uint8Array | string): Uint8Array {
  if (typeof c !== "string") return c;
  const out = new Uint8Array(c.length);
  for (let i = 0; i < c.length; i++) out[i] = c.charCodeAt(i) & 0xff;
  return out;
}

/** UTF-8 text as the byte string a GenFile may return (for generators that build ordinary strings). */
export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

/** An open generated file: its bytes made at open, read and seeked like a small regular file. */
export class GenOpenFile extends FileBase {
  readonly kind = "file";
  private readonly bytes: Uint8Array;
  private pos = 0;

  constructor(
    flags: number,
    path: string,
    private readonly gen: GenFile,
    private readonly statFn: () => StatInfo,
  ) {
    super(flags, path);
    const acc = flags & O.ACCMODE;
    // A file opened only for writing (comm) has nothing to read: do not make its content.
    this.bytes = acc === O.WRONLY ? new Uint8Array(0) : toBytes(gen.content());
  }

  override read(buf: Uint8Array): IoResult {
    const n = this.pread(buf, this.pos);
    if (typeof n === "number" && n > 0) this.pos += n;
    return n;
  }

  override pread(buf: Uint8Array, pos: number): IoResult {
    if (pos >= this.bytes.length) return 0;
    const part = this.bytes.subarray(pos, Math.min(this.bytes.length, pos + buf.length));
    buf.set(part);
    return part.length;
  }

  override write(buf: Uint8Array): IoResult {
    return this.gen.write ? this.gen.write(buf) : -E.EINVAL;
  }

  override pwrite(buf: Uint8Array, _pos: number): IoResult {
    return this.write(buf);
  }

  override seek(offset: number, whence: number): number {
    let next: number;
    if (whence === SEEK.SET) next = offset;
    else if (whence === SEEK.CUR) next = this.pos + offset;
    else if (whence === SEEK.END) next = this.bytes.length + offset;
    else return -E.EINVAL;
    if (!Number.isSafeInteger(next) || next < 0) return -E.EINVAL;
    this.pos = next;
    return next;
  }

  override available(): number {
    return Math.max(0, this.bytes.length - this.pos);
  }

  stat(): StatInfo {
    return this.statFn();
  }

  override statfs(): StatfsInfo {
    return pseudoStatfs(FS_MAGIC.PROC, true);
  }
}
