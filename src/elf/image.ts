// What parseElf produces and loadElf consumes: a validated, relocated description of a program.

import type { ElfHeader, ProgramHeader } from "./elfy-adapter.js";

/** One PT_LOAD segment, relocated (addresses include the load bias) and checked. */
export interface LoadSegment {
  /** Index of its program header (0-based, as readelf numbers segments). */
  readonly index: number;
  /** First guest address of the segment's contents (p_vaddr + base). */
  readonly addr: number;
  /** Bytes of file contents (p_filesz); the rest up to memsz is zero-filled (.bss). */
  readonly filesz: number;
  readonly memsz: number;
  /** File offset of the contents (p_offset). */
  readonly offset: number;
  /** PROT_READ | PROT_WRITE | PROT_EXEC from p_flags. */
  readonly prot: number;
}

/** PT_TLS, relocated. The guest's libc sets TLS up itself; this is for tools. */
export interface TlsTemplate {
  readonly addr: number;
  readonly filesz: number;
  readonly memsz: number;
  readonly align: number;
}

export interface ElfImage {
  readonly header: ElfHeader;
  readonly programHeaders: readonly ProgramHeader[];
  /**
   * ET_EXEC ("exec", loaded at its link addresses), ET_DYN without PT_INTERP ("static-pie"), or
   * ET_DYN with one ("pie", a dynamically linked position-independent executable, or a shared
   * object such as the dynamic loader itself).
   */
  readonly kind: "exec" | "static-pie" | "pie";
  /** The path in PT_INTERP (latin1 byte string): the dynamic loader to run the program. Null for none. */
  readonly interpreter: string | null;
  /** Load bias added to every p_vaddr: 0 for ET_EXEC and an ET_DYN linked at a usable address, else LAYOUT.pieBase. */
  readonly base: number;
  /** Relocated entry point (e_entry + base); inside an executable segment. */
  readonly entry: number;
  /** The PT_LOAD segments, lowest address first; they do not overlap. */
  readonly segments: readonly LoadSegment[];
  /** Guest address of the program headers (AT_PHDR), or 0 when no segment holds them. */
  readonly phdrAddr: number;
  /** e_phentsize (AT_PHENT), always 56. */
  readonly phent: number;
  /** e_phnum (AT_PHNUM). */
  readonly phnum: number;
  /** PT_GNU_STACK asks for an executable stack (no PT_GNU_STACK: not executable). */
  readonly execStack: boolean;
  readonly tls: TlsTemplate | null;
  /** Page-rounded end of the highest segment: where the program break starts. */
  readonly end: number;
  /** RISC-V float ABI from e_flags. */
  readonly floatAbi: "soft" | "single" | "double" | "quad";
  /** EF_RISCV_RVC: the program may contain compressed instructions. */
  readonly rvc: boolean;
  /** Length of the file it was parsed from (loadElf checks it is given the same bytes). */
  readonly fileSize: number;
}

/** What loadElf returns: the values the initial stack's auxv and the first hart need. */
export interface LoadedImage {
  /** Where execution starts (AT_ENTRY). */
  readonly entry: number;
  /** Load bias (0 for ET_EXEC). */
  readonly base: number;
  /** AT_PHDR. */
  readonly phdrAddr: number;
  /** AT_PHENT. */
  readonly phent: number;
  /** AT_PHNUM. */
  readonly phnum: number;
  /** Map the stack executable. */
  readonly execStack: boolean;
}
