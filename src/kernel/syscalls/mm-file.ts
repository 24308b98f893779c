// The bytes of a file mapping: what mmap copies from the file into a new mapping. Guest memory is one
// private buffer, so a file mapping starts as a copy (mm-shared.ts writes a shared one's changes back).
//
// Only what the file holds is read, a piece at a time, and only pieces holding data are written into
// guest memory (it reads as zero already): a mapping far larger than its file, or of a huge sparse
// file, costs host reads but neither a buffer of its size nor host memory for its zeros.
import type { AddressSpace } from "../../mem/address-space.js";
import type { OpenFile } from "../vfs/open-file.js";
import { E } from "../../abi/gen/errno.js";

/** Bytes read from the file at a time. */
const PIECE = 1 << 20;

/** True when a piece of data is all zero bytes. */
function allZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/**
 * Copies the file's bytes from `offset` into [addr, addr + size) of guest memory, and into `clean`
 * (the copy a shared mapping compares with at write-back) when given. Returns the number of bytes
 * read, or -errno.
 */
export function fillFromFile(mem: AddressSpace, addr: number, size: number, file: OpenFile, offset: number, clean?: Uint8Array): number {
  const st = file.stat();
  // A file that cannot say how long it is is read until it ends, never past the mapping.
  const fileLeft = typeof st === "number" ? size : Math.max(0, Number(st.size) - offset);
  const want = Math.min(size, fileLeft);
  const piece = new Uint8Array(Math.min(PIECE, Math.max(want, 1)));
  let done = 0;
  while (done < want) {
    const buf = piece.subarray(0, Math.min(piece.length, want - done));
    const got = file.pread(buf, offset + done);
    if (typeof got !== "number") return -E.EAGAIN;
    if (got < 0) return got;
    if (got === 0) break;
    const data = buf.subarray(0, got);
    if (!allZero(data)) {
      mem.poke(addr + done, data); // charged to --memory-limit
      clean?.set(data, done);
    }
    done += got;
  }
  return done;
}
