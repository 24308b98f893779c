// The auxiliary vector's entry types (Linux include/uapi/linux/auxvec.h and
// arch/riscv/include/uapi/asm/auxvec.h), as data: number, name and meaning.

export const AUXV_TYPES = {
  AT_NULL: { value: 0, doc: "end of vector" },
  AT_IGNORE: { value: 1, doc: "entry should be ignored" },
  AT_EXECFD: { value: 2, doc: "file descriptor of program" },
  AT_PHDR: { value: 3, doc: "program headers for program" },
  AT_PHENT: { value: 4, doc: "size of program header entry" },
  AT_PHNUM: { value: 5, doc: "number of program headers" },
  AT_PAGESZ: { value: 6, doc: "system page size" },
  AT_BASE: { value: 7, doc: "base address of interpreter" },
  AT_FLAGS: { value: 8, doc: "flags" },
  AT_ENTRY: { value: 9, doc: "entry point of program" },
  AT_NOTELF: { value: 10, doc: "program is not ELF" },
  AT_UID: { value: 11, doc: "real uid" },
  AT_EUID: { value: 12, doc: "effective uid" },
  AT_GID: { value: 13, doc: "real gid" },
  AT_EGID: { value: 14, doc: "effective gid" },
  AT_PLATFORM: { value: 15, doc: "string identifying CPU for optimizations" },
  AT_HWCAP: { value: 16, doc: "arch dependent hints at CPU capabilities" },
  AT_CLKTCK: { value: 17, doc: "frequency at which times() increments" },
  AT_SECURE: { value: 23, doc: "secure mode boolean" },
  AT_BASE_PLATFORM: { value: 24, doc: "string identifying real platform" },
  AT_RANDOM: { value: 25, doc: "address of 16 random bytes" },
  AT_HWCAP2: { value: 26, doc: "extension of AT_HWCAP" },
  AT_RSEQ_FEATURE_SIZE: { value: 27, doc: "rseq supported feature size" },
  AT_RSEQ_ALIGN: { value: 28, doc: "rseq allocation alignment" },
  AT_HWCAP3: { value: 29, doc: "extension of AT_HWCAP" },
  AT_HWCAP4: { value: 30, doc: "extension of AT_HWCAP" },
  AT_EXECFN: { value: 31, doc: "filename of program" },
  AT_SYSINFO_EHDR: { value: 33, doc: "vDSO location" },
  AT_L1I_CACHESIZE: { value: 40, doc: "L1 instruction cache size" },
  AT_L1I_CACHEGEOMETRY: { value: 41, doc: "L1 instruction cache line size and associativity" },
  AT_L1D_CACHESIZE: { value: 42, doc: "L1 data cache size" },
  AT_L1D_CACHEGEOMETRY: { value: 43, doc: "L1 data cache line size and associativity" },
  AT_L2_CACHESIZE: { value: 44, doc: "L2 cache size" },
  AT_L2_CACHEGEOMETRY: { value: 45, doc: "L2 cache line size and associativity" },
  AT_L3_CACHESIZE: { value: 46, doc: "L3 cache size" },
  AT_L3_CACHEGEOMETRY: { value: 47, doc: "L3 cache line size and associativity" },
  AT_MINSIGSTKSZ: { value: 51, doc: "minimal stack size for signal delivery" },
} as const;

export type AuxvName = keyof typeof AUXV_TYPES;

/** AT_* name → number, e.g. AT.AT_RANDOM === 25. */
export const AT = Object.fromEntries(
  Object.entries(AUXV_TYPES).map(([name, t]) => [name, t.value]),
) as { readonly [K in AuxvName]: (typeof AUXV_TYPES)[K]["value"] };

const NAMES = new Map<number, AuxvName>();
for (const name of Object.keys(AUXV_TYPES) as AuxvName[]) NAMES.set(AUXV_TYPES[name].value, name);

/** The AT_* name of an auxv type, or "AT_<n>" for one this table does not know. */
export function auxvName(type: number | bigint): string {
  return NAMES.get(Number(type)) ?? `AT_${type}`;
}
