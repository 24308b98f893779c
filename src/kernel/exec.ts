// execve and execveat: a new program in the same process. The file is found through the sandbox
// (the guest's file system, with its permission checks); `#!` scripts run their interpreter, found
// the same way. Everything that can fail is done before the point of no return, so a failing exec
// returns to its caller with the error and the old image intact. After it: the other threads are
// gone, the memory is new, close-on-exec descriptors are closed, caught signals are reset (ignored
// ones stay ignored; the mask and pending signals stay), and engines get the exec report.
import type { SyscallResult } from "./syscalls/types.js";
import { argInt, argIsNull, argPtr } from "./syscalls/args.js";
import { pathCtx } from "./syscalls/fs-common.js";
import { dropSharedMaps } from "./syscalls/mm-shared.js";
import { resetThreadName } from "./prctl-state.js";
import { E } from "../abi/gen/errno.js";
import { SIG_IGN, SIG_DFL } from "../abi/signals.js";
import { parseElf, ElfError, MAX_ARG_STRLEN } from "../elf/index.js";
import { UTRACE_EVENT } from "../utrace/constants.js";
import type { Task } from "./task.js";
import type { Kernel } from "./kernel.js";
import { bytesToPath, fromBytePath, pathToBytes, readPath } from "./vfs/paths.js";
import { noteImage } from "./proc-image.js";
import { loadImage, parseInterpreter, type Interpreter, type LoadedProgram } from "./image.js";
import { hostWork } from "./host-work.js";
import { exitTaskNow, reapTask, releaseMemory, releaseVforkParent } from "./exit.js";
import { killTask } from "./kill.js";

const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_EMPTY_PATH = 0x1000;
/** Linux's BINPRM_BUF_SIZE: how much of a file is read to recognise it (the `#!` line's limit). */
export const BINPRM_BUF_SIZE = 256;

/** True when a file starts with `#!`. */
export function isScript(bytes: Uint8Array): boolean {
  return bytes[0] === 0x23 && bytes[1] === 0x21;
}
/** Linux's limit on interpreters of interpreters. */
const MAX_INTERPRETER_DEPTH = 4;
/** The most argument and environment bytes an exec takes (Linux: a quarter of the 8 MiB stack). */
const ARG_MAX = 2 * 1024 * 1024;

export function sysExecve(t: Task): SyscallResult {
  return execFrom(t, AT_FDCWD, argPtr(t, 0), 1, 0);
}

export function sysExecveat(t: Task): SyscallResult {
  const flags = argInt(t, 4);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -E.EINVAL;
  return execFrom(t, argInt(t, 0), argPtr(t, 1), 2, flags);
}

function execFrom(t: Task, dirfd: number, pathAddr: number, argvArg: number, flags: number): SyscallResult {
  const given = readPath(t.mem, pathAddr);
  if (typeof given === "number") return given;
  let path = given;
  // The name the new program is told (AT_EXECFN, a script's argument): as Linux makes it for a
  // descriptor, /dev/fd/N, or /dev/fd/N/PATH for a relative path from one.
  let execfn = given;
  if (given === "") {
    if (!(flags & AT_EMPTY_PATH)) return -E.ENOENT;
    // fexecve: the descriptor's own file.
    const f = t.process.fds.get(dirfd);
    if (!f) return -E.EBADF;
    path = f.path;
    execfn = `/dev/fd/${dirfd}`;
  } else if (!given.startsWith("/") && dirfd !== AT_FDCWD) {
    execfn = `/dev/fd/${dirfd}/${given}`;
  }
  const argv = readStrings(t, argvArg);
  if (typeof argv === "number") return argv;
  const envp = readStrings(t, argvArg + 1);
  if (typeof envp === "number") return envp;
  let total = 0;
  for (const s of [...argv, ...envp]) total += s.length + 1;
  if (total > ARG_MAX) return -E.E2BIG;
  if (flags & AT_SYMLINK_NOFOLLOW && given !== "") {
    // execveat with AT_SYMLINK_NOFOLLOW: a symbolic link as the last component is ELOOP.
    const ctx = pathCtx(t, dirfd, path);
    if (typeof ctx === "number") return ctx;
    const st = t.kernel.vfs.stat(ctx, path, false);
    if (typeof st !== "number" && (st.mode & 0o170000) === 0o120000) return -E.ELOOP;
  }
  const found = findProgram(t, dirfd, path, execfn, argv, 0);
  if (typeof found === "number") return found;
  let loaded: LoadedProgram;
  try {
    loaded = loadImage(found.image, found.bytes, found.argv, envp, pathToBytes(execfn), t.kernel.world, t.kernel.memory, found.dynamicLoader ?? null, found.guestPath);
  } catch (e) {
    if (e instanceof ElfError) return e.code === "EINVAL" ? -E.ENOEXEC : -E[e.code];
    if (e instanceof RangeError) return -E.ENOMEM;
    throw e;
  }
  t.kernel.charge(hostWork.program(found.bytes.length + (found.dynamicLoader?.bytes.length ?? 0)));
  if (t.kernel.memory?.exceeded) {
    // The new image does not fit beside the old one (Linux's execve also fails with ENOMEM then).
    loaded.mem.release();
    return -E.ENOMEM;
  }
  // The point of no return.
  commitExec(t.kernel, t, loaded, found.guestPath, found.hostPath);
  if (t.utraceFlags & UTRACE_EVENT.EXEC) {
    t.kernel.utrace.reportExec(t, {
      path: fromBytePath(given),
      argv: found.argv.map((a) => fromBytePath(bytesToPath(a))),
      envp: envp.map((e) => fromBytePath(bytesToPath(e))),
      ...(found.interpreter ? { interpreter: fromBytePath(found.interpreter) } : {}),
    });
  }
  return 0;
}

/** argv or envp: a NULL-terminated array of string pointers (NULL itself: an empty array). */
function readStrings(t: Task, arg: number): Uint8Array[] | number {
  const out: Uint8Array[] = [];
  if (argIsNull(t, arg)) return out;
  let p = argPtr(t, arg);
  for (;;) {
    const s = t.mem.readU64(p);
    if (s === 0n) return out;
    if (out.length >= ARG_MAX / 8) return -E.E2BIG;
    if (s >= 2n ** 32n) return -E.EFAULT;
    try {
      out.push(t.mem.readCStringBytes(Number(s), MAX_ARG_STRLEN - 1));
    } catch (e) {
      if (e instanceof RangeError) return -E.E2BIG;
      throw e;
    }
    p += 8;
  }
}

/** A program file's bytes and, once parsed, its ELF image (null for a script, or before parsing). */
interface CachedProgram {
  bytes: Uint8Array;
  image: ReturnType<typeof parseElf> | null;
}

const programCache = new Map<string, CachedProgram>();
/** The largest program file exec reads (it is read whole; every guest mapping lies below 4 GiB anyway). */
const MAX_PROGRAM_SIZE = 1024 * 1024 * 1024;
const PROGRAM_CACHE_SIZE = 8;

interface FoundProgram {
  image: ReturnType<typeof parseElf>;
  bytes: Uint8Array;
  argv: Uint8Array[];
  guestPath: string;
  hostPath: string;
  /** The `#!` interpreter's path when the file was a script. */
  interpreter?: string;
  /** The ELF interpreter (PT_INTERP) of a dynamic program. */
  dynamicLoader?: Interpreter;
}

/** A program file as exec read it: its bytes and where it was (record and replay, ExecFileHook). */
export interface ExecFile {
  bytes: Uint8Array;
  guestPath: string;
  hostPath: string;
}

/**
 * Record and replay (kernel.execFiles): a recording is told of every file an execve reads (the
 * program, then its `#!` interpreters, by depth), and a replay supplies them instead of the file
 * system, which it does not have.
 */
export interface ExecFileHook {
  /** The file for this depth of t's execve; undefined: look it up in the file system as usual. */
  supply?(t: Task, depth: number): ExecFile | undefined;
  /** A file exec has just read for t's execve. */
  read?(t: Task, depth: number, file: ExecFile): void;
}

/** Finds and reads the program (through `#!` interpreters), or -errno as execve reports it. */
function findProgram(t: Task, dirfd: number, path: string, shownPath: string, argv: Uint8Array[], depth: number): FoundProgram | number {
  const hook = t.kernel.execFiles;
  const supplied = hook?.supply?.(t, depth);
  const got = supplied ? { file: supplied, cached: { bytes: supplied.bytes, image: null } } : readProgram(t, dirfd, path);
  if (typeof got === "number") return got;
  hook?.read?.(t, depth, got.file);
  const { cached } = got;
  const opened = got.file;
  const bytes = opened.bytes;
  if (isScript(bytes)) {
    if (depth >= MAX_INTERPRETER_DEPTH) return -E.ELOOP;
    const line = parseShebang(bytes.subarray(0, BINPRM_BUF_SIZE));
    if (!line) return -E.ENOEXEC;
    // The interpreter gets its own name, its one optional argument, the script's path, then the
    // script's arguments after argv[0].
    const scriptArgv = [pathToBytes(line.interpreter), ...(line.arg !== null ? [pathToBytes(line.arg)] : []), pathToBytes(shownPath), ...argv.slice(1)];
    const found = findProgram(t, AT_FDCWD, line.interpreter, line.interpreter, scriptArgv, depth + 1);
    if (typeof found === "number") return found;
    return { ...found, interpreter: found.interpreter ?? line.interpreter };
  }
  try {
    cached.image ??= parseElf(bytes);
  } catch (e) {
    if (e instanceof ElfError) return -E.ENOEXEC;
    throw e;
  }
  const found: FoundProgram = { image: cached.image, bytes, argv, guestPath: opened.guestPath, hostPath: opened.hostPath };
  if (cached.image.interpreter === null) return found;
  const loader = findDynamicLoader(t, cached.image.interpreter, depth + 1);
  return typeof loader === "number" ? loader : { ...found, dynamicLoader: loader };
}

/**
 * The dynamic loader a program's PT_INTERP names, looked up from the guest's root (a relative path
 * from its working directory, as Linux does), or -errno as execve reports it: the lookup's error
 * (ENOENT when it is missing), ELIBBAD when it is not an ELF file rvtrace can load.
 */
function findDynamicLoader(t: Task, path: string, depth: number): Interpreter | number {
  const hook = t.kernel.execFiles;
  const supplied = hook?.supply?.(t, depth);
  const got = supplied ? { file: supplied, cached: { bytes: supplied.bytes, image: null } } : readProgram(t, AT_FDCWD, path);
  if (typeof got === "number") return got;
  hook?.read?.(t, depth, got.file);
  try {
    got.cached.image ??= parseInterpreter(got.file.bytes);
    // A file cached as a program may still have an interpreter of its own.
    if (got.cached.image.interpreter !== null) return -E.ELIBBAD;
  } catch (e) {
    if (e instanceof ElfError) return -E.ELIBBAD;
    throw e;
  }
  return { image: got.cached.image, bytes: got.file.bytes };
}

/** Reads a program file through the sandbox (with a small cache of parsed images), or -errno. */
function readProgram(t: Task, dirfd: number, path: string): { file: ExecFile; cached: CachedProgram } | number {
  const ctx = pathCtx(t, dirfd, path);
  if (typeof ctx === "number") return ctx;
  const opened = t.kernel.vfs.openExec(ctx, path);
  if (typeof opened === "number") return opened;
  const { file } = opened;
  let bytes: Uint8Array;
  let cached: CachedProgram | undefined;
  try {
    const st = file.stat();
    if (typeof st === "number") return st;
    // A shell runs the same few programs over and over: keep the last ones read, by identity and
    // change time, so an exec of an unchanged file neither reads nor parses it again.
    const key = `${st.dev}:${st.ino}:${st.size}:${st.mtime.sec}.${st.mtime.nsec}:${st.ctime.sec}.${st.ctime.nsec}`;
    cached = programCache.get(key);
    if (!cached && st.size > MAX_PROGRAM_SIZE) return -E.ENOMEM;
    if (cached) {
      bytes = cached.bytes;
    } else {
      bytes = new Uint8Array(Number(st.size));
      const n = file.pread(bytes, 0);
      if (typeof n !== "number") return -E.EIO;
      if (n < 0) return n;
      bytes = bytes.subarray(0, n);
      cached = { bytes, image: null };
      programCache.set(key, cached);
      if (programCache.size > PROGRAM_CACHE_SIZE) programCache.delete(programCache.keys().next().value!);
    }
  } finally {
    file.close();
  }
  return { file: { bytes, guestPath: opened.path, hostPath: opened.hostPath }, cached };
}

/**
 * The `#!` line as Linux's binfmt_script reads it: the interpreter up to the first blank, then at
 * most one argument (the rest of the line, blanks trimmed at both ends). Null without an interpreter,
 * or when the line is longer than the buffer and the interpreter's name is cut by it.
 */
export function parseShebang(buf: Uint8Array): { interpreter: string; arg: string | null } | null {
  let end = buf.indexOf(0x0a);
  const cut = end < 0;
  if (cut) end = buf.length;
  const line = bytesToPath(buf.subarray(2, end)).replace(/[ \t]+$/, "");
  // The s flag: a "\r" (a script with CRLF line ends) belongs to the argument, as in Linux.
  const m = /^[ \t]*([^ \t]+)(?:[ \t]+(.*))?$/s.exec(line);
  if (!m) return null;
  const interpreter = m[1];
  if (cut && m[2] === undefined && end === buf.length) return null;
  return { interpreter, arg: m[2] !== undefined && m[2] !== "" ? m[2] : null };
}

/** Everything after the point of no return. */
function commitExec(kernel: Kernel, t: Task, loaded: LoadedProgram, guestPath: string, hostPath: string): void {
  const proc = t.process;
  // Other threads go first (Linux's de_thread); an exec from a thread other than the leader takes
  // over the leader's tid, so the process keeps its pid.
  for (const other of [...proc.tasks]) {
    if (other === t || other.state === "dead") continue;
    killTask(kernel, other, 0);
    exitTaskNow(kernel, other);
  }
  if (t !== proc.leader) {
    const leader = proc.leader;
    reapTask(kernel, leader);
    kernel.tasks.delete(t.tid);
    t.tid = proc.pid;
    kernel.tasks.set(t.tid, t);
  }
  proc.tasks.splice(0, proc.tasks.length, t);

  const oldMem = proc.mem;
  // A vfork child's memory is its parent's, shared mappings and all: the parent keeps them.
  if (![...kernel.processes.values()].some((p) => p !== proc && p.mem === oldMem && p.alive)) {
    dropSharedMaps(oldMem, 0, Number.MAX_SAFE_INTEGER);
  }
  proc.mem = loaded.mem;
  releaseMemory(kernel, proc, oldMem);
  releaseVforkParent(proc);
  if (proc.fds.users > 1) {
    proc.fds.users--;
    proc.fds = proc.fds.clone();
  }
  proc.fds.closeOnExec();
  // Handlers shared with another process (CLONE_SIGHAND) become the process's own before the reset.
  if ([...kernel.processes.values()].some((p) => p !== proc && p.sigactions === proc.sigactions && p.alive)) {
    proc.sigactions = proc.sigactions.map((a) => ({ ...a }));
  }
  for (let i = 1; i < proc.sigactions.length; i++) {
    if (proc.sigactions[i].handler !== SIG_IGN) proc.sigactions[i] = { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n };
  }
  proc.exePath = fromBytePath(guestPath);
  proc.exeHostPath = hostPath;
  proc.didExec = true;

  t.altStack = { sp: 0, size: 0, flags: 2 /* SS_DISABLE */ };
  t.clearChildTid = 0;
  t.robustList = 0;
  t.robustListLen = 0;
  const h = t.hart;
  h.x.fill(0);
  h.fi.fill(0);
  h.fcsr = 0;
  h.reservation = -1;
  h.pc = loaded.entry;
  h.setXNumber(2, loaded.sp);
  noteImage(proc, loaded.sp);
  resetThreadName(t);
}
