// MAP_SHARED mappings of in-memory files (the private /tmp, /dev/shm, memfd) shared between
// processes that map them separately: the POSIX shared memory of shm_open and sem_open. Two
// mappings of the same part of the same file (same offset and length) are one shared segment
// (mem/shared-segments.ts), so each process sees the other's stores, and process-shared futexes in
// it meet, as they do after a fork. Mappings of other parts, and read()/write() of the file, still
// meet only through the write-back of mm-shared.ts (msync, munmap, exit).
import type { AddressSpace } from "../../mem/address-space.js";
import type { SharedSegment } from "../../mem/shared-segments.js";
import { MemFile } from "../vfs/mem-file.js";
import type { MemInode } from "../vfs/memfs.js";
import type { OpenFile } from "../vfs/open-file.js";

interface FileSegment {
  offset: number;
  size: number;
  segment: SharedSegment;
}

const segmentsOf = new WeakMap<MemInode, FileSegment[]>();

/**
 * Makes the new shared mapping [addr, addr + size) of `file` at `offset` a shared segment: the one
 * another process has for that same part of an in-memory file, or a new one.
 */
export function addFileSegment(mem: AddressSpace, addr: number, size: number, file: OpenFile | null, offset: number): void {
  if (!(file instanceof MemFile)) {
    mem.addSharedSegment(addr, addr + size);
    return;
  }
  // Segments every member has left are forgotten (their bytes reached the file at write-back).
  const list = (segmentsOf.get(file.inode) ?? []).filter((s) => s.segment.members.size > 0);
  segmentsOf.set(file.inode, list);
  const same = list.find((s) => s.offset === offset && s.size === size && !s.segment.members.has(mem));
  if (same) {
    mem.joinSharedSegment(addr, addr + size, same.segment);
    return;
  }
  list.push({ offset, size, segment: mem.addSharedSegment(addr, addr + size) });
}
