// loadElf: maps a validated image's PT_LOAD segments into an address space.
//
// The result matches what Linux's binfmt_elf builds with mmap, byte for byte:
//  - each segment's pages are mapped with its protections; the pages that hold file contents are
//    named after the file (as /proc/PID/maps shows them), the .bss pages beyond them are anonymous;
//  - a segment's file bytes are copied page-aligned, so the part of its first page below p_vaddr
//    holds the file bytes that precede it (e.g. the ELF header), and when p_memsz == p_filesz the
//    rest of its last page holds the file bytes that follow (up to the end of the file);
//  - when p_memsz > p_filesz, everything from p_vaddr + p_filesz to the end of the segment is zero,
//    including the tail of the last file page (Linux's padzero);
//  - two segments sharing a page (never produced by ld, tolerated) share one mapping whose
//    protections are the union of theirs, and neither overwrites the other's bytes.
// The program break starts at the page-rounded end of the highest segment.

import { type AddressSpace, PAGE_SIZE, pageRoundUp } from "../mem/address-space.js";
import { ElfError } from "./errors.js";
import type { ElfImage, LoadedImage } from "./image.js";

/**
 * Maps `img` (from parseElf(bytes)) into `as`, copies the file contents, zero-fills .bss and
 * sets `as.brkStart = as.brk`. `path` names the file-backed mappings.
 */
export function loadElf(as: AddressSpace, img: ElfImage, bytes: Uint8Array, path = ""): LoadedImage {
  if (bytes.length !== img.fileSize) throw new ElfError("the file changed since it was parsed");
  let mappedEnd = 0;
  let previousEnd = 0;
  for (const s of img.segments) {
    if (s.memsz === 0) continue;
    const segEnd = s.addr + s.memsz;
    const pageStart = s.addr - (s.addr % PAGE_SIZE);
    const pageEnd = pageRoundUp(segEnd);
    const fileEnd = s.filesz > 0 ? pageRoundUp(s.addr + s.filesz) : pageStart;

    // Pages mapped here for the first time start at `fresh`; one below it may be shared.
    let fresh = pageStart;
    if (pageStart < mappedEnd) {
      const shared = as.findMapping(pageStart);
      as.protect(pageStart, mappedEnd - pageStart, (shared ? shared.prot : 0) | s.prot);
      fresh = mappedEnd;
    }
    if (fresh < fileEnd) as.map(fresh, fileEnd - fresh, s.prot, path);
    const anonStart = Math.max(fresh, fileEnd);
    if (anonStart < pageEnd) as.map(anonStart, pageEnd - anonStart, s.prot, "");

    if (s.filesz > 0) {
      const copyFrom = Math.max(pageStart, previousEnd);
      const copyTo =
        s.memsz === s.filesz ? Math.min(fileEnd, s.addr + (bytes.length - s.offset)) : s.addr + s.filesz;
      const fileFrom = s.offset - (s.addr - copyFrom);
      as.poke(copyFrom, bytes.subarray(fileFrom, fileFrom + (copyTo - copyFrom)));
    }
    // Freshly mapped pages are zero already; a shared page may hold another segment's file bytes.
    const zeroFrom = s.addr + s.filesz;
    const zeroTo = Math.min(pageEnd, fresh);
    if (s.memsz > s.filesz && zeroFrom < zeroTo) as.poke(zeroFrom, new Uint8Array(zeroTo - zeroFrom));

    mappedEnd = pageEnd;
    previousEnd = segEnd;
  }
  as.brkStart = img.end;
  as.brk = img.end;
  return {
    entry: img.entry,
    base: img.base,
    phdrAddr: img.phdrAddr,
    phent: img.phent,
    phnum: img.phnum,
    execStack: img.execStack,
  };
}
