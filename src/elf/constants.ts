// ELF numbers the loader needs (ELF-64 object file format, RISC-V psABI, Linux's elf.h).

/** Sizes of the 64-bit structures. */
export const ELF64_EHDR_SIZE = 64;
export const ELF64_PHDR_SIZE = 56;

/** e_ident indices and values. */
export const EI_CLASS = 4;
export const EI_DATA = 5;
export const EI_VERSION = 6;
export const EI_OSABI = 7;
export const EI_ABIVERSION = 8;
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;
export const EV_CURRENT = 1;

/** e_type. */
export const ET_NONE = 0;
export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;
export const ET_NAMES: Readonly<Record<number, string>> = {
  [ET_NONE]: "ET_NONE",
  [ET_REL]: "ET_REL",
  [ET_EXEC]: "ET_EXEC",
  [ET_DYN]: "ET_DYN",
  [ET_CORE]: "ET_CORE",
};

/** e_machine. */
export const EM_RISCV = 243;

/** e_flags of RISC-V objects. */
export const EF_RISCV_RVC = 0x1;
export const EF_RISCV_FLOAT_ABI = 0x6;
export const EF_RISCV_RVE = 0x8;
export const EF_RISCV_TSO = 0x10;

/** p_type. */
export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_SHLIB = 5;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_GNU_EH_FRAME = 0x6474e550;
export const PT_GNU_STACK = 0x6474e551;
export const PT_GNU_RELRO = 0x6474e552;
export const PT_GNU_PROPERTY = 0x6474e553;
export const PT_RISCV_ATTRIBUTES = 0x70000003;

/** p_flags. Note the order is the reverse of PROT_*: PF_X is bit 0, PF_R bit 2. */
export const PF_X = 0x1;
export const PF_W = 0x2;
export const PF_R = 0x4;

/**
 * Linux reads at most 64 KiB of program headers (load_elf_phdrs), so e_phnum is at most
 * 65536 / 56 = 1170; this also rules out PN_XNUM (0xffff) extended numbering, which binfmt_elf
 * does not support either.
 */
export const MAX_PHDR_BYTES = 65536;
