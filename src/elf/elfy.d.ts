// Types for the parts of the untyped CommonJS package `elfy` (v1.0.0) that elfy-adapter.ts uses.
// They describe what lib/elfy/parser.js really returns, warts included: 64-bit fields are doubles
// (exact only below 2^53), names are `undefined` for numbers elfy's tables lack (RISC-V among
// them), and osabi/abiversion come from the wrong e_ident bytes. Only elfy-adapter.ts may import it.

declare module "elfy" {
  namespace elfy {
    interface Header {
      /** "32" or "64" (from e_ident[EI_CLASS]). */
      class: string;
      /** "lsb" or "msb" (from e_ident[EI_DATA]). */
      endian: string;
      /** Looked up from e_ident[6], which is really EI_VERSION (elfy's off-by-one). */
      osabi: string | undefined;
      /** Looked up from e_ident[7], which is really EI_OSABI. */
      abiversion: string | undefined;
      /** constants.type[e_type]. */
      type: string | undefined;
      /** constants.machine[e_machine]; undefined for EM_RISCV (243). */
      machine: string | undefined;
      /** e_version (the object literal's second `version` key wins over e_ident's). */
      version: number;
      entry: number;
      phoff: number;
      shoff: number;
      flags: number;
      ehsize: number;
      phentsize: number;
      phnum: number;
      shentsize: number;
      shnum: number;
      shstrndx: number;
    }

    interface Program {
      /** constants.entryType[p_type]; undefined for types it does not list. */
      type: string | undefined;
      offset: number;
      vaddr: number;
      paddr: number;
      filesz: number;
      memsz: number;
      /** One key per set bit: "r" / "w" / "x", or the bit's value as a string. */
      flags: Record<string, boolean>;
      align: number;
      data: Buffer;
    }

    class Parser {
      parseHeader(buf: Buffer): Header;
      parsePrograms(buf: Buffer, header: Header): Program[];
    }

    const constants: {
      readonly machine: Readonly<Record<number, string>>;
      readonly type: Readonly<Record<number, string>>;
      readonly entryType: Readonly<Record<number, string>>;
      readonly entryFlags: Readonly<Record<number, string>>;
    };

    /** The whole file, section headers included (throws on files without a section name table). */
    function parse(buf: Buffer): Header & { body: { programs: Program[]; sections: unknown[] } };
  }
  export = elfy;
}
