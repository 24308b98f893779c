// lseek's arithmetic, shared by the file kinds that keep an offset (host files, in-memory files,
// a redirected stdout the guest seeks in): SEEK_SET, SEEK_CUR and SEEK_END from a base, and
// SEEK_DATA/SEEK_HOLE from the file's own idea of where its data lies.
import { E } from "../../abi/gen/errno.js";
import { SEEK } from "../../abi/fs.js";

export interface Seekable {
  /** The offset now. */
  readonly current: number;
  /** The file's size, or -errno. */
  size(): number;
  /**
   * SEEK_DATA (`data`) or SEEK_HOLE from `offset` (not negative): the offset found, or -ENXIO.
   * Absent: the whole file is data and its end the only hole, as on a file system without holes.
   */
  dataOrHole?(offset: number, data: boolean): number;
}

/** Where lseek(offset, whence) moves the file to, or -errno; the caller keeps the offset. */
export function seekTarget(f: Seekable, offset: number, whence: number): number {
  switch (whence) {
    case SEEK.SET:
      return inRange(offset);
    case SEEK.CUR:
      return inRange(f.current + offset);
    case SEEK.END: {
      const size = f.size();
      return size < 0 ? size : inRange(size + offset);
    }
    case SEEK.DATA:
    case SEEK.HOLE: {
      const data = whence === SEEK.DATA;
      if (f.dataOrHole) return offset < 0 ? -E.ENXIO : f.dataOrHole(offset, data);
      const size = f.size();
      if (size < 0) return size;
      if (offset < 0 || offset >= size) return -E.ENXIO;
      return data ? offset : size;
    }
    default:
      return -E.EINVAL;
  }
}

/** A new offset, or EINVAL when it is negative or past what a double holds exactly. */
function inRange(next: number): number {
  return next < 0 || !Number.isSafeInteger(next) ? -E.EINVAL : next;
}
