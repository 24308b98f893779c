// rvtrace's public API.
export { Kernel, SpawnError } from "./kernel/kernel.js";
export type { KernelOptions, SpawnOptions, Mount } from "./kernel/kernel.js";
export { Process } from "./kernel/process.js";
export type { ExitStatus } from "./kernel/process.js";
export { Task } from "./kernel/task.js";
export { Hart } from "./cpu/hart.js";
export { AddressSpace, GuestFault } from "./mem/address-space.js";
export { SYSCALLS, syscallName, syscallNumber } from "./kernel/syscalls/table.js";
export * from "./utrace/constants.js";
export { Engine } from "./utrace/engine.js";
export { Regs } from "./utrace/regs.js";
export { Utrace, type UtraceHost } from "./utrace/utrace.js";
export { UtraceError } from "./utrace/types.js";
export type { EngineOps, UtraceSigInfo, KSigAction, ExecInfo, ExitCode } from "./utrace/types.js";

// The engine author's kit (docs/utrace.md): constants with lookups both ways, the --engine
// factory's types, and helpers.
export { E, SIG, SYS, errnoName, errnoNumber, signalName, signalNumber, type ErrnoName } from "./kit/constants.js";
export {
  deny, replaceBuffer, readString, readStruct, structLayout,
  type FieldType, type StructLayout, type StructValue,
} from "./kit/helpers.js";
export type { EngineFactory, EngineFactoryContext, EngineSpec } from "./engines/loader.js";
export type { SyscallWrite } from "./utrace/syscall-writes.js";
