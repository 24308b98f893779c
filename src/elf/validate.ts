// parseElf: turns the bytes of a file into a validated ElfImage, or throws ElfError.
//
// Accepted: little-endian ELF-64 RISC-V files of type ET_EXEC, or ET_DYN: without PT_INTERP (static
// PIE: at its link addresses when they are a free place, as Linux's binfmt_elf asks mmap for them as
// a hint, else at LAYOUT.pieBase), with PT_INTERP (a dynamic PIE: at LAYOUT.pieBase, as Linux puts it
// at ELF_ET_DYN_BASE whatever its link address). A PT_INTERP names the program's interpreter (the
// dynamic loader), which the caller loads as well. Every PT_LOAD must lie inside the file, keep
// p_filesz <= p_memsz, have p_offset ≡ p_vaddr (mod page size) when it has file contents (mmap
// needs it), and after relocation fit between LAYOUT.minAddr and 4 GiB without touching the
// stack area or another PT_LOAD; the entry point must lie in an executable PT_LOAD.

import { ADDRESS_LIMIT, GUEST_LIMIT, LAYOUT, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, pageRoundUp } from "../mem/address-space.js";
import {
  EF_RISCV_FLOAT_ABI,
  EF_RISCV_RVC,
  EF_RISCV_RVE,
  ELF64_PHDR_SIZE,
  EM_RISCV,
  ET_DYN,
  ET_EXEC,
  ET_NAMES,
  EV_CURRENT,
  PF_R,
  PF_W,
  PF_X,
  PT_GNU_STACK,
  PT_INTERP,
  PT_LOAD,
  PT_PHDR,
  PT_TLS,
} from "./constants.js";
import { PATH_MAX } from "../abi/fs.js";
import { type ElfHeader, type ProgramHeader, readElfHeader, readProgramHeaders } from "./elfy-adapter.js";
import { ElfError, hex } from "./errors.js";
import type { ElfImage, LoadSegment, TlsTemplate } from "./image.js";

const LIMIT = BigInt(ADDRESS_LIMIT);
const GUEST_END = BigInt(GUEST_LIMIT);
const PAGE = BigInt(PAGE_SIZE);
/** The stack and the guard page below it: no segment may land there. */
const STACK_AREA_START = LAYOUT.stackTop - LAYOUT.stackSize - PAGE_SIZE;
const STACK_AREA_END = LAYOUT.stackTop;

/** PF_* to PROT_* (the bit orders are reversed). */
export function protFromFlags(flags: number): number {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

export interface ParseOptions {
  /**
   * The load bias of an ET_DYN file, chosen by the caller (a dynamic loader placed where mmap would
   * put it). Ignored for ET_EXEC, which always loads at its link addresses.
   */
  base?: number;
}

/**
 * Parses and validates an ELF executable. Throws ElfError (and nothing else) when the file is not
 * one rvtrace can run; the message says why.
 */
export function parseElf(bytes: Uint8Array, opts: ParseOptions = {}): ElfImage {
  try {
    return parse(bytes, opts);
  } catch (e) {
    if (e instanceof ElfError) throw e;
    throw new ElfError(`malformed ELF file (${e instanceof Error ? e.message : String(e)})`);
  }
}

function parse(bytes: Uint8Array, opts: ParseOptions): ElfImage {
  const header = readElfHeader(bytes);
  if (header.machine !== EM_RISCV) throw new ElfError(`not a RISC-V executable (machine ${header.machine})`);
  if (header.type !== ET_EXEC && header.type !== ET_DYN) {
    throw new ElfError(`not an executable (type ${ET_NAMES[header.type] ?? hex(header.type)})`);
  }
  if (header.version !== EV_CURRENT) throw new ElfError(`unsupported ELF version ${header.version}`);
  if (header.flags & EF_RISCV_RVE) throw new ElfError("programs for the RV64E (embedded) ABI are not supported");

  const phdrs = readProgramHeaders(bytes, header);
  // Linux's binfmt_elf takes the first PT_INTERP and ignores any other.
  const interpHeader = phdrs.find((p) => p.type === PT_INTERP);
  const interpreter = interpHeader ? interpreterPath(bytes, interpHeader) : null;

  const base = header.type !== ET_DYN ? 0 : opts.base ?? (interpreter !== null ? dynamicPieBase(phdrs) : dynamicBase(phdrs));
  const fileSize = BigInt(bytes.length);
  const segments = phdrs.filter((p) => p.type === PT_LOAD).map((p) => checkLoad(p, base, fileSize));
  if (segments.length === 0) throw new ElfError("no loadable segments");
  segments.sort((a, b) => a.addr - b.addr || a.index - b.index);
  checkOverlaps(segments);

  const entry = BigInt(base) + header.entry;
  const entrySegment = segments.find(
    (s) => s.prot & PROT_EXEC && BigInt(s.addr) <= entry && entry < BigInt(s.addr + s.memsz),
  );
  if (!entrySegment) throw new ElfError(`entry point ${hex(entry)} is outside every executable segment`);

  let execStack = false;
  for (const p of phdrs) if (p.type === PT_GNU_STACK) execStack = (p.flags & PF_X) !== 0;

  const end = pageRoundUp(Math.max(...segments.map((s) => s.addr + s.memsz)));
  const floatAbi = (["soft", "single", "double", "quad"] as const)[(header.flags & EF_RISCV_FLOAT_ABI) >> 1];

  return {
    header,
    programHeaders: phdrs,
    kind: header.type !== ET_DYN ? "exec" : interpreter !== null ? "pie" : "static-pie",
    interpreter,
    base,
    entry: Number(entry),
    segments,
    phdrAddr: programHeaderAddress(header, phdrs, segments, base),
    phent: header.phentsize,
    phnum: header.phnum,
    execStack,
    tls: tlsTemplate(phdrs, segments, base, fileSize),
    end,
    floatAbi,
    rvc: (header.flags & EF_RISCV_RVC) !== 0,
    fileSize: bytes.length,
  };
}

/**
 * Where an ET_DYN without PT_INTERP goes. Linux maps it with a load bias of 0 and its first segment's
 * address as an mmap hint (binfmt_elf's "loaders" case), so a file linked at a usable address (an
 * ET_EXEC retyped ET_DYN) runs where it was linked, as under qemu; one linked at 0 (a real static
 * PIE), or where nothing may be mapped, goes where mmap would put it: LAYOUT.pieBase here.
 */
function dynamicBase(phdrs: readonly ProgramHeader[]): number {
  const loads = phdrs.filter((p) => p.type === PT_LOAD && p.memsz > 0n);
  if (loads.length === 0) return LAYOUT.pieBase;
  const low = loads.reduce((m, p) => (p.vaddr < m ? p.vaddr : m), loads[0].vaddr) & ~(PAGE - 1n);
  const high = loads.reduce((m, p) => (p.vaddr + p.memsz > m ? p.vaddr + p.memsz : m), 0n);
  const fits = low >= BigInt(LAYOUT.minAddr) && high <= BigInt(STACK_AREA_START);
  return fits ? 0 : LAYOUT.pieBase;
}

/**
 * Where a dynamic PIE goes: LAYOUT.pieBase for its lowest page, whatever its link address (Linux
 * loads an ET_DYN that has an interpreter at ELF_ET_DYN_BASE minus its first p_vaddr).
 */
function dynamicPieBase(phdrs: readonly ProgramHeader[]): number {
  const loads = phdrs.filter((p) => p.type === PT_LOAD && p.memsz > 0n);
  if (loads.length === 0) return LAYOUT.pieBase;
  const low = loads.reduce((m, p) => (p.vaddr < m ? p.vaddr : m), loads[0].vaddr) & ~(PAGE - 1n);
  if (low >= LIMIT) throw new ElfError(`segments start beyond 4 GiB (${hex(low)})`, "EINVAL");
  return LAYOUT.pieBase - Number(low);
}

/**
 * The interpreter path named by PT_INTERP (bytes as a latin1 byte string, as guest paths are kept).
 * Linux's checks: inside the file, at least two bytes, at most PATH_MAX, NUL-terminated.
 */
function interpreterPath(bytes: Uint8Array, p: ProgramHeader): string {
  const end = p.offset + p.filesz;
  if (p.filesz < 2n || p.filesz > BigInt(PATH_MAX)) throw new ElfError(`the interpreter path (PT_INTERP) has a bad size ${p.filesz}`);
  if (end > BigInt(bytes.length)) throw new ElfError("the interpreter path (PT_INTERP) lies outside the file");
  const text = bytes.subarray(Number(p.offset), Number(end));
  if (text[text.length - 1] !== 0) throw new ElfError("the interpreter path (PT_INTERP) does not end with a NUL byte");
  // Linux passes the string on as it is; it ends at its first NUL.
  const nul = text.indexOf(0);
  return Buffer.from(text.subarray(0, nul)).toString("latin1");
}

/** Validates one PT_LOAD and relocates it. */
function checkLoad(p: ProgramHeader, base: number, fileSize: bigint): LoadSegment {
  const i = p.index;
  if (p.filesz > p.memsz) {
    throw new ElfError(`segment ${i} has memsz ${hex(p.memsz)} smaller than filesz ${hex(p.filesz)}`, "EINVAL");
  }
  if (p.memsz >= LIMIT) throw new ElfError(`segment ${i} is too large (memsz ${hex(p.memsz)})`, "EINVAL");
  if (p.filesz > 0n) {
    if (p.offset + p.filesz > fileSize) {
      throw new ElfError(`segment ${i} extends past the end of the file`);
    }
    if ((p.offset - p.vaddr) % PAGE !== 0n) {
      throw new ElfError(
        `segment ${i} has file offset ${hex(p.offset)} and address ${hex(p.vaddr)} that differ modulo the page size`,
        "EINVAL",
      );
    }
  }
  const start = BigInt(base) + p.vaddr;
  const end = start + p.memsz;
  if (end > LIMIT) {
    throw new ElfError(`segment ${i} extends beyond 4 GiB (${hex(start)}-${hex(end)} after relocation)`, "EINVAL");
  }
  if (end > GUEST_END) {
    // The memory's last 2 MiB are rvtrace's own (address-space.ts): as far as a guest is concerned,
    // its memory ends there.
    throw new ElfError(`segment ${i} extends beyond guest memory, which ends at ${hex(GUEST_END)} (${hex(start)}-${hex(end)} after relocation)`, "EINVAL");
  }
  const addr = Number(start);
  const memsz = Number(p.memsz);
  if (memsz > 0) {
    if (addr < LAYOUT.minAddr) {
      throw new ElfError(`segment ${i} starts at ${hex(addr)}, below the lowest mappable address ${hex(LAYOUT.minAddr)}`, "EINVAL");
    }
    const pageStart = addr - (addr % PAGE_SIZE);
    if (pageStart < STACK_AREA_END && pageRoundUp(addr + memsz) > STACK_AREA_START) {
      throw new ElfError(`segment ${i} (${hex(addr)}-${hex(addr + memsz)}) overlaps the stack area`, "EINVAL");
    }
  }
  return { index: i, addr, filesz: Number(p.filesz), memsz, offset: Number(p.offset), prot: protFromFlags(p.flags) };
}

/** Rejects PT_LOADs whose byte ranges intersect (segments sorted by address). */
function checkOverlaps(segments: readonly LoadSegment[]): void {
  let last: LoadSegment | null = null;
  for (const s of segments) {
    if (s.memsz === 0) continue;
    if (last && s.addr < last.addr + last.memsz) {
      const [a, b] = last.index < s.index ? [last.index, s.index] : [s.index, last.index];
      throw new ElfError(`segments ${a} and ${b} overlap`);
    }
    if (!last || s.addr + s.memsz > last.addr + last.memsz) last = s;
  }
}

/** The segment whose file-backed bytes hold the guest range [addr, addr + len), if any. */
function fileBackedSegment(segments: readonly LoadSegment[], addr: bigint, len: bigint): LoadSegment | undefined {
  return segments.find((s) => BigInt(s.addr) <= addr && addr + len <= BigInt(s.addr + s.filesz));
}

/**
 * AT_PHDR: PT_PHDR's address when there is one (it must lie in a loaded segment's file bytes);
 * otherwise where the file range of the program header table lands inside a PT_LOAD, as Linux
 * computes it; 0 when no segment holds it.
 */
function programHeaderAddress(
  header: ElfHeader,
  phdrs: readonly ProgramHeader[],
  segments: readonly LoadSegment[],
  base: number,
): number {
  const tableSize = BigInt(header.phnum * ELF64_PHDR_SIZE);
  const ptPhdr = phdrs.filter((p) => p.type === PT_PHDR);
  if (ptPhdr.length > 1) throw new ElfError("more than one PT_PHDR");
  if (ptPhdr.length === 1) {
    const addr = BigInt(base) + ptPhdr[0].vaddr;
    if (!fileBackedSegment(segments, addr, tableSize)) {
      throw new ElfError(`the program header table (PT_PHDR ${hex(addr)}) is not inside a loaded segment`);
    }
    return Number(addr);
  }
  for (const s of segments) {
    const offset = BigInt(s.offset);
    if (offset <= header.phoff && header.phoff + tableSize <= offset + BigInt(s.filesz)) {
      return s.addr + Number(header.phoff - offset);
    }
  }
  return 0;
}

/** PT_TLS, checked: in the file, filesz <= memsz, initialisation image inside a PT_LOAD. */
function tlsTemplate(
  phdrs: readonly ProgramHeader[],
  segments: readonly LoadSegment[],
  base: number,
  fileSize: bigint,
): TlsTemplate | null {
  const tls = phdrs.filter((p) => p.type === PT_TLS);
  if (tls.length === 0) return null;
  if (tls.length > 1) throw new ElfError("more than one PT_TLS");
  const p = tls[0];
  if (p.filesz > p.memsz) throw new ElfError(`the TLS segment has memsz ${hex(p.memsz)} smaller than filesz ${hex(p.filesz)}`);
  if (p.memsz >= LIMIT || p.align >= LIMIT) throw new ElfError("the TLS segment is too large");
  if (p.filesz > 0n && p.offset + p.filesz > fileSize) throw new ElfError("the TLS segment extends past the end of the file");
  const addr = BigInt(base) + p.vaddr;
  if (addr >= LIMIT) throw new ElfError(`the TLS segment (${hex(addr)}) lies beyond 4 GiB`);
  if (p.filesz > 0n && !fileBackedSegment(segments, addr, p.filesz)) {
    throw new ElfError(`the TLS segment (${hex(addr)}) is not inside a loaded segment`);
  }
  return { addr: Number(addr), filesz: Number(p.filesz), memsz: Number(p.memsz), align: Number(p.align) };
}
