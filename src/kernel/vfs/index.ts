// The sandboxed file system: public surface for the kernel and the syscall handlers.
export * from "../../abi/fs.js";
export { Vfs, type VfsConfig, type VfsMountSpec } from "./vfs.js";
export { type TimeArg } from "./changes.js";
export { Namespace, type Lookup, type Node, type PathCtx, type Mount } from "./namespace.js";
export {
  type OpenFile,
  type FileKind,
  type IoResult,
  type PollState,
  FileBase,
  retainFile,
  releaseFile,
  canRead,
  canWrite,
} from "./open-file.js";
export { HostFile, PathFile } from "./host-file.js";
export { DirFile, type DirEntry, encodeDirents, direntSize } from "./dir.js";
export { DeviceFile, TtyFile, type DeviceKind } from "./devices.js";
export { Pipe, PipeEnd, createPipe } from "./pipe.js";
export { StdinFile, StdoutFile, type StdioStreams } from "./stdio.js";
export { type StatInfo, type StatfsInfo, type Timespec, encodeStat, encodeStatx, encodeStatfs } from "./stat.js";
export { hostErrno, HOST_ERROR_TABLE } from "./errors.js";
export { readPath, toBytePath, fromBytePath, bytesToPath, pathToBytes } from "./paths.js";
