// The ELF loader: parse and validate a riscv64 executable (or a dynamic loader), map it, build its initial stack.

export { ElfError, type ElfErrorCode } from "./errors.js";
export type { ElfHeader, ElfIdent, ProgramHeader } from "./elfy-adapter.js";
export type { ElfImage, LoadSegment, LoadedImage, TlsTemplate } from "./image.js";
export { parseElf, protFromFlags, type ParseOptions } from "./validate.js";
export { loadElf } from "./load.js";
export { buildInitialStack, readInitialStack, MAX_ARG_STRLEN, type InitialStack, type StackInfo } from "./stack.js";
export { AT, AUXV_TYPES, auxvName, type AuxvName } from "./auxv.js";
export * as elfConstants from "./constants.js";
