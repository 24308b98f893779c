// lseek on a standard stream that the host redirected to a regular file
// (`rvtrace run prog > out.txt`): Linux and qemu allow it there, and programs use it (a report
// written, then its header filled in). On /dev/null (and /dev/zero, /dev/full) lseek is 0, as Linux's.
//
// Node has no lseek, so the offset is tracked here. While the guest's offset is the host
// description's own, writes go through the host fd as they are and move that offset (shared with the
// shell, as a child's writes would). An lseek elsewhere starts tracking: the guest's offset starts
// from the host's, read from /proc/self/fdinfo, and writes are positioned (pwrite) at the tracked
// offset, which they advance. An lseek that lands on the host's offset (glibc's and perl's
// `lseek(1, 0, SEEK_CUR)` query before any seek, a SEEK_END back after a rewrite) ends tracking, so
// `{ prog; echo done; } > log` keeps prog's output before "done" as on Linux. With O_APPEND (`>>`)
// every write goes to the end, as on Linux. What is not mirrored: the host description's offset while
// the guest's differs from it (a later writer sharing it, after rvtrace, starts where the guest's last
// unpositioned write ended).
import * as fs from "node:fs";
import { E } from "../../abi/gen/errno.js";
import { O, S } from "../../abi/fs.js";
import { seekTarget } from "./seek.js";
import { hostErrno } from "./errors.js";

/** The host description's offset and flags, from /proc/self/fdinfo/FD ("pos:" and octal "flags:"). */
function hostFdInfo(fd: number): { pos: number; flags: number } | null {
  try {
    const text = fs.readFileSync(`/proc/self/fdinfo/${fd}`, "latin1");
    const pos = /^pos:\s*(\d+)/m.exec(text);
    const flags = /^flags:\s*([0-7]+)/m.exec(text);
    return pos && flags ? { pos: Number(pos[1]), flags: parseInt(flags[1], 8) } : null;
  } catch {
    return null;
  }
}

/** /dev/null, /dev/zero and /dev/full (char major 1, minors 3, 5, 7): Linux's lseek there is 0. */
const NULL_LIKE = new Set([3, 5, 7]);

type Kind = "regular" | "null" | "other";

export class StdoutOffset {
  /** The guest's offset once it has seeked; null until then (the host's own offset applies). */
  private offset: number | null = null;
  private kindCache: Kind | null = null;

  constructor(private readonly fd: number) {}

  /** What the host fd is, as far as lseek cares (asked once). */
  private kind(): Kind {
    if (this.kindCache === null) {
      try {
        const st = fs.fstatSync(this.fd);
        const type = st.mode & S.IFMT;
        const nullLike = type === S.IFCHR && Math.floor(st.rdev / 256) === 1 && NULL_LIKE.has(st.rdev & 0xff);
        this.kindCache = type === S.IFREG ? "regular" : nullLike ? "null" : "other";
      } catch {
        this.kindCache = "other";
      }
    }
    return this.kindCache;
  }

  /** Whether the host fd is a regular file. */
  seekable(): boolean {
    return this.kind() === "regular";
  }

  private size(): number {
    try {
      return fs.fstatSync(this.fd).size;
    } catch (err) {
      return -hostErrno(err);
    }
  }

  /** lseek(2): the new offset or -errno (ESPIPE unless the fd is a regular file or /dev/null-like). */
  seek(offset: number, whence: number): number {
    const kind = this.kind();
    if (kind === "null") return 0; // null_lseek: whatever is asked
    if (kind !== "regular") return -E.ESPIPE;
    const host = hostFdInfo(this.fd);
    if (this.offset === null && !host) return -E.ESPIPE;
    const next = seekTarget({ current: this.offset ?? host!.pos, size: () => this.size() }, offset, whence);
    return next < 0 ? next : this.settle(next, host);
  }

  /** The guest's new offset: tracked while it differs from the host description's, untracked when equal. */
  private settle(next: number, host: { pos: number } | null): number {
    this.offset = host !== null && host.pos === next ? null : next;
    return next;
  }

  /**
   * A write once the guest has seeked: at the tracked offset (or the end, with O_APPEND); the
   * bytes written or -errno. Returns null before any seek: the caller writes as usual.
   */
  write(buf: Uint8Array): number | null {
    if (this.offset === null) return null;
    const append = ((hostFdInfo(this.fd)?.flags ?? 0) & O.APPEND) !== 0;
    const n = this.pwrite(buf, append ? this.size() : this.offset);
    if (n > 0) this.offset = append ? this.size() : this.offset + n;
    return n;
  }

  /** Writes all of buf at pos; the bytes written or -errno. */
  private pwrite(buf: Uint8Array, pos: number): number {
    let done = 0;
    while (done < buf.length) {
      try {
        done += fs.writeSync(this.fd, buf, done, buf.length - done, pos + done);
      } catch (err) {
        return done > 0 ? done : -hostErrno(err);
      }
    }
    return done;
  }
}
