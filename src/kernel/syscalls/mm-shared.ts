// MAP_SHARED file mappings. Guest memory is one private buffer, so a shared mapping starts as a
// copy of the file's bytes, and what the guest changes through it is written back to the file at
// msync, at munmap (or anything else that replaces the pages) and when the process ends.
//
// Only changed bytes are written: each mapping keeps the bytes as they were at the last write-back,
// so data written to the file through a descriptor meanwhile is not overwritten with stale pages.
// Not modelled: the file's changes showing in the mapping, or the mapping's in read() before a
// write-back (Linux shares one page cache between the two).
import type { AddressSpace } from "../../mem/address-space.js";
import type { Process } from "../process.js";
import { releaseFile, retainFile, type OpenFile } from "../vfs/open-file.js";

interface SharedMap {
  start: number;
  end: number;
  file: OpenFile;
  /** File offset of `start`. */
  offset: number;
  /** The mapping's bytes as of the last write-back. */
  clean: Uint8Array;
}

const sharedMaps = new WeakMap<AddressSpace, SharedMap[]>();

/**
 * Records a new shared mapping of `file` (its bytes already copied in at [start, end), and into
 * `clean`, the copy write-back compares with, which is as long as the mapping).
 */
export function addSharedMap(p: Process, start: number, end: number, file: OpenFile, offset: number, clean: Uint8Array): void {
  let list = sharedMaps.get(p.mem);
  if (!list) {
    const mem = p.mem;
    sharedMaps.set(mem, (list = []));
    // At exit every mapping goes: write back what is left (the files are still held by us).
    p.atExit(() => dropSharedMaps(mem, 0, Number.MAX_SAFE_INTEGER));
  }
  retainFile(file);
  list.push({ start, end, file, offset, clean });
}

/** Writes back the changed bytes of [from, to) in mapping m; returns 0 or the write's -errno. */
function writeBack(mem: AddressSpace, m: SharedMap, from: number, to: number): number {
  const a = Math.max(from, m.start);
  const b = Math.min(to, m.end);
  if (a >= b) return 0;
  const st = m.file.stat();
  // Bytes past the end of the file stay in memory: a mapping never grows its file.
  const size = typeof st === "number" ? 0 : Number(st.size);
  const limit = Math.min(b, m.start + Math.max(0, size - m.offset));
  // Another process sharing the segment may have stored since this one last ran: its bytes are newest.
  const bytes = mem.newestBytes(m.start, m.end);
  let i = a;
  while (i < limit) {
    if (bytes[i - m.start] === m.clean[i - m.start]) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < limit && bytes[j - m.start] !== m.clean[j - m.start]) j++;
    const run = bytes.slice(i - m.start, j - m.start);
    const r = m.file.pwrite(run, m.offset + (i - m.start));
    if (typeof r === "number" && r < 0) return r;
    m.clean.set(run, i - m.start);
    i = j;
  }
  return 0;
}

/** msync: writes back the shared mappings' changes in [from, to). */
export function syncSharedMaps(mem: AddressSpace, from: number, to: number): number {
  for (const m of sharedMaps.get(mem) ?? []) {
    const r = writeBack(mem, m, from, to);
    if (r < 0) return r;
  }
  return 0;
}

/**
 * Before the pages [from, to) are unmapped or replaced: writes back the shared mappings there and
 * forgets those pages (a mapping cut in the middle becomes two).
 */
export function dropSharedMaps(mem: AddressSpace, from: number, to: number): void {
  const list = sharedMaps.get(mem);
  if (!list) return;
  const kept: SharedMap[] = [];
  for (const m of list) {
    if (m.end <= from || m.start >= to) {
      kept.push(m);
      continue;
    }
    writeBack(mem, m, from, to);
    if (m.start < from) {
      retainFile(m.file);
      kept.push({ ...m, end: from, clean: m.clean.subarray(0, from - m.start) });
    }
    if (m.end > to) {
      retainFile(m.file);
      kept.push({ ...m, start: to, offset: m.offset + (to - m.start), clean: m.clean.subarray(to - m.start) });
    }
    releaseFile(m.file);
  }
  list.splice(0, list.length, ...kept);
}
