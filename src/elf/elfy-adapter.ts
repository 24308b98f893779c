// The only file that touches the npm package `elfy`. It returns the ELF header and the program
// headers as exact, typed values, every field read from the raw bytes with a DataView and then
// compared with what elfy parsed, so neither a bug in elfy nor a hostile file gets past unnoticed.
//
// What elfy gets wrong or does not do, and how this file copes:
//  - it has no name for EM_RISCV (243) and for many p_type values (PT_GNU_PROPERTY,
//    PT_RISCV_ATTRIBUTES, …): names are compared through elfy's own tables, numbers come from us;
//  - it returns 64-bit fields as doubles (lo + hi * 2^32, one rounding): compared against
//    Number(exact bigint), which rounds the same way, while the bigint is what we return;
//  - its `osabi` / `abiversion` are read from e_ident[6] / e_ident[7] (one byte early) and
//    e_ident[EI_VERSION] is lost to a duplicate object key: all read here instead;
//  - it reads sh_addralign / sh_entsize of 64-bit section headers from offsets 46 / 54 instead
//    of 48 / 56, and `elfy.parse` asserts that e_shstrndx names a string table, so a valid but
//    section-less executable makes it throw: section headers are not needed to load a program,
//    so only its header and program-header parsers (`elfy.Parser`) are used;
//  - it parses 32-bit and big-endian files and indexes past short buffers (RangeError), so the
//    identification and every bound are checked here before elfy sees the bytes, and anything
//    it still throws becomes an ElfError.

import elfy from "elfy";
import {
  EI_ABIVERSION,
  EI_CLASS,
  EI_DATA,
  EI_OSABI,
  EI_VERSION,
  ELF64_EHDR_SIZE,
  ELF64_PHDR_SIZE,
  ELFCLASS32,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFDATA2MSB,
  EV_CURRENT,
  MAX_PHDR_BYTES,
} from "./constants.js";
import { ElfError } from "./errors.js";

/** e_ident, decoded. */
export interface ElfIdent {
  /** EI_CLASS: always ELFCLASS64 (2) here. */
  readonly fileClass: number;
  /** EI_DATA: always ELFDATA2LSB (1) here. */
  readonly data: number;
  /** EI_VERSION: always EV_CURRENT (1) here. */
  readonly version: number;
  readonly osabi: number;
  readonly abiVersion: number;
}

/** The ELF-64 file header, exactly as stored. */
export interface ElfHeader {
  readonly ident: ElfIdent;
  readonly type: number;
  readonly machine: number;
  readonly version: number;
  readonly entry: bigint;
  readonly phoff: bigint;
  readonly shoff: bigint;
  readonly flags: number;
  readonly ehsize: number;
  readonly phentsize: number;
  readonly phnum: number;
  readonly shentsize: number;
  readonly shnum: number;
  readonly shstrndx: number;
}

/** One ELF-64 program header, exactly as stored. `index` is its position in the table. */
export interface ProgramHeader {
  readonly index: number;
  readonly type: number;
  readonly flags: number;
  readonly offset: bigint;
  readonly vaddr: bigint;
  readonly paddr: bigint;
  readonly filesz: bigint;
  readonly memsz: bigint;
  readonly align: bigint;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Runs one elfy call; whatever it throws becomes an ElfError. */
function callElfy<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ElfError(`elfy could not parse the ${what} (${why})`);
  }
}

/** Throws unless elfy's value for `field` equals ours (numbers: ours rounded to a double). */
function agree(field: string, fromElfy: unknown, raw: number | bigint | string | undefined): void {
  const expected = typeof raw === "bigint" ? Number(raw) : raw;
  if (fromElfy !== expected) {
    throw new ElfError(`elfy and the raw bytes disagree on ${field} (${String(fromElfy)} vs ${String(expected)})`);
  }
}

/**
 * Reads and checks e_ident and the ELF-64 header. Throws ElfError for anything that is not a
 * little-endian 64-bit ELF file of the current version, or a header elfy reads differently.
 * Does not judge e_machine or e_type (validate.ts does).
 */
export function readElfHeader(bytes: Uint8Array): ElfHeader {
  if (bytes.length < 4 || ELF_MAGIC.some((b, i) => bytes[i] !== b)) throw new ElfError("not an ELF file");
  if (bytes.length < EI_ABIVERSION + 1) throw new ElfError("truncated ELF header");
  const fileClass = bytes[EI_CLASS];
  if (fileClass === ELFCLASS32) throw new ElfError("32-bit ELF is not supported");
  if (fileClass !== ELFCLASS64) throw new ElfError(`invalid ELF class ${fileClass}`);
  const data = bytes[EI_DATA];
  if (data === ELFDATA2MSB) throw new ElfError("big-endian ELF is not supported");
  if (data !== ELFDATA2LSB) throw new ElfError(`invalid ELF data encoding ${data}`);
  const identVersion = bytes[EI_VERSION];
  if (identVersion !== EV_CURRENT) throw new ElfError(`unsupported ELF version ${identVersion}`);
  if (bytes.length < ELF64_EHDR_SIZE) throw new ElfError("truncated ELF header");

  const v = viewOf(bytes);
  const header: ElfHeader = {
    ident: {
      fileClass,
      data,
      version: identVersion,
      osabi: bytes[EI_OSABI],
      abiVersion: bytes[EI_ABIVERSION],
    },
    type: v.getUint16(16, true),
    machine: v.getUint16(18, true),
    version: v.getUint32(20, true),
    entry: v.getBigUint64(24, true),
    phoff: v.getBigUint64(32, true),
    shoff: v.getBigUint64(40, true),
    flags: v.getUint32(48, true),
    ehsize: v.getUint16(52, true),
    phentsize: v.getUint16(54, true),
    phnum: v.getUint16(56, true),
    shentsize: v.getUint16(58, true),
    shnum: v.getUint16(60, true),
    shstrndx: v.getUint16(62, true),
  };

  const e = callElfy("ELF header", () => new elfy.Parser().parseHeader(bufferOf(bytes)));
  agree("EI_CLASS", e.class, "64");
  agree("EI_DATA", e.endian, "lsb");
  agree("e_type", e.type, elfy.constants.type[header.type]);
  agree("e_machine", e.machine, elfy.constants.machine[header.machine]);
  agree("e_version", e.version, header.version);
  agree("e_entry", e.entry, header.entry);
  agree("e_phoff", e.phoff, header.phoff);
  agree("e_shoff", e.shoff, header.shoff);
  agree("e_flags", e.flags, header.flags);
  agree("e_ehsize", e.ehsize, header.ehsize);
  agree("e_phentsize", e.phentsize, header.phentsize);
  agree("e_phnum", e.phnum, header.phnum);
  agree("e_shentsize", e.shentsize, header.shentsize);
  agree("e_shnum", e.shnum, header.shnum);
  agree("e_shstrndx", e.shstrndx, header.shstrndx);
  return header;
}

/** The keys elfy's mapFlags produces for a p_flags value. */
function elfyFlagKeys(flags: number): string[] {
  const keys: string[] = [];
  for (let bit = 0; bit < 32; bit++) {
    const mask = 1 << bit;
    if (flags & mask) keys.push(elfy.constants.entryFlags[mask] ?? String(mask));
  }
  return keys.sort();
}

/**
 * Reads the program header table described by `header`. Throws ElfError when the table is
 * empty, has entries of the wrong size, is larger than Linux accepts, or runs past the end of
 * the file.
 */
export function readProgramHeaders(bytes: Uint8Array, header: ElfHeader): ProgramHeader[] {
  if (header.phnum === 0) throw new ElfError("no program headers");
  if (header.phentsize !== ELF64_PHDR_SIZE) {
    throw new ElfError(`bad program header entry size ${header.phentsize} (expected ${ELF64_PHDR_SIZE})`);
  }
  if (header.phnum * ELF64_PHDR_SIZE > MAX_PHDR_BYTES) throw new ElfError(`too many program headers (${header.phnum})`);
  const tableEnd = header.phoff + BigInt(header.phnum * ELF64_PHDR_SIZE);
  if (tableEnd > BigInt(bytes.length)) throw new ElfError("truncated program headers");

  const v = viewOf(bytes);
  const phoff = Number(header.phoff);
  const out: ProgramHeader[] = [];
  for (let index = 0; index < header.phnum; index++) {
    const at = phoff + index * ELF64_PHDR_SIZE;
    out.push({
      index,
      type: v.getUint32(at, true),
      flags: v.getUint32(at + 4, true),
      offset: v.getBigUint64(at + 8, true),
      vaddr: v.getBigUint64(at + 16, true),
      paddr: v.getBigUint64(at + 24, true),
      filesz: v.getBigUint64(at + 32, true),
      memsz: v.getBigUint64(at + 40, true),
      align: v.getBigUint64(at + 48, true),
    });
  }

  const buf = bufferOf(bytes);
  const fromElfy = callElfy("program headers", () => {
    const parser = new elfy.Parser();
    return parser.parsePrograms(buf, parser.parseHeader(buf));
  });
  agree("the number of program headers", fromElfy.length, out.length);
  out.forEach((ph, i) => {
    const p = fromElfy[i];
    const at = `program header ${i}`;
    agree(`p_type of ${at}`, p.type, elfy.constants.entryType[ph.type]);
    agree(`p_flags of ${at}`, Object.keys(p.flags).sort().join(","), elfyFlagKeys(ph.flags).join(","));
    agree(`p_offset of ${at}`, p.offset, ph.offset);
    agree(`p_vaddr of ${at}`, p.vaddr, ph.vaddr);
    agree(`p_paddr of ${at}`, p.paddr, ph.paddr);
    agree(`p_filesz of ${at}`, p.filesz, ph.filesz);
    agree(`p_memsz of ${at}`, p.memsz, ph.memsz);
    agree(`p_align of ${at}`, p.align, ph.align);
  });
  return out;
}
